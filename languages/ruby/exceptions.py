"""Ruby's exception hierarchy (core, stdlib and the Rails classes rules talk about), so a rule
on ``StandardError`` or ``NameError`` also sees ``NoMethodError``.

Names are matched without their namespace (``ActiveRecord::RecordNotFound`` ->
``RecordNotFound``), the way the engine compares short type names.
"""

from __future__ import annotations

# child -> parent, short names.
_PARENT: dict[str, str] = {
    "NoMemoryError": "Exception",
    "ScriptError": "Exception",
    "LoadError": "ScriptError",
    "NotImplementedError": "ScriptError",
    "SyntaxError": "ScriptError",
    "SecurityError": "Exception",
    "SignalException": "Exception",
    "Interrupt": "SignalException",
    "SystemExit": "Exception",
    "SystemStackError": "Exception",
    "StandardError": "Exception",
    "ArgumentError": "StandardError",
    "UncaughtThrowError": "ArgumentError",
    "EncodingError": "StandardError",
    "CompatibilityError": "EncodingError",
    "UndefinedConversionError": "EncodingError",
    "InvalidByteSequenceError": "EncodingError",
    "FiberError": "StandardError",
    "IOError": "StandardError",
    "EOFError": "IOError",
    "IndexError": "StandardError",
    "KeyError": "IndexError",
    "StopIteration": "IndexError",
    "ClosedQueueError": "StopIteration",
    "LocalJumpError": "StandardError",
    "NameError": "StandardError",
    "NoMethodError": "NameError",
    "RangeError": "StandardError",
    "FloatDomainError": "RangeError",
    "RegexpError": "StandardError",
    "RuntimeError": "StandardError",
    "FrozenError": "RuntimeError",
    "SystemCallError": "StandardError",
    "ThreadError": "StandardError",
    "TypeError": "StandardError",
    "ZeroDivisionError": "StandardError",
    # Errno::* (printed as Errno::ENOENT)
    "ENOENT": "SystemCallError",
    "EACCES": "SystemCallError",
    "ECONNREFUSED": "SystemCallError",
    "ECONNRESET": "SystemCallError",
    "EEXIST": "SystemCallError",
    "EISDIR": "SystemCallError",
    "ENOTDIR": "SystemCallError",
    "EPIPE": "SystemCallError",
    "ETIMEDOUT": "SystemCallError",
    # stdlib
    "ParserError": "StandardError",  # JSON::ParserError (a JSON::JSONError)
    "JSONError": "StandardError",
    "NestingError": "ParserError",
    "ResolvError": "StandardError",
    "OpenTimeout": "Timeout",
    "ReadTimeout": "Timeout",
    "Timeout": "StandardError",
    "Error": "StandardError",  # Timeout::Error, Net::HTTP errors, Psych::Exception...
    "BadURIError": "InvalidURIError",
    "InvalidURIError": "StandardError",
    "MissingSourceFile": "LoadError",
    "GemNotFound": "StandardError",  # Bundler::GemNotFound
    "GemfileNotFound": "StandardError",
    # Rails
    "ActiveRecordError": "StandardError",
    "RecordNotFound": "ActiveRecordError",
    "RecordInvalid": "ActiveRecordError",
    "RecordNotSaved": "ActiveRecordError",
    "RecordNotUnique": "StatementInvalid",
    "StatementInvalid": "ActiveRecordError",
    "NoDatabaseError": "StatementInvalid",
    "ConnectionNotEstablished": "ActiveRecordError",
    "PendingMigrationError": "ActiveRecordError",
    "UnknownAttributeError": "NoMethodError",
    "StaleObjectError": "ActiveRecordError",
    "ParameterMissing": "KeyError",  # ActionController::ParameterMissing
    "UnpermittedParameters": "IndexError",
    "RoutingError": "StandardError",
    "UnknownFormat": "StandardError",
    "InvalidAuthenticityToken": "StandardError",
    "MissingTemplate": "StandardError",
    "ExpectationNotMetError": "Exception",  # RSpec::Expectations (not a StandardError)
    "Assertion": "Exception",  # Minitest::Assertion
}

# Errno classes all derive from SystemCallError; any E... name under Errno:: does.
_ERRNO_PREFIX = "Errno::"


def ancestors(error_type: str) -> tuple[str, ...]:
    """``error_type`` and its bases, most specific first: short names, with the qualified
    name as printed (``ActiveRecord::RecordNotFound``) first so a rule may name either."""
    name = error_type.rsplit("::", 1)[-1].rsplit(".", 1)[-1]
    chain = [name]
    seen = {name}
    if error_type.startswith(_ERRNO_PREFIX) and name not in _PARENT:
        chain.append("SystemCallError")
        seen.add("SystemCallError")
    while (parent := _PARENT.get(chain[-1])) is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
    if chain[-1] not in ("Exception", "StandardError"):
        # A custom `class NotFound < StandardError`: its base is not printed; StandardError is
        # what `raise` subclasses almost always derive from.
        chain.extend(("StandardError", "Exception"))
    elif chain[-1] == "StandardError":
        chain.append("Exception")
    if "::" in error_type:
        chain.insert(0, error_type)
    return tuple(chain)
