"""The IT manager's outcome metrics, computed from lean per-issue facts in one pass.

`summarise` folds `IssueFacts` (what one issue contributes: times, category, ward, status, flags,
never free text) into an `Outcomes` record: issues per day with a 7-day average on a
day-since-go-live axis; counts by category, ward and issue type; today's top 10 against
yesterday; the resolved-at-the-bedside, escalation and reopen rates; time to claim and to resolve
(median and p90, clock hours); open-issue ageing; repeat issues per asset; patient-safety and
go-live-blocking issues; privacy-guard hits; sync health; self-solved deflections; and the volume
against the pre-cart baseline as a percentage change (-70 % is the story). Days are calendar days
in the hospital's time zone. The same function serves the dashboard (facts streamed from the
cart's database), the PDF report and several carts' CSV exports combined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from cowapp.domain.issue import CLOSED_AT_CART, OPEN_STATUSES, OWNED_REMOTELY, IssueStatus
from cowapp.domain.metric_stats import (
    AGEING_BUCKETS,
    Durations,
    ageing_bucket,
    change_percent,
    durations,
    hours_between,
    rate,
    rolling_average,
)

TOP_N = 10
BASELINE_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class IssueFacts:
    """What one issue contributes to the metrics (no free text, nothing about a patient)."""

    reference: str
    cart_id: str
    created_at: datetime
    category: str
    subcategory: str | None
    ward: str
    issue_type: str
    status: IssueStatus
    claimed_at: datetime | None = None
    resolved_at: datetime | None = None
    escalation_group: str | None = None
    reopen_count: int = 0
    asset_tag: str = ""
    patient_safety: bool = False
    golive_blocking: bool = False


@dataclass(frozen=True)
class MetricsSettings:
    """How the numbers are framed (``[metrics]`` in config.toml).

    Attributes:
        go_live: day 0 of the day-since-go-live axis; None: the day of the first issue.
        baseline_per_day: issues per day before the carts (pre-cart baseline); None: unknown.
        target_drop_percent: the drop the project promised (70).
        zone: the hospital's time zone, for calendar days.
    """

    go_live: date | None
    baseline_per_day: float | None
    target_drop_percent: float
    zone: tzinfo


@dataclass(frozen=True)
class SyncHealth:
    """The upload queue as the metrics see it.

    Attributes:
        unsynced: issues with something not yet sent.
        oldest_unsent_at: when the oldest unsent item was queued, None when none is.
        failing: unsent items that failed at least once.
        needs_attention: items parked for a human.
    """

    unsynced: int = 0
    oldest_unsent_at: datetime | None = None
    failing: int = 0
    needs_attention: int = 0


NO_DURATIONS = Durations(0, None, None)
NO_SYNC = SyncHealth()


@dataclass(frozen=True)
class DayPoint:
    """One calendar day: its index since go-live, how many issues came in, and what happened."""

    day: date
    index: int
    count: int
    average7: float
    bedside_resolved: int
    bedside_rate: float | None


@dataclass(frozen=True)
class TopEntry:
    """One line of today's top 10: a category and its count today and yesterday."""

    category: str
    today: int
    yesterday: int


@dataclass(frozen=True)
class Blocker:
    """An open go-live-blocking issue (for the huddle report)."""

    reference: str
    category: str
    subcategory: str | None
    ward: str
    created_at: datetime


@dataclass
class Outcomes:
    """Every number the dashboard and the report show; see the module docstring."""

    total: int = 0
    days: list[DayPoint] = field(default_factory=list)
    by_category: Counter[str] = field(default_factory=Counter)
    by_ward: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    top_today: list[TopEntry] = field(default_factory=list)
    today_count: int = 0
    yesterday_count: int = 0
    bedside_resolved: int = 0
    escalated: int = 0
    with_outcome: int = 0
    escalation_groups: Counter[str] = field(default_factory=Counter)
    time_to_claim: Durations = NO_DURATIONS
    time_to_resolve: Durations = NO_DURATIONS
    ageing: dict[str, int] = field(default_factory=dict)
    open_count: int = 0
    reopened: int = 0
    closed_at_cart_ever: int = 0
    repeat_assets: list[tuple[str, int]] = field(default_factory=list)
    patient_safety: int = 0
    patient_safety_open: int = 0
    blockers_open: list[Blocker] = field(default_factory=list)
    privacy_hits: int = 0
    sync: SyncHealth = NO_SYNC
    self_solved: int = 0
    me_too: int = 0
    recent_per_day: float = 0.0
    baseline_per_day: float | None = None
    change_percent: float | None = None
    target_drop_percent: float = 70.0

    @property
    def bedside_rate(self) -> float | None:
        """Share of issues with an outcome that were closed at the bedside."""
        return rate(self.bedside_resolved, self.with_outcome)

    @property
    def escalation_rate(self) -> float | None:
        """Share of issues with an outcome that were escalated."""
        return rate(self.escalated, self.with_outcome)

    @property
    def reopen_rate(self) -> float | None:
        """Share of issues ever closed at the cart that had to be reopened."""
        return rate(self.reopened, self.closed_at_cart_ever)

    @property
    def deflection_rate(self) -> float | None:
        """Share of problems a known issue solved without a report (self-solved / all)."""
        return rate(self.self_solved, self.self_solved + self.total)

    @property
    def target_reached(self) -> bool:
        """Whether the volume fell by at least the promised percentage."""
        return self.change_percent is not None and -self.change_percent >= self.target_drop_percent


@dataclass(frozen=True)
class Extras:
    """Numbers that do not come from the issues themselves (audit log, outbox, deflections)."""

    privacy_hits: int = 0
    sync: SyncHealth = NO_SYNC
    self_solved: int = 0
    me_too: int = 0


