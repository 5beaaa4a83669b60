"""Every outcome metric against the hand count of tests/helpers_metrics_fixture.py.

The hand count (now = 10 Nov 12:00 UTC, go-live 1 Nov, baseline 10/day):
total 8; printing 3, ehr 2, network 2, signin 1; W1 4, W2 2, W3 2; break_fix 6. Today (10 Nov)
printing 2 + signin 1; yesterday printing 1 + ehr 2. Closed at the cart 3 (001, 005, 007),
escalated 2 (004, 006): bedside 3/5, escalation 2/5. Claim hours 1/6, .25, .25, .5, .5, 1: median
.375, p90 (rank 6 of 6) 1. Resolve hours 1, 1, 2: median 1, p90 2. Open 002 (3 h), 003 (0.5 h),
008 (7 days). Reopened 1 of 3 ever closed at the cart. COW-1001 twice. Safety 2 (both open);
open blockers 008 then 002. Last 7 full days (3-9 Nov) 5 issues: 5/7 per day, -92.86 % vs 10.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from cowapp.domain.issue import IssueStatus
from cowapp.domain.metric_stats import (
    ageing_bucket,
    change_percent,
    durations,
    percentile,
    rate,
    rolling_average,
)
from cowapp.domain.metrics import (
    Extras,
    IssueFacts,
    MetricsSettings,
    Outcomes,
    SyncHealth,
    summarise,
)
from tests.helpers_metrics_fixture import FACTS, NOW, SETTINGS, at


@pytest.fixture
def out() -> Outcomes:
    return summarise(FACTS, SETTINGS, NOW)


def test_volume_by_category_ward_and_type(out: Outcomes) -> None:
    assert out.total == 8
    assert out.by_category == Counter(printing=3, ehr=2, network=2, signin=1)
    assert out.by_ward == Counter(W1=4, W2=2, W3=2)
    assert out.by_type == Counter(break_fix=6, access_request=1, how_to=1)


def test_day_series_counts_from_go_live_with_seven_day_average(out: Outcomes) -> None:
    assert [p.index for p in out.days] == list(range(10))
    assert out.days[0].day == date(2026, 11, 1)
    assert [p.count for p in out.days] == [0, 0, 1, 0, 1, 0, 0, 0, 3, 3]
    assert out.days[2].average7 == pytest.approx(1 / 3)
    assert out.days[9].average7 == pytest.approx(1.0)  # 4-10 Nov: 7 issues / 7 days
    assert [(p.bedside_resolved, p.bedside_rate) for p in out.days if p.count] == [
        (0, 0.0), (1, 1.0), (1, 1 / 3), (1, 1 / 3)
    ]  # fmt: skip


def test_top_ten_today_against_yesterday(out: Outcomes) -> None:
    assert [(t.category, t.today, t.yesterday) for t in out.top_today] == [
        ("printing", 2, 1),
        ("signin", 1, 0),
    ]
    assert (out.today_count, out.yesterday_count) == (3, 3)


def test_bedside_and_escalation_rates_with_target_groups(out: Outcomes) -> None:
    assert (out.bedside_resolved, out.escalated, out.with_outcome) == (3, 2, 5)
    assert out.bedside_rate == pytest.approx(0.6)
    assert out.escalation_rate == pytest.approx(0.4)
    assert out.escalation_groups == Counter({"Printbeheer": 1, "Applicatiebeheer HiX": 1})


def test_time_to_claim_and_resolve_median_and_p90(out: Outcomes) -> None:
    assert out.time_to_claim.count == 6
    assert out.time_to_claim.median_hours == pytest.approx(0.375)
    assert out.time_to_claim.p90_hours == pytest.approx(1.0)
    assert (out.time_to_resolve.median_hours, out.time_to_resolve.p90_hours) == (1.0, 2.0)


def test_open_issue_ageing_buckets(out: Outcomes) -> None:
    assert out.open_count == 3
    assert out.ageing == {"lt_1h": 1, "1_4h": 1, "4_24h": 0, "1_3d": 0, "gt_3d": 1}


def test_reopen_rate_and_repeat_assets(out: Outcomes) -> None:
    assert (out.reopened, out.closed_at_cart_ever) == (1, 3)
    assert out.reopen_rate == pytest.approx(1 / 3)
    assert out.repeat_assets == [("COW-1001", 2)]


def test_patient_safety_and_open_golive_blockers(out: Outcomes) -> None:
    assert (out.patient_safety, out.patient_safety_open) == (2, 2)
    assert [b.reference for b in out.blockers_open] == ["AAA-008", "AAA-002"]


def test_volume_against_the_pre_cart_baseline(out: Outcomes) -> None:
    assert out.recent_per_day == pytest.approx(5 / 7)
    assert out.change_percent == pytest.approx((5 / 7 - 10) / 10 * 100)
    assert out.target_reached


def test_a_30_percent_drop_does_not_reach_the_70_percent_target() -> None:
    facts = [
        IssueFacts(f"R-{d}-{n}", "C", at(d, 9), "ehr", None, "W", "break_fix", IssueStatus.NEW)
        for d in range(3, 10)
        for n in range(7)
    ]
    out = summarise(facts, SETTINGS, NOW)
    assert out.recent_per_day == 7.0
    assert out.change_percent == pytest.approx(-30.0)
    assert not out.target_reached


def test_privacy_hits_sync_health_and_deflections_pass_through() -> None:
    sync = SyncHealth(unsynced=4, oldest_unsent_at=at(9, 8), failing=2, needs_attention=1)
    out = summarise(FACTS, SETTINGS, NOW, Extras(privacy_hits=3, sync=sync, self_solved=2))
    assert (out.privacy_hits, out.sync, out.self_solved) == (3, sync, 2)
    assert out.deflection_rate == pytest.approx(2 / 10)


def test_days_are_the_hospital_s_calendar_days() -> None:
    late = IssueFacts("Z", "C", at(9, 23, 30), "ehr", None, "W", "how_to", IssueStatus.NEW)
    amsterdam = MetricsSettings(None, None, 70.0, ZoneInfo("Europe/Amsterdam"))
    out = summarise([late], amsterdam, NOW)
    assert out.today_count == 1  # 00:30 on 10 Nov in Amsterdam
    assert out.days[0].day == date(2026, 11, 10) and out.change_percent is None


def test_no_issues_gives_empty_metrics_not_errors() -> None:
    out = summarise([], SETTINGS, NOW)
    assert out.total == 0 and out.bedside_rate is None and out.time_to_claim.median_hours is None
    assert len(out.days) == 10 and out.change_percent == pytest.approx(-100.0)


def test_statistics_helpers_by_hand() -> None:
    assert percentile([5, 1, 4, 2, 3], 90) == 5  # rank ceil(4.5) = 5
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile([], 90) is None
    with pytest.raises(ValueError):
        percentile([1], 0)
    assert durations([3.0, 1.0]).median_hours == 2.0
    assert rate(1, 0) is None and rate(1, 4) == 0.25
    assert rolling_average([7, 0, 0, 0, 0, 0, 0, 7], 7) == pytest.approx(
        [7, 3.5, 7 / 3, 1.75, 1.4, 7 / 6, 1, 1]
    )
    assert ageing_bucket(timedelta(minutes=59)) == "lt_1h"
    assert ageing_bucket(timedelta(hours=4)) == "4_24h"
    assert ageing_bucket(timedelta(days=3)) == "gt_3d"
    assert change_percent(30, 100) == -70.0 and change_percent(1, None) is None
