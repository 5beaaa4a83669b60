"""ServiceNow connector: the Table API's ``incident`` table, our UUID in ``correlation_id``.

``correlation_display`` names the source (``cowapp`` by default) so that changed tickets can be
polled with one encoded query. ServiceNow ignores an invalid part of ``sysparm_query`` and then
returns rows it did not filter, so `ServiceNowConnector.find` reads every page of the answer and
keeps only records whose ``correlation_id`` equals the UUID, and `changed_since` keeps only
records that carry our ``correlation_display`` and a UUID.

Values are sent as actual values (``sysparm_input_display_value`` stays false): ``impact`` and
``urgency`` 1..3 (ServiceNow calculates the priority), ``state`` 6 with ``close_code`` and
``close_notes`` for already-fixed issues, and ``assignment_group``/``caller_id`` as configured
(configure sys_ids: they always work; whether a name is resolved depends on the instance).
``short_description`` holds at most 160 characters: a longer subject is cut at a word (with
"…") and repeated in full at the top of ``description``. Answers are read as actual values plus
display values (``sysparm_display_value=all``) without reference links; date-times are UTC.

Authentication is Basic (``username`` + password) or OAuth (``auth = "oauth"``, ``client_id``):
the stored secret is then two lines, ``<client secret>`` and ``<refresh token>``; an access token
is fetched from ``/oauth_token.do`` with the refresh-token grant, kept until shortly before it
expires, and fetched once more when a request gets 401. A refused refresh token is an
`AuthError` (refresh tokens live 100 days by default). Rotated refresh tokens are not stored.
"""

from __future__ import annotations

import logging
import re
import time
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

