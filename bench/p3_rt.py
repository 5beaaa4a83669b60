"""P3-RT: draining 200 issues to the real Request Tracker 5, against raw sequential creates.

RT5 on loopback (http://127.0.0.1:8085, token in /var/lib/cowapp-rt5-test/token) is the slow
part here, so the engine (with its ``sending`` mark, read-back of the reference and local
acknowledgement, in the default number of lanes) must cost nearly nothing on top: the baseline
is the rate of bare ``POST /REST/2.0/ticket`` creates through one `httpx.Client`. When
RT5 is not reachable the row says so and is not judged.

200 issues, not the issue's 500: RT5 here serves about 3 creates a second (every request pays
~0.2 s for its token check), so 500 issues plus the baseline took over 4 minutes on their own
and the whole suite no longer fitted its 10 minutes; 200 issues (~2 minutes) still drain through
every lane many times over (see bench/RESULTS.md).
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import httpx

from bench.carts import BenchCart, make_cart
from bench.common import Row, scratch
from cowapp.sync.connectors.rt import RTConnector
from cowapp.sync.engine import SyncEngine
from cowapp.sync.settings import SyncSettings
from cowapp.sync.transport import make_client
from cowapp.sync.worker import ThreadFanOut
from cowapp.wiring import utc_now

RT_URL = "http://127.0.0.1:8085"
TOKEN_FILE = Path("/var/lib/cowapp-rt5-test/token")
METRIC = "P3-RT drain to real RT5"


def run(quick: bool) -> list[Row]:
    """Engine throughput against raw creates, or a skipped row."""
    token = _token()
    if token is None:
        return [Row(METRIC, None, target="ratio ≥ 0.8", note="skipped: RT5 not reachable")]
    issues, sample = (20, 10) if quick else (200, 50)
    settings = SyncSettings(connector="rt", url=RT_URL, options={"queue": "Cart"})
    with scratch("p3rt") as tmp:
        # Fresh UUIDs every run: RT keeps the tickets of earlier runs, and a repeated External ID
        # would be dropped from the new ticket (RT's unique field), so every item would park.
        cart = make_cart(tmp, issues, queued=True, seed=secrets.randbits(64))
        try:
            baseline = _raw_creates(token, sample)
            rate, sent = _drain(cart, settings, token)
        finally:
            cart.close()
    share = rate / baseline
    note = f"{sent} issues, {settings.concurrency} lanes; baseline: {sample} raw creates"
    return [Row(METRIC, rate, baseline, share, "ratio ≥ 0.8", share >= 0.8, "issues/s", note)]


def _token() -> str | None:
    try:
        token = TOKEN_FILE.read_text(encoding="utf-8").strip()
        httpx.get(f"{RT_URL}/REST/2.0/rt", headers=_headers(token), timeout=5).raise_for_status()
    except (OSError, httpx.HTTPError):
        return None
    return token


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"token {token}", "Accept": "application/json"}


def _raw_creates(token: str, n: int) -> float:
    with httpx.Client(base_url=RT_URL, headers=_headers(token), timeout=30) as client:
        started = time.perf_counter()
        for index in range(n):
            body = {"Queue": "Cart", "Subject": f"bench baseline {index}", "Content": "bench"}
            client.post("/REST/2.0/ticket", json=body).raise_for_status()
        return n / (time.perf_counter() - started)


def _drain(cart: BenchCart, settings: SyncSettings, token: str) -> tuple[float, int]:
    with make_client(settings) as client:
        connector = RTConnector(client, token, settings)
        engine = SyncEngine(cart.issues, cart.outbox, connector, cart.taxonomy, settings, utc_now)
        started = time.perf_counter()
        fan_out = ThreadFanOut(settings.concurrency)
        summary = engine.run_once(limit=100_000, read_back=False, fan_out=fan_out)
        elapsed = time.perf_counter() - started
    if summary.failed or summary.pending or summary.parked:
        raise RuntimeError(f"the drain did not finish: {summary}")
    return summary.sent / elapsed, summary.sent
