"""The local rule statistics store: counts, rates, concurrency, and never crashing its caller."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from homeostasis.workspace.stats import RuleRates, StatsStore, adjusted_confidence

from tests.cli import homeostasis


def store_at(root: Path, warnings: list[str] | None = None, timeout: float = 2.0) -> StatsStore:
    sink = warnings if warnings is not None else []
    return StatsStore(root / ".homeostasis" / "stats.sqlite3", timeout=timeout, on_warning=sink.append)


def test_counts_and_rates(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    assert store.rates() == {}, "reading before anything was recorded creates nothing"
    assert not (tmp_path / ".homeostasis").exists()
    assert store.record_findings(["a.b.c", "a.b.c", "x.y.z"])
    for event in (
        "offered",
        "offered",
        "offered",
        "offered",
        "applied",
        "applied",
        "validated",
        "rolled_back",
    ):
        assert store.record_fix("a.b.c", event)  # type: ignore[arg-type]
    rates = store.rates()
    assert rates["a.b.c"] == RuleRates("a.b.c", fired=2, offered=4, applied=2, validated=1, rolled_back=1)
    assert rates["x.y.z"].fired == 1
    assert rates["a.b.c"].success_rate == 0.5
    assert rates["a.b.c"].acceptance_rate == 0.5
    assert rates["x.y.z"].success_rate is None and rates["x.y.z"].acceptance_rate is None
    # The store keeps itself out of version control.
    assert (tmp_path / ".homeostasis" / ".gitignore").read_text() == "*\n"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_record_fixes_in_one_transaction_and_unknown_events(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    assert store.record_fixes(["r.a.one", "r.a.two", "r.a.one"], "applied")
    assert store.rates()["r.a.one"].applied == 2
    with pytest.raises(ValueError, match="unknown fix event"):
        store.record_fix("r.a.one", "fired")  # type: ignore[arg-type]


def test_one_run_in_one_call(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    fired, offered = ["r.r.a", "r.r.a", "r.r.b"], ["r.r.a", "r.r.b"]
    assert store.record_run(fired=fired, offered=offered, applied=["r.r.a"], outcome="rolled_back")
    assert store.rates()["r.r.a"] == RuleRates("r.r.a", fired=2, offered=1, applied=1, rolled_back=1)
    assert store.rates()["r.r.b"] == RuleRates("r.r.b", fired=1, offered=1)
    assert store.record_run() is False, "nothing to record touches nothing"


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from homeostasis.workspace.stats import StatsStore\n"
        "store = StatsStore.for_root(Path(sys.argv[1]), on_warning=lambda m: print(m, file=sys.stderr))\n"
        "for _ in range(40):\n"
        "    assert store.record_findings(['c.c.shared', 'c.c.' + sys.argv[2]])\n"
        "    assert store.record_fix('c.c.shared', 'applied')\n"
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), str(n)], stderr=subprocess.PIPE, text=True
        )
        for n in range(4)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert err == ""
    rates = StatsStore.for_root(tmp_path).rates()
    assert rates["c.c.shared"].fired == 160
    assert rates["c.c.shared"].applied == 160
    assert all(rates[f"c.c.{n}"].fired == 40 for n in range(4))


def test_a_locked_store_degrades_to_a_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = store_at(tmp_path, warnings, timeout=0.1)
    assert store.record_findings(["l.l.first"])
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert store.record_findings(["l.l.second"]) is False
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert warnings and "not recorded" in warnings[0] and "locked" in warnings[0]
    assert store.record_findings(["l.l.second"]), "works again once the lock is gone"


def test_a_corrupt_store_degrades_to_a_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = store_at(tmp_path, warnings)
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"this is not a database" * 100)
    assert store.record_findings(["k.k.x"]) is False
    assert store.rates() == {}
    assert len(warnings) == 2
    assert all(f"delete {store.path}" in w for w in warnings)


def test_recording_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEOSTASIS_NO_STATS", "1")
    store = StatsStore.for_root(tmp_path)
    assert store.record_findings(["o.o.x"]) is False
    assert not (tmp_path / ".homeostasis").exists()


def test_adjusted_confidence() -> None:
    assert adjusted_confidence(0.7, None) == 0.7
    assert adjusted_confidence(0.7, RuleRates("r", applied=50)) == 0.7, "applied alone is not evidence"
    # A few outcomes nudge the score...
    assert adjusted_confidence(0.7, RuleRates("r", validated=1, rolled_back=1)) == 0.67
    # ...a long record dominates it: (0.7 * 10 + 90) / (10 + 100) = 0.88.
    assert adjusted_confidence(0.7, RuleRates("r", validated=90, rolled_back=10)) == 0.88
    assert adjusted_confidence(0.9, RuleRates("r", rolled_back=1000)) == 0.01
    assert adjusted_confidence(0.5, RuleRates("r", validated=10_000)) == 0.99
    assert adjusted_confidence(0.7, RuleRates("r", validated=3), prior_weight=1) == 0.93


def test_rules_stats_command(tmp_path: Path) -> None:
    empty = homeostasis("rules", "stats", "--root", str(tmp_path), cwd=tmp_path)
    assert empty.code == 0 and "No statistics" in empty.out
    store = StatsStore.for_root(tmp_path)
    store.record_findings(["python.key-error.subscript"] * 3)
    store.record_fixes(["python.key-error.subscript"] * 2, "offered")
    store.record_fix("python.key-error.subscript", "applied")
    store.record_fix("python.key-error.subscript", "validated")
    text = homeostasis("rules", "stats", "--root", str(tmp_path), cwd=tmp_path)
    assert text.code == 0, text.err
    row = next(line for line in text.out.splitlines() if line.startswith("python.key-error.subscript"))
    assert row.split()[1:7] == ["3", "2", "1", "1", "0", "100%"]
    assert "0.70 -> 0.73" in row
    data = homeostasis("rules", "stats", "--root", str(tmp_path), "--format", "json", cwd=tmp_path)
    import json

    (rule,) = json.loads(data.out)["rules"]
    assert rule["adjusted_confidence"] == 0.73 and rule["success_rate"] == 1.0
