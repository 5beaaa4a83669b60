"""A create left in flight by a killed sync run is not looked up until it has had time to settle.

DESIGN.md guarantee 2, the case a lookup alone cannot cover: the process is killed with -9 right
after it sent a create, and the REAL Request Tracker is still working on that create when the
restarted cart tries the item again. A lookup by UUID then finds nothing yet, a second create
follows, and RT ends up with two tickets (the second with its unique External ID left empty).

Here the killed run is a real process (`sync_once_process`), SIGKILLed once its create has
reached the fault proxy, which holds it back (``COMMIT_LATE``): RT commits it only when the test
releases it, after the restarted engine has had its first go. The restarted engine runs in this
process on a fake clock, with a request timeout of ``WINDOW`` seconds: the settle window. Inside
the window it neither looks the issue up nor creates; after it, it looks up and adopts the
ticket the late create made. Checked in RT itself (`assert_exactly_once`). A second case holds
the create forever (``HANG``, as if it never arrived): after the window the item is created once.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cowapp.domain.outbox import OutboxState
from cowapp.wiring import utc_now
from tests.fakes.fault_proxy import Fault, FaultProxy, RequestRecord, route
from tests.integration.sync_helpers import (
    CartParts,
    FakeClock,
    add_resolved_issues,
    assert_exactly_once,
    engine_for,
    rt_tickets_with_subject,
    wait_until,
)

if TYPE_CHECKING:
    from tests.integration.conftest import RT5

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CREATE_PATH = "/REST/2.0/ticket"
FIND_PATH = "/REST/2.0/tickets"
WINDOW = 10.0  # the restarted engine's request timeout, and so its settle window (seconds)
DEAD_RUN_TIMEOUT = 120.0  # the killed run's client must not give up (and record it) first
HOLD_LIMIT = 120.0  # the proxy holds the create at most this long (the test releases it sooner)


@pytest.fixture
def proxy(rt5: RT5) -> Iterator[FaultProxy]:
    with FaultProxy(rt5.url, hang_limit=HOLD_LIMIT) as fault_proxy:
        yield fault_proxy


def lookups_and_creates(requests: list[RequestRecord]) -> list[str]:
    """The requests that would find or make a ticket, as ``METHOD path`` (query left off)."""
    wanted = {("GET", FIND_PATH), ("POST", CREATE_PATH)}
    found = [(r.method, r.path.partition("?")[0]) for r in requests]
    return [f"{method} {path}" for method, path in found if (method, path) in wanted]


def kill_while_creating(cart_db: Path, proxy: FaultProxy, token: str, logs: Path) -> datetime:
    """Run one sync in its own process, SIGKILL it once its create reached the proxy, and
    return the moment of the kill."""
    command = [sys.executable, "-m", "tests.integration.sync_once_process"]
    command += [str(cart_db), proxy.url, str(DEAD_RUN_TIMEOUT)]
    with (logs / "dead-run.out").open("wb") as out, (logs / "dead-run.err").open("wb") as err:
        process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=out, stderr=err)
        try:
            assert process.stdin is not None
            process.stdin.write(token.encode() + b"\n")
            process.stdin.close()
            arrived = wait_until(
                lambda: proxy.count("POST", CREATE_PATH) > 0 or process.poll() is not None, 60
            )
        finally:
            process.kill()  # SIGKILL: no handler, no clean-up, nothing recorded
            process.wait(timeout=10)
    killed_at = utc_now()
    stderr = (logs / "dead-run.err").read_text(encoding="utf-8", errors="replace")
    assert arrived and process.returncode == -9, f"the run was not killed mid-create: {stderr}"
    return killed_at


@pytest.mark.parametrize("late_commit", [True, False], ids=["rt-commits-late", "request-lost"])
def test_a_create_left_in_flight_by_a_killed_run_is_looked_up_only_after_the_settle_window(
    late_commit: bool, rt5: RT5, proxy: FaultProxy, cart: CartParts, tmp_path: Path
) -> None:
    [issue] = add_resolved_issues(cart.issues, cart.taxonomy, 1, utc_now())
    [item] = cart.outbox.due(utc_now())
    proxy.plan(Fault.COMMIT_LATE if late_commit else Fault.HANG, match=route("POST", CREATE_PATH))
    killed_at = kill_while_creating(cart.db.path, proxy, rt5.token, tmp_path)
    left = cart.outbox.get(item.seq)
    assert (left.state, left.attempts) == (OutboxState.SENDING, 0)  # sent, never acknowledged

    clock = FakeClock(killed_at)  # the cart restarts right after the kill
    with closing(
        engine_for(proxy.url, rt5.token, cart.issues, cart.outbox, cart.taxonomy, clock,
                   timeout=WINDOW)
    ) as parts:  # fmt: skip
        seen = len(proxy.requests)
        early = parts.engine.run_once()
        early_requests = proxy.requests[seen:]

        # RT finishes the killed run's create now, inside the window (or never: request-lost).
        proxy.release()
        assert proxy.wait_idle(timeout=30), "RT did not finish the held create"
        tickets = rt_tickets_with_subject(rt5, [f"[{issue.reference}]"])[f"[{issue.reference}]"]
        assert len(tickets) == (1 if late_commit else 0), (
            f"RT holds tickets {tickets} for {issue.reference}: the restarted run looked up "
            f"and created while the killed run's create was still in flight "
            f"({lookups_and_creates(early_requests)})"
        )

        # Inside the window: no lookup, no create, no attempt counted; it waits for the window.
        assert lookups_and_creates(early_requests) == []
        assert (early.sent, early.adopted, early.failed, early.pending) == (0, 0, 0, 1)
        settling = cart.outbox.get(item.seq)
        assert settling.request_started_at is not None
        assert settling.request_started_at <= killed_at
        until = settling.request_started_at + timedelta(seconds=WINDOW)
        assert (settling.state, settling.attempts, settling.not_before) == (
            OutboxState.SENDING, 0, until,
        )  # fmt: skip
        assert cart.outbox.next_attempt_at(clock()) == until  # the worker wakes then

        clock.now = until - timedelta(milliseconds=1)  # still inside: still nothing asked
        seen = len(proxy.requests)
        assert parts.engine.run_once().pending == 1
        assert lookups_and_creates(proxy.requests[seen:]) == []

        clock.now = until  # settled: look up first, then adopt (or create if nothing came)
        seen = len(proxy.requests)
        late = parts.engine.run_once()
        late_requests = lookups_and_creates(proxy.requests[seen:])

    assert late_requests[0] == f"GET {FIND_PATH}"
    if late_commit:
        assert (late.adopted, late.sent, late.pending) == (1, 0, 0), late.errors
        assert late_requests == [f"GET {FIND_PATH}"]
    else:
        assert (late.adopted, late.sent, late.pending) == (0, 1, 0), late.errors
        assert late_requests == [f"GET {FIND_PATH}", f"POST {CREATE_PATH}", f"GET {FIND_PATH}"]
    assert cart.outbox.get(item.seq).request_started_at is None
    assert_exactly_once(rt5, cart.issues, [issue.id])
    creates = lookups_and_creates(proxy.requests).count(f"POST {CREATE_PATH}")
    assert creates == (1 if late_commit else 2)  # the killed run's, and one more if it was lost
