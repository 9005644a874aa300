"""End to end: a program crashes, `homeostasis fix` reads its real traceback, the crash is gone.

Each case is a small program written to disk and run with this interpreter; its
stderr goes to the real CLI through a pipe, exactly as a user would do it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cli import homeostasis, run_python


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    error: str  # the exception type the first run must die with
    flags: tuple[str, ...] = ("--unsafe",)
    entry: str = "main.py"
    changed: tuple[str, ...] = ("main.py",)  # files the fix must touch
    extra: dict[str, str] = field(default_factory=dict)


CASES = [
    Case(
        "key-error-dict-get",
        {"main.py": 'settings = {"host": "localhost"}\nport = settings["port"]\nprint("port:", port)\n'},
        "KeyError",
    ),
    Case(
        "key-error-in-function-guard",
        {
            "main.py": "def show(user):\n    print(user['email'])\n\n\nshow({'name': 'Ada'})\n",
        },
        "KeyError",
    ),
    Case(
        "index-error-argv",
        {"main.py": "import sys\n\nname = sys.argv[1]\nprint('hello', name)\n"},
        "IndexError",
    ),
    Case(
        "attribute-error-none-from-re-match",
        {
            "main.py": "import re\n\nmatch = re.match(r'(\\d+)', 'abc')\nprint(match.group(1))\n",
        },
        "AttributeError",
    ),
    Case(
        "attribute-error-typo",
        {
            "main.py": (
                "class User:\n    def __init__(self, name):\n        self.name = name\n\n\n"
                "user = User('Ada')\nprint(user.nmae)\n"
            ),
        },
        "AttributeError",
    ),
    Case(
        "name-error-typo",
        {
            "main.py": "def total(values):\n    result = sum(values)\n    return reslt\n\n\nprint(total([1, 2]))\n"
        },
        "NameError",
    ),
    Case(
        "name-error-missing-import",
        {"main.py": "data = json.loads('{\"a\": 1}')\nprint(data)\n"},
        "NameError",
        flags=(),
    ),
    Case(
        "module-not-found-typo",
        {"main.py": "import jsonn\n\nprint(jsonn.dumps({}))\n"},
        "ModuleNotFoundError",
    ),
    Case(
        "unbound-local-global-counter",
        {
            "main.py": "counter = 0\n\n\ndef bump():\n    counter += 1\n    return counter\n\n\nprint(bump())\n",
        },
        "UnboundLocalError",
    ),
    Case(
        "type-error-missing-positional",
        {
            "main.py": "def greet(name, greeting):\n    return f'{greeting}, {name}'\n\n\nprint(greet('Ada'))\n"
        },
        "TypeError",
    ),
    Case(
        "type-error-unexpected-keyword-other-module",
        {
            "util.py": "def greet(name):\n    return 'hello ' + name\n",
            "main.py": "from util import greet\n\nprint(greet('Ada', loud=True))\n",
        },
        "TypeError",
        changed=("util.py",),
    ),
    Case(
        "type-error-str-plus-int",
        {"main.py": "count = 3\nlabel = 'items: ' + count\nprint(label)\n"},
        "TypeError",
    ),
    Case(
        "value-error-int-literal",
        {"main.py": "raw = 'twelve'\nvalue = int(raw)\nprint(value)\n"},
        "ValueError",
    ),
    Case(
        "zero-division",
        {"main.py": "def average(values):\n    return sum(values) / len(values)\n\n\nprint(average([]))\n"},
        "ZeroDivisionError",
    ),
    Case(
        "file-not-found",
        {"main.py": "with open('missing-config.txt') as handle:\n    print(handle.read())\n"},
        "FileNotFoundError",
    ),
    Case(
        "json-decode-error",
        {"main.py": "import json\n\npayload = ''\ndata = json.loads(payload)\nprint(data)\n"},
        "JSONDecodeError",
    ),
    Case(
        "dict-changed-during-iteration",
        {
            "main.py": (
                "stock = {'apples': 0, 'pears': 2}\nfor item in stock:\n    if stock[item] == 0:\n"
                "        del stock[item]\nprint(stock)\n"
            ),
        },
        "RuntimeError",
    ),
    Case(
        "int-not-iterable",
        {"main.py": "n = 3\nfor i in n:\n    print(i)\n"},
        "TypeError",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fix_makes_the_crash_go_away(case: Case, tmp_path: Path) -> None:
    for name, text in case.files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "pyproject.toml").write_text("[tool.homeostasis]\n")
    first = run_python(tmp_path / case.entry, tmp_path)
    assert first.returncode != 0, "the program should crash before the fix"
    assert case.error in first.stderr, first.stderr
    before = {name: (tmp_path / name).read_text() for name in case.files}

    fixed = homeostasis("fix", *case.flags, "-", cwd=tmp_path, stdin=first.stderr)
    assert fixed.code == 0, f"fix failed:\n{fixed.out}\n{fixed.err}\n--- traceback:\n{first.stderr}"
    for name in case.changed:
        assert (tmp_path / name).read_text() != before[name], f"{name} should have been fixed"
    for name in set(case.files) - set(case.changed):
        assert (tmp_path / name).read_text() == before[name], f"{name} should not change"

    second = run_python(tmp_path / case.entry, tmp_path)
    assert case.error not in second.stderr, (
        f"still failing after the fix:\n{second.stderr}\n--- fix output:\n{fixed.out}\n"
        + "\n".join(f"--- {n}:\n{(tmp_path / n).read_text()}" for n in case.files)
    )
    assert "Traceback" not in second.stderr, f"the fixed program crashes differently:\n{second.stderr}"

    after_once = {name: (tmp_path / name).read_text() for name in case.files}
    again = homeostasis("fix", *case.flags, "-", cwd=tmp_path, stdin=first.stderr)
    assert again.code in (0, 1)
    assert {name: (tmp_path / name).read_text() for name in case.files} == after_once, "fix is not idempotent"


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 15
    assert sys.version_info >= (3, 11)
