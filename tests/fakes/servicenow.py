"""A loopback fake of ServiceNow's Table API (``incident``) and OAuth token endpoint.

Facts relied on (looked up with the search tool):
- Table API (ServiceNow/ServiceNowDocs, markdown/api-reference/rest-apis/c_TableAPI.md):
  ``GET/POST /api/now/table/{table}``, ``GET/PATCH .../{sys_id}``; POST answers 201 with
  ``{"result": {...}}`` and a Location header; ``sysparm_query`` is an encoded query
  (``field=value^field>=value^ORDERBYfield``, ``^OR``); "by default, if part of a query is
  invalid, such as an invalid field name, the instance ignores the invalid part" and returns rows
  for the valid rest (glide.invalid_query.returns_no_rows is false by default); invalid
  ``sysparm_fields`` are ignored; ``sysparm_limit`` (default 10000) and ``sysparm_offset`` page;
  ``sysparm_display_value`` false/true/all; reference fields come as ``{"link", "value"}`` unless
  ``sysparm_exclude_reference_link=true``; values are stored and returned as strings, date-times
  as ``YYYY-MM-DD HH:MM:SS`` in UTC (display values use the user's time zone: UTC here).
- Incident fields and the example record (same page): ``number`` ``INC0010002``, ``state``
  1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled; ``impact``/``urgency`` 1..3
  with a calculated ``priority``; ``correlation_id``/``correlation_display``; ``close_code``,
  ``close_notes``; ``work_notes`` (journal). ``short_description`` is 160 characters long.
- OAuth (docs: platform-security t_ManageTokens; community "ServiceNow Refresh Token"):
  ``POST /oauth_token.do`` form ``grant_type=refresh_token&client_id&client_secret&refresh_token``
  → ``{"access_token", "refresh_token", "scope", "token_type": "Bearer", "expires_in": 1799}``;
  access tokens live 30 minutes, refresh tokens 100 days by default.
- Rate limiting (docs: "Inbound REST API rate limiting"): 429 with ``Retry-After`` (seconds) and
  ``X-RateLimit-*`` headers. Errors: ``{"error": {"message", "detail"}, "status": "failure"}``.

Choices where the documentation is silent: a ``short_description`` longer than 160 is cut to 160
without an error (the platform stores at most the field's length; no 400 is documented), so only
a read-back shows it; unknown body fields are ignored; a reference given by a group's name is
stored as that group's sys_id; resolving without close code and notes is refused as the default
data policy does (403 "Data Policy Exception"); ``ignore_query`` makes the fake act as if the
whole query were invalid, returning every incident.
"""

from __future__ import annotations

import base64
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes import LoopbackFake, Reply, Request

TABLE = "/api/now/table/incident"
STATES = {"1": "New", "2": "In Progress", "3": "On Hold", "6": "Resolved", "7": "Closed",
          "8": "Canceled"}  # fmt: skip
LEVELS = {"1": "1 - High", "2": "2 - Medium", "3": "3 - Low"}
PRIORITIES = {"1": "1 - Critical", "2": "2 - High", "3": "3 - Moderate", "4": "4 - Low",
              "5": "5 - Planning"}  # fmt: skip
WRITABLE = ("short_description", "description", "correlation_id", "correlation_display",
            "category", "subcategory", "impact", "urgency", "caller_id", "assignment_group",
            "assigned_to", "contact_type", "state", "close_code", "close_notes", "cmdb_ci",
            "location")  # fmt: skip
QUERYABLE = {
    *WRITABLE,
    "number",
    "sys_id",
    "sys_updated_on",
    "sys_created_on",
    "active",
    "priority",
}
REFERENCES = ("caller_id", "assignment_group", "assigned_to", "cmdb_ci", "location")
_TERM = re.compile(r"^([a-z_][a-z0-9_.]*)(STARTSWITH|ENDSWITH|LIKE|!=|>=|<=|=|>|<)(.*)$", re.S)
_OPS: dict[str, Callable[[str, str], bool]] = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b,
    "STARTSWITH": str.startswith, "ENDSWITH": str.endswith, "LIKE": lambda a, b: b in a,
}  # fmt: skip


