"""Technician PINs: what a PIN may be, how it is hashed and checked, and when an account locks.

A technician signs in on the shared cart with their staff number and a personal PIN of 4 to 8
digits. The PIN is kept only as a salted scrypt hash whose algorithm and cost parameters are
stored with it (``$scrypt$n=16384,r=8,p=1$<salt>$<hash>``), so the cost can be raised later and
old hashes still verify (`needs_rehash` says when to store a fresh one). `LockoutPolicy` is the
lock-out rule as a pure function over (failed attempts, locked until, now): after ``max_attempts``
consecutive wrong PINs the account is locked for ``lockout_minutes``; a right PIN resets the count.
"""

from __future__ import annotations

import base64
import binascii
import enum
import functools
import hashlib
import hmac
import itertools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from cowapp.domain.errors import ValidationError
from cowapp.domain.session import Role

PIN_PATTERN = re.compile(r"[0-9]{4,8}")  # ASCII digits only: no look-alike Unicode digits
# Guessed first; refused besides every same-digit PIN and every straight run up or down.
COMMON_PINS = frozenset(
    {"1212", "1122", "1313", "2000", "2580", "0852", "1004", "6969", "1010", "112233", "121212"}
)
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN, SALT_BYTES = 2**14, 8, 1, 32, 16
_MAX_N = 2**20  # refuse absurd stored costs (a damaged row) rather than exhaust memory


class TechnicianExistsError(ValidationError):
    """A technician with this staff number is already provisioned on the cart."""


def check_pin(pin: str, staff_id: str = "") -> str:
    """A PIN a technician may choose: 4 to 8 digits, not trivial, not taken from the staff number.

    Raises:
        ValidationError: with ``field="pin"``, saying what to choose instead.
    """
    if not PIN_PATTERN.fullmatch(pin):
        raise ValidationError("the PIN must be 4 to 8 digits (0-9), nothing else", "pin")
    if _is_trivial(pin):
        raise ValidationError(
            "this PIN is too easy to guess (repeated digits, a run like 1234, or a common PIN); "
            "choose another",
            "pin",
        )
    if pin in "".join(c for c in staff_id if c.isdigit()):
        raise ValidationError("the PIN must not be (part of) the staff number", "pin")
    return pin


PIN_ROLES = (Role.TECHNICIAN, Role.MANAGER)
"""The roles an account with a PIN can have (a nurse signs in with her badge, no account)."""


def check_account_role(role: str) -> Role:
    """The role of a PIN account: ``technician`` (the default) or ``manager``.

    Raises:
        ValidationError: with ``field="role"`` for anything else.
    """
    try:
        found = Role(role.strip().lower())
    except ValueError:
        found = Role.NURSE
    if found not in PIN_ROLES:
        names = " or ".join(r.value for r in PIN_ROLES)
        raise ValidationError(f"the role must be {names}, not {role!r}", "role")
    return found


def _is_trivial(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    # {0}: 0000; {1}: 1234, 7890; {9}: 4321, 0987 (mod 10, so runs that wrap count as well).
    return pin in COMMON_PINS or steps in ({0}, {1}, {9})


@dataclass(frozen=True)
class PinHash:
    """A stored PIN hash with everything needed to check it again.

    Attributes:
        algorithm: ``scrypt`` (the only one so far).
        n: scrypt CPU/memory cost.
        r: scrypt block size.
        p: scrypt parallelism.
        salt: random bytes, unique per hash.
        digest: the derived key.
    """

    algorithm: str
    n: int
    r: int
    p: int
    salt: bytes = field(repr=False)  # never in a log line by accident
    digest: bytes = field(repr=False)

    def encode(self) -> str:
        """The text form kept in the database."""
        salt, digest = (base64.b64encode(b).decode("ascii") for b in (self.salt, self.digest))
        return f"${self.algorithm}$n={self.n},r={self.r},p={self.p}${salt}${digest}"

    @classmethod
    def decode(cls, text: str) -> PinHash:
        """Read `encode`'s text form back.

        Raises:
            ValueError: the text is not a PIN hash this version understands.
        """
        try:
            _, algorithm, params, salt, digest = text.split("$")
            values = dict(item.split("=", 1) for item in params.split(","))
            found = cls(
                algorithm,
                int(values["n"]),
                int(values["r"]),
                int(values["p"]),
                base64.b64decode(salt, validate=True),
                base64.b64decode(digest, validate=True),
            )
        except (ValueError, KeyError, binascii.Error):
            raise ValueError("the stored PIN hash is not in a known format") from None
        costs_ok = 1 < found.n <= _MAX_N and 1 <= found.r <= 32 and 1 <= found.p <= 16
        if found.algorithm != "scrypt" or not costs_ok or not found.digest:
            raise ValueError(f"unsupported PIN hash ({found.algorithm}, {params})")
        return found


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=256 * n * r * p
    )


