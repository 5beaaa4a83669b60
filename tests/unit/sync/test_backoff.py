"""Retry delays: full jitter under an exponential ceiling capped at five minutes, and never
shorter than the server's Retry-After."""

from __future__ import annotations

import random

import pytest

from cowapp.domain.outbox import BACKOFF_CAP_SECONDS, backoff_seconds


@pytest.mark.parametrize("attempts", [0, 1, 3, 7, 50])
def test_delay_stays_under_the_exponential_ceiling(attempts: int) -> None:
    rng = random.Random(attempts)
    ceiling = min(BACKOFF_CAP_SECONDS, 2.0 * 2**attempts)
    delays = [backoff_seconds(attempts, rng=rng) for _ in range(500)]
    assert all(0 <= d <= ceiling for d in delays)
    assert max(delays) > ceiling * 0.8, "full jitter spreads over the whole range"
    assert min(delays) < ceiling * 0.2


def test_retry_after_is_a_minimum() -> None:
    rng = random.Random(1)
    assert all(backoff_seconds(0, retry_after=30, rng=rng) >= 30 for _ in range(100))
    assert backoff_seconds(20, retry_after=900, rng=rng) == 900
