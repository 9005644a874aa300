"""Readers of the configuration plugins: Terraform, docker build, YAML tools, Cargo, npm.

Terraform, PyYAML, kubectl, Cargo and npm outputs come from running the real tools
(live tests skip only when the tool is missing); the docker build outputs are
BuildKit's documented formats (no docker daemon here).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from homeostasis.engine import Engine
from homeostasis.languages.dockerfile.reader import read_errors as read_docker
from homeostasis.languages.hcl.reader import read_errors as read_terraform
from homeostasis.languages.json.reader import read_errors as read_npm
from homeostasis.languages.toml.reader import read_errors as read_cargo
from homeostasis.languages.yaml.reader import read_errors as read_yaml
from homeostasis.model import ErrorEvent

TRACES = Path(__file__).parent / "config_traces"

# (fixture, [(type, message start, line, column, end_column)]) from `terraform validate`
# (Terraform 1.11.4); columns are those of the underlined subject in the stripped source.
TERRAFORM = {
    "references": [
        ("ReferenceToUndeclaredInputVariable", 'An input variable with the name "nmae"', 10, 20, 28),
        ("ReferenceToUndeclaredLocalValue", 'A local value with the name "greting"', 14, 8, 21),
        ("UnsupportedArgument", 'An argument named "inptu" is not expected here.', 19, 0, 5),
    ],
    "invalid-expression": [("InvalidExpression", "Expected the start of an expression", 2, 7, 7)],
    "unclosed-block": [("UnclosedConfigurationBlock", "There is no closing brace", 1, 30, 31)],
    "missing-newline": [("MissingNewlineAfterArgument", "An argument definition must end", 2, 12, 28)],
    "duplicates": [
        ("DuplicateResourceConfiguration", 'A terraform_data resource named "r"', 2, 0, 29),
        ("DuplicateVariableDeclaration", 'A variable named "a" was already declared', 4, 0, 12),
    ],
    "functions-blocks": [
        ("CallToUnknownFunction", 'There is no function named "lenght". Did you mean "length"?', 2, 4, 10),
        ("ReferenceToUndeclaredResource", 'A managed resource "unknown_thing" "x"', 3, 4, 19),
        ("UnsupportedBlockType", 'Blocks of type "bogus" are not expected here.', 7, 0, 5),
    ],
    "schema": [
        ("InvalidTypeSpecification", 'The keyword "strng" is not a valid type', 2, 7, 12),
        ("MissingRequiredArgument", 'The argument "value" is required', 5, 11, 12),
        ("MissingRequiredArgument", 'The argument "source" is required', 8, 11, 12),
    ],
}


def _summary(events: list[ErrorEvent], columns: bool = True) -> list[tuple[object, ...]]:
    out = []
    for event in events:
        frame = event.frames[0]
        row: tuple[object, ...] = (event.error_type, frame.line)
        if columns:
            row += (frame.column, frame.end_column)
        out.append(row)
    return sorted(out, key=lambda r: (r[1] or 0, str(r[0])))


@pytest.mark.parametrize("name", sorted(TERRAFORM))
def test_terraform_coloured_output(name: str) -> None:
    events = read_terraform((TRACES / f"terraform-{name}.txt").read_text(encoding="utf-8"))
    expected = TERRAFORM[name]
    assert [(e.error_type, e.frames[0].line, e.frames[0].column, e.frames[0].end_column) for e in events] == [
        (t, line, col, end) for t, _, line, col, end in expected
    ]
    for event, (_, start, *_rest) in zip(events, expected, strict=True):
        assert event.language == "hcl"
        assert event.message.startswith(start)
        assert event.frames[0].file == "main.tf"
        assert event.frames[0].source is not None
        assert "\n" not in event.message  # wrapped detail lines are joined


@pytest.mark.parametrize("name", sorted(TERRAFORM))
def test_terraform_plain_and_json_agree_with_coloured(name: str) -> None:
    coloured = read_terraform((TRACES / f"terraform-{name}.txt").read_text(encoding="utf-8"))
    plain = read_terraform((TRACES / f"terraform-{name}.nocolor.txt").read_text(encoding="utf-8"))
    machine = read_terraform((TRACES / f"terraform-{name}.json.txt").read_text(encoding="utf-8"))
    assert _summary(plain, columns=False) == _summary(coloured, columns=False)
    assert [e.message for e in sorted(plain, key=lambda e: e.text_start)] == [
        e.message for e in sorted(coloured, key=lambda e: e.text_start)
    ]
    # -json carries exact ranges: the same columns as the underline, except where the
    # underline is empty (an expression that is missing altogether).
    assert [r[:3] for r in _summary(machine)] == [r[:3] for r in _summary(coloured)]


def test_terraform_skips_warnings_and_unlocated_errors_are_kept() -> None:
    text = (
        "╷\n│ Warning: Unable to open CLI configuration file\n│\n"
        '│ The CLI configuration file at "/root/.terraformrc" does not exist.\n╵\n'
        "╷\n│ Error: Failed to query available provider packages\n│\n"
        "│ Could not retrieve the list of available versions for provider hashicorp/aws: could not\n"
        "│ connect to registry.terraform.io\n╵\n"
    )
    events = read_terraform(text)
    assert [(e.error_type, e.frames) for e in events] == [("FailedToQueryAvailableProviderPackages", ())]
    assert "could not connect to registry.terraform.io" in events[0].message


def test_terraform_plan_json_stream() -> None:
    line = json.dumps(
        {
            "@level": "error",
            "@message": "Error: Unsupported argument",
            "type": "diagnostic",
            "diagnostic": {
                "severity": "error",
                "summary": "Unsupported argument",
                "detail": 'An argument named "amis" is not expected here. Did you mean "ami"?',
                "range": {
                    "filename": "modules/web/main.tf",
                    "start": {"line": 4, "column": 3, "byte": 60},
                    "end": {"line": 4, "column": 7, "byte": 64},
                },
                "snippet": {
                    "context": 'resource "aws_instance" "web"',
                    "code": '  amis = "x"',
                    "start_line": 4,
                },
            },
        }
    )
    text = '{"@level":"info","@message":"Terraform 1.11.4","type":"version"}\n' + line + "\n"
    (event,) = read_terraform(text)
    assert (event.error_type, event.frames[0].file, event.frames[0].line) == (
        "UnsupportedArgument",
        "modules/web/main.tf",
        4,
    )
    assert (event.frames[0].column, event.frames[0].end_column) == (0, 4)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_terraform_live(tmp_path: Path, engine: Engine) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "region" {\n  type = string\n}\n\noutput "where" {\n  value = var.regoin\n}\n',
        encoding="utf-8",
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    subprocess.run(
        ["terraform", "init", "-no-color"], cwd=tmp_path, env=env, capture_output=True, timeout=120
    )
    done = subprocess.run(
        ["terraform", "validate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    output = done.stdout + done.stderr
    events = [e for e in engine.read_errors(output) if e.language == "hcl"]
    assert [(e.error_type, e.frames[0].line, e.frames[0].column) for e in events] == [
        ("ReferenceToUndeclaredInputVariable", 6, 8)
    ]
    assert 'Did you mean "region"?' in events[0].message


# docker build ----------------------------------------------------------------------------

BUILDKIT_RUN = """\
#6 [3/3] RUN apt-get install curl
#6 1.170 Do you want to continue? [Y/n] Abort.
#6 ERROR: process "/bin/sh -c apt-get install curl" did not complete successfully: exit code: 1
------
 > [3/3] RUN apt-get install curl:
