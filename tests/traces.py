"""The labelled real error outputs in ../shared/traces, shared by every reader's tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

TRACES = Path(__file__).resolve().parents[2] / "shared" / "traces"


def traces_of(language: str) -> list[Path]:
    """The outputs of one language (``NNN-<language>-*.txt``), in order."""
    return sorted(TRACES.glob(f"*-{language}-*.txt")) if TRACES.is_dir() else []


def label(trace: Path) -> dict[str, Any]:
    """The JSON label written next to a trace."""
    data: dict[str, Any] = json.loads(trace.with_suffix(".json").read_text(encoding="utf-8"))
    return data


def trace_params(traces: list[Path], wrong_labels: Mapping[str, str] = MappingProxyType({})) -> list[Any]:
    """One pytest param per trace; a label the reader disagrees with on purpose is a strict xfail."""
    if not traces:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no traces at {TRACES}"))]
    params = []
    for trace in traces:
        marks = []
        if trace.stem in wrong_labels:
            marks.append(pytest.mark.xfail(strict=True, reason=wrong_labels[trace.stem]))
        params.append(pytest.param(trace, id=trace.stem, marks=marks))
    return params
