"""The configuration-language plugins: detection, parse-error diagnostics, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.config import ConfigLanguage, parse_error_findings, tree_problems
from homeostasis.languages.dockerfile import DockerfileLanguage
from homeostasis.languages.hcl import HclLanguage
from homeostasis.languages.json import JsoncLanguage, JsonLanguage
from homeostasis.languages.toml import TomlLanguage
from homeostasis.languages.yaml import YamlLanguage
from homeostasis.model import Document

from tests.cli import homeostasis

PLUGINS: dict[str, ConfigLanguage] = {
    "yaml": YamlLanguage(),
    "json": JsonLanguage(),
    "toml": TomlLanguage(),
    "dockerfile": DockerfileLanguage(),
    "hcl": HclLanguage(),
}

# A broken file per language, the rule that reports it, and the 1-based line.
BROKEN = {
    "yaml": (
        "config.yaml",
        "name: api\ncommand: echo status: ok\nreplicas: 2\n",
        "yaml.syntax.parse-error",
        2,
    ),
    "json": ("package.json", '{\n  "name": "app",\n  "version": 1.0.0\n}\n', "json.syntax.parse-error", 3),
    "toml": (
        "pyproject.toml",
        '[project]\ndependencies = ["a", "b"\nreadme = "x"\n',
        "toml.syntax.parse-error",
        2,
    ),
    "dockerfile": (
        "app.dockerfile",
        "FROM alpine:3.20\nCOPPY . /app\n",
        "dockerfile.syntax.unknown-instruction",
        2,
    ),
    "hcl": ("main.tf", 'resource "terraform_data" "r" {\n  input =\n}\n', "hcl.syntax.parse-error", 2),
}

VALID = {
    "yaml": ("config.yaml", "name: api\ncommand: 'echo status: ok'\nreplicas: 2\n"),
    "json": ("package.json", '{\n  "name": "app",\n  "version": "1.0.0"\n}\n'),
    "toml": ("pyproject.toml", '[project]\ndependencies = ["a", "b"]\nreadme = "x"\n'),
    "dockerfile": ("app.dockerfile", "FROM alpine:3.20\nCOPY . /app\n"),
    "hcl": ("main.tf", 'resource "terraform_data" "r" {\n  input = "x"\n}\n'),
}


# Detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("deploy/k8s.yaml", "yaml"),
        (".github/workflows/ci.YML", "yaml"),
        ("package.json", "json"),
        ("pyproject.toml", "toml"),
        ("Cargo.toml", "toml"),
        ("infra/main.tf", "hcl"),
        ("prod.tfvars", "hcl"),
        ("packer/build.pkr.hcl", "hcl"),
        ("docker/app.dockerfile", "dockerfile"),
        ("docker/App.Dockerfile", "dockerfile"),
    ],
)
def test_registry_detects_by_suffix(path: str, language: str, engine: Engine) -> None:
    found = engine.registry.for_path(path)
    assert found is not None and found.id == language


@pytest.mark.parametrize(
    ("path", "claimed"),
    [
        ("Dockerfile", True),
        ("services/api/Dockerfile", True),
        ("Containerfile", True),
        ("Dockerfile.dev", True),
        ("build/prod.Dockerfile", True),
        (
            "docs/Dockerfile.md",
            True,
        ),  # Dockerfile.* is the convention; the lead's registry may exclude known suffixes
        ("Dockerfiles/readme.txt", False),
        ("dockerfile_test.py", False),
    ],
)
def test_dockerfile_names(path: str, claimed: bool) -> None:
    assert DockerfileLanguage().claims_path(path) is claimed


@pytest.mark.parametrize(
    ("path", "jsonc"),
    [
        ("tsconfig.json", True),
        ("packages/web/tsconfig.build.json", True),
        (".vscode/settings.json", True),
        ("repo/.vscode/launch.json", True),
        (".devcontainer/devcontainer.json", True),
        ("app.code-workspace", True),
        ("package.json", False),
        ("settings.json", False),
        ("vscode/settings.json", False),
    ],
)
def test_jsonc_names(path: str, jsonc: bool) -> None:
    assert JsoncLanguage().claims_path(path) is jsonc


def test_config_plugins_do_not_claim_runtime_output_by_default() -> None:
    class Plain(ConfigLanguage):
        id = "plain"
        extensions = (".plain",)
        grammar_module = "tree_sitter_json"

    assert Plain().read_errors("Traceback (most recent call last):\nKeyError: 'x'\n") == []
    assert not Plain().sniff_errors("anything")


@pytest.mark.parametrize("language", sorted(PLUGINS))
def test_grammar_loads_without_warnings(language: str, recwarn: pytest.WarningsRecorder) -> None:
    plugin = PLUGINS[language]
    tree = plugin.parse(Document(f"x.{language}", VALID[language][1], language))
    assert not tree.root_node.has_error
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


# Parse errors as findings ------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(BROKEN))
def test_parse_error_rules(language: str, engine: Engine) -> None:
    path, text, rule_id, line = BROKEN[language]
    findings = engine.check(Document(path, text, language))
    assert any(f.rule_id == rule_id and f.span.start.line + 1 == line for f in findings), findings
    valid_path, valid_text = VALID[language]
    assert not [f for f in engine.check(Document(valid_path, valid_text, language)) if f.category == "syntax"]


@pytest.mark.parametrize(
    ("language", "text", "line", "message"),
    [
        # libyaml (CSafeLoader) and pure-Python PyYAML word these slightly differently.
        ("yaml", "a: 1\nkey: value: other\n", 1, "YAML: mapping values are not allowed"),
        ("yaml", "a:\n\tb: 1\n", 1, "that cannot start any token"),
        ("json", '{"a": 1,}\n', 0, "JSON: Expecting property name enclosed in double quotes"),
        ("json", '{"a": 1 // note\n}\n', 0, "JSON: Expecting ',' delimiter"),
        ("toml", 'a = 1\nb = "x\n', 1, "TOML: Illegal character"),
        ("toml", "a = 1\na = 2\n", 1, "TOML: Cannot overwrite a value"),
    ],
)
def test_reference_parser_problems(language: str, text: str, line: int, message: str) -> None:
    plugin = PLUGINS[language]
    document = Document(f"f.{language}", text, language)
    (finding,) = parse_error_findings(plugin, document, plugin.parse(document))
    assert finding.rule_id == f"{language}.syntax.parse-error"
    assert finding.span.start.line == line
    assert message in finding.message
    assert finding.confidence.score == 0.95


def test_jsonc_files_may_have_comments_but_not_trailing_commas() -> None:
    plugin = JsonLanguage()
    assert plugin.syntax_problem('{\n  // strict\n  "strict": true\n}\n', "tsconfig.json") is None
    assert plugin.syntax_problem('{\n  // strict\n  "strict": true\n}\n', "package.json") is not None
    assert plugin.syntax_problem('{"a": 1,}', ".vscode/settings.json") is not None


def test_yaml_templates_are_not_judged_by_the_reference_parser() -> None:
    assert YamlLanguage().syntax_problem("name: {{ .Release.Name }}\n", "templates/svc.yaml") is None


@pytest.mark.parametrize("language", ["dockerfile", "hcl"])
def test_tree_problems_without_a_reference_parser(language: str) -> None:
    plugin = PLUGINS[language]
    path, text, _, line = BROKEN[language]
    document = Document(path, text, language)
    findings = parse_error_findings(plugin, document, plugin.parse(document))
    assert findings and all(f.confidence.score == 0.85 for f in findings)
    assert findings[0].span.start.line + 1 == line


def test_tree_problems_name_missing_tokens() -> None:
    plugin = PLUGINS["json"]
    document = Document("a.json", '{"a": [1, 2,]}', "json")
    (problem,) = tree_problems(document, plugin.parse(document))
    assert problem.message == "a number is expected after this `,` (a trailing comma?)"
    document = Document("a.json", '{"a": {"b": 1}', "json")
    (problem,) = tree_problems(document, plugin.parse(document))
    assert problem.message == "missing `}`"


def test_fix_validation_uses_the_reference_parser(engine: Engine) -> None:
    # The quoting fix keeps the document valid for PyYAML; a fix that broke it would be dropped.
    document = Document("config.yml", "python-version: [3.9, 3.10]\n", "yaml")
    (finding,) = [f for f in engine.check(document) if f.rule_id == "yaml.value.version-float"]
    assert [fix.title for fix in finding.fixes] == ['Quote it: `"3.10"`']


# The real CLI ------------------------------------------------------------------------------


def _check(tmp_path: Path, *args: str) -> dict[str, object]:
    run = homeostasis("check", str(tmp_path), "--format", "json", "--exit-zero", *args, cwd=tmp_path)
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert isinstance(report, dict)
    return report


@pytest.mark.parametrize("language", sorted(BROKEN))
def test_cli_reports_parse_errors(language: str, tmp_path: Path) -> None:
    path, text, rule_id, line = BROKEN[language]
    (tmp_path / path).write_text(text, encoding="utf-8")
    valid_path, valid_text = VALID[language]
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / valid_path).write_text(valid_text, encoding="utf-8")
    findings = _check(tmp_path)["findings"]
    assert isinstance(findings, list)
    hits = [f for f in findings if f["rule"] == rule_id]
    assert [(h["path"], h["range"]["start"]["line"]) for h in hits] == [(path, line)]
    assert not [f for f in findings if str(f["path"]).startswith("ok/") and f["category"] == "syntax"]


def test_cli_fixes_config_files(tmp_path: Path) -> None:
    files = {
        "package.json": '{\n  "name": "app",\n  "scripts": {\n    "test": "jest",\n  }\n}\n',
        ".github/workflows/ci.yml": (
            "jobs:\n  t:\n    strategy:\n      matrix:\n        python-version: [3.9, 3.10]\n"
        ),
        "pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.9,"\n',
        "app.dockerfile": "FROM debian:bookworm\nMAINTAINER Jane <j@example.com>\nADD app.py /app/\n",
        "main.tf": 'resource "aws_instance" "web" {\n  ami = "${var.ami}"\n}\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = homeostasis("check", str(tmp_path), "--fix", "--exit-zero", cwd=tmp_path)
    assert run.code == 0, run.err
    fixed = {name: (tmp_path / name).read_text(encoding="utf-8") for name in files}
    assert json.loads(fixed["package.json"]) == {"name": "app", "scripts": {"test": "jest"}}
    assert 'python-version: [3.9, "3.10"]' in fixed[".github/workflows/ci.yml"]
    assert 'requires-python = ">=3.9"' in fixed["pyproject.toml"]
    assert fixed["app.dockerfile"] == (
        'FROM debian:bookworm\nLABEL maintainer="Jane <j@example.com>"\nCOPY app.py /app/\n'
    )
    assert "ami = var.ami" in fixed["main.tf"]
    # Every fixed file still parses, for tree-sitter and for the reference parsers.
    for name, text in fixed.items():
        plugin = next(p for p in PLUGINS.values() if name.endswith(p.extensions) or p.claims_path(name))
        assert not plugin.parse(Document(name, text, plugin.id)).root_node.has_error, name
        assert plugin.syntax_problem(text, name) is None, name


def test_cli_explains_terraform_output(tmp_path: Path) -> None:
    traces = Path(__file__).parent / "config_traces"
    (tmp_path / "main.tf").write_text(
        (traces / "terraform-references.source.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    run = homeostasis(
        "explain",
        "--root",
        str(tmp_path),
        "--format",
        "json",
        stdin=(traces / "terraform-references.txt").read_text(encoding="utf-8"),
        cwd=tmp_path,
    )
    assert run.code in (0, 1), run.err
    assert "hcl.reference.undeclared-name" in run.out
    assert "hcl.schema.unsupported-argument" in run.out


@pytest.mark.parametrize(
    ("language", "text", "lines"),
    [
        ("json", '{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "a": 7}', [1]),
        ("yaml", "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n'a': 7\nlist:\n  - a: 1\n  - a: 2\n", [7]),
        ("toml", "a = 1\n[t]\na = 1\nb = 2\n[[arr]]\nx = 1\n[[arr]]\nx = 2\n[t2]\nb = 1\nb = 2\n", [11]),
    ],
)
def test_duplicate_keys_at_any_distance(language: str, text: str, lines: list[int]) -> None:
    from homeostasis.languages.config import duplicate_keys

    plugin = PLUGINS[language]
    document = Document(f"f.{language}", text, language)
    problems = duplicate_keys(document, plugin.parse(document), plugin.mapping_entries)
    assert [p.span.start.line + 1 for p in problems] == lines
    assert "first defined on line" in problems[0].message


def test_duplicate_keys_are_linear() -> None:
    import time

    from homeostasis.languages.config import duplicate_keys

    plugin = PLUGINS["json"]
    text = "{" + ", ".join(f'"k{i}": {i}' for i in range(20_000)) + ', "k5": 0}'
    document = Document("big.json", text, "json")
    tree = plugin.parse(document)
    started = time.perf_counter()
    (problem,) = duplicate_keys(document, tree, plugin.mapping_entries)
    assert time.perf_counter() - started < 5
    assert problem.message == "duplicate key `k5` (first defined on line 1)"


def test_parse_error_findings_include_far_apart_duplicates() -> None:
    plugin = PLUGINS["yaml"]
    text = "env:\n" + "".join(f"  K{i}: v\n" for i in range(10)) + "  K0: w\n"
    document = Document("compose.yaml", text, "yaml")
    (finding,) = parse_error_findings(plugin, document, plugin.parse(document))
    assert (finding.rule_id, finding.category, finding.span.start.line) == ("yaml.key.duplicate", "keys", 11)