TABLE = "/api/now/table/incident"
SHORT_MAX = 160
PAGE_SIZE = 500
MAX_PAGES = 400
TOKEN_MARGIN_SECONDS = 60.0
FIND_FIELDS = "sys_id,number,correlation_id,correlation_display"
READ_FIELDS = FIND_FIELDS + ",state,assigned_to,assignment_group,close_notes,sys_updated_on"
RESOLVED_OR_CLOSED = ("6", "7", "8")
STATES = {"6": RemoteState.RESOLVED, "7": RemoteState.CLOSED, "8": RemoteState.CLOSED}
ACCEPT_JSON = {"Accept": "application/json"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Json = dict[str, Any]


class ServiceNowConnector:
    """Talks to one ServiceNow instance through the caller's ``httpx.Client``.

    Args:
        client: the worker's client (timeouts, TLS); URLs are built from ``settings.url``.
        secret: the password (Basic), or ``"<client secret>\\n<refresh token>"`` (OAuth).
        settings: ``options`` is the ``[servicenow]`` section; ``mapping`` maps values.

    Raises:
        RejectedError: a required option is missing or invalid.
        AuthError: no secret is stored, or an OAuth secret is not two lines.
    """

    name = "servicenow"

    def __init__(self, client: httpx.Client, secret: str, settings: SyncSettings) -> None:
        options = settings.options
        self._display = _checked_options(options)
        if not secret.strip():
            raise AuthError(
                "ServiceNow: no password or OAuth secret is stored; "
                "run `cowapp credentials set` for this connector"
            )
        self._client = client
        self._base = settings.url.rstrip("/")
        self._options = options
        self._mapping = settings.mapping
        self._oauth = options.get("auth", "basic").strip().lower() == "oauth"
        self._basic = None if self._oauth else httpx.BasicAuth(options["username"].strip(), secret)
        self._oauth_form = _oauth_form(options, secret) if self._oauth else {}
        self._token: str | None = None
        self._token_expires = 0.0

    def probe(self) -> None:
        """Check reachability and credentials by reading one incident id."""
        action, params = "checking ServiceNow", {"sysparm_limit": "1", "sysparm_fields": "sys_id"}
        data = json_body(self._send("GET", TABLE, action, params=params), action)
        if not isinstance(data, dict) or "result" not in data:
            raise TransientError("checking ServiceNow: the Table API did not answer as expected")

    def find(self, external_id: str) -> list[RemoteTicket]:
        """Incidents whose ``correlation_id`` equals ``external_id`` (whatever the query did)."""
        query = f"correlation_id={_query_value(external_id)}"
        found = self._list(query, FIND_FIELDS, "looking up the incident")
        return [_ticket(r) for r in found if _value(r, "correlation_id") == external_id]

    def create(self, payload: TicketPayload) -> RemoteTicket:
        """Create the incident in ``payload.state`` and return what ServiceNow stored."""
        action = "creating the ServiceNow incident"
        response = self._send(
            "POST", TABLE, action, params=_read_params(), json=self._create_body(payload)
        )
        return _ticket(_record(json_body(response, action), action))

    def update(self, ticket: RemoteTicket, payload: TicketPayload) -> None:
        """Bring the incident to ``payload.state``; sends nothing when it is there already."""
        current = self._get(ticket, "reading the incident before updating")
        body = self._update_body(current, payload)
        if body:
            self._patch(ticket, body, f"updating incident {ticket.number}")

    def add_note(self, ticket: RemoteTicket, text: str) -> None:
        """Add ``text`` as a work note (internal)."""
        self._patch(ticket, {"work_notes": text}, f"adding a work note to {ticket.number}")

    def read(self, ticket: RemoteTicket) -> RemoteStatus:
        """The incident's state, assignee, group, resolution notes and last update (UTC)."""
        return _status(self._get(ticket, f"reading incident {ticket.number}"))

    def changed_since(self, since: datetime) -> list[RemoteStatus]:
        """Our incidents (our ``correlation_display``, a UUID) updated at or after ``since``."""
        moment = (since if since.tzinfo else since.replace(tzinfo=UTC)).astimezone(UTC)
        query = (
            f"correlation_display={self._display}^sys_updated_on>={moment:%Y-%m-%d %H:%M:%S}"
            "^ORDERBYsys_updated_on"
        )
        found = self._list(query, READ_FIELDS, "listing changed incidents", display="all")
        return [
            _status(r)
            for r in found
            if _value(r, "correlation_display") == self._display
            and UUID.fullmatch(_value(r, "correlation_id"))
        ]

    def _create_body(self, payload: TicketPayload) -> Json:
        short, description = short_and_description(payload.subject, payload.body)
        body: Json = {
            "short_description": short,
            "description": description,
            "correlation_id": payload.external_id,
            "correlation_display": self._display,
            "impact": str(_level(payload.impact)),
            "urgency": str(_level(payload.urgency)),
            "contact_type": self._options.get("contact_type") or "walk-in",
        }
        optional = {
            "caller_id": self._options.get("caller_id"),
            "category": self._mapping.categories.get(payload.category, payload.category),
            "subcategory": self._subcategory(payload),
        }
        body.update({key: value for key, value in optional.items() if value})
        if payload.state is TicketState.ESCALATED and payload.group:
            body["assignment_group"] = self._mapping.groups.get(payload.group, payload.group)
        if payload.state is TicketState.RESOLVED:
            body.update(self._resolution(payload))
        return body

    def _update_body(self, current: Json, payload: TicketPayload) -> Json:
        if payload.state is TicketState.RESOLVED:
            done = _value(current, "state") in RESOLVED_OR_CLOSED
            return {} if done else self._resolution(payload)
        if payload.state is TicketState.ESCALATED and payload.group:
            wanted = self._mapping.groups.get(payload.group, payload.group)
            group = current.get("assignment_group")
            if wanted not in (_value(current, "assignment_group"), _shown(group)):
                return {"assignment_group": wanted}
        return {}

    def _resolution(self, payload: TicketPayload) -> Json:
        notes = payload.resolution.strip() or "Opgelost aan het bed (cowapp)."
        code = self._options.get("close_code") or "Solved (Permanently)"
        return {"state": "6", "close_code": code, "close_notes": notes}

    def _subcategory(self, payload: TicketPayload) -> str | None:
        if not payload.subcategory:
            return None
        key = f"{payload.category}/{payload.subcategory}"
        return self._mapping.subcategories.get(key, payload.subcategory)

    def _get(self, ticket: RemoteTicket, action: str) -> Json:
        params = _read_params(display="all")
        response = self._send("GET", f"{TABLE}/{ticket.id}", action, params=params)
        return _record(json_body(response, action), action)

    def _patch(self, ticket: RemoteTicket, body: Json, action: str) -> None:
        params = {"sysparm_fields": "sys_id", "sysparm_exclude_reference_link": "true"}
        self._send("PATCH", f"{TABLE}/{ticket.id}", action, params=params, json=body)

    def _list(self, query: str, fields: str, action: str, display: str = "false") -> list[Json]:
        """Every page of records for ``query`` (a page shorter than asked is the last)."""
        found: list[Json] = []
        for _ in range(MAX_PAGES):
            params = _read_params(fields, display) | {
                "sysparm_query": query,
                "sysparm_limit": str(PAGE_SIZE),
                "sysparm_offset": str(len(found)),
                "sysparm_no_count": "true",
            }
            data = json_body(self._send("GET", TABLE, action, params=params), action)
            page = data.get("result") if isinstance(data, dict) else None
            if not isinstance(page, list):
                raise TransientError(f"{action}: ServiceNow did not answer with a result list")
            found += [r for r in page if isinstance(r, dict)]
            if len(page) < PAGE_SIZE:
                return found
        raise RejectedError(
            f"{action}: more than {MAX_PAGES * PAGE_SIZE} incidents came back; "
            "ServiceNow seems to ignore the query (check the field names)"
        )

    def _send(self, method: str, path: str, action: str, **kwargs: Any) -> httpx.Response:
        """One request; with OAuth a 401 gets one fresh access token and one retry."""
        response = self._request(method, path, action, **kwargs)
        if response.status_code == 401 and self._oauth:
            log.info("ServiceNow refused the access token; fetching a new one")
            self._token = None
            response = self._request(method, path, action, **kwargs)
        _raise_for_status(response, action)
        return response

    def _request(self, method: str, path: str, action: str, **kwargs: Any) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if self._oauth:
            headers["Authorization"] = f"Bearer {self._access_token()}"
        try:
            return self._client.request(
                method, self._base + path, auth=self._basic, headers=headers, **kwargs
            )
        except httpx.TransportError as exc:
            reason = type(exc).__name__
            raise TransientError(f"{action}: ServiceNow cannot be reached ({reason})") from None

    def _access_token(self) -> str:
        """The cached OAuth access token, or a new one from the refresh-token grant."""
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        action = "getting an OAuth access token from ServiceNow"
        try:
            response = self._client.post(
                self._base + "/oauth_token.do", data=self._oauth_form, headers=ACCEPT_JSON
            )
        except httpx.TransportError as exc:
            reason = type(exc).__name__
            raise TransientError(f"{action}: ServiceNow cannot be reached ({reason})") from None
        if response.status_code in (400, 401):
            raise AuthError(
                f"{action}: HTTP {response.status_code}: the client id, client secret "
                "or refresh token was refused (refresh tokens expire, by default "
                "after 100 days); store new ones with `cowapp credentials set`"
            )
        raise_for_status(response, action)
        data = json_body(response, action)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise TransientError(f"{action}: the answer held no access token")
        lifetime = float(data.get("expires_in") or 1800) if isinstance(data, dict) else 1800.0
        self._token = token
        self._token_expires = time.monotonic() + max(0.0, lifetime - TOKEN_MARGIN_SECONDS)
        return token


def short_and_description(subject: str, body: str) -> tuple[str, str]:
    """``short_description`` (≤ 160, cut at a word with "…") and ``description``.

    When the subject had to be cut, the description starts with the whole subject.
    """
    line = " ".join(subject.split())
    if len(line) <= SHORT_MAX:
        return line, body
    cut = line[: SHORT_MAX - 1]
    space = cut.rfind(" ")
    short = (cut[:space] if space >= SHORT_MAX // 2 else cut).rstrip(" ,;:-/") + "…"
    return short, f"{line}\n\n{body}" if body.strip() else line


def parse_time(value: str) -> datetime:
    """A ServiceNow date-time value (``YYYY-MM-DD HH:MM:SS``, UTC) as an aware datetime."""
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        raise TransientError(f"ServiceNow sent a date cowapp cannot read: {value!r}") from None


def _checked_options(options: dict[str, str]) -> str:
    """Validate the ``[servicenow]`` options; return the correlation display name."""
    if not options.get("username", "").strip():
        raise RejectedError(
            "ServiceNow: set `username` in the [servicenow] section of "
            "config.toml (the integration user)"
        )
    auth = options.get("auth", "basic").strip().lower()
    if auth not in ("basic", "oauth"):
        raise RejectedError(f"ServiceNow: auth must be 'basic' or 'oauth', not {auth!r}")
    if auth == "oauth" and not options.get("client_id", "").strip():
        raise RejectedError("ServiceNow: auth = 'oauth' needs `client_id` in [servicenow]")
    display = options.get("correlation_display") or "cowapp"
    if len(display) > 100 or re.search(r"[\^=\s]", display):
        raise RejectedError(
            "ServiceNow: correlation_display must be at most 100 characters "
            "without spaces, '^' or '='"
        )
    return display


def _oauth_form(options: dict[str, str], secret: str) -> dict[str, str]:
    client_secret, _, refresh_token = secret.strip().partition("\n")
    if not client_secret.strip() or not refresh_token.strip():
        raise AuthError(
            "ServiceNow OAuth: the stored secret must be two lines, the client "
            "secret and then the refresh token"
        )
    return {
        "grant_type": "refresh_token",
        "client_id": options["client_id"].strip(),
        "client_secret": client_secret.strip(),
        "refresh_token": refresh_token.strip(),
    }


def _read_params(fields: str = READ_FIELDS, display: str = "false") -> dict[str, str]:
    return {
        "sysparm_fields": fields,
        "sysparm_display_value": display,
        "sysparm_exclude_reference_link": "true",
    }


def _query_value(value: str) -> str:
    """A value for an encoded query; ``^`` cannot be escaped there, so it is refused."""
    if "^" in value or "\n" in value:
        raise RejectedError(f"cannot look up {value!r} in ServiceNow: it contains '^'")
    return value


def _level(value: int) -> int:
    return min(3, max(1, int(value)))


def _value(record: Json, field: str) -> str:
    """A field's actual value, whether the record came with display values or without."""
    entry = record.get(field)
    if isinstance(entry, dict):
        entry = entry.get("value")
    return "" if entry is None else str(entry)


def _shown(entry: object) -> str | None:
    """A field's display value (or its value when no display value came)."""
    if isinstance(entry, dict):
        entry = entry.get("display_value") or entry.get("value")
    return str(entry) if entry else None


def _record(data: object, action: str) -> Json:
    record = data.get("result") if isinstance(data, dict) else None
    if not isinstance(record, dict) or not _value(record, "sys_id"):
        raise TransientError(f"{action}: ServiceNow did not answer with an incident")
    return record


def _ticket(record: Json) -> RemoteTicket:
    correlation = _value(record, "correlation_id")
    return RemoteTicket(_value(record, "sys_id"), _value(record, "number"), correlation or None)


def _status(record: Json) -> RemoteStatus:
    state = _value(record, "state")
    return RemoteStatus(
        ticket=_ticket(record),
        state=STATES.get(state, RemoteState.OPEN),
        raw_status=_shown(record.get("state")) or state,
        assignee=_shown(record.get("assigned_to")),
        group=_shown(record.get("assignment_group")),
        resolution=_value(record, "close_notes"),
        updated_at=parse_time(_value(record, "sys_updated_on")),
    )


def _raise_for_status(response: httpx.Response, action: str) -> None:
    """`raise_for_status` with ServiceNow's ``{"error": {"message", "detail"}}`` unwrapped.

    A 403 for a data policy (a mandatory field left empty) is a configuration problem, not a
    credentials problem, so it becomes a `RejectedError` instead of an `AuthError`.
    """
    code = response.status_code
    detail = _error_text(response)
    data_policy = code == 403 and "data policy" in detail.lower()
    if detail and (data_policy or (400 <= code < 500 and code not in (401, 403, 408, 429))):
        raise RejectedError(f"{action}: HTTP {code}: {detail}")
    raise_for_status(response, action)


def _error_text(response: httpx.Response) -> str:
    if response.is_success:
        return ""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    if not isinstance(error, dict):
        return ""
    text = ": ".join(str(error[k]) for k in ("message", "detail") if error.get(k))
    return " ".join(text.split())[:300]
