"""The same server for JavaScript, Java and Go: a real crash, ingested, placed, fixed, gone.

Each program runs with the real toolchain; its output goes to ``homeostasis.ingest``;
the first quick fix on the runtime diagnostic is resolved and applied as the editor
would, written to disk, and the program runs again without that error.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.session import Session

pytestmark = pytest.mark.asyncio(loop_scope="module")


@dataclass(frozen=True)
class Program:
    language: str
    name: str
    source: str
    failing: str  # text of the failing expression's line
    error: str  # what the crash prints, and must not print after the fix
    tool: str

    def run(self, root: Path) -> subprocess.CompletedProcess[str]:
        if self.language == "javascript":
            command = [["node", self.name]]
        elif self.language == "java":
            command = [["javac", "-g", "-d", "out", self.name], ["java", "-cp", "out", "Main"]]
        else:
            command = [["go", "run", self.name]]
        done = subprocess.CompletedProcess[str]([], 0, "", "")
        for step in command:
            done = subprocess.run(step, cwd=root, capture_output=True, text=True, timeout=120)
            if done.returncode != 0:
                break
        return done


PROGRAMS = [
    Program(
        "javascript",
        "server.js",
        "const config = {};\nfunction port(c) {\n  return c.server.port;\n}\nconsole.log(port(config));\n",
        "return c.server.port;",
        "Cannot read properties of undefined",
        "node",
    ),
    Program(
        "java",
        "Main.java",
        "public class Main {\n    public static void main(String[] args) {\n"
        '        String name = System.getenv("HOMEOSTASIS_SURELY_UNSET");\n'
        "        System.out.println(name.length());\n    }\n}\n",
        "System.out.println(name.length());",
        "NullPointerException",
        "javac",
    ),
    Program(
        "go",
        "main.go",
        'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar counts map[string]int\n'
        '\tcounts["a"] = 1\n\tfmt.Println(counts)\n}\n',
        'counts["a"] = 1',
        "assignment to entry in nil map",
        "go",
    ),
]


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.language for p in PROGRAMS])
async def test_crash_ingested_placed_and_fixed(session: Session, program: Program) -> None:
    if shutil.which(program.tool) is None:
        pytest.skip(f"{program.tool} is not installed")
    root = session.root / f"{program.language}-app"
    root.mkdir(exist_ok=True)
    (root / program.name).write_text(program.source)
    crash = program.run(root)
    output = crash.stdout + crash.stderr
    assert program.error in output, output
    uri = session.open(f"{program.language}-app/{program.name}", language=program.language)
    result = await session.command(
        "homeostasis.ingest", {"text": output, "source": f"{program.language}-run"}
    )
    assert result["errors"] >= 1, result

    def placed(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
        # Runtime diagnostics carry the stack; pattern findings in the same file do not.
        return [
            d for d in diagnostics if str(d.code).startswith(program.language + ".") and d.related_information
        ]

    (found, *_) = placed(await session.wait_for(uri, placed))
    line = program.source.splitlines()[found.range.start.line]
    assert program.failing in line, (found, line)
    actions = [
        a
        for a in await session.actions(uri, found.range, diagnostics=[found])
        if isinstance(a, types.CodeAction)
    ]
    fixes = [
        a
        for a in actions
        if a.kind == types.CodeActionKind.QuickFix and not a.title.startswith(("Ignore", "Show"))
    ]
    assert fixes, [a.title for a in actions]
    resolved = await session.resolved(fixes[0])
    assert resolved.edit is not None
    session.apply(resolved.edit)
    fixed = session.texts[uri]
    assert fixed != program.source
    (root / program.name).write_text(fixed)
    again = program.run(root)
    assert program.error not in again.stdout + again.stderr, (fixes[0].title, fixed, again.stderr)
