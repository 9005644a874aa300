"""Mapping printed frame paths to workspace files, and finding the project's frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePosixPath, PureWindowsPath

from homeostasis.model import ChainedError, ErrorEvent, Frame
from homeostasis.plugins.language import Language, Sources


def candidate_paths(printed: str, remaps: Sequence[tuple[str, str]]) -> list[str]:
    """Workspace paths a printed frame path may mean, most likely first.

    Remaps come first (a container's ``/app`` is the workspace root), then the path
    as printed, then ever shorter suffixes, which is how a traceback from CI or a
    colleague's machine still lands on the right file.
    """
    out: list[str] = []
    normalized = printed.replace("\\", "/")
    for prefix, target in remaps:
        prefix_n = prefix.replace("\\", "/").rstrip("/")
        if normalized == prefix_n or normalized.startswith(prefix_n + "/"):
            rest = normalized[len(prefix_n) :].lstrip("/")
            base = target.replace("\\", "/").rstrip("/")
            out.append(f"{base}/{rest}" if base not in ("", ".") else rest)
    out.append(normalized)
    parts = _parts(printed)
    out.extend("/".join(parts[i:]) for i in range(len(parts)))
    seen: set[str] = set()
    return [p for p in out if p and not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


def _parts(printed: str) -> list[str]:
    if (len(printed) > 2 and printed[1] == ":") or "\\" in printed:
        parts = list(PureWindowsPath(printed).parts)
        if parts and (parts[0].endswith(":\\") or parts[0].startswith("\\\\")):
            parts = parts[1:]
    else:
        parts = [p for p in PurePosixPath(printed).parts if p != "/"]
    return [p for p in parts if p not in (".", "")]


def resolve_frame(
    frame: Frame, language: Language, sources: Sources, remaps: Sequence[tuple[str, str]]
) -> Frame:
    if language.is_library_path(frame.file):
        return frame.with_resolution(None, False)
    for candidate in candidate_paths(frame.file, remaps):
        document = sources.get(candidate)
        if document is not None:
            in_project = not language.is_library_path(document.path)
            return frame.with_resolution(document.path, in_project)
    # A path printed relative to a source root (Java's com/acme/Main.java under
    # src/main/java/) is found by its tail, when the sources can search.
    finder = getattr(sources, "find_by_suffix", None)
    printed = frame.file.replace("\\", "/").removeprefix("./")
    if finder is not None and printed and not printed.startswith(("/", "<")) and ":" not in printed:
        document = finder(printed)
        if document is not None:
            return frame.with_resolution(document.path, not language.is_library_path(document.path))
    return frame.with_resolution(None, False)


def resolve_event(
    event: ErrorEvent, language: Language, sources: Sources, remaps: Sequence[tuple[str, str]]
) -> ErrorEvent:
    """The event with every frame (chained ones too) resolved against the workspace."""
    cache: dict[str, Frame] = {}

    def resolve(frame: Frame) -> Frame:
        key = frame.file
        if key not in cache:
            cache[key] = resolve_frame(frame, language, sources, remaps)
        hit = cache[key]
        return frame.with_resolution(hit.resolved, hit.in_project)

    chain = tuple(
        ChainedError(c.error_type, c.message, c.relation, tuple(resolve(f) for f in c.frames))
        for c in event.chain
    )
    return replace(event, frames=tuple(resolve(f) for f in event.frames), chain=chain)