class _Fold:
    """The running counts of one pass over the facts."""

    def __init__(self, now: datetime, zone: tzinfo) -> None:
        self.now, self.zone = now, zone
        self.today = now.astimezone(zone).date()
        self.out = Outcomes(ageing={key: 0 for key, _ in AGEING_BUCKETS})
        self.per_day: Counter[date] = Counter()
        self.bedside_per_day: Counter[date] = Counter()
        self.cat_today: Counter[str] = Counter()
        self.cat_yesterday: Counter[str] = Counter()
        self.assets: Counter[str] = Counter()
        self.claim_hours: list[float] = []
        self.resolve_hours: list[float] = []

    def add(self, facts: IssueFacts) -> None:
        out, day = self.out, facts.created_at.astimezone(self.zone).date()
        out.total += 1
        self.per_day[day] += 1
        out.by_category[facts.category] += 1
        out.by_ward[facts.ward] += 1
        out.by_type[facts.issue_type] += 1
        if day == self.today:
            self.cat_today[facts.category] += 1
        elif day == self.today - timedelta(days=1):
            self.cat_yesterday[facts.category] += 1
        if facts.asset_tag:
            self.assets[facts.asset_tag] += 1
        if facts.claimed_at is not None:
            self.claim_hours.append(hours_between(facts.created_at, facts.claimed_at))
        self._outcome(facts, day)
        self._flags(facts)

    def _outcome(self, facts: IssueFacts, day: date) -> None:
        out = self.out
        if facts.status in CLOSED_AT_CART:
            out.bedside_resolved += 1
            self.bedside_per_day[day] += 1
            if facts.resolved_at is not None:
                self.resolve_hours.append(hours_between(facts.created_at, facts.resolved_at))
        elif facts.status in OWNED_REMOTELY:
            out.escalated += 1
            out.escalation_groups[facts.escalation_group or "?"] += 1
        else:
            out.open_count += 1
            out.ageing[ageing_bucket(self.now - facts.created_at)] += 1
        if facts.status in CLOSED_AT_CART or facts.status in OWNED_REMOTELY:
            out.with_outcome += 1
        if facts.status in CLOSED_AT_CART or facts.reopen_count > 0:
            out.closed_at_cart_ever += 1
        if facts.reopen_count > 0:
            out.reopened += 1

    def _flags(self, facts: IssueFacts) -> None:
        out, is_open = self.out, facts.status in OPEN_STATUSES
        if facts.patient_safety:
            out.patient_safety += 1
            out.patient_safety_open += is_open
        if facts.golive_blocking and is_open:
            out.blockers_open.append(
                Blocker(
                    facts.reference,
                    facts.category,
                    facts.subcategory,
                    facts.ward,
                    facts.created_at,
                )
            )


def summarise(
    facts: Iterable[IssueFacts],
    settings: MetricsSettings,
    now: datetime,
    extras: Extras = Extras(),
) -> Outcomes:
    """Fold the facts into every outcome metric (one pass; ``facts`` may be a stream)."""
    fold = _Fold(now, settings.zone)
    for item in facts:
        fold.add(item)
    out = fold.out
    out.time_to_claim = durations(fold.claim_hours)
    out.time_to_resolve = durations(fold.resolve_hours)
    out.today_count = sum(fold.cat_today.values())
    out.yesterday_count = sum(fold.cat_yesterday.values())
    out.top_today = top_categories(fold.cat_today, fold.cat_yesterday)
    out.repeat_assets = sorted(
        ((tag, n) for tag, n in fold.assets.items() if n >= 2), key=lambda item: (-item[1], item[0])
    )
    out.blockers_open.sort(key=lambda blocker: blocker.created_at)
    out.days = day_series(fold.per_day, fold.bedside_per_day, settings.go_live, fold.today)
    out.privacy_hits, out.sync = extras.privacy_hits, extras.sync
    out.self_solved, out.me_too = extras.self_solved, extras.me_too
    out.target_drop_percent = settings.target_drop_percent
    out.baseline_per_day = settings.baseline_per_day
    out.recent_per_day = recent_average(fold.per_day, fold.today)
    out.change_percent = change_percent(out.recent_per_day, settings.baseline_per_day)
    return out


def top_categories(today: Counter[str], yesterday: Counter[str], n: int = TOP_N) -> list[TopEntry]:
    """Today's most reported categories (most first, then by code), with yesterday's count."""
    ranked = sorted(today.items(), key=lambda item: (-item[1], item[0]))[:n]
    return [TopEntry(code, count, yesterday.get(code, 0)) for code, count in ranked]


def recent_average(per_day: Counter[date], today: date) -> float:
    """Issues per day over the last `BASELINE_WINDOW_DAYS` complete days (today is not over)."""
    days = [today - timedelta(days=offset) for offset in range(1, BASELINE_WINDOW_DAYS + 1)]
    return sum(per_day.get(day, 0) for day in days) / BASELINE_WINDOW_DAYS


def day_series(
    per_day: Counter[date], bedside: Counter[date], go_live: date | None, today: date
) -> list[DayPoint]:
    """One point per calendar day from the go-live (or the first issue) up to today."""
    if not per_day and go_live is None:
        return []
    start = go_live or min(per_day)
    first = min([start, *per_day]) if per_day else start
    days = [first + timedelta(days=i) for i in range((max(today, first) - first).days + 1)]
    counts = [per_day.get(day, 0) for day in days]
    averages = rolling_average(counts)
    return [
        DayPoint(
            day,
            (day - start).days,
            count,
            average,
            bedside.get(day, 0),
            rate(bedside.get(day, 0), count),
        )
        for day, count, average in zip(days, counts, averages, strict=True)
    ]
