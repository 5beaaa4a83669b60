"""Metric facts survive the trip through an exported CSV row; bad rows name the column."""

from __future__ import annotations

import pytest

from cowapp.domain.metric_rows import RowError, facts_from_row, metric_values, seen_at, unique
from tests.helpers_metrics_fixture import FACTS


def _row(index: int) -> dict[str, str]:
    facts = FACTS[index]
    values = {
        name: getattr(facts, name)
        for name in ("reference", "cart_id", "category", "subcategory", "ward", "issue_type",
                     "escalation_group", "asset_tag")
    }  # fmt: skip
    row = {k: "" if v is None else str(v) for k, v in values.items()}
    row["status"] = facts.status.value
    for name in ("created_at", "claimed_at", "resolved_at"):
        moment = getattr(facts, name)
        row[name] = moment.isoformat() if moment else ""
    row["reopen_count"] = str(facts.reopen_count)
    row["patient_safety"] = str(facts.patient_safety)
    row["golive_blocking"] = str(facts.golive_blocking)
    return row


def test_every_fixture_issue_round_trips() -> None:
    assert [facts_from_row(_row(i)) for i in range(len(FACTS))] == FACTS


def test_metric_values_by_hand() -> None:
    assert metric_values(FACTS[0]) == ["0.50", "1.00", "1", "0", "0"]  # bedside after 1 h
    assert metric_values(FACTS[3]) == ["1.00", "", "0", "1", "0"]  # escalated
    assert metric_values(FACTS[7]) == ["", "", "0", "0", "1"]  # still open


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("status", "done", "column status: 'done' is not a status"),
        ("created_at", "gisteren", "column created_at"),
        ("reopen_count", "-1", "column reopen_count"),
        ("golive_blocking", "misschien", "column golive_blocking"),
        ("ward", "", "column ward is missing or empty"),
    ],
)
def test_a_bad_value_names_its_column(column: str, value: str, message: str) -> None:
    row = _row(0) | {column: value}
    with pytest.raises(RowError, match=message):
        facts_from_row(row)


def test_the_same_issue_twice_counts_once() -> None:
    assert list(unique([*FACTS, *FACTS])) == FACTS


def test_a_cart_is_last_seen_at_the_latest_time_in_its_row() -> None:
    row = {
        "created_at": "2026-11-09T08:00:00+00:00",
        "claimed_at": "2026-11-09T08:20:00+00:00",
        "resolved_at": "",
        "updated_at": "2026-11-10T07:45:00+01:00",  # 06:45 UTC: the latest change
    }
    assert seen_at(row).isoformat() == "2026-11-10T06:45:00+00:00"  # type: ignore[union-attr]
    row["exported_at"] = "2026-11-12T17:00:00+00:00"  # the export itself is later still
    assert seen_at(row).isoformat() == "2026-11-12T17:00:00+00:00"  # type: ignore[union-attr]
    assert seen_at({}) is None
    with pytest.raises(RowError, match="column exported_at"):
        seen_at({"exported_at": "last week"})
