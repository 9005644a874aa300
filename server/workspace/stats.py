"""A local store of how rules fare: findings, fixes offered, applied, validated, rolled back.

The store is one SQLite file, ``<root>/.homeostasis/stats.sqlite3``, written by the
CLI and the language server, possibly at the same time. It is advisory data: a
locked, read-only or corrupt file degrades to a warning and the caller goes on.

Concurrency: every call opens its own short-lived connection (safe across forks
and threads); the file is born in WAL mode (readers never block the writer); each
write is one ``BEGIN IMMEDIATE`` transaction of a few upserts without an fsync
(``synchronous=NORMAL``), and ``busy_timeout`` lets a writer wait for another
instead of failing at once.

Set ``HOMEOSTASIS_NO_STATS=1`` to turn recording off.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

FixEvent = Literal["offered", "applied", "validated", "rolled_back"]
FIX_EVENTS: tuple[str, ...] = get_args(FixEvent)
EVENTS: tuple[str, ...] = ("fired", *FIX_EVENTS)

STORE_DIR = ".homeostasis"
STORE_NAME = "stats.sqlite3"
SCHEMA_VERSION = 1

# How many observations the rule's own confidence is worth (see adjusted_confidence).
PRIOR_WEIGHT = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rule_events (
    rule_id TEXT NOT NULL,
    event TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    last_at REAL,
    PRIMARY KEY (rule_id, event)
) WITHOUT ROWID
"""
_UPSERT = """
INSERT INTO rule_events (rule_id, event, count, last_at) VALUES (?, ?, ?, ?)
ON CONFLICT (rule_id, event) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at
"""

_log = logging.getLogger("homeostasis.stats")


@dataclass(frozen=True)
class RuleRates:
    """Counts for one rule, and the rates derived from them."""

    rule_id: str
    fired: int = 0
    offered: int = 0
    applied: int = 0
    validated: int = 0
    rolled_back: int = 0

    @property
    def success_rate(self) -> float | None:
        """Validated / (validated + rolled back): only fixes whose validation ran count."""
        judged = self.validated + self.rolled_back
        return self.validated / judged if judged else None

    @property
    def acceptance_rate(self) -> float | None:
        """Applied / offered: how often a user (or fix-all) took the fix."""
        return min(1.0, self.applied / self.offered) if self.offered else None


def adjusted_confidence(base: float, rates: RuleRates | None, prior_weight: float = PRIOR_WEIGHT) -> float:
    """A rule's (or fix's) confidence corrected by what happened when its fixes were validated.

    The base confidence is treated as a prior worth ``prior_weight`` observations
    (a Beta prior with mean ``base``); each validated fix is a success, each
    rolled-back fix a failure; the result is the posterior mean::

        (base * k + validated) / (k + validated + rolled_back)

    So a handful of outcomes nudge the score, a long record dominates it, and a
    rule with no validation history keeps its base value. "Applied" alone is not
    evidence: it says a user trusted the fix, not that the program then worked.
    The result stays inside [0.01, 0.99], like every engine score.
    """
    if rates is None:
        return base
    judged = rates.validated + rates.rolled_back
    if judged == 0:
        return base
    posterior = (base * prior_weight + rates.validated) / (prior_weight + judged)
    return round(min(0.99, max(0.01, posterior)), 2)


def _default_warning(message: str) -> None:
    _log.warning(message)


