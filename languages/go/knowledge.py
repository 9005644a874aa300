"""Go knowledge added to a finding's captures: imports, did-you-mean names, map types.

Captures the rules may use:

* ``import_module``: the standard-library import an undefined package name needs
  (``strings`` -> ``strings``, ``json`` -> ``encoding/json``), when the file does not import it;
* ``suggestion``: a name declared in the file that is close to an undefined one (a typo);
* ``map_type``: the declared type of a map (``map[string]int``) from its declaration in the file;
* ``has_fmt``: ``yes`` when the file imports ``fmt`` (a fix may then print with it);
* ``lock``: the one ``sync.Mutex`` of the file that can guard a map (``mu``, ``c.mu``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from types import MappingProxyType

from homeostasis.model import Document

# Package name -> import path, for names that are not ambiguous (rand, template are).
STD_PACKAGES: Mapping[str, str] = MappingProxyType(
    {
        "fmt": "fmt",
        "strings": "strings",
        "strconv": "strconv",
        "os": "os",
        "errors": "errors",
        "time": "time",
        "log": "log",
        "slog": "log/slog",
        "json": "encoding/json",
        "xml": "encoding/xml",
        "csv": "encoding/csv",
        "hex": "encoding/hex",
        "base64": "encoding/base64",
        "binary": "encoding/binary",
        "pem": "encoding/pem",
        "http": "net/http",
        "httptest": "net/http/httptest",
        "url": "net/url",
        "net": "net",
        "netip": "net/netip",
        "io": "io",
        "ioutil": "io/ioutil",
        "fs": "io/fs",
        "bufio": "bufio",
        "bytes": "bytes",
        "sort": "sort",
        "slices": "slices",
        "maps": "maps",
        "cmp": "cmp",
        "sync": "sync",
        "atomic": "sync/atomic",
        "math": "math",
        "big": "math/big",
        "bits": "math/bits",
        "filepath": "path/filepath",
        "path": "path",
        "regexp": "regexp",
        "context": "context",
        "reflect": "reflect",
        "exec": "os/exec",
        "signal": "os/signal",
        "user": "os/user",
        "sql": "database/sql",
        "unicode": "unicode",
        "utf8": "unicode/utf8",
        "flag": "flag",
        "sha256": "crypto/sha256",
        "sha1": "crypto/sha1",
        "sha512": "crypto/sha512",
        "md5": "crypto/md5",
        "hmac": "crypto/hmac",
        "tls": "crypto/tls",
        "x509": "crypto/x509",
        "gzip": "compress/gzip",
        "zip": "archive/zip",
        "tar": "archive/tar",
        "heap": "container/heap",
        "list": "container/list",
        "testing": "testing",
        "runtime": "runtime",
        "debug": "runtime/debug",
        "pprof": "runtime/pprof",
        "embed": "embed",
        "mime": "mime",
        "multipart": "mime/multipart",
        "html": "html",
        "tabwriter": "text/tabwriter",
        "syscall": "syscall",
        "crc32": "hash/crc32",
        "fnv": "hash/fnv",
        "unsafe": "unsafe",
        "iter": "iter",
    }
)
_IDENT = re.compile(r"\b[A-Za-z_]\w*\b")
_KEYWORDS = frozenset(
    (
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
        "nil",
        "true",
        "false",
        "iota",
    )
)
_MAP_TYPE = r"(map\[[^\n=]*?\][^\s,;)=]+)"


def enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if document is None:
        return out
    text = document.text
    if re.search(r'(?m)^\s*(?:import\s+)?"fmt"\s*$', text):
        out["has_fmt"] = "yes"
    name = captures.get("name")
    if name and error_type == "compile error":
        path = STD_PACKAGES.get(name)
        if path is not None and not _imports(text, path):
            out["import_module"] = path
        elif path is None and (close := did_you_mean(name, text)):
            out["suggestion"] = close
    map_name = captures.get("map")
    if map_name:
        found = map_type(map_name.rsplit(".", 1)[-1], text)
        if found:
            out["map_type"] = found
        lock = mutex_for(map_name, text)
        if lock:
            out["lock"] = lock
    return out


def mutex_for(map_name: str, text: str) -> str | None:
    """The one mutex of the file that can guard ``map_name``: a field next to it, or a package var."""
    if "." in map_name:
        owner = map_name.rsplit(".", 1)[0]
        fields = set(re.findall(r"(?m)^\s+(\w+)\s+\*?sync\.(?:RW)?Mutex\b", text))
        return f"{owner}.{fields.pop()}" if len(fields) == 1 else None
    variables = set(re.findall(r"(?m)^var\s+(\w+)\s+sync\.(?:RW)?Mutex\b", text))
    return variables.pop() if len(variables) == 1 else None


def _imports(text: str, path: str) -> bool:
    return re.search(rf'(?m)^\s*(?:import\s+)?(?:[\w.]+\s+)?"{re.escape(path)}"\s*$', text) is not None


def did_you_mean(name: str, text: str) -> str | None:
    """A name used in the file that is one typo away from ``name``."""
    if len(name) < 3:
        return None
    names = {w for w in _IDENT.findall(text) if w != name and w not in _KEYWORDS and len(w) >= 2}
    close = difflib.get_close_matches(name, sorted(names), n=2, cutoff=0.8)
    if not close:
        lowered = [n for n in names if n.lower() == name.lower()]
        return lowered[0] if len(lowered) == 1 else None
    return str(close[0])


def map_type(name: str, text: str) -> str | None:
    """The map type ``name`` is declared with: ``var m map[K]V``, a struct field, a parameter."""
    patterns = (
        rf"\bvar\s+{re.escape(name)}\s+{_MAP_TYPE}",
        rf"(?m)^\s*{re.escape(name)}\s+{_MAP_TYPE}",
        rf"[(,]\s*{re.escape(name)}\s+{_MAP_TYPE}",
    )
    for pattern in patterns:
        found = re.search(pattern, text)
        if found is not None:
            return found.group(1)
    return None
