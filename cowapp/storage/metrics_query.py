"""Read-only queries behind the outcome metrics: lean per-issue facts and SQL-side counts.

`MetricsQuery.facts` streams one `IssueFacts` per issue in the chosen period with a single
plain SELECT of the few columns the metrics need (no ORM objects, no free text), parsing the
stored UTC text itself, so 100,000 issues are read in well under a second and never held as ORM
rows. What is not per issue is counted in SQL: privacy-guard hits from the audit log (counts
only), the upload queue's health from the outbox (one grouped query on its state index), and
known-issue deflections. Call it from a worker thread with its own session: every call is one
short read transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from cowapp.domain.issue import IssueStatus
from cowapp.domain.metrics import Extras, IssueFacts, SyncHealth
from cowapp.domain.outbox import UNSENT_STATES, OutboxState
from cowapp.storage.db import Database

PRIVACY_ACTIONS = ("privacy.warning_confirmed",)
"""Audit actions that record a privacy-guard hit: a confirmed warning only. A BSN block is not
counted on purpose: counting it would mean writing a row at the moment a patient's BSN is on
screen, while the rule is that a BSN blocks and nothing is written (the dashboard tile says so)."""

_PRIVACY_LIST = ", ".join(f"'{action}'" for action in PRIVACY_ACTIONS)  # constants only
_FACTS_SQL = """
SELECT reference, cart_id, created_at, category, subcategory, ward, issue_type, status,
       claimed_at, resolved_at, escalation_group, reopen_count, asset_tag, patient_safety,
       golive_blocking
FROM issues
WHERE created_at >= :since AND created_at < :until
"""
_BATCH = 5000
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 1, 1, tzinfo=UTC)


def _stored(moment: datetime) -> str:
    """A UTC time as the issues table stores it (naive ISO text, which sorts right)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _parsed(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


class MetricsQuery:
    """The metrics' view of the cart's database.

    Args:
        db: the cart's database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def facts(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[IssueFacts]:
        """Every issue created in [since, until), as facts, fetched in batches."""
        params = {"since": _stored(since or _EARLIEST), "until": _stored(until or _LATEST)}
        with self._db.engine.connect() as connection:
            result = connection.execute(text(_FACTS_SQL), params)
            while rows := result.fetchmany(_BATCH):
                for row in rows:
                    yield IssueFacts(
                        row[0],
                        row[1],
                        datetime.fromisoformat(row[2]).replace(tzinfo=UTC),
                        row[3],
                        row[4],
                        row[5],
                        row[6],
                        IssueStatus(row[7]),
                        _parsed(row[8]),
                        _parsed(row[9]),
                        row[10],
                        row[11],
                        row[12],
                        bool(row[13]),
                        bool(row[14]),
                    )

    def extras(self, since: datetime | None = None, until: datetime | None = None) -> Extras:
        """Privacy-guard hits, sync health and deflections, counted in SQL."""
        params = {"since": _stored(since or _EARLIEST), "until": _stored(until or _LATEST)}
        with self._db.engine.connect() as connection:
            hits = connection.execute(
                text(
                    f"SELECT count(*) FROM audit_log WHERE action IN ({_PRIVACY_LIST})"
                    " AND at >= :since AND at < :until"
                ),
                params,
            ).scalar_one()
            sync = _sync_health(connection)
            solved, me_too = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM known_issue_deflections"
                    "        WHERE at >= :since AND at < :until),"
                    "       (SELECT count(*) FROM known_issue_reports"
                    "        WHERE at >= :since AND at < :until)"
                ),
                params,
            ).one()
        return Extras(int(hits), sync, int(solved), int(me_too))


def _sync_health(connection: Connection) -> SyncHealth:
    unsent = [state.value for state in UNSENT_STATES]
    marks = ", ".join(f"'{state}'" for state in unsent)  # fixed enum values, not user input
    row = connection.execute(
        text(
            f"SELECT count(DISTINCT issue_id), min(created_at),"
            f" sum(attempts > 0), sum(state = '{OutboxState.NEEDS_ATTENTION.value}')"
            f" FROM outbox WHERE state IN ({marks})"
        )
    ).one()
    return SyncHealth(int(row[0] or 0), _parsed(row[1]), int(row[2] or 0), int(row[3] or 0))
