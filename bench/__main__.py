"""``python -m bench``: run the benchmarks and print a table (or ``--json``).

``--quick`` runs every benchmark at small sizes (for CI: nothing rots); it exits 0 when a timing
target is missed and 1 only when a benchmark crashed. A full run exits 1 when a target is missed
or a benchmark crashed. ``--only P1,P5`` runs the named benchmarks. Adding a benchmark: write
``bench/<name>.py`` with ``run(quick: bool) -> list[Row]`` and add one line to `BENCHMARKS`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import platform
import sys
import time
import traceback
from typing import Any

from bench.common import Row

BENCHMARKS: dict[str, str] = {
    "P1": "bench.p1_intake",
    "P2": "bench.p2_startup",
    "P3": "bench.p3_drain",
    "P3-RT": "bench.p3_rt",
    "P4": "bench.p4_gui_lag",
    "P5": "bench.p5_queue",
    "P6": "bench.p6_memory",
    "P7": "bench.p7_migrate",
    "P8": "bench.p8_offline_cpu",
    "K1": "bench.known_issue_suggestions",
}
"""Benchmark key → module; the one place a new benchmark is listed."""


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks; return the exit code."""
    args = _parser().parse_args(argv)
    keys = _selected(args.only)
    if keys is None:
        print(f"bench: unknown benchmark in --only {args.only!r}; known: {', '.join(BENCHMARKS)}",
              file=sys.stderr)  # fmt: skip
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    started = time.monotonic()
    rows: list[Row] = []
    crashed: list[str] = []
    for key in keys:
        rows += _run_one(key, args.quick, crashed, verbose=not args.json)
    elapsed = time.monotonic() - started
    if args.json:
        print(json.dumps(_report(rows, args.quick, elapsed), indent=2))
    else:
        print(format_table(rows))
        print(f"\n{machine()}; {'quick' if args.quick else 'full'} run took {elapsed:.0f} s")
    if crashed:
        return 1
    missed = any(row.passed is False for row in rows)
    return 1 if missed and not args.quick else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--quick", action="store_true", help="small sizes; timing never fails")
    parser.add_argument("--only", default="", help="comma-separated keys, e.g. P1,P5")
    return parser


def _selected(only: str) -> list[str] | None:
    if not only:
        return list(BENCHMARKS)
    keys = [key.strip().upper() for key in only.split(",") if key.strip()]
    return keys if all(key in BENCHMARKS for key in keys) else None


def _run_one(key: str, quick: bool, crashed: list[str], verbose: bool) -> list[Row]:
    if verbose:
        print(f"running {key} ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    try:
        module = importlib.import_module(BENCHMARKS[key])
        rows: list[Row] = module.run(quick)
    except Exception as error:
        traceback.print_exc()
        crashed.append(key)
        return [Row(f"{key} crashed", None, passed=False, note=f"{type(error).__name__}: {error}")]
    if verbose:
        print(f"  {key} took {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    return rows


def format_table(rows: list[Row]) -> str:
    """The rows as a Markdown table (readable in a terminal and in RESULTS.md)."""
    header = ["metric", "value", "baseline", "ratio", "target", "result", "note"]
    lines = [_line(header), _line(["---"] * len(header))]
    for row in rows:
        result = {True: "pass", False: "FAIL", None: "-"}[row.passed]
        if row.value is None and row.passed is None:
            result = "skipped"
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        value, baseline = _number(row.value, row.unit), _number(row.baseline, row.unit)
        lines.append(_line([row.metric, value, baseline, ratio, row.target, result, row.note]))
    return "\n".join(lines)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}"
    return f"{text} {unit}".strip()


def machine() -> str:
    """A one-line description of this machine and interpreter."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            ]
        cpu = f"{names[0]} x{len(names)}" if names else cpu
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, Python {platform.python_version()}"


def _report(rows: list[Row], quick: bool, elapsed: float) -> dict[str, Any]:
    return {
        "machine": machine(),
        "quick": quick,
        "seconds": round(elapsed, 1),
        "rows": [row.as_json() for row in rows],
    }


if __name__ == "__main__":
    sys.exit(main())
