"""PHP's Throwable hierarchy (engine, SPL, common frameworks), so a rule on ``Error`` also sees
``TypeError`` and a rule on ``RuntimeException`` sees ``PDOException``.

Engine diagnostics that are not exceptions (``Warning``, ``Notice``, ``Deprecated``,
``Fatal error``, ``Parse error``) are reported under their severity label and have no bases.
Names are compared without their namespace (``Illuminate\\Database\\QueryException`` ->
``QueryException``).
"""

from __future__ import annotations

from homeostasis.plugins.hierarchy import lineage

# child -> parent, short names.
_PARENT: dict[str, str] = {
    "Error": "Throwable",
    "Exception": "Throwable",
    # Engine errors (PHP 7+)
    "ArithmeticError": "Error",
    "DivisionByZeroError": "ArithmeticError",
    "AssertionError": "Error",
    "CompileError": "Error",
    "ParseError": "CompileError",
    "TypeError": "Error",
    "ArgumentCountError": "TypeError",
    "ValueError": "Error",
    "UnhandledMatchError": "Error",
    "FiberError": "Error",
    # Exceptions
    "ErrorException": "Exception",
    "JsonException": "Exception",
    "LogicException": "Exception",
    "BadFunctionCallException": "LogicException",
    "BadMethodCallException": "BadFunctionCallException",
    "DomainException": "LogicException",
    "InvalidArgumentException": "LogicException",
    "LengthException": "LogicException",
    "OutOfRangeException": "LogicException",
    "RuntimeException": "Exception",
    "OutOfBoundsException": "RuntimeException",
    "OverflowException": "RuntimeException",
    "RangeException": "RuntimeException",
    "UnderflowException": "RuntimeException",
    "UnexpectedValueException": "RuntimeException",
    "PDOException": "RuntimeException",
    "mysqli_sql_exception": "RuntimeException",
    # Laravel
    "QueryException": "PDOException",
    "ModelNotFoundException": "RecordsNotFoundException",
    "RecordsNotFoundException": "RuntimeException",
    "ValidationException": "Exception",
    "AuthenticationException": "Exception",
    "AuthorizationException": "Exception",
    "TokenMismatchException": "Exception",
    "BindingResolutionException": "Exception",
    "FileNotFoundException": "Exception",
    "ViewException": "ErrorException",
    # Symfony
    "HttpException": "RuntimeException",
    "NotFoundHttpException": "HttpException",
    "AccessDeniedHttpException": "HttpException",
    "MethodNotAllowedHttpException": "HttpException",
    "ResourceNotFoundException": "RuntimeException",
    "ServiceNotFoundException": "InvalidArgumentException",
    # Guzzle, Doctrine
    "GuzzleException": "Exception",
    "TransferException": "RuntimeException",
    "RequestException": "TransferException",
    "ClientException": "RequestException",
    "ServerException": "RequestException",
    "ConnectException": "TransferException",
    "DriverException": "Exception",
    "UniqueConstraintViolationException": "DriverException",
}


def short(error_type: str) -> str:
    return error_type.rsplit("\\", 1)[-1]


def ancestors(error_type: str) -> tuple[str, ...]:
    """``error_type`` and its bases, most specific first (the qualified name first when namespaced)."""
    name = short(error_type)
    chain = lineage(name, _PARENT)
    if chain[-1] != "Throwable" and name.endswith("Exception"):
        # A custom `class NotFound extends Exception`: its base is not printed.
        chain.extend(("Exception", "Throwable"))
    elif chain[-1] != "Throwable" and name.endswith("Error") and " " not in name:
        chain.extend(("Error", "Throwable"))
    if "\\" in error_type:
        chain.insert(0, error_type.lstrip("\\"))
    return tuple(chain)
