"""Dependency manifests: which packages a project declares, hence which frameworks it uses.

Pure: text in, package names out, so rule tests can use in-memory files too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from fnmatch import fnmatchcase
from typing import Any

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirements(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        if match := _REQUIREMENT.match(line):
            out.append(match.group(1))
    return out


def _toml(text: str) -> dict[str, Any]:
    import tomllib  # most workspaces have no TOML manifest

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _table(data: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def _pyproject(text: str) -> list[str]:
    data = _toml(text)
    specs: list[str] = []
    deps = _table(data, "project", "dependencies")
    if isinstance(deps, list):
        specs.extend(d for d in deps if isinstance(d, str))
    for table in (_table(data, "project", "optional-dependencies"), data.get("dependency-groups")):
        if isinstance(table, dict):
            for group in table.values():
                if isinstance(group, list):
                    specs.extend(d for d in group if isinstance(d, str))
    names = _requirements("\n".join(specs))
    poetry = _table(data, "tool", "poetry")
    if isinstance(poetry, dict):
        for key in ("dependencies", "dev-dependencies"):
            if isinstance(poetry.get(key), dict):
                names.extend(poetry[key])
        for group in (poetry.get("group") or {}).values():
            if isinstance(group, dict) and isinstance(group.get("dependencies"), dict):
                names.extend(group["dependencies"])
    return names


def _pipfile(text: str) -> list[str]:
    data = _toml(text)
    return [name for key in ("packages", "dev-packages") for name in (data.get(key) or {})]


def _json_keys(*tables: str) -> Callable[[str], list[str]]:
    def read(text: str) -> list[str]:
        try:
            data = json.loads(text)
        except ValueError:
            return []
        if not isinstance(data, dict):
            return []
        return [name for t in tables if isinstance(data.get(t), dict) for name in data[t]]

    return read


def _cargo(text: str) -> list[str]:
    data = _toml(text)
    names = [n for key in ("dependencies", "dev-dependencies") for n in (data.get(key) or {})]
    names.extend(n for n in (_table(data, "workspace", "dependencies") or {}))
    return names


_MAVEN = re.compile(r"<groupId>\s*([\w.-]+)\s*</groupId>\s*<artifactId>\s*([\w.-]+)\s*</artifactId>", re.S)
_GRADLE = re.compile(r"""["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']""")
_GRADLE_PLUGIN = re.compile(r"""\bid\s*\(?\s*["']([\w.-]+)["']""")


def _pom(text: str) -> list[str]:
    return [f"{group}:{artifact}" for group, artifact in _MAVEN.findall(text)]


def _gradle(text: str) -> list[str]:
    found = [f"{group}:{artifact}" for group, artifact in _GRADLE.findall(text)]
    return [*found, *_GRADLE_PLUGIN.findall(text)]


def _gemfile(text: str) -> list[str]:
    return re.findall(r"""^\s*gem\s+["']([\w.-]+)["']""", text, re.M)


def _gomod(text: str) -> list[str]:
    names = re.findall(r"^\s*require\s+([\w./~-]+)\s", text, re.M)
    for block in re.findall(r"^\s*require\s*\((.*?)\)", text, re.M | re.S):
        names.extend(re.findall(r"^\s*([\w./~-]+)\s+v", block, re.M))
    return names


def _csproj(text: str) -> list[str]:
    return re.findall(r"""<PackageReference\s+Include\s*=\s*["']([\w.-]+)["']""", text)


_NPM = _json_keys("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")

# file-name glob -> parser; the first glob that matches a name reads it.
PARSERS: tuple[tuple[str, Callable[[str], list[str]]], ...] = (
    ("requirements*.txt", _requirements),
    ("pyproject.toml", _pyproject),
    ("Pipfile", _pipfile),
    (
        "package.json",
        _json_keys("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"),
    ),
    ("composer.json", _json_keys("require", "require-dev")),
    ("pom.xml", _pom),
    ("build.gradle", _gradle),
    ("build.gradle.kts", _gradle),
    ("Gemfile", _gemfile),
    ("go.mod", _gomod),
    ("Cargo.toml", _cargo),
    ("*.csproj", _csproj),
)


def parser_for(name: str) -> Callable[[str], list[str]] | None:
    return next((parse for glob, parse in PARSERS if fnmatchcase(name, glob)), None)


def packages_in(files: Mapping[str, str]) -> list[tuple[str, str]]:
    """(package, manifest) for every manifest among ``files`` (path -> text)."""
    out: list[tuple[str, str]] = []
    for path, text in sorted(files.items()):
        parse = parser_for(path.replace("\\", "/").rsplit("/", 1)[-1])
        if parse is not None:
            out.extend((package, path) for package in parse(text))
    return out