class FakeServiceNow(LoopbackFake):
    """ServiceNow's incident table and OAuth token endpoint on loopback.

    Attributes:
        username, password: the Basic credentials accepted.
        client_id, client_secret, refresh_token: the OAuth client and refresh token accepted.
        incidents: stored records: field → value (strings, as in the database).
        work_notes: sys_id → the work notes added.
        groups: sys_user_group sys_id → name (for display values and name lookups).
        users: sys_user sys_id → name.
        tokens: access token → expiry (UTC); `expire_tokens` ends them all.
        token_requests: how many times ``/oauth_token.do`` was called.
        rate_limited: when True the Table API answers 429 with ``Retry-After: retry_after``.
        ignore_query: when True ``sysparm_query`` is ignored entirely (the invalid-query trap).
        now: the fake's clock (UTC).
    """

    def __init__(self, username: str = "cowapp.integration", password: str = "sn-pass-1") -> None:
        super().__init__()
        self.username, self.password = username, password
        self.client_id, self.client_secret, self.refresh_token = "cowapp-oauth", "cs-1", "rt-1"
        self.incidents: list[dict[str, str]] = []
        self.work_notes: dict[str, list[str]] = {}
        self.groups: dict[str, str] = {}
        self.users: dict[str, str] = {}
        self.tokens: dict[str, datetime] = {}
        self.token_requests = 0
        self.rate_limited, self.retry_after = False, 7
        self.ignore_query = False
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def expire_tokens(self) -> None:
        """Let every access token issued so far expire (as 30 minutes passing would)."""
        for token in self.tokens:
            self.tokens[token] = self.now() - timedelta(seconds=1)

    def handle(self, request: Request) -> Reply:
        """Route one request (under the lock)."""
        if request.path == "/oauth_token.do" and request.method == "POST":
            return self._token(request.form())
        if not self._authorised(request.headers.get("authorization", "")):
            return _error(401, "User Not Authenticated", "Required to provide Auth information")
        if self.rate_limited:
            reset = int((self.now() + timedelta(seconds=self.retry_after)).timestamp())
            headers = {"Retry-After": str(self.retry_after), "X-RateLimit-Limit": "100",
                       "X-RateLimit-Reset": str(reset)}  # fmt: skip
            return _error(429, "Rate limit exceeded", "Too many requests", headers)
        match = re.fullmatch(re.escape(TABLE) + r"(?:/([0-9a-f]{32}))?", request.path)
        if not match:
            return _error(400, "Requested URI does not represent any resource", request.path)
        sys_id = match.group(1)
        if sys_id is None:
            return self._list(request) if request.method == "GET" else self._insert(request)
        record = next((r for r in self.incidents if r["sys_id"] == sys_id), None)
        if record is None:
            return _error(404, "No Record found", "Record doesn't exist or ACL restricts it")
        return self._update(record, request) if request.method in ("PATCH", "PUT") else (
            Reply(200, {"result": self._shown(record, request.query)}))  # fmt: skip

    def _token(self, form: dict[str, str]) -> Reply:
        self.token_requests += 1
        if form.get("grant_type") != "refresh_token":
            return Reply(400, {"error": "unsupported_grant_type"})
        given = (form.get("client_id"), form.get("client_secret"), form.get("refresh_token"))
        if given != (self.client_id, self.client_secret, self.refresh_token):
            return Reply(401, {"error_description": "access_denied", "error": "server_error"})
        token = secrets.token_urlsafe(24)
        self.tokens[token] = self.now() + timedelta(minutes=30)
        body = {"access_token": token, "refresh_token": self.refresh_token, "scope": "useraccount",
                "token_type": "Bearer", "expires_in": 1799}  # fmt: skip
        return Reply(200, body)

    def _authorised(self, header: str) -> bool:
        scheme, _, value = header.partition(" ")
        if scheme == "Bearer":
            return value in self.tokens and self.tokens[value] > self.now()
        expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return scheme == "Basic" and value == expected

    def _insert(self, request: Request) -> Reply:
        body = request.json()
        stamp = f"{self.now():%Y-%m-%d %H:%M:%S}"
        record = {**dict.fromkeys(WRITABLE, ""), "sys_id": uuid.uuid4().hex, "active": "true",
                  "number": f"INC{10001 + len(self.incidents):07d}", "state": "1", "impact": "3",
                  "urgency": "3", "sys_created_on": stamp, "sys_updated_on": stamp,
                  "resolved_at": ""}  # fmt: skip
        problem = self._write(record, body)
        if problem:
            return problem
        self.incidents.append(record)
        location = f"{self.url}{TABLE}/{record['sys_id']}"
        return Reply(201, {"result": self._shown(record, request.query)}, {"Location": location})

    def _update(self, record: dict[str, str], request: Request) -> Reply:
        problem = self._write(record, request.json())
        return problem or Reply(200, {"result": self._shown(record, request.query)})

    def _write(self, record: dict[str, str], body: dict[str, Any]) -> Reply | None:
        """Apply ``body`` to ``record`` (unknown fields ignored); a Reply when refused."""
        changes = {k: str(v) for k, v in body.items() if k in WRITABLE}
        for key in set(changes) & set(REFERENCES):
            names = {name: sys_id for sys_id, name in {**self.users, **self.groups}.items()}
            changes[key] = names.get(changes[key], changes[key])
        merged = {**record, **changes}
        if merged["state"] in ("6", "7") and not (merged["close_code"] and merged["close_notes"]):
            return _error(403, "Operation Failed", "Data Policy Exception: The following fields "
                          "are mandatory: Resolution code, Resolution notes")  # fmt: skip
        merged["short_description"] = merged["short_description"][:160]
        merged["priority"] = str(int(merged["impact"] or 3) + int(merged["urgency"] or 3) - 1)
        now = f"{self.now():%Y-%m-%d %H:%M:%S}"
        if merged["state"] == "6" and record.get("state") != "6":
            merged["resolved_at"] = now
        active = merged["state"] not in ("6", "7", "8")
        merged.update(sys_updated_on=now, active=str(active).lower())
        record.update(merged)
        if body.get("work_notes"):
            self.work_notes.setdefault(record["sys_id"], []).append(str(body["work_notes"]))
        return None

    def _list(self, request: Request) -> Reply:
        query = "" if self.ignore_query else request.query.get("sysparm_query", "")
        test, order = _encoded_query(query)
        found = [r for r in self.incidents if test(r)]
        for field, descending in reversed(order):
            found.sort(key=lambda r: r.get(field, ""), reverse=descending)
        offset = int(request.query.get("sysparm_offset", "0"))
        limit = int(request.query.get("sysparm_limit", "10000"))
        page = [self._shown(r, request.query) for r in found[offset : offset + limit]]
        return Reply(200, {"result": page}, {"X-Total-Count": str(len(found))})

    def _shown(self, record: dict[str, str], query: dict[str, str]) -> dict[str, Any]:
        """A record as the Table API returns it, honouring the sysparm_* parameters."""
        wanted = [f for f in query.get("sysparm_fields", "").split(",") if f in record]
        mode = query.get("sysparm_display_value", "false")
        links = query.get("sysparm_exclude_reference_link", "false") != "true"
        return {f: self._field(f, record[f], mode, links) for f in wanted or list(record)}

    def _field(self, field: str, value: str, mode: str, links: bool) -> Any:
        display = self._display(field, value)
        entry: Any = {"display_value": display, "value": value} if mode == "all" else (
            display if mode == "true" else value)  # fmt: skip
        if not (links and value and field in REFERENCES):
            return entry
        link = f"{self.url}/api/now/table/sys_user_group/{value}"
        if isinstance(entry, dict):
            return {**entry, "link": link}
        return {"display_value" if mode == "true" else "value": entry, "link": link}

    def _display(self, field: str, value: str) -> str:
        tables = {"state": STATES, "impact": LEVELS, "urgency": LEVELS, "priority": PRIORITIES,
                  "assignment_group": self.groups, "assigned_to": self.users,
                  "caller_id": self.users}  # fmt: skip
        return tables.get(field, {}).get(value, value)


