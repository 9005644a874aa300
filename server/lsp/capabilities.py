"""What the client said it can do, read once at ``initialize`` into plain flags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsprotocol import types


def get_capability(caps: types.ClientCapabilities, path: str, default: Any = None) -> Any:
    """``caps.a.b.c`` or ``default`` when any part is missing (pygls's typed getter wants literals)."""
    value: Any = caps
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return default
    return value


@dataclass(frozen=True, slots=True)
class ClientFeatures:
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    diagnostic_data: bool = False
    related_information: bool = False
    code_description: bool = False
    version_support: bool = False
    markdown_hover: bool = False
    document_changes: bool = False
    resolve_edit: bool = False
    code_action_literals: bool = False
    is_preferred: bool = False
    watch_dynamic: bool = False
    relative_patterns: bool = False
    configuration: bool = False
    work_done_progress: bool = False
    show_document: bool = False
    apply_edit: bool = False

    @staticmethod
    def read(caps: types.ClientCapabilities) -> ClientFeatures:
        def has(path: str) -> bool:
            return bool(get_capability(caps, path, False))

        hover_formats = get_capability(caps, "text_document.hover.content_format", []) or []
        resolve_props = get_capability(caps, "text_document.code_action.resolve_support.properties", [])
        return ClientFeatures(
            pull_diagnostics=get_capability(caps, "text_document.diagnostic", None) is not None,
            diagnostic_refresh=has("workspace.diagnostics.refresh_support"),
            diagnostic_data=has("text_document.publish_diagnostics.data_support"),
            related_information=has("text_document.publish_diagnostics.related_information"),
            code_description=has("text_document.publish_diagnostics.code_description_support"),
            version_support=has("text_document.publish_diagnostics.version_support"),
            markdown_hover=types.MarkupKind.Markdown in hover_formats,
            document_changes=has("workspace.workspace_edit.document_changes"),
            resolve_edit="edit" in (resolve_props or []),
            code_action_literals=get_capability(caps, "text_document.code_action.code_action_literal_support")
            is not None,
            is_preferred=has("text_document.code_action.is_preferred_support"),
            watch_dynamic=has("workspace.did_change_watched_files.dynamic_registration"),
            relative_patterns=has("workspace.did_change_watched_files.relative_pattern_support"),
            configuration=has("workspace.configuration"),
            work_done_progress=has("window.work_done_progress"),
            show_document=has("window.show_document.support"),
            apply_edit=has("workspace.apply_edit"),
        )
