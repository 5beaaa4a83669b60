"""The argument parser for ``cowapp``: one sub-command per headless task.

argparse's own error output (usage plus message over several lines) is replaced by a single
``cowapp: error: ...`` line and exit code 2, so scripts can read the reason.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import NoReturn

from cowapp import __version__
from cowapp.cli import EXIT_REFUSED
from cowapp.domain.issue import IssueStatus, IssueType, ResolutionCode
from cowapp.domain.priority import Affected, CareImpact


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"cowapp: error: {message}\n")
        sys.exit(EXIT_REFUSED)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse ``cowapp``'s arguments (default: the process's).

    A plain ``cowapp`` (the cart's screen, started at every boot) is parsed without building
    the sub-commands' parsers: that takes ~7 ms, a noticeable part of a cold start.
    """
    args = sys.argv[1:] if argv is None else argv
    return build_parser(commands=bool(args)).parse_args(args)


def build_parser(commands: bool = True) -> OneLineParser:
    """The full command-line interface; with ``commands=False`` only the top-level options
    (``command`` is then None)."""
    parser = OneLineParser(prog="cowapp", description="Bedside IT support on the ward's cart.")
    parser.add_argument("--version", action="version", version=f"cowapp {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start on a throwaway data dir with realistic sample data",
    )
    parser.add_argument(
        "--quit-after",
        type=_positive,
        metavar="SECONDS",
        help="close the screen after this many seconds (smoke tests)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (database, resources, keyring, TLS, screen); exit 0 if OK",
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    subparsers = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    _add_commands(subparsers)
    return parser


def _add_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    _issue_commands(commands.add_parser("issue", help="add, list and show issues"))
    doctor = commands.add_parser("doctor", help="check database, schema, config and audit chain")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    export = commands.add_parser("export", help="export issues")
    formats = export.add_subparsers(dest="format", required=True, parser_class=OneLineParser)
    csv_parser = formats.add_parser("csv", help="all issues as CSV (no free text by default)")
    csv_parser.add_argument("path", help="file to write ('-' for standard output)")
    csv_parser.add_argument(
        "--with-text", action="store_true", help="include description, error text and notes"
    )
    _report_commands(commands)
    _sync_commands(commands)
    _technician_commands(commands)
    provision = commands.add_parser(
        "provision", help="import a provisioning file (cart, sync, technicians) now"
    )
    provision.add_argument(
        "file", nargs="?", help="the file (default: the first cowapp-provisioning.toml found)"
    )
    provision.add_argument(
        "--replace", action="store_true", help="replace this cart's existing config.toml"
    )


def _report_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    report = commands.add_parser("report", help="the daily huddle report")
    kinds = report.add_subparsers(dest="report_kind", required=True, parser_class=OneLineParser)
    pdf = kinds.add_parser("pdf", help="one-page huddle report as PDF (yesterday's numbers)")
    pdf.add_argument("path", help="the PDF to write")
    pdf.add_argument("--from", dest="since", type=_date, metavar="DATE", help="first day counted")
    pdf.add_argument(
        "--to", type=_date, metavar="DATE", help="the day reported on (default: yesterday)"
    )
    pdf.add_argument(
        "--input",
        nargs="+",
        metavar="CSV",
        help="combine `cowapp export csv` files of several carts instead of this cart",
    )


def _technician_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    technician = commands.add_parser("technician", help="technician PINs: add, list, check")
    actions = technician.add_subparsers(
        dest="technician_action", required=True, parser_class=OneLineParser
    )
    add = actions.add_parser("add", help="provision a technician; the PIN is read from stdin")
    add.add_argument("staff_id", metavar="STAFFID", help="the technician's staff number")
    add.add_argument(
        "--role",
        default="technician",
        help="technician (default: queue, bedside actions, dashboard) or manager (dashboard only)",
    )
    listing = actions.add_parser("list", help="technicians, active and locked (never a hash)")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    check = actions.add_parser("check", help="check a PIN from stdin (counts for lock-out)")
    check.add_argument("staff_id", metavar="STAFFID", help="the technician's staff number")
    deactivate = actions.add_parser("deactivate", help="stop a technician's PIN signing in")
    deactivate.add_argument("staff_id", metavar="STAFFID", help="the technician's staff number")
    set_pin = actions.add_parser(
        "set-pin", help="set or replace a technician's PIN (read from stdin); clears a lock-out"
    )
    set_pin.add_argument("staff_id", metavar="STAFFID", help="the technician's staff number")
    for parser in (add, deactivate, set_pin):
        parser.add_argument("--by", metavar="STAFFNR", help="who does this (audited; default cli)")


def _sync_commands(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    sync = commands.add_parser("sync", help="send queued issues to the central IT service")
    mode = sync.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--once", action="store_true", help="send what can be sent now, read status back, then exit"
    )
    mode.add_argument("--attention", action="store_true", help="list items needing a human")
    mode.add_argument("--retry", type=_positive, metavar="SEQ", help="retry a parked item")
    mode.add_argument("--discard", type=_positive, metavar="SEQ", help="discard a parked item")
    sync.add_argument("--technician", default="cli", help="who retries or discards (audited)")
    sync.add_argument("--json", action="store_true", help="machine-readable output")
    creds = commands.add_parser("credentials", help="the central service's secret (keyring)")
    actions = creds.add_subparsers(
        dest="credentials_action", required=True, parser_class=OneLineParser
    )
    setter = actions.add_parser("set", help="store a secret read from standard input")
    setter.add_argument("name", help="credential name (default for a connector: its name)")
    actions.add_parser("check", help="test the stored secret against the central service")


def _issue_commands(issue: argparse.ArgumentParser) -> None:
    actions = issue.add_subparsers(dest="action", required=True, parser_class=OneLineParser)
    _add_command(actions.add_parser("add", help="report an issue (same rules as the screen)"))
    listing = actions.add_parser("list", help="list issues, highest priority first")
    listing.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in IssueStatus],
        help="only this status (repeatable)",
    )
    listing.add_argument("--limit", type=_positive, help="at most this many")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    show = actions.add_parser("show", help="one issue with its timeline")
    show.add_argument("reference", help="the short reference, e.g. KD7-M4X")
    show.add_argument("--json", action="store_true", help="machine-readable output")


