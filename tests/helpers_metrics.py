"""Write hand-made `IssueFacts` into a real cart database as issues (for metrics tests).

The rows go through the storage layer's own table types, with the columns the metrics do not read
filled with plain defaults, so the metrics query reads them exactly as issues the app wrote.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from cowapp.domain.metrics import IssueFacts
from cowapp.storage.db import Database
from cowapp.storage.models import IssueRow


def issue_values(facts: IssueFacts) -> dict[str, Any]:
    """A full ``issues`` row for these facts."""
    return {
        "id": uuid.uuid5(uuid.NAMESPACE_URL, facts.reference),
        "reference": facts.reference,
        "cart_id": facts.cart_id,
        "ward": facts.ward,
        "reporter": "100001",
        "category": facts.category,
        "subcategory": facts.subcategory,
        "issue_type": facts.issue_type,
        "description": "",
        "error_text": "",
        "room": "",
        "asset_tag": facts.asset_tag,
        "care_impact": None,
        "affected": None,
        "impact": 3,
        "urgency": 2,
        "priority": 4,
        "patient_safety": facts.patient_safety,
        "vim_reference": "",
        "privacy_incident": False,
        "golive_blocking": facts.golive_blocking,
        "workaround_available": False,
        "status": facts.status.value,
        "created_at": facts.created_at,
        "updated_at": facts.resolved_at or facts.claimed_at or facts.created_at,
        "claimed_at": facts.claimed_at,
        "claimed_by": "T2041" if facts.claimed_at else None,
        "resolved_at": facts.resolved_at,
        "escalation_group": facts.escalation_group,
        "escalation_reason": "",
        "resolution_notes": "",
        "reopen_count": facts.reopen_count,
    }


def insert_facts(db: Database, facts: Iterable[IssueFacts]) -> None:
    """Insert one issue per facts record, in one transaction."""
    rows = [issue_values(item) for item in facts]
    with db.write("metrics test data") as session:
        session.connection().execute(insert(IssueRow.__table__), rows)
