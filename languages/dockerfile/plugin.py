"""Dockerfile: grammar, `docker build` (BuildKit) error reader, conventions."""

from __future__ import annotations

from homeostasis.languages.config import ConfigLanguage
from homeostasis.model import ErrorEvent, Origin

# Every instruction node of the grammar: the unit a fix's `statement` region widens to.
_INSTRUCTIONS = frozenset(
    f"{name}_instruction"
    for name in [
        "from",
        "run",
        "cmd",
        "label",
        "maintainer",
        "expose",
        "env",
        "add",
        "copy",
        "entrypoint",
        "volume",
        "user",
        "workdir",
        "arg",
        "onbuild",
        "stopsignal",
        "healthcheck",
        "shell",
    ]
)


class DockerfileLanguage(ConfigLanguage):
    id = "dockerfile"
    # `Dockerfile` has no suffix: Registry.for_path matches suffixes only, so these
    # names need the registry to consult `claims_path` (see ConfigLanguage).
    extensions = (".dockerfile",)
    filenames = ("Dockerfile", "Containerfile", "dockerfile", "containerfile")
    filename_patterns = ("Dockerfile.*", "Containerfile.*", "*.Dockerfile", "*.Containerfile")
    comment_prefix = "#"
    indent_unit = "   "
    grammar_module = "tree_sitter_dockerfile"
    statement_types = _INSTRUCTIONS

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.dockerfile.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.dockerfile.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.dockerfile import exceptions

        return exceptions.ancestors(error_type)
