"""HCL and Terraform: grammar, `terraform` diagnostics reader, conventions."""

from __future__ import annotations

from collections.abc import Mapping

from homeostasis.languages.config import ConfigLanguage
from homeostasis.model import Document, ErrorEvent, Origin


class HclLanguage(ConfigLanguage):
    id = "hcl"
    extensions = (".tf", ".tfvars", ".hcl")
    comment_prefix = "#"
    indent_unit = "  "
    grammar_module = "tree_sitter_hcl"
    statement_types = frozenset({"attribute", "block"})
    # Module sources fetched by `terraform init`: not the project's to edit.
    library_markers = ("/.terraform/", ".terraform/modules/")

    def read_errors(self, text: str, origin: Origin = Origin.PASTE) -> list[ErrorEvent]:
        # The reader, the exception hierarchy and the like are imported where they are used:
        # every start-up imports all the plugins, and a scan needs none of them.
        from homeostasis.languages.hcl.reader import read_errors

        return read_errors(text, origin)

    def sniff_errors(self, text: str) -> bool:
        from homeostasis.languages.hcl.reader import sniff

        return sniff(text)

    def exception_ancestors(self, error_type: str) -> tuple[str, ...]:
        from homeostasis.languages.hcl import exceptions

        return exceptions.ancestors(error_type)

    def enrich(
        self, error_type: str, captures: Mapping[str, str], document: Document | None
    ) -> dict[str, str]:
        from homeostasis.languages.hcl import knowledge

        return knowledge.enrich(error_type, captures)
