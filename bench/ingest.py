"""Runtime ingestion throughput: a large mixed log built from real traceback shapes.

Prints JSON: MB/s and errors/s of reading, and the time to turn 10,000 events
into diagnostics against in-memory sources.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from homeostasis.ruleset.testing import MemorySources
from homeostasis.workspace.project import build_project

TRACES = Path(__file__).resolve().parents[2] / "shared" / "traces"
NOISE = [
    "2026-11-25 12:00:00,123 INFO web.request GET /api/items 200 12ms",
    "2026-11-25 12:00:00,456 DEBUG cache hit key=user:42",
    "worker-3 | processed batch 17/300",
    "",
]


def build_log(target_bytes: int) -> str:
    rnd = random.Random(42)
    traces = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(TRACES.glob("*.txt"))]
    parts: list[str] = []
    size = 0
    while size < target_bytes:
        chunk = rnd.choice(traces) if rnd.random() < 0.15 else rnd.choice(NOISE)
        parts.append(chunk)
        size += len(chunk) + 1
    return "\n".join(parts)


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    engine = build_project().engine
    log = build_log(int(megabytes * 1_000_000))
    start = time.perf_counter()
    events = engine.read_errors(log)
    read_s = time.perf_counter() - start
    program = "def load(config):\n    return config['port']\n"
    sources = MemorySources.of({"app.py": program}, "python")
    event_text = (
        'Traceback (most recent call last):\n  File "/srv/app.py", line 2, in load\n'
        "    return config['port']\nKeyError: 'port'\n"
    )
    one = engine.read_errors(event_text)[0]
    batch = [one] * 10_000
    start = time.perf_counter()
    diagnoses = engine.diagnose(batch, sources)
    map_s = time.perf_counter() - start
    assert all(d.findings for d in diagnoses)
    print(
        json.dumps(
            {
                "megabytes": len(log.encode()) / 1e6,
                "events": len(events),
                "read_seconds": read_s,
                "mb_per_s": len(log.encode()) / 1e6 / read_s,
                "events_per_s": len(events) / read_s,
                "map_10k_seconds": map_s,
            }
        )
    )


if __name__ == "__main__":
    main()
