"""A new user's sync, through the real ``cowapp`` command line, against the REAL Request Tracker 5.

The acceptance of the sync issue, step by step, as a technician would do it: configure RT in
``config.toml``, store the token with ``cowapp credentials set NAME`` (standard input, OS
keyring), report issues with ``cowapp issue add`` while the central service is down (the
configured URL points at a loopback port where nothing listens: connections are refused, as
when RT is stopped), see ``sync --once`` exit 5 with one clear line and keep everything, then
point the URL at the real RT and see everything arrive exactly once: resolved tickets resolved
in queue Cart, escalated ones open in the group's queue, the issue's UUID in ``External ID``, the
issue still open at the cart held back. Then the other paths: ``credentials check``, a wrong
token (exit 3, paused; fixed by ``credentials set``), items parked for a human
(``sync --attention``, ``--retry``, ``--discard``), and status read back from RT.

Every check of what RT holds asks RT itself (REST2 with the token), not the cart. Run inside
``scripts/with-keyring.sh``; without a usable keyring backend these tests skip with the reason.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cowapp.storage.db import Database
from cowapp.storage.outbox_store import OutboxStore
from cowapp.sync import credentials
from tests.conftest import Result, run_cowapp
from tests.integration.sync_helpers import free_loopback_port, store_credential, write_sync_config

if TYPE_CHECKING:
    from tests.integration.conftest import RT5

EXIT_OK, EXIT_WAITING, EXIT_SYNC_INCOMPLETE = 0, 3, 5
REPORTER = "104233"
TECHNICIAN = "T2041"
SUMMARY = re.compile(
    r"^sent (?P<sent>\d+), adopted (?P<adopted>\d+), failed (?P<failed>\d+), "
    r"needs attention (?P<attention>\d+), pending (?P<pending>\d+) "
    r"\((?P<held>\d+) still open at the cart\), read back (?P<read_back>\d+)$"
)


# -- the cart, through the command line ---------------------------------------------------------


@dataclass
class Cart:
    """A data dir and the ``cowapp`` command run against it."""

    home: Path
    credential: str

    def run(self, *args: str, stdin: str | None = None) -> Result:
        return run_cowapp(self.home, *args, stdin=stdin, timeout=180)

    def configure(self, url: str, groups: dict[str, str] | None = None) -> None:
        """(Re)write config.toml: RT at ``url``, queue Cart, and a group -> queue mapping."""
        write_sync_config(self.home, url, self.credential, groups)

    def store_secret(self, secret: str) -> None:
        """``credentials set`` (exit 0), which names the keyring and never echoes the secret."""
        stored = store_credential(self.home, self.credential, secret)
        assert stored.out.strip() == (
            f"stored the secret for {self.credential!r} in {credentials.backend_name()}"
        )
        assert secret not in stored.out + stored.err

    def add(self, description: str, *outcome: str) -> dict[str, Any]:
        """``cowapp issue add ... --json``; returns the new issue."""
        added = self.run(
            "issue",
            "add",
            "--category",
            "printing",
            "--description",
            description,
            "--room",
            "Kamer 12",
            "--reporter",
            REPORTER,
            *outcome,
            "--json",
        )
        assert added.code == EXIT_OK, added
        issue: dict[str, Any] = json.loads(added.out)
        return issue

    def resolved(self, description: str) -> dict[str, Any]:
        return self.add(
            description, "--resolve", "Printer herstart, testlabel OK", "--technician", TECHNICIAN
        )

    def escalated(self, description: str, group: str = "Werkplekbeheer") -> dict[str, Any]:
        return self.add(
            description,
            "--escalate",
            group,
            "--reason",
            "Onderdeel vervangen, niet aan het bed te doen",
            "--technician",
            TECHNICIAN,
        )

    def show(self, reference: str) -> dict[str, Any]:
        shown = self.run("issue", "show", reference, "--json")
        assert shown.code == EXIT_OK, shown
        issue: dict[str, Any] = json.loads(shown.out)
        return issue

    def sync(self, *extra: str) -> Result:
        return self.run("sync", "--once", *extra)

    def outbox(self) -> list[tuple[str, str, str | None]]:
        """``(issue reference, state, not_before)`` of every outbox row, read from the file."""
        with closing(sqlite3.connect(self.home / "cowapp.db")) as db:
            rows = db.execute(
                "SELECT issues.reference, outbox.state, outbox.not_before FROM outbox "
                "JOIN issues ON issues.id = outbox.issue_id ORDER BY outbox.seq"
            ).fetchall()
        return [(str(ref), str(state), nb) for ref, state, nb in rows]

    def left_sending(self, started: datetime) -> None:
        """What a sync killed mid-request leaves behind: each unsent item marked ``sending``
        at ``started``, its outcome never recorded."""
        with closing(sqlite3.connect(self.home / "cowapp.db")) as file:
            unsent = "SELECT seq FROM outbox WHERE state IN ('pending', 'sending')"
            seqs = [seq for (seq,) in file.execute(unsent)]
        db = Database(self.home / "cowapp.db")
        try:
            for seq in seqs:
                OutboxStore(db).hold(seq, started, started)  # due then, ...
                OutboxStore(db).mark_sending(seq, started)  # ... and a run took it and died
        finally:
            db.dispose()

    def wait_out_backoff(self, limit: float = 10.0) -> None:
        """Sleep until every unsent item is due again (the backoff after a failed try)."""
        waits = [
            datetime.fromisoformat(str(nb)).replace(tzinfo=UTC)  # stored as naive UTC text
            for _ref, state, nb in self.outbox()
            if nb and state in ("pending", "sending")
        ]
        now = datetime.now(UTC)
        # Held items (open at the cart) wait about a day: they are not backoff.
        backoffs = [(w - now).total_seconds() for w in waits]
        delay = max([b for b in backoffs if b < 600], default=0.0)
        assert delay <= limit, f"backoff of {delay:.1f} s after one failed try"
        time.sleep(max(0.0, delay) + 0.2)


def summary_of(result: Result) -> dict[str, int]:
    """The numbers of ``sync --once``'s one-line summary."""
    lines = result.out.strip().splitlines()
    assert len(lines) == 1, result
    match = SUMMARY.match(lines[0])
    assert match, f"unexpected summary: {lines[0]!r}"
    return {key: int(value) for key, value in match.groupdict().items()}


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.err.splitlines() if line.strip()]


