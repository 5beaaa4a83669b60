"""Sample data for ``cowapp --demo``: a go-live month on a throwaway data dir, written through the
same domain rules and repositories as real reports, bedside actions and sync results.

The month looks like one the cart really had: many reports on the first days (sign-in, access,
printing, how-to), fewer each day after; reports at a 24/7 ward's hours over eight wards; most
issues fixed at the bedside by the technician on shift, some escalated to a resolver group and
read back from the central system (RT here) as resolved or rejected, one morning when HiX stopped
and the duplicates came in, a few still open, the last hour's work queued (a Wi-Fi dead zone) and
three items parked with the server's message, and nurses answering the known-issue suggestions
(`cowapp.demo_deflections`). Three demo technicians and a demo manager share the PIN `DEMO_PIN`.
Everything follows from ``seed`` and ``now``, so screenshots are repeatable.
"""

from __future__ import annotations

import logging
import math
import random
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import event

from cowapp import demo_data as data
from cowapp.demo_deflections import DemoDeflections
from cowapp.demo_sync import SyncHistory
from cowapp.domain import bedside
from cowapp.domain.intake import IssueDraft, create_issue
from cowapp.domain.issue import Issue, ResolutionCode
from cowapp.domain.reference import ALPHABET
from cowapp.storage.db import Database
from cowapp.storage.technician_store import TechnicianStore
from cowapp.wiring import Cart, utc_now

log = logging.getLogger(__name__)

DEMO_TECHNICIANS = ("T2041", "T2077", "T2113")
"""Staff numbers of the demo technicians: day, evening and night shift."""
DEMO_PIN = "4826"
"""The PIN of every demo technician and the demo manager (on the demo banner, in the README)."""
DEMO_MANAGER = "M3001"
"""Staff number of the demo manager: signs in with `DEMO_PIN` and sees only the dashboard."""
OPEN_WINDOW = timedelta(hours=18)  # reports this recent may still be open
_K = TypeVar("_K")


def seed_demo(cart: Cart, days: int = 30, seed: int = 7, now: datetime | None = None) -> int:
    """Fill an empty cart with ``days`` days of go-live issues ending at ``now``.

    Returns:
        How many issues were made (0 when the cart already holds issues).
    """
    if cart.issues.count():
        return 0
    now = (now or utc_now()).astimezone(UTC)
    rng = random.Random(seed)
    technicians = TechnicianStore(cart.db, cart.settings.config.lockout_policy())
    for staff_id in DEMO_TECHNICIANS:
        technicians.add(staff_id, DEMO_PIN, now - timedelta(days=days), actor="demo")
    technicians.add(DEMO_MANAGER, DEMO_PIN, now - timedelta(days=days), "demo", role="manager")
    month = _Month(cart, rng, now)
    issues = month.build(days)
    answers = DemoDeflections(cart, random.Random(f"{seed}-deflections"))
    with _without_fsync(cart.db):
        answers.store(issues)
        SyncHistory(cart, rng, now).replay(issues, month.late_escalation)
    log.info(
        "demo: %d issues (%d 'me too'), %d self-solved; technicians %s, manager %s, PIN %s",
        len(issues),
        answers.me_too,
        answers.self_solved,
        DEMO_TECHNICIANS,
        DEMO_MANAGER,
        DEMO_PIN,
    )
    return len(issues)


