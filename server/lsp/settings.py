"""Editor settings and how they combine with ``[tool.homeostasis]`` in pyproject.toml.

Where settings come from, lowest precedence first (``configurationPreference``
``"editorFirst"``, the default):

1. built-in defaults;
2. ``[tool.homeostasis]`` of the nearest pyproject.toml above the file (searched
   up to the git root, so each project of a monorepo has its own);
3. ``initializationOptions`` (the whole object, or its ``settings`` or
   ``homeostasis`` member);
4. ``workspace/configuration`` for section ``homeostasis``, asked per workspace
   folder (multi-root), or the ``didChangeConfiguration`` payload for clients
   that cannot be asked.

A layer overrides only the keys it sets. ``"filesystemFirst"`` puts 2 above 3
and 4; ``"editorOnly"`` ignores 2. Editor keys are camelCase spellings of the
pyproject ones (``confidenceThreshold`` = ``confidence-threshold``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from homeostasis.model import Settings
from homeostasis.workspace.config import ConfigResult, merge_settings, settings_from_table

SECTION = "homeostasis"
PREFERENCES = ("editorFirst", "filesystemFirst", "editorOnly")
_ENGINE_KEYS = frozenset(
    {
        "enable",
        "disable",
        "severity",
        "confidence-threshold",
        "path-remaps",
        "unsafe-fixes",
        "exclude",
        "max-file-bytes",
    }
)
_SETTINGS_FIELDS = frozenset(f.name for f in fields(Settings))
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """What only the language server reads (the engine never sees these)."""

    workspace_diagnostics: bool = False
    error_globs: tuple[str, ...] = (".homeostasis/errors/**",)
    test_command: tuple[str, ...] = ()  # empty: pytest for Python projects
    test_timeout: float = 600.0
    rules: tuple[str, ...] = ()  # extra rule folders, relative to the workspace folder
    trusted: bool = False  # workspace rules load only in a trusted workspace
    configuration_preference: str = "editorFirst"
    diagnostic_delay_ms: int = 5


@dataclass(frozen=True, slots=True)
class EditorSettings:
    engine_table: Mapping[str, object]  # kebab-case keys, as in [tool.homeostasis]
    options: ServerOptions
    problems: tuple[str, ...] = ()


def unwrap(raw: object) -> dict[str, Any]:
    """The homeostasis settings inside an initializationOptions/didChangeConfiguration payload."""
    if not isinstance(raw, dict):
        return {}
    for key in (SECTION, "settings"):
        inner = raw.get(key)
        if isinstance(inner, dict):
            return unwrap(inner) if key == "settings" else dict(inner)
    return dict(raw)


def layer(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    return {**base, **{k: v for k, v in top.items() if v is not None}}


def _kebab(key: str) -> str:
    return _CAMEL.sub(r"-\1", key).lower().replace("_", "-")


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def parse_editor(raw: Mapping[str, Any]) -> EditorSettings:
    engine: dict[str, object] = {}
    problems: list[str] = []
    options: dict[str, Any] = {}
    for key, value in raw.items():
        kebab = _kebab(key)
        if kebab in _ENGINE_KEYS:
            engine[kebab] = value
            continue
        problem = _read_option(kebab, value, options)
        if problem:
            problems.append(f"setting homeostasis.{key}: {problem}")
    return EditorSettings(engine, ServerOptions(**options), tuple(problems))


def _read_option(key: str, value: object, out: dict[str, Any]) -> str | None:
    if key in ("workspace-diagnostics", "trusted"):
        if not isinstance(value, bool):
            return "expected true or false"
        out[key.replace("-", "_")] = value
    elif key in ("error-globs", "rules"):
        strings = _strings(value)
        if strings is None:
            return "expected a list of strings"
        out["error_globs" if key == "error-globs" else "rules"] = strings
    elif key == "test-command":
        import shlex

        if isinstance(value, str):
            try:
                out["test_command"] = tuple(shlex.split(value))
            except ValueError as exc:
                return f"cannot split the command: {exc}"
        elif (strings := _strings(value)) is not None:
            out["test_command"] = strings
        else:
            return "expected a command line or a list of arguments"
    elif key == "test-timeout":
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            return "expected a positive number of seconds"
        out["test_timeout"] = float(value)
    elif key == "configuration-preference":
        if value not in PREFERENCES:
            return f"expected one of {', '.join(PREFERENCES)}"
        out["configuration_preference"] = value
    elif key == "diagnostic-delay":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5000:
            return "expected milliseconds between 0 and 5000"
        out["diagnostic_delay_ms"] = value
    else:
        return "unknown setting"
    return None


def _file_keys(config: ConfigResult) -> set[str]:
    """The keys the pyproject table sets (ConfigResult keeps only the resulting values)."""
    if config.config_file is None:
        return set()
    try:
        with config.config_file.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return set()
    table = data.get("tool", {}).get(SECTION) if isinstance(data.get("tool"), dict) else None
    return {k for k in table if k in _ENGINE_KEYS} if isinstance(table, dict) else set()


def _explicit(settings: Settings, keys: set[str]) -> dict[str, object]:
    names = {k.replace("-", "_") for k in keys} & _SETTINGS_FIELDS
    return {name: getattr(settings, name) for name in names}


def effective(config: ConfigResult, editor: EditorSettings) -> tuple[Settings, tuple[str, ...]]:
    """The engine settings for files under ``config``, and the problems found on the way."""
    editor_settings, raw_problems = settings_from_table(editor.engine_table)
    # A key whose whole value was rejected keeps the lower layer's value, not the default.
    valid = {
        k
        for k in editor.engine_table
        if k in _ENGINE_KEYS and not any(p.startswith(f"tool.homeostasis.{k}:") for p in raw_problems)
    }
    problems = tuple(p.replace("tool.homeostasis.", "setting homeostasis.") for p in raw_problems)
    preference = editor.options.configuration_preference
    if preference == "editorOnly":
        return editor_settings, problems
    if preference == "filesystemFirst":
        merged = merge_settings(editor_settings, **_explicit(config.settings, _file_keys(config)))
    else:
        merged = merge_settings(config.settings, **_explicit(editor_settings, valid))
    return merged, problems + config.problems


def rule_dirs(root: Path, options: ServerOptions) -> tuple[Path, ...]:
    """Workspace rule folders that exist; only meaningful when the workspace is trusted."""
    out = []
    for entry in (*options.rules, ".homeostasis/rules"):
        folder = (root / entry).resolve()
        if folder.is_dir() and folder not in out:
            out.append(folder)
    return tuple(out)