def _encoded_query(query: str) -> tuple[Callable[[dict[str, str]], bool], list[tuple[str, bool]]]:
    """A predicate (AND of OR-groups) and the ORDERBY list; invalid terms are ignored."""
    groups: list[list[Callable[[dict[str, str]], bool]]] = []
    order: list[tuple[str, bool]] = []
    for term in filter(None, query.split("^")):
        if term.startswith("ORDERBYDESC") or term.startswith("ORDERBY"):
            descending = term.startswith("ORDERBYDESC")
            order.append(
                (term.removeprefix("ORDERBYDESC" if descending else "ORDERBY"), descending)
            )
            continue
        is_or = term.startswith("OR") and bool(groups)
        match = _TERM.match(term.removeprefix("OR") if is_or else term)
        if not match or match.group(1) not in QUERYABLE:
            continue  # the documented default: an invalid part is dropped, the rest applies
        field, op, value = match.groups()
        test = _term_test(field, op, value)
        if is_or:
            groups[-1].append(test)
        else:
            groups.append([test])
    return (lambda r: all(any(t(r) for t in group) for group in groups)), order


def _term_test(field: str, op: str, value: str) -> Callable[[dict[str, str]], bool]:
    return lambda record: _OPS[op](record.get(field, ""), value)


def _error(status: int, message: str, detail: str, headers: dict[str, str] | None = None) -> Reply:
    body = {"error": {"message": message, "detail": detail}, "status": "failure"}
    return Reply(status, body, headers or {})
