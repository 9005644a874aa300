"""Which printed frame paths are library code, and whether a stack is JavaScript's or TypeScript's."""

from __future__ import annotations

from collections.abc import Iterable

from homeostasis.model import Frame

# Path fragments of code that is never the project's own.
LIBRARY_MARKERS: tuple[str, ...] = (
    "/node_modules/",
    "/bower_components/",
    "/jspm_packages/",
    "/.pnpm/",
    "/.yarn/",
    "/.npm/",
    "/.nvm/",
    "/lib/node/",
    "webpack/bootstrap",
    "webpack/runtime",
)
# Prefixes of Node's own modules and of code with no file: node:fs, internal/... (Node < 16).
_LIBRARY_PREFIXES = ("node:", "internal/", "node_modules/", "<", "[", "evalmachine.", "native ")
# Node's core modules: before Node 16 their frames read ``events.js:98:17`` with no directory.
_CORE_MODULES = frozenset(
    [
        "_stream_readable",
        "_stream_writable",
        "_http_server",
        "_http_client",
        "_http_agent",
        "_http_common",
        "_http_outgoing",
        "_http_incoming",
        "_tls_wrap",
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "crypto",
        "dgram",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "timers",
        "tls",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "worker_threads",
        "zlib",
        "bootstrap_node",
    ]
)
TS_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")
JS_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs")


def is_library(path: str) -> bool:
    """Whether a printed frame path is library code, Node's own code, or no file at all."""
    normalized = path.replace("\\", "/")
    if normalized in ("native", "unknown location", "") or normalized.startswith(_LIBRARY_PREFIXES):
        return True
    if normalized.endswith(".d.ts"):
        return True
    if "/" not in normalized and normalized.endswith(".js") and normalized[:-3] in _CORE_MODULES:
        return True
    return any(marker in normalized for marker in LIBRARY_MARKERS)


def _suffix(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def stack_language(frames: Iterable[Frame], error_type: str = "") -> str:
    """``typescript`` when the project's innermost frame with a known suffix is a TypeScript
    file (ts-node, tsx, source-mapped runs), else ``javascript``. ``frames`` innermost first."""
    if error_type == "TSError":
        return "typescript"
    for frame in frames:
        suffix = _suffix(frame.file)
        if suffix in TS_SUFFIXES and not is_library(frame.file):
            return "typescript"
        if suffix in JS_SUFFIXES and not is_library(frame.file):
            return "javascript"
    return "javascript"
