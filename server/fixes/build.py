"""From a rule's fix specs to concrete, validated fixes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from homeostasis.fixes.edits import apply_edits, file_hash
from homeostasis.fixes.indent import dedent_lines, indent_unit, leading_whitespace, reindent
from homeostasis.fixes.templates import TemplateError, TemplateLibrary
from homeostasis.model import Document, FileEdit, Fix, FixSpec, Rule, Span, TextEdit
from homeostasis.plugins.language import Language, Sources
from homeostasis.plugins.syntax import enclosing, error_count, node_span

if TYPE_CHECKING:
    import tree_sitter

# ``{{ name }}`` or ``{{ name | default('text') }}``: messages stay plain text, no Jinja logic.
_REF = re.compile(
    r"""\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*default\(\s*(?:'([^']*)'|"([^"]*)")\s*\)\s*)?\}\}"""
)


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Fill captures into messages and titles; an unknown one falls back to its default, else '?'."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is not None:
            return value
        default = match.group(2) if match.group(2) is not None else match.group(3)
        return default if default is not None else "?"

    if "{{" not in text:  # most messages name no capture
        return text
    return _REF.sub(fill, text)


class AlreadyApplied(Exception):
    """The region already sits inside what the fix would write (e.g. a guard added earlier)."""


def _already_wraps(document: Document, span: Span, region_text: str, rendered: str) -> bool:
    """Whether the code around ``span`` already reads like ``rendered`` wrapped around the region.

    A wrapping fix (a guard, a try/except, lines inserted before) renders the region
    unchanged between new lines; if those new lines are already next to the region,
    applying the fix again would nest it twice. Compared line by line, ignoring
    indentation, because the earlier application indented the region one level.
    """
    region = [ln.strip() for ln in region_text.split("\n")]
    output = [ln.strip() for ln in rendered.split("\n")]
    size = len(region)
    for start in range(len(output) - size + 1):
        if output[start : start + size] != region:
            continue
        before, after = output[:start], output[start + size :]
        if not before and not after:
            return False
        first, last = span.start.line, span.end.line
        if first - len(before) < 0:
            continue
        above = [document.line(i).strip() for i in range(first - len(before), first)]
        below = [document.line(i).strip() for i in range(last + 1, last + 1 + len(after))]
        if above == before and below == after:
            return True
    return False


@dataclass(frozen=True)
class FixSite:
    """Everything a fix needs to know about where a finding is."""

    rule: Rule
    language: Language
    document: Document
    tree: tree_sitter.Tree
    target: tree_sitter.Node | None
    target_span: Span
    captures: Mapping[str, str]
    capture_nodes: Mapping[str, tree_sitter.Node]
    confidence: float
    sources: Sources | None


def build_fixes(site: FixSite, templates: TemplateLibrary) -> tuple[tuple[Fix, ...], tuple[str, ...]]:
    """Fixes for a finding, and notes on fixes that were not offered and why."""
    fixes: list[Fix] = []
    notes: list[str] = []
    for spec in site.rule.fixes:
        try:
            fix = _build_one(site, spec, templates)
        except AlreadyApplied:
            notes.append(
                f"fix '{substitute(spec.title, site.captures)}' not offered: the code already has it"
            )
            continue
        except TemplateError as exc:
            notes.append(f"fix '{substitute(spec.title, site.captures)}' not offered: {exc}")
            continue
        if isinstance(fix, str):
            if fix:
                notes.append(fix)
            continue
        fixes.append(fix)
    return tuple(fixes), tuple(notes)


def _build_one(site: FixSite, spec: FixSpec, templates: TemplateLibrary) -> Fix | str:
    context: dict[str, str] = {
        **site.captures,
        "indent": indent_unit(site.document, site.language.indent_unit),
    }
    if spec.when is not None and not templates.evaluate(spec.when, context):
        return ""
    for name, value in spec.params:
        context[name] = templates.render_inline(value, context)
    title = substitute(spec.title, context)
    if spec.precise is not None:
        files, explanation = _precise(site, spec, context)
        if files is None:
            return f"fix '{title}' not offered: {explanation}"
    else:
        edit, explanation = _templated(site, spec, context, templates)
        files = (FileEdit(site.document.path, (edit,), file_hash(site.document.text)),)
    problem = _validate(site, files)
    if problem:
        return f"fix '{title}' dropped: {problem}"
    return Fix(
        title=title,
        applicability=spec.applicability,
        confidence=round(site.confidence * spec.confidence, 2),
        files=files,
        rule_id=site.rule.id,
        explanation=explanation,
    )


def _precise(
    site: FixSite, spec: FixSpec, context: Mapping[str, str]
) -> tuple[tuple[FileEdit, ...] | None, str]:
    fixer = site.language.precise_fixer()
    operation = spec.precise or ""
    if fixer is None or operation not in fixer.operations():
        return None, f"the {site.language.id} plugin has no precise operation '{operation}'"
    params = {name: context[name] for name, _ in spec.params}
    sources = site.sources if site.sources is not None else _Single(site.document)
    files = fixer.fix(operation, params, site.document, site.target_span, sources)
    if not files:
        return None, f"precise operation '{operation}' does not apply here"
    return files, f"precise edit '{operation}' computed from the syntax tree"


