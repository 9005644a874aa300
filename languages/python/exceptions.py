"""The built-in exception hierarchy, so a rule on ``ImportError`` also sees ``ModuleNotFoundError``."""

from __future__ import annotations

# child -> parent, for the built-in exceptions and the stdlib ones rules talk about.
_PARENT: dict[str, str] = {
    "Exception": "BaseException",
    "SystemExit": "BaseException",
    "KeyboardInterrupt": "BaseException",
    "GeneratorExit": "BaseException",
    "BaseExceptionGroup": "BaseException",
    "ExceptionGroup": "BaseExceptionGroup",
    "ArithmeticError": "Exception",
    "ZeroDivisionError": "ArithmeticError",
    "OverflowError": "ArithmeticError",
    "FloatingPointError": "ArithmeticError",
    "AssertionError": "Exception",
    "AttributeError": "Exception",
    "BufferError": "Exception",
    "EOFError": "Exception",
    "ImportError": "Exception",
    "ModuleNotFoundError": "ImportError",
    "LookupError": "Exception",
    "IndexError": "LookupError",
    "KeyError": "LookupError",
    "MemoryError": "Exception",
    "NameError": "Exception",
    "UnboundLocalError": "NameError",
    "OSError": "Exception",
    "IOError": "OSError",
    "EnvironmentError": "OSError",
    "BlockingIOError": "OSError",
    "ChildProcessError": "OSError",
    "ConnectionError": "OSError",
    "BrokenPipeError": "ConnectionError",
    "ConnectionAbortedError": "ConnectionError",
    "ConnectionRefusedError": "ConnectionError",
    "ConnectionResetError": "ConnectionError",
    "FileExistsError": "OSError",
    "FileNotFoundError": "OSError",
    "InterruptedError": "OSError",
    "IsADirectoryError": "OSError",
    "NotADirectoryError": "OSError",
    "PermissionError": "OSError",
    "ProcessLookupError": "OSError",
    "TimeoutError": "OSError",
    "ReferenceError": "Exception",
    "RuntimeError": "Exception",
    "NotImplementedError": "RuntimeError",
    "RecursionError": "RuntimeError",
    "StopIteration": "Exception",
    "StopAsyncIteration": "Exception",
    "SyntaxError": "Exception",
    "IndentationError": "SyntaxError",
    "TabError": "IndentationError",
    "SystemError": "Exception",
    "TypeError": "Exception",
    "ValueError": "Exception",
    "UnicodeError": "ValueError",
    "UnicodeDecodeError": "UnicodeError",
    "UnicodeEncodeError": "UnicodeError",
    "UnicodeTranslateError": "UnicodeError",
    "JSONDecodeError": "ValueError",
    "Warning": "Exception",
    "RuntimeWarning": "Warning",
    "DeprecationWarning": "Warning",
    "UserWarning": "Warning",
    "CancelledError": "BaseException",
    "InvalidStateError": "Exception",
}


def ancestors(error_type: str) -> tuple[str, ...]:
    """``error_type`` (short name) and its bases, most specific first."""
    name = error_type.rsplit(".", 1)[-1]
    chain = [name]
    seen = {name}
    while (parent := _PARENT.get(chain[-1])) is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
    return tuple(chain)
