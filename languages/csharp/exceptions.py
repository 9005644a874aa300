"""The .NET exception hierarchy by short name, so a rule on ``ArgumentException`` also sees
``ArgumentNullException`` and a rule on ``IOException`` sees ``FileNotFoundException``."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from homeostasis.plugins.hierarchy import lineage

PARENT: Mapping[str, str] = MappingProxyType(
    {
        "SystemException": "Exception",
        "ApplicationException": "Exception",
        "NullReferenceException": "SystemException",
        "IndexOutOfRangeException": "SystemException",
        "InvalidCastException": "SystemException",
        "InvalidOperationException": "SystemException",
        "ObjectDisposedException": "InvalidOperationException",
        "NotSupportedException": "SystemException",
        "PlatformNotSupportedException": "NotSupportedException",
        "NotImplementedException": "SystemException",
        "ArgumentException": "SystemException",
        "ArgumentNullException": "ArgumentException",
        "ArgumentOutOfRangeException": "ArgumentException",
        "DuplicateWaitObjectException": "ArgumentException",
        "FormatException": "SystemException",
        "UriFormatException": "FormatException",
        "ArithmeticException": "SystemException",
        "DivideByZeroException": "ArithmeticException",
        "OverflowException": "ArithmeticException",
        "NotFiniteNumberException": "ArithmeticException",
        "KeyNotFoundException": "SystemException",
        "RankException": "SystemException",
        "ArrayTypeMismatchException": "SystemException",
        "StackOverflowException": "SystemException",
        "OutOfMemoryException": "SystemException",
        "InsufficientMemoryException": "OutOfMemoryException",
        "AccessViolationException": "SystemException",
        "TimeoutException": "SystemException",
        "UnauthorizedAccessException": "SystemException",
        "TypeInitializationException": "SystemException",
        "TypeLoadException": "SystemException",
        "EntryPointNotFoundException": "TypeLoadException",
        "DllNotFoundException": "TypeLoadException",
        "MissingMemberException": "MemberAccessException",
        "MissingMethodException": "MissingMemberException",
        "MissingFieldException": "MissingMemberException",
        "MemberAccessException": "SystemException",
        "FieldAccessException": "MemberAccessException",
        "MethodAccessException": "MemberAccessException",
        "TargetInvocationException": "ApplicationException",
        "AggregateException": "Exception",
        "OperationCanceledException": "SystemException",
        "TaskCanceledException": "OperationCanceledException",
        "IOException": "SystemException",
        "FileNotFoundException": "IOException",
        "DirectoryNotFoundException": "IOException",
        "PathTooLongException": "IOException",
        "EndOfStreamException": "IOException",
        "DriveNotFoundException": "IOException",
        "FileLoadException": "IOException",
        "BadImageFormatException": "SystemException",
        "HttpRequestException": "Exception",
        "SocketException": "ExternalException",
        "ExternalException": "SystemException",
        "Win32Exception": "ExternalException",
        "COMException": "ExternalException",
        "SEHException": "ExternalException",
        "DbException": "ExternalException",
        "SqlException": "DbException",
        "JsonException": "Exception",
        "JsonReaderException": "JsonException",
        "JsonSerializationException": "JsonException",
        "XmlException": "SystemException",
        "SerializationException": "SystemException",
        "SecurityException": "SystemException",
        "CryptographicException": "SystemException",
        "DbUpdateException": "Exception",
        "DbUpdateConcurrencyException": "DbUpdateException",
        "HttpUnhandledException": "HttpException",
        "HttpException": "ExternalException",
    }
)


def short_name(error_type: str) -> str:
    """``System.Collections.Generic.KeyNotFoundException`` -> ``KeyNotFoundException``."""
    return error_type.rsplit(".", 1)[-1].rsplit("+", 1)[-1]


def ancestors(error_type: str) -> tuple[str, ...]:
    """The type (short name) and its known base classes, most specific first."""
    return tuple(lineage(short_name(error_type), PARENT))
