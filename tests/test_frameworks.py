"""Framework detection: catalogs, manifests, imports; scoped rules and extended exception hierarchies.

A made-up framework ("acme", a local package the test writes) keeps these tests independent
of the built-in framework rule sets; the CLI runs for real on files on disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from homeostasis.engine.manifests import packages_in
from homeostasis.model import Framework, FrameworkCatalog

from tests.cli import homeostasis

CATALOG = """\
framework: acme
language: python
title: Acme SDK
imports: [acme]
packages: [acme-sdk]
exceptions:
  QuotaExceeded: AcmeError
  AcmeError: Exception
"""

RULES = """\
language: python
rules:
  - id: python.acme.quota
    kind: runtime
    message: "Acme quota exceeded for {{ account }}"
    severity: error
    category: acme
    criticality: medium
    complexity: low
    reliability: high
    confidence: 0.6
    frameworks: [acme]
    match:
      error: [AcmeError]
      message: "quota exceeded for (?P<account>\\\\w+)"
      node:
        query: "(call function: (identifier) @_f (#eq? @_f \\"charge\\")) @target"
  - id: python.acme.unchecked-charge
    kind: pattern
    message: "charge() without an amount charges the whole balance"
    severity: warning
    category: acme
    criticality: medium
    complexity: low
    reliability: high
    confidence: 0.7
    frameworks: [acme]
    match:
      query: "(call function: (identifier) @_f (#eq? @_f \\"charge\\") arguments: (argument_list . \\")\\")) @target"
"""

ACME = """\
class AcmeError(Exception):
    pass


class QuotaExceeded(AcmeError):
    pass


def charge(account="main"):
    raise QuotaExceeded(f"quota exceeded for {account}")
"""


def _project(
    tmp_path: Path, app: str, *, catalog: str = CATALOG, extra: dict[str, str] | None = None
) -> Path:
    # The framework is an installed library, outside the workspace, as real frameworks are.
    (tmp_path / "lib" / "acme").mkdir(parents=True)
    (tmp_path / "lib" / "acme" / "__init__.py").write_text(ACME)
    root = tmp_path / "proj"
    rules = root / "myrules"
    (rules / "frameworks").mkdir(parents=True)
    (rules / "frameworks" / "acme.yaml").write_text(catalog)
    (rules / "acme.yaml").write_text(RULES)
    (root / "app.py").write_text(textwrap.dedent(app))
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


def _explain(root: Path, library: Path | None = None) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(library or root.parent / "lib")}
    run = subprocess.run(
        [sys.executable, "app.py"], cwd=root, capture_output=True, text=True, timeout=30, env=env
    )
    assert "QuotaExceeded" in run.stderr, run.stderr
    (root / "err.txt").write_text(run.stderr)
    result = homeostasis(
        "explain", "err.txt", "--root", ".", "--rules", "myrules", "--format", "json", cwd=root
    )
    assert result.code in (0, 1), result.err
    findings = json.loads(result.out)[0]["findings"]
    return [f for f in findings if f["rule"] == "python.acme.quota"]


def _reasons(finding: dict[str, object]) -> list[str]:
    confidence = finding["confidence"]
    assert isinstance(confidence, dict)
    return [r["text"] for r in confidence["reasons"]]


IMPORTING_APP = """\
from acme import charge

charge("shop")
"""

# The call goes through a helper that looks the framework up at run time, so no file imports it.
INDIRECT_APP = """\
import importlib

