"""A loopback fake of TOPdesk's incident API (``/tas/api``), built from the documented API.

Facts relied on (looked up with the search tool; cowapp's ITSM.md summarises them):
- Incidents: ``POST /tas/api/incidents``, ``GET``/``PATCH /tas/api/incidents/id/{id}``,
  ``GET /tas/api/incidents/id/{id}/actions``, ``GET /tas/api/version``; fields ``briefDescription``
  (max 80), ``request``, ``action`` + ``actionInvisibleForCaller``, ``caller {dynamicName}``,
  list fields as ``{id}`` or ``{name}``, ``externalNumber`` (max 60, not unique), ``completed``,
  ``closed``, ``closureCode``. A read incident shows ``action`` as a link to its actions and dates
  like ``2021-02-11T06:32:36.000+0000``: demisto/content Packs/TOPdesk/Integrations/TOPdesk
  (TOPdesk.py, test_data/topdesk_incident.json); pipedream.com/apps/topdesk ("max 80 characters").
- Lists: ``query`` is FIQL (``==``, ``!=``, ``=gt=``, ``=ge=``, ``=lt=``, ``=le=``, ``=sw=``; ``;``
  is and, ``,`` is or; values quoted with ' or " and ``\\`` escapes inside quotes; dates
  ``yyyy-MM-ddTHH:mm:ssZ``); paging ``pageStart``/``pageSize`` (max 10000), ``sort=field:asc``:
  TOPdesk's FIQL query hints, as in AndrewPla/TOPdeskPS (Get-TdChange help) and demisto's client.
- Status codes: 200 with the whole list, 206 Partial Content when more pages follow, 204 No Content
  when nothing matches; error bodies are a JSON list ``[{"message": ...}]``:
  TwinkelToe/TOPdeskPy, TOPdeskPy/_utils.py (handle_topdesk_response).
- Basic auth with the operator's login name and an application password, which can expire (401).

Choices where the documentation is silent: unknown fields are refused with 400 (strict, so a
misspelt field cannot slip through); ``closed`` implies ``completed``, and both set the
processing status ("Completed", "Closed") unless one is sent; numbers look like
``I 2611 001`` (year, month, sequence); the ``request`` memo is stored as sent; text
conditions compare as TOPdesk's usual SQL Server collation does (case-insensitive, trailing
spaces ignored), so ``externalNumber==`` can return near misses a client must filter out.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tests.fakes import LoopbackFake, Reply, Request

API = "/tas/api"
# Fields sent as {"id": ...} or {"name": ...}; every field an operator may send; text queries.
LIST_FIELDS = ("category", "subcategory", "callType", "entryType", "impact", "urgency", "priority",
               "operatorGroup", "operator", "processingStatus", "closureCode", "branch", "location",
               "object")  # fmt: skip
FIELDS = {*LIST_FIELDS, "briefDescription", "request", "action", "actionInvisibleForCaller",
          "caller", "callerLookup", "externalNumber", "completed", "closed", "status"}  # fmt: skip
TEXT_QUERY_FIELDS = ("externalNumber", "number", "briefDescription", "status", "completed",
                     "closed", "operatorGroup.name", "category.name")  # fmt: skip
LIMITS = {"briefDescription": 80, "externalNumber": 60}
_CONDITION = re.compile(r"^([A-Za-z][A-Za-z0-9.]*)(==|!=|=(?:gt|ge|lt|le|sw)=)(.*)$", re.DOTALL)
_RESERVED = set("'\"();,=!~<> ")


class FiqlError(ValueError):
    """A query TOPdesk would refuse with 400."""


class FakeTopdesk(LoopbackFake):
    """TOPdesk's incident API on loopback.

    Attributes:
        login, password: the operator login and the application password it accepts.
        password_expired: when True every request gets 401 (an expired application password).
        api_version: what ``GET /tas/api/version`` says.
        incidents: the stored incidents, as TOPdesk returns them (minus the ``action`` link).
        actions: incident id → the action entries added to it (``memoText``, ...).
        now: the fake's clock (UTC); replace it to make time move.
    """

    def __init__(self, login: str = "cowapp-api", password: str = "app-pass-1") -> None:
        super().__init__()
        self.login, self.password = login, password
        self.password_expired = False
        self.api_version = "3.7.0"
        self.incidents: list[dict[str, Any]] = []
        self.actions: dict[str, list[dict[str, Any]]] = {}
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def handle(self, request: Request) -> Reply:
        """Route one request (under the lock)."""
        if not self._authorised(request.headers.get("authorization", "")):
            return _error(401, "Authentication failed: wrong login name or application password")
        path = request.path.removeprefix(API)
        match = re.fullmatch(r"/incidents/id/([^/]+)(/actions)?", path)
        if path == "/version" and request.method == "GET":
            return Reply(200, {"version": self.api_version})
        if path == "/incidents" and request.method in ("GET", "POST"):
            return self._list(request) if request.method == "GET" else self._create(request)
        if match and request.method in ("GET", "PATCH"):
            return self._one(match.group(1), bool(match.group(2)), request)
        return _error(404, f"No such resource: {request.method} {request.path}")

    def _one(self, incident_id: str, actions: bool, request: Request) -> Reply:
        incident = self._find(incident_id)
        if incident is None:
            return _error(404, "Incident not found")
        if actions:
            return (
                Reply(200, self.actions[incident_id])
                if request.method == "GET"
                else (_error(405, "Actions are added with PATCH .../id/{id} and an action field"))
            )
        if request.method == "PATCH":
            return self._patch(incident, request)
        return Reply(200, _shown(incident))

    def _authorised(self, header: str) -> bool:
        expected = base64.b64encode(f"{self.login}:{self.password}".encode()).decode()
        return header == f"Basic {expected}" and not self.password_expired

    def _find(self, incident_id: str) -> dict[str, Any] | None:
        return next((i for i in self.incidents if i["id"] == incident_id), None)

    def _create(self, request: Request) -> Reply:
        body, problem = _validated(request)
        if problem is None and "caller" not in body and "callerLookup" not in body:
            problem = "A caller (caller.dynamicName or callerLookup.id) is required"
        if problem:
            return _error(400, problem)
        now = self.now()
        number = f"I {now:%y%m} {len(self.incidents) + 1:03d}"
        incident: dict[str, Any] = {
            "id": str(uuid.uuid4()), "number": number, "status": "firstLine",
            "briefDescription": "", "request": "", "externalNumber": "",
            "caller": {"id": None, "dynamicName": ""}, **dict.fromkeys(LIST_FIELDS),
            "processingStatus": {"id": str(uuid.uuid4()), "name": "Logged"},
            "completed": False, "completedDate": None, "closed": False, "closedDate": None,
            "creationDate": _stamp(now), "modificationDate": _stamp(now),
        }  # fmt: skip
        self.incidents.append(incident)
        self.actions[incident["id"]] = []
        self._apply(incident, body, now)
        return Reply(201, _shown(incident))

    def _patch(self, incident: dict[str, Any], request: Request) -> Reply:
        body, problem = _validated(request)
        if problem:
            return _error(400, problem)
        self._apply(incident, body, self.now())
        return Reply(200, _shown(incident))

    def _apply(self, incident: dict[str, Any], body: dict[str, Any], now: datetime) -> None:
        for key, value in body.items():
            if key in LIST_FIELDS:
                incident[key] = _list_value(value)
            elif key == "caller":
                incident["caller"] = {"id": None, "dynamicName": value.get("dynamicName", "")}
            elif key in ("briefDescription", "request", "externalNumber", "status"):
                incident[key] = value
        if body.get("action"):
            entry = {
                "id": str(uuid.uuid4()),
                "memoText": body["action"],
                "entryDate": _stamp(now),
                "invisibleForCaller": bool(body.get("actionInvisibleForCaller", False)),
            }
            self.actions[incident["id"]].insert(0, entry)
        if (body.get("completed") or body.get("closed")) and not incident["completed"]:
            incident.update(completed=True, completedDate=_stamp(now))
            if "processingStatus" not in body:
                incident["processingStatus"] = _list_value({"name": "Completed"})
        if body.get("closed") and not incident["closed"]:
            incident.update(closed=True, closedDate=_stamp(now))
            if "processingStatus" not in body:
                incident["processingStatus"] = _list_value({"name": "Closed"})
        incident["modificationDate"] = _stamp(now)

    def _list(self, request: Request) -> Reply:
        try:
            test = _fiql(request.query.get("query", ""))
            start = int(request.query.get("pageStart", "0"))
            size = int(request.query.get("pageSize", "10"))
        except ValueError as exc:
            return _error(400, str(exc))
        if not 1 <= size <= 10000 or start < 0:
            return _error(400, "pageSize must be 1..10000 and pageStart at least 0")
        found = [i for i in self.incidents if test(i)]
        field, _, direction = request.query.get("sort", "").partition(":")
        if field in ("modificationDate", "creationDate"):
            found.sort(key=lambda i: _parse_date(i[field]), reverse=direction == "desc")
        page = found[start : start + size]
        if not page:
            return Reply(204)
        return Reply(206 if start + size < len(found) else 200, [_shown(i) for i in page])


def _validated(request: Request) -> tuple[dict[str, Any], str | None]:
    """The JSON body and the first problem TOPdesk would answer 400 for (None: fine)."""
    try:
        body = request.json()
    except ValueError:
        return {}, "The request body is not valid JSON"
    if not isinstance(body, dict):
        return {}, "The request body must be a JSON object"
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        return body, f"Unknown field(s): {', '.join(unknown)}"
    for key, limit in LIMITS.items():
        if len(str(body.get(key) or "")) > limit:
            return body, f"The value for '{key}' is longer than the maximum of {limit} characters"
    for key in (*LIST_FIELDS, "caller", "callerLookup"):
        if key in body and not (isinstance(body[key], dict) and body[key]):
            return body, f'\'{key}\' must be an object such as {{"id": ...}} or {{"name": ...}}'
    return body, None


def _list_value(value: dict[str, Any]) -> dict[str, Any]:
    """A list field as TOPdesk shows it; a lookup by name gets a stable made-up id."""
    name = value.get("name")
    return {"id": value.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, str(name))), "name": name}


def _shown(incident: dict[str, Any]) -> dict[str, Any]:
    return {**incident, "action": f"{API}/incidents/id/{incident['id']}/actions"}


def _error(status: int, message: str) -> Reply:
    return Reply(status, [{"message": message}])


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment:%f}"[:3] + "+0000"


def _parse_date(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _fiql(query: str) -> Callable[[dict[str, Any]], bool]:
    """A predicate for a FIQL query: ``,`` (or) of ``;`` (and) groups of conditions."""
    if not query.strip():
        return lambda incident: True
    groups = [[_condition(part) for part in _split(group, ";")] for group in _split(query, ",")]
    return lambda incident: any(all(test(incident) for test in group) for group in groups)


def _split(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside quotes (a backslash escapes inside quotes)."""
    parts: list[str] = []
    current, quote, escaped = "", "", False
    for char in text:
        if escaped:
            current, escaped = current + char, False
        elif quote and char == "\\":
            current, escaped = current + char, True
        elif char in "'\"" and (not quote or char == quote):
            current, quote = current + char, "" if quote else char
        elif char == separator and not quote:
            parts, current = [*parts, current], ""
        else:
            current += char
    if quote:
        raise FiqlError(f"Invalid FIQL: unterminated quote in {text!r}")
    return [*parts, current]


