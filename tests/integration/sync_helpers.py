"""Shared helpers for the sync tests against the REAL Request Tracker 5 (fault proxy or not).

A test builds a fresh cart on a migrated SQLite file (`make_cart`), saves issues the way the
screens do (`add_resolved_issues`, `add_escalated_issue`, `add_note`), wires an engine to RT or
to a `FaultProxy` in front of it (`engine_for`), and then checks the outcome in RT itself: the
issue's UUID must be on exactly one ticket (`rt_tickets_for`), and no second ticket whose
reference RT silently dropped may carry the issue's short reference in its subject
(`rt_tickets_with_subject`; RT makes such a ticket when a create is blindly repeated).
`assert_exactly_once` does both, for a list of issues.

Time: the engine takes a clock; `FakeClock` lets a test jump past a backoff without sleeping
(the connector tests' fakes read one too). The worker tests use the real clock and
`StatusRecorder`/`wait_until` for bounded polling.

Also shared: a connector payload (`ticket_payload`), and the command-line setup of a cart that
syncs to RT through the OS keyring (`keyring_skip_reason`, `write_sync_config`,
`store_credential`, `configure_sync`, `free_loopback_port`); the ``credential_name`` fixture
that goes with them is in ``conftest.py``.
"""

from __future__ import annotations

import os
import random
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import httpx
import keyring
import keyring.errors

from cowapp import paths
from cowapp.domain import bedside
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, IssueEvent, ResolutionCode
from cowapp.domain.taxonomy import Taxonomy, load_taxonomy
from cowapp.domain.ticket import TicketPayload, TicketState
from cowapp.storage.db import Database
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.storage.outbox_store import OutboxStore
from cowapp.sync.connectors.rt import RTConnector
from cowapp.sync.engine import RunSummary, SyncEngine
from cowapp.sync.settings import Mapping, SyncSettings
from cowapp.sync.status import SyncStatus
from cowapp.sync.transport import make_client
from cowapp.wiring import SyncParts
from tests.conftest import Result, run_cowapp

if TYPE_CHECKING:
    from tests.integration.conftest import RT5

POLICY = IntakePolicy("COW-T1", "B4 Interne")
REPORTER = "104233"  # a nurse's staff number
TECHNICIAN = "T2041"
WRONG_TOKEN = "1-2-00000000000000000000000000000000"


class FakeClock:
    """A settable, thread-safe UTC clock: ``clock()`` is now, ``advance(s)`` moves it on.

    It starts at the real time (whole seconds) so that dates the server computes from its own
    clock (an HTTP-date ``Retry-After``) stay comparable.
    """

    def __init__(self, start: datetime | None = None) -> None:
        moment = start or datetime.now(UTC).replace(microsecond=0)
        if moment.tzinfo is None:
            raise ValueError("FakeClock needs an aware (UTC) datetime")
        self._now = moment.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    @property
    def now(self) -> datetime:
        """The clock's current time (the same as ``clock()``)."""
        return self()

    @now.setter
    def now(self, moment: datetime) -> None:
        """Set the clock to ``moment`` (an aware datetime; kept in UTC)."""
        if moment.tzinfo is None:
            raise ValueError("FakeClock needs an aware (UTC) datetime")
        with self._lock:
            self._now = moment.astimezone(UTC)

    def advance(self, seconds: float) -> datetime:
        """Move the clock ``seconds`` on and return the new time."""
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now


class CartParts(NamedTuple):
    """A fresh cart: the migrated database, its repositories and the shipped taxonomy."""

    db: Database
    issues: IssueStore
    outbox: OutboxStore
    taxonomy: Taxonomy


def make_cart(tmp_path: Path) -> CartParts:
    """Open (create and migrate) ``tmp_path/cowapp.db`` as the app does; dispose ``db`` after."""
    opened = open_database(tmp_path / "cowapp.db", paths.migrations_dir())
    taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    return CartParts(opened.db, IssueStore(opened.db), OutboxStore(opened.db), taxonomy)


def new_issue(taxonomy: Taxonomy, now: datetime, **draft: object) -> Issue:
    """A valid, unsaved issue (a label printer problem unless ``draft`` says otherwise)."""
    fields: dict[str, object] = {
        "category": "printing",
        "reporter": REPORTER,
        "description": "Etikettenprinter print halve etiketten",
        "room": "Kamer 12",
        **draft,
    }
    issue, _report = create_issue(IssueDraft(**fields), taxonomy, POLICY, now)  # type: ignore[arg-type]
    return issue


