"""The technician repository on a real migrated SQLite file: a PIN is stored only as a salted
hash, checks count wrong PINs and lock the account (also when checks race), a lock-out ends after
its time, a duplicate is refused without a write, and the audit names outcomes, never the PIN."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cowapp import paths
from cowapp.domain.errors import ValidationError
from cowapp.domain.session import CartSession, Role, SessionPolicy
from cowapp.domain.technician import (
    LockoutPolicy,
    PinCheck,
    PinHash,
    PinOutcome,
    TechnicianExistsError,
)
from cowapp.storage import audit
from cowapp.storage.db import Database
from cowapp.storage.errors import NotFoundError
from cowapp.storage.migrate import open_database
from cowapp.storage.technician_store import TechnicianStore
from tests.helpers_schema import column_names, downgrade
from tests.integration.sync_helpers import FakeClock

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
TECH = "T2041"
PIN = "73915846"
WRONG = "55173902"
ADMIN = "100200"


@pytest.fixture
def technicians(db: Database) -> TechnicianStore:
    """The repository with one technician, T2041, provisioned at T0."""
    store = TechnicianStore(db, LockoutPolicy(max_attempts=5, lockout_minutes=15))
    store.add(TECH, PIN, T0, ADMIN)
    return store


def audit_lines(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as session:
        return [(e.actor, e.action, e.detail) for e in audit.entries(session)]


def stored_row(db: Database) -> tuple[str, int, str | None, int]:
    connection = sqlite3.connect(db.path)
    try:
        row: tuple[str, int, str | None, int] = connection.execute(
            "SELECT pin_hash, failed_attempts, locked_until, active FROM technicians"
        ).fetchone()
        return row
    finally:
        connection.close()


def test_add_stores_only_a_salted_hash_and_audits_who_added(
    technicians: TechnicianStore, db: Database
) -> None:
    pin_hash, failed, locked, active = stored_row(db)
    assert pin_hash.startswith("$scrypt$n=16384,r=8,p=1$") and PIN not in pin_hash
    assert PinHash.decode(pin_hash).salt  # decodes: algorithm and parameters are there
    assert (failed, locked, active) == (0, None, 1)
    assert audit_lines(db) == [(ADMIN, "technician.added", f"staff_id={TECH};role=technician")]
    [technician] = technicians.list()
    assert (technician.staff_id, technician.active, technician.created_at) == (TECH, True, T0)


def test_right_pin_signs_in(technicians: TechnicianStore, db: Database) -> None:
    assert technicians.verify(TECH, PIN, T0) == PinCheck(PinOutcome.OK, role=Role.TECHNICIAN)
    assert audit_lines(db)[-1] == (TECH, "technician.signed_in", "")


def test_wrong_pins_count_down_lock_out_and_the_lock_ends_after_its_time(
    technicians: TechnicianStore, db: Database
) -> None:
    results = [technicians.verify(TECH, WRONG, T0 + timedelta(seconds=i)) for i in range(5)]
    assert [r.attempts_left for r in results[:4]] == [4, 3, 2, 1]
    until = T0 + timedelta(seconds=4, minutes=15)
    assert results[4] == PinCheck(PinOutcome.LOCKED, 0, until)
    assert technicians.verify(TECH, PIN, until - timedelta(seconds=1)).outcome is PinOutcome.LOCKED
    technician = technicians.get(TECH)
    assert technician is not None and technician.locked_at(until - timedelta(seconds=1)) == until
    assert technicians.verify(TECH, PIN, until) == PinCheck(PinOutcome.OK, role=Role.TECHNICIAN)
    assert stored_row(db)[1:3] == (0, None)
    actions = Counter(action for _, action, _ in audit_lines(db))
    assert actions["technician.locked_out"] == 1
    assert actions["technician.pin_failed"] == 6  # five wrong, one while locked
    assert (TECH, "technician.locked_out", f"until={until.isoformat()}") in audit_lines(db)


def test_a_right_pin_resets_the_count(technicians: TechnicianStore) -> None:
    for _ in range(4):
        technicians.verify(TECH, WRONG, T0)
    assert technicians.verify(TECH, PIN, T0).outcome is PinOutcome.OK
    assert technicians.verify(TECH, WRONG, T0).attempts_left == 4


def test_unknown_and_deactivated_technicians_do_not_sign_in(
    technicians: TechnicianStore, db: Database
) -> None:
    assert technicians.verify("T9999", PIN, T0) == PinCheck(PinOutcome.UNKNOWN)
    assert technicians.deactivate(TECH, T0, ADMIN) is True
    assert technicians.deactivate(TECH, T0, ADMIN) is False
    assert technicians.verify(TECH, PIN, T0) == PinCheck(PinOutcome.UNKNOWN)
    assert audit_lines(db)[-3:] == [
        ("T9999", "technician.pin_failed", "reason=unknown"),
        (ADMIN, "technician.deactivated", f"staff_id={TECH}"),
        (TECH, "technician.pin_failed", "reason=unknown"),
    ]
    with pytest.raises(NotFoundError, match="no technician T9999"):
        technicians.deactivate("T9999", T0, ADMIN)


def test_duplicate_is_refused_and_nothing_is_written(
    technicians: TechnicianStore, db: Database
) -> None:
    before = (stored_row(db), audit_lines(db))
    with pytest.raises(TechnicianExistsError, match="T2041 already exists") as refused:
        technicians.add(TECH, "48213907", T0, ADMIN)
    assert refused.value.field == "staff_id"
    assert (stored_row(db), audit_lines(db)) == before
    assert technicians.verify(TECH, PIN, T0).outcome is PinOutcome.OK  # the old PIN still works


@pytest.mark.parametrize(
    ("staff_id", "pin", "field"),
    [("x", PIN, "staff_id"), ("T7", PIN, "staff_id"), ("T2042", "1234", "pin")],
)
def test_bad_input_is_refused_before_any_write(
    db: Database, staff_id: str, pin: str, field: str
) -> None:
    store = TechnicianStore(db)
    with pytest.raises(ValidationError) as refused:
        store.add(staff_id, pin, T0, ADMIN)
    assert refused.value.field == field
    assert store.list() == [] and audit_lines(db) == []


def test_the_audit_and_the_database_never_hold_the_pin(
    technicians: TechnicianStore, db: Database
) -> None:
    technicians.verify(TECH, PIN, T0)
    for _ in range(5):
        technicians.verify(TECH, WRONG, T0)
    technicians.verify(TECH, WRONG, T0)
    for actor, action, detail in audit_lines(db):
        assert PIN not in actor + action + detail and WRONG not in actor + action + detail
    db.dispose()  # checkpoint the WAL into the file
    data = b"".join(p.read_bytes() for p in Path(db.path).parent.glob("cowapp.db*"))
    for secret in (PIN, WRONG):
        assert secret.encode() not in data
        assert secret.encode("utf-16-le") not in data


def test_a_stored_hash_with_old_parameters_is_replaced_on_sign_in(
    technicians: TechnicianStore, db: Database
) -> None:
    salt = bytes(range(16))
    digest = hashlib.scrypt(PIN.encode(), salt=salt, n=2**12, r=8, p=1, dklen=32)
    connection = sqlite3.connect(db.path)
    with connection:
        weaker = PinHash("scrypt", 2**12, 8, 1, salt, digest).encode()
        connection.execute("UPDATE technicians SET pin_hash = ?", (weaker,))
    connection.close()
    assert technicians.verify(TECH, PIN, T0).outcome is PinOutcome.OK
    assert stored_row(db)[0].startswith("$scrypt$n=16384,")
    assert technicians.verify(TECH, PIN, T0).outcome is PinOutcome.OK


def test_concurrent_wrong_pins_are_all_counted(technicians: TechnicianStore, db: Database) -> None:
    """Eight checks at once, each on its own connection pool (as separate processes would be):
    exactly four WRONG with 4, 3, 2, 1 left, one that locks, three refused while locked."""
    results: list[PinCheck] = []
    start = threading.Barrier(8)
    lock = threading.Lock()

    def check() -> None:
        own = Database(db.path)
        try:
            store = TechnicianStore(own, LockoutPolicy(5, 15))
            start.wait()
            result = store.verify(TECH, WRONG, T0)
            with lock:
                results.append(result)
        finally:
            own.dispose()

    threads = [threading.Thread(target=check) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    wrong = [r.attempts_left for r in results if r.outcome is PinOutcome.WRONG_PIN]
    assert sorted(wrong, key=lambda left: left or 0) == [1, 2, 3, 4]
    locked = [r for r in results if r.outcome is PinOutcome.LOCKED]
    assert len(locked) == 4 and {r.locked_until for r in locked} == {T0 + timedelta(minutes=15)}
    assert stored_row(db)[1] == 5
    assert Counter(a for _, a, _ in audit_lines(db))["technician.locked_out"] == 1


def test_session_events_go_to_the_audit_log(technicians: TechnicianStore, db: Database) -> None:
    clock = FakeClock(T0)
    cart = CartSession(clock, SessionPolicy())
    events = cart.sign_in(TECH, Role.TECHNICIAN)
    events += cart.lock()
    clock.advance(600)
    events += cart.tick()
    technicians.record_session_events(events)
    assert audit_lines(db)[-3:] == [
        (TECH, "session.signed_in", "role=technician"),
        (TECH, "session.locked", "role=technician;reason=tap"),
        (TECH, "session.ended", "role=technician;reason=idle"),
    ]
    with db.read() as session:
        assert audit.verify(session)[1] is None


def test_a_manager_account_signs_in_with_its_role(
    technicians: TechnicianStore, db: Database
) -> None:
    technicians.add("M3001", PIN, T0, ADMIN, role="manager")
    assert technicians.verify("M3001", PIN, T0).role is Role.MANAGER
    assert technicians.verify(TECH, PIN, T0).role is Role.TECHNICIAN
    assert technicians.verify("M3001", WRONG, T0).role is None, "a role only with a right PIN"
    assert technicians.get("M3001").role is Role.MANAGER  # type: ignore[union-attr]
    assert audit_lines(db)[1] == (ADMIN, "technician.added", "staff_id=M3001;role=manager")


def test_only_technician_and_manager_are_roles_of_a_pin_account(
    technicians: TechnicianStore,
) -> None:
    for role in ("nurse", "admin", ""):
        with pytest.raises(ValidationError) as refused:
            technicians.add("M3001", PIN, T0, ADMIN, role=role)
        assert refused.value.field == "role"
    assert technicians.get("M3001") is None


def test_accounts_from_before_roles_are_technicians_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "cowapp.db"
    opened = open_database(path, paths.migrations_dir())
    TechnicianStore(opened.db).add(TECH, PIN, T0, ADMIN)
    downgrade(opened.db, "3b7e1c9a5f20")  # the schema before roles, with its row
    columns = column_names(path, "technicians")
    assert "role" not in columns
    upgraded = open_database(path, paths.migrations_dir())
    try:
        store = TechnicianStore(upgraded.db)
        assert store.get(TECH).role is Role.TECHNICIAN  # type: ignore[union-attr]
        assert store.verify(TECH, PIN, T0).role is Role.TECHNICIAN
    finally:
        upgraded.db.dispose()