def _condition(text: str) -> Callable[[dict[str, Any]], bool]:
    match = _CONDITION.match(text)
    if not match:
        raise FiqlError(f"Invalid FIQL: {text!r} is not a valid FIQL selector")
    field, operator, raw = match.groups()
    value = _value(raw)
    if field in ("modificationDate", "creationDate", "closedDate", "completedDate"):
        return _date_test(field, operator, value)
    if field not in TEXT_QUERY_FIELDS:
        raise FiqlError(f"Invalid FIQL: unknown field {field!r}")
    return lambda incident: _text_test(_field(incident, field), operator, value)


def _value(raw: str) -> str | None:
    if raw[:1] in ("'", '"'):
        if len(raw) < 2 or raw[-1] != raw[0]:
            raise FiqlError(f"Invalid FIQL: badly quoted value {raw!r}")
        return re.sub(r"\\(.)", r"\1", raw[1:-1], flags=re.DOTALL)
    if not raw or set(raw) & _RESERVED:
        raise FiqlError(f"Invalid FIQL: value {raw!r} must be quoted")
    return None if raw == "null" else raw


def _field(incident: dict[str, Any], path: str) -> str | None:
    value: Any = incident
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return str(value).lower() if isinstance(value, bool) else value


def _text_test(actual: str | None, operator: str, value: str | None) -> bool:
    actual = _fold(actual or None)  # TOPdesk treats an empty text as null
    if operator in ("==", "!="):
        return (actual == _fold(value)) == (operator == "==")
    if operator == "=sw=":
        return actual is not None and value is not None and actual.startswith(_fold(value) or "")
    raise FiqlError(f"Invalid FIQL: {operator} is only available for numbers and dates")


def _fold(text: str | None) -> str | None:
    """Text as a case-insensitive SQL Server collation compares it (trailing spaces ignored)."""
    return None if text is None else text.rstrip(" ").casefold()


def _date_test(field: str, operator: str, value: str | None) -> Callable[[dict[str, Any]], bool]:
    try:
        bound = datetime.fromisoformat(value or "")
    except ValueError:
        raise FiqlError(f"Invalid FIQL: {value!r} is not a date (yyyy-MM-ddTHH:mm:ssZ)") from None
    compare: dict[str, Callable[[datetime], bool]] = {
        "==": lambda d: d == bound, "!=": lambda d: d != bound, "=gt=": lambda d: d > bound,
        "=ge=": lambda d: d >= bound, "=lt=": lambda d: d < bound, "=le=": lambda d: d <= bound,
    }  # fmt: skip
    if operator not in compare or bound.tzinfo is None:
        raise FiqlError(f"Invalid FIQL: cannot compare {field} with {operator} and {value!r}")
    return lambda incident: (
        bool(incident[field]) and compare[operator](_parse_date(incident[field]))
    )
