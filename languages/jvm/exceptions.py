"""The JVM throwable hierarchy (JDK, Kotlin stdlib, coroutines, Android) by short name.

A rule on ``IndexOutOfBoundsException`` also sees ``ArrayIndexOutOfBoundsException``;
a rule on ``RuntimeException`` sees every unchecked exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from homeostasis.plugins.hierarchy import lineage

# child -> parent, short names. Nested classes are keyed by the part after the last ``$``.
PARENT: Mapping[str, str] = MappingProxyType(
    {
        "Exception": "Throwable",
        "Error": "Throwable",
        "RuntimeException": "Exception",
        # java.lang, unchecked
        "NullPointerException": "RuntimeException",
        "ArithmeticException": "RuntimeException",
        "ClassCastException": "RuntimeException",
        "ArrayStoreException": "RuntimeException",
        "NegativeArraySizeException": "RuntimeException",
        "IllegalArgumentException": "RuntimeException",
        "NumberFormatException": "IllegalArgumentException",
        "PatternSyntaxException": "IllegalArgumentException",
        "IllegalFormatException": "IllegalArgumentException",
        "UnknownFormatConversionException": "IllegalFormatException",
        "MissingFormatArgumentException": "IllegalFormatException",
        "IllegalFormatConversionException": "IllegalFormatException",
        "InvalidPathException": "IllegalArgumentException",
        "IllegalStateException": "RuntimeException",
        "IllegalMonitorStateException": "RuntimeException",
        "IllegalThreadStateException": "IllegalArgumentException",
        "IndexOutOfBoundsException": "RuntimeException",
        "ArrayIndexOutOfBoundsException": "IndexOutOfBoundsException",
        "StringIndexOutOfBoundsException": "IndexOutOfBoundsException",
        "UnsupportedOperationException": "RuntimeException",
        "ReadOnlyBufferException": "UnsupportedOperationException",
        "SecurityException": "RuntimeException",
        "TypeNotPresentException": "RuntimeException",
        "EnumConstantNotPresentException": "RuntimeException",
        # java.util and friends, unchecked
        "ConcurrentModificationException": "RuntimeException",
        "NoSuchElementException": "RuntimeException",
        "InputMismatchException": "NoSuchElementException",
        "EmptyStackException": "RuntimeException",
        "MissingResourceException": "RuntimeException",
        "DateTimeException": "RuntimeException",
        "DateTimeParseException": "DateTimeException",
        "UnsupportedTemporalTypeException": "DateTimeException",
        "UncheckedIOException": "RuntimeException",
        "CompletionException": "RuntimeException",
        "RejectedExecutionException": "RuntimeException",
        "CancellationException": "IllegalStateException",
        "BufferOverflowException": "RuntimeException",
        "BufferUnderflowException": "RuntimeException",
        "JSONException": "RuntimeException",
        "UndeclaredThrowableException": "RuntimeException",
        # checked
        "ReflectiveOperationException": "Exception",
        "ClassNotFoundException": "ReflectiveOperationException",
        "NoSuchMethodException": "ReflectiveOperationException",
        "NoSuchFieldException": "ReflectiveOperationException",
        "InstantiationException": "ReflectiveOperationException",
        "IllegalAccessException": "ReflectiveOperationException",
        "InvocationTargetException": "ReflectiveOperationException",
        "IOException": "Exception",
        "FileNotFoundException": "IOException",
        "EOFException": "IOException",
        "InterruptedIOException": "IOException",
        "SocketTimeoutException": "InterruptedIOException",
        "SocketException": "IOException",
        "ConnectException": "SocketException",
        "BindException": "SocketException",
        "UnknownHostException": "IOException",
        "MalformedURLException": "IOException",
        "UnsupportedEncodingException": "IOException",
        "CharacterCodingException": "IOException",
        "MalformedInputException": "CharacterCodingException",
        "FileSystemException": "IOException",
        "NoSuchFileException": "FileSystemException",
        "AccessDeniedException": "FileSystemException",
        "FileAlreadyExistsException": "FileSystemException",
        "DirectoryNotEmptyException": "FileSystemException",
        "NotDirectoryException": "FileSystemException",
        "InterruptedException": "Exception",
        "CloneNotSupportedException": "Exception",
        "TimeoutException": "Exception",
        "ExecutionException": "Exception",
        "ParseException": "Exception",
        "URISyntaxException": "Exception",
        "GeneralSecurityException": "Exception",
        "SQLException": "Exception",
        "SQLNonTransientException": "SQLException",
        "SQLIntegrityConstraintViolationException": "SQLNonTransientException",
        "SQLSyntaxErrorException": "SQLNonTransientException",
        "SQLTransientException": "SQLException",
        "SQLTimeoutException": "SQLTransientException",
        # errors
        "VirtualMachineError": "Error",
        "StackOverflowError": "VirtualMachineError",
        "OutOfMemoryError": "VirtualMachineError",
        "InternalError": "VirtualMachineError",
        "LinkageError": "Error",
        "NoClassDefFoundError": "LinkageError",
        "ExceptionInInitializerError": "LinkageError",
        "UnsatisfiedLinkError": "LinkageError",
        "ClassFormatError": "LinkageError",
        "UnsupportedClassVersionError": "ClassFormatError",
        "IncompatibleClassChangeError": "LinkageError",
        "NoSuchMethodError": "IncompatibleClassChangeError",
        "NoSuchFieldError": "IncompatibleClassChangeError",
        "AbstractMethodError": "IncompatibleClassChangeError",
        "AssertionError": "Error",
        "AssertionFailedError": "AssertionError",
        "ComparisonFailure": "AssertionError",
        "ThreadDeath": "Error",
        # Kotlin stdlib and coroutines
        "UninitializedPropertyAccessException": "RuntimeException",
        "KotlinNullPointerException": "NullPointerException",
        "TypeCastException": "ClassCastException",
        "NotImplementedError": "Error",
        "NoWhenBranchMatchedException": "RuntimeException",
        "IllegalCallableAccessException": "Exception",
        "JobCancellationException": "CancellationException",
        "TimeoutCancellationException": "CancellationException",
        "ClosedSendChannelException": "IllegalStateException",
        "ClosedReceiveChannelException": "NoSuchElementException",
        "SerializationException": "IllegalArgumentException",
        "MissingFieldException": "SerializationException",
        "JsonDecodingException": "SerializationException",
        # Android
        "NetworkOnMainThreadException": "RuntimeException",
        "ActivityNotFoundException": "RuntimeException",
        "CalledFromWrongThreadException": "RuntimeException",
        "NotFoundException": "RuntimeException",
        "BadTokenException": "RuntimeException",
        "SQLiteException": "RuntimeException",
        "SQLiteConstraintException": "SQLiteException",
        "RemoteException": "Exception",
        "DeadObjectException": "RemoteException",
    }
)


def short_name(error_type: str) -> str:
    """``android.view.ViewRootImpl$CalledFromWrongThreadException`` -> ``CalledFromWrongThreadException``."""
    return error_type.rsplit(".", 1)[-1].rsplit("$", 1)[-1]


def ancestors(error_type: str) -> tuple[str, ...]:
    """The type (short name) and its known superclasses, most specific first."""
    return tuple(lineage(short_name(error_type), PARENT))