def _region(site: FixSite, region: str) -> Span:
    if region == "target":
        return site.target_span
    if region == "line":
        return site.document.line_span(site.target_span.start.line)
    if region == "file":
        return Span(site.document.pos_at(0), site.document.pos_at(len(site.document.text)))
    if region == "statement":
        anchor = site.target
        statement = enclosing(anchor, site.language.is_statement) if anchor is not None else None
        if statement is None:
            return site.document.line_span(site.target_span.start.line)
        return node_span(site.document, statement)
    node = site.capture_nodes.get(region)
    if node is None:
        raise TemplateError(f"region '{region}' was not captured")
    return node_span(site.document, node)


def _templated(
    site: FixSite, spec: FixSpec, context: dict[str, str], templates: TemplateLibrary
) -> tuple[TextEdit, str]:
    document = site.document
    span = _region(site, spec.region)
    region_text = document.text_of(span).replace("\r\n", "\n")
    prefix = leading_whitespace(document.line(span.start.line))
    values = {
        **context,
        "region_text": region_text,
        "statement": dedent_lines(region_text, len(prefix)),
        "target": document.text_of(site.target_span),
        "file_text": document.text,
    }
    if spec.template is not None:
        rendered = templates.render_inline(spec.template, values)
        explanation = "inline template of the rule"
    else:
        chosen = templates.choose(site.rule, spec.template_name or "")
        rendered = templates.render_named(chosen.name, values)
        explanation = f"template '{spec.template_name}' chosen at {chosen.level} level ({chosen.name})"
    if _already_wraps(document, span, region_text, rendered):
        raise AlreadyApplied
    new_text = reindent(rendered, prefix).replace("\n", document.eol())
    return TextEdit(span, new_text), explanation


def _validate(site: FixSite, files: tuple[FileEdit, ...]) -> str | None:
    """Why a fix must not be offered: it changes nothing or breaks the syntax."""
    sources = site.sources
    changed = False
    for file_edit in files:
        if file_edit.path == site.document.path:
            document: Document | None = site.document
        else:
            document = sources.get(file_edit.path) if sources is not None else None
        if document is None:
            return f"{file_edit.path} cannot be read"
        new_text = apply_edits(document.text, file_edit.edits)
        if new_text == document.text:
            continue
        changed = True
        before = site.tree if document is site.document else site.language.parse(document)
        after, focus = _reparse(site.language, document, before, new_text, file_edit)
        if error_count(after) > error_count(before):
            return f"it would introduce a syntax error in {file_edit.path}"
        # tree-sitter forgives some errors (Python indentation); the language may know better.
        problem = site.language.syntax_problem(new_text, file_edit.path, focus)
        if problem and not _syntax_problem_before(site.language, document.text, file_edit.path):
            return f"it would break {file_edit.path}: {problem}"
    return None if changed else "it would change nothing"


def _reparse(
    language: Language, document: Document, before: tree_sitter.Tree, new_text: str, file_edit: FileEdit
) -> tuple[tree_sitter.Tree, tuple[int, int]]:
    """The edited text's tree, reparsed incrementally from ``before``, and the lines of the
    top-level statements the edits touch (what a compiler check needs to look at)."""
    old_text = document.text
    start = min(document.offset(e.span.start) for e in file_edit.edits)
    old_end = max(document.offset(e.span.end) for e in file_edit.edits)
    new_end = old_end + len(new_text) - len(old_text)
    tree = before.copy()
    start_byte, start_point = _byte_point(old_text, start)
    old_end_byte, old_end_point = _byte_point(old_text, old_end)
    new_end_byte, new_end_point = _byte_point(new_text, new_end)
    tree.edit(start_byte, old_end_byte, new_end_byte, start_point, old_end_point, new_end_point)
    after = language.parser.parse(new_text.encode("utf-8", "surrogatepass"), tree)
    first, last = start_point[0], new_end_point[0]
    for child in after.root_node.children:
        if child.end_byte >= start_byte and child.start_byte <= new_end_byte:
            first, last = min(first, child.start_point[0]), max(last, child.end_point[0])
    return after, (first, last)


def _byte_point(text: str, offset: int) -> tuple[int, tuple[int, int]]:
    prefix = text[:offset]
    line_start = prefix.rfind("\n") + 1
    column = len(prefix[line_start:].encode("utf-8", "surrogatepass"))
    return len(prefix.encode("utf-8", "surrogatepass")), (prefix.count("\n"), column)


@lru_cache(maxsize=32)
def _syntax_problem_before(language: Language, text: str, path: str) -> str | None:
    # The same file is checked once however many of its fixes need the comparison.
    return language.syntax_problem(text, path)


@dataclass(frozen=True)
class _Single:
    document: Document

    def get(self, path: str) -> Document | None:
        return self.document if path == self.document.path else None
