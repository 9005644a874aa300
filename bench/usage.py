"""Run one command and report its resource usage (a fresh process sees only this child's tree).

Usage: python usage.py OUT.json -- COMMAND...   (the command's stdout/stderr pass through)

Writes ``wall`` (s), ``cpu`` (user + system s of every process of the tree that was waited for),
``peak_mb`` (the largest single process's peak resident set, from getrusage) and ``tree_mb``
(the largest sum of resident sets over the whole tree, sampled from /proc every 50 ms; 0 where
/proc is missing).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_kb(root: int) -> int:
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss_kb(pid)
        stack.extend(children(pid))
    return total


def main() -> int:
    out, command = sys.argv[1], sys.argv[3:]
    start = time.perf_counter()
    process = subprocess.Popen(command)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.wait(0.05):
            peak_tree = max(peak_tree, tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as handle:
        json.dump(
            {
                "wall": wall,
                "cpu": usage.ru_utime + usage.ru_stime,
                "peak_mb": usage.ru_maxrss / 1024,
                "tree_mb": peak_tree / 1024,
            },
            handle,
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
