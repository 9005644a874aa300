"""Hover: a rule's explanation and fix options on its diagnostic; for runtime
diagnostics also the error, its frames and when it was seen. Hovering a
suppression comment explains the rules it names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from homeostasis.lsp.actions import title
from homeostasis.lsp.folders import path_to_uri
from homeostasis.lsp.runtime import UNEXPLAINED, RuntimeEntry, first_line
from homeostasis.model import Finding, Fix, Pos, Rule
from lsprotocol import types

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

_IGNORE = re.compile(r"homeostasis:\s*ignore\[(?P<ids>[^\]]*)\]")


def rule_markdown(rule: Rule, level: str = "###") -> str:
    docs = rule.docs
    parts = [f"{level} `{rule.id}`", docs.summary or rule.message]
    if docs.why:
        parts.append(f"**Why:** {docs.why}")
    if docs.example:
        parts.append(f"**Example:**\n\n```{rule.language}\n{docs.example}\n```")
    if rule.fixes:
        options = "\n".join(f"- {spec.title} ({spec.applicability.value})" for spec in rule.fixes)
        parts.append(f"**Fixes:**\n\n{options}")
    if docs.references:
        parts.append("**References:** " + ", ".join(f"<{url}>" for url in docs.references))
    return "\n\n".join(parts)


def _fixes_markdown(fixes: tuple[Fix, ...]) -> str:
    if not fixes:
        return "_No fix is offered here._"
    lines = [f"- {title(fix)} — confidence {fix.confidence:.2f}" for fix in fixes]
    return "**Fix options:**\n\n" + "\n".join(lines)


def _pattern_hover(server: HomeostasisServer, finding: Finding, fixes: tuple[Fix, ...]) -> str:
    rule = server.ws.find_rule(finding.rule_id)
    head = f"**{finding.message}**"
    body = rule_markdown(rule) if rule is not None else f"`{finding.rule_id}`"
    return "\n\n".join([head, body, _fixes_markdown(fixes)])


def _runtime_hover(server: HomeostasisServer, entry: RuntimeEntry, fixes: tuple[Fix, ...]) -> str:
    event = entry.event
    finding = entry.finding
    parts = [f"**{event.error_type}**: {first_line(event.message) or '(no message)'}"]
    if finding.rule_id != UNEXPLAINED:
        parts.append(finding.message)
    seen = entry.seen_at.isoformat(timespec="seconds")
    parts.append(
        f"Seen {seen} in {entry.label} (source `{entry.source}`)."
        + (" **Stale:** the line changed since." if entry.stale else "")
    )
    for chained in event.chain:
        parts.append(f"_{chained.relation.value}:_ {chained.error_type}: {first_line(chained.message)}")
    frames: list[str] = []
    for frame in event.frames:
        target = frame.resolved or frame.file
        path = Path(target)
        absolute = path if path.is_absolute() else entry.root / path
        label = f"{target}:{frame.line}" + (f" in `{frame.function}`" if frame.function else "")
        link = (
            f"[{label}]({path_to_uri(absolute)}#L{frame.line})"
            if (frame.resolved or path.is_absolute())
            else label
        )
        marker = "**→** " if frame.in_project else ""
        frames.append(
            f"{len(frames) + 1}. {marker}{link}"
            + (f"  \n   `{frame.source.strip()}`" if frame.source else "")
        )
    if frames:
        parts.append("**Stack** (most recent call last):\n\n" + "\n".join(frames))
    rule = server.ws.find_rule(finding.rule_id)
    if rule is not None:
        parts.append(rule_markdown(rule, "####"))
    parts.append(_fixes_markdown(fixes))
    return "\n\n".join(parts)


async def hover(server: HomeostasisServer, params: types.HoverParams) -> types.Hover | None:
    document = server.documents.get(params.text_document.uri)
    if document is None or params.position.line < 0 or params.position.line >= document.line_count:
        return None
    await server.analyzer.settled(document, timeout=2.0)
    pos = document.from_client(params.position.line, params.position.character, server.encoding)
    sections: list[str] = []
    for finding in document.patterns:
        if finding.span.start <= pos <= finding.span.end:
            sections.append(_pattern_hover(server, finding, server.fixes.for_pattern(document, finding)))
    for entry in server.runtime.for_uri(document.uri):
        if entry.finding.span.start <= pos <= entry.finding.span.end or (
            entry.finding.span.start.line <= pos.line <= entry.finding.span.end.line
            and entry.finding.span.start == entry.finding.span.end
        ):
            sections.append(_runtime_hover(server, entry, await server.fixes.for_runtime(entry)))
    if not sections:
        sections.extend(_suppression_hover(server, document.line(pos.line), pos))
    if not sections:
        return None
    text = "\n\n---\n\n".join(sections)
    kind = types.MarkupKind.Markdown if server.features.markdown_hover else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text))


def _suppression_hover(server: HomeostasisServer, line: str, pos: Pos) -> list[str]:
    out = []
    for match in _IGNORE.finditer(line):
        if not match.start() <= pos.col <= match.end():
            continue
        for rule_id in (i.strip() for i in match.group("ids").split(",") if i.strip()):
            rule = server.ws.find_rule(rule_id)
            out.append(
                rule_markdown(rule)
                if rule is not None
                else f"`{rule_id}`: no such rule (this id silences nothing)"
            )
    return out
