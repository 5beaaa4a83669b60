"""Turning issues into JSON-ready dicts, table lines and CSV rows for the headless commands."""

from __future__ import annotations

import dataclasses
import enum
import uuid
from datetime import datetime
from typing import Any

from cowapp.domain.issue import Issue, IssueEvent
from cowapp.domain.outbox import IssueSyncState

FREE_TEXT = ("description", "error_text", "resolution_notes", "escalation_reason")
COLUMNS = [
    f.name for f in dataclasses.fields(Issue) if f.name not in ("notes", "events", *FREE_TEXT)
]


def plain(value: object) -> Any:
    """A JSON/CSV-friendly form of a field value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def issue_dict(issue: Issue, with_text: bool = True, with_timeline: bool = False) -> dict[str, Any]:
    """All scalar fields; free text only when asked; notes and events with the timeline."""
    names = COLUMNS + (list(FREE_TEXT) if with_text else [])
    data = {name: plain(getattr(issue, name)) for name in names}
    if with_timeline:
        data["events"] = [_event_dict(event) for event in issue.events]
        data["notes"] = [
            {"at": plain(n.at), "author": n.author, "text": n.text if with_text else ""}
            for n in issue.notes
        ]
    return data


def _event_dict(event: IssueEvent) -> dict[str, Any]:
    return {
        name: plain(getattr(event, name))
        for name in ("kind", "at", "actor", "from_status", "to_status", "detail")
    }


def sync_label(state: IssueSyncState, issue: Issue) -> str:
    """``synced #734``, ``queued``, ``needs attention``... for people."""
    if state is IssueSyncState.SYNCED:
        return f"synced #{issue.remote_number or issue.remote_ticket}"
    return state.value.replace("_", " ")


def issue_line(issue: Issue, state: IssueSyncState) -> str:
    """One line for ``issue list``."""
    sub = f"/{issue.subcategory}" if issue.subcategory else ""
    when = issue.created_at.strftime("%Y-%m-%d %H:%M")
    return (
        f"{issue.reference}  P{issue.priority}  {issue.status.value:<15} "
        f"{sync_label(state, issue):<16} {when}  {issue.ward:<12} {issue.category}{sub}  "
        f"{issue.description[:50]}"
    )
