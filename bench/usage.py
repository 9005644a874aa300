"""Run one command and report its own resource usage (a fresh process sees only this child).

Usage: python usage.py OUT.json -- COMMAND...   (the command's stdout/stderr pass through)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    out, command = sys.argv[1], sys.argv[3:]
    start = time.perf_counter()
    code = subprocess.run(command).returncode
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as handle:
        json.dump(
            {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}, handle
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
