"""Python knowledge the rules draw on: did-you-mean, stdlib modules for missing imports."""

from __future__ import annotations

from collections.abc import Mapping

from homeostasis.model import Document


def enrich(error_type: str, captures: Mapping[str, str], document: Document | None) -> dict[str, str]:
    return {}
