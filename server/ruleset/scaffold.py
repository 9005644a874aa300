"""``rules new``: a rule file with its test skeleton, from a pasted error.

The pasted output is read by the language plugins (``Engine.read_errors``); the
scaffold guesses what it can (the error family, a message regex with the quoted
parts captured, a tree-sitter query for the expression the carets point at), writes
the error and its failing line as the rule's first test, and runs that test once to
record the message and range it produces. What needs a human is marked ``TODO``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml
from homeostasis.engine import Engine
from homeostasis.model import Document, ErrorEvent, Finding, Frame
from homeostasis.plugins.language import Language
from homeostasis.ruleset.loader import parse_rules_text
from homeostasis.ruleset.ruleset import RuleSet
from homeostasis.ruleset.testing import MemorySources, _findings
from homeostasis.ruleset.update import yaml_scalar

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")
_REGEX_SPECIAL = re.compile(r"([.^$*+?{}\[\]\\|()])")
_ID = re.compile(r"^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$")


class ScaffoldError(Exception):
    """The text holds no error a language plugin recognises, or the target file is unusable."""


@dataclass(frozen=True)
class Scaffold:
    rule_id: str
    language: str
    item: str  # the rule as an item of a ``rules:`` list, indented by ``indent``
    matched: bool  # the generated test already matches the pasted error
    already: tuple[str, ...]  # existing rules that explain the same error


def scaffold_rule(
    error_text: str, engine: Engine, *, rule_id: str | None = None, indent: int = 2
) -> Scaffold:
    text = error_text.replace("\r\n", "\n").strip("\n") + "\n"
    events = engine.read_errors(text)
    if not events:
        raise ScaffoldError("no error recognised in the input: paste a traceback or error output")
    event = events[-1]
    language = engine.registry.get(event.language)
    if language is None:
        raise ScaffoldError(f"no language plugin for '{event.language}'")
    family = _kebab(event.short_type)
    rule_id = rule_id or f"{language.id}.{family}.{_slug(event.message)}"
    if not _ID.match(rule_id) or not rule_id.startswith(language.id + "."):
        raise ScaffoldError(f"rule id {rule_id!r} must look like {language.id}.family.name (lowercase, dots)")
    if rule_id in engine.rules:
        raise ScaffoldError(f"a rule {rule_id} already exists")
    frame = _project_frame(event, language)
    source, error = _example(text, frame, language)
    regex, message = _message_parts(event)
    fields = {
        "rule_id": rule_id,
        "error_type": event.short_type,
        "family": family,
        "regex": regex,
        "message": message,
        "query": _query(frame, language),
        "path": _basename(frame.file) if frame else f"example{language.extensions[0]}",
        "source": source,
        "error": error,
    }
    item = _render(fields, indent, checks="")
    found = _try_item(item, language, engine)
    matched = found is not None and found.located
    checks = ""
    if found is not None and matched:
        s, e = found.span.start, found.span.end
        checks = f"message: {json.dumps(found.message, ensure_ascii=False)}\n"
        checks += f'range: "{s.line + 1}:{s.col + 1}-{e.line + 1}:{e.col + 1}"\n'
        item = _render(fields, indent, checks=checks)
    already = _explained_by(engine, language, source, error, fields["path"] or "")
    return Scaffold(rule_id, language.id, item, matched, already)


def new_rule_file(scaffold: Scaffold, schema_ref: str) -> str:
    header = f"# yaml-language-server: $schema={schema_ref}\n"
    return f"{header}language: {scaffold.language}\nrules:\n{scaffold.item}"


def append_rule(text: str, scaffold: Scaffold) -> str:
    """``text`` (an existing rule file) with the scaffolded rule added at the end of ``rules:``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScaffoldError(f"the rule file is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ScaffoldError("the file is not a rule file (no 'rules:' list)")
    if data.get("language") != scaffold.language:
        raise ScaffoldError(f"the file holds {data.get('language')} rules, the error is {scaffold.language}")
    if any(isinstance(r, dict) and r.get("id") == scaffold.rule_id for r in data["rules"]):
        raise ScaffoldError(f"the file already has a rule {scaffold.rule_id}")
    result = text.rstrip("\n") + "\n\n" + scaffold.item
    try:
        after = yaml.safe_load(result)
    except yaml.YAMLError as exc:
        raise ScaffoldError("'rules:' is not the last key of the file; paste the rule by hand") from exc
    if not isinstance(after, dict) or len(after.get("rules") or []) != len(data["rules"]) + 1:
        raise ScaffoldError("'rules:' is not the last key of the file; paste the rule by hand")
    return result


def item_indent(text: str) -> int:
    found = re.search(r"^( *)- ", text, re.M)
    return len(found.group(1)) if found else 2


# Guessing -------------------------------------------------------------------------------


def _kebab(name: str) -> str:
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|\d+", name) or [name]
    return "-".join(w.lower() for w in words) or "error"


def _slug(message: str) -> str:
    words = re.findall(r"[a-z]+", _QUOTED.sub(" ", message.split("\n", 1)[0].lower()))
    return "-".join(words[:4]) or "new-rule"


def _project_frame(event: ErrorEvent, language: Language) -> Frame | None:
    for frame in reversed(event.frames):
        if not language.is_library_path(frame.file):
            return frame
    return event.innermost


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path)[-1] or "example"


