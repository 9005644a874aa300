"""``homeostasis merge``: one report from the JSON or SARIF reports of sharded scans."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from homeostasis.cli.common import OK, UsageError
from homeostasis.cli.output.json_format import SCHEMA


def run_merge(args: argparse.Namespace) -> int:
    documents = [_load(path) for path in args.reports]
    kinds = {"sarif" if "runs" in d else "json" for d in documents}
    if len(kinds) != 1:
        raise UsageError("cannot merge JSON and SARIF reports together")
    merged = merge_sarif(documents) if kinds == {"sarif"} else merge_json(documents)
    text = json.dumps(merged, indent=2) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return OK


def _load(path: Any) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot read report {path}: {exc}") from exc
    if not isinstance(data, dict) or not ("runs" in data or data.get("schema") == SCHEMA):
        raise UsageError(f"{path} is neither a homeostasis JSON report nor SARIF")
    return data


def _key(finding: dict[str, Any]) -> tuple[Any, ...]:
    start = finding["range"]["start"]
    return (finding["path"], start["line"], start["column"], finding["rule"], finding["message"])


def merge_json(documents: list[dict[str, Any]]) -> dict[str, Any]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for document in documents:
        for finding in document.get("findings", []):
            seen.setdefault(_key(finding), finding)
    findings = [seen[k] for k in sorted(seen)]

    def count(severity: str) -> int:
        return sum(1 for f in findings if f["severity"] == severity)

    return {
        "schema": SCHEMA,
        "tool": documents[0].get("tool", {}),
        "findings": findings,
        "summary": {
            "findings": len(findings),
            "errors": count("error"),
            "warnings": count("warning"),
            "info": count("info"),
            "hints": count("hint"),
            "files": len({f["path"] for f in findings}),
        },
    }


def merge_sarif(documents: list[dict[str, Any]]) -> dict[str, Any]:
    first_run = documents[0]["runs"][0]
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for document in documents:
        for run in document.get("runs", []):
            run_rules = run.get("tool", {}).get("driver", {}).get("rules", [])
            for rule in run_rules:
                rules.setdefault(rule["id"], rule)
            for result in run.get("results", []):
                results.append(dict(result))
    ordered = [rules[k] for k in sorted(rules)]
    index = {rule["id"]: i for i, rule in enumerate(ordered)}
    for result in results:
        if result.get("ruleId") in index:
            result["ruleIndex"] = index[result["ruleId"]]
    driver = {**first_run["tool"]["driver"], "rules": ordered}
    run = {**first_run, "tool": {**first_run["tool"], "driver": driver}, "results": results}
    return {**documents[0], "runs": [run]}
