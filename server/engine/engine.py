"""The engine facade: the one entry point both front ends use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from homeostasis.engine import confidence as C
from homeostasis.engine import patterns
from homeostasis.engine.frameworks import FrameworkScope
from homeostasis.engine.locate import find_line
from homeostasis.engine.queries import QueryCache
from homeostasis.engine.runtime import Failure, RuntimeHit, Site, by_type_name, captures_tuple, match_failure
from homeostasis.engine.suppression import read_suppressions
from homeostasis.fixes.build import FixSite, build_fixes, substitute
from homeostasis.fixes.templates import TemplateLibrary
from homeostasis.model import (
    ChainRelation,
    Diagnosis,
    Document,
    ErrorEvent,
    Finding,
    Frame,
    Related,
    Rule,
    RuleKind,
    Settings,
    Span,
)
from homeostasis.plugins.language import Language, Sources
from homeostasis.plugins.registry import Registry
from homeostasis.plugins.syntax import node_span
from homeostasis.ruleset import RuleSet
from homeostasis.runtime.resolve import resolve_event

if TYPE_CHECKING:
    import tree_sitter

_ROLE = {
    ChainRelation.CAUSE: "cause",
    ChainRelation.CONTEXT: "context",
    ChainRelation.SUPPRESSED: "suppressed",
    ChainRelation.GROUP_MEMBER: "group member",
}


class Engine:
    """Pure: no file access except through the ``Sources`` a caller passes in."""

    def __init__(
        self,
        registry: Registry,
        rules: RuleSet,
        settings: Settings | None = None,
        templates: TemplateLibrary | None = None,
    ) -> None:
        self.registry = registry
        self.rules = rules
        self.settings = settings or Settings()
        self.templates = templates or TemplateLibrary({})
        self.queries = QueryCache()
        self._known_ids = frozenset(r.id for r in rules)
        self._selected: dict[tuple[str, RuleKind], tuple[Rule, ...]] = {}
        self._groups: dict[str, tuple[tuple[tuple[str, ...], tuple[Rule, ...]], ...]] = {}
        self._type_indexes: dict[str, Mapping[str, tuple[int, ...]]] = {}
        self.frameworks = FrameworkScope.of(rules.frameworks, self.settings)

    def with_settings(self, settings: Settings) -> Engine:
        """The same rules and templates under other settings, sharing compiled queries."""
        engine = Engine(self.registry, self.rules, settings, self.templates)
        engine.queries = self.queries
        return engine

    # Pattern rules ---------------------------------------------------------------

    def check(
        self,
        document: Document,
        *,
        with_fixes: bool = True,
        sources: Sources | None = None,
        tree: tree_sitter.Tree | None = None,
    ) -> list[Finding]:
        """Pattern findings for ``document``; pass ``tree`` when the caller parsed it
        (incrementally, in the server) so the file is not parsed twice."""
        language = self.registry.get(document.language)
        if language is None:
            return []
        if tree is None:
            tree = language.parse(document)
        findings: list[Finding] = []
        for hit in self.pattern_hits(document, language, tree):
            captures = hit.captures
            finding = Finding(
                rule_id=hit.rule.id,
                kind="pattern",
                path=document.path,
                span=hit.span,
                message=substitute(hit.rule.message, captures),
                severity=self.settings.severity_for(hit.rule.id, hit.rule.severity),
                confidence=hit.evidence.score(),
                category=hit.rule.category,
                captures=captures_tuple(captures),
            )
            if with_fixes and hit.rule.fixes:
                site = FixSite(
                    hit.rule,
                    language,
                    document,
                    tree,
                    hit.target,
                    hit.span,
                    captures,
                    hit.capture_nodes,
                    finding.confidence.score,
                    sources,
                )
                fixes, notes = build_fixes(site, self.templates)
                finding = replace(finding, fixes=fixes, notes=notes)
            findings.append(finding)
        return self._finish(document, language, findings)

    def pattern_hits(
        self,
        document: Document,
        language: Language,
        tree: tree_sitter.Tree,
        byte_range: tuple[int, int] | None = None,
    ) -> Iterator[patterns.PatternHit]:
        """Pattern matches in ``document``.

        The language's rules run as one query per framework group: the rules of no framework,
        then those of each framework the document uses. A framework the document does not use
        costs nothing, and a scan compiles each group once (not once per combination of
        frameworks that files happen to use).
        """
        here = None
        for scope, rules in self._pattern_groups(language.id):
            presence = None
            if scope:
                here = here or self.frameworks.in_document(document, language)
                presence = here.presence(rules[0])
                if presence is None or not presence.present:
                    continue
            combined = self.queries.combined(language, rules)
            for hit in patterns.scan(document, tree, combined, byte_range):
                if presence is not None:
                    hit = replace(hit, evidence=hit.evidence.add(presence.reason, C.FRAMEWORK_PRESENT))
                yield hit

    def prepare(self, language_ids: Iterable[str]) -> None:
        """Compile the queries every file of these languages runs (before forking workers,
        which then share them instead of each compiling its own)."""
        for language_id in language_ids:
            language = self.registry.get(language_id)
            if language is None:
                continue
            for scope, rules in self._pattern_groups(language_id):
                if not scope:
                    self.queries.combined(language, rules)

    def _pattern_groups(self, language_id: str) -> tuple[tuple[tuple[str, ...], tuple[Rule, ...]], ...]:
        groups = self._groups.get(language_id)
        if groups is None:
            by_scope: dict[tuple[str, ...], list[Rule]] = {}
            for rule in self.rules_for(language_id, RuleKind.PATTERN):
                by_scope.setdefault(rule.frameworks, []).append(rule)
            groups = tuple((scope, tuple(rules)) for scope, rules in sorted(by_scope.items()))
            self._groups[language_id] = groups
        return groups

    def _type_index(self, language_id: str) -> Mapping[str, tuple[int, ...]]:
        index = self._type_indexes.get(language_id)
        if index is None:
            index = self._type_indexes[language_id] = by_type_name(
                self.rules_for(language_id, RuleKind.RUNTIME)
            )
        return index

    def rules_for(self, language_id: str, kind: RuleKind) -> tuple[Rule, ...]:
        """The enabled rules of a language and kind (settings are fixed for an engine's life)."""
        key = (language_id, kind)
        if key not in self._selected:
            self._selected[key] = self.rules.select(language_id, kind, self.settings)
        return self._selected[key]

    def _finish(self, document: Document, language: Language, findings: list[Finding]) -> list[Finding]:
        suppressions = read_suppressions(document, language.comment_prefix, self._known_ids)
        threshold = self.settings.confidence_threshold
        kept = [f for f in findings if f.confidence.score >= threshold]
        if suppressions.by_line:
            kept = [f for f in kept if not suppressions.silences(f)]
        kept.extend(suppressions.problems)
        kept.sort(key=lambda f: (f.span.start.line, f.span.start.col, f.rule_id))
        return kept

    # Runtime errors --------------------------------------------------------------

    def read_errors(self, text: str, language_id: str | None = None) -> list[ErrorEvent]:
        """Error events in raw output, from every language plugin that recognises it."""
        events: list[ErrorEvent] = []
        for language in self.registry:
            if language_id is not None and language.id != language_id:
                continue
            if language.sniff_errors(text):
                events.extend(language.read_errors(text))
        events.sort(key=lambda e: e.text_start)
        return events

    def diagnose(
        self, events: Sequence[ErrorEvent], sources: Sources, *, with_fixes: bool = True
    ) -> list[Diagnosis]:
        trees: dict[str, tree_sitter.Tree] = {}  # each file parsed once for the whole batch
        return [self.diagnose_one(event, sources, with_fixes=with_fixes, trees=trees) for event in events]

    def diagnose_one(
        self,
        event: ErrorEvent,
        sources: Sources,
        *,
        with_fixes: bool = True,
        trees: dict[str, tree_sitter.Tree] | None = None,
    ) -> Diagnosis:
        language = self.registry.get(event.language)
        if language is None:
            return Diagnosis(event, (), (f"no language plugin for '{event.language}'",))
        event = resolve_event(event, language, sources, self.settings.path_remaps)
        rules = self.rules_for(language.id, RuleKind.RUNTIME)
        problems: list[str] = []
        findings: list[Finding] = []
        trees = {} if trees is None else trees
        failures = _failures(event)
        final = self._site(failures[-1], language, sources, trees)
        for failure in failures:
            site = final if failure is failures[-1] else self._site(failure, language, sources, trees)
            if site.document is None and final.document is not None and not _in_project(failure):
                # A cause raised wholly inside libraries (a socket error under a fetch) is
                # placed where the project met it: the wrapping error's project frame.
                site = final
            hits = match_failure(
                failure, site, rules, language, self.queries, self.frameworks, self._type_index(language.id)
            )
            for hit in hits:
                findings.append(
                    self._runtime_finding(hit, failure, site, event, language, sources, with_fixes)
                )
            if not hits and failure.role in ("the error", "root cause"):
                problems.append(f"no rule explains {failure.error_type}: {_first_line(failure.message)}")
        if event.frames and not any(f.in_project for f in event.frames):
            problems.append("no frame of this error is in the workspace: diagnosed, nothing will be edited")
        findings = [f for f in findings if f.confidence.score >= self.settings.confidence_threshold]
        findings.sort(key=lambda f: (not f.located, _role_rank(f), -f.confidence.score))
        return Diagnosis(event, tuple(findings), tuple(problems))

    def _site(
        self, failure: Failure, language: Language, sources: Sources, trees: dict[str, tree_sitter.Tree]
    ) -> Site:
        frame = failure.frame
        if frame is None or frame.resolved is None or not frame.in_project:
            return Site(None, None, None, False, frame)
        document = sources.get(frame.resolved)
        if document is None:
            return Site(None, None, None, False, frame)
        hit = find_line(document, frame)
        if hit is None:
            return Site(None, None, None, False, frame)
        if document.path not in trees:
            trees[document.path] = language.parse(document)
        tree = trees[document.path]
        return Site(document, tree, hit.line, hit.moved, frame)

    def _runtime_finding(
        self,
        hit: RuntimeHit,
        failure: Failure,
        site: Site,
        event: ErrorEvent,
        language: Language,
        sources: Sources,
        with_fixes: bool,
    ) -> Finding:
        rule = hit.rule
        confidence = hit.evidence.score()
        located = site.document is not None and hit.span is not None
        frame = site.frame
        path = site.document.path if site.document is not None else (frame.file if frame else "<unknown>")
        span = hit.span or _frame_span(frame)
        finding = Finding(
            rule_id=rule.id,
            kind="runtime",
            path=path,
            span=span,
            message=substitute(rule.message, hit.captures),
            severity=self.settings.severity_for(rule.id, rule.severity),
            confidence=confidence,
            category=rule.category,
            related=_related(event, failure, sources),
            captures=captures_tuple(hit.captures),
            located=located,
            error_type=failure.error_type,
            notes=(f"{failure.role}: {failure.error_type}",),
        )
        if with_fixes and located and rule.fixes and site.document is not None and site.tree is not None:
            fix_site = FixSite(
                rule,
                language,
                site.document,
                site.tree,
                hit.target,
                span,
                hit.captures,
                hit.capture_nodes,
                confidence.score,
                sources,
            )
            fixes, notes = build_fixes(fix_site, self.templates)
            finding = replace(finding, fixes=fixes, notes=finding.notes + notes)
        return finding


def _failures(event: ErrorEvent) -> list[Failure]:
    """The chain as failures to explain, the root cause first."""
    out: list[Failure] = []
    chain = event.chain
    for index, chained in enumerate(chain):
        role = (
            "root cause"
            if index == 0 and chained.relation is ChainRelation.CAUSE
            else _ROLE[chained.relation]
        )
        out.append(Failure(chained.error_type, chained.message, chained.frames, role))
    out.append(Failure(event.error_type, event.message, event.frames, "the error"))
    return out


def _in_project(failure: Failure) -> bool:
    return any(frame.in_project for frame in failure.frames)


def _role_rank(finding: Finding) -> int:
    role = finding.notes[0] if finding.notes else ""
    return 0 if role.startswith("root cause") else 1 if role.startswith("the error") else 2


def _frame_span(frame: Frame | None) -> Span:
    line = (frame.line or 1) - 1 if frame else 0
    return Span.of(max(line, 0), 0, max(line, 0), 0)


def _related(event: ErrorEvent, failure: Failure, sources: Sources) -> tuple[Related, ...]:
    related: list[Related] = []
    for frame in failure.frames:
        where = f"in {frame.function}" if frame.function else "frame"
        related.append(
            Related(
                frame.resolved or frame.file, _frame_span(frame), f"{where}: {frame.source or ''}".strip()
            )
        )
    for chained in event.chain:
        if chained.error_type == failure.error_type and chained.message == failure.message:
            continue
        inner = chained.frames[-1] if chained.frames else None
        related.append(
            Related(
                (inner.resolved or inner.file) if inner else event.frames[-1].file if event.frames else "",
                _frame_span(inner),
                f"{_ROLE[chained.relation]}: {chained.error_type}: {_first_line(chained.message)}",
            )
        )
    if failure.role != "the error":
        inner = event.frames[-1] if event.frames else None
        related.append(
            Related(
                (inner.resolved or inner.file) if inner else "",
                _frame_span(inner),
                f"led to {event.error_type}: {_first_line(event.message)}",
            )
        )
    return tuple(related)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:200]


__all__ = ["Engine", "node_span"]
