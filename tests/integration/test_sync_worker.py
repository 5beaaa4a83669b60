"""The sync worker thread against the REAL Request Tracker 5, behind a fault proxy, on real time.

DESIGN.md "Sync guarantees" 5, 7 and 8: recovery needs no new write and no restart (the queue
drains within about one probe interval after the service is back, and online state comes from
probing RT); closing the app mid-request returns within 3 s and loses nothing (the next start
finds the ticket by its UUID and adopts it); while offline the worker is quiet (one cheap probe
per interval, the queue untouched); ``wake()`` sends a new issue at once; and the published
`SyncStatus` follows the queue, needs-attention count included.

Synchronisation is by bounded polling on the statuses the worker publishes (`StatusRecorder`)
or on what RT holds; the only plain sleep is the observation window of the "quiet" test.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import TYPE_CHECKING

import pytest

from cowapp.domain.outbox import OutboxState
from cowapp.storage.db import Database
from cowapp.storage.issue_store import IssueStore
from cowapp.sync.settings import Mapping
from cowapp.sync.status import Connection, SyncStatus
from cowapp.sync.worker import SyncWorker
from cowapp.wiring import SyncParts, utc_now
from tests.fakes.fault_proxy import Fault, FaultProxy, route
from tests.integration.sync_helpers import (
    TECHNICIAN,
    WRONG_TOKEN,
    CartParts,
    StatusRecorder,
    add_escalated_issue,
    add_resolved_issues,
    assert_exactly_once,
    engine_for,
    rt_tickets_for,
    wait_until,
)

if TYPE_CHECKING:
    from tests.integration.conftest import RT5

pytestmark = pytest.mark.slow

CREATE_PATH = "/REST/2.0/ticket"
PROBE_PATH = "/REST/2.0/queues/all"
PROBE_INTERVAL = 0.5  # seconds
HANG_LIMIT = 30.0  # the proxy's; longer than any test waits on a hung request
IN_FLIGHT_TIMEOUT = 20.0  # a client timeout that keeps a hung request in flight during a test

StartWorker = Callable[..., tuple[SyncWorker, StatusRecorder]]


@pytest.fixture
def proxy(rt5: RT5) -> Iterator[FaultProxy]:
    with FaultProxy(rt5.url, hang_limit=HANG_LIMIT) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def start_worker(rt5: RT5, cart: CartParts, proxy: FaultProxy) -> Iterator[StartWorker]:
    """``start_worker(url, probe_interval=..., ...)``: a started worker and its status log.

    ``token`` stands for the keyring: called whenever the worker opens its engine.

    Every worker is stopped at teardown (hangs released first), before the proxy and the
    database go away.
    """
    workers: list[SyncWorker] = []

    def start(
        url: str,
        *,
        probe_interval: float = PROBE_INTERVAL,
        readback_interval: float = 60.0,
        timeout: float = 2.0,
        mapping: Mapping | None = None,
        token: Callable[[], str] | None = None,
    ) -> tuple[SyncWorker, StatusRecorder]:
        def open_engine() -> SyncParts:  # reads the secret each time, as open_sync does
            secret = token() if token else rt5.token
            return engine_for(
                url, secret, cart.issues, cart.outbox, cart.taxonomy, utc_now,
                timeout=timeout, mapping=mapping,
            )  # fmt: skip

        recorder = StatusRecorder()
        worker = SyncWorker(
            open_engine,
            cart.outbox,
            recorder,
            utc_now,
            probe_interval=probe_interval,
            readback_interval=readback_interval,
        )
        workers.append(worker)
        worker.start()
        return worker, recorder

    yield start
    proxy.release()
    for worker in workers:
        assert worker.stop(timeout=10), "a sync worker thread did not end"


def creates(proxy: FaultProxy) -> int:
    """Ticket creates that reached the proxy."""
    return sum(1 for r in proxy.requests if r.method == "POST" and r.path == CREATE_PATH)


def is_online_and_empty(status: SyncStatus) -> bool:
    return status.connection is Connection.ONLINE and status.pending == 0


def test_recovers_without_new_writes_or_restart_within_a_probe_interval(
    rt5: RT5, proxy: FaultProxy, cart: CartParts, start_worker: StartWorker
) -> None:
    issues = add_resolved_issues(cart.issues, cart.taxonomy, 3, utc_now())
    proxy.plan(Fault.STATUS_503, times=6)  # everything, for about 6 probe intervals

    _worker, recorder = start_worker(proxy.url)

    offline = recorder.wait_for(lambda s: s.connection is Connection.OFFLINE, timeout=5)
    assert offline is not None, recorder.statuses
    assert (offline.pending, offline.last_sync) == (3, None)
    assert offline.last_error and "HTTP 503" in offline.last_error
    assert wait_until(lambda: proxy.pending() == 0, timeout=10), "the fault never cleared"
    cleared = time.monotonic()
    done = recorder.wait_for(is_online_and_empty, timeout=5)
    drained_after = time.monotonic() - cleared

    assert done is not None, recorder.statuses
    assert drained_after <= 5.0
    statuses = recorder.statuses
    first_online = next(i for i, s in enumerate(statuses) if s.connection is Connection.ONLINE)
    assert all(s.connection is Connection.OFFLINE for s in statuses[:first_online])
    assert first_online >= 2  # offline for several probe intervals, then back by itself
    # While offline it only probed: every faulted request is the cheap probe.
    faulted = [(r.method, r.path) for r in proxy.requests if r.fault_applied]
    assert faulted == [("GET", PROBE_PATH)] * 6
    assert done.last_sync is not None and done.last_error is None
    assert (done.needs_attention, done.oldest_pending_at) == (0, None)
    assert cart.outbox.summary(utc_now()).pending == 0
    assert_exactly_once(rt5, cart.issues, [i.id for i in issues])


def test_stop_returns_within_3_s_while_a_create_hangs_and_the_next_start_adopts(
    rt5: RT5, proxy: FaultProxy, cart: CartParts, start_worker: StartWorker
) -> None:
    [issue] = add_resolved_issues(cart.issues, cart.taxonomy, 1, utc_now())
    [item] = cart.outbox.due(utc_now())
    proxy.plan(Fault.HANG_AFTER_COMMIT, match=route("POST", CREATE_PATH))
    worker, _recorder = start_worker(proxy.url, timeout=IN_FLIGHT_TIMEOUT)
    committed = wait_until(lambda: bool(rt_tickets_for(rt5, str(issue.id))), 15, interval=0.2)
    assert committed, "RT never got the create"

    started = time.monotonic()
    stopped = worker.stop(timeout=3)
    took = time.monotonic() - started

    assert took <= 3.2
    assert stopped is False  # the create is still in flight: abandoned, as by a closing app
    left = cart.outbox.get(item.seq)
    assert (left.state, left.attempts) == (OutboxState.SENDING, 0)  # sent, never acknowledged

    # The next start: a new engine finds the ticket by the issue's UUID and adopts it.
    with closing(
        engine_for(rt5.url, rt5.token, cart.issues, cart.outbox, cart.taxonomy, utc_now)
    ) as parts:
        summary = parts.engine.run_once()
    assert (summary.adopted, summary.sent, summary.pending) == (1, 0, 0)
    assert_exactly_once(rt5, cart.issues, [issue.id])

    # The abandoned request finally ends (in the app the process is gone by now): no harm done.
    proxy.release()
    assert worker.stop(timeout=10)
    assert cart.outbox.get(item.seq).state is OutboxState.DONE
    assert cart.outbox.summary(utc_now()).pending == 0
    assert creates(proxy) == 1
    assert_exactly_once(rt5, cart.issues, [issue.id])


def test_quiet_while_offline_one_probe_per_interval_and_the_queue_untouched(
    proxy: FaultProxy, cart: CartParts, start_worker: StartWorker
) -> None:
    add_resolved_issues(cart.issues, cart.taxonomy, 2, utc_now())
    before = {item.seq: item for item in cart.outbox.due(utc_now())}
    proxy.plan(Fault.STATUS_503, times=1000)  # RT "down" for the whole test
    window = 3.0

    worker, recorder = start_worker(proxy.url, probe_interval=1.0)
    time.sleep(window)  # the observation window itself, not a synchronisation
    made = list(proxy.requests)
    assert worker.stop(timeout=3)

    assert 2 <= len(made) <= 5, made  # a probe at about 0, 1, 2 and 3 s
    assert {(r.method, r.path) for r in made} == {("GET", PROBE_PATH)}
    assert {cart.outbox.get(seq) for seq in before} == set(before.values())  # not even tried
    assert recorder.statuses
    assert {s.connection for s in recorder.statuses} == {Connection.OFFLINE}
    assert {s.pending for s in recorder.statuses} == {2}


def test_wake_sends_a_new_issue_at_once(
    rt5: RT5, cart: CartParts, start_worker: StartWorker
) -> None:
    worker, recorder = start_worker(rt5.url, probe_interval=30.0, readback_interval=60.0)
    idle = recorder.wait_for(lambda s: s.connection is Connection.ONLINE, timeout=10)
    assert idle is not None and idle.pending == 0, recorder.statuses
    seen = len(recorder.statuses)

    [issue] = add_resolved_issues(cart.issues, cart.taxonomy, 1, utc_now())
    started = time.monotonic()
    worker.wake()

    sent = wait_until(lambda: cart.issues.get(issue.id).remote_ticket is not None, timeout=5)
    took = time.monotonic() - started
    assert sent, "wake() did not send the new issue"
    assert took <= 2.5  # two RT requests (create, read back) and a little polling
    status = recorder.wait_for(is_online_and_empty, timeout=5, after=seen)
    assert status is not None and status.last_sync is not None
    assert status.last_sync > idle.checked_at
    assert_exactly_once(rt5, cart.issues, [issue.id])


def test_rows_written_by_another_process_go_out_without_a_wake(
    rt5: RT5, cart: CartParts, start_worker: StartWorker
) -> None:
    _worker, recorder = start_worker(rt5.url, probe_interval=30.0, readback_interval=60.0)
    assert recorder.wait_for(lambda s: s.connection is Connection.ONLINE, timeout=10)
    other_db = Database(cart.db.path)  # its own engine and connections, like `cowapp issue add`
    [issue] = add_resolved_issues(IssueStore(other_db), cart.taxonomy, 1, utc_now())
    other_db.dispose()
    # No wake(): the worker's idle poll (5 s by default) notices the new outbox row.
    assert wait_until(lambda: cart.issues.get(issue.id).remote_ticket is not None, timeout=9)
    assert_exactly_once(rt5, cart.issues, [issue.id])


def test_status_shows_a_parked_item_and_follows_its_discard(
    rt5: RT5, cart: CartParts, start_worker: StartWorker
) -> None:
    missing_queue = f"Nope-{uuid.uuid4().hex[:8]}"
    poisoned = add_escalated_issue(cart.issues, cart.taxonomy, utc_now(), group="Lab")
    [other] = add_resolved_issues(cart.issues, cart.taxonomy, 1, utc_now())

    worker, recorder = start_worker(rt5.url, mapping=Mapping(groups={"Lab": missing_queue}))

    parked = recorder.wait_for(lambda s: s.needs_attention == 1, timeout=10)
    assert parked is not None, recorder.statuses
    assert (parked.connection, parked.pending) == (Connection.ONLINE, 0)
    assert parked.last_error and "No permission to create tickets in the queue" in parked.last_error
    assert_exactly_once(rt5, cart.issues, [other.id])  # the poisoned item blocked nothing
    [(item, reference)] = cart.outbox.needing_attention()
    assert reference == poisoned.reference

    seen = len(recorder.statuses)
    cart.outbox.discard(item.seq, utc_now(), TECHNICIAN)
    worker.wake()

    cleared = recorder.wait_for(lambda s: s.needs_attention == 0, timeout=5, after=seen)
    assert cleared is not None, recorder.statuses
    assert (cleared.connection, cleared.pending, cleared.last_error) == (
        Connection.ONLINE,
        0,
        None,
    )
    assert rt_tickets_for(rt5, str(poisoned.id)) == []


def test_credentials_stored_again_are_used_without_a_restart(
    rt5: RT5, cart: CartParts, start_worker: StartWorker
) -> None:
    issues = add_resolved_issues(cart.issues, cart.taxonomy, 2, utc_now())
    keyring = {"rt": WRONG_TOKEN}
    _worker, recorder = start_worker(rt5.url, token=lambda: keyring["rt"])

    paused = recorder.wait_for(lambda s: s.connection is Connection.PAUSED, timeout=5)
    assert paused is not None, recorder.statuses
    assert (paused.pending, paused.needs_attention) == (2, 0)  # everything kept, nothing parked
    assert paused.last_error and "HTTP 401" in paused.last_error

    keyring["rt"] = rt5.token  # the technician runs `cowapp credentials set rt`
    seen = len(recorder.statuses)

    done = recorder.wait_for(is_online_and_empty, timeout=5, after=seen)
    assert done is not None, recorder.statuses[-1]
    assert_exactly_once(rt5, cart.issues, [i.id for i in issues])