def add_resolved_issues(
    store: IssueStore, taxonomy: Taxonomy, n: int, now: datetime, notes: str = "Printer herstart"
) -> list[Issue]:
    """Save ``n`` issues resolved at the bedside (one outbox ``create`` row each)."""
    issues = []
    for _ in range(n):
        issue = new_issue(taxonomy, now)
        bedside.resolve(
            issue,
            actor=TECHNICIAN,
            at=now,
            code=ResolutionCode.FIXED,
            notes=notes,
            minutes_spent=5,
            confirmed_not_patient_data=False,
        )
        issues.append(store.add(issue))
    return issues


def add_escalated_issue(
    store: IssueStore,
    taxonomy: Taxonomy,
    now: datetime,
    group: str = "Werkplekbeheer",
    reason: str = "Printer moet vervangen worden",
) -> Issue:
    """Save an issue escalated to resolver ``group`` (mapped to an RT queue by configuration)."""
    issue = new_issue(taxonomy, now)
    bedside.escalate(
        issue,
        policy=POLICY,
        actor=TECHNICIAN,
        at=now,
        group=group,
        reason=reason,
        confirmed_not_patient_data=False,
    )
    return store.add(issue)


def add_note(store: IssueStore, issue_id: uuid.UUID, now: datetime, text: str) -> Issue:
    """Add a technician's note to a saved issue (its own outbox ``note`` row)."""

    def apply(issue: Issue) -> IssueEvent:
        bedside.add_note(
            issue, actor=TECHNICIAN, at=now, text=text, confirmed_not_patient_data=False
        )
        return issue.events[-1]

    return store.change(issue_id, apply)


def engine_for(
    url: str,
    token: str,
    store: IssueStore,
    outbox: OutboxStore,
    taxonomy: Taxonomy,
    clock: Callable[[], datetime],
    timeout: float = 2.0,
    *,
    mapping: Mapping | None = None,
    rng: random.Random | None = None,
    **options: str,
) -> SyncParts:
    """An RT engine wired as `cowapp.wiring.open_sync` does, but with the given URL and token.

    Args:
        url: RT's base URL, or a fault proxy's.
        timeout: the HTTP client's per-request timeout (seconds).
        mapping: ``[mapping.*]`` (e.g. groups → RT queues).
        rng: backoff jitter (seeded in tests that want a fixed delay sequence).
        options: the ``[rt]`` section (queue, external_id_field, ...).

    Returns:
        ``.engine`` and ``.close()`` (the HTTP client); also usable as a worker's engine parts.
    """
    settings = SyncSettings(
        connector="rt",
        url=url,
        timeout_seconds=timeout,
        options=dict(options),
        mapping=mapping or Mapping(),
    )
    client = make_client(settings)
    connector = RTConnector(client, token, settings)
    engine = SyncEngine(store, outbox, connector, taxonomy, settings, clock, rng=rng)
    return SyncParts(engine, client)


def advance_past_backoff(clock: FakeClock, outbox: OutboxStore) -> None:
    """Move ``clock`` just past the moment the next queued item becomes due (if it is later)."""
    due_at = outbox.next_attempt_at(clock())
    if due_at is not None and due_at > clock():
        clock.advance((due_at - clock()).total_seconds() + 0.001)


def drain(
    engine: SyncEngine, clock: FakeClock, outbox: OutboxStore, max_runs: int = 8
) -> list[RunSummary]:
    """``run_once`` until nothing is pending, first jumping the clock past any backoff each time.

    The same engine throughout: no restart and no new local write is needed for recovery.
    Returns every run's summary (the last one has ``pending == 0`` unless ``max_runs`` ran out).
    """
    summaries: list[RunSummary] = []
    for _ in range(max_runs):
        advance_past_backoff(clock, outbox)
        summaries.append(engine.run_once())
        if summaries[-1].pending == 0:
            break
    return summaries


# -- a payload for the connector tests -----------------------------------------------------------

PAYLOAD_SUBJECT = "[KD7-M4X] Printen & etiketten / Etikettenprinter: print niets"
PAYLOAD_BODY = "Melding KD7-M4X van kar COW-07, afdeling B4\n\nEtiket <leeg> & scheef"


def ticket_payload(
    state: TicketState = TicketState.OPEN,
    *,
    body: str = PAYLOAD_BODY,
    urgency: int = 2,
    priority: int = 3,
    **changes: Any,
) -> TicketPayload:
    """A payload as `build_ticket` makes one for issue KD7-M4X (fresh UUID), with ``changes``.

    The group, resolution code and resolution follow ``state`` (``werkplek`` when escalated;
    ``fixed`` and a text when resolved). The default ``body`` holds ``<``, ``>`` and ``&`` so
    markup escaping shows.
    """
    payload = TicketPayload(
        external_id=str(uuid.uuid4()),
        reference="KD7-M4X",
        subject=PAYLOAD_SUBJECT,
        body=body,
        state=state,
        category="printing",
        subcategory="label_printer",
        issue_type="incident",
        impact=2,
        urgency=urgency,
        priority=priority,
        cart_id="COW-07",
        ward="B4",
        room="12",
        asset_tag="",
        group="werkplek" if state is TicketState.ESCALATED else None,
        resolution_code="fixed" if state is TicketState.RESOLVED else None,
        resolution="Printer herstart, test-etiket goed" if state is TicketState.RESOLVED else "",
        patient_safety=False,
        golive_blocking=False,
    )
    return replace(payload, **changes)


