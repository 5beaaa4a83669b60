"""TOPdesk connector: incidents through ``/tas/api/incidents``, our UUID in ``externalNumber``.

TOPdesk limits ``briefDescription`` to 80 characters, so a longer subject is cut at a word
boundary (with "…") and the whole subject opens the ``request`` memo. ``externalNumber`` holds the
optional prefix plus the issue's UUID (at most 60 characters); TOPdesk does not enforce it to be
unique, so `TopdeskConnector.find` returns every incident whose number equals it exactly, after a
FIQL lookup (``externalNumber=="..."``). Already-fixed issues are created ``completed`` and
``closed`` with a closure code and the resolution as the first action. Every request carries
Basic auth (the operator's login name and an application password, which can expire: 401 pauses
the queue). Lists answer 204 when empty and 206 when another page follows.

Memo fields (``request``, ``action``) accept a few HTML tags, so text is escaped and line breaks
become ``<br>``. List values (category, operator group, closure code, ...) are per-customer: a
configured value that looks like a UUID is sent as ``{"id": ...}``, anything else as
``{"name": ...}``. Impact and urgency are not sent (TOPdesk's values are per customer and cowapp's
mapping has no entry for them); the priority is sent only when ``[mapping.priorities]`` maps it.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import UTC, datetime
from typing import Any

import httpx

from cowapp.domain.ticket import TicketPayload, TicketState
from cowapp.sync.connectors.base import (
    AuthError,
    RejectedError,
    RemoteState,
    RemoteStatus,
    RemoteTicket,
    TransientError,
    json_body,
    raise_for_status,
)
from cowapp.sync.settings import SyncSettings

log = logging.getLogger(__name__)

BRIEF_MAX = 80
EXTERNAL_NUMBER_MAX = 60
PAGE_SIZE = 1000
FIQL_SINCE = (3, 3)  # the REST API version that added FIQL ``query`` on incidents
ACCEPT_JSON = {"Accept": "application/json"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Json = dict[str, Any]


class TopdeskConnector:
    """Talks to one TOPdesk through the caller's ``httpx.Client``.

    Args:
        client: the worker's client (timeouts, TLS); URLs are built from ``settings.url``.
        secret: the application password of ``options["login"]`` (from the keyring).
        settings: ``options`` is the ``[topdesk]`` section; ``mapping`` maps values.

    Raises:
        RejectedError: ``login`` is missing or the external-number prefix is too long.
        AuthError: no application password is stored.
    """

    name = "topdesk"

    def __init__(self, client: httpx.Client, secret: str, settings: SyncSettings) -> None:
        options = settings.options
        login = options.get("login", "").strip()
        if not login:
            raise RejectedError(
                "TOPdesk: set `login` in the [topdesk] section of config.toml "
                "(the operator login name the application password belongs to)"
            )
        if not secret:
            raise AuthError(
                "TOPdesk: no application password is stored; "
                "run `cowapp credentials set` for this connector"
            )
        self._prefix = options.get("external_number_prefix", "")
        if len(self._prefix) + 36 > EXTERNAL_NUMBER_MAX:
            raise RejectedError(
                f"TOPdesk: external_number_prefix may have at most "
                f"{EXTERNAL_NUMBER_MAX - 36} characters"
            )
        self._client = client
        self._auth = httpx.BasicAuth(login, secret)
        self._base = _api_base(settings.url)
        self._options = options
        self._mapping = settings.mapping

    def probe(self) -> None:
        """Check reachability and the application password with ``GET /version``.

        Raises:
            RejectedError: the REST API is older than 3.3, which has no FIQL ``query``.
        """
        action = "checking TOPdesk"
        data = json_body(self._send("GET", "/version", action), action)
        version = data.get("version") if isinstance(data, dict) else None
        if not isinstance(version, str):
            raise TransientError(f"{action}: /tas/api/version did not say its version")
        numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
        if numbers < FIQL_SINCE:
            raise RejectedError(
                f"{action}: the TOPdesk REST API is version {version}; cowapp "
                "needs 3.3 or newer (FIQL queries on externalNumber)"
            )

    def find(self, external_id: str) -> list[RemoteTicket]:
        """Every incident whose ``externalNumber`` equals prefix + ``external_id`` exactly."""
        wanted = self._prefix + external_id
        found = self._list(f"externalNumber=={fiql_quote(wanted)}", "looking up the incident")
        return [self._ticket(i) for i in found if i.get("externalNumber") == wanted]

    def create(self, payload: TicketPayload) -> RemoteTicket:
        """Create the incident in ``payload.state`` and return what TOPdesk stored."""
        action = "creating the TOPdesk incident"
        response = self._send("POST", "/incidents", action, json=self._create_body(payload))
        return self._ticket(_incident(json_body(response, action), action))

    def update(self, ticket: RemoteTicket, payload: TicketPayload) -> None:
        """Bring the incident to ``payload.state``; sends nothing when it is there already."""
        body = self._update_body(self._get(ticket, "reading the incident before updating"), payload)
        if body:
            action = f"updating TOPdesk incident {ticket.number}"
            self._send("PATCH", f"/incidents/id/{ticket.id}", action, json=body)

    def add_note(self, ticket: RemoteTicket, text: str) -> None:
        """Add ``text`` as an action the caller cannot see."""
        body = {"action": memo(text), "actionInvisibleForCaller": True}
        action = f"adding a note to TOPdesk incident {ticket.number}"
        self._send("PATCH", f"/incidents/id/{ticket.id}", action, json=body)

    def read(self, ticket: RemoteTicket) -> RemoteStatus:
        """The incident's state, operator, operator group and modification time."""
        return self._status(self._get(ticket, f"reading TOPdesk incident {ticket.number}"))

    def changed_since(self, since: datetime) -> list[RemoteStatus]:
        """Our incidents (external number = prefix + UUID) modified at or after ``since``."""
        moment = (since if since.tzinfo else since.replace(tzinfo=UTC)).astimezone(UTC)
        query = f"modificationDate=ge={moment:%Y-%m-%dT%H:%M:%SZ}"
        found = self._list(query, "listing changed incidents", sort="modificationDate:asc")
        return [self._status(i) for i in found if self._our_id(i.get("externalNumber"))]

    def _create_body(self, payload: TicketPayload) -> Json:
        brief, request = brief_and_request(payload.subject, payload.body)
        body: Json = {
            "briefDescription": brief,
            "request": memo(request),
            "caller": {"dynamicName": self._options.get("caller_name") or "COW-kar"},
            "externalNumber": self._prefix + payload.external_id,
        }
        refs = {
            "entryType": self._options.get("entry_type"),
            "callType": self._options.get("call_type"),
            "category": self._mapping.categories.get(payload.category, payload.category),
            "subcategory": self._subcategory(payload),
            "priority": self._mapping.priorities.get(str(payload.priority)),
        }
        body.update({key: list_value(value) for key, value in refs.items() if value})
        if payload.state is TicketState.ESCALATED and payload.group:
            body["operatorGroup"] = list_value(self._group(payload.group))
        if payload.state is TicketState.RESOLVED:
            body.update(self._resolution(payload, with_action=True))
        return body

    def _update_body(self, current: Json, payload: TicketPayload) -> Json:
        if payload.state is TicketState.RESOLVED and not current.get("closed"):
            return self._resolution(payload, with_action=not current.get("completed"))
        if payload.state is TicketState.ESCALATED and payload.group:
            wanted = self._group(payload.group)
            group = current.get("operatorGroup") or {}
            if wanted not in (group.get("id"), group.get("name")):
                return {"operatorGroup": list_value(wanted)}
        return {}

    def _resolution(self, payload: TicketPayload, *, with_action: bool) -> Json:
        closure_code = self._options.get("closure_code") or "Opgelost"
        body: Json = {"completed": True, "closed": True, "closureCode": list_value(closure_code)}
        if self._options.get("processing_status_resolved"):
            body["processingStatus"] = list_value(self._options["processing_status_resolved"])
        if with_action and payload.resolution.strip():
            body["action"] = memo(payload.resolution)
        return body

    def _subcategory(self, payload: TicketPayload) -> str | None:
        if not payload.subcategory:
            return None
        key = f"{payload.category}/{payload.subcategory}"
        return self._mapping.subcategories.get(key, payload.subcategory)

    def _group(self, group: str) -> str:
        return self._mapping.groups.get(group, group)

    def _get(self, ticket: RemoteTicket, action: str) -> Json:
        response = self._send("GET", f"/incidents/id/{ticket.id}", action)
        return _incident(json_body(response, action), action)

    def _list(self, query: str, action: str, sort: str = "") -> list[Json]:
        """All pages of ``GET /incidents?query=...`` (204: none, 206: more follow)."""
        found: list[Json] = []
        while True:
            params = {"query": query, "pageStart": len(found), "pageSize": PAGE_SIZE}
            response = self._send("GET", "/incidents", action, params=params | _sort(sort))
            if response.status_code == 204:
                return found
            page = json_body(response, action)
            if not isinstance(page, list):
                raise TransientError(f"{action}: TOPdesk did not answer with a list")
            found += [_incident(item, action) for item in page]
            if response.status_code != 206 or not page:
                return found

    def _send(self, method: str, path: str, action: str, **kwargs: Any) -> httpx.Response:
        """One request with Basic auth; every failure becomes a `SyncError`."""
        try:
            response = self._client.request(
                method, self._base + path, auth=self._auth, headers=ACCEPT_JSON, **kwargs
            )
        except httpx.TransportError as exc:
            reason = type(exc).__name__
            raise TransientError(f"{action}: TOPdesk cannot be reached ({reason})") from None
        log.debug("%s %s → %s", method, path, response.status_code)
        _raise_for_status(response, action)
        return response

    def _ticket(self, incident: Json) -> RemoteTicket:
        stored = incident.get("externalNumber")
        external_id = self._our_id(stored) or (str(stored) if stored else None)
        return RemoteTicket(str(incident["id"]), str(incident.get("number", "")), external_id)

    def _our_id(self, external_number: object) -> str | None:
        """The UUID inside an external number of ours; None for anything else."""
        if not isinstance(external_number, str) or not external_number.startswith(self._prefix):
            return None
        rest = external_number[len(self._prefix) :]
        return rest if UUID.fullmatch(rest) else None

    def _status(self, incident: Json) -> RemoteStatus:
        closed, completed = bool(incident.get("closed")), bool(incident.get("completed"))
        state = RemoteState.CLOSED if closed else RemoteState.OPEN
        if completed and not closed:
            state = RemoteState.RESOLVED
        processing = _name(incident.get("processingStatus"))
        closure = _name(incident.get("closureCode")) if closed or completed else None
        return RemoteStatus(
            ticket=self._ticket(incident),
            state=state,
            raw_status=processing or state.value,
            assignee=_name(incident.get("operator")),
            group=_name(incident.get("operatorGroup")),
            resolution=closure or "",
            updated_at=parse_date(incident.get("modificationDate")),
        )


