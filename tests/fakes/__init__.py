"""Loopback fakes of systems that cannot run here, built from their documented APIs; one place,
reused by tests and benchmarks.

Each fake is a real HTTP server on 127.0.0.1 (a stdlib `ThreadingHTTPServer` on a free port, in a
background thread), used as a context manager. Its state (the incidents it holds, the requests it
saw, switches such as an expired password or a rate limit) is plain data a test may read and
change; every request is handled under `LoopbackFake.lock`, so take that lock when changing state
while a client may be talking to the fake. The shared plumbing lives here; the behaviour of each
system lives in its own module (`tests.fakes.topdesk`, `tests.fakes.servicenow`).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Request:
    """One HTTP request as the fake sees it.

    Attributes:
        method: ``GET``, ``POST``, ``PATCH``, ...
        path: the URL path without the query string.
        query: query parameters (the last value wins when one is repeated).
        headers: request headers, names in lower case.
        body: the raw body.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """The body parsed as ``application/x-www-form-urlencoded``."""
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))


@dataclass(frozen=True)
class Reply:
    """What the fake answers: a status, a JSON body (None: no body) and extra headers."""

    status: int
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)


class LoopbackFake:
    """Base of the fakes: owns the server thread; subclasses implement `handle`.

    Attributes:
        lock: held while a request is handled; hold it to change state during a test.
        seen: ``"METHOD /path STATUS"`` of every request answered, in order.
        latency: seconds every request waits before it is handled, outside the lock, so
            requests on several connections wait at the same time (a distant server).
        in_flight_peak: the most requests that were being answered at the same time.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.seen: list[str] = []
        self.latency = 0.0
        self.in_flight_peak = 0
        self._in_flight = 0
        self._counting = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:PORT`` (only while running)."""
        if self._server is None:
            raise RuntimeError("the fake is not running; use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def handle(self, request: Request) -> Reply:
        """Answer one request (called under `lock`)."""
        raise NotImplementedError

    def _arrived(self, step: int) -> None:
        with self._counting:
            self._in_flight += step
            self.in_flight_peak = max(self.in_flight_peak, self._in_flight)

    def start(self) -> Self:
        """Bind a free loopback port and serve in a daemon thread."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name=type(self).__name__
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _handler_for(fake: LoopbackFake) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to ``fake`` (HTTP/1.0: one request per connection)."""

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method=self.command,
                path=parts.path,
                query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            fake._arrived(+1)
            try:
                reply = self._answer(request)
            finally:
                fake._arrived(-1)
            self._write(reply)

        def _answer(self, request: Request) -> Reply:
            if fake.latency:
                time.sleep(fake.latency)
            with fake.lock:
                try:
                    reply = fake.handle(request)
                except Exception as exc:  # a bug in the fake must show up, not hang the client
                    reply = Reply(500, {"fake_error": f"{type(exc).__name__}: {exc}"})
                fake.seen.append(f"{request.method} {request.path} {reply.status}")
            return reply

        def _write(self, reply: Reply) -> None:
            data = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.body is not None:
                self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815 (stdlib names)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet; `LoopbackFake.seen` records the requests."""

    return Handler