@contextmanager
def _without_fsync(db: Database) -> Iterator[None]:
    """Seed without waiting for the disk after each of the ~1,000 transactions.

    The demo's data dir is thrown away when the app closes, so the pulled-battery guarantee
    (``synchronous=FULL``) buys nothing here, and on a busy disk it makes seeding take seconds.
    New connections get ``synchronous=OFF`` while seeding; afterwards the pool is emptied so the
    app's own connections come back with the usual pragmas.
    """

    def relax(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    db.engine.dispose()
    event.listen(db.engine, "connect", relax)
    try:
        yield
    finally:
        event.remove(db.engine, "connect", relax)
        db.engine.dispose()


def _pick(rng: random.Random, weights: Mapping[_K, int]) -> _K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _on_shift(at: datetime) -> str:
    hour = at.astimezone().hour
    return DEMO_TECHNICIANS[0] if 7 <= hour < 15 else DEMO_TECHNICIANS[1 if 15 <= hour < 23 else 2]


class _Month:
    """Builds the month's issues in memory, every step through the domain's own methods."""

    def __init__(self, cart: Cart, rng: random.Random, now: datetime) -> None:
        self._rng, self._now = rng, now
        self._taxonomy = cart.settings.taxonomy
        self._policy = cart.settings.config.intake_policy()
        self._references: set[str] = set()
        self._staff = {
            ward: [str(rng.randint(100_000, 139_999)) for _ in range(9)] for ward in data.WARDS
        }
        self.late_escalation: Issue | None = None

    def build(self, days: int) -> list[Issue]:
        """The whole month, oldest first."""
        first = (self._now.astimezone() - timedelta(days=days - 1)).date()
        self._days, self._first = days, first
        issues: list[Issue] = []
        for day in range(days):
            midnight = datetime.combine(first + timedelta(days=day), time()).astimezone()
            for at in self._times(day, midnight):
                issue = self._report(at, day)
                self._handle(issue, day)
                issues.append(issue)
        issues += self._major_incident(min(11, days - 2))
        issues += self._stragglers()
        return sorted(issues, key=lambda issue: issue.created_at)

    # -- reports ---------------------------------------------------------------------------------

    def _times(self, day: int, midnight: datetime) -> list[datetime]:
        volume = 40 * math.exp(-day / 6) + 6
        if midnight.weekday() >= 5:
            volume *= 0.65
        count = round(volume * self._rng.uniform(0.85, 1.15))
        hours = self._rng.choices(range(24), weights=data.HOUR_WEIGHTS, k=count)
        times = [
            (midnight + timedelta(hours=h, minutes=self._rng.randint(0, 59))).astimezone(UTC)
            for h in hours
        ]
        return sorted(t for t in times if t < self._now - timedelta(minutes=5))

    def _report(
        self,
        at: datetime,
        day: int,
        category: str | None = None,
        text: str | None = None,
        subcategory: str | None = None,
    ) -> Issue:
        rng = self._rng
        share = min(day / 10, 1.0)
        mix = {
            c: round(data.EARLY_MIX[c] * (1 - share) + data.LATE_MIX[c] * share)
            for c in data.EARLY_MIX
        }
        category = category or _pick(rng, mix)
        report = rng.choice(data.REPORTS[category])
        if subcategory is not None:  # a story's own chip
            report = next(r for r in data.REPORTS[category] if r.subcategory == subcategory)
        ward = _pick(rng, data.WARDS)
        safety = report.safety and rng.random() < 0.4
        draft = IssueDraft(
            category=category,
            subcategory=report.subcategory,
            reporter=rng.choice(self._staff[ward]),
            issue_type=report.issue_type,
            description=report.description if text is None else text,
            error_text=report.error_text,
            room=self._room(),
            asset_tag=f"{report.asset_prefix}-{rng.randint(1000, 9999)}"
            if report.asset_prefix
            else "",
            ward=ward,
            care_impact=_pick(rng, {"yes": 55, "workaround": 35, "no": 10 + 40 * safety}),
            affected=_pick(rng, {"me": 55, "colleagues": 25, "ward": 15, "several_wards": 5}),
            patient_safety=safety,
            vim_reference=f"VIM-{rng.randint(100, 999)}" if safety and rng.random() < 0.5 else "",
            golive_blocking=day < 5 and rng.random() < 0.06,
        )
        draft.workaround_available = draft.care_impact == "workaround"
        issue, _report = create_issue(draft, self._taxonomy, self._policy, at, self._reference())
        return issue

    def _room(self) -> str:
        roll = self._rng.random()
        if roll < 0.6:
            return str(self._rng.randint(1, 24))
        return self._rng.choice(data.ROOMS) if roll < 0.8 else ""

    def _reference(self) -> str:
        while True:
            chars = "".join(self._rng.choice(ALPHABET) for _ in range(6))
            reference = f"{chars[:3]}-{chars[3:]}"
            if reference not in self._references:
                self._references.add(reference)
                return reference

    # -- what the technician did -----------------------------------------------------------------

    def _handle(self, issue: Issue, day: int) -> None:
        rng, age = self._rng, self._now - issue.created_at
        if age < OPEN_WINDOW and rng.random() < 0.5:
            return  # not picked up yet
        claimed = issue.created_at + timedelta(
            minutes=rng.randint(10, 90) if day < 3 else rng.randint(2, 35)
        )
        minutes = rng.randint(3, 30)
        done = claimed + timedelta(minutes=minutes)
        if done > self._now - timedelta(minutes=2):
            if claimed < self._now:
                issue.claim(_on_shift(claimed), claimed)
            return
        technician = _on_shift(claimed)
        issue.claim(technician, claimed)
        if rng.random() < 0.05:
            issue.set_priority(
                technician, claimed, max(1, issue.impact - 1), issue.urgency, self._policy.matrix
            )
        if age < OPEN_WINDOW and rng.random() < 0.5:
            return  # claimed, still being worked on
        if rng.random() < 0.06:
            self._note(issue, technician, claimed + timedelta(minutes=1))
        self._close(issue, technician, done, minutes)

    def _close(self, issue: Issue, technician: str, done: datetime, minutes: int) -> None:
        outcome = _pick(self._rng, data.OUTCOMES[issue.category])
        if isinstance(outcome, ResolutionCode):
            self._resolve(issue, technician, done, outcome, minutes)
            reopen_at = done + timedelta(hours=self._rng.randint(1, 8))
            if (
                outcome is ResolutionCode.FIXED
                and self._rng.random() < 0.08
                and reopen_at < self._now
            ):
                issue.reopen(technician, reopen_at)
                self._resolve(
                    issue,
                    technician,
                    reopen_at + timedelta(minutes=12),
                    ResolutionCode.REPLACED,
                    12,
                )
            return
        group = outcome.removeprefix("→ ")
        bedside.escalate(
            issue,
            policy=self._policy,
            actor=technician,
            at=done,
            group=group,
            reason=self._rng.choice(data.ESCALATION_REASONS[group]),
            confirmed_not_patient_data=False,
        )
        if self._rng.random() < 0.15 and done + timedelta(hours=3) < self._now:
            self._note(issue, technician, done + timedelta(hours=3))

    def _resolve(
        self,
        issue: Issue,
        technician: str,
        at: datetime,
        code: ResolutionCode,
        minutes: int,
        duplicate_of: uuid.UUID | None = None,
    ) -> None:
        notes = (
            self._rng.choice(data.RESOLUTION_NOTES[code]) if code in data.RESOLUTION_NOTES else ""
        )
        bedside.resolve(
            issue,
            actor=technician,
            at=at,
            code=code,
            notes=notes if self._rng.random() < 0.75 else "",
            minutes_spent=minutes,
            confirmed_not_patient_data=False,
            duplicate_of=duplicate_of,
        )

    def _note(self, issue: Issue, technician: str, at: datetime, text: str = "") -> None:
        text = text or self._rng.choice(data.NOTES)
        bedside.add_note(
            issue, actor=technician, at=at, text=text, confirmed_not_patient_data=False
        )

    # -- the stories every demo has --------------------------------------------------------------

    def _major_incident(self, day: int) -> list[Issue]:
        """HiX stops one morning: one report is escalated, the next five are its duplicates."""
        local = datetime.combine(self._first + timedelta(days=day), time(10, 40)).astimezone()
        start = local.astimezone(UTC)
        first = self._report(start, day, "outage", data.MAJOR_INCIDENT, "ehr_unavailable")
        tech = _on_shift(start)
        first.claim(tech, start + timedelta(minutes=4))
        first.set_priority(tech, start + timedelta(minutes=5), 1, 1, self._policy.matrix)
        bedside.escalate(
            first,
            policy=self._policy,
            actor=tech,
            at=start + timedelta(minutes=6),
            group="Servicedesk",
            reason="Meerdere afdelingen getroffen",
            confirmed_not_patient_data=False,
        )
        duplicates = []
        for n in range(5):
            at = start + timedelta(minutes=8 + 5 * n)
            text = "HiX reageert niet" if n % 2 else ""
            issue = self._report(at, day, "outage", text, "ehr_unavailable")
            issue.claim(tech, at + timedelta(minutes=2))
            self._resolve(
                issue, tech, at + timedelta(minutes=3), ResolutionCode.DUPLICATE, 2, first.id
            )
            duplicates.append(issue)
        return [first, *duplicates]

    def _stragglers(self) -> list[Issue]:
        """A cart battery waiting two days for a part; a how-to nobody picked up since last
        night; a pump issue escalated after its ticket was made (its update gets parked)."""
        now = self._now
        last = self._days - 1
        battery = self._report(
            now - timedelta(days=2, hours=3), last - 2, "cart", None, "battery_not_charging"
        )
        battery.claim(DEMO_TECHNICIANS[0], battery.created_at + timedelta(minutes=20))
        self._note(
            battery,
            DEMO_TECHNICIANS[0],
            battery.created_at + timedelta(minutes=35),
            data.WAITING_NOTE,
        )
        howto = self._report(now - timedelta(hours=19), last, "howto")
        pump = self._report(now - timedelta(days=1, hours=9), last - 1, "medication")
        pump.claim(_on_shift(pump.created_at), pump.created_at + timedelta(minutes=15))
        self.late_escalation = pump
        return [battery, howto, pump]
