"""The fault proxy itself, in front of the real RT5: each fault does to the client what it says.

Every fault that touches a ticket create is checked on both sides: what the client sees (a status,
a header, an exception, a body that is not JSON) and what RT holds afterwards, found by the
External ID the test set. "Commit" faults must leave exactly one ticket; the others none. RT is
started with ``scripts/rt5/rt5-up.sh`` (needs root); without it the tests skip and say why.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.fault_proxy import Fault, FaultProxy, RequestRecord, route

pytestmark = pytest.mark.slow

RT5_UP = Path(__file__).resolve().parents[2] / "scripts" / "rt5" / "rt5-up.sh"
CREATE = route("POST", "/REST/2.0/ticket")
QUEUES = "/REST/2.0/queues/all"
COMMIT_DEADLINE = 15.0  # seconds for RT to finish a create the client gave up on


@dataclass(frozen=True)
class RT:
    """The running RT5: where it is, and the headers that authenticate as cowapp."""

    url: str
    headers: dict[str, str]


def parse_key_values(stdout: str) -> dict[str, str]:
    """``KEY=VALUE`` lines (rt5-up.sh's stdout) as a dict; other lines are ignored."""
    pairs = (line.split("=", 1) for line in stdout.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.fixture(scope="module")
def rt() -> RT:
    """Bring RT5 up (idempotent, about 0.5 s when it already runs), or skip with the reason."""
    if os.geteuid() != 0:
        pytest.skip("needs root: scripts/rt5/rt5-up.sh installs and starts RT5")
    try:
        proc = subprocess.run(
            [str(RT5_UP)], capture_output=True, text=True, timeout=600, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"rt5-up.sh could not run: {exc}")
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        pytest.skip(f"rt5-up.sh failed (exit {proc.returncode}): {tail}")
    env = parse_key_values(proc.stdout)
    token = Path(env["RT5_TOKEN_FILE"]).read_text(encoding="utf-8").strip()
    return RT(env["RT5_URL"], {"Authorization": f"token {token}"})


@pytest.fixture
def proxy(rt: RT) -> Iterator[FaultProxy]:
    with FaultProxy(rt.url, hang_limit=20) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def client(proxy: FaultProxy, rt: RT) -> Iterator[httpx.Client]:
    """An httpx client like cowapp's, talking to RT through the proxy."""
    with httpx.Client(base_url=proxy.url, headers=rt.headers, timeout=10, trust_env=False) as c:
        yield c


@pytest.fixture
def direct(rt: RT) -> Iterator[httpx.Client]:
    """A client straight to RT, to check what RT really holds."""
    with httpx.Client(base_url=rt.url, headers=rt.headers, timeout=10, trust_env=False) as c:
        yield c


def new_ticket() -> dict[str, Any]:
    """A create body for queue Cart with a fresh External ID."""
    return {
        "Queue": "Cart",
        "Subject": "fault proxy test",
        "Content": "Created by tests/integration/test_fault_proxy.py",
        "ContentType": "text/plain",
        "CustomFields": {"External ID": str(uuid.uuid4())},
    }


def external_id(body: dict[str, Any]) -> str:
    return str(body["CustomFields"]["External ID"])


def tickets_with(direct: httpx.Client, ext_id: str) -> list[str]:
    """Ids of the tickets in RT whose External ID is ``ext_id``."""
    response = direct.get(
        "/REST/2.0/tickets", params={"query": f"'CF.{{External ID}}' = '{ext_id}'"}
    )
    response.raise_for_status()
    return [item["id"] for item in response.json()["items"]]


def wait_for_ticket(direct: httpx.Client, ext_id: str) -> list[str]:
    """Poll RT until a ticket with ``ext_id`` exists (bounded by COMMIT_DEADLINE)."""
    deadline = time.monotonic() + COMMIT_DEADLINE
    while not (found := tickets_with(direct, ext_id)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_forwards_requests_unchanged(client: httpx.Client, proxy: FaultProxy) -> None:
    response = client.get(QUEUES)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.json()["items"]) >= 2  # queues Cart and Werkplekbeheer
    assert proxy.requests == [RequestRecord("GET", QUEUES, None)]


def test_forwards_a_create_and_its_answer(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    body = new_ticket()

    response = client.post("/REST/2.0/ticket", json=body)

    assert response.status_code == 201
    assert response.headers["location"] == f"/REST/2.0/ticket/{response.json()['id']}"
    assert tickets_with(direct, external_id(body)) == [response.json()["id"]]


def test_commit_then_drop_creates_the_ticket_but_the_client_hears_nothing(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.COMMIT_THEN_DROP, match=CREATE)
    body = new_ticket()

    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/REST/2.0/ticket", json=body)

    assert len(tickets_with(direct, external_id(body))) == 1
    assert proxy.requests == [RequestRecord("POST", "/REST/2.0/ticket", Fault.COMMIT_THEN_DROP)]


def test_commit_then_500_creates_the_ticket_and_answers_bad_gateway(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.COMMIT_THEN_500, match=CREATE)
    body = new_ticket()

    response = client.post("/REST/2.0/ticket", json=body)

    assert response.status_code == 502
    assert len(tickets_with(direct, external_id(body))) == 1


def test_error_inside_200_creates_the_ticket_but_answers_rts_error_list(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.ERROR_INSIDE_200, match=CREATE)
    body = new_ticket()

    response = client.post("/REST/2.0/ticket", json=body)

    assert response.status_code == 200
    assert response.json() == ["Ticket 0: Permission denied"]
    assert len(tickets_with(direct, external_id(body))) == 1


def test_hang_after_commit_times_out_the_client_but_creates_the_ticket(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.HANG_AFTER_COMMIT, match=CREATE)
    body = new_ticket()

    with pytest.raises(httpx.ReadTimeout):
        client.post("/REST/2.0/ticket", json=body, timeout=1)

    assert len(wait_for_ticket(direct, external_id(body))) == 1


def test_commit_late_holds_a_create_until_release_then_rt_commits_it_and_answers(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.COMMIT_LATE, match=CREATE)
    body = new_ticket()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(client.post, "/REST/2.0/ticket", json=body, timeout=30)
        assert proxy.wait_for_requests(1, timeout=10)
        assert tickets_with(direct, external_id(body)) == []  # held: RT has not seen it
        proxy.release()
        response = pending.result(timeout=COMMIT_DEADLINE)

    assert response.status_code == 201
    assert tickets_with(direct, external_id(body)) == [response.json()["id"]]
    assert proxy.wait_idle(timeout=5)


def test_commit_late_commits_after_the_client_gave_up(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    """The slow server of a client that timed out (or was killed): RT commits all the same."""
    proxy.plan(Fault.COMMIT_LATE, match=CREATE)
    body = new_ticket()

    with pytest.raises(httpx.ReadTimeout):
        client.post("/REST/2.0/ticket", json=body, timeout=1)
    assert tickets_with(direct, external_id(body)) == []
    assert not proxy.wait_idle(timeout=0)  # still held
    proxy.release()

    assert proxy.wait_idle(timeout=COMMIT_DEADLINE)  # forwarded, and RT has answered
    assert len(tickets_with(direct, external_id(body))) == 1


@pytest.mark.parametrize(
    ("fault", "status"),
    [(Fault.STATUS_500, 500), (Fault.STATUS_502, 502), (Fault.STATUS_503, 503)],
)
def test_status_faults_answer_with_an_error_page_and_never_reach_rt(
    fault: Fault, status: int, client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(fault, match=CREATE)
    body = new_ticket()

    response = client.post("/REST/2.0/ticket", json=body)

    assert response.status_code == status
    assert response.headers["content-type"] == "text/html"
    assert f"<title>{status} " in response.text
    assert tickets_with(direct, external_id(body)) == []


def test_rate_limit_in_seconds(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.rate_limit(seconds=7), match=CREATE)
    body = new_ticket()

    response = client.post("/REST/2.0/ticket", json=body)

    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert tickets_with(direct, external_id(body)) == []


def test_rate_limit_as_an_http_date(client: httpx.Client, proxy: FaultProxy) -> None:
    proxy.plan(Fault.rate_limit(seconds=120, as_date=True))
    before = datetime.now(UTC)

    response = client.get(QUEUES)

    assert response.status_code == 429
    retry_at = parsedate_to_datetime(response.headers["retry-after"])  # RFC 9110 IMF-fixdate
    assert response.headers["retry-after"].endswith(" GMT")
    assert 118 <= (retry_at - before).total_seconds() <= 122
    assert proxy.requests[-1].fault_applied is Fault.RATE_LIMIT_DATE


def test_hang_times_out_the_client_and_never_reaches_rt(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.HANG, match=CREATE)
    body = new_ticket()
    started = time.monotonic()

    with pytest.raises(httpx.ReadTimeout):
        client.post("/REST/2.0/ticket", json=body, timeout=1)

    assert time.monotonic() - started < 5
    assert tickets_with(direct, external_id(body)) == []


def test_release_ends_a_hang_with_a_closed_connection(
    client: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.HANG)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(client.get, QUEUES, timeout=30)
        assert proxy.wait_for_requests(1, timeout=10)
        started = time.monotonic()
        proxy.release()
        with pytest.raises(httpx.RemoteProtocolError):
            pending.result(timeout=10)
    assert time.monotonic() - started < 5
    assert client.get(QUEUES).status_code == 200  # the next request is forwarded again


def test_reset_is_a_connection_reset(
    client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.RESET, match=CREATE)
    body = new_ticket()

    with pytest.raises(httpx.ReadError) as raised:
        client.post("/REST/2.0/ticket", json=body)

    causes = []
    cause: BaseException | None = raised.value
    while cause is not None:  # httpx.ReadError <- httpcore.ReadError <- the OSError
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    assert any(isinstance(c, ConnectionResetError) for c in causes), causes
    assert tickets_with(direct, external_id(body)) == []


@pytest.mark.parametrize("fault", [Fault.GARBAGE, Fault.HTML_ERROR])
def test_a_200_that_is_not_json(
    fault: Fault, client: httpx.Client, direct: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(fault, match=CREATE)
    body = new_ticket()

    response = client.post("/REST/2.0/ticket", json=body)

    assert response.status_code == 200
    with pytest.raises(ValueError):  # json.JSONDecodeError or UnicodeDecodeError
        json.loads(response.content)
    assert tickets_with(direct, external_id(body)) == []


def test_faults_are_used_in_order_by_matching_requests_then_forwarding_resumes(
    client: httpx.Client, proxy: FaultProxy
) -> None:
    proxy.plan(Fault.STATUS_503, times=2, match=route("GET", QUEUES))
    proxy.plan(Fault.rate_limit(seconds=3), match=route("GET", QUEUES))

    statuses = [client.get(QUEUES).status_code for _ in range(2)]
    statuses.append(client.get("/REST/2.0/queue/3").status_code)  # matches no plan
    statuses += [client.get(QUEUES).status_code for _ in range(3)]

    assert statuses == [503, 503, 200, 429, 200, 200]
    assert proxy.pending() == 0
    assert [r.fault_applied for r in proxy.requests] == [
        Fault.STATUS_503,
        Fault.STATUS_503,
        None,
        Fault.RATE_LIMIT_SECONDS,
        None,
        None,
    ]
    assert proxy.count("GET", QUEUES) == 5
    assert proxy.count("GET", "/REST/2.0/queue") == 6  # a prefix: queue/3 and queues/all
    assert proxy.count("POST") == 0


def test_exit_ends_hangs_and_idle_connections_and_closes_the_listener(
    rt: RT, proxy: FaultProxy
) -> None:
    """A hung request and an idle keep-alive connection must not keep the proxy alive."""
    with (
        httpx.Client(base_url=proxy.url, headers=rt.headers, timeout=30, trust_env=False) as idle,
        httpx.Client(base_url=proxy.url, headers=rt.headers, timeout=30, trust_env=False) as hung,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        assert idle.get(QUEUES).status_code == 200  # leaves a pooled keep-alive connection
        proxy.plan(Fault.HANG)
        pending = pool.submit(hung.get, QUEUES)
        assert proxy.wait_for_requests(2, timeout=10)
        started = time.monotonic()

        proxy.__exit__(None, None, None)

        assert time.monotonic() - started < 5
        with pytest.raises(httpx.RemoteProtocolError):
            pending.result(timeout=10)
        with pytest.raises(httpx.ConnectError):
            httpx.get(proxy.url + QUEUES, timeout=5, trust_env=False)