def _add_command(add: argparse.ArgumentParser) -> None:
    a = add.add_argument
    a(
        "--category",
        required=True,
        help="taxonomy code, e.g. printing (see resources/taxonomy.json)",
    )
    a("--subcategory", help="subcategory code within the category")
    a("--type", dest="issue_type", choices=[t.value for t in IssueType], help="issue type")
    a("--description", default="", help="what is wrong, in a few words")
    a("--error-text", default="", help="the error message shown, if any")
    a("--room", default="", help="room or place on the ward")
    a("--asset", default="", help="asset tag of the device (hospital pattern; exempt from guard)")
    a("--ward", help="ward (default: the cart's ward from config.toml)")
    a("--reporter", required=True, help="staff number of the person reporting")
    a("--care", choices=[c.value for c in CareImpact], help="can care continue safely?")
    a("--affected", choices=[x.value for x in Affected], help="who is affected?")
    a("--impact", type=_level, help="technician override: 1 (several wards) to 3 (one person)")
    a("--urgency", type=_level, help="technician override: 1 (care unsafe) to 3 (no impact)")
    a("--patient-safety", action="store_true", help="patient safety at risk (give --vim)")
    a("--vim", default="", help="the hospital's VIM incident reference (never clinical details)")
    a("--privacy-incident", action="store_true", help="possible privacy incident")
    a("--golive-blocking", action="store_true", help="blocks the go-live")
    a("--workaround", action="store_true", help="a workaround is available")
    a(
        "--confirm-not-patient-data",
        action="store_true",
        help="accept privacy warnings: confirm the text holds no patient data",
    )
    outcome = add.add_mutually_exclusive_group()
    outcome.add_argument("--resolve", metavar="NOTES", help="resolved on the spot, with notes")
    outcome.add_argument("--escalate", metavar="GROUP", help="escalate to this resolver group")
    a("--resolution-code", choices=[c.value for c in ResolutionCode], help="with --resolve")
    a("--minutes", type=_minutes, help="minutes spent, with --resolve")
    a("--reason", help="why it is escalated (required with --escalate)")
    a("--technician", help="staff number of the technician (default: the reporter)")
    a("--json", action="store_true", help="print the new issue as JSON")


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text!r}")
    return value


def _level(text: str) -> int:
    value = _integer(text)
    if value not in (1, 2, 3):
        raise argparse.ArgumentTypeError(f"must be 1, 2 or 3, got {text!r}")
    return value


def _minutes(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= 1440:
        raise argparse.ArgumentTypeError(f"must be 0 to 1440 minutes, got {text!r}")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-11-02, got {text!r}") from None


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
