"""A fault-injecting reverse proxy on loopback, to put between cowapp and the REAL Request Tracker.

Exactly-once sync (DESIGN.md "Sync guarantees" 2 and 4, ITSM.md "Retry classes") is about what
happens when the network fails *after* the server did its work: the ticket exists, but the client
never heard so. A fake RT cannot show that; it would only agree with our own idea of RT. So this
proxy forwards to a real RT5, which really commits, and a test checks the outcome in RT itself (for
example by searching on the issue's External ID), not in the proxy. The proxy only decides what
the client gets to see: a dropped or reset connection, a hang, a 5xx, a 429 with Retry-After,
garbage, or RT's own "200 with an error list" trap. It can also make RT slow: a request held
back and forwarded only later (COMMIT_LATE), so RT commits after the client has given up or died.

Usage::

    with FaultProxy(rt_url) as proxy:
        proxy.plan(Fault.COMMIT_THEN_DROP, match=route("POST", "/REST/2.0/ticket"))
        proxy.plan(Fault.rate_limit(seconds=2, as_date=True), times=2)
        ...  # point cowapp at proxy.url, sync, then look the ticket up in RT directly
        assert proxy.count("POST", "/REST/2.0/ticket") == 2

Planned faults are used in the order they were planned, by the requests they match. When none is
left, the proxy forwards again. It listens on 127.0.0.1 only and is test code: one upstream
connection per request, bodies held in memory, request bodies need a Content-Length.
"""

from __future__ import annotations

import enum
import http.client
import logging
import os
import socket
import socketserver
import struct
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from email.utils import formatdate
from fnmatch import fnmatchcase
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from time import time
from typing import Any, NamedTuple
from urllib.parse import SplitResult, urlsplit

logger = logging.getLogger(__name__)

Matcher = Callable[[str, str], bool]
"""``match(method, path)``. ``path`` is the request target as sent, query string included."""

# Not forwarded in either direction: they describe one hop, and Host/Content-Length are re-made.
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding"}
    | {"upgrade", "host", "content-length"}
)


@enum.unique  # the values are descriptions; two equal ones would silently become aliases
class Fault(enum.Enum):
    """What the proxy does to one request instead of forwarding it; each value says what."""

    # Forwarded first, so RT commits; then the client gets:
    COMMIT_THEN_DROP = "the connection closed without a single response byte"
    COMMIT_THEN_500 = "502 Bad Gateway, as from a front proxy that lost RT's answer"
    HANG_AFTER_COMMIT = "like HANG, but after RT answered"
    ERROR_INSIDE_200 = "RT's trap instead of RT's answer: 200 [\"Ticket 0: Permission denied\"]"
    # Held first, forwarded later, so RT commits late (a slow server still working on it):
    COMMIT_LATE = "held until release() or the hang limit, then forwarded; RT's answer is passed on"
    # Never forwarded (RT does not see the request); the client gets:
    STATUS_500 = "500 with an HTML error page"
    STATUS_502 = "502 with an HTML error page"
    STATUS_503 = "503 with an HTML error page"
    RATE_LIMIT_SECONDS = "429 with Retry-After: <seconds> (see Fault.rate_limit)"
    RATE_LIMIT_DATE = "429 with Retry-After: <HTTP-date that many seconds ahead>"
    HANG = "nothing until release(), exit or the hang limit; then a closed connection"
    RESET = "a TCP RST (SO_LINGER 0) instead of an answer"
    GARBAGE = "200 with random bytes that are not JSON, labelled application/json"
    HTML_ERROR = "200 with an HTML page, like a captive portal or a web filter"

    @property
    def commits(self) -> bool:
        """True if the request reaches RT before the fault hits the client."""
        return self in _COMMITTING

    @staticmethod
    def rate_limit(seconds: int = 1, *, as_date: bool = False) -> FaultSpec:
        """A 429 fault whose ``Retry-After`` says ``seconds``, as a number or as an HTTP-date."""
        return FaultSpec(Fault.RATE_LIMIT_DATE if as_date else Fault.RATE_LIMIT_SECONDS, seconds)


_COMMITTING = frozenset(
    {Fault.COMMIT_THEN_DROP, Fault.COMMIT_THEN_500, Fault.HANG_AFTER_COMMIT, Fault.ERROR_INSIDE_200}
)


@dataclass(frozen=True)
class FaultSpec:
    """A fault with its parameter. ``retry_after`` (seconds) is used by RATE_LIMIT_* only."""

    fault: Fault
    retry_after: int = 1


class RequestRecord(NamedTuple):
    """One request as it arrived at the proxy, and the fault applied to it (None: forwarded)."""

    method: str
    path: str
    fault_applied: Fault | None


@dataclass
class _Plan:
    spec: FaultSpec
    remaining: int
    match: Matcher | None


