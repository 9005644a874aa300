"""Which printed PHP frame paths are library code: Composer's vendor tree, PEAR, PHP's own."""

from __future__ import annotations

LIBRARY_MARKERS: tuple[str, ...] = (
    "/vendor/",
    "/usr/share/php/",
    "/usr/share/pear/",
    "/usr/lib/php/",
    "/pear/",
    "/.composer/",
    "/composer/vendor/",
    "phar://",
)
# Code with no file to open: `php -r`, eval'd strings, PHP's own functions.
_NO_FILE = ("Command line code", "Standard input code", "Unknown", "[internal function]", "")


def is_library(path: str) -> bool:
    normalized = path.replace("\\", "/")
    if normalized in _NO_FILE or "eval()'d code" in normalized or normalized.startswith("["):
        return True
    return any(marker in normalized for marker in LIBRARY_MARKERS)
