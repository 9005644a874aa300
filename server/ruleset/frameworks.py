"""Reading framework catalog files (``<language>/frameworks/<name>.yaml`` beside the rules)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from homeostasis.model import Framework, FrameworkCatalog
from homeostasis.ruleset.problem import Problem

_KEYS = {"framework", "language", "title", "imports", "packages", "exceptions"}


def is_catalog_file(path: Path) -> bool:
    return path.parent.name == "frameworks"


def load_catalog(paths: Iterable[Path]) -> tuple[FrameworkCatalog, list[Problem]]:
    frameworks: list[Framework] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for path in paths:
        framework, found = load_catalog_file(path)
        problems.extend(found)
        if framework is None:
            continue
        key = (framework.language, framework.name)
        if key in seen:
            problems.append(Problem(str(path), None, None, "framework", f"duplicate, first in {seen[key]}"))
            continue
        seen[key] = str(path)
        frameworks.append(framework)
    return FrameworkCatalog(tuple(frameworks)), problems


def load_catalog_file(path: Path) -> tuple[Framework | None, list[Problem]]:
    name = str(path)

    def problem(field: str, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(name, None, None, field, message)]

    import yaml  # a start-up served from the rule cache never parses YAML

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return problem("file", f"cannot read: {exc}")
    except yaml.YAMLError as exc:
        return problem("file", f"not valid YAML: {str(exc).splitlines()[0]}")
    if not isinstance(data, dict):
        return problem("file", "a framework file is a mapping with 'framework', 'imports', 'packages'")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        return problem(unknown[0], f"unknown key; known keys: {', '.join(sorted(_KEYS))}")
    framework = data.get("framework")
    if not isinstance(framework, str) or not framework.strip():
        return problem("framework", "required: the framework's name, as rules' 'frameworks' lists it")
    # The folder layout names the language: rules/<language>/frameworks/<name>.yaml.
    language = data.get("language", path.parent.parent.name)
    if not isinstance(language, str):
        return problem("language", "must be a string")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("imports", "packages"):
        value = _strings(data.get(key, []))
        if value is None:
            return problem(key, "must be a list of strings")
        lists[key] = value
    exceptions = data.get("exceptions") or {}
    if not isinstance(exceptions, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in exceptions.items()
    ):
        return problem("exceptions", "must map a class name to its parent's name")
    title = data.get("title", framework)
    return (
        Framework(
            name=framework,
            language=language,
            title=str(title),
            imports=lists["imports"],
            packages=lists["packages"],
            exceptions=tuple(exceptions.items()),
            source_file=name,
        ),
        [],
    )


def _strings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(value)
