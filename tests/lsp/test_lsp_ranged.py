"""The server's ranged checks give exactly what ``Engine.check`` gives.

``homeostasis.lsp.ranged`` assembles findings from the engine's own pieces (a byte-ranged
query, one finding's fixes) to stay within a keystroke's budget; these tests pin it to the
engine's answer on every pattern rule's own examples, whole and in chunks, so the two can
never drift apart silently.
"""

from __future__ import annotations

import pytest
from homeostasis.engine import Engine
from homeostasis.lsp.ranged import fixes_for, known_ids, scan
from homeostasis.model import Document, RuleKind


def _examples(engine: Engine) -> list[tuple[str, str]]:
    out = []
    for rule in engine.rules:
        if rule.kind is RuleKind.PATTERN and rule.language == "python":
            out.extend((f"{rule.id}:{t.name}", t.source) for t in rule.tests if t.source)
    return out


@pytest.fixture(scope="module")
def examples(engine: Engine) -> list[tuple[str, str]]:
    found = _examples(engine)
    assert len(found) > 20
    return found


def _byte_ranges(document: Document, lines_per_chunk: int) -> list[tuple[int, int]]:
    out = []
    lines = document.text.splitlines(keepends=True)
    offset = 0
    for start in range(0, len(lines), lines_per_chunk):
        chunk = "".join(lines[start : start + lines_per_chunk]).encode()
        out.append((offset, offset + max(len(chunk), 1)))
        offset += len(chunk)
    return out


def test_whole_document_scan_matches_engine_check(engine: Engine, examples: list[tuple[str, str]]) -> None:
    ids = known_ids(engine)
    language = engine.registry.get("python")
    assert language is not None
    for name, source in examples:
        document = Document("example.py", source, "python")
        tree = language.parse(document)
        expected = engine.check(document, with_fixes=True, tree=tree)
        result = scan(engine, document, tree, None, ids)
        got = sorted([*result.findings, *result.problems], key=lambda f: (f.span.start, f.rule_id))
        assert [(f.rule_id, f.span, f.message, f.severity) for f in got] == [
            (f.rule_id, f.span, f.message, f.severity) for f in expected
        ], name
        for finding, engine_finding in zip(got, expected, strict=True):
            fixes, _ = fixes_for(engine, document, tree, finding, None)
            assert fixes == engine_finding.fixes, name


def test_chunked_scan_matches_whole_scan(engine: Engine, examples: list[tuple[str, str]]) -> None:
    ids = known_ids(engine)
    language = engine.registry.get("python")
    assert language is not None
    for name, source in examples:
        document = Document("example.py", source, "python")
        tree = language.parse(document)
        whole = scan(engine, document, tree, None, ids).findings
        for lines in (1, 2, 5):
            chunked = scan(engine, document, tree, _byte_ranges(document, lines), ids).findings
            assert sorted(chunked, key=lambda f: (f.span.start, f.rule_id)) == list(whole), (name, lines)
