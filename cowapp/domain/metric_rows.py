"""Metric facts to and from CSV rows, so several carts' exports make one hospital report.

``cowapp export csv`` writes every issue's scalar fields plus the `METRIC_COLUMNS` (hours to
claim and to resolve, resolved at the bedside, escalated, open) and ``exported_at``; ``cowapp
report ... --input`` reads such files back into `IssueFacts` with `facts_from_row`, which names
the column and the line of anything it cannot read. The same issue in two exports is counted
once. When a cart was last seen is the latest time anywhere in its rows (`seen_at`): the export's
own time, or for an older export without it, the last change to any of its issues.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime

from cowapp.domain.issue import CLOSED_AT_CART, OPEN_STATUSES, OWNED_REMOTELY, Issue, IssueStatus
from cowapp.domain.metric_stats import hours_between
from cowapp.domain.metrics import IssueFacts

METRIC_COLUMNS = ("hours_to_claim", "hours_to_resolve", "resolved_at_bedside", "escalated", "open")
EXPORTED_AT = "exported_at"
"""The column with the moment the export was made (the same on every row of one file)."""
SEEN_COLUMNS = ("created_at", "updated_at", "claimed_at", "resolved_at", EXPORTED_AT)
REQUIRED_COLUMNS = (
    "reference", "cart_id", "created_at", "category", "ward", "issue_type", "status",
)  # fmt: skip
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


class RowError(ValueError):
    """A CSV row cannot be read; the message names the column."""


def facts_from_issue(issue: Issue) -> IssueFacts:
    """The metric facts of a stored issue."""
    return IssueFacts(
        issue.reference,
        issue.cart_id,
        issue.created_at,
        issue.category,
        issue.subcategory,
        issue.ward,
        issue.issue_type.value,
        issue.status,
        issue.claimed_at,
        issue.resolved_at,
        issue.escalation_group,
        issue.reopen_count,
        issue.asset_tag,
        issue.patient_safety,
        issue.golive_blocking,
    )


def metric_values(facts: IssueFacts) -> list[str]:
    """The `METRIC_COLUMNS` values of one issue, as CSV text (hours with two decimals)."""
    claim = hours_between(facts.created_at, facts.claimed_at) if facts.claimed_at else None
    resolve = None
    if facts.status in CLOSED_AT_CART and facts.resolved_at is not None:
        resolve = hours_between(facts.created_at, facts.resolved_at)
    return [
        "" if claim is None else f"{claim:.2f}",
        "" if resolve is None else f"{resolve:.2f}",
        "1" if facts.status in CLOSED_AT_CART else "0",
        "1" if facts.status in OWNED_REMOTELY else "0",
        "1" if facts.status in OPEN_STATUSES else "0",
    ]


def facts_from_row(row: Mapping[str, str | None]) -> IssueFacts:
    """Read one exported row back.

    Raises:
        RowError: naming the column that is missing or unreadable.
    """
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise RowError(f"column {column} is missing or empty")
    return IssueFacts(
        reference=str(row["reference"]),
        cart_id=str(row["cart_id"]),
        created_at=_time(row, "created_at") or datetime.min.replace(tzinfo=UTC),
        category=str(row["category"]),
        subcategory=row.get("subcategory") or None,
        ward=str(row["ward"]),
        issue_type=str(row["issue_type"]),
        status=_status(row),
        claimed_at=_time(row, "claimed_at"),
        resolved_at=_time(row, "resolved_at"),
        escalation_group=row.get("escalation_group") or None,
        reopen_count=_whole(row, "reopen_count"),
        asset_tag=row.get("asset_tag") or "",
        patient_safety=_flag(row, "patient_safety"),
        golive_blocking=_flag(row, "golive_blocking"),
    )


def seen_at(row: Mapping[str, str | None]) -> datetime | None:
    """The latest moment a row shows its cart was working (None when it shows none).

    Raises:
        RowError: a time column that is not an ISO date and time.
    """
    moments = [moment for column in SEEN_COLUMNS if (moment := _time(row, column)) is not None]
    return max(moments, default=None)


def unique(facts: Iterable[IssueFacts]) -> Iterator[IssueFacts]:
    """Each issue once (the same cart and reference in two exports is one issue)."""
    seen: set[tuple[str, str]] = set()
    for item in facts:
        key = (item.cart_id, item.reference)
        if key not in seen:
            seen.add(key)
            yield item


def _time(row: Mapping[str, str | None], column: str) -> datetime | None:
    text = row.get(column) or ""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(f"column {column}: {text!r} is not an ISO date and time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _status(row: Mapping[str, str | None]) -> IssueStatus:
    try:
        return IssueStatus(str(row["status"]))
    except ValueError:
        raise RowError(f"column status: {row['status']!r} is not a status") from None


def _whole(row: Mapping[str, str | None], column: str) -> int:
    text = row.get(column) or "0"
    if not text.isdigit():
        raise RowError(f"column {column}: {text!r} is not a whole number")
    return int(text)


def _flag(row: Mapping[str, str | None], column: str) -> bool:
    text = (row.get(column) or "").strip().lower()
    if text not in _TRUE | _FALSE:
        raise RowError(f"column {column}: {text!r} is not true or false")
    return text in _TRUE
