"""The issue life cycle: every allowed step works and records who/when; every other step is refused
with a message naming the issue and its state, leaving the issue unchanged."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from cowapp.domain.errors import IllegalTransitionError, ValidationError
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import EventKind, Issue, IssueStatus, ResolutionCode
from cowapp.domain.priority import PriorityMatrix
from cowapp.domain.taxonomy import Taxonomy

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
S = IssueStatus
MATRIX = PriorityMatrix.itil_default()


def fresh(taxonomy: Taxonomy) -> Issue:
    issue, _ = create_issue(
        IssueDraft(category="printing", reporter="104233"), taxonomy, IntakePolicy("C1", "B4"), T0
    )
    return issue


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


ACTIONS: dict[str, Callable[[Issue], object]] = {
    "claim": lambda i: i.claim("T1", at(1)),
    "release": lambda i: i.release("T1", at(2)),
    "resolve": lambda i: i.resolve("T1", at(3), ResolutionCode.FIXED, "ok", 5),
    "escalate": lambda i: i.escalate("T1", at(3), "Servicedesk", "needs a server fix"),
    "reopen": lambda i: i.reopen("T1", at(4)),
    "remote_resolved": lambda i: i.apply_remote_status(S.REMOTE_RESOLVED, at(9), "sync"),
    "remote_closed": lambda i: i.apply_remote_status(S.REMOTE_CLOSED, at(9), "sync"),
    "remote_reopened": lambda i: i.apply_remote_status(S.ESCALATED, at(9), "sync"),
}
# (status before, action) -> status after; anything not listed must be refused.
ALLOWED = {
    (S.NEW, "claim"): S.IN_PROGRESS,
    (S.NEW, "resolve"): S.RESOLVED,
    (S.NEW, "escalate"): S.ESCALATED,
    (S.IN_PROGRESS, "release"): S.NEW,
    (S.IN_PROGRESS, "resolve"): S.RESOLVED,
    (S.IN_PROGRESS, "escalate"): S.ESCALATED,
    (S.RESOLVED, "reopen"): S.IN_PROGRESS,
    (S.INSTRUCTED, "reopen"): S.IN_PROGRESS,
    (S.NO_FAULT_FOUND, "reopen"): S.IN_PROGRESS,
    (S.ESCALATED, "remote_resolved"): S.REMOTE_RESOLVED,
    (S.ESCALATED, "remote_closed"): S.REMOTE_CLOSED,
    (S.REMOTE_RESOLVED, "remote_closed"): S.REMOTE_CLOSED,
    (S.REMOTE_RESOLVED, "remote_reopened"): S.ESCALATED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_is_allowed_or_refused_clearly(
    taxonomy: Taxonomy, status: IssueStatus, action: str
) -> None:
    issue = fresh(taxonomy)
    issue.status = status
    before = copy.deepcopy(issue)
    expected = ALLOWED.get((status, action))
    if expected is None:
        with pytest.raises(IllegalTransitionError) as refused:
            ACTIONS[action](issue)
        assert issue.reference in str(refused.value)
        assert status.value in str(refused.value)
        assert issue == before, "a refused step must not change the issue"
    else:
        ACTIONS[action](issue)
        assert issue.status is expected
        assert issue.events[-1].from_status is status
        assert issue.events[-1].to_status is expected


def test_created_event_has_no_previous_status_and_device_time(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    assert [(e.kind, e.from_status, e.to_status, e.at) for e in issue.events] == [
        (EventKind.CREATED, None, S.NEW, T0)
    ]
    with pytest.raises(IllegalTransitionError):
        issue.mark_created("104233", T0)


def test_bedside_round_trip_keeps_every_timestamp(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    issue.claim("T1", at(1))
    issue.resolve("T1", at(12), ResolutionCode.RESTARTED, "printer herstart", 11)
    assert (issue.claimed_at, issue.claimed_by) == (at(1), "T1")
    assert (issue.resolved_at, issue.resolved_by, issue.minutes_spent) == (at(12), "T1", 11)
    assert [e.kind for e in issue.events] == [
        EventKind.CREATED,
        EventKind.CLAIMED,
        EventKind.RESOLVED,
    ]
    issue.reopen("T2", at(30))
    assert issue.reopen_count == 1 and issue.resolution_code is None
    assert issue.claimed_by == "T2"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (ResolutionCode.INSTRUCTED, S.INSTRUCTED),
        (ResolutionCode.NO_FAULT_FOUND, S.NO_FAULT_FOUND),
        (ResolutionCode.WORKAROUND, S.RESOLVED),
    ],
)
def test_resolution_code_sets_status(taxonomy: Taxonomy, code: ResolutionCode, status: S) -> None:
    issue = fresh(taxonomy)
    issue.resolve("T1", at(2), code)
    assert issue.status is status


def test_duplicate_needs_its_original(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    with pytest.raises(ValidationError) as missing:
        issue.resolve("T1", at(2), ResolutionCode.DUPLICATE)
    assert missing.value.field == "duplicate_of"
    with pytest.raises(ValidationError):
        issue.resolve("T1", at(2), ResolutionCode.DUPLICATE, duplicate_of=issue.id)
    original = uuid.uuid4()
    issue.resolve("T1", at(2), ResolutionCode.DUPLICATE, duplicate_of=original)
    assert issue.duplicate_of == original


def test_escalation_needs_group_and_reason(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    with pytest.raises(ValidationError) as no_reason:
        issue.escalate("T1", at(2), "Servicedesk", "   ")
    assert no_reason.value.field == "reason"
    with pytest.raises(ValidationError):
        issue.escalate("T1", at(2), "", "reason")
    assert issue.status is S.NEW


def test_priority_override_follows_matrix_until_escalated(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    issue.set_priority("T1", at(1), impact=1, urgency=1, matrix=MATRIX)
    assert issue.priority == 1
    assert issue.events[-1].detail == "impact=1;urgency=1;priority=1"
    issue.escalate("T1", at(2), "Servicedesk", "server side")
    with pytest.raises(IllegalTransitionError, match="central service owns"):
        issue.set_priority("T1", at(3), impact=3, urgency=3, matrix=MATRIX)


def test_notes_are_the_only_edit_after_escalation(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    issue.escalate("T1", at(2), "Servicedesk", "server side")
    issue.add_note("T1", at(5), "  opnieuw gezien op kamer 4 ", uuid.uuid4())
    assert issue.notes[-1].text == "opnieuw gezien op kamer 4"
    assert issue.status is S.ESCALATED
    with pytest.raises(ValidationError):
        issue.add_note("T1", at(6), "  ", uuid.uuid4())


def test_naive_times_are_refused(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    with pytest.raises(ValueError, match="UTC"):
        issue.claim("T1", datetime(2026, 11, 2, 9, 0))


def test_minutes_spent_bounds(taxonomy: Taxonomy) -> None:
    issue = fresh(taxonomy)
    with pytest.raises(ValidationError) as refused:
        issue.resolve("T1", at(1), ResolutionCode.FIXED, minutes_spent=1441)
    assert refused.value.field == "minutes"
