"""Technician PINs: only non-trivial 4-8 digit PINs are accepted; the stored hash is salted
scrypt with its parameters, verifies only the right PIN; five wrong PINs lock for 15 minutes and
a right one resets the count."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from cowapp.domain.errors import ValidationError
from cowapp.domain.session import Role
from cowapp.domain.technician import (
    AttemptState,
    LockoutPolicy,
    PinCheck,
    PinHash,
    PinOutcome,
    check_account_role,
    check_pin,
    hash_pin,
    needs_rehash,
    verify_pin,
)

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
PIN = "73915846"


# -- which PINs may be chosen ---------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["4821", "73915846", "0472", "905316"])
def test_ordinary_pins_are_accepted(pin: str) -> None:
    assert check_pin(pin, "T2041") == pin


@pytest.mark.parametrize(
    ("pin", "fragment"),
    [
        ("", "4 to 8 digits"),
        ("482", "4 to 8 digits"),
        ("482193705", "4 to 8 digits"),
        ("48a1", "4 to 8 digits"),
        (" 4821", "4 to 8 digits"),
        ("٤٨٢١", "4 to 8 digits"),  # Arabic-Indic digits look like digits to str.isdigit()
        ("0000", "too easy"),
        ("1111", "too easy"),
        ("99999999", "too easy"),
        ("1234", "too easy"),
        ("12345678", "too easy"),
        ("4321", "too easy"),
        ("7890", "too easy"),
        ("0987", "too easy"),
        ("2580", "too easy"),
        ("1212", "too easy"),
        ("2041", "staff number"),
    ],
)
def test_bad_and_trivial_pins_are_refused_naming_the_pin(pin: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment) as refused:
        check_pin(pin, "T2041")
    assert refused.value.field == "pin"


# -- hashing ------------------------------------------------------------------------------------


def test_hash_is_salted_scrypt_with_its_parameters_stored() -> None:
    stored = hash_pin(PIN)
    text = stored.encode()
    assert text.startswith("$scrypt$n=16384,r=8,p=1$")
    assert PIN not in text
    assert repr(stored.salt) not in repr(stored) and repr(stored.digest) not in repr(stored)
    decoded = PinHash.decode(text)
    assert decoded == stored
    assert (len(decoded.salt), len(decoded.digest)) == (16, 32)
    expected = hashlib.scrypt(PIN.encode(), salt=decoded.salt, n=2**14, r=8, p=1, dklen=32)
    assert decoded.digest == expected


def test_same_pin_twice_gives_different_hashes() -> None:
    assert hash_pin(PIN).encode() != hash_pin(PIN).encode()


def test_only_the_right_pin_verifies() -> None:
    stored = PinHash.decode(hash_pin(PIN).encode())
    assert verify_pin(PIN, stored)
    assert not verify_pin("73915847", stored)
    assert not verify_pin(PIN[:-1], stored)
    assert not verify_pin("", stored)


def test_a_hash_made_with_older_parameters_still_verifies_and_asks_for_a_rehash() -> None:
    salt = bytes(range(16))
    digest = hashlib.scrypt(PIN.encode(), salt=salt, n=2**12, r=8, p=1, dklen=32)
    old = PinHash.decode(PinHash("scrypt", 2**12, 8, 1, salt, digest).encode())
    assert verify_pin(PIN, old)
    assert needs_rehash(old)
    assert not needs_rehash(hash_pin(PIN))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "4821",
        "$bcrypt$n=16384,r=8,p=1$AAAA$AAAA",
        "$scrypt$n=16384,r=8$AAAA$AAAA",
        "$scrypt$n=16384,r=8,p=1$!!!$AAAA",
        "$scrypt$n=1073741824,r=8,p=1$AAAA$AAAA",
        "$scrypt$n=16384,r=100000,p=1$AAAA$AAAA",
    ],
)
def test_unknown_hash_formats_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="PIN hash"):
        PinHash.decode(text)


# -- lock-out -----------------------------------------------------------------------------------

POLICY = LockoutPolicy(max_attempts=5, lockout_minutes=15)


def fail(state: AttemptState, at: datetime) -> tuple[AttemptState, PinCheck]:
    return POLICY.attempt(state, at, lambda: False)


def test_wrong_pins_count_down_then_lock_for_the_configured_time() -> None:
    state = AttemptState()
    for left in (4, 3, 2, 1):
        state, result = fail(state, T0)
        assert result == PinCheck(PinOutcome.WRONG_PIN, attempts_left=left)
    state, result = fail(state, T0 + timedelta(seconds=30))
    until = T0 + timedelta(seconds=30, minutes=15)
    assert result == PinCheck(PinOutcome.LOCKED, 0, until)
    assert state == AttemptState(5, until)


def test_while_locked_the_pin_is_not_even_checked() -> None:
    until = T0 + timedelta(minutes=15)
    locked = AttemptState(5, until)

    def must_not_be_called() -> bool:
        raise AssertionError("the PIN was checked during a lock-out")

    just_before = until - timedelta(microseconds=1)
    state, result = POLICY.attempt(locked, just_before, must_not_be_called)
    assert result == PinCheck(PinOutcome.LOCKED, 0, until)
    assert state == locked
    assert POLICY.is_locked(locked, just_before)
    assert not POLICY.is_locked(locked, until)


def test_after_the_lockout_the_right_pin_works_and_a_wrong_one_starts_a_fresh_count() -> None:
    until = T0 + timedelta(minutes=15)
    locked = AttemptState(5, until)
    state, result = POLICY.attempt(locked, until, lambda: True)
    assert (state, result) == (AttemptState(), PinCheck(PinOutcome.OK))
    state, result = fail(locked, until)
    assert state == AttemptState(1, None)
    assert result.attempts_left == 4


def test_a_right_pin_resets_the_count() -> None:
    state, _ = fail(AttemptState(), T0)
    state, _ = fail(state, T0)
    state, result = POLICY.attempt(state, T0, lambda: True)
    assert (state, result.outcome) == (AttemptState(), PinOutcome.OK)
    for _ in range(4):
        state, result = fail(state, T0)
    assert result.outcome is PinOutcome.WRONG_PIN  # four, not six, in a row


def test_other_limits_are_honoured() -> None:
    policy = LockoutPolicy(max_attempts=3, lockout_minutes=1)
    state = AttemptState()
    for _ in range(3):
        state, result = policy.attempt(state, T0, lambda: False)
    assert result == PinCheck(PinOutcome.LOCKED, 0, T0 + timedelta(minutes=1))
    with pytest.raises(ValueError, match="1 or more"):
        LockoutPolicy(max_attempts=0)


def test_a_pin_account_is_a_technician_or_a_manager() -> None:
    assert check_account_role("technician") is Role.TECHNICIAN
    assert check_account_role(" Manager ") is Role.MANAGER
    for role in ("nurse", "admin", ""):
        with pytest.raises(ValidationError) as refused:
            check_account_role(role)
        assert refused.value.field == "role"
    assert Role.MANAGER.uses_pin and Role.TECHNICIAN.uses_pin and not Role.NURSE.uses_pin
