"""The error hierarchy of JavaScript engines and Node, so a rule on ``Error`` sees every error.

Names are constructor names as printed (``TypeError``); well-known library errors are
included so that rules may name either the specific class or a base.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from homeostasis.plugins.hierarchy import lineage

# child -> parent
_PARENT: Mapping[str, str] = MappingProxyType(
    {
        # ECMAScript
        "EvalError": "Error",
        "RangeError": "Error",
        "ReferenceError": "Error",
        "SyntaxError": "Error",
        "TypeError": "Error",
        "URIError": "Error",
        "AggregateError": "Error",
        "InternalError": "Error",  # SpiderMonkey: "too much recursion"
        # Web platform
        "DOMException": "Error",
        "AbortError": "DOMException",
        "TimeoutError": "DOMException",
        "NotAllowedError": "DOMException",
        "SecurityError": "DOMException",
        "QuotaExceededError": "DOMException",
        # Node
        "SystemError": "Error",
        "AssertionError": "Error",
        "UnhandledPromiseRejection": "Error",
        "ERR_UNHANDLED_REJECTION": "UnhandledPromiseRejection",
        # Common libraries
        "AxiosError": "Error",
        "FetchError": "Error",
        "MongoError": "Error",
        "MongoServerError": "MongoError",
        "MongoNetworkError": "MongoError",
        "SequelizeDatabaseError": "Error",
        "PrismaClientKnownRequestError": "Error",
        "PrismaClientValidationError": "Error",
        "ValidationError": "Error",
        "JsonWebTokenError": "Error",
        "TokenExpiredError": "JsonWebTokenError",
        "TSError": "Error",
    }
)


def ancestors(error_type: str) -> tuple[str, ...]:
    """``error_type`` and its bases, most specific first; unknown ``*Error`` names end in ``Error``."""
    name = error_type.rsplit(".", 1)[-1]
    chain = lineage(name, _PARENT)
    if chain[-1] != "Error" and name.endswith(("Error", "Exception")):
        # A custom `class NotFoundError extends Error`: its base is not printed; Error is a safe guess.
        chain.append("Error")
    return tuple(chain)
