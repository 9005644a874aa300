"""The kinds of failure the Go reader produces, so a rule on ``panic`` also sees runtime errors.

Go has no exception classes: the reader names a failure by how Go printed it.

* ``panic``: a value passed to ``panic()`` (``panic: <value>``);
* ``runtime error``: a panic whose value is a ``runtime.Error`` (``panic: runtime error: ...``,
  and the runtime's plain errors printed without that prefix: ``assignment to entry in nil map``,
  ``send on closed channel``, ``interface conversion: ...``);
* ``fatal error``: an unrecoverable runtime throw (deadlock, concurrent map writes, stack overflow);
* ``compile error`` / ``vet`` / ``lint``: a diagnostic of ``go build``, ``go vet`` or a linter;
* ``test failure``: a line logged by a failing ``go test`` test (``t.Errorf``, ``t.Fatalf``).
"""

from __future__ import annotations

from types import MappingProxyType

from homeostasis.plugins.hierarchy import lineage

_PARENT = MappingProxyType(
    {
        "runtime error": "panic",
        "compile error": "diagnostic",
        "vet": "diagnostic",
        "lint": "diagnostic",
    }
)

PANIC = "panic"
RUNTIME_ERROR = "runtime error"
FATAL_ERROR = "fatal error"
COMPILE_ERROR = "compile error"
VET = "vet"
LINT = "lint"
TEST_FAILURE = "test failure"

# Runtime errors Go prints without the "runtime error: " prefix (``plainError`` values and
# ``*runtime.TypeAssertionError``): they are still ``runtime.Error``s.
_PLAIN_RUNTIME = (
    "assignment to entry in nil map",
    "close of closed channel",
    "close of nil channel",
    "send on closed channel",
    "interface conversion: ",
)


def ancestors(error_type: str) -> tuple[str, ...]:
    """``error_type`` and the kinds it is a case of, most specific first."""
    return tuple(lineage(error_type, _PARENT))


def classify_panic(value: str) -> tuple[str, str]:
    """(error type, message) of a printed panic value."""
    if value.startswith("runtime error: "):
        return RUNTIME_ERROR, value[len("runtime error: ") :]
    if value.startswith(_PLAIN_RUNTIME):
        return RUNTIME_ERROR, value
    return PANIC, value
