"""Findings cross from scan workers to the CLI, and into the result cache, pickled: every
field must survive, including the ones that default."""

from __future__ import annotations

import pickle
from dataclasses import fields

from homeostasis.model import Finding, Severity, Span

from tests.test_output_formats import key_error


def test_a_finding_with_every_field_set_pickles_to_an_equal_one() -> None:
    base = key_error(3, 4)
    finding = Finding(
        **{f.name: getattr(base, f.name) for f in fields(Finding)}
        | {
            "captures": (("key", "'k'"), ("target", "d[key]")),
            "located": False,
            "notes": ("first note", "second note"),
            "span": Span.of(3, 4, 5, 6),
        }
    )
    # A field added to Finding must also be added to Finding.__reduce__ (and here).
    assert [f.name for f in fields(Finding)] == [
        "rule_id",
        "kind",
        "path",
        "span",
        "message",
        "severity",
        "confidence",
        "category",
        "fixes",
        "related",
        "captures",
        "located",
        "error_type",
        "notes",
    ]
    for value in (finding, base):
        copy = pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        assert copy == value and type(copy) is Finding
        assert copy.severity is Severity.ERROR