0.945 Building dependency tree...
1.170 Do you want to continue? [Y/n] Abort.
------
docker/Dockerfile.prod:3
--------------------
   1 |     FROM ubuntu:22.04
   2 |     RUN apt-get update
   3 | >>> RUN apt-get install curl
   4 |
--------------------
ERROR: failed to build: failed to solve: process "/bin/sh -c apt-get install curl" did not complete \
successfully: exit code: 1
"""


def test_buildkit_run_failure() -> None:
    (event,) = read_docker(BUILDKIT_RUN)
    assert event.language == "dockerfile"
    assert event.error_type == "RunFailed"
    frame = event.frames[0]
    assert (frame.file, frame.line, frame.source) == ("docker/Dockerfile.prod", 3, "RUN apt-get install curl")
    assert event.message.startswith('process "/bin/sh -c apt-get install curl" did not complete')
    assert "Do you want to continue? [Y/n] Abort." in event.message
    assert "0.945" not in event.message  # step timestamps are dropped


def test_buildkit_multiline_run_points_at_first_marked_line() -> None:
    text = (
        "Dockerfile:5\n--------------------\n   4 |     WORKDIR /app\n"
        "   5 | >>> RUN apt-get update && \\\n   6 | >>>     apt-get install -y python\n"
        "--------------------\n"
        'ERROR: failed to solve: process "/bin/sh -c apt-get update &&     apt-get install -y python"'
        " did not complete successfully: exit code: 100\n"
    )
    (event,) = read_docker(text)
    assert (event.frames[0].line, event.frames[0].source) == (5, "RUN apt-get update && \\")


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (
            "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)",
            "UnknownInstruction",
        ),
        (
            "dockerfile parse error on line 4: FROM requires either one or three arguments",
            "DockerfileParseError",
        ),
        (
            'failed to compute cache key: failed to calculate checksum of ref a::b: "/app.py": not found',
            "CopySourceNotFound",
        ),
        (
            "pytho:3.12: failed to resolve source metadata for docker.io/library/pytho:3.12:"
            " pull access denied,"
            " repository does not exist or may require authorization",
            "ImageNotFound",
        ),
        ("failed to read dockerfile: open Dockerfile: no such file or directory", "BuildError"),
    ],
)
def test_buildkit_classification(reason: str, expected: str) -> None:
    (event,) = read_docker(f"ERROR: failed to solve: {reason}\n")
    assert event.error_type == expected
    if expected.endswith("Instruction") or expected == "DockerfileParseError":
        assert event.frames[0].line is not None  # the line number comes from the message


def test_legacy_builder_names_the_step_but_no_line() -> None:
    text = (
        "Step 3/5 : RUN apt-get install curl\n ---> Running in 5c1d\nDo you want to continue? [Y/n] Abort.\n"
        "The command '/bin/sh -c apt-get install curl' returned a non-zero code: 1\n"
    )
    (event,) = read_docker(text)
    assert (event.error_type, event.frames[0].line, event.frames[0].source) == (
        "RunFailed",
        None,
        "RUN apt-get install curl",
    )
    assert "Abort." in event.message


# YAML tools ------------------------------------------------------------------------------


def test_pyyaml_live_traceback_gives_python_and_yaml_events(tmp_path: Path, engine: Engine) -> None:
    (tmp_path / "config.yaml").write_text("a: 1\nkey: value: other\n", encoding="utf-8")
    script = tmp_path / "load.py"
    script.write_text(
        "import yaml\n\nwith open('config.yaml') as f:\n    yaml.safe_load(f)\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    events = engine.read_errors(done.stderr)
    by_language = {e.language: e for e in events}
    assert by_language["python"].error_type.endswith("ScannerError")
    yaml_event = by_language["yaml"]
    assert (yaml_event.error_type, yaml_event.frames[0].file, yaml_event.frames[0].line) == (
        "ScannerError",
        "config.yaml",
        2,
    )
    assert yaml_event.message == "mapping values are not allowed here"


def test_pyyaml_string_input_is_left_to_python() -> None:
    text = (
        "yaml.scanner.ScannerError: mapping values are not allowed here\n"
        '  in "<unicode string>", line 1, column 5:\n    a: b: c\n        ^\n'
    )
    assert read_yaml(text) == []


def test_pyyaml_parser_error_uses_the_problem_mark() -> None:
    text = (
        "yaml.parser.ParserError: while parsing a flow sequence\n"
        '  in "deploy/values.yaml", line 1, column 4\n'
        "expected ',' or ']', but got ':'\n"
        '  in "deploy/values.yaml", line 2, column 2\n'
    )
    (event,) = read_yaml(text)
    assert (event.error_type, event.frames[0].file, event.frames[0].line) == (
        "ParserError",
        "deploy/values.yaml",
        2,
    )
    assert event.message == "while parsing a flow sequence expected ',' or ']', but got ':'"


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_live(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b: c\n", encoding="utf-8"
    )
    done = subprocess.run(
        ["kubectl", "create", "--dry-run=client", "-o", "name", "-f", "deploy.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    (event,) = read_yaml(done.stdout + done.stderr)
    assert (event.error_type, event.frames[0].file, event.frames[0].line) == (
        "ScannerError",
        "deploy.yaml",
        4,
    )


def test_yamllint_formats_keep_only_syntax_and_duplicates() -> None:
    standard = (
        'ci.yaml\n  1:1       warning  missing document start "---"  (document-start)\n'
        '  4:5       error    duplication of key "image" in mapping  (key-duplicates)\n'
        "  9:81      error    line too long (95 > 80 characters)  (line-length)\n\n"
    )
    parsable = (
        "ci.yaml:3:7: [error] syntax error: found character '\\t' that cannot start any token (syntax)\n"
    )
    events = read_yaml(standard + parsable)
    assert [(e.error_type, e.frames[0].line) for e in events] == [
        ("DuplicateKeyError", 4),
        ("ScannerError", 3),
    ]


# Cargo, npm ------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")
def test_cargo_live(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n\n'
        '[dependencies]\nserde = "1"\nserde = "1.0"\n',
        encoding="utf-8",
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.rs").write_text("fn main() {}\n", encoding="utf-8")
    done = subprocess.run(
        ["cargo", "metadata", "--offline", "--format-version", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    (event,) = read_cargo(done.stderr)
    frame = event.frames[0]
    assert (event.error_type, frame.file, frame.line, frame.column, frame.end_column) == (
        "DuplicateKey",
        "Cargo.toml",
        8,
        0,
        5,
    )


def test_cargo_arrows_into_rust_files_are_not_toml() -> None:
    text = (
        "error[E0425]: cannot find value `x` in this scope\n --> src/main.rs:2:5\n  |\n2 |     x\n  |     ^\n"
    )
    assert read_cargo(text) == []


def test_cargo_old_format() -> None:
    text = (
        "error: failed to parse manifest at `/home/u/app/Cargo.toml`\n\nCaused by:\n"
        "  TOML parse error at line 3, column 11\n    |\n  3 | version = 1.0\n    |           ^^^\n"
        "  invalid type: floating point `1.0`, expected semver version\n"
    )
    (event,) = read_cargo(text)
    assert (event.error_type, event.frames[0].file, event.frames[0].line) == (
        "InvalidType",
        "/home/u/app/Cargo.toml",
        3,
    )


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_npm_live(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(
        '{\n  "name": "x",\n  "version": "1.0.0",\n  "scripts": {\n    "test": "jest",\n  }\n}\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        ["npm", "run", "test"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "npm_config_update_notifier": "false"},
    )
    (event,) = read_npm(done.stdout + done.stderr)
    assert (event.error_type, event.frames[0].file) == ("EJSONPARSE", "package.json")
    assert event.message.startswith("Expected double-quoted property name in JSON at position")
    # Node < 21 prints no line; later releases add "(line N column M)".
    assert event.frames[0].line in (None, 6)


# Robustness ------------------------------------------------------------------------------


def test_mixed_log_language_per_event(engine: Engine) -> None:
    python = (
        "Traceback (most recent call last):\n"
        '  File "/app/main.py", line 3, in <module>\n'
        "    import missing_module\n"
        "ModuleNotFoundError: No module named 'missing_module'\n"
    )
    terraform = (TRACES / "terraform-unclosed-block.nocolor.txt").read_text(encoding="utf-8")
    cargo = 'error: duplicate key\n --> Cargo.toml:8:1\n  |\n8 | serde = "1.0"\n  | ^^^^^\n'
    node = (
        "/app/index.js:2\nconsole.log(user.name);\n                 ^\n\n"
        "TypeError: Cannot read properties of undefined (reading 'name')\n"
        "    at Object.<anonymous> (/app/index.js:2:18)\n    at node:internal/main:1:1\n"
    )
    text = "\n".join(["build started", python, BUILDKIT_RUN, terraform, cargo, node, "done"])
    events = engine.read_errors(text)
    config = [
        (e.language, e.error_type)
        for e in events
        if e.language in ("hcl", "dockerfile", "toml", "yaml", "json")
    ]
    assert ("dockerfile", "RunFailed") in config
    assert ("hcl", "UnclosedConfigurationBlock") in config
    assert ("toml", "DuplicateKey") in config
    assert not [e for e in events if e.language in ("yaml", "json")]
    assert len(config) == 3
    assert any(e.language == "python" and e.error_type == "ModuleNotFoundError" for e in events)


@pytest.mark.parametrize("language", ["yaml", "json", "toml", "dockerfile", "hcl"])
def test_sniffers_ignore_other_languages_output(language: str, engine: Engine) -> None:
    others = [
        "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nKeyError: 'x'\n",
        'Exception in thread "main" java.lang.NullPointerException\n\tat App.main(App.java:3)\n',
        "TypeError: Cannot read properties of undefined (reading 'x')\n    at f (/app/a.js:1:1)\n",
        "panic: runtime error: index out of range [3] with length 2\n\ngoroutine 1 [running]:\nmain.main()\n",
        "error[E0308]: mismatched types\n --> src/main.rs:4:5\n",
        "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)\n",
    ]
    plugin = engine.registry.get(language)
    assert plugin is not None
    for text in others:
        assert plugin.read_errors(text) == [], text


@pytest.mark.parametrize(
    ("reader", "sample"),
    [
        (read_terraform, (TRACES / "terraform-references.txt").read_text(encoding="utf-8")),
        (read_docker, BUILDKIT_RUN),
        (
            read_yaml,
            "yaml.scanner.ScannerError: mapping values are not allowed here\n"
            '  in "c.yaml", line 2, column 11\n',
        ),
        (read_cargo, 'error: duplicate key\n --> Cargo.toml:8:1\n  |\n8 | serde = "1.0"\n  | ^^^^^\n'),
        (
            read_npm,
            "npm error code EJSONPARSE\n"
            "npm error JSON.parse Invalid package.json: JSONParseError: x in JSON at position 3\n",
        ),
    ],
)
def test_readers_are_linear_on_5mb(reader: object, sample: str) -> None:
    assert callable(reader)
    filler = "2024-01-01T00:00:00Z INFO worker: processed 1 item: Error: none, line 3, on main.tf\n"
    text = filler * (5_000_000 // len(filler)) + sample
    started = time.perf_counter()
    events = reader(text)
    elapsed = time.perf_counter() - started
    assert events, "the real error at the end is still found"
    assert elapsed < 20, f"{elapsed:.1f}s for 5 MB"


@pytest.mark.parametrize("reader", [read_terraform, read_docker, read_yaml, read_cargo, read_npm])
@pytest.mark.parametrize(
    "junk",
    [
        "",
        "\x00\xff garbage \x1b[31m",
        "Error: \n  on  line :\n",
        "ERROR: failed to solve:",
        "Dockerfile:99999999999999999999\n---\n",
        " --> x.toml:1:1\n  |\n1 | a\n  | " + "^" * 10_000,
        "╷\n│ Error: x\n│\n│   on main.tf line 1:\n│   1: \x1b[4m\n",
        '{"diagnostics": [1, null, {"severity": "error"}]}',
    ],
)
def test_readers_never_raise_on_junk(reader: object, junk: str) -> None:
    assert callable(reader)
    events = reader(junk)
    assert isinstance(events, list)
