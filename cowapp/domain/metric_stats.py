"""Small statistics the outcome metrics are built from: percentiles, rates, rolling averages,
ageing buckets and the change against a baseline.

Each function is defined so a person can check it by hand: the median is the middle value (the
mean of the two middle values for an even count); the 90th percentile is the nearest-rank value
(sort, take the value at position ceil(0.9 · n)); a rate is a share between 0 and 1 or None when
there is nothing to divide by.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

AGEING_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("lt_1h", timedelta(hours=1)),
    ("1_4h", timedelta(hours=4)),
    ("4_24h", timedelta(hours=24)),
    ("1_3d", timedelta(days=3)),
    ("gt_3d", None),
)
"""Open-issue ageing buckets: (key, upper bound exclusive); the last has no upper bound."""


@dataclass(frozen=True)
class Durations:
    """Median and 90th percentile of some durations, in clock hours (wards run 24/7).

    Attributes:
        count: how many durations were measured.
        median_hours: the median, None when there were none.
        p90_hours: the nearest-rank 90th percentile, None when there were none.
    """

    count: int
    median_hours: float | None
    p90_hours: float | None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank ``q``-th percentile (0 < q ≤ 100) of ``values``; None when empty."""
    if not 0 < q <= 100:
        raise ValueError("a percentile is between 0 (exclusive) and 100")
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def durations(hours: Sequence[float]) -> Durations:
    """Median and nearest-rank p90 of ``hours``."""
    if not hours:
        return Durations(0, None, None)
    return Durations(len(hours), float(statistics.median(hours)), percentile(hours, 90))


def hours_between(start: datetime, end: datetime) -> float:
    """Clock hours from ``start`` to ``end`` (negative clock skew counts as zero)."""
    return max(0.0, (end - start).total_seconds() / 3600)


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` as a share, None when ``whole`` is zero."""
    return part / whole if whole else None


def rolling_average(counts: Sequence[int], window: int = 7) -> list[float]:
    """The trailing average over up to ``window`` values ending at each position.

    The first values average over what there is (day 1 is its own average), so the line starts
    at the go-live instead of a week later.
    """
    result: list[float] = []
    total = 0
    for index, count in enumerate(counts):
        total += count
        if index >= window:
            total -= counts[index - window]
        result.append(total / min(index + 1, window))
    return result


def ageing_bucket(age: timedelta) -> str:
    """The `AGEING_BUCKETS` key for an open issue of this age."""
    for key, bound in AGEING_BUCKETS:
        if bound is None or age < bound:
            return key
    raise AssertionError("the last bucket has no bound")  # pragma: no cover


def change_percent(value: float, baseline: float | None) -> float | None:
    """The change from ``baseline`` to ``value`` in percent (-70.0 is a 70% drop)."""
    if baseline is None or baseline <= 0:
        return None
    return (value - baseline) / baseline * 100
