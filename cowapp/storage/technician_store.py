"""The technician repository: provisioning, PIN checks with lock-out, and the session audit.

A PIN check reads the account, checks the PIN and stores the new lock-out counters in ONE
``BEGIN IMMEDIATE`` transaction, so two checks at the same moment (two processes, or the screen
and ``cowapp technician check``) queue up and every wrong PIN is counted. Audit entries name the
staff number and the outcome, never the PIN or its hash. The PIN's hash is computed outside the
transaction when provisioning; a check must hash inside it (~50 ms), which is what keeps it exact.
A technician listed in a provisioning file is added without a PIN (stored as `NO_PIN`, which no
PIN matches) and signs in only after ``cowapp technician set-pin``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import check_staff_number
from cowapp.domain.session import Role, SessionEvent
from cowapp.domain.technician import (
    AttemptState,
    LockoutPolicy,
    PinCheck,
    PinHash,
    PinOutcome,
    Technician,
    TechnicianExistsError,
    check_account_role,
    check_pin,
    dummy_hash,
    hash_pin,
    needs_rehash,
    verify_pin,
)
from cowapp.storage import audit
from cowapp.storage.db import Database
from cowapp.storage.errors import NotFoundError
from cowapp.storage.models import TechnicianRow

log = logging.getLogger(__name__)

NO_PIN = ""
"""The stored hash of a technician provisioned without a PIN: no PIN verifies against it."""


class TechnicianStore:
    """Technicians on the cart.

    Args:
        db: the cart's database.
        policy: the lock-out rule (from config.toml ``[session]``).
    """

    def __init__(self, db: Database, policy: LockoutPolicy | None = None) -> None:
        self._db = db
        self._policy = policy or LockoutPolicy()

    def add(
        self, staff_id: str, pin: str, now: datetime, actor: str, role: str = Role.TECHNICIAN
    ) -> Technician:
        """Provision a technician (or a manager) with a PIN (checked by `check_pin`, stored
        only hashed).

        Raises:
            ValidationError: a bad staff number, PIN or role (nothing is written).
            TechnicianExistsError: the staff number is already provisioned (nothing is written).
        """
        staff_id = check_staff_number(staff_id, "staff_id")
        account_role = check_account_role(role)
        encoded = hash_pin(check_pin(pin, staff_id)).encode()
        try:
            with self._db.write("adding the technician") as session:
                existing = session.get(TechnicianRow, staff_id)
                if existing is not None:
                    raise _exists(staff_id, existing.active)
                row = _new_row(staff_id, encoded, now, account_role.value)
                session.add(row)
                session.flush()
                detail = f"staff_id={staff_id};role={account_role.value}"
                audit.append(session, now, actor, "technician.added", None, detail)
                return _technician(row)
        except IntegrityError as error:  # another process added the same one a moment ago
            raise _exists(staff_id, True) from error

    def add_without_pin(self, staff_ids: Iterable[str], now: datetime, actor: str) -> list[str]:
        """Provision technicians who set their own PIN later, in ONE transaction; staff numbers
        already on the cart are left as they are. Returns the staff numbers added.

        Raises:
            ValidationError: a bad staff number (nothing is written).
        """
        wanted = list(dict.fromkeys(check_staff_number(s, "staff_id") for s in staff_ids))
        added = []
        with self._db.write("adding technicians") as session:
            for staff_id in wanted:
                if session.get(TechnicianRow, staff_id) is not None:
                    continue
                session.add(_new_row(staff_id, NO_PIN, now))
                session.flush()
                detail = f"staff_id={staff_id} pin=none"
                audit.append(session, now, actor, "technician.added", None, detail)
                added.append(staff_id)
        return added

    def set_pin(self, staff_id: str, pin: str, now: datetime, actor: str) -> None:
        """Set (or replace) an active technician's PIN and clear a lock-out, audited.

        Raises:
            ValidationError: a bad staff number or PIN (nothing is written).
            NotFoundError: no active technician with this staff number.
        """
        staff_id = check_staff_number(staff_id, "staff_id")
        encoded = hash_pin(check_pin(pin, staff_id)).encode()
        with self._db.write("setting the PIN") as session:
            row = session.get(TechnicianRow, staff_id)
            if row is None or not row.active:
                raise NotFoundError(
                    f"no active technician {staff_id} on this cart: add one with "
                    "`cowapp technician add` (nothing was changed)"
                )
            row.pin_hash, row.failed_attempts, row.locked_until = encoded, 0, None
            audit.append(session, now, actor, "technician.pin_set", None, f"staff_id={staff_id}")

    def verify(self, staff_id: str, pin: str, now: datetime) -> PinCheck:
        """Check a technician's PIN and update the lock-out counters, audited, atomically.

        Returns:
            OK with the account's role; WRONG_PIN with the attempts left; LOCKED with the end of
            the lock-out (the PIN is not checked while locked); UNKNOWN for a staff number that
            is not an active technician (a screen should say the same as for a wrong PIN).

        Raises:
            ValidationError: ``staff_id`` is not a staff number.
        """
        staff_id = check_staff_number(staff_id, "staff_id")
        with self._db.write("checking the PIN") as session:
            row = session.get(TechnicianRow, staff_id)
            if row is None or not row.active or row.pin_hash == NO_PIN:
                verify_pin(pin, dummy_hash())  # same time as a real check: no hint who exists
                detail = "reason=unknown" if row is None or not row.active else "reason=no_pin"
                audit.append(session, now, staff_id, "technician.pin_failed", None, detail)
                return PinCheck(PinOutcome.UNKNOWN)
            stored = PinHash.decode(row.pin_hash)
            before = AttemptState(row.failed_attempts, row.locked_until)
            after, result = self._policy.attempt(before, now, lambda: verify_pin(pin, stored))
            row.failed_attempts, row.locked_until = after.failed_attempts, after.locked_until
            if result.outcome is PinOutcome.OK and needs_rehash(stored):
                row.pin_hash = hash_pin(pin).encode()  # parameters changed since it was stored
            _audit_check(session, staff_id, now, result, fresh_lock=before != after)
            if result.outcome is PinOutcome.OK:
                return PinCheck(PinOutcome.OK, role=_role(row.role))
            return result

    def get(self, staff_id: str) -> Technician | None:
        """One technician (active or not), or None."""
        with self._db.read() as session:
            row = session.get(TechnicianRow, staff_id.strip())
            return _technician(row) if row is not None else None

    def list(self) -> list[Technician]:
        """Every technician ever provisioned on this cart, by staff number."""
        with self._db.read() as session:
            rows = session.scalars(select(TechnicianRow).order_by(TechnicianRow.staff_id))
            return [_technician(row) for row in rows]

    def deactivate(self, staff_id: str, now: datetime, actor: str) -> bool:
        """Stop a technician's PIN from signing in; return False when it already was inactive.

        Raises:
            NotFoundError: no such technician.
        """
        with self._db.write("deactivating the technician") as session:
            row = session.get(TechnicianRow, staff_id.strip())
            if row is None:
                raise NotFoundError(f"no technician {staff_id.strip()} on this cart")
            if not row.active:
                return False
            row.active = False
            detail = f"staff_id={row.staff_id}"
            audit.append(session, now, actor, "technician.deactivated", None, detail)
            return True

    def record_session_events(self, events: Iterable[SessionEvent]) -> None:
        """Write a `CartSession`'s events to the audit log in one transaction."""
        events = tuple(events)
        if not events:
            return
        with self._db.write("recording the session") as session:
            for event in events:
                audit.append(session, event.at, event.user, event.action, None, event.detail)


