"""Code actions: a quick fix per candidate fix, "ignore on this line", rule docs, fix-all.

Actions are found from the server's own findings for the document's current
version (never from ``Diagnostic.data``, which some clients drop). When the
client can resolve actions, edits are built only in ``codeAction/resolve``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from homeostasis.fixes.edits import file_hash, merge_fixes
from homeostasis.lsp.diagnostics import pattern_diagnostic, runtime_diagnostic
from homeostasis.lsp.documents import OpenDocument
from homeostasis.lsp.edits import EditRefused, workspace_edit
from homeostasis.lsp.runtime import UNEXPLAINED, RuntimeEntry
from homeostasis.model import Applicability, Finding, Fix, Pos, Span
from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcException

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

FIX_ALL = "source.fixAll.homeostasis"
SHOW_DOCS = "homeostasis.showDocumentation"
_IGNORE = re.compile(r"homeostasis:\s*ignore\[(?P<ids>[^\]]*)\]")
_LABEL = {
    Applicability.SAFE: "",
    Applicability.UNSAFE: " (unsafe)",
    Applicability.SUGGESTION: " (suggestion)",
}


def _touching(a: Span, b: Span) -> bool:
    return a.start <= b.end and b.start <= a.end


def _wants(only: list[str] | None, kind: str) -> bool:
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def title(fix: Fix) -> str:
    return fix.title + _LABEL[fix.applicability]


def _ordered(fixes: tuple[Fix, ...]) -> list[tuple[int, Fix]]:
    return sorted(enumerate(fixes), key=lambda item: (item[1].applicability.rank, -item[1].confidence))


async def code_actions(server: HomeostasisServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    document = server.documents.get(params.text_document.uri)
    if document is None or not await server.analyzer.settled(document, timeout=5.0):
        return []
    start = document.from_client(params.range.start.line, params.range.start.character, server.encoding)
    end = document.from_client(params.range.end.line, params.range.end.character, server.encoding)
    wanted = Span(min(start, end), max(start, end))
    only = [str(k) for k in params.context.only] if params.context.only else None
    codes = {
        (str(d.code), d.range.start.line) for d in params.context.diagnostics if d.source == "homeostasis"
    }
    actions: list[types.CodeAction] = []
    if _wants(only, types.CodeActionKind.QuickFix):
        for finding in document.patterns:
            if _touching(finding.span, wanted) or (finding.rule_id, finding.span.start.line) in codes:
                actions.extend(_pattern_actions(server, document, finding))
        for entry in server.runtime.for_uri(document.uri):
            if (
                _touching(entry.finding.span, wanted)
                or (entry.finding.rule_id, entry.finding.span.start.line) in codes
            ):
                actions.extend(await _runtime_actions(server, document, entry))
    explicit = only is not None and _wants(only, FIX_ALL)
    # Offered in the light bulb only when resolving makes it free; computing every fix of a
    # large file up front would make every light-bulb request slow.
    fixable = document.patterns or server.runtime.for_uri(document.uri)
    if fixable and (explicit or (only is None and actions and server.features.resolve_edit)):
        safe_only = " (including unsafe)" if _unsafe_ok(server, document) else " (safe fixes)"
        action = types.CodeAction(
            title="Fix all homeostasis findings in this file" + safe_only,
            kind=FIX_ALL,
            data={"fixAll": True, "uri": document.uri, "version": document.version},
        )
        if not server.features.resolve_edit:
            action.edit = await fix_all_edit(server, document)
        actions.append(action)
    return actions


def _pattern_actions(
    server: HomeostasisServer, document: OpenDocument, finding: Finding
) -> list[types.CodeAction]:
    diagnostic = pattern_diagnostic(finding, document, server.context(), document.version)
    out: list[types.CodeAction] = []
    fixes = server.fixes.for_pattern(document, finding)
    preferred = True
    for index, fix in _ordered(fixes):
        data = {
            "kind": "pattern",
            "uri": document.uri,
            "version": document.version,
            "rule": finding.rule_id,
            "span": [
                finding.span.start.line,
                finding.span.start.col,
                finding.span.end.line,
                finding.span.end.col,
            ],
            "index": index,
        }
        is_safe = fix.applicability is Applicability.SAFE
        action = types.CodeAction(
            title=title(fix),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=True if is_safe and preferred else None,
            data=data,
        )
        preferred = preferred and not is_safe
        if not server.features.resolve_edit:
            action.edit = _edit_or_none(server, fix, document)
            if action.edit is None:
                continue
        out.append(action)
    ignore = _ignore_edit(server, document, finding)
    if ignore is not None:
        out.append(
            types.CodeAction(
                title=f"Ignore {finding.rule_id} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=ignore,
            )
        )
    out.append(_docs_action(finding.rule_id, diagnostic))
    return out


async def _runtime_actions(
    server: HomeostasisServer, document: OpenDocument, entry: RuntimeEntry
) -> list[types.CodeAction]:
    diagnostic = runtime_diagnostic(entry, document, server.context())
    out: list[types.CodeAction] = []
    fixes = await server.fixes.for_runtime(entry)
    preferred = True
    for index, fix in _ordered(fixes):
        is_safe = fix.applicability is Applicability.SAFE
        action = types.CodeAction(
            title=title(fix),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            is_preferred=True if is_safe and preferred else None,
            data={"kind": "runtime", "key": entry.key, "index": index, "uri": document.uri},
        )
        preferred = preferred and not is_safe
        if not server.features.resolve_edit:
            action.edit = _edit_or_none(server, fix, document, entry)
            if action.edit is None:
                continue
        out.append(action)
    if entry.finding.rule_id != UNEXPLAINED:
        out.append(_docs_action(entry.finding.rule_id, diagnostic))
    return out


def _docs_action(rule_id: str, diagnostic: types.Diagnostic) -> types.CodeAction:
    return types.CodeAction(
        title=f"Show documentation for {rule_id}",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        command=types.Command(
            title=f"Show documentation for {rule_id}", command=SHOW_DOCS, arguments=[rule_id]
        ),
    )


def _edit_or_none(
    server: HomeostasisServer, fix: Fix, document: OpenDocument, entry: RuntimeEntry | None = None
) -> types.WorkspaceEdit | None:
    try:
        return workspace_edit(server, fix.files, entry.root if entry is not None else document.root)
    except EditRefused as exc:
        server.log_client(f"fix '{fix.title}' not offered: {exc}")
        return None


def _unsafe_ok(server: HomeostasisServer, document: OpenDocument) -> bool:
    view = server.ws.ready_view(document.path)
    return view is not None and view.settings.unsafe_fixes


async def fix_all_edit(server: HomeostasisServer, document: OpenDocument) -> types.WorkspaceEdit:
    """Every finding's best allowed fix that touches only this file, merged without overlaps:
    pattern findings and the runtime errors shown in the file."""
    allowed = {Applicability.SAFE} | ({Applicability.UNSAFE} if _unsafe_ok(server, document) else set())
    chosen: list[Fix] = []
    for finding in document.patterns:
        for _, fix in _ordered(server.fixes.for_pattern(document, finding)):
            if fix.applicability in allowed and set(fix.paths) == {document.rel}:
                chosen.append(fix)
                break
    current = file_hash(document.text)
    for entry in server.runtime.for_uri(document.uri):
        if entry.stale:
            continue
        for _, fix in _ordered(await server.fixes.for_runtime(entry)):
            # A runtime fix was computed on the text the error was read against: only if
            # that is still the text (no edit since) can it join the others.
            fresh = all(f.base_hash == current for f in fix.files)
            if fix.applicability in allowed and set(fix.paths) == {document.rel} and fresh:
                chosen.append(fix)
                break
    merged = merge_fixes(chosen)
    try:
        return workspace_edit(server, merged.files, document.root)
    except EditRefused as exc:
        raise JsonRpcContentModified(str(exc)) from exc


def _ignore_edit(
    server: HomeostasisServer, document: OpenDocument, finding: Finding
) -> types.WorkspaceEdit | None:
    language = document.language
    if language is None:
        return None
    line_index = finding.span.start.line
    line = document.line(line_index)
    existing = _IGNORE.search(line, max(line.find(language.comment_prefix), 0))
    if existing is not None and language.comment_prefix in line[: existing.start()]:
        ids = [i.strip() for i in existing.group("ids").split(",") if i.strip()]
        if finding.rule_id in ids:
            return None
        at = Pos(line_index, existing.end("ids"))
        edit_span, new_text = Span(at, at), (", " if ids else "") + finding.rule_id
    elif _inside_multiline_string(document, line_index):
        indent = line[: len(line) - len(line.lstrip())]
        at = Pos(line_index, 0)
        eol = (
            "\r\n"
            if document.text[document.offset(Pos(line_index, len(line))) :].startswith("\r\n")
            else "\n"
        )
        edit_span, new_text = Span(at, at), indent + language.suppression_comment((finding.rule_id,)) + eol
    else:
        at = Pos(line_index, len(line))
        edit_span, new_text = Span(at, at), "  " + language.suppression_comment((finding.rule_id,))
    edit = types.TextEdit(
        range=types.Range(
            start=types.Position(*document.to_client(edit_span.start, server.encoding)),
            end=types.Position(*document.to_client(edit_span.end, server.encoding)),
        ),
        new_text=new_text,
    )
    if server.features.document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=[edit])]
        )
    return types.WorkspaceEdit(changes={document.uri: [edit]})


def _inside_multiline_string(document: OpenDocument, line_index: int) -> bool:
    """A comment at the end of this line would land inside a string literal."""
    tree = document.parsed()
    if tree is None:
        return False
    end = document.byte_offset(document.offset(Pos(line_index, len(document.line(line_index)))))
    node = tree.root_node.descendant_for_byte_range(max(end - 1, 0), max(end - 1, 0))
    while node is not None:
        if "string" in node.type and node.end_point.row > line_index:
            return True
        node = node.parent
    return False


async def resolve(server: HomeostasisServer, action: types.CodeAction) -> types.CodeAction:
    data: Any = action.data
    if not isinstance(data, dict) or action.edit is not None:
        return action
    document = server.documents.get(str(data.get("uri", "")))
    if document is None:
        raise JsonRpcContentModified("the document is no longer open")
    if data.get("fixAll"):
        if data.get("version") != document.version:
            raise JsonRpcContentModified("the document changed; ask for fix-all again")
        await server.analyzer.settled(document)
        action.edit = await fix_all_edit(server, document)
        return action
    fix, root = await _find_fix(server, document, data)
    try:
        action.edit = workspace_edit(server, fix.files, root)
    except EditRefused as exc:
        raise JsonRpcContentModified(str(exc)) from exc
    return action


async def _find_fix(
    server: HomeostasisServer, document: OpenDocument, data: dict[str, Any]
) -> tuple[Fix, Any]:
    index = int(data.get("index", -1))
    if data.get("kind") == "runtime":
        entry = server.runtime.get(int(data.get("key", -1)))
        if entry is None:
            raise JsonRpcContentModified("that runtime error was cleared or replaced")
        fixes = await server.fixes.for_runtime(entry)
        root = entry.root
    else:
        if data.get("version") != document.version:
            raise JsonRpcContentModified("the document changed; ask for the fix again")
        await server.analyzer.settled(document)
        line, col, end_line, end_col = data.get("span", [0, 0, 0, 0])
        span = Span(Pos(line, col), Pos(end_line, end_col))
        finding = next(
            (f for f in document.patterns if f.rule_id == data.get("rule") and f.span == span), None
        )
        if finding is None:
            raise JsonRpcContentModified("the finding is gone")
        fixes = server.fixes.for_pattern(document, finding)
        root = document.root
    if not 0 <= index < len(fixes):
        raise JsonRpcException("the fix is no longer available", code=-32803)
    return fixes[index], root
