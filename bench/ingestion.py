"""Runtime ingestion section: reading a large mixed log of real tracebacks, and mapping events
to diagnostics (the measurement itself is ingest.py, run in its own process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from measure import Options
from report import Table

HERE = Path(__file__).resolve().parent


def run(options: Options) -> list[Table]:
    megabytes = "5" if options.quick else "20"
    print("  ingestion ...", file=sys.stderr, flush=True)
    done = subprocess.run(
        [sys.executable, str(HERE / "ingest.py"), megabytes], capture_output=True, text=True, check=True
    )
    data = json.loads(done.stdout)
    table = Table("runtime ingestion", ["figure", "value"])
    table.add("log size (MB)", data["megabytes"])
    table.add("errors found in it", data["events"])
    table.add("read time (s)", data["read_seconds"])
    table.add("read throughput (MB/s)", data["mb_per_s"])
    table.add("read throughput (errors/s)", data["events_per_s"])
    table.add("10,000 events to diagnostics (s)", data["map_10k_seconds"])
    table.add("events to diagnostics (events/s)", 10_000 / data["map_10k_seconds"])
    return [table]
