"""The kinds of failure the Rust reader produces.

Rust has no exception classes either:

* ``panic``: ``thread '...' panicked at ...`` (unwrap on None/Err, index out of bounds,
  overflow, explicit ``panic!``/``todo!``, failed assertions...); rules tell them apart by message;
* ``fatal runtime error``: an abort (stack overflow, allocation failure, panic while panicking);
* ``E0382``...: a rustc error with its code, a case of ``compile error`` (uncoded errors are
  ``compile error`` itself); ``warning``: a rustc or clippy warning.
"""

from __future__ import annotations

import re

PANIC = "panic"
FATAL = "fatal runtime error"
COMPILE_ERROR = "compile error"
WARNING = "warning"

_CODE = re.compile(r"^E\d{4}$")


def ancestors(error_type: str) -> tuple[str, ...]:
    """``error_type`` and the kinds it is a case of, most specific first."""
    if _CODE.match(error_type):
        return (error_type, COMPILE_ERROR)
    return (error_type,)
