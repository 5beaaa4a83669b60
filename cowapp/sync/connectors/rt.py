"""Request Tracker 5 connector: REST2 with an ``Authorization: token`` header.

Our UUID lives in a unique ticket custom field (``External ID`` by default). RT gives the engine
no idempotency, and it has traps this module works around (verified against RT 5.0.3, see
``scripts/rt5/README.md``):

- A second create with an existing unique External ID answers 201 and makes a NEW ticket with the
  field left empty. `create` does not hide that: the engine looks up before any re-create and
  reads back (via `find`) after every create.
- A misspelt custom field name in a TicketSQL query matches nothing (200, no items), and a search
  may return tickets a broken query part did not filter: `find` keeps only tickets whose field
  value equals the UUID.
- ``PUT /ticket/{id}`` answers 200 and ``POST .../comment`` 201 with failures *inside* the JSON
  message list ("Status 'x' isn't a valid status", "Permission Denied", "Queue X does not
  exist"): those messages raise `VerificationError`.
- An unknown queue on create is a 403 ("No permission to create tickets in the queue 'X'"): that
  is a configuration problem (`RejectedError`), not bad credentials.
- A ``LastUpdated`` date with a trailing ``Z`` silently becomes a date-only comparison: dates are
  always sent as ``YYYY-MM-DD HH:MM:SS +0000``.
- A browser-like User-Agent gets a 302 to the login page instead of a 401.
- A raw ``text/plain`` comment body loses its non-ASCII characters (stored double-encoded):
  every comment is sent as JSON.

`changed_since` only sees tickets in the default queue and the ``[mapping.groups]`` queues: a
ticket escalated to an unmapped group name, or moved by RT staff to another queue, is not
polled (`read` still works for it).

Priorities: ``[mapping.priorities]`` wins; otherwise our 1 (critical) .. 5 (planning) become RT's
numeric priority 100, 75, 50, 25, 0 (RT 5's default names: High = 100, Medium = 50, Low = 0).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

import httpx

from cowapp import __version__
from cowapp.domain.ticket import TicketPayload, TicketState
from cowapp.sync.connectors.base import (
    RejectedError,
    RemoteState,
    RemoteStatus,
    RemoteTicket,
    TransientError,
    VerificationError,
    json_body,
    raise_for_status,
    server_message,
)
from cowapp.sync.settings import SyncSettings

API = "/REST/2.0"
DEFAULT_OPTIONS = {
    "queue": "Cart",
    "external_id_field": "External ID",
    "requestor": "",
    "cart_field": "Cart",
    "category_field": "Category",
}
DEFAULT_PRIORITIES = {1: 100, 2: 75, 3: 50, 4: 25, 5: 0}
STATES = {
    "new": RemoteState.OPEN,
    "open": RemoteState.OPEN,
    "stalled": RemoteState.OPEN,
    "resolved": RemoteState.RESOLVED,
    "rejected": RemoteState.CLOSED,
    "deleted": RemoteState.CLOSED,
}
# Lower-cased fragments of RT's failure messages inside a 200/201 message list.
FAILURE_MARKERS = (
    "isn't a valid",
    "permission denied",
    "no permission",
    "could not",
    "couldn't",
    "does not exist",
    "can't",
)
# Setting a status the ticket already has: harmless (an update repeated after a lost answer).
_SAME_STATUS = re.compile(r"can't change status from '([^']*)' to '\1'", re.IGNORECASE)
_NO_QUEUE = "No permission to create tickets in the queue"
SEARCH_FIELDS = "Status,CustomFields,Queue,Owner,LastUpdated"
MAX_PAGES = 1000

JsonDict = dict[str, object]


class RTConnector:
    """Request Tracker 5 through REST2.

    Args:
        client: an ``httpx.Client`` with ``base_url`` = the RT URL, timeout, TLS settings and
            ``follow_redirects=False``; shared, so it is never modified here.
        token: an RT auth token (``<id>-<user id>-<hex>``); sent per request, never logged.
        settings: sync settings; ``options`` is the ``[rt]`` section (queue, external_id_field,
            requestor, cart_field, category_field) and ``mapping`` maps groups to queues.
    """

    name = "rt"
    page_size = 100  # RT caps per_page at 100; tests lower it to exercise paging

    def __init__(self, client: httpx.Client, token: str, settings: SyncSettings) -> None:
        self._client = client
        self._token = token
        self._settings = settings
        self._options = {**DEFAULT_OPTIONS, **settings.options}
        self._headers = {"Authorization": f"token {token}", "Accept": "application/json"}
        agent = client.headers.get("User-Agent", "")
        if not agent or agent.startswith("python-httpx/"):
            self._headers["User-Agent"] = f"cowapp/{__version__}"

    # -- the Connector protocol --------------------------------------------------------------------

    def probe(self) -> None:
        """Check that RT answers and accepts the token (``GET /queues/all``).

        Raises:
            AuthError: the token was refused (401).
            TransientError: RT is unreachable, failing, or answered something that is not JSON.
        """
        action = "checking the connection to RT"
        json_body(self._send("GET", "/queues/all", action), action)

    def find(self, external_id: str) -> list[RemoteTicket]:
        """Tickets whose External ID equals ``external_id`` exactly, in ticket id order.

        Args:
            external_id: our UUID (any text: quotes and backslashes are escaped).

        Returns:
            Every matching ticket (the engine decides what zero or several mean).
        """
        field = self._options["external_id_field"]
        query = f"'{_quote('CF.{' + field + '}')}' = '{_quote(external_id)}'"
        items = self._search(query, "looking up the ticket by its reference")
        found = [self._remote_ticket(item) for item in items]
        return [ticket for ticket in found if ticket.external_id == external_id]

    def create(self, payload: TicketPayload) -> RemoteTicket:
        """Create a ticket in ``payload.state``; it is not read back here (the engine does).

        Raises:
            RejectedError: the queue does not exist or cowapp may not create tickets in it.
        """
        queue = self._queue_for(payload)
        action = f"creating the ticket in RT queue '{queue}'"
        body = self._create_body(payload, queue)
        response = self._send("POST", "/ticket", action, json=body, check=False)
        if response.status_code == 403 and _NO_QUEUE in server_message(response):
            raise RejectedError(
                f"{action}: RT has no queue '{queue}' that cowapp may create tickets in; "
                "check [rt] queue and [mapping.groups] in config.toml, and cowapp's "
                f"CreateTicket right (HTTP 403: {server_message(response)})"
            )
        raise_for_status(response, action)
        ticket_id = _ticket_id(_as_dict(json_body(response, action), action).get("id"), action)
        return RemoteTicket(id=ticket_id, number=ticket_id, external_id=payload.external_id)

    def update(self, ticket: RemoteTicket, payload: TicketPayload) -> None:
        """Bring ``ticket`` to ``payload.state``; nothing is sent for what is already so.

        Resolving adds the resolution as a comment with ``Status: resolved`` in the same
        request; escalating sets ``Status: open`` and moves the ticket to the mapped queue.

        Raises:
            VerificationError: RT answered 2xx but reported a failure in its message list.
        """
        current = self.read(ticket)
        if payload.state is TicketState.RESOLVED:
            if current.raw_status != "resolved":
                action = f"resolving RT ticket {ticket.number}"
                self._comment(ticket, _resolution_text(payload), action, status="resolved")
            return
        changes: JsonDict = {}
        escalate = payload.state is TicketState.ESCALATED
        if current.state is not RemoteState.OPEN or (escalate and current.raw_status == "new"):
            changes["Status"] = "open"
        queue = self._queue_for(payload)
        if escalate and payload.group and (current.group or "").casefold() != queue.casefold():
            changes["Queue"] = queue
        if changes:
            action = f"updating RT ticket {ticket.number}"
            response = self._send("PUT", f"/ticket/{ticket.id}", action, json=changes)
            _check_messages(response, action)

    def add_note(self, ticket: RemoteTicket, text: str) -> None:
        """Add ``text`` as an internal comment (plain text, sent as JSON).

        A raw ``text/plain`` request body would be simpler, but RT 5.0.3 stores its non-ASCII
        characters double-encoded (UTF-8 read as Latin-1: "één" becomes "Ã©Ã©n"), whatever
        charset is declared; JSON content is stored intact.

        Raises:
            VerificationError: RT answered 201 but reported a failure in its message list.
        """
        self._comment(ticket, text, f"adding a note to RT ticket {ticket.number}")

    def read(self, ticket: RemoteTicket) -> RemoteStatus:
        """The ticket's status, owner, queue and last update (resolution text is left empty)."""
        action = f"reading RT ticket {ticket.number}"
        params = {"fields[Queue]": "Name"}
        response = self._send("GET", f"/ticket/{ticket.id}", action, params=params)
        return self._remote_status(_as_dict(json_body(response, action), action), action)

    def changed_since(self, since: datetime) -> list[RemoteStatus]:
        """Our tickets (any queue: staff may move them) updated at or after ``since``.

        Results are paged in ticket id order, which an update during paging cannot reshuffle
        (``LastUpdated`` order can, which would skip a ticket), then sorted by update time.
        A naive ``since`` is taken to be UTC.
        """
        action = "reading changed tickets from RT"
        field = _quote("CF.{" + self._options["external_id_field"] + "}")
        since_text = _rt_date(since)
        query = f"'{field}' IS NOT NULL AND LastUpdated >= '{since_text}'"
        latest: dict[str, RemoteStatus] = {}
        for item in self._search(query, action):
            status = self._remote_status(item, action)
            if status.ticket.external_id:
                latest[status.ticket.id] = status
        return sorted(latest.values(), key=lambda s: (s.updated_at, int(s.ticket.id)))

    # -- payload mapping ---------------------------------------------------------------------------

    def _create_body(self, payload: TicketPayload, queue: str) -> JsonDict:
        fields = {self._options["external_id_field"]: payload.external_id}
        category = self._settings.mapping.categories.get(payload.category, payload.category)
        for option, value in (("cart_field", payload.cart_id), ("category_field", category)):
            if self._options[option] and value:
                fields[self._options[option]] = value
        body: JsonDict = {
            "Queue": queue,
            "Subject": payload.subject,
            "Content": _create_content(payload),
            "ContentType": "text/plain",
            "Status": _create_status(payload.state),
            "Priority": self._priority(payload.priority),
            "CustomFields": fields,
        }
        if self._options["requestor"]:
            body["Requestor"] = self._options["requestor"]
        return body

    def _queue_for(self, payload: TicketPayload) -> str:
        if payload.state is TicketState.ESCALATED and payload.group:
            return self._settings.mapping.groups.get(payload.group, payload.group)
        return self._options["queue"]

    def _priority(self, priority: int) -> int | str:
        mapped = self._settings.mapping.priorities.get(str(priority))
        if mapped is not None:
            return int(mapped) if mapped.strip().isdigit() else mapped
        return DEFAULT_PRIORITIES.get(priority, DEFAULT_PRIORITIES[3])

    # -- reading RT's JSON -------------------------------------------------------------------------

    def _remote_ticket(self, item: Mapping[str, object]) -> RemoteTicket:
        ticket_id = _ticket_id(item.get("id"), "reading a ticket from RT")
        field = self._options["external_id_field"]
        values: list[object] = []
        for custom in _as_list(item.get("CustomFields", []), "reading custom fields"):
            if isinstance(custom, dict) and custom.get("name") == field:
                values = _as_list(custom.get("values", []), "reading custom fields")
        external_id = str(values[0]) if values else None
        return RemoteTicket(id=ticket_id, number=ticket_id, external_id=external_id)

    def _remote_status(self, item: Mapping[str, object], action: str) -> RemoteStatus:
        status = item.get("Status")
        if not isinstance(status, str):
            raise TransientError(f"{action}: RT's answer has no ticket status")
        return RemoteStatus(
            ticket=self._remote_ticket(item),
            state=STATES.get(status, RemoteState.OPEN),  # custom lifecycles: active statuses
            raw_status=status,
            assignee=_assignee(item.get("Owner")),
            group=_name_of(item.get("Queue")),
            resolution="",
            updated_at=_parse_date(item.get("LastUpdated"), action),
        )

    # -- HTTP --------------------------------------------------------------------------------------

    def _search(self, query: str, action: str) -> list[JsonDict]:
        """All tickets matching a TicketSQL ``query`` (every page), in ticket id order."""
        base = {
            "query": query,
            "fields": SEARCH_FIELDS,
            "fields[Queue]": "Name",
            "orderby": "id",
            "order": "ASC",
            "per_page": str(self.page_size),
        }
        items: list[JsonDict] = []
        for page in range(1, MAX_PAGES + 1):
            params = {**base, "page": str(page)}
            response = self._send("GET", "/tickets", action, params=params)
            data = _as_dict(json_body(response, action), action)
            batch = [_as_dict(item, action) for item in _as_list(data.get("items"), action)]
            items.extend(batch)
            if not batch or not _has_more(data, len(batch), self.page_size):
                return items
        raise TransientError(f"{action}: more than {MAX_PAGES} pages of results; giving up")

    def _comment(
        self, ticket: RemoteTicket, text: str, action: str, status: str | None = None
    ) -> None:
        """An internal comment, optionally changing the status in the same transaction."""
        body: JsonDict = {"Content": text, "ContentType": "text/plain"}
        if status:
            body["Status"] = status
        response = self._send("POST", f"/ticket/{ticket.id}/comment", action, json=body)
        _check_messages(response, action)

    def _send(
        self,
        method: str,
        path: str,
        action: str,
        *,
        params: Mapping[str, str] | None = None,
        json: object = None,
        check: bool = True,
    ) -> httpx.Response:
        """One request with the token.

        Transport failures become `TransientError`; with ``check``, a non-2xx answer raises
        its `SyncError` class (`raise_for_status`).
        """
        try:
            response = self._client.request(
                method, API + path, params=params, json=json, headers=self._headers
            )
        except httpx.RequestError as error:
            detail = " ".join(str(error).split())[:200]
            if self._token:
                detail = detail.replace(self._token, "<token>")
            raise TransientError(f"{action}: {type(error).__name__}: {detail}") from None
        if check:
            raise_for_status(response, action)
        return response


