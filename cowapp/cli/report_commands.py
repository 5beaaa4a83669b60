"""``cowapp report pdf PATH``: the one-page daily huddle report, from this cart or from exports.

Without ``--input`` the report counts this cart's database; with ``--input a.csv b.csv`` it
combines ``cowapp export csv`` files of several carts (each issue once), so the IT manager sees the
whole hospital, and says when each cart was last seen (the latest time in its export, so a cart
that stopped handing in exports stands out). ``--to`` is the day the huddle looks back on (default:
yesterday, in the hospital's time zone) and ``--from`` the first day counted (default: everything).
Refused input (a bad date, an unreadable export, a missing folder) changes nothing and exits 2. The
PDF is drawn with Qt offscreen, written to a temporary file and renamed.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from cowapp import paths
from cowapp.cli import EXIT_OK, EXIT_REFUSED
from cowapp.domain.metric_rows import RowError, facts_from_row, seen_at, unique
from cowapp.domain.metrics import Extras, IssueFacts, Outcomes, summarise
from cowapp.settings import Settings, load_settings
from cowapp.storage.metrics_query import MetricsQuery
from cowapp.wiring import open_cart, utc_now


class ReportInputError(Exception):
    """The command line or an export cannot be used; the message says which and why."""


def report(args: argparse.Namespace, home: Path) -> int:
    """Write the huddle report PDF; one line on stderr says where."""
    settings = load_settings(home)
    zone = settings.config.metrics_settings().zone
    try:
        target = _target(Path(args.path))
        first, day = _days(args, zone)
        since = None if first is None else _start(first, zone)
        until = _start(day + timedelta(days=1), zone)
        seen: dict[str, datetime] = {}
        if args.input:
            facts = list(unique(_exported(args.input, since, until, seen)))
            extras, carts, partial = Extras(), sorted({f.cart_id for f in facts} | set(seen)), True
        else:
            facts, extras = _from_cart(settings, since, until)
            carts, partial = [settings.config.cart_id], False
    except ReportInputError as exc:
        print(f"cowapp: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    now = min(utc_now(), until - timedelta(microseconds=1))
    out = summarise(facts, settings.config.metrics_settings(), now, extras)
    _render(settings, out, day, carts, partial, target, seen)
    print(f"huddle report for {day.isoformat()} written to {target}", file=sys.stderr)
    return EXIT_OK


def _target(path: Path) -> Path:
    if not path.resolve().parent.is_dir():
        raise ReportInputError(
            f"cannot write {path}: folder {path.resolve().parent} does not exist"
        )
    if path.suffix.lower() != ".pdf":
        raise ReportInputError(f"{path}: the report is a PDF; give a path ending in .pdf")
    return path


def _days(args: argparse.Namespace, zone: tzinfo) -> tuple[date | None, date]:
    today = utc_now().astimezone(zone).date()
    last: date = args.to or today - timedelta(days=1)
    first: date | None = args.since
    if first is not None and first > last:
        raise ReportInputError(f"--from {first} is after --to {last}")
    return first, last


def _start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _from_cart(
    settings: Settings, since: datetime | None, until: datetime
) -> tuple[list[IssueFacts], Extras]:
    cart = open_cart(settings)
    try:
        query = MetricsQuery(cart.db)
        return list(query.facts(since, until)), query.extras(since, until)
    finally:
        cart.close()


def _exported(
    files: list[str], since: datetime | None, until: datetime, seen: dict[str, datetime]
) -> Iterator[IssueFacts]:
    """The facts of the exports' issues in the period; ``seen`` gets each cart's last-seen time
    from all of its rows (also those outside the period)."""
    for name in files:
        try:
            with open(name, encoding="utf-8", newline="") as handle:
                for line, row in enumerate(csv.DictReader(handle), start=2):
                    try:
                        facts, moment = facts_from_row(row), seen_at(row)
                    except RowError as exc:
                        raise ReportInputError(f"{name}, line {line}: {exc}") from None
                    if moment is not None and moment > seen.get(facts.cart_id, moment):
                        seen[facts.cart_id] = moment
                    seen.setdefault(facts.cart_id, moment or facts.created_at)
                    if (since is None or facts.created_at >= since) and facts.created_at < until:
                        yield facts
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise ReportInputError(f"{name}: cannot be read as a cowapp export ({exc})") from None


def _render(
    settings: Settings,
    out: Outcomes,
    day: date,
    carts: list[str],
    partial: bool,
    target: Path,
    seen: dict[str, datetime],
) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a headless command: no screen needed
    from PySide6.QtWidgets import QApplication

    from cowapp.ui.huddle_report import HuddleReport, ReportData
    from cowapp.ui.i18n import Translator

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    translator = Translator(app, paths.resources_dir() / "translations")
    translator.switch(settings.config.language)
    language = settings.config.language
    taxonomy = settings.taxonomy

    def label(code: str) -> str:
        return taxonomy.category(code).label(language) if code in taxonomy.codes() else code

    zone = settings.config.metrics_settings().zone
    made_at = utc_now().astimezone(zone)
    last_seen = {cart: moment.astimezone(zone) for cart, moment in seen.items()}
    data = ReportData(out, day, carts, made_at, label, partial, last_seen)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".pdf", dir=target.parent)
    os.close(fd)
    try:
        HuddleReport().render(data, Path(temp))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    finally:
        translator.uninstall()