charge = importlib.import_module("acme").charge
charge("shop")
"""


def test_a_rule_on_the_frameworks_base_class_matches_its_subclass_and_says_the_file_imports_it(
    tmp_path: Path,
) -> None:
    (finding,) = _explain(_project(tmp_path, IMPORTING_APP))
    assert finding["message"] == "Acme quota exceeded for shop"
    assert "Acme SDK is imported in app.py" in _reasons(finding)
    assert finding["range"] == {"start": {"line": 3, "column": 1}, "end": {"line": 3, "column": 15}}


def test_without_the_catalogs_hierarchy_the_base_class_rule_does_not_match(tmp_path: Path) -> None:
    catalog = CATALOG.split("exceptions:")[0]
    assert _explain(_project(tmp_path, IMPORTING_APP, catalog=catalog)) == []


def test_a_manifest_declaring_the_framework_counts_where_the_file_does_not_import_it(tmp_path: Path) -> None:
    root = _project(
        tmp_path, INDIRECT_APP, extra={"requirements.txt": "requests>=2\nAcme_SDK==1.2  # billing\n"}
    )
    (finding,) = _explain(root)
    assert "Acme SDK is declared in requirements.txt" in _reasons(finding)


def test_neither_imported_nor_declared_lowers_the_confidence_and_says_why(tmp_path: Path) -> None:
    root = _project(tmp_path, INDIRECT_APP, extra={"requirements.txt": "requests\n"})
    (absent,) = _explain(root)
    assert "Acme SDK is neither imported in app.py nor declared by the project" in _reasons(absent)
    (root / "requirements.txt").write_text("acme-sdk\n")
    (present,) = _explain(root)
    assert absent["confidence"]["score"] < present["confidence"]["score"]  # type: ignore[index]


def _check(root: Path) -> list[str]:
    result = homeostasis("check", "--rules", "myrules", "--format", "json", ".", cwd=root)
    assert result.code in (0, 1), result.err
    data = json.loads(result.out)
    findings = data["findings"] if isinstance(data, dict) else data
    return sorted(f"{f['path']}:{f['rule']}" for f in findings if f["rule"].startswith("python.acme"))


def test_a_scoped_pattern_rule_fires_only_where_the_framework_is_present(tmp_path: Path) -> None:
    root = _project(tmp_path, "from acme import charge\n\ncharge()\n")
    (root / "other.py").write_text("def charge():\n    pass\n\n\ncharge()\n")
    assert _check(root) == ["app.py:python.acme.unchecked-charge"]
    # Declared by the project: now every file of it is in scope.
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\ndependencies = ["acme-sdk>=1"]\n')
    assert _check(root) == ["app.py:python.acme.unchecked-charge", "other.py:python.acme.unchecked-charge"]


def test_the_configuration_can_force_a_framework(tmp_path: Path) -> None:
    root = _project(tmp_path, "charge()\n")
    assert _check(root) == []
    (root / "pyproject.toml").write_text('[tool.homeostasis]\nframeworks = ["acme"]\n')
    assert _check(root) == ["app.py:python.acme.unchecked-charge"]


def test_validate_reports_bad_catalogs_and_unknown_frameworks(tmp_path: Path) -> None:
    rules = tmp_path / "r"
    (rules / "frameworks").mkdir(parents=True)
    (rules / "frameworks" / "bad.yaml").write_text("framework: x\nimports: django\n")
    (rules / "frameworks" / "worse.yaml").write_text("- not a mapping\n")
    (rules / "one.yaml").write_text(RULES.replace("frameworks: [acme]", "frameworks: [nosuch]", 1))
    result = homeostasis("rules", "validate", str(rules), cwd=tmp_path)
    assert result.code == 1
    text = result.out + result.err
    assert "bad.yaml: imports: must be a list of strings" in text
    assert "worse.yaml: file: a framework file is a mapping" in text
    assert "unknown framework 'nosuch'" in text


MANIFESTS = {
    "requirements-dev.txt": "-r requirements.txt\n# tools\nDjango>=5.0 ; python_version>'3.10'\nflask[async]==3.1\n",
    "pyproject.toml": textwrap.dedent(
        """\
        [project]
        dependencies = ["fastapi>=0.100", "SQLAlchemy[asyncio]"]
        [project.optional-dependencies]
        data = ["pandas"]
        [tool.poetry.dependencies]
        celery = "^5"
        """
    ),
    "package.json": json.dumps({"dependencies": {"express": "^4"}, "devDependencies": {"react": "^18"}}),
    "pom.xml": (
        "<project><parent><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-parent</artifactId></parent><dependencies><dependency>\n"
        "  <groupId>org.hibernate.orm</groupId>\n  <artifactId>hibernate-core</artifactId>\n"
        "</dependency></dependencies></project>"
    ),
    "build.gradle.kts": 'plugins { id("org.springframework.boot") }\ndependencies { implementation("io.ktor:ktor-server:2.3") }',
    "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n  gem \"pg\"\n",
    "go.mod": "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\nrequire golang.org/x/sync v0.6.0\n",
    "Cargo.toml": '[dependencies]\ntokio = { version = "1" }\n[dev-dependencies]\nproptest = "1"\n',
    "composer.json": json.dumps({"require": {"laravel/framework": "^11"}}),
    "app.csproj": '<Project><ItemGroup><PackageReference Include="Microsoft.EntityFrameworkCore" /></ItemGroup></Project>',
    "README.md": "gem 'not-a-manifest'\n",
}


def test_manifests_of_every_ecosystem_list_their_packages() -> None:
    by_file: dict[str, set[str]] = {}
    for package, where in packages_in(MANIFESTS):
        by_file.setdefault(where, set()).add(package)
    assert by_file == {
        "requirements-dev.txt": {"Django", "flask"},
        "pyproject.toml": {"fastapi", "SQLAlchemy", "pandas", "celery"},
        "package.json": {"express", "react"},
        "pom.xml": {
            "org.springframework.boot:spring-boot-starter-parent",
            "org.hibernate.orm:hibernate-core",
        },
        "build.gradle.kts": {"io.ktor:ktor-server", "org.springframework.boot"},
        "Gemfile": {"rails", "pg"},
        "go.mod": {"github.com/gin-gonic/gin", "golang.org/x/sync"},
        "Cargo.toml": {"tokio", "proptest"},
        "composer.json": {"laravel/framework"},
        "app.csproj": {"Microsoft.EntityFrameworkCore"},
    }


@pytest.mark.parametrize(
    ("wanted", "declared", "matches"),
    [
        ("django", "Django", True),
        ("acme-sdk", "Acme_SDK", True),
        ("org.springframework", "org.springframework.boot:spring-boot-starter-web", True),
        ("org.hibernate", "org.hibernate.orm:hibernate-core", True),
        ("github.com/gin-gonic/gin", "github.com/gin-gonic/gin", True),
        ("flask", "flask-login", False),
        ("react", "react-dom", False),
        ("org.spring", "org.springframework.boot:x", False),
    ],
)
def test_catalog_declared_by_matches_names_and_prefixes(wanted: str, declared: str, matches: bool) -> None:
    catalog = FrameworkCatalog((Framework("fw", "python", packages=(wanted,)),))
    assert bool(catalog.declared_by([(declared, "m")])) is matches


def test_broken_manifests_declare_nothing_and_do_not_crash() -> None:
    broken = {
        "package.json": "{not json",
        "pyproject.toml": "[project\n",
        "Cargo.toml": "\x00\x01",
        "pom.xml": "",
    }
    assert packages_in(broken) == []


def test_python_imports_are_read_in_one_pass_without_relative_or_quoted_ones() -> None:
    from homeostasis.languages.python.imports import imported_modules

    text = (
        "from flask import g\nimport os, numpy as np\nimport django.db\nfrom . import sibling\n"
        "from .models import Book\n  import pandas  # late\nx = 'import requests'\n"
        "from sqlalchemy.orm import (\n    Session,\n)\nimport_thing = 1\n"
    )
    assert imported_modules(text) == {"flask", "os", "numpy", "django.db", "pandas", "sqlalchemy.orm"}


def test_javascript_imports_are_read_in_one_pass_with_each_package_name() -> None:
    from homeostasis.languages.javascript.imports import imported_modules

    text = (
        'import React, { useState } from "react";\n'
        "import { createRoot } from 'react-dom/client';\n"
        "const app = require ( 'express' )();\n"
        "const lazy = await import('lodash/fp');\n"
        'export * from "@scope/pkg/deep/path";\n'
        "import './styles.css';\n"
        "myrequire('not-a-module'); reimport('neither');\n"
        "// from here on, a comment\n"
    )
    assert imported_modules(text) == {
        "react",
        "react-dom",
        "react-dom/client",
        "express",
        "lodash",
        "lodash/fp",
        "@scope/pkg",
        "@scope/pkg/deep",
        "@scope/pkg/deep/path",
        "./styles.css",
    }
    assert imported_modules("") == frozenset()


def test_a_qualified_error_type_takes_the_hierarchy_of_the_framework_it_comes_from() -> None:
    catalog = FrameworkCatalog(
        (
            Framework(
                "django", "python", imports=("django",), exceptions=(("ValidationError", "Exception"),)
            ),
            Framework(
                "pydantic",
                "python",
                imports=("pydantic", "pydantic_core"),
                exceptions=(("ValidationError", "ValueError"),),
            ),
        )
    )

    def base(name: str) -> tuple[str, ...]:
        return {"ValueError": ("ValueError", "Exception"), "Exception": ("Exception",)}.get(name, (name,))

    pydantic = catalog.ancestors("python", "pydantic_core._pydantic_core.ValidationError", base)
    django = catalog.ancestors("python", "django.core.exceptions.ValidationError", base)
    assert pydantic == ("ValidationError", "ValueError", "Exception")
    assert django == ("ValidationError", "Exception")


def test_a_stack_through_the_frameworks_installed_code_counts_as_presence(tmp_path: Path) -> None:
    # Installed the way pip installs it: the frames are under site-packages/acme/.
    root = _project(tmp_path, INDIRECT_APP)
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (tmp_path / "lib" / "acme").rename(site / "acme")
    (finding,) = _explain(root, library=site)
    assert "the stack runs through Acme SDK's code (acme/)" in _reasons(finding)


REFINING = """\
  - id: python.acme.missing-key
    kind: runtime
    message: "Acme has no such plan"
    severity: error
    category: acme
    criticality: medium
    complexity: low
    reliability: high
    confidence: 0.8
    frameworks: [acme]
    requires: [python.key-error.subscript]
    match:
      error: [KeyError]