def route(method: str | None = None, path: str = "*") -> Matcher:
    """Match ``method`` (None: any) and a glob on the path without its query string.

    ``route("POST", "/REST/2.0/ticket")`` matches creates only, not ``/REST/2.0/ticket/1/comment``.
    """
    return lambda m, p: (method is None or m == method) and fnmatchcase(p.partition("?")[0], path)


class FaultProxy:
    """A reverse proxy on ``127.0.0.1:<free port>`` in front of ``upstream``, with scripted faults.

    A context manager: ``__enter__`` starts the listener thread, ``__exit__`` wakes every hanging
    request, closes the listener and all client connections, and joins the handler threads.
    Every public method is thread-safe.

    Args:
        upstream: base URL of the real server, e.g. ``http://127.0.0.1:8085`` (plain http only).
        hang_limit: upper bound (seconds) for HANG and HANG_AFTER_COMMIT, and how long
            COMMIT_LATE holds a request that is not released.
        upstream_timeout: socket timeout (seconds) towards upstream.
    """

    def __init__(
        self, upstream: str, *, hang_limit: float = 60.0, upstream_timeout: float = 30.0
    ) -> None:
        self.upstream: SplitResult = urlsplit(upstream)
        if self.upstream.scheme != "http" or not self.upstream.hostname:
            raise ValueError(f"upstream must be a plain http URL (loopback), got {upstream!r}")
        self.hang_limit = hang_limit
        self.upstream_timeout = upstream_timeout
        self._cond = threading.Condition()  # guards everything below
        self._plans: list[_Plan] = []
        self._records: list[RequestRecord] = []
        self._release_generation = 0
        self._busy = 0  # requests taken and not finished yet
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def __enter__(self) -> FaultProxy:
        self._server = _Server(self)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fault-proxy", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is None or self._thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()  # hanging handlers return now
        self._server.shutdown()  # no new connections after this
        self._server.close_connections()  # unblocks handlers waiting for a keep-alive request
        self._server.server_close()  # joins the handler threads
        self._thread.join()
        self._server = None

    def plan(self, fault: Fault | FaultSpec, times: int = 1, match: Matcher | None = None) -> None:
        """Apply ``fault`` to the next ``times`` requests that ``match`` (None: every request)."""
        if times < 1:
            raise ValueError("times must be at least 1")
        spec = fault if isinstance(fault, FaultSpec) else FaultSpec(fault)
        with self._cond:
            self._plans.append(_Plan(spec, times, match))

    def pending(self) -> int:
        """How many planned faults have not been used yet."""
        with self._cond:
            return sum(plan.remaining for plan in self._plans)

    def release(self) -> None:
        """End the hang of every request that has arrived; its connection closes unanswered."""
        with self._cond:
            self._release_generation += 1
            self._cond.notify_all()

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of every request seen so far, in arrival order."""
        with self._cond:
            return list(self._records)

    def count(self, method: str | None = None, prefix: str = "/") -> int:
        """How many requests with ``method`` (None: any) had a target starting with ``prefix``."""
        with self._cond:
            return sum(
                1
                for r in self._records
                if (method is None or r.method == method) and r.path.startswith(prefix)
            )

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no request is being handled (each has been answered, forwarded or
        dropped; a released COMMIT_LATE has reached RT); False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._busy == 0, timeout)

    def wait_for_requests(self, n: int, timeout: float = 10.0) -> bool:
        """Wait until at least ``n`` requests have arrived; False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self._records) >= n, timeout)

    def _take(self, method: str, path: str) -> tuple[FaultSpec | None, int]:
        """Record the request, use the first planned fault that matches it, and return that.

        Also returns the release generation at arrival: release() ends the hang of every request
        that arrived before it, even one still being forwarded (HANG_AFTER_COMMIT).
        """
        with self._cond:
            spec = None
            for plan in self._plans:
                if plan.match is None or plan.match(method, path):
                    spec = plan.spec
                    plan.remaining -= 1
                    if plan.remaining == 0:
                        self._plans.remove(plan)
                    break
            self._records.append(RequestRecord(method, path, spec.fault if spec else None))
            self._busy += 1
            self._cond.notify_all()
            return spec, self._release_generation

    def _hang(self, arrival: int) -> bool:
        """Block until release() (after ``arrival``), exit, or the hang limit; False on exit."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._stopping or self._release_generation != arrival, self.hang_limit
            )
            return not self._stopping

    def _finished(self) -> None:
        """A request taken by `_take` has been dealt with (see `wait_idle`)."""
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()


def _page(title: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>".encode()


# Faults whose answer is fixed: (status, content type, body).
_CANNED: dict[Fault, tuple[int, str, bytes]] = {
    Fault.STATUS_500: (500, "text/html", _page("500 Internal Server Error")),
    Fault.STATUS_502: (502, "text/html", _page("502 Bad Gateway")),
    Fault.STATUS_503: (503, "text/html", _page("503 Service Temporarily Unavailable")),
    Fault.COMMIT_THEN_500: (502, "text/html", _page("502 Bad Gateway")),
    Fault.HTML_ERROR: (200, "text/html", _page("Hospital guest network: please sign in")),
    Fault.ERROR_INSIDE_200: (200, "application/json", b'["Ticket 0: Permission denied"]'),
}


_Request = socket.socket | tuple[bytes, socket.socket]  # socketserver's "request" (TCP: a socket)


class _Server(ThreadingHTTPServer):
    """The listener. Tracks client sockets so that exit can close idle keep-alive connections."""

    daemon_threads = False  # with block_on_close, server_close() joins every handler thread
    block_on_close = True

    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        self._sockets: set[_Request] = set()
        self._sockets_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) that we do not need.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def process_request(self, request: _Request, client_address: Any) -> None:
        with self._sockets_lock:
            self._sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: _Request) -> None:
        with self._sockets_lock:
            self._sockets.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._sockets_lock:
            sockets = list(self._sockets)
        for sock in sockets:
            if isinstance(sock, socket.socket):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that went away mid-answer is normal here; do not print tracebacks.
        logger.debug("fault proxy: error serving %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """Handles one client connection (HTTP/1.1 keep-alive) on its own thread."""

    protocol_version = "HTTP/1.1"
    timeout = 120  # an idle client connection does not live forever
    server: _Server

    def do_GET(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True  # httpx sends Content-Length for JSON bodies
            self.send_error(501, "fault proxy: chunked request bodies are not supported")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        spec, arrival = self.server.proxy._take(self.command, self.path)
        try:
            self._handle(body, spec, arrival)
        finally:
            self.server.proxy._finished()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET  # noqa: N815 (the stdlib's names)

    def _handle(self, body: bytes, spec: FaultSpec | None, arrival: int) -> None:
        if spec is not None and spec.fault is Fault.COMMIT_LATE:
            if not self.server.proxy._hang(arrival):  # the proxy is closing: never forwarded
                self.close_connection = True
                return
            spec = None  # now RT gets it, and the client (if still there) RT's answer
        if spec is None or spec.fault.commits:
            try:
                status, reason, headers, upstream_body = self._forward(body)
            except (OSError, http.client.HTTPException) as exc:
                logger.warning("fault proxy: upstream failed for %s: %s", self.path, exc)
                self._reply(502, "text/plain", b"fault proxy: upstream unreachable\n")
                return
            if spec is None:
                self.send_response_only(status, reason)
                self._end(upstream_body, [h for h in headers if h[0].lower() not in _HOP_BY_HOP])
                return
        self._apply(spec, arrival)

    def _apply(self, spec: FaultSpec, arrival: int) -> None:
        """Answer (or not) the way ``spec`` says; commits were already forwarded."""
        fault = spec.fault
        if fault in _CANNED:
            self._reply(*_CANNED[fault])
        elif fault is Fault.GARBAGE:
            self._reply(200, "application/json", b"\x00\xff" + os.urandom(62))
        elif fault in {Fault.RATE_LIMIT_SECONDS, Fault.RATE_LIMIT_DATE}:
            seconds = spec.retry_after
            value = str(seconds)
            if fault is Fault.RATE_LIMIT_DATE:
                value = formatdate(time() + seconds, usegmt=True)
            self._reply(429, "text/plain", b"Too Many Requests\n", (("Retry-After", value),))
        else:  # COMMIT_THEN_DROP, HANG, HANG_AFTER_COMMIT, RESET: the client gets no answer
            self.close_connection = True
            if fault in {Fault.HANG, Fault.HANG_AFTER_COMMIT}:
                self.server.proxy._hang(arrival)
            elif fault is Fault.RESET:
                linger_zero = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger_zero)
                self.connection.close()  # the real close, an RST, happens when finish() ends

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("fault proxy: " + format, *args)

    def _forward(self, body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
        """Send this request to upstream; return its status, reason, headers and body."""
        proxy = self.server.proxy
        up = proxy.upstream
        conn = http.client.HTTPConnection(
            up.hostname or "", up.port, timeout=proxy.upstream_timeout
        )
        try:
            target = up.path.rstrip("/") + self.path
            conn.putrequest(self.command, target, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in _HOP_BY_HOP:
                    conn.putheader(name, value)
            if body or self.command in {"POST", "PUT", "PATCH"}:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body or None)
            response = conn.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            conn.close()

    def _reply(
        self, status: int, content_type: str, body: bytes, extra: tuple[tuple[str, str], ...] = ()
    ) -> None:
        self.send_response(status)
        self._end(body, [("Content-Type", content_type), *extra])

    def _end(self, body: bytes, headers: list[tuple[str, str]]) -> None:
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
