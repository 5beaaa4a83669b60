"""The shared cart's session rules with a fake clock: the privacy screen comes at exactly
``lock_after`` idle (or at once with the one-tap lock), the session ends at exactly ``end_after``,
input resets the idle time but a tap on the privacy screen does not, only the signed-in person
resumes, and a draft is never shown to anyone but its author, also after their session ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cowapp.domain.errors import ValidationError
from cowapp.domain.session import (
    CartSession,
    DraftBook,
    Role,
    SessionError,
    SessionEvent,
    SessionEventKind,
    SessionPolicy,
    SessionState,
)
from tests.integration.sync_helpers import FakeClock

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
POLICY = SessionPolicy(timedelta(seconds=120), timedelta(seconds=600), timedelta(hours=8))
TECH, NURSE, OTHER = "T2041", "104233", "104877"
TINY = timedelta(microseconds=1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def session(clock: FakeClock) -> CartSession:
    """A cart with technician T2041 signed in at T0."""
    cart = CartSession(clock, POLICY)
    cart.sign_in(TECH, Role.TECHNICIAN)
    return cart


def kinds(events: list[SessionEvent]) -> list[tuple[SessionEventKind, str]]:
    return [(event.kind, event.reason) for event in events]


def test_starts_signed_out_at_intake(clock: FakeClock) -> None:
    cart = CartSession(clock, POLICY)
    assert (cart.state, cart.user, cart.role) == (SessionState.SIGNED_OUT, None, None)
    assert cart.tick() == [] and cart.touch() == [] and cart.lock() == []
    assert cart.locks_at is None and cart.ends_at is None


def test_sign_in_is_an_event_with_user_role_and_device_time(clock: FakeClock) -> None:
    cart = CartSession(clock, POLICY)
    events = cart.sign_in(TECH, Role.TECHNICIAN)
    assert events == [SessionEvent(SessionEventKind.SIGNED_IN, T0, TECH, Role.TECHNICIAN)]
    assert events[0].action == "session.signed_in"
    assert events[0].detail == "role=technician"
    assert (cart.state, cart.user, cart.role) == (SessionState.ACTIVE, TECH, Role.TECHNICIAN)
    with pytest.raises(ValidationError):
        cart.sign_in("not a badge", Role.NURSE)


def test_privacy_screen_at_exactly_lock_after(session: CartSession, clock: FakeClock) -> None:
    clock.now = T0 + POLICY.lock_after - TINY
    assert session.tick() == []
    assert session.state is SessionState.ACTIVE
    clock.now = T0 + POLICY.lock_after
    events = session.tick()
    assert kinds(events) == [(SessionEventKind.LOCKED, "idle")]
    assert events[0].at == T0 + POLICY.lock_after
    assert session.state is SessionState.PRIVACY
    assert session.user == TECH  # the privacy screen shows who is signed in
    assert session.tick() == []  # once


def test_session_ends_at_exactly_end_after(session: CartSession, clock: FakeClock) -> None:
    clock.now = T0 + POLICY.lock_after
    session.tick()
    clock.now = T0 + POLICY.end_after - TINY
    assert session.tick() == []
    clock.now = T0 + POLICY.end_after
    events = session.tick()
    assert kinds(events) == [(SessionEventKind.ENDED, "idle")]
    assert (events[0].user, events[0].role) == (TECH, Role.TECHNICIAN)
    assert (session.state, session.user, session.role) == (SessionState.SIGNED_OUT, None, None)


def test_a_late_tick_ends_the_session_straight_away(session: CartSession, clock: FakeClock) -> None:
    clock.advance(3600)  # e.g. the cart was asleep
    assert kinds(session.tick()) == [(SessionEventKind.ENDED, "idle")]


def test_input_resets_the_idle_time(session: CartSession, clock: FakeClock) -> None:
    clock.advance(100)
    assert session.touch() == []
    assert session.locks_at == T0 + timedelta(seconds=220)
    assert session.ends_at == T0 + timedelta(seconds=700)
    clock.now = T0 + timedelta(seconds=219)
    assert session.tick() == []
    clock.now = T0 + timedelta(seconds=220)
    assert kinds(session.tick()) == [(SessionEventKind.LOCKED, "idle")]


def test_a_tap_on_the_privacy_screen_does_not_keep_the_session_alive(
    session: CartSession, clock: FakeClock
) -> None:
    session.lock()
    for _ in range(9):
        clock.advance(60)
        assert session.touch() == []
        assert session.state is SessionState.PRIVACY
    clock.advance(60)
    assert kinds(session.touch()) == [(SessionEventKind.ENDED, "idle")]


def test_touch_after_the_idle_time_locks_before_it_counts(
    session: CartSession, clock: FakeClock
) -> None:
    clock.now = T0 + POLICY.lock_after
    assert kinds(session.touch()) == [(SessionEventKind.LOCKED, "idle")]
    assert session.state is SessionState.PRIVACY


def test_one_tap_lock_is_immediate(session: CartSession, clock: FakeClock) -> None:
    clock.advance(5)
    events = session.lock()
    assert kinds(events) == [(SessionEventKind.LOCKED, "tap")]
    assert session.state is SessionState.PRIVACY and session.locks_at is None
    assert session.lock() == []  # already locked
    assert session.ends_at == T0 + timedelta(seconds=5) + POLICY.end_after


def test_only_the_signed_in_person_resumes(session: CartSession, clock: FakeClock) -> None:
    session.lock()
    clock.advance(30)
    with pytest.raises(SessionError, match=f"only {TECH} can continue"):
        session.resume(OTHER)
    assert session.state is SessionState.PRIVACY
    events = session.resume(TECH)
    assert kinds(events) == [(SessionEventKind.RESUMED, "")]
    assert session.state is SessionState.ACTIVE
    assert session.locks_at == T0 + timedelta(seconds=30) + POLICY.lock_after


def test_resume_after_the_session_ended_is_refused(session: CartSession, clock: FakeClock) -> None:
    session.lock()
    clock.now = T0 + POLICY.end_after
    with pytest.raises(SessionError, match="ended"):
        session.resume(TECH)
    assert session.state is SessionState.SIGNED_OUT


def test_someone_else_signing_in_on_the_privacy_screen_ends_the_previous_session(
    session: CartSession, clock: FakeClock
) -> None:
    clock.advance(10)
    with pytest.raises(SessionError, match="lock it first"):
        session.sign_in(NURSE, Role.NURSE)  # the technician's work is on screen
    session.lock()
    events = session.sign_in(NURSE, Role.NURSE)
    assert [(e.kind, e.user, e.reason) for e in events] == [
        (SessionEventKind.ENDED, TECH, "switched"),
        (SessionEventKind.SIGNED_IN, NURSE, ""),
    ]
    assert (session.user, session.role) == (NURSE, Role.NURSE)


def test_the_same_person_signing_in_again_resumes_and_may_change_role(clock: FakeClock) -> None:
    cart = CartSession(clock, POLICY)
    cart.sign_in(TECH, Role.NURSE)
    cart.lock()
    events = cart.sign_in(TECH, Role.TECHNICIAN)  # the PIN was checked by the caller
    assert [(e.kind, e.role) for e in events] == [
        (SessionEventKind.RESUMED, Role.NURSE),
        (SessionEventKind.SIGNED_IN, Role.TECHNICIAN),
    ]
    assert cart.state is SessionState.ACTIVE


def test_sign_out_ends_now(session: CartSession, clock: FakeClock) -> None:
    clock.advance(1)
    assert kinds(session.sign_out()) == [(SessionEventKind.ENDED, "sign_out")]
    assert session.sign_out() == []


# -- drafts -------------------------------------------------------------------------------------

DRAFT = {"category": "printing", "description": "Etikettenprinter kamer 12", "tags": ["a"]}


def test_a_draft_is_never_shown_to_the_next_user(session: CartSession, clock: FakeClock) -> None:
    session.save_draft(DRAFT)
    assert session.current_draft() == DRAFT
    session.lock()
    assert session.current_draft() is None  # not on the privacy screen either
    session.sign_in(NURSE, Role.NURSE)
    assert session.current_draft() is None
    assert session.drafts.draft_for(NURSE) is None


def test_a_draft_survives_the_end_of_the_session_for_its_author_only(
    session: CartSession, clock: FakeClock
) -> None:
    session.save_draft(DRAFT)
    clock.now = T0 + POLICY.end_after
    session.tick()
    assert session.current_draft() is None
    session.sign_in(NURSE, Role.NURSE)
    assert session.current_draft() is None
    session.sign_out()
    session.sign_in(TECH, Role.TECHNICIAN)
    assert session.current_draft() == DRAFT


def test_the_draft_is_hidden_once_idle_even_before_the_tick(
    session: CartSession, clock: FakeClock
) -> None:
    session.save_draft(DRAFT)
    clock.now = T0 + POLICY.lock_after
    assert session.current_draft() is None


def test_a_draft_is_a_copy(session: CartSession) -> None:
    draft = {"tags": ["a"]}
    session.save_draft(draft)
    draft["tags"].append("changed later")
    shown = session.current_draft()
    assert shown == {"tags": ["a"]}
    assert shown is not None
    shown["tags"].append("changed by the screen")
    assert session.current_draft() == {"tags": ["a"]}


def test_no_draft_without_an_author(clock: FakeClock) -> None:
    cart = CartSession(clock, POLICY)
    with pytest.raises(SessionError, match="author"):
        cart.save_draft(DRAFT)
    assert cart.current_draft() is None


def test_discarded_after_the_report_was_saved(session: CartSession) -> None:
    session.save_draft(DRAFT)
    session.discard_draft()
    assert session.current_draft() is None


def test_old_drafts_are_dropped(clock: FakeClock) -> None:
    book = DraftBook(clock, max_age=timedelta(hours=8))
    book.save_draft(TECH, DRAFT)
    clock.advance(3600)
    book.save_draft(NURSE, {"category": "network"})
    clock.now = T0 + timedelta(hours=8) - TINY
    assert book.draft_for(TECH) == DRAFT
    clock.now = T0 + timedelta(hours=8)
    assert book.draft_for(TECH) is None
    assert book.draft_for(NURSE) == {"category": "network"}
    clock.advance(3600)
    assert book.drop_expired() == 1
    assert book.draft_for(NURSE) is None


def test_policy_needs_end_after_longer_than_lock_after() -> None:
    with pytest.raises(ValueError, match="lock_after < end_after"):
        SessionPolicy(timedelta(seconds=600), timedelta(seconds=600))
