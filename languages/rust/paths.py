"""Which frames are the standard library's or a dependency's, never the project's."""

from __future__ import annotations

import re
from functools import cache

LIBRARY_MARKERS = (
    "/rustc/",  # std/core/alloc sources as recorded in the toolchain's debug info
    "/.cargo/registry/",
    "/.cargo/git/",
    "/.rustup/toolchains/",
    "/lib/rustlib/",
    "/library/std/src/",
    "/library/core/src/",
    "/library/alloc/src/",
    "/src/libstd/",  # toolchains before the 2020 library/ layout
    "/src/libcore/",
    "/src/liballoc/",
    "/cargo/registry/",  # CARGO_HOME elsewhere (CI images)
)
_RELATIVE_STD = (
    "library/std/",
    "library/core/",
    "library/alloc/",
    "src/libstd/",
    "src/libcore/",
    "src/liballoc/",
)


def is_library_path(path: str) -> bool:
    normalized = path.replace("\\", "/")
    if not normalized or normalized.startswith("<"):
        return True  # <unknown>: nothing to open
    if normalized.startswith(_RELATIVE_STD):
        return True  # remapped std paths, and the relative ones of toolchains before 1.4x
    if not normalized.endswith(".rs"):
        return True  # C runtime frames of a full backtrace (libc-start.c, ...)
    return any(marker in normalized for marker in LIBRARY_MARKERS)


def is_library_function(name: str) -> bool:
    return bool(_library_function().match(name))


@cache
def _library_function() -> re.Pattern[str]:
    # Functions of the standard library and the panic machinery, for frames without a location.
    # Compiled on first use, not at import: the plugin imports this module (for LIBRARY_MARKERS)
    # at every start-up, and only reading errors needs it.
    return re.compile(
        r"^(?:<?(?:std|core|alloc|backtrace|test|panic_unwind|__rustc|rust_begin_unwind|rust_panic)\b"
        r"|__rust|_start\b|__libc_start|start_thread|clone3?\b|BaseThreadInitThunk|RtlUserThreadStart"
        r"|<unknown>|main$|__scrt_common_main|invoke_main|mainCRTStartup)"
    )
