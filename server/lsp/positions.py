"""Column arithmetic between the engine (code points) and the client (UTF-16 or UTF-8 units).

The engine counts columns in code points; LSP clients count in the encoding
negotiated at ``initialize`` (UTF-16 unless both sides agree on another). Only
lines with non-ASCII text need any work, so every function has an ASCII fast
path: that is the common case on the per-keystroke path.
"""

from __future__ import annotations

from typing import Final

UTF8: Final = "utf-8"
UTF16: Final = "utf-16"
UTF32: Final = "utf-32"


def to_client(line: str, col: int, encoding: str) -> int:
    """The client column of code-point column ``col`` on ``line`` (clamped to the line)."""
    col = min(max(col, 0), len(line))
    if encoding == UTF32 or line.isascii():
        return col
    prefix = line[:col]
    if encoding == UTF8:
        return len(prefix.encode("utf-8", "surrogatepass"))
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


def from_client(line: str, character: int, encoding: str) -> int:
    """The code-point column of client column ``character`` on ``line``.

    Past the end of the line means the end of the line, as the specification says;
    a column inside a multi-unit character rounds down to that character.
    """
    if character <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(character, len(line))
    if encoding == UTF8:
        data = line.encode("utf-8", "surrogatepass")
        return len(data[:character].decode("utf-8", "ignore"))
    data = line.encode("utf-16-le", "surrogatepass")
    return len(data[: character * 2].decode("utf-16-le", "ignore"))


def utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def choose_encoding(offered: list[str] | None) -> str:
    """The position encoding to use: the client's first preference we support, else UTF-16."""
    for candidate in offered or ():
        if candidate in (UTF8, UTF16, UTF32):
            return candidate
    return UTF16