# -- a cart syncing through the command line and the OS keyring ---------------------------------


def keyring_skip_reason() -> str | None:
    """Why the OS keyring cannot be used here (None: it can)."""
    if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return (
            "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset), so no Secret Service for "
            "`cowapp credentials set`: run under scripts/with-keyring.sh"
        )
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return f"keyring has no usable backend ({backend!r}): run under scripts/with-keyring.sh"
    try:
        keyring.get_password("cowapp", f"probe-{uuid.uuid4().hex}")
    except keyring.errors.KeyringError as error:
        return f"the keyring backend {type(backend).__name__} does not work: {error}"
    return None


def free_loopback_port() -> int:
    """A loopback port nothing listens on (bound, read and released): "the service is down"."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def write_sync_config(
    home: Path, url: str, credential: str, groups: dict[str, str] | None = None
) -> None:
    """(Re)write ``home/config.toml``: RT at ``url``, queue Cart, the keyring entry
    ``credential``, and ``groups`` (resolver group -> RT queue) when given."""
    text = (
        f'[sync]\nconnector = "rt"\nurl = "{url}"\ncredential = "{credential}"\n\n'
        '[rt]\nqueue = "Cart"\n'
    )
    if groups:
        text += "\n[mapping.groups]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in groups.items())
    (home / "config.toml").write_text(text, encoding="utf-8")


def store_credential(home: Path, credential: str, secret: str) -> Result:
    """``cowapp credentials set CREDENTIAL`` with ``secret`` on standard input; must exit 0."""
    stored = run_cowapp(home, "credentials", "set", credential, stdin=secret + "\n", timeout=180)
    assert stored.code == 0, stored
    return stored


def configure_sync(home: Path, url: str, credential: str, secret: str) -> Result:
    """A cart at ``home`` set up to sync to RT at ``url``: `write_sync_config`, then
    `store_credential` (``secret`` into the keyring entry ``credential``); returns the latter."""
    write_sync_config(home, url, credential)
    return store_credential(home, credential, secret)


# -- looking at what RT itself holds -------------------------------------------------------------


@contextmanager
def rt_api(rt5: RT5) -> Iterator[httpx.Client]:
    """A plain REST2 client straight to RT (never through a proxy), with the cowapp token."""
    headers = {"Authorization": f"token {rt5.token}", "Accept": "application/json"}
    with httpx.Client(
        base_url=f"{rt5.url}/REST/2.0", headers=headers, timeout=10, trust_env=False
    ) as client:
        yield client


def _search(client: httpx.Client, query: str, fields: str = "") -> list[dict[str, object]]:
    """Every ticket matching a TicketSQL ``query`` (all pages), in id order."""
    items: list[dict[str, object]] = []
    for page in range(1, 100):
        params = {"query": query, "orderby": "id", "per_page": "100", "page": str(page)}
        if fields:
            params |= {"fields": fields, "fields[Queue]": "Name"}
        response = client.get("/tickets", params=params)
        response.raise_for_status()
        batch = response.json()["items"]
        items.extend(batch)
        if len(batch) < 100:
            break
    return items


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def rt_find(rt5: RT5, external_ids: Iterable[str]) -> dict[str, list[dict[str, object]]]:
    """RT's tickets per External ID (value equality checked), in one search.

    Each ticket is RT's search item with ``id``, ``Status``, ``Queue`` (``{"Name": ...}``) and
    ``CustomFields``; an External ID no ticket carries maps to an empty list.
    """
    wanted = list(dict.fromkeys(external_ids))
    found: dict[str, list[dict[str, object]]] = {external_id: [] for external_id in wanted}
    if not wanted:
        return found
    query = " OR ".join(f"'CF.{{External ID}}' = '{_quote(e)}'" for e in wanted)
    with rt_api(rt5) as client:
        items = _search(client, query, "Status,Queue,CustomFields")
    for item in items:
        fields = item.get("CustomFields") or []
        assert isinstance(fields, list)
        values: list[str] = next(
            (f["values"] for f in fields if f.get("name") == "External ID"), []
        )
        if len(values) == 1 and values[0] in found:
            found[values[0]].append(item)
    return found


def rt_tickets_for(rt5: RT5, external_id: str) -> list[str]:
    """Ids of the RT tickets whose ``External ID`` equals ``external_id`` (equality checked)."""
    return [str(item["id"]) for item in rt_find(rt5, [external_id])[external_id]]


def rt_tickets_with_subject(rt5: RT5, texts: Iterable[str]) -> dict[str, list[str]]:
    """Ids of the RT tickets whose subject contains each of ``texts`` (one search for all).

    Catches a duplicate that `rt_tickets_for` cannot see: RT makes a repeated create with an
    existing unique External ID a NEW ticket with the field left empty.
    """
    wanted = list(dict.fromkeys(texts))
    found: dict[str, list[str]] = {text: [] for text in wanted}
    if not wanted:
        return found
    query = " OR ".join(f"Subject LIKE '{_quote(text)}'" for text in wanted)
    with rt_api(rt5) as client:
        items = _search(client, query, "Subject")
    for item in items:
        for text in wanted:
            if text.casefold() in str(item.get("Subject", "")).casefold():
                found[text].append(str(item["id"]))
    return found


def rt_history(rt5: RT5, ticket_id: str) -> list[str]:
    """The ticket's transaction types in order (``Create``, ``Comment``, ``Status``, ...)."""
    with rt_api(rt5) as client:
        params = {"fields": "Type", "per_page": "100"}
        response = client.get(f"/ticket/{ticket_id}/history", params=params)
        response.raise_for_status()
        return [str(item["Type"]) for item in response.json()["items"]]


