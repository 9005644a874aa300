"""What a program printed when it failed, parsed into values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class ChainRelation(StrEnum):
    """How a chained exception relates to the one printed after it."""

    CAUSE = "cause"  # Python "direct cause", Java "Caused by:", .NET inner exception
    CONTEXT = "context"  # Python "During handling of the above exception"
    SUPPRESSED = "suppressed"
    GROUP_MEMBER = "group"  # one of the exceptions inside an ExceptionGroup


class Origin(StrEnum):
    PASTE = "paste"
    FILE = "file"
    TEST_RUN = "test-run"
    LOG = "log"


@dataclass(frozen=True, slots=True)
class Frame:
    """One stack frame. ``line`` is 1-based as printed; ``column`` 0-based when known.

    Columns count in ``source`` (stripped) when the source line was printed, else in
    the file's line itself.
    """

    file: str
    line: int | None
    function: str | None = None
    source: str | None = None
    column: int | None = None
    end_column: int | None = None
    # Filled by frame resolution: the workspace file this frame maps to, if any.
    resolved: str | None = None
    in_project: bool = False

    def with_resolution(self, resolved: str | None, in_project: bool) -> Frame:
        return replace(self, resolved=resolved, in_project=in_project)


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    """One exception (or panic) with its stack, outermost frame first.

    ``chain`` holds the exceptions printed before this one that lead to it, in
    printed order (the root cause first for Python and after for Java is
    normalised by readers: chain[0] is always the deepest cause).
    """

    language: str
    error_type: str
    message: str
    frames: tuple[Frame, ...] = ()
    chain: tuple[ChainedError, ...] = ()
    origin: Origin = Origin.PASTE
    # 0-based line range of the event inside the text it was read from.
    text_start: int = 0
    text_end: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def innermost(self) -> Frame | None:
        return self.frames[-1] if self.frames else None

    @property
    def innermost_in_project(self) -> Frame | None:
        for frame in reversed(self.frames):
            if frame.in_project:
                return frame
        return None

    @property
    def short_type(self) -> str:
        return self.error_type.rsplit(".", 1)[-1]

    def root_cause(self) -> ChainedError | None:
        return self.chain[0] if self.chain else None


@dataclass(frozen=True, slots=True)
class ChainedError:
    error_type: str
    message: str
    relation: ChainRelation
    frames: tuple[Frame, ...] = ()

    @property
    def short_type(self) -> str:
        return self.error_type.rsplit(".", 1)[-1]
