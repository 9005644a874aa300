"""Error output in, runtime diagnostics out: the one path the ingest command, error
files and test runs share."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeostasis.lsp.folders import Folder
from homeostasis.lsp.runtime import RuntimeEntry, normalized, unexplained
from homeostasis.model import Diagnosis, Origin

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

MAX_TEXT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class IngestResult:
    errors: int  # error events read
    diagnostics: int  # runtime diagnostics now shown for them
    problems: tuple[str, ...]  # why some errors gave no diagnostic

    def as_json(self) -> dict[str, Any]:
        return {"errors": self.errors, "diagnostics": self.diagnostics, "problems": list(self.problems)}


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\0" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) // 10


def _score(diagnosis: Diagnosis) -> int:
    if any(f.located for f in diagnosis.findings):
        return 2
    return 1 if diagnosis.event.innermost_in_project is not None else 0


async def ingest(
    server: HomeostasisServer,
    text: str,
    source: str,
    origin: Origin | None = None,
    folders: list[Folder] | None = None,
) -> IngestResult:
    """Read ``text``, diagnose every error in it and show the results, replacing ``source``'s."""
    if len(text) > MAX_TEXT:
        raise ValueError(f"error output larger than {MAX_TEXT // (1024 * 1024)} MB; pass the relevant part")
    candidates = folders or list(server.ws.folders.values()) or [server.ws.folder_for(None)]
    views = [await server.ws.folder_view(folder) for folder in candidates]
    events = await asyncio.to_thread(views[0].engine.read_errors, text)
    if origin is not None:
        events = [replace(e, origin=origin) for e in events]
    seen_at = datetime.now().astimezone()
    per_folder = []
    for view in views:
        sources = server.sources(view.folder.root, view.settings.max_file_bytes)
        diagnoses = await asyncio.to_thread(view.engine.diagnose, events, sources, with_fixes=False)
        per_folder.append((view, sources, diagnoses))
    entries: list[RuntimeEntry] = []
    problems: list[str] = []
    for index in range(len(events)):
        view, sources, diagnoses = max(per_folder, key=lambda item: _score(item[2][index]))
        diagnosis = diagnoses[index]
        findings = [f for f in diagnosis.findings if f.located]
        if not findings:
            fallback = unexplained(diagnosis, sources.get)
            findings = [fallback] if fallback is not None else []
        if not findings:
            problems.extend(
                diagnosis.problems or (f"{diagnosis.event.error_type}: not located in the workspace",)
            )
        for finding in findings:
            document = sources.get(finding.path)
            line = document.line(finding.span.start.line) if document is not None else ""
            entries.append(
                RuntimeEntry(
                    key=server.runtime.next_key(),
                    source=source,
                    seen_at=seen_at,
                    event=diagnosis.event,
                    finding=finding,
                    uri=server.uri_for(finding.path, view.folder.root),
                    root=view.folder.root,
                    expected=normalized(line),
                    seen_span=finding.span,
                    seen_indent=len(line) - len(line.lstrip()),
                )
            )
    touched = server.runtime.replace_source(source, entries)
    server.fixes.forget_runtime()
    for uri in touched:
        opened = server.documents.get(uri)
        if opened is not None:
            server.follow.opened(opened)  # it may have been edited while we worked
    server.publish_runtime(touched)
    if entries:
        server.spawn(server.fixes.prefetch_runtime(entries), "runtime fix prefetch")
    summary = f"{len(events)} error(s) read from {source}, {len(entries)} shown"
    server.log_client(summary + "".join(f"\n  - {p}" for p in problems))
    return IngestResult(len(events), len(entries), tuple(problems))


def read_error_file(path: Path) -> str | None:
    """An error file's text, or None when it is not text (or too large to be one)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TEXT + 1)
    except OSError:
        return None
    if len(data) > MAX_TEXT or looks_binary(data):
        return None
    return data.decode("utf-8", errors="replace")
