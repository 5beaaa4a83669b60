"""Fill a real, migrated cart database with many realistic issues quickly, for queue tests and
benchmarks.

`bulk_issues` writes rows straight into the storage layer's ``issues`` and ``outbox`` tables with
one executemany per table inside one write transaction, so 100,000 issues take seconds instead of
the minutes the full repository path (events, audit chain, one transaction each) would need. The
rows go through the tables' own column types (UUIDs, UTC times), so they read back exactly as
issues written by the app. Timeline events and audit entries are left out: list queries do not
read them. The data is generated from a seed, so a run can be repeated.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from cowapp.domain.issue import IssueStatus, IssueType
from cowapp.domain.outbox import OutboxState
from cowapp.domain.reference import ALPHABET
from cowapp.storage.db import Database
from cowapp.storage.models import Base, IssueRow, OutboxRow

T_END = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
"""The newest issue is created just before this time; older ones go back a year."""

WARDS = ("B4 Interne", "C2 Chirurgie", "A1 Cardiologie", "D3 Neurologie", "SEH", "IC")
TEXTS = {
    "signin": ("Pas wordt niet herkend bij inloggen", "Wachtwoord verlopen, kan HiX niet in"),
    "access": ("Kan geen medicatie aftekenen", "Afdelingslijst niet zichtbaar voor invalkracht"),
    "ehr": ("HiX loopt vast bij openen dossier", "Metingen worden niet opgeslagen"),
    "medication": ("Scanner leest toedienlijst niet", "Tijdstip op toedienlijst klopt niet"),
    "printing": ("Etikettenprinter print niets", "Polsbandjesprinter geeft papierstoring"),
    "scanners": ("Scanner leest polsbandje niet", "Paslezer reageert niet"),
    "cart": ("Accu van de kar laadt niet op", "Touchscreen reageert traag"),
    "network": ("Wifi valt weg op de gang", "Geen verbinding in de isoleerkamer"),
    "performance": ("Inloggen duurt meer dan twee minuten", "Schermen traag sinds de update"),
    "workstation": ("Updatemelding blijft terugkomen", "Datum en tijd op werkplek onjuist"),
    "howto": ("Hoe zet ik een overdracht klaar?", "Hoe vraag ik een lab-order aan?"),
    "outage": ("HiX niet beschikbaar op de hele afdeling",),
}
REALISTIC_STATUSES: Mapping[IssueStatus, float] = {
    IssueStatus.NEW: 0.03,
    IssueStatus.IN_PROGRESS: 0.02,
    IssueStatus.RESOLVED: 0.58,
    IssueStatus.INSTRUCTED: 0.12,
    IssueStatus.NO_FAULT_FOUND: 0.05,
    IssueStatus.ESCALATED: 0.05,
    IssueStatus.REMOTE_RESOLVED: 0.03,
    IssueStatus.REMOTE_CLOSED: 0.12,
}
"""A year after go-live: nearly everything is closed, a few percent are open."""

ALL_OPEN: Mapping[IssueStatus, float] = {IssueStatus.NEW: 0.6, IssueStatus.IN_PROGRESS: 0.4}
"""The worst case for the queue: every issue is still open."""

_PRIORITY_WEIGHTS = (0.03, 0.12, 0.35, 0.35, 0.15)
_TECHNICIANS = ("T2041", "T2077", "T2113")
_OPEN = frozenset({IssueStatus.NEW, IssueStatus.IN_PROGRESS})
_ISSUES = Base.metadata.tables[IssueRow.__tablename__]
_OUTBOX = Base.metadata.tables[OutboxRow.__tablename__]


@dataclass(frozen=True)
class BulkResult:
    """What `bulk_issues` wrote.

    Attributes:
        ids: every issue id, in creation order.
        statuses: each issue's status, by id.
    """

    ids: list[uuid.UUID]
    statuses: dict[uuid.UUID, IssueStatus]


def bulk_issues(
    db: Database,
    n: int,
    seed: int,
    statuses: Mapping[IssueStatus, float] = REALISTIC_STATUSES,
    batch: int = 20_000,
) -> BulkResult:
    """Insert ``n`` generated issues with one outbox row each, in one transaction.

    Args:
        db: a migrated cart database (it may already hold issues).
        n: how many issues to add.
        seed: makes the data repeatable.
        statuses: the share of each status (weights; need not sum to 1).
        batch: rows per executemany call.

    Returns:
        The ids and statuses written.
    """
    issues, outbox = bulk_values(n, seed, statuses)
    with db.write("bulk test data") as session:
        connection = session.connection()  # Core executemany: the ORM would group rows per shape
        for start in range(0, n, batch):
            connection.execute(insert(_ISSUES), issues[start : start + batch])
            connection.execute(insert(_OUTBOX), outbox[start : start + batch])
    ids = [issue["id"] for issue in issues]
    return BulkResult(ids, {issue["id"]: IssueStatus(issue["status"]) for issue in issues})


def bulk_values(
    n: int, seed: int, statuses: Mapping[IssueStatus, float] = REALISTIC_STATUSES
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The column values `bulk_issues` inserts: ``n`` issue rows and their ``n`` outbox rows.

    For writing into another schema (an older revision's tables, in the migration benchmark):
    keep the keys that table has.
    """
    rng = random.Random(seed)
    references: set[str] = set()
    issues = [_issue_values(rng, i, n, statuses, references) for i in range(n)]
    return issues, [_outbox_values(rng, issue) for issue in issues]


