"""What every benchmark module shares: the `Row` it reports, statistics and scratch space.

A benchmark module ``bench/<name>.py`` exposes ``run(quick: bool) -> list[Row]`` and is listed
once in `bench.__main__.BENCHMARKS`. It measures its subject AND a baseline in the same run on
the same machine, so a row's ratio means something on a noisy, shared or old machine where an
absolute time alone would not. Helpers that run a piece of Python in a fresh interpreter (for
start-up time, memory and GUI measurements) live here too.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
"""The checkout the suite runs from (children run with it as their working directory)."""


@dataclass
class Row:
    """One line of the results table.

    Attributes:
        metric: what was measured, e.g. ``P1 intake save p99``.
        value: the measurement (None when skipped).
        baseline: the same-run baseline, in the same unit (None when the target has none).
        ratio: value / baseline (or baseline / value for throughput; the note says which).
        target: the target in words, e.g. ``≤ 15 ms``.
        passed: True or False against the target; None when not judged (skipped, info only).
        unit: the unit of value and baseline.
        note: anything a reader needs (sizes, why skipped).
    """

    metric: str
    value: float | None
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    unit: str = ""
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        """The row as plain JSON-able data."""
        return asdict(self)


def ratio(value: float | None, baseline: float | None) -> float | None:
    """``value / baseline``, or None when either is missing or the baseline is zero."""
    if value is None or not baseline:
        return None
    return value / baseline


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The ``fraction`` (0..1) percentile of ``samples``, by the nearest-rank method."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    """The median of ``samples``."""
    return statistics.median(samples)


def ms(seconds: float) -> float:
    """Seconds to milliseconds."""
    return seconds * 1000.0


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary directory on the same disk as a cart's data dir, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"cowapp-bench-{prefix}-") as name:
        yield Path(name)


def compiled_env(cache: Path) -> dict[str, str]:
    """Environment for a child that imports from bytecode, as an installed app does.

    A source checkout run with ``PYTHONDONTWRITEBYTECODE`` set (as on these machines) compiles
    every one of our modules from source at every start, while PySide6 and the standard library
    load their installed bytecode; the bundle and a pip install load bytecode too. Children
    given this environment write and reuse bytecode under ``cache`` (not in the checkout); run
    one unmeasured start first to fill it.
    """
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(cache)}


def run_child(
    module: str, *args: str, timeout: float = 300.0, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh interpreter; return the JSON it prints last.

    The child runs offscreen (no display needed) from the checkout, and must print one JSON
    object as its last line of output.

    Raises:
        RuntimeError: the child failed or printed no JSON (its stderr is in the message).
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{module} {' '.join(args)} exited {done.returncode}: {done.stderr[-800:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return result
