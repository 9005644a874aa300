"""Kinds of `docker build` failures, as error types rules can name.

BuildKit prints one ``ERROR: failed to solve: ...`` line; the reader classifies it:

* ``DockerfileParseError`` (``UnknownInstruction``): the Dockerfile does not parse;
* ``RunFailed``: a ``RUN`` step exited non-zero (its output is in the message);
* ``CopySourceNotFound``: a ``COPY``/``ADD`` source is not in the build context;
* ``ImageNotFound``: the ``FROM`` image or tag cannot be pulled;
* ``BuildError``: anything else.
"""

from __future__ import annotations

from homeostasis.languages.config import Hierarchy

_PARENT: dict[str, str] = {
    "DockerfileParseError": "BuildError",
    "UnknownInstruction": "DockerfileParseError",
    "RunFailed": "BuildError",
    "CopySourceNotFound": "BuildError",
    "ImageNotFound": "BuildError",
}

HIERARCHY = Hierarchy(_PARENT)


def ancestors(error_type: str) -> tuple[str, ...]:
    return HIERARCHY.ancestors(error_type)