@pytest.fixture
def cart(cowapp_home: Path, credential_name: str) -> Cart:
    return Cart(cowapp_home, credential_name)


# -- RT, asked directly -------------------------------------------------------------------------


@pytest.fixture
def api(rt5: RT5) -> Iterator[httpx.Client]:
    """REST2 with the cowapp token: to look at tickets and to act as RT's staff."""
    headers = {"Authorization": f"token {rt5.token}", "Accept": "application/json"}
    with httpx.Client(base_url=f"{rt5.url}/REST/2.0", headers=headers, timeout=30) as client:
        yield client


def rt_search(api: httpx.Client, query: str) -> list[dict[str, Any]]:
    """Every ticket matching ``query`` (all pages; RT caps per_page at 100), in id order."""
    items: list[dict[str, Any]] = []
    for page in range(1, 100):
        params = {
            "query": query,
            "fields": "Subject,Status,Queue,CustomFields",
            "fields[Queue]": "Name",
            "orderby": "id",
            "order": "ASC",
            "per_page": "100",
            "page": str(page),
        }
        response = api.get("/tickets", params=params)
        assert response.status_code == 200, (query, response.status_code, response.text[:300])
        data = response.json()
        items.extend(data["items"])
        if not data["items"] or "next_page" not in data:
            return items
    raise AssertionError(f"more than 99 pages for {query}")


def field_values(ticket: dict[str, Any], name: str) -> list[str]:
    return next((f["values"] for f in ticket["CustomFields"] if f["name"] == name), [])


def rt_tickets(api: httpx.Client, issue: dict[str, Any]) -> list[dict[str, Any]]:
    """Tickets carrying the issue's UUID, plus any *without* a reference but with its subject.

    RT answers a repeated create with the same unique External ID with 201 and a second ticket
    whose field is empty; such a duplicate still starts its subject with ``[REFERENCE]``.
    """
    by_id = rt_search(api, f"'CF.{{External ID}}' = '{issue['id']}'")
    by_subject = [
        t
        for t in rt_search(api, f"Subject LIKE '{issue['reference']}'")
        if t["Subject"].startswith(f"[{issue['reference']}]")
        and not field_values(t, "External ID")  # not another cart's issue with the same code
    ]
    return by_id + by_subject


