"""A distant TOPdesk for the drain benchmarks: the loopback fake, 20 ms per request, own process.

``python -m bench.slow_itsm LATENCY`` serves `tests.fakes.topdesk.FakeTopdesk` on a free loopback
port with ``LATENCY`` seconds added to every request (outside the fake's lock, so requests on
several connections wait at the same time, as they do at a real server far away). It prints
``{"url": ...}`` and serves until its stdin closes. Its own process, so the server's Python work
does not compete with the cart's for one interpreter lock. Looking an incident up by
``externalNumber`` uses an index, so the fake stays as quick with 5,000 incidents as with five.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.fakes import Reply, Request
from tests.fakes.topdesk import FakeTopdesk, _shown

LOGIN, PASSWORD = "cowapp-api", "app-pass-1"


class IndexedTopdesk(FakeTopdesk):
    """`FakeTopdesk` answering ``externalNumber=="..."`` from an index instead of a scan."""

    def __init__(self) -> None:
        super().__init__(LOGIN, PASSWORD)
        self._by_external: dict[str, list[dict[str, Any]]] = {}

    def handle(self, request: Request) -> Reply:
        """Route one request; index what a create stored."""
        wanted = _exact_external(request)
        if wanted is not None and self._authorised(request.headers.get("authorization", "")):
            found = self._by_external.get(wanted, [])
            return Reply(200, [_shown(i) for i in found]) if found else Reply(204)
        before = len(self.incidents)
        reply = super().handle(request)
        for incident in self.incidents[before:]:
            key = str(incident.get("externalNumber", ""))
            self._by_external.setdefault(key, []).append(incident)
        return reply


def _exact_external(request: Request) -> str | None:
    query = request.query.get("query", "")
    if request.method != "GET" or not query.startswith('externalNumber=="'):
        return None
    value = query.removeprefix('externalNumber=="').removesuffix('"')
    return None if '"' in value or "\\" in value or request.query.get("pageStart") != "0" else value


@contextmanager
def slow_itsm(latency: float) -> Iterator[str]:
    """Run the server in a child process; yield its base URL."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.slow_itsm", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield str(json.loads(child.stdout.readline())["url"])
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=10)


def main() -> None:
    """Serve until stdin closes."""
    with IndexedTopdesk() as fake:
        fake.latency = float(sys.argv[1])
        print(json.dumps({"url": fake.url}), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