"""


def test_a_refinement_whose_framework_is_absent_does_not_replace_the_rule_it_refines(tmp_path: Path) -> None:
    root = _project(tmp_path, "plans = {}\nprint(plans['gold'])\n")
    (root / "myrules" / "acme.yaml").write_text(RULES + REFINING)
    run = subprocess.run([sys.executable, "app.py"], cwd=root, capture_output=True, text=True, timeout=30)
    (root / "err.txt").write_text(run.stderr)

    def rules() -> list[str]:
        out = homeostasis(
            "explain", "err.txt", "--root", ".", "--rules", "myrules", "--format", "json", cwd=root
        )
        return [f["rule"] for f in json.loads(out.out)[0]["findings"]]

    assert rules()[0] == "python.key-error.subscript"  # a plain dict: the generic rule leads
    (root / "app.py").write_text("import acme\n\nplans = {}\nprint(plans['gold'])\n")
    run = subprocess.run(
        [sys.executable, "app.py"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "lib")},
    )
    (root / "err.txt").write_text(run.stderr)
    assert rules() == ["python.acme.missing-key"]  # acme imported: the refinement replaces it


def test_a_manifest_in_a_subfolder_covers_that_folder_only(tmp_path: Path) -> None:
    # A monorepo: the backend declares the framework, the scripts folder does not.
    root = _project(tmp_path, "charge()\n")
    (root / "backend").mkdir()
    (root / "backend" / "requirements.txt").write_text("acme-sdk==2\n")
    (root / "backend" / "api.py").write_text("charge()\n")
    (root / "scripts").mkdir()
    (root / "scripts" / "tool.py").write_text("charge()\n")
    assert _check(root) == ["backend/api.py:python.acme.unchecked-charge"]


def test_manifest_search_skips_hidden_folders_virtualenvs_and_dependencies(tmp_path: Path) -> None:
    from homeostasis.workspace.manifests import manifest_paths

    for folder in (".git", "node_modules/pkg", "venv", "a/b/c"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "package.json").write_text("{}")
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "a" / "b" / "package.json").write_text("{}")
    (tmp_path / "package.json").write_text("{}")
    found = sorted(p.relative_to(tmp_path).as_posix() for p in manifest_paths(tmp_path))
    assert found == ["a/b/package.json", "package.json"]  # a/b/c is deeper than two levels