def assert_in_rt_once(api: httpx.Client, issue: dict[str, Any], queue: str, status: str) -> str:
    """The issue is on exactly one ticket, in ``queue`` with ``status``; returns its id."""
    tickets = rt_tickets(api, issue)
    assert len(tickets) == 1, f"{issue['reference']}: {len(tickets)} tickets in RT: {tickets}"
    ticket = tickets[0]
    assert field_values(ticket, "External ID") == [issue["id"]]
    assert ticket["Queue"]["Name"] == queue, ticket["Queue"]
    assert ticket["Status"] == status
    assert ticket["Subject"].startswith(f"[{issue['reference']}] ")
    return str(ticket["id"])


def assert_not_in_rt(api: httpx.Client, issue: dict[str, Any]) -> None:
    assert rt_tickets(api, issue) == [], f"{issue['reference']} reached RT"


# -- the tests ----------------------------------------------------------------------------------


def test_new_user_offline_then_online_every_issue_arrives_once(
    cart: Cart, rt5: RT5, api: httpx.Client
) -> None:
    # RT is "stopped": nothing listens on the configured port.
    down_url = f"http://127.0.0.1:{free_loopback_port()}"
    cart.configure(down_url)
    cart.store_secret(rt5.token)

    first_resolved = cart.resolved("Etikettenprinter print halve etiketten")
    still_open = cart.add("Scanner op de kar leest geen polsbandjes")  # held: not handled yet
    escalated = [cart.escalated("Printer lade 2 kapot"), cart.escalated("Printer maakt lawaai")]
    resolved = [first_resolved, cart.resolved("Toner op, nieuwe cartridge geplaatst")]
    assert [i["status"] for i in [still_open, *resolved, *escalated]] == [
        "new",
        "resolved",
        "resolved",
        "escalated",
        "escalated",
    ]

    offline = cart.sync()
    assert offline.code == EXIT_SYNC_INCOMPLETE, offline
    lines = stderr_lines(offline)
    assert len(lines) == 1, f"expected one line on stderr: {offline.err!r}"
    assert "connect" in lines[0].lower() and "refused" in lines[0].lower(), lines
    numbers = summary_of(offline)
    assert (numbers["pending"], numbers["held"], numbers["attention"]) == (5, 1, 0)
    assert numbers["failed"] >= 1
    # Nothing lost: every issue is there, none has a ticket, every outbox row is still unsent.
    listed = cart.run("issue", "list", "--json")
    assert listed.code == EXIT_OK, listed
    on_cart = {i["reference"]: i for i in json.loads(listed.out)}
    assert set(on_cart) == {i["reference"] for i in [still_open, *resolved, *escalated]}
    assert all(i["remote_ticket"] is None for i in on_cart.values())
    assert all(state in ("pending", "sending") for _ref, state, _nb in cart.outbox())

    # RT is back: the same cart, now pointing at the real RT.
    cart.configure(rt5.url)
    cart.wait_out_backoff()  # the failed items wait up to 2 s (base) before their next try
    online = cart.sync()
    assert online.code == EXIT_OK, online
    assert online.err.strip() == ""
    numbers = summary_of(online)
    assert numbers["sent"] == 4, online.out
    assert (numbers["adopted"], numbers["failed"], numbers["attention"]) == (0, 0, 0)
    assert (numbers["pending"], numbers["held"]) == (1, 1), online.out

    tickets = {i["reference"]: assert_in_rt_once(api, i, "Cart", "resolved") for i in resolved}
    for issue in escalated:
        tickets[issue["reference"]] = assert_in_rt_once(api, issue, "Werkplekbeheer", "open")
    assert_not_in_rt(api, still_open)
    for reference, ticket in tickets.items():
        shown = cart.show(reference)
        assert (shown["remote_ticket"], shown["remote_number"]) == (ticket, ticket)
    assert cart.show(still_open["reference"])["remote_ticket"] is None

    as_json = cart.sync("--json")
    assert as_json.code == EXIT_OK, as_json
    summary = json.loads(as_json.out)
    assert {k: summary[k] for k in ("sent", "adopted", "failed", "pending", "held")} == {
        "sent": 0,
        "adopted": 0,
        "failed": 0,
        "pending": 1,
        "held": 1,
    }
    assert (summary["needs_attention"], summary["paused"], summary["online"]) == (0, None, True)
    assert summary["last_error"] is None and summary["errors"] == []

    check = cart.run("credentials", "check")
    assert check.code == EXIT_OK, check
    assert check.out.splitlines() == [
        f"keyring: {credentials.backend_name()}",
        "TLS trust: the operating system's trust store",
        f"OK    {rt5.url} accepts the credentials {cart.credential!r}",
    ]
    assert rt5.token not in check.out + check.err

    # RT's staff resolve one escalated ticket; the cart reads it back.
    first = escalated[0]
    response = api.put(f"/ticket/{tickets[first['reference']]}", json={"Status": "resolved"})
    assert response.status_code == 200, response.text
    assert any("resolved" in str(message) for message in response.json()), response.text
    read = cart.sync()
    assert read.code == EXIT_OK, read
    assert summary_of(read)["read_back"] >= 1, read.out
    shown = cart.show(first["reference"])
    assert (shown["status"], shown["remote_status"]) == ("remote_resolved", "resolved")
    other = cart.show(escalated[1]["reference"])
    assert (other["status"], other["remote_status"]) == ("escalated", "open")
    # Reading back sends nothing new: still one ticket each.
    assert_in_rt_once(api, first, "Werkplekbeheer", "resolved")


