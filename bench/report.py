"""Tables of figures: printed as text, written as Markdown and JSON (bench/results/latest.*)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

Cell = str | int | float | None


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: Cell) -> None:
        self.rows.append(list(cells))

    def as_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "rows": [dict(zip(self.columns, row, strict=True)) for row in self.rows],
            "notes": self.notes,
        }


def cell(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        magnitude = abs(value)
        if magnitude >= 1000:
            return f"{value:,.0f}"
        if magnitude >= 100:
            return f"{value:.0f}"
        if magnitude >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}" if magnitude >= 0.1 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or not denominator:
        return None
    return numerator / denominator


def text(table: Table) -> str:
    cells = [table.columns, *[[cell(value) for value in row] for row in table.rows]]
    widths = [max(len(row[index]) for row in cells) for index in range(len(table.columns))]

    def line(row: list[str]) -> str:
        first = row[0].ljust(widths[0])
        return "  ".join(
            [first, *(value.rjust(width) for value, width in zip(row[1:], widths[1:], strict=True))]
        )

    out = [f"## {table.title}", line(cells[0]), line(["-" * width for width in widths])]
    out.extend(line(row) for row in cells[1:])
    out.extend(f"  {note}" for note in table.notes)
    return "\n".join(out)


def markdown(table: Table) -> str:
    out = [f"### {table.title}", "", "| " + " | ".join(table.columns) + " |"]
    out.append("|" + "|".join(["---", *["---:"] * (len(table.columns) - 1)]) + "|")
    out.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in table.rows)
    if table.notes:
        out.append("")
        out.extend(f"* {note}" for note in table.notes)
    return "\n".join(out)


def write(directory: Path, header: dict[str, object], tables: list[Table]) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / "latest.json", directory / "latest.md"
    json_path.write_text(json.dumps({**header, "tables": [t.as_json() for t in tables]}, indent=2) + "\n")
    lines = ["# Benchmark results", ""]
    lines.extend(f"* {key}: {value}" for key, value in header.items())
    for table in tables:
        lines.extend(["", markdown(table)])
    md_path.write_text("\n".join(lines) + "\n")
    return json_path, md_path