# -- module helpers --------------------------------------------------------------------------------


def _quote(value: str) -> str:
    """Escape ``value`` for a single-quoted TicketSQL string."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _rt_date(moment: datetime) -> str:
    """``moment`` as RT compares it exactly: UTC with an explicit offset, never a ``Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S +0000")


def _parse_date(value: object, action: str) -> datetime:
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise TransientError(f"{action}: RT's answer has no valid LastUpdated date")


def _create_status(state: TicketState) -> str:
    return {TicketState.RESOLVED: "resolved", TicketState.ESCALATED: "open"}.get(state, "new")


def _create_content(payload: TicketPayload) -> str:
    """The ticket body; a resolved ticket also carries its resolution (once)."""
    if payload.state is not TicketState.RESOLVED:
        return payload.body
    resolution = payload.resolution.strip()
    if resolution and resolution in payload.body:
        return payload.body
    return f"{payload.body}\n\n{_resolution_text(payload)}"


def _resolution_text(payload: TicketPayload) -> str:
    code = f" ({payload.resolution_code})" if payload.resolution_code else ""
    text = payload.resolution.strip()
    return f"Opgelost aan het bed{code}" + (f": {text}" if text else ".")


def _check_messages(response: httpx.Response, action: str) -> None:
    """Raise `VerificationError` if RT's 2xx message list reports a failure."""
    for message in _as_list(json_body(response, action), action):
        text = str(message)
        lowered = text.casefold()
        if _SAME_STATUS.search(text) or not any(m in lowered for m in FAILURE_MARKERS):
            continue
        short = " ".join(text.split())[:300]
        raise VerificationError(f"{action}: RT answered {response.status_code} but said: {short}")


def _has_more(data: Mapping[str, object], received: int, page_size: int) -> bool:
    if "next_page" in data:
        return True
    return data.get("pages") is None and received >= page_size


def _ticket_id(value: object, action: str) -> str:
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text.isdigit():
        raise TransientError(f"{action}: RT's answer has no valid ticket id")
    return text


def _assignee(owner: object) -> str | None:
    name = _name_of(owner, key="id")
    return None if name in (None, "", "Nobody") else name


def _name_of(value: object, key: str = "Name") -> str | None:
    if isinstance(value, dict):
        name = value.get(key)
        return name if isinstance(name, str) else None
    return None


def _as_dict(value: object, action: str) -> JsonDict:
    if not isinstance(value, dict):
        raise TransientError(f"{action}: RT answered with unexpected JSON (not an object)")
    return {str(key): item for key, item in value.items()}


def _as_list(value: object, action: str) -> list[object]:
    if not isinstance(value, list):
        raise TransientError(f"{action}: RT answered with unexpected JSON (not a list)")
    return list(value)