def hash_pin(pin: str) -> PinHash:
    """Hash a PIN with a fresh random salt and the current parameters (takes ~50 ms on purpose)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN)
    return PinHash("scrypt", SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest)


def verify_pin(pin: str, stored: PinHash) -> bool:
    """Whether ``pin`` matches ``stored`` (compared in constant time)."""
    candidate = _derive(pin, stored.salt, stored.n, stored.r, stored.p, len(stored.digest))
    return hmac.compare_digest(candidate, stored.digest)


def needs_rehash(stored: PinHash) -> bool:
    """Whether ``stored`` was made with other parameters than `hash_pin` uses now."""
    current = (SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN, SALT_BYTES)
    return (stored.n, stored.r, stored.p, len(stored.digest), len(stored.salt)) != current


@functools.cache
def dummy_hash() -> PinHash:
    """A hash no PIN is known for: checked against for unknown staff numbers, so the time a
    check takes does not tell whether the staff number is a technician."""
    return hash_pin(secrets.token_hex(8))


class PinOutcome(enum.StrEnum):
    """The answer to a PIN check."""

    OK = "ok"
    WRONG_PIN = "wrong_pin"
    LOCKED = "locked"
    UNKNOWN = "unknown"  # no active technician with this staff number (show it as WRONG_PIN)


@dataclass(frozen=True)
class PinCheck:
    """A PIN check's result.

    Attributes:
        outcome: what happened.
        attempts_left: with WRONG_PIN, how many more wrong PINs lock the account.
        locked_until: with LOCKED, when the account can be tried again.
        role: with OK, the account's role (technician or manager).
    """

    outcome: PinOutcome
    attempts_left: int | None = None
    locked_until: datetime | None = None
    role: Role | None = None


@dataclass(frozen=True)
class AttemptState:
    """An account's lock-out counters as stored.

    Attributes:
        failed_attempts: consecutive wrong PINs since the last success or lock-out.
        locked_until: the end of the current (or a past) lock-out, or None.
    """

    failed_attempts: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class LockoutPolicy:
    """The lock-out rule.

    Attributes:
        max_attempts: consecutive wrong PINs that lock the account.
        lockout_minutes: how long a lock-out lasts.
    """

    max_attempts: int = 5
    lockout_minutes: int = 15

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.lockout_minutes < 1:
            raise ValueError("max_attempts and lockout_minutes must be 1 or more")

    def current(self, state: AttemptState, now: datetime) -> AttemptState:
        """The state at ``now``: an expired lock-out is over and starts a fresh count."""
        if state.locked_until is not None and now >= state.locked_until:
            return AttemptState()
        return state

    def is_locked(self, state: AttemptState, now: datetime) -> bool:
        """Whether the account is locked at ``now`` (no PIN is checked then)."""
        return state.locked_until is not None and now < state.locked_until

    def attempt(
        self, state: AttemptState, now: datetime, pin_matches: Callable[[], bool]
    ) -> tuple[AttemptState, PinCheck]:
        """One sign-in attempt: LOCKED without checking the PIN while locked, else `record`.

        Args:
            state: the stored counters.
            now: the device time of the attempt.
            pin_matches: checks the PIN (called only when the account is not locked).

        Returns:
            The state to store (unchanged while locked) and the result to show.
        """
        state = self.current(state, now)
        if self.is_locked(state, now):
            return state, PinCheck(PinOutcome.LOCKED, 0, state.locked_until)
        return self.record(state, pin_matches(), now)

    def record(
        self, state: AttemptState, pin_ok: bool, now: datetime
    ) -> tuple[AttemptState, PinCheck]:
        """Apply one checked PIN to an account that is not locked at ``now``.

        Returns:
            The new state to store and the result to show.
        """
        state = self.current(state, now)
        if self.is_locked(state, now):
            raise ValueError("a locked account's PIN must not be checked")
        if pin_ok:
            return AttemptState(), PinCheck(PinOutcome.OK)
        failed = state.failed_attempts + 1
        if failed >= self.max_attempts:
            until = now + timedelta(minutes=self.lockout_minutes)
            return AttemptState(failed, until), PinCheck(PinOutcome.LOCKED, 0, until)
        left = self.max_attempts - failed
        return replace(state, failed_attempts=failed), PinCheck(PinOutcome.WRONG_PIN, left)


@dataclass(frozen=True)
class Technician:
    """A provisioned PIN account, technician or manager (never with the PIN hash).

    Attributes:
        staff_id: the staff number.
        created_at: when the PIN was provisioned.
        active: False once deactivated (the PIN no longer signs in).
        failed_attempts: consecutive wrong PINs.
        locked_until: the end of a lock-out, or None.
        has_pin: False for one provisioned without a PIN (cannot sign in until one is set).
        role: technician (queue, bedside actions and the dashboard) or manager (the dashboard
            only, read-only).
    """

    staff_id: str
    created_at: datetime
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    has_pin: bool = True
    role: Role = Role.TECHNICIAN

    def locked_at(self, now: datetime) -> datetime | None:
        """The end of the lock-out in force at ``now``, or None when not locked."""
        return self.locked_until if self.locked_until and now < self.locked_until else None
