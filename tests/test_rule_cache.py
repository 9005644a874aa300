"""The rule cache gives the same rules as a fresh load, and notices edited rule files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from homeostasis.ruleset.cache import load_cached
from homeostasis.ruleset.loader import load_rules

RULES = Path(__file__).resolve().parents[1] / "rules" / "python" / "runtime" / "key_error.yaml"


def test_cache_round_trip_and_invalidation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEOSTASIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HOMEOSTASIS_NO_CACHE", raising=False)
    rules = tmp_path / "rules.yaml"
    shutil.copy(RULES, rules)
    loads: list[int] = []

    def load(files: list[Path]) -> object:
        loads.append(1)
        return load_rules(files)

    first = load_cached([rules], load)  # type: ignore[arg-type]
    second = load_cached([rules], load)  # type: ignore[arg-type]
    assert len(loads) == 1, "the second load should come from the cache"
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert list(second.rules) == list(first.rules)

    text = rules.read_text().replace("is missing from", "is absent from", 1)
    rules.write_text(text)
    third = load_cached([rules], load)  # type: ignore[arg-type]
    assert len(loads) == 2, "an edited rule file must be loaded again"
    assert any("is absent from" in r.message for r in third.rules)


def test_corrupt_cache_falls_back_to_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("HOMEOSTASIS_CACHE_DIR", str(cache))
    first = load_cached([RULES], lambda files: load_rules(files))
    for entry in cache.iterdir():
        entry.write_bytes(b"not a pickle")
    again = load_cached([RULES], lambda files: load_rules(files))
    assert list(again.rules) == list(first.rules)


def test_old_rule_caches_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEOSTASIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HOMEOSTASIS_NO_CACHE", raising=False)
    rule = tmp_path / "rules" / "r.yaml"
    rule.parent.mkdir()
    for version in range(12):
        # Each edit of a rule file is a new cache key, hence a new pickle.
        rule.write_text(f"language: python\nrules: []\n# edit {version}\n")
        load_cached([rule.parent], lambda files: load_rules(files))
    assert len(list((tmp_path / "cache").glob("rules-*.pickle"))) == 8