def test_wrong_token_pauses_and_setting_the_right_one_resumes(
    cart: Cart, rt5: RT5, api: httpx.Client
) -> None:
    cart.configure(rt5.url)
    wrong = f"1-2-{secrets.token_hex(16)}"  # RT's token format, but not a token RT issued
    cart.store_secret(wrong)
    waiting = cart.resolved("Badgelezer reageert niet")

    paused = cart.sync()
    assert paused.code == EXIT_WAITING, paused
    lines = stderr_lines(paused)
    assert len(lines) == 1, paused.err
    assert "paused" in lines[0] and "credentials" in lines[0], lines
    assert "401" in lines[0] and "cowapp credentials set" in lines[0], lines
    assert wrong not in paused.out + paused.err
    assert summary_of(paused)["pending"] == 1
    assert cart.show(waiting["reference"])["remote_ticket"] is None
    assert_not_in_rt(api, waiting)

    check = cart.run("credentials", "check")
    assert check.code == EXIT_WAITING, check
    assert check.out.splitlines()[-1].startswith(f"FAIL  {rt5.url}: "), check.out
    assert "401" in check.out and wrong not in check.out + check.err

    still = cart.sync()  # stays paused while the token is wrong (probed, nothing sent)
    assert still.code == EXIT_WAITING, still
    assert "paused" in still.err and "credentials" in still.err

    cart.store_secret(rt5.token)
    resumed = cart.sync()
    assert resumed.code == EXIT_OK, resumed
    numbers = summary_of(resumed)
    assert (numbers["sent"], numbers["pending"], numbers["attention"]) == (1, 0, 0)
    ticket = assert_in_rt_once(api, waiting, "Cart", "resolved")
    assert cart.show(waiting["reference"])["remote_ticket"] == ticket


def test_wrong_token_with_nothing_to_send_still_exits_3(
    cart: Cart, rt5: RT5, api: httpx.Client
) -> None:
    cart.configure(rt5.url)
    cart.store_secret(rt5.token)
    cart.escalated("Printer lade 3 kapot")  # escalated: its status is read back from RT
    first = cart.sync()
    assert first.code == EXIT_OK, first

    cart.store_secret(f"1-2-{secrets.token_hex(16)}")
    refused = cart.sync()
    assert "401" in refused.err, refused  # RT did refuse the token...
    assert refused.code == EXIT_WAITING, refused  # ...yet the run reported success (0)


def test_unreachable_service_with_nothing_to_send_still_exits_5(
    cart: Cart, rt5: RT5, api: httpx.Client
) -> None:
    cart.configure(rt5.url)
    cart.store_secret(rt5.token)
    cart.escalated("Printer lade 4 kapot")  # escalated: its status is read back from RT
    first = cart.sync()
    assert first.code == EXIT_OK, first

    cart.configure(f"http://127.0.0.1:{free_loopback_port()}")  # RT "stopped"
    unreachable = cart.sync()
    assert "refused" in unreachable.err, unreachable  # the read-back could not connect...
    assert unreachable.code == EXIT_SYNC_INCOMPLETE, unreachable  # ...yet the run exited 0