def rt_ticket(rt5: RT5, ticket_id: str) -> dict[str, object]:
    """``GET /ticket/{id}`` (queue by name) as RT returns it."""
    with rt_api(rt5) as client:
        response = client.get(f"/ticket/{ticket_id}", params={"fields[Queue]": "Name"})
        response.raise_for_status()
        data: dict[str, object] = response.json()
        return data


def rt_text(rt5: RT5, ticket_id: str) -> str:
    """All text content of a ticket's transactions (create body, comments), in order."""
    with rt_api(rt5) as client:
        params = {"fields": "Content", "per_page": "100"}
        response = client.get(f"/ticket/{ticket_id}/attachments", params=params)
        response.raise_for_status()
        return "\n".join(str(item.get("Content", "")) for item in response.json()["items"])


def assert_exactly_once(
    rt5: RT5, store: IssueStore, issue_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[str, object]]:
    """Each issue knows its ticket, and in RT exactly that one ticket carries it.

    Checked by the External ID (equality) and by the reference in the subject, so a second
    ticket whose External ID RT silently dropped is caught too. Two searches in all.

    Returns:
        Per issue, RT's ticket (``id``, ``Status``, ``Queue``), for further checks.
    """
    issues = [store.get(issue_id) for issue_id in issue_ids]
    for issue in issues:
        assert issue.remote_ticket, f"{issue.reference}: no remote ticket recorded"
    by_uuid = rt_find(rt5, [str(issue.id) for issue in issues])
    by_subject = rt_tickets_with_subject(rt5, [f"[{issue.reference}]" for issue in issues])
    tickets = {}
    for issue in issues:
        ids = [str(item["id"]) for item in by_uuid[str(issue.id)]]
        assert ids == [issue.remote_ticket], f"{issue.reference}: RT tickets {ids}"
        named = by_subject[f"[{issue.reference}]"]
        assert named == [issue.remote_ticket], (
            f"{issue.reference}: tickets {named} carry this reference in their subject"
        )
        tickets[issue.id] = by_uuid[str(issue.id)][0]
    return tickets


# -- waiting without bare sleeps -----------------------------------------------------------------


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` seconds passed (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


class StatusRecorder:
    """A worker's ``on_status`` callback that keeps every `SyncStatus`, thread-safely."""

    def __init__(self) -> None:
        self._statuses: list[SyncStatus] = []
        self._cond = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self._cond:
            self._statuses.append(status)
            self._cond.notify_all()

    @property
    def statuses(self) -> list[SyncStatus]:
        """A copy of every status so far, oldest first."""
        with self._cond:
            return list(self._statuses)

    @property
    def last(self) -> SyncStatus | None:
        """The most recent status (None before the first)."""
        with self._cond:
            return self._statuses[-1] if self._statuses else None

    def wait_for(
        self, predicate: Callable[[SyncStatus], bool], timeout: float, after: int = 0
    ) -> SyncStatus | None:
        """The first status (from index ``after`` on) matching ``predicate``, waiting up to
        ``timeout`` seconds; None if none came."""

        def match() -> SyncStatus | None:
            return next((s for s in self._statuses[after:] if predicate(s)), None)

        with self._cond:
            self._cond.wait_for(lambda: match() is not None, timeout)
            return match()