def _audit_check(
    session: Session, staff_id: str, now: datetime, result: PinCheck, fresh_lock: bool
) -> None:
    if result.outcome is PinOutcome.OK:
        audit.append(session, now, staff_id, "technician.signed_in")
    elif result.outcome is PinOutcome.WRONG_PIN:
        detail = f"attempts_left={result.attempts_left}"
        audit.append(session, now, staff_id, "technician.pin_failed", None, detail)
    elif fresh_lock:
        assert result.locked_until is not None
        until = result.locked_until.isoformat()
        audit.append(session, now, staff_id, "technician.pin_failed", None, "attempts_left=0")
        audit.append(session, now, staff_id, "technician.locked_out", None, f"until={until}")
        log.warning("technician %s locked out until %s after wrong PINs", staff_id, until)
    else:
        audit.append(session, now, staff_id, "technician.pin_failed", None, "reason=locked")


def _exists(staff_id: str, active: bool) -> TechnicianExistsError:
    state = "" if active else " (deactivated)"
    return TechnicianExistsError(
        f"technician {staff_id} already exists on this cart{state}; nothing was changed",
        "staff_id",
    )


def _new_row(
    staff_id: str, pin_hash: str, now: datetime, role: str = Role.TECHNICIAN.value
) -> TechnicianRow:
    return TechnicianRow(
        staff_id=staff_id,
        pin_hash=pin_hash,
        created_at=now,
        failed_attempts=0,
        locked_until=None,
        active=True,
        role=role,
    )


def _technician(row: TechnicianRow) -> Technician:
    return Technician(
        staff_id=row.staff_id,
        created_at=row.created_at,
        active=row.active,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        has_pin=row.pin_hash != NO_PIN,
        role=_role(row.role),
    )


def _role(stored: str) -> Role:
    """A stored role; anything unknown (a damaged row) gets the least access of a PIN account:
    the manager's read-only dashboard, never a technician's queue."""
    try:
        return check_account_role(stored)
    except ValidationError:
        log.warning("technician row with unknown role %r; treated as manager", stored)
        return Role.MANAGER