def test_parked_items_are_listed_retried_and_discarded(
    cart: Cart, rt5: RT5, api: httpx.Client
) -> None:
    missing_queue = f"Bestaat-niet-{uuid.uuid4().hex[:8]}"
    cart.configure(rt5.url, groups={"Netwerkbeheer": missing_queue})
    cart.store_secret(rt5.token)
    to_retry = cart.escalated("Wifi valt weg in de gang", group="Netwerkbeheer")
    to_discard = cart.escalated("Wifi valt weg bij de balie", group="Netwerkbeheer")
    healthy = cart.resolved("Printer herstart")

    parked = cart.sync()
    assert parked.code == EXIT_WAITING, parked
    numbers = summary_of(parked)
    assert (numbers["sent"], numbers["attention"], numbers["pending"]) == (1, 2, 0), parked.out
    assert_in_rt_once(api, healthy, "Cart", "resolved")  # one poisoned item blocks no other

    listing = cart.run("sync", "--attention")
    assert listing.code == EXIT_WAITING, listing
    lines = listing.out.strip().splitlines()
    assert len(lines) == 2, listing.out
    for line, issue in zip(lines, [to_retry, to_discard], strict=True):
        assert issue["reference"] in line and " create " in line, line
        assert f"No permission to create tickets in the queue '{missing_queue}'" in line, line
    items = json.loads(cart.run("sync", "--attention", "--json").out)
    seq = {item["reference"]: item["seq"] for item in items}
    assert set(seq) == {to_retry["reference"], to_discard["reference"]}
    assert all("HTTP 403" in item["error"] for item in items), items

    # Fix the mapping, retry one, discard the other.
    cart.configure(rt5.url, groups={"Netwerkbeheer": "Werkplekbeheer"})
    retried = cart.run("sync", "--retry", str(seq[to_retry["reference"]]))
    assert retried.code == EXIT_OK, retried
    assert "retried" in retried.out
    discarded = cart.run("sync", "--discard", str(seq[to_discard["reference"]]))
    assert discarded.code == EXIT_OK, discarded
    assert "discarded" in discarded.out
    nothing = cart.run("sync", "--attention")
    assert (nothing.code, nothing.out.strip()) == (EXIT_OK, ""), nothing

    sent = cart.sync()
    assert sent.code == EXIT_OK, sent
    numbers = summary_of(sent)
    assert (numbers["sent"], numbers["attention"], numbers["pending"]) == (1, 0, 0), sent.out
    ticket = assert_in_rt_once(api, to_retry, "Werkplekbeheer", "open")
    assert cart.show(to_retry["reference"])["remote_ticket"] == ticket
    assert_not_in_rt(api, to_discard)
    kept = cart.show(to_discard["reference"])
    assert (kept["status"], kept["remote_ticket"]) == ("escalated", None)
    assert [e["kind"] for e in kept["events"]][-1] == "escalated"

    # A seq that no longer waits for a human is refused with one line.
    again = cart.run("sync", "--retry", str(seq[to_retry["reference"]]))
    assert again.code == 2, again
    assert len(stderr_lines(again)) == 1 and "not waiting for attention" in again.err


def test_an_issue_held_at_the_cart_is_not_counted_as_sent(
    cart: Cart, rt5: RT5, api: httpx.Client
) -> None:
    cart.configure(rt5.url)
    cart.store_secret(rt5.token)
    still_open = cart.add("Muis van de kar hapert")
    result = cart.sync("--json")
    assert result.code == EXIT_OK, result
    summary = json.loads(result.out)
    assert_not_in_rt(api, still_open)
    assert (summary["held"], summary["pending"]) == (1, 1), summary
    assert summary["sent"] == 0, f"nothing reached RT, yet the summary says {summary}"


def test_an_item_a_killed_run_left_sending_waits_for_its_request_to_settle(
    cart: Cart, rt5: RT5, api: httpx.Client
) -> None:
    """The killed run's request may still be at work in RT: the next ``sync --once`` does not
    look the issue up (nor create) before the request timeout (20 s by default) has passed
    since that request started; it exits 5 and says why. After that it goes, exactly once."""
    cart.configure(rt5.url)
    cart.store_secret(rt5.token)
    issue = cart.resolved("Scanner leest geen polsbandjes")
    cart.left_sending(datetime.now(UTC))

    early = cart.sync()
    assert early.code == EXIT_SYNC_INCOMPLETE, early
    assert (summary_of(early)["sent"], summary_of(early)["pending"]) == (0, 1)
    assert stderr_lines(early) == [
        "1 waiting (up to the request timeout) for a request that an interrupted earlier run "
        "sent to finish at the central service; a later sync sends them"
    ]
    assert_not_in_rt(api, issue)
    [(_ref, state, not_before)] = cart.outbox()
    assert state == "sending" and not_before is not None

    cart.left_sending(datetime.now(UTC) - timedelta(seconds=21))  # it died 21 s ago
    late = cart.sync()
    assert late.code == EXIT_OK, late
    assert (summary_of(late)["sent"], summary_of(late)["pending"]) == (1, 0)
    assert_in_rt_once(api, issue, "Cart", "resolved")
