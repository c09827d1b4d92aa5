"""Shared helpers for the benchmark scripts: timing, mean +- std, a compact table and JSON output."""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Callable


def median_seconds(fn: Callable[[], object], runs: int, warmup: int = 1) -> tuple[float, object]:
    """Median wall time of `runs` calls of fn() after `warmup` untimed calls; returns (seconds, last result)."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def mean_std(values) -> dict:
    """{"mean", "std", "n"} of a list of floats (population std; 0 for one value)."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError("mean_std of an empty list")
    return {"mean": statistics.fmean(values), "std": statistics.pstdev(values), "n": len(values)}


def fmt(value, digits: int = 3) -> str:
    """Numbers for the table: mean +- std dicts, floats with `digits` significant decimals, anything else str()."""
    if isinstance(value, dict) and "mean" in value:
        return f"{value['mean']:.{digits}f} +- {value['std']:.{digits}f}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(title: str, rows: list[tuple], header: tuple | None = None) -> None:
    """Print rows of cells as a left-aligned, space-padded table under a title."""
    cells = [tuple(fmt(c) for c in r) for r in rows]
    if header:
        cells.insert(0, tuple(header))
    widths = [max(len(r[i]) for r in cells if i < len(r)) for i in range(max(len(r) for r in cells))]
    print(f"\n== {title}")
    for j, r in enumerate(cells):
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if header and j == 0:
            print("  " + "  ".join("-" * w for w in widths))


def write_json(path: str | Path, figures: dict) -> None:
    """Write the figures dict as indented JSON (parent folders created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print(f"\nwrote {path}")
