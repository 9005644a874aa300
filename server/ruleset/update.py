"""``rules test --update``: rewrite a test's expected ``fixed:`` output in place.

The rule file is edited as text, not re-dumped: only the scalar holding the expected
output changes, so comments, key order, quoting and blank lines elsewhere stay exactly
as the author wrote them. Every edit is verified by parsing the result again; when a
block scalar cannot represent a value exactly, a double-quoted scalar is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from homeostasis.engine import Engine
from homeostasis.model import Rule, RuleTest

# The rule test runner's own way to find a test's findings and apply a fix, so an
# update records exactly what `rules test` compares against.
from homeostasis.ruleset.testing import _apply, _findings

_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\r\u2028\u2029]")


class UpdateError(Exception):
    """The file cannot be updated safely (the test moved, or the YAML would change meaning)."""


@dataclass(frozen=True)
class FixedUpdate:
    """A new expected output for one test: ``fixed`` (path None) or one ``fixed-files`` entry."""

    rule_id: str
    test_index: int
    test_name: str
    path: str | None
    old: str
    new: str


def actual_fixed(engine: Engine, rule: Rule, test: RuleTest) -> dict[str, str] | None:
    """The example's files after the test's fix is applied; None when the fix is not produced."""
    if test.source is None:
        return None
    files = {**dict(test.files), test.path: test.source}
    found = _findings(engine, rule, test, files)
    if not found or test.fix >= len(found[0].fixes):
        return None
    return _apply(found[0].fixes[test.fix], files)


def updates_for(engine: Engine, rule: Rule) -> list[FixedUpdate]:
    """Expected outputs of ``rule``'s tests that differ from what its fixes now produce."""
    updates: list[FixedUpdate] = []
    for index, test in enumerate(rule.tests):
        if not test.match or (test.fixed is None and not test.fixed_files):
            continue
        after = actual_fixed(engine, rule, test)
        if after is None:
            continue
        if test.fixed is not None and after.get(test.path) != test.fixed:
            updates.append(FixedUpdate(rule.id, index, test.name, None, test.fixed, after.get(test.path, "")))
        for path, expected in test.fixed_files:
            if after.get(path, "") != expected:
                updates.append(FixedUpdate(rule.id, index, test.name, path, expected, after.get(path, "")))
    return updates


def rewrite_fixed(text: str, updates: Sequence[FixedUpdate]) -> str:
    """``text`` (a rule file) with each update's expected output replaced. Raises UpdateError."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    before = yaml.safe_load(text)
    edits = [(*_value_span(text, root, u), u) for u in updates]
    quoted: set[int] = set()
    for _attempt in range(2):
        result = text
        for start, end, key_column, node, update in sorted(edits, key=lambda e: e[0], reverse=True):
            force = id(update) in quoted
            scalar = yaml_scalar(update.new, _content_indent(text, node, key_column), force)
            result = result[:start] + scalar + result[end:]
        wrong = _mismatches(result, before, updates)
        if not wrong:
            return result
        quoted |= {id(u) for u in wrong}
    raise UpdateError("the new expected output cannot be written without changing the rest of the file")


def _value_span(
    text: str, root: yaml.Node | None, update: FixedUpdate
) -> tuple[int, int, int, yaml.ScalarNode]:
    rule = _find(_get(root, "rules"), lambda item: _scalar_value(_get(item, "id")) == update.rule_id)
    tests = _get(rule, "tests")
    if not isinstance(tests, yaml.SequenceNode) or update.test_index >= len(tests.value):
        raise UpdateError(f"{update.rule_id}: test #{update.test_index + 1} not found")
    test = tests.value[update.test_index]
    if _scalar_value(_get(test, "name")) != update.test_name:
        raise UpdateError(f"{update.rule_id}: test '{update.test_name}' moved; run the tests again")
    holder, key = (test, "fixed") if update.path is None else (_get(test, "fixed-files"), update.path)
    if not isinstance(holder, yaml.MappingNode) or holder.flow_style:
        raise UpdateError(f"{update.rule_id}: '{update.test_name}' has no block mapping holding {key}")
    for key_node, value in holder.value:
        if key_node.value == key and isinstance(value, yaml.ScalarNode):
            end = _block_end(text, value, key_node.start_mark.column) if value.style in "|>" else None
            return value.start_mark.index, end or value.end_mark.index, key_node.start_mark.column, value
    raise UpdateError(f"{update.rule_id}: '{update.test_name}' has no expected output for {key}")


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if getattr(key_node, "value", None) == key:
                return value  # type: ignore[no-any-return]
    return None


def _find(node: yaml.Node | None, wanted: Any) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode):
        return next((item for item in node.value if wanted(item)), None)
    return None


def _scalar_value(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _block_end(text: str, node: yaml.Node, key_column: int) -> int:
    """End of a block scalar's last non-blank line: trailing blank lines stay where they are."""
    position = text.index("\n", node.start_mark.index) if "\n" in text[node.start_mark.index :] else len(text)
    end = position
    while position < len(text):
        line_end = text.find("\n", position + 1)
        line_end = len(text) if line_end == -1 else line_end
        line = text[position + 1 : line_end]
        if line.strip():
            if len(line) - len(line.lstrip(" ")) <= key_column:
                break
            end = line_end
        position = line_end
    return end


def _content_indent(text: str, node: yaml.ScalarNode, key_column: int) -> int:
    if node.style in ("|", ">"):
        body = text[node.start_mark.index : node.end_mark.index].split("\n")[1:]
        for line in body:
            if line.strip():
                return len(line) - len(line.lstrip(" "))
    return key_column + 2


def yaml_scalar(value: str, indent: int, quoted: bool = False) -> str:
    """``value`` as a YAML scalar whose block lines are indented by ``indent``; quoted if need be."""
    if quoted or not value or _NOT_PRINTABLE.search(value) or value.startswith((" ", "\n")):
        return json.dumps(value, ensure_ascii=False)
    chomp = "+" if value.endswith("\n\n") else "" if value.endswith("\n") else "-"
    lines = (value[:-1] if value.endswith("\n") else value).split("\n")
    body = "\n".join(" " * indent + line if line else "" for line in lines)
    return f"|{chomp}\n{body}"


def _mismatches(text: str, before: Any, updates: Sequence[FixedUpdate]) -> list[FixedUpdate]:
    try:
        after = yaml.safe_load(text)
    except yaml.YAMLError:
        return list(updates)
    wrong = [u for u in updates if _expected_at(after, u) != u.new]
    if wrong:
        return wrong
    # Nothing but the updated values may differ.
    for update in updates:
        _set_expected(before, update)
    return [] if before == after else list(updates)


def _test_item(data: Any, update: FixedUpdate) -> Mapping[str, Any]:
    rules = data.get("rules") if isinstance(data, dict) else None
    rule = next((r for r in rules or () if isinstance(r, dict) and r.get("id") == update.rule_id), {})
    tests = rule.get("tests") or []
    return tests[update.test_index] if update.test_index < len(tests) else {}  # type: ignore[no-any-return]


def _expected_at(data: Any, update: FixedUpdate) -> Any:
    test = _test_item(data, update)
    if update.path is None:
        return test.get("fixed")
    return (test.get("fixed-files") or {}).get(update.path)


def _set_expected(data: Any, update: FixedUpdate) -> None:
    test = _test_item(data, update)
    if isinstance(test, dict):
        if update.path is None:
            test["fixed"] = update.new
        else:
            test.setdefault("fixed-files", {})[update.path] = update.new
