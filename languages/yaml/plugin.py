"""YAML: grammar, parse-error reader (PyYAML, Go yaml via kubectl/Helm, yamllint), conventions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeostasis.languages.config import ConfigLanguage
from homeostasis.model import ErrorEvent, Origin, Span

if TYPE_CHECKING:
    from homeostasis.languages.config import ParseProblem


class YamlLanguage(ConfigLanguage):
    id = "yaml"
    extensions = (".yaml", ".yml")
    filenames = (".clang-format", ".clang-tidy", ".yamllint")
    comment_prefix = "#"
    indent_unit = "  "
    grammar_module = "tree_sitter_yaml"
    statement_types = frozenset({"block_mapping_pair", "block_sequence_item"})
    mapping_entries = (("block_mapping", "block_mapping_pair"), ("flow_mapping", "flow_pair"))

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.yaml.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.yaml.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.yaml import exceptions

        return exceptions.ancestors(error_type)

    def strict_problem(self, text: str, path: str) -> ParseProblem | None:
        """PyYAML's first scanner/parser/composer error (composing only: custom tags such
        as CloudFormation's `!Ref` are fine, nothing is constructed)."""
        import yaml
        from homeostasis.languages.config import ParseProblem
        from homeostasis.model import Pos

        if "{{" in text or "{%" in text:
            return None  # a Helm/Jinja template is not YAML until rendered
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            for _ in yaml.compose_all(text, Loader=loader):
                pass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            if mark is None:
                return None
            message = " ".join(part for part in (exc.context, exc.problem) if part)
            position = Pos(mark.line, mark.column)
            return ParseProblem(Span(position, position), f"YAML: {message}", "parser")
        except (yaml.YAMLError, ValueError, RecursionError):
            return None
        return None
