"""Workspace folders, and the engine each file is checked with.

A file's engine depends on its folder's editor settings, the nearest
pyproject.toml above it and the folder's (trusted) rule files. Loading rules is
the slow part (seconds), so it happens once per set of rule folders, in a
thread; an engine for other settings reuses the loaded rules, templates and
compiled queries and costs nothing.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeostasis.engine import Engine
from homeostasis.engine.frameworks import with_declared
from homeostasis.lsp.ranged import known_ids
from homeostasis.lsp.settings import (
    EditorSettings,
    ServerOptions,
    effective,
    layer,
    parse_editor,
    rule_dirs,
)
from homeostasis.model import Declared, Document, FrameworkCatalog, Rule, Settings
from homeostasis.plugins.registry import Registry, load_registry
from homeostasis.ruleset import RuleSet
from homeostasis.ruleset.loader import Problem, load_rules
from homeostasis.ruleset.ruleset import CycleError
from homeostasis.ruleset.templates import load_templates
from homeostasis.workspace.config import ConfigResult, load_config
from homeostasis.workspace.manifests import declared_frameworks
from homeostasis.workspace.project import Project, build_project, query_checker
from homeostasis.workspace.sources import DiskSources
from pygls.uris import from_fs_path, to_fs_path

log = logging.getLogger("homeostasis.lsp")


@dataclass(frozen=True, slots=True)
class Folder:
    uri: str
    root: Path
    name: str


@dataclass(frozen=True)
class EngineView:
    """An engine together with what the server needs next to it."""

    engine: Engine
    ids: frozenset[str]
    settings: Settings
    options: ServerOptions
    folder: Folder


def uri_to_path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def path_to_uri(path: Path | str) -> str:
    return from_fs_path(str(path)) or f"file://{path}"


class Workspace:
    """Folders, settings layers and engines. Lives on the event loop's thread."""

    def __init__(self, on_problem: Callable[[str], None]) -> None:
        self.folders: dict[str, Folder] = {}
        self.global_settings: dict[str, Any] = {}  # initializationOptions
        self.configured_settings: dict[str, Any] = {}  # workspace/configuration without a scope
        self.folder_settings: dict[str, dict[str, Any]] = {}
        self._on_problem = on_problem
        self._configs: dict[Path, ConfigResult] = {}
        self._manifests: dict[tuple[Path, frozenset[str]], tuple[Declared, ...]] = {}
        self._projects: dict[tuple[Path, ...], asyncio.Future[Project]] = {}
        self._engines: dict[tuple[tuple[Path, ...], Settings, ServerOptions, str], EngineView] = {}
        self._reported: set[str] = set()
        self.generation = 0  # bumped whenever settings, config or rules change
        # For telling a document's language before any rules are loaded (cheap: no rules).
        self.languages = load_registry()
        # Set once the client's settings are known (after `initialized` asked for them), so
        # nothing is checked with settings about to change.
        self.configured = asyncio.Event()

    def detect(self, path: Path | None, uri: str, language_id: str) -> str | None:
        language = self.languages.for_path(str(path) if path is not None else uri)
        if language is None:
            language = self.languages.get(language_id)
        return language.id if language is not None else None

    # Folders ---------------------------------------------------------------------

    def add_folder(self, uri: str, name: str | None = None) -> None:
        root = uri_to_path(uri)
        if root is not None:
            self.folders[uri] = Folder(uri, root, name or root.name)

    def remove_folder(self, uri: str) -> None:
        self.folders.pop(uri, None)
        self.folder_settings.pop(uri, None)
        self.invalidate()

    def folder_for(self, path: Path | None) -> Folder:
        """The innermost folder holding ``path``; a stand-in folder for files outside all."""
        best: Folder | None = None
        if path is not None:
            for folder in self.folders.values():
                inside = path == folder.root or folder.root in path.parents
                if inside and (best is None or len(folder.root.parts) > len(best.root.parts)):
                    best = folder
        if best is not None:
            return best
        if path is not None:
            return Folder(path_to_uri(path.parent), path.parent, path.parent.name)
        first = next(iter(self.folders.values()), None)
        return first or Folder(path_to_uri(Path.cwd()), Path.cwd(), Path.cwd().name)

    def relative(self, path: Path | None, uri: str, folder: Folder) -> str:
        if path is None:
            return uri.rsplit("/", 1)[-1] or uri
        try:
            return path.relative_to(folder.root).as_posix()
        except ValueError:
            return path.as_posix()

    # Settings --------------------------------------------------------------------

    def editor(self, folder: Folder) -> EditorSettings:
        merged = layer(self.global_settings, self.configured_settings)
        return parse_editor(layer(merged, self.folder_settings.get(folder.uri, {})))

    def options(self, folder: Folder) -> ServerOptions:
        return self.editor(folder).options

    def config(self, directory: Path) -> ConfigResult:
        config = self._configs.get(directory)
        if config is None:
            config = load_config(directory)
            self._configs[directory] = config
        return config

    def _declared(self, root: Path, catalog: FrameworkCatalog) -> tuple[Declared, ...]:
        key = (root, catalog.names())
        declared = self._manifests.get(key)
        if declared is None:
            declared = declared_frameworks([root], catalog)
            self._manifests[key] = declared
        return declared

    def invalidate(self, configs: bool = True) -> None:
        if configs:
            self._configs.clear()
            self._manifests.clear()
        self._engines.clear()
        self.generation += 1

    def drop_rules(self) -> None:
        """Forget loaded workspace rules (the built-in set stays)."""
        for key in [k for k in self._projects if k]:
            del self._projects[key]
        self.invalidate(configs=False)

    def report(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self._on_problem(message)

    # Engines ---------------------------------------------------------------------

    def project(self, dirs: tuple[Path, ...]) -> asyncio.Future[Project]:
        future = self._projects.get(dirs)
        if future is None:
            if dirs:
                future = asyncio.ensure_future(self._with_workspace_rules(dirs))
            else:
                future = asyncio.ensure_future(asyncio.to_thread(build_project, Settings(), []))
            self._projects[dirs] = future
            future.add_done_callback(lambda f: self._project_loaded(dirs, f))
        return future

    async def _with_workspace_rules(self, dirs: tuple[Path, ...]) -> Project:
        # Built-in rules load once; a change to a workspace rule file reloads only those files.
        base = await asyncio.shield(self.project(()))
        return await asyncio.to_thread(with_rules, base, dirs)

    def _project_loaded(self, dirs: tuple[Path, ...], future: asyncio.Future[Project]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            self.report(f"rules could not be loaded from {[str(d) for d in dirs]}: {error!r}")
            self._projects.pop(dirs, None)
            return
        project = future.result()
        log.info(
            "rules loaded for %s: %d rules", [str(d) for d in dirs] or "built-ins", len(project.engine.rules)
        )
        for problem in project.rule_problems:
            self.report(f"rule skipped: {problem}")
        for plugin_error in project.registry.errors:
            self.report(f"language plugin not loaded: {plugin_error}")
        # The rule set and the modules are long-lived: moving them out of the collector's reach
        # keeps full collections (tens of ms with them) from landing between a keystroke and its
        # diagnostics.
        gc.freeze()

    def ready_view(self, path: Path | None) -> EngineView | None:
        """The engine for ``path`` if its rules are loaded; never blocks."""
        if not self.configured.is_set():
            return None
        folder = self.folder_for(path)
        editor = self.editor(folder)
        dirs = self._dirs(folder, editor)
        future = self.project(dirs)
        if not future.done() or future.cancelled() or future.exception() is not None:
            if future.done() and dirs:
                return self._view(path, folder, editor, ())  # workspace rules failed: built-ins
            return None
        return self._view(path, folder, editor, dirs)

    async def view(self, path: Path | None) -> EngineView:
        """The engine for ``path``, waiting for its rules; settings may change meanwhile."""
        await self.configured.wait()
        while True:
            folder = self.folder_for(path)
            dirs = self._dirs(folder, self.editor(folder))
            try:
                await asyncio.shield(self.project(dirs))
            except Exception:
                await asyncio.shield(self.project(()))
            view = self.ready_view(path)
            if view is not None:
                return view

    async def folder_view(self, folder: Folder) -> EngineView:
        """The engine for the folder's own files (its root configuration)."""
        return await self.view(folder.root / "__folder__")

    def _dirs(self, folder: Folder, editor: EditorSettings) -> tuple[Path, ...]:
        if not editor.options.trusted:
            if editor.options.rules or (folder.root / ".homeostasis" / "rules").is_dir():
                self.report(
                    f"workspace rules in {folder.root} not loaded: the workspace is not trusted"
                    " (setting homeostasis.trusted)"
                )
            return ()
        return rule_dirs(folder.root, editor.options)

    def _view(
        self, path: Path | None, folder: Folder, editor: EditorSettings, dirs: tuple[Path, ...]
    ) -> EngineView:
        config = self.config(path.parent if path is not None else folder.root)
        settings, problems = effective(config, editor)
        for problem in (*editor.problems, *problems):
            self.report(f"config: {problem}")
        project = self._projects[dirs].result()
        settings = with_declared(settings, self._declared(config.root, project.engine.rules.frameworks))
        key = (dirs, settings, editor.options, folder.uri)
        view = self._engines.get(key)
        if view is None:
            base = project.engine
            engine = Engine(project.registry, base.rules, settings, base.templates)
            engine.queries = base.queries  # compiled queries are the costly part; share them
            view = EngineView(engine, known_ids(engine), settings, editor.options, folder)
            self._engines[key] = view
        return view

    def _loaded(self) -> list[Project]:
        return [
            f.result()
            for f in self._projects.values()
            if f.done() and not f.cancelled() and f.exception() is None
        ]

    def registry(self) -> Registry:
        loaded = self._loaded()
        return loaded[0].registry if loaded else self.languages

    def find_rule(self, rule_id: str) -> Rule | None:
        for project in self._loaded():
            rule = project.engine.rules.get(rule_id)
            if rule is not None:
                return rule
        return None

    def rule_page(self, rule_id: str) -> str | None:
        """The rule's documentation page, the same text as ``docs/rules/<id>.md``."""
        from homeostasis.ruleset.docs import rule_markdown

        for project in self._loaded():
            rule = project.engine.rules.get(rule_id)
            if rule is not None:
                return rule_markdown(rule, project.engine.templates)
        return None

    def rule_folders(self) -> list[Path]:
        out: list[Path] = []
        for folder in self.folders.values():
            editor = self.editor(folder)
            out.extend(rule_dirs(folder.root, editor.options) if editor.options.trusted else ())
        return out


def with_rules(base: Project, dirs: tuple[Path, ...]) -> Project:
    """The built-in project plus the rules (and templates) of ``dirs``."""
    known = {rule.id for rule in base.engine.rules}
    # Workspace rules may refine (``requires``) built-in ones.
    extra = load_rules(list(dirs), check_query=query_checker(base.registry), known=known)  # type: ignore[arg-type]
    problems = list(extra.problems)
    kept = []
    for rule in extra.rules:
        if rule.id in known:
            problems.append(
                Problem(rule.source_file, None, rule.id, "id", "a built-in rule has this id; skipped")
            )
        else:
            kept.append(rule)
    try:
        catalog = FrameworkCatalog(
            (*base.engine.rules.frameworks.frameworks, *extra.rules.frameworks.frameworks)
        )
        rules = RuleSet.ordered([*base.engine.rules, *kept], catalog)
    except CycleError as exc:
        problems.append(
            Problem(str(dirs[0]), None, None, "after", f"dependency cycle: {exc}; workspace rules skipped")
        )
        rules = base.engine.rules
    # A fresh query cache: the engine's caches combined queries by rule id, and a reloaded
    # workspace rule keeps its id while its query or message changes.
    engine = Engine(base.registry, rules, Settings(), load_templates(list(dirs)))
    return Project(engine, base.registry, tuple(problems))


class OverlaySources:
    """Workspace files as the engine's ``Sources``, open documents' unsaved text first."""

    def __init__(self, disk: DiskSources, overlay: Mapping[str, Document]) -> None:
        self.disk = disk
        self.overlay = overlay

    def get(self, path: str) -> Document | None:
        rel = self.disk.relative(path)
        if rel is not None and rel in self.overlay:
            return self.overlay[rel]
        return self.disk.get(path)

    def relative(self, path: str) -> str | None:
        return self.disk.relative(path)

    def find_by_suffix(self, suffix: str) -> Document | None:
        found = self.disk.find_by_suffix(suffix)
        return self.get(found.path) if found is not None else None
