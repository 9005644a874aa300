"""Which JVM frames are library code, and whether a trace is Kotlin's or Java's."""

from __future__ import annotations

from collections.abc import Iterable

from homeostasis.model import Frame

# Package folders (as derived from class names) that never hold the project's code:
# the JDK, the Kotlin and Android runtimes, test runners and the frameworks that call
# into an application. Compared as path prefixes, never as substrings, so a project
# package such as ``com/acme/java/`` is not mistaken for the JDK.
LIBRARY_PREFIXES: tuple[str, ...] = (
    "java/",
    "javax/",
    "jakarta/",
    "jdk/",
    "sun/",
    "com/sun/",
    "kotlin/",
    "kotlinx/",
    "_COROUTINE/",
    "android/",
    "androidx/",
    "com/android/",
    "com/google/android/",
    "dalvik/",
    "libcore/",
    "org/junit/",
    "junit/",
    "org/testng/",
    "org/opentest4j/",
    "org/assertj/",
    "org/mockito/",
    "org/hamcrest/",
    "io/kotest/",
    "org/springframework/",
    "org/apache/catalina/",
    "org/apache/tomcat/",
    "org/apache/coyote/",
    "org/apache/maven/",
    "org/apache/logging/",
    "org/apache/commons/",
    "org/gradle/",
    "worker/org/gradle/",
    "org/eclipse/jetty/",
    "io/netty/",
    "io/undertow/",
    "reactor/",
    "io/reactivex/",
    "rx/",
    "okhttp3/",
    "okio/",
    "retrofit2/",
    "io/ktor/",
    "org/koin/",
    "com/google/common/",
    "com/google/gson/",
    "com/google/protobuf/",
    "com/fasterxml/jackson/",
    "org/hibernate/",
    "org/slf4j/",
    "ch/qos/logback/",
    "net/bytebuddy/",
    "org/aspectj/",
    "com/intellij/rt/",
    "scala/",
    "groovy/",
    "org/codehaus/groovy/",
)

KOTLIN_SUFFIXES = (".kt", ".kts")


def is_library_path(path: str) -> bool:
    """Whether a frame path is the JVM's, a framework's, or has no file at all.

    Paths inside a source tree (``src/``) are the project's even when they start with a
    library-looking folder (``android/app/src/main/java/...`` in React Native layouts).
    """
    normalized = path.replace("\\", "/").lstrip("/")
    if normalized.startswith("<"):
        return True  # <native>, <unknown>: nothing to open
    if normalized.startswith("src/") or "/src/" in normalized:
        return False
    return normalized.startswith(LIBRARY_PREFIXES)


def language_of(frame_lists: Iterable[tuple[Frame, ...]], error_type: str) -> str:
    """``kotlin`` or ``java``: the file of the innermost non-library frame decides.

    ``frame_lists`` come root cause first, each outermost frame first. Without any
    application frame, a Kotlin exception type decides.
    """
    for frames in frame_lists:
        for frame in reversed(frames):
            if is_library_path(frame.file):
                continue
            return "kotlin" if frame.file.endswith(KOTLIN_SUFFIXES) else "java"
    return "kotlin" if error_type.startswith(("kotlin.", "kotlinx.")) else "java"
