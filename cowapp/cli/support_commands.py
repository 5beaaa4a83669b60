"""``cowapp doctor`` and ``cowapp export csv``: for support staff and the IT manager.

``doctor`` only reads: it never migrates, moves or repairs anything, so it is safe to run on a
cart that misbehaves. ``export`` writes to a temporary file and renames it, so a reader never
sees half a file; it adds the per-issue metric columns that ``report --input`` reads back.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from cowapp import __version__, paths
from cowapp.cli import EXIT_ENVIRONMENT, EXIT_OK
from cowapp.cli.render import COLUMNS, FREE_TEXT, plain
from cowapp.config import ConfigError
from cowapp.domain.metric_rows import EXPORTED_AT, METRIC_COLUMNS, facts_from_issue, metric_values
from cowapp.domain.taxonomy import TaxonomyError
from cowapp.settings import load_settings
from cowapp.storage import audit
from cowapp.storage.db import Database
from cowapp.storage.errors import StorageError
from cowapp.storage.migrate import current_revision, damage, head_revision, is_known_revision
from cowapp.wiring import open_cart, utc_now

Check = tuple[str, bool, str]


def doctor(args: argparse.Namespace, home: Path) -> int:
    """Run every check, print one OK/FAIL line each, exit 4 if any failed."""
    checks = list(_checks(home))
    if args.json:
        print(
            json.dumps(
                {
                    "version": __version__,
                    "home": str(home),
                    "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in checks],
                }
            )
        )
    else:
        print(f"cowapp {__version__}, data dir {home}")
        for name, ok, detail in checks:
            print(f"{'OK  ' if ok else 'FAIL'}  {name}: {detail}")
    return EXIT_OK if all(ok for _, ok, _ in checks) else EXIT_ENVIRONMENT


def _checks(home: Path) -> Iterator[Check]:
    try:
        settings = load_settings(home)
        config = settings.config
        yield "config", True, f"{config.path} (cart {config.cart_id}, ward {config.ward})"
        yield "taxonomy", True, f"{len(settings.taxonomy.categories)} categories"
    except (ConfigError, TaxonomyError) as exc:
        yield "config", False, str(exc)
    db_path = home / paths.DB_NAME
    if not db_path.exists():
        yield "database", True, f"{db_path} does not exist yet (created on first start)"
        return
    problem = damage(db_path)
    if problem:
        yield "database", False, f"{db_path} is damaged: {problem}"
        return
    db = Database(db_path)
    try:
        yield from _database_checks(db)
    finally:
        db.dispose()


def _database_checks(db: Database) -> Iterator[Check]:
    with db.engine.connect() as connection:
        verdict = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    yield "integrity", verdict == "ok", str(verdict)
    migrations = paths.migrations_dir()
    current, head = current_revision(db), head_revision(migrations)
    if current == head:
        yield "schema", True, f"revision {current} (current)"
    elif current is not None and not is_known_revision(migrations, current):
        newer = f"revision {current} was written by a newer cowapp; this one ({head}) refuses it"
        yield "schema", False, newer + ": install the newer cowapp"
    else:
        older = f"revision {current}, this app expects {head}"
        yield "schema", False, older + " (starting the app upgrades it, after a backup)"
    with db.read() as session:
        count, problem = audit.verify(session)
    yield "audit chain", problem is None, problem or f"{count} entries, chain intact"


def export_csv(args: argparse.Namespace, home: Path) -> int:
    """Write every issue as CSV (free text only with --with-text), with the metric columns."""
    columns = COLUMNS + (list(FREE_TEXT) if args.with_text else [])
    cart = open_cart(load_settings(home))
    try:
        issues = cart.issues.list()
    finally:
        cart.close()

    exported_at = utc_now().isoformat()  # a hospital report says when each cart was last seen

    def write(handle: TextIO) -> None:
        writer = csv.writer(handle)
        writer.writerow([*columns, *METRIC_COLUMNS, EXPORTED_AT])
        for issue in issues:
            values = [plain(getattr(issue, name)) for name in columns]
            writer.writerow([*values, *metric_values(facts_from_issue(issue)), exported_at])

    if args.path == "-":
        write(sys.stdout)
    else:
        _atomic_write(Path(args.path), write)
        print(f"{len(issues)} issues written to {args.path}", file=sys.stderr)
    return EXIT_OK


def _atomic_write(path: Path, write: Callable[[TextIO], None]) -> None:
    folder = path.resolve().parent
    if not folder.is_dir():
        raise StorageError(f"cannot write {path}: folder {folder} does not exist")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
