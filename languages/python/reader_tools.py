"""One-line error reports that Python tools print without a traceback.

* Alembic's command line ends a failed command with ``FAILED: <message>`` on stdout, after
  logging the same message as ``ERROR [alembic.util.messaging] <message>`` on stderr (with the
  logging setup ``alembic init`` writes).  Both are a ``CommandError`` the CLI caught
  (``alembic.util.messaging.err``), so they are read as one ``alembic.util.exc.CommandError``.
* Django's ``CsrfViewMiddleware`` logs each rejected request on ``django.security.csrf`` as
  ``Forbidden (<reason>): <path>``.  The reason is what ``django.middleware.csrf.RejectRequest``
  (the exception the middleware raises internally and turns into the 403) carries, so the line
  is read as that exception with the reason as its message.

Each function looks at one line, by plain string operations (no regular expression).
"""

from __future__ import annotations

from homeostasis.languages.python.reader_text import MAX_STRUCT_LEN

ALEMBIC_ERROR = "alembic.util.exc.CommandError"
CSRF_ERROR = "django.middleware.csrf.RejectRequest"

_FAILED = "FAILED: "
_ALEMBIC_LOGGER = "[alembic.util.messaging] "
# Openings of Alembic's CommandError messages: a ``FAILED:`` line starting so is Alembic's even
# when nothing else in the text shows Alembic (ninja and Bazel print ``FAILED: `` lines too).
_ALEMBIC_OPENINGS = (
    "Target database is not up to date",
    "Can't locate revision identified by",
    "Multiple head revisions are present",
    "Multiple heads are present",
    "No config file ",
    "No 'script_location' key found",
    "Path doesn't exist",
    "Version table ",
    "Relative revision ",
    "No such revision or branch",
    "Can't find Python file",
    "Only a single head is supported",
)
# How many lines an Alembic log line or command keeps a later ``FAILED:`` line Alembic's.
ALEMBIC_CONTEXT_LINES = 40

_CSRF_HEAD = "Forbidden ("
_CSRF_LOGGER = "django.security.csrf"
_CSRF_OPENINGS = ("CSRF ", "Origin checking failed", "Referer checking failed")


def shows_alembic(line: str) -> bool:
    """A line that shows Alembic at work: its log lines, or an ``alembic`` command."""
    return "alembic" in line and len(line) <= MAX_STRUCT_LEN


def alembic_logged(line: str) -> str | None:
    """The message of an ``ERROR [alembic.util.messaging] message`` log line."""
    if len(line) > MAX_STRUCT_LEN:
        return None
    at = line.find(_ALEMBIC_LOGGER)
    if at < 0 or "ERROR" not in line[:at] or len(line[:at]) > 200:
        return None
    message = line[at + len(_ALEMBIC_LOGGER) :].strip()
    return message or None


def alembic_failed(line: str, *, in_context: bool) -> str | None:
    """The message of Alembic's ``FAILED: message`` line.

    ``in_context``: Alembic showed itself just before, so any message is accepted; otherwise
    the message must open like one of Alembic's own.
    """
    if not line.startswith(_FAILED) or len(line) > MAX_STRUCT_LEN:
        return None
    message = line[len(_FAILED) :].strip()
    if not message:
        return None
    if in_context or message.startswith(_ALEMBIC_OPENINGS):
        return message
    return None


def csrf_rejection(line: str) -> tuple[str, str] | None:
    """``(reason, path)`` of the ``Forbidden (reason): path`` line of a CSRF rejection."""
    if len(line) > MAX_STRUCT_LEN:
        return None
    at = line.find(_CSRF_HEAD)
    if at < 0 or (at > 0 and _CSRF_LOGGER not in line[:at]):
        return None
    rest = line[at + len(_CSRF_HEAD) :].rstrip()
    close = rest.rfind("): ")
    if close < 0:
        if not rest.endswith("):"):
            return None
        close = len(rest) - 2
    reason, path = rest[:close].strip(), rest[close + 2 :].strip()
    if not reason.startswith(_CSRF_OPENINGS) or " " in path:
        return None
    return reason, path
