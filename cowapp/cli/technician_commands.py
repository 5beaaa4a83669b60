"""``cowapp technician add|list|check|deactivate|set-pin``: technician PINs from the shell.

``add --role manager`` provisions a manager instead: the same PIN rules and sign-in page, but
the cart then shows only the read-only dashboard.

The PIN is read from standard input only, never from arguments (they show up in the shell
history and the process list): typed twice, hidden, at a terminal; one line from a pipe. ``add``
checks the staff number and the PIN before the database is opened, so a refused PIN writes
nothing. ``set-pin`` gives a technician from the provisioning file (added without a PIN) their
PIN, or replaces a forgotten one. ``check`` is the sign-in screen's check (it counts towards
the lock-out): it prints ``OK``, ``WRONG`` or ``LOCKED`` and exits 0, 2 or 3. Nothing here
prints or logs a PIN or a hash.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import datetime
from typing import Any

from cowapp.cli import EXIT_OK, EXIT_REFUSED, EXIT_WAITING
from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import check_staff_number
from cowapp.domain.technician import (
    PinCheck,
    PinOutcome,
    Technician,
    check_account_role,
    check_pin,
)
from cowapp.settings import Settings
from cowapp.storage.technician_store import TechnicianStore
from cowapp.wiring import Cart, open_cart, utc_now

CLI_ACTOR = "cli"  # who provisions when --by is not given (the audit says so)


def technician(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch ``cowapp technician ACTION``."""
    handlers = {
        "add": _add,
        "list": _list,
        "check": _check,
        "deactivate": _deactivate,
        "set-pin": _set_pin,
    }
    return handlers[args.technician_action](args, settings)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    staff_id = check_staff_number(args.staff_id, "staff_id")
    role = check_account_role(args.role)
    actor = _actor(args.by)
    pin = check_pin(_read_pin(confirm=True), staff_id)
    cart = _open(settings)
    try:
        _store(cart).add(staff_id, pin, utc_now(), actor, role)
    finally:
        cart.close()
    print(f"{role.value} {staff_id} added (the PIN is stored only as a salted hash)")
    return EXIT_OK


def _set_pin(args: argparse.Namespace, settings: Settings) -> int:
    staff_id = check_staff_number(args.staff_id, "staff_id")
    actor = _actor(args.by)
    pin = check_pin(_read_pin(confirm=True), staff_id)
    cart = _open(settings)
    try:
        _store(cart).set_pin(staff_id, pin, utc_now(), actor)
    finally:
        cart.close()
    print(f"technician {staff_id}: PIN set (stored only as a salted hash)")
    return EXIT_OK


def _list(args: argparse.Namespace, settings: Settings) -> int:
    cart = _open(settings)
    try:
        technicians = _store(cart).list()
    finally:
        cart.close()
    now = utc_now()
    rows = [_row(technician, now) for technician in technicians]
    if args.json:
        print(json.dumps(rows))
    for row in [] if args.json else rows:
        state = "active" if row["active"] else "inactive"
        locked = f"locked until {row['locked_until']}" if row["locked_until"] else ""
        locked = locked if row["has_pin"] else "no PIN yet (cowapp technician set-pin)"
        line = f"{row['staff_id']:<12} {row['role']:<10} {state:<8}  since {row['created_at']}"
        print(f"{line}  {locked}".rstrip())
    return EXIT_OK


def _row(technician: Technician, now: datetime) -> dict[str, Any]:
    """What ``list`` shows of a technician: never the PIN's hash."""
    locked_until = technician.locked_at(now)
    return {
        "staff_id": technician.staff_id,
        "role": technician.role.value,
        "active": technician.active,
        "locked_until": locked_until.isoformat() if locked_until else None,
        "failed_attempts": technician.failed_attempts,
        "created_at": technician.created_at.isoformat(),
        "has_pin": technician.has_pin,
    }


def _check(args: argparse.Namespace, settings: Settings) -> int:
    staff_id = check_staff_number(args.staff_id, "staff_id")
    pin = _read_pin(confirm=False)
    cart = _open(settings)
    try:
        result = _store(cart).verify(staff_id, pin, utc_now())
    finally:
        cart.close()
    print(_describe(result, staff_id))
    if result.outcome is PinOutcome.OK:
        return EXIT_OK
    return EXIT_WAITING if result.outcome is PinOutcome.LOCKED else EXIT_REFUSED


def _describe(result: PinCheck, staff_id: str) -> str:
    if result.outcome is PinOutcome.OK:
        return "OK"
    if result.outcome is PinOutcome.WRONG_PIN:
        return f"WRONG  {result.attempts_left} attempt(s) left before a lock-out"
    if result.outcome is PinOutcome.LOCKED:
        until = result.locked_until.isoformat() if result.locked_until else "?"
        return f"LOCKED  until {until} (too many wrong PINs)"
    return f"UNKNOWN  {staff_id} is not an active technician on this cart"


def _deactivate(args: argparse.Namespace, settings: Settings) -> int:
    staff_id = check_staff_number(args.staff_id, "staff_id")
    actor = _actor(args.by)
    cart = _open(settings)
    try:
        changed = _store(cart).deactivate(staff_id, utc_now(), actor)
    finally:
        cart.close()
    print(f"technician {staff_id} " + ("deactivated" if changed else "was already inactive"))
    return EXIT_OK


def _read_pin(confirm: bool) -> str:
    """A PIN from standard input: typed hidden at a terminal (twice with ``confirm``), else the
    first line, without its line break."""
    if sys.stdin.isatty():
        pin = getpass.getpass("PIN (not shown): ")
        if confirm and getpass.getpass("Same PIN again: ") != pin:
            raise ValidationError("the two PINs differ (nothing was stored)", "pin")
    else:
        pin = sys.stdin.readline().rstrip("\r\n")
    if not pin:
        raise ValidationError("no PIN on standard input (type it, or pipe one line)", "pin")
    return pin


def _actor(by: str | None) -> str:
    return check_staff_number(by, "by") if by is not None else CLI_ACTOR


def _open(settings: Settings) -> Cart:
    cart = open_cart(settings)
    for notice in cart.notices:
        print(f"cowapp: {notice}", file=sys.stderr)
    return cart


def _store(cart: Cart) -> TechnicianStore:
    return TechnicianStore(cart.db, cart.settings.config.lockout_policy())
