"""P3: draining a night's backlog to a central service 20 ms away, against a sequential loop.

The subject is the real engine (privacy guard, payload, ``sending`` mark, create, read-back of
the reference, local acknowledgement, audit) run by the worker's `ThreadFanOut` with the default
``[sync] concurrency``, against the TOPdesk fake in its own process with 20 ms added per request
(`bench.slow_itsm`). The baseline is what a naive client would do: a plain sequential
`httpx.Client` loop posting the same create bodies to a fresh instance of the same server, with
nothing stored and nothing checked. Throughput is issues per second; the ratio is subject /
baseline (higher is better).
"""

from __future__ import annotations

import time

import httpx

from bench.carts import BenchCart, make_cart
from bench.common import Row, scratch
from bench.slow_itsm import LOGIN, PASSWORD, slow_itsm
from cowapp.domain.ticket import build_ticket
from cowapp.sync.connectors.topdesk import TopdeskConnector
from cowapp.sync.engine import SyncEngine
from cowapp.sync.settings import SyncSettings
from cowapp.sync.transport import make_client
from cowapp.sync.worker import ThreadFanOut
from cowapp.wiring import utc_now

LATENCY = 0.020


def run(quick: bool) -> list[Row]:
    """Measure drain throughput against the sequential baseline."""
    queued, sample = (200, 100) if quick else (5_000, 300)
    width = SyncSettings().concurrency
    with scratch("p3") as tmp:
        cart = make_cart(tmp, queued, queued=True)
        try:
            bodies = _bodies(cart, sample)
            with slow_itsm(LATENCY) as url:
                baseline = _baseline(url, bodies)
            with slow_itsm(LATENCY) as url:
                rate, sent, left = _drain(cart, url, width)
        finally:
            cart.close()
    note = (
        f"{sent:,} issues sent ({left} left: parked by the generator), {width} lanes; "
        f"baseline: {len(bodies)} sequential POSTs; 20 ms per request"
    )
    gain = rate / baseline
    return [Row("P3 drain throughput", rate, baseline, gain, "ratio ≥ 2.0", gain >= 2.0,
                "issues/s", note)]  # fmt: skip


def settings_for(url: str) -> SyncSettings:
    """TOPdesk settings for the fake at ``url``."""
    return SyncSettings(connector="topdesk", url=url, options={"login": LOGIN})


def _drain(cart: BenchCart, url: str, width: int) -> tuple[float, int, int]:
    settings = settings_for(url)
    with make_client(settings) as client:
        connector = TopdeskConnector(client, PASSWORD, settings)
        engine = SyncEngine(cart.issues, cart.outbox, connector, cart.taxonomy, settings, utc_now)
        started = time.perf_counter()
        summary = engine.run_once(limit=100_000, read_back=False, fan_out=ThreadFanOut(width))
        elapsed = time.perf_counter() - started
    if summary.failed or summary.pending:
        raise RuntimeError(f"the drain did not finish: {summary}")
    return summary.sent / elapsed, summary.sent, summary.needs_attention


def _bodies(cart: BenchCart, n: int) -> list[dict[str, object]]:
    """The create bodies the connector sends for the first ``n`` queued issues."""
    settings = settings_for("http://127.0.0.1:1")
    with make_client(settings) as client:
        connector = TopdeskConnector(client, PASSWORD, settings)
        items = cart.outbox.due(utc_now(), limit=n)
        bodies = []
        for item in items:
            issue = cart.issues.get(item.issue_id)
            label = cart.taxonomy.category(issue.category).label("nl")
            payload = build_ticket(issue, label, None)
            bodies.append(connector._create_body(payload))  # the exact bytes the engine sends
    return bodies


def _baseline(url: str, bodies: list[dict[str, object]]) -> float:
    auth = httpx.BasicAuth(LOGIN, PASSWORD)
    with httpx.Client(base_url=url, auth=auth) as client:
        started = time.perf_counter()
        for body in bodies:
            client.post("/tas/api/incidents", json=body).raise_for_status()
        elapsed = time.perf_counter() - started
    return len(bodies) / elapsed