@dataclass(frozen=True)
class StatsStore:
    """Handle on the store file; opening it does nothing until something is recorded or read."""

    path: Path
    enabled: bool = True
    timeout: float = 2.0
    on_warning: Callable[[str], None] = field(default=_default_warning, compare=False)

    @staticmethod
    def for_root(root: Path, on_warning: Callable[[str], None] | None = None) -> StatsStore:
        enabled = os.environ.get("HOMEOSTASIS_NO_STATS", "") in ("", "0")
        return StatsStore(
            Path(root) / STORE_DIR / STORE_NAME, enabled, on_warning=on_warning or _default_warning
        )

    def record_findings(self, rule_ids: Iterable[str]) -> bool:
        """Count one firing per id given (repeat an id for each finding). False if not recorded."""
        return self._record(Counter((rule_id, "fired") for rule_id in rule_ids))

    def record_fix(self, rule_id: str, event: FixEvent, count: int = 1) -> bool:
        if event not in FIX_EVENTS:
            raise ValueError(f"unknown fix event {event!r}; expected one of {', '.join(FIX_EVENTS)}")
        return self._record(Counter({(rule_id, event): count}))

    def record_fixes(self, rule_ids: Iterable[str], event: FixEvent) -> bool:
        """One event for each rule id given, in one transaction."""
        if event not in FIX_EVENTS:
            raise ValueError(f"unknown fix event {event!r}")
        return self._record(Counter((rule_id, event) for rule_id in rule_ids))

    def record_run(
        self,
        *,
        fired: Iterable[str] = (),
        offered: Iterable[str] = (),
        applied: Iterable[str] = (),
        outcome: Literal["validated", "rolled_back"] | None = None,
    ) -> bool:
        """Everything one command learned, in one transaction (one entry per id occurrence).

        ``outcome`` is what happened to the applied fixes when a validation command ran:
        each id in ``applied`` is then also counted as validated, or as rolled back.
        """
        applied = list(applied)
        counts = Counter((rule_id, "fired") for rule_id in fired)
        counts.update((rule_id, "offered") for rule_id in offered)
        counts.update((rule_id, "applied") for rule_id in applied)
        if outcome is not None:
            counts.update((rule_id, outcome) for rule_id in applied)
        return self._record(counts)

    def rates(self) -> dict[str, RuleRates]:
        """Counts per rule id; empty when there is no store yet or it cannot be read."""
        if not self.path.is_file():
            return {}
        try:
            with closing(self._connect(create=False)) as db:
                rows = db.execute("SELECT rule_id, event, count FROM rule_events").fetchall()
        except sqlite3.Error as exc:
            self._warn("read", exc)
            return {}
        counts: dict[str, dict[str, int]] = {}
        for rule_id, event, count in rows:
            if event in EVENTS:
                counts.setdefault(str(rule_id), {})[str(event)] = int(count)
        return {rule_id: RuleRates(rule_id, **values) for rule_id, values in sorted(counts.items())}

    # Internals --------------------------------------------------------------------

    def _record(self, counts: Mapping[tuple[str, str], int]) -> bool:
        if not self.enabled or not counts:
            return False
        now = time.time()
        rows = [(rule_id, event, n, now) for (rule_id, event), n in sorted(counts.items()) if n > 0]
        try:
            with closing(self._connect(create=True)) as db:
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.executemany(_UPSERT, rows)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
        except (sqlite3.Error, OSError) as exc:
            self._warn("recorded", exc)
            return False
        return True

    def _connect(self, *, create: bool) -> sqlite3.Connection:
        if create and not self.path.exists():
            _create_store(self.path)
        target = str(self.path) if create else f"{self.path.resolve().as_uri()}?mode=ro"
        db = sqlite3.connect(target, timeout=self.timeout, isolation_level=None, uri=not create)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            # In WAL mode NORMAL loses nothing on a crash of the program, only on power loss,
            # and spares an fsync per commit: writers hold the lock for far less time.
            db.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            db.close()
            raise
        return db

    def _warn(self, action: str, exc: BaseException) -> None:
        text = str(exc) or type(exc).__name__
        hint = ""
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            hint = f"; delete {self.path} to start a new one"
        elif "locked" in text or "busy" in text:
            hint = " (another homeostasis process holds it; the numbers are skipped this time)"
        self.on_warning(f"rule statistics not {action}: {text}{hint}")


def _create_store(path: Path) -> None:
    """Create the store complete (schema, WAL mode) under a temporary name, then link it into place.

    Concurrent first writers would otherwise race to switch a fresh file to WAL, which
    needs an exclusive lock the others are waiting on. ``os.link`` fails if the file
    appeared meanwhile, and then that one is used: no writer ever sees a half-made store.
    """
    ensure_store_dir(path.parent)
    # Not mkstemp: SQLite creates the file itself, with the usual permissions (umask), not 0600.
    temp = str(path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        with closing(sqlite3.connect(temp, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with suppress(FileExistsError):
            os.link(temp, path)
    finally:
        for leftover in (temp, f"{temp}-wal", f"{temp}-shm"):
            with suppress(FileNotFoundError):
                os.unlink(leftover)


def ensure_store_dir(directory: Path) -> None:
    """Create ``.homeostasis/`` (with a .gitignore that ignores everything in it) if missing."""
    if directory.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    # The store is personal, machine-local data: keep it out of version control by default.
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