def brief_and_request(subject: str, body: str) -> tuple[str, str]:
    """``briefDescription`` (≤ 80, cut at a word with "…") and the ``request`` text.

    The request always starts with the whole subject, so nothing cut off is lost.
    """
    line = " ".join(subject.split())
    brief = line
    if len(line) > BRIEF_MAX:
        cut = line[: BRIEF_MAX - 1]
        space = cut.rfind(" ")
        brief = (cut[:space] if space >= BRIEF_MAX // 2 else cut).rstrip(" ,;:-/") + "…"
    return brief, f"{line}\n\n{body}" if body.strip() else line


def memo(text: str) -> str:
    """Plain text for a TOPdesk memo field: HTML-escaped, line breaks as ``<br>``."""
    return "<br>".join(html.escape(line, quote=False) for line in text.splitlines())


def fiql_quote(value: str) -> str:
    """A FIQL string value in double quotes (backslash and double quote escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def list_value(value: str) -> Json:
    """A TOPdesk list field: ``{"id": ...}`` for a UUID, else ``{"name": ...}``."""
    return {"id": value} if UUID.fullmatch(value.lower()) else {"name": value}


def parse_date(value: object) -> datetime:
    """A TOPdesk date (``2021-02-11T06:32:36.000+0000``) as an aware UTC datetime."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise TransientError(f"TOPdesk sent a date cowapp cannot read: {value!r}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _api_base(url: str) -> str:
    """``https://host[/path]/tas/api`` from the configured URL (with or without ``/tas``)."""
    base = url.rstrip("/")
    for suffix in ("/tas/api", "/tas"):
        base = base.removesuffix(suffix)
    return base + "/tas/api"


def _sort(sort: str) -> dict[str, str]:
    return {"sort": sort} if sort else {}


def _name(value: object) -> str | None:
    if isinstance(value, dict):
        name = value.get("name") or value.get("dynamicName")
        return str(name) if name else None
    return None


def _incident(data: object, action: str) -> Json:
    if not isinstance(data, dict) or not data.get("id"):
        raise TransientError(f"{action}: TOPdesk did not answer with an incident")
    return data


def _raise_for_status(response: httpx.Response, action: str) -> None:
    """`raise_for_status`, but with TOPdesk's ``[{"message": ...}]`` errors unwrapped."""
    if response.status_code == 400:
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, list) and all(isinstance(e, dict) for e in data) and data:
            text = "; ".join(str(e.get("message", e)) for e in data)
            raise RejectedError(f"{action}: HTTP 400: {' '.join(text.split())[:300]}")
    raise_for_status(response, action)
