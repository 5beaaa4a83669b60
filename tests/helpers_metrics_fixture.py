"""Eight hand-made issues whose metrics were counted by hand (see test_metrics.py for the sums).

Shared by the domain tests, the storage query test and the dashboard acceptance test, so every
layer is checked against the same hand count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from cowapp.domain.issue import IssueStatus as S
from cowapp.domain.metrics import IssueFacts, MetricsSettings

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
SETTINGS = MetricsSettings(
    go_live=date(2026, 11, 1), baseline_per_day=10.0, target_drop_percent=70.0, zone=UTC
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 time in UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


FACTS = [
    IssueFacts("AAA-001", "COW-01", at(10, 8), "printing", None, "W1", "break_fix", S.RESOLVED,
               at(10, 8, 30), at(10, 9), asset_tag="COW-1001"),
    IssueFacts("AAA-002", "COW-01", at(10, 9), "printing", "label_printer", "W1", "break_fix",
               S.NEW, asset_tag="COW-1001", golive_blocking=True),
    IssueFacts("AAA-003", "COW-01", at(10, 11, 30), "signin", None, "W2", "access_request",
               S.IN_PROGRESS, at(10, 11, 45), patient_safety=True),
    IssueFacts("AAA-004", "COW-01", at(9, 10), "printing", None, "W2", "break_fix", S.ESCALATED,
               at(9, 11), escalation_group="Printbeheer"),
    IssueFacts("AAA-005", "COW-01", at(9, 12), "ehr", None, "W1", "how_to", S.INSTRUCTED,
               at(9, 12, 30), at(9, 14), reopen_count=1),
    IssueFacts("AAA-006", "COW-01", at(9, 13), "ehr", None, "W1", "break_fix", S.REMOTE_CLOSED,
               at(9, 13, 10), escalation_group="Applicatiebeheer HiX"),
    IssueFacts("AAA-007", "COW-01", at(5, 9), "network", None, "W3", "break_fix",
               S.NO_FAULT_FOUND, at(5, 9, 15), at(5, 10), asset_tag="COW-2002"),
    IssueFacts("AAA-008", "COW-01", at(3, 9), "network", None, "W3", "break_fix", S.NEW,
               patient_safety=True, golive_blocking=True),
]  # fmt: skip