def _issue_values(
    rng: random.Random,
    index: int,
    n: int,
    statuses: Mapping[IssueStatus, float],
    references: set[str],
) -> dict[str, Any]:
    created = T_END - timedelta(days=365) * (1 - index / n) - timedelta(seconds=rng.random())
    category = rng.choice(list(TEXTS))
    status = rng.choices(list(statuses), weights=list(statuses.values()))[0]
    priority = rng.choices(range(1, 6), weights=_PRIORITY_WEIGHTS)[0]
    claimed = status is not IssueStatus.NEW
    return {
        **_blank_values(),
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "reference": _reference(rng, references),
        "ward": rng.choice(WARDS),
        "reporter": str(rng.randint(100000, 109999)),
        "category": category,
        "subcategory": "other" if rng.random() < 0.3 else None,
        "description": rng.choice(TEXTS[category]) + f" (melding {index})",
        "room": f"kamer {rng.randint(1, 24)}",
        "asset_tag": f"COW-{rng.randint(1, 400):04d}" if rng.random() < 0.4 else "",
        "priority": priority,
        "impact": min(3, priority),
        "urgency": min(3, max(1, priority - 2)),
        "status": status.value,
        "created_at": created,
        "updated_at": created + timedelta(minutes=rng.randint(0, 90)),
        "claimed_at": created + timedelta(minutes=5) if claimed else None,
        "claimed_by": rng.choice(_TECHNICIANS) if claimed else None,
        "remote_ticket": None if status in _OPEN else f"RT-{index + 1}",
    }


def _blank_values() -> dict[str, Any]:
    return {
        "cart_id": "COW-07",
        "issue_type": IssueType.BREAK_FIX.value,
        "error_text": "",
        "care_impact": None,
        "affected": None,
        "patient_safety": False,
        "vim_reference": "",
        "privacy_incident": False,
        "golive_blocking": False,
        "workaround_available": False,
        "resolution_notes": "",
        "escalation_reason": "",
        "reopen_count": 0,
    }


def _reference(rng: random.Random, taken: set[str]) -> str:
    while True:
        chars = "".join(rng.choice(ALPHABET) for _ in range(6))
        reference = f"{chars[:3]}-{chars[3:]}"
        if reference not in taken:
            taken.add(reference)
            return reference


def _outbox_values(rng: random.Random, issue: Mapping[str, Any]) -> dict[str, Any]:
    if issue["remote_ticket"] is not None:
        state = OutboxState.DONE
    else:
        roll = rng.random()
        state = OutboxState.NEEDS_ATTENTION if roll < 0.02 else OutboxState.PENDING
    return {
        "issue_id": issue["id"],
        "event_id": None,
        "operation": "create",
        "state": state.value,
        "attempts": 0,
        "not_before": None,
        "last_error": "400 Bad Request" if state is OutboxState.NEEDS_ATTENTION else "",
        "created_at": issue["created_at"],
        "updated_at": issue["updated_at"],
    }