def _example(text: str, frame: Frame | None, language: Language) -> tuple[str, str]:
    """The test's source (the failing line) and the error, renumbered to point at line 1."""
    if frame is None or not frame.source or frame.line is None:
        return f"{language.comment_prefix} TODO: the code that failed\n", text
    lines = text.split("\n")
    number = re.compile(rf"(?<![\w.]){frame.line}(?![\w.])")
    for index in range(len(lines) - 1, -1, -1):
        if frame.file in lines[index] and number.search(lines[index]):
            lines[index] = number.sub("1", lines[index], count=1)
            return frame.source.strip() + "\n", "\n".join(lines)
    padding = "\n" * (frame.line - 1)
    return padding + frame.source.strip() + "\n", text


def _message_parts(event: ErrorEvent) -> tuple[str, str]:
    """A regex for the message with quoted parts and numbers generalised, and a message text."""
    first = event.message.strip().split("\n", 1)[0]
    regex, message, position = ["^"], [], 0
    for number, found in enumerate(_QUOTED.finditer(first), 1):
        literal = first[position : found.start()]
        regex.append(_escape(literal))
        message.append(literal)
        name = "quoted" if number == 1 else f"quoted{number}"
        quote = found.group(0)[0]
        regex.append(f"{quote}(?P<{name}>[^{quote}]*){quote}")
        message.append(f"{quote}{{{{ {name} }}}}{quote}")
        position = found.end()
    regex.append(_escape(first[position:]))
    message.append(first[position:])
    anchored = "".join(regex) + ("$" if first == event.message.strip() else "")
    return anchored, f"TODO: what went wrong and why: {''.join(message)}".strip()


def _escape(literal: str) -> str:
    return _NUMBER.sub(r"\\d+", _REGEX_SPECIAL.sub(r"\\\1", literal))


def _query(frame: Frame | None, language: Language) -> str | None:
    """A query for the expression the carets point at, with its fields captured by name."""
    if frame is None or not frame.source or frame.column is None or frame.end_column is None:
        return None
    source = frame.source
    start = len(source[: frame.column].encode())
    end = len(source[: frame.end_column].encode())
    tree = language.parse(Document("line", source, language.id))
    node = tree.root_node.named_descendant_for_byte_range(start, end)
    if node is None or node.type in ("module", "program", "source_file", "ERROR"):
        return None
    captured: list[str] = []
    for index, child in enumerate(node.children):
        name = node.field_name_for_child(index)
        if name and child.is_named and name not in {c.split(":")[0] for c in captured}:
            captured.append(f"{name}: (_) @{name}")
    inner = " ".join(captured)
    return f"({node.type}{' ' + inner if inner else ''}) @target"


# Writing ---------------------------------------------------------------------------------


def _render(fields: dict[str, str | None], indent: int, checks: str) -> str:
    """The rule as a list item; block scalars are indented for where the item will sit."""
    query = fields["query"]
    lines = [
        f"- id: {fields['rule_id']}",
        "  kind: runtime",
        f"  message: {json.dumps(fields['message'], ensure_ascii=False)}",
        "  severity: error",
        f"  category: {fields['family']}",
        "  criticality: medium",
        "  complexity: medium",
        "  reliability: medium",
        "  confidence: 0.6",
        "  match:",
        f"    error: [{fields['error_type']}]",
        f"    message: {_single(fields['regex'])}",
        *([("    node:"), f"      query: {_single(query)}"] if query else []),
        "  # fixes:",
        '  #   - title: "TODO: what the fix does, with {{ captures }}"',
        "  #     applicability: unsafe  # safe | unsafe | suggestion",
        '  #     template: "TODO: the code that replaces @target"',
        "  docs:",
        '    summary: "TODO: one sentence on what failed."',
        '    why: "TODO: why it fails, and what the fix changes."',
        f"    example: {json.dumps((fields['source'] or '').strip(), ensure_ascii=False)}",
        "    references: []",
        "  tests:",
        "    - name: the pasted error",
        f"      path: {fields['path']}",
        f"      source: {yaml_scalar(fields['source'] or '', indent + 8)}",
        f"      error: {yaml_scalar(fields['error'] or '', indent + 8)}",
        *(f"      {line}" for line in checks.splitlines()),
        "    # - name: TODO a similar error this rule must not match",
        f"    #   path: {fields['path']}",
        "    #   source: |",
        "    #     ...",
        "    #   error: |",
        "    #     ...",
        "    #   match: false",
    ]
    # Block scalar bodies already carry their full indentation; only the first line of each needs it.
    pad = " " * indent
    return "\n".join(pad + line for line in lines) + "\n"


def _single(text: str | None) -> str:
    return "'" + (text or "").replace("'", "''") + "'"


def _try_item(item: str, language: Language, engine: Engine) -> Finding | None:
    rules, problems = parse_rules_text(f"language: {language.id}\nrules:\n{item}", "<new rule>")
    if problems or not rules:
        return None
    rule = rules[0]
    trial = Engine(
        engine.registry,
        RuleSet.ordered([*engine.rules, rule], engine.rules.frameworks),
        engine.settings,
        engine.templates,
    )
    test = rule.tests[0]
    found = _findings(trial, rule, test, {test.path: test.source or ""})
    return found[0] if found else None


def _explained_by(engine: Engine, language: Language, source: str, error: str, path: str) -> tuple[str, ...]:
    sources = MemorySources.of({path: source}, language.id)
    events = engine.read_errors(error, language.id)
    ids = {f.rule_id for d in engine.diagnose(events, sources) for f in d.findings if f.located}
    return tuple(sorted(ids))
