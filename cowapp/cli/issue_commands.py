"""``cowapp issue add|list|show``: the intake screen's code path, driven from the shell.

``add`` validates everything (taxonomy, fields, the privacy guard, the bedside outcome) before
the database is even opened, so refused input leaves the file byte-for-byte unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys

from cowapp.cli import EXIT_OK
from cowapp.cli.render import issue_dict, issue_line, sync_label
from cowapp.domain import bedside
from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import IssueDraft, create_issue
from cowapp.domain.issue import Issue, IssueStatus, ResolutionCode
from cowapp.domain.reference import normalise_reference
from cowapp.settings import Settings
from cowapp.wiring import open_cart, utc_now


def add(args: argparse.Namespace, settings: Settings) -> int:
    """Validate, then store one issue with its outbox row; print its reference or JSON."""
    issue, audit_details = _build(args, settings)
    cart = open_cart(settings)
    try:
        _tell(cart.notices)
        stored = cart.issues.add(issue, audit_details)
    finally:
        cart.close()
    if args.json:
        print(json.dumps(issue_dict(stored), ensure_ascii=False))
    else:
        print(f"{stored.reference}  saved on this cart ({stored.status.value}, P{stored.priority})")
    return EXIT_OK


def _build(args: argparse.Namespace, settings: Settings) -> tuple[Issue, list[tuple[str, str]]]:
    _check_combinations(args)
    policy = settings.config.intake_policy()
    confirmed = args.confirm_not_patient_data
    draft = IssueDraft(
        category=args.category,
        reporter=args.reporter,
        subcategory=args.subcategory,
        issue_type=args.issue_type,
        description=args.description,
        error_text=args.error_text,
        room=args.room,
        asset_tag=args.asset,
        ward=args.ward,
        care_impact=args.care,
        affected=args.affected,
        impact=args.impact,
        urgency=args.urgency,
        patient_safety=args.patient_safety,
        vim_reference=args.vim,
        privacy_incident=args.privacy_incident,
        golive_blocking=args.golive_blocking,
        workaround_available=args.workaround,
        confirmed_not_patient_data=confirmed,
    )
    now = utc_now()
    issue, report = create_issue(draft, settings.taxonomy, policy, now)
    technician = args.technician or issue.reporter
    reports = [report]
    if args.resolve is not None:
        code = ResolutionCode(args.resolution_code or ResolutionCode.FIXED)
        reports.append(
            bedside.resolve(
                issue,
                actor=technician,
                at=now,
                code=code,
                notes=args.resolve,
                minutes_spent=args.minutes,
                confirmed_not_patient_data=confirmed,
            )
        )
    elif args.escalate is not None:
        reports.append(
            bedside.escalate(
                issue,
                policy=policy,
                actor=technician,
                at=now,
                group=args.escalate,
                reason=args.reason or "",
                confirmed_not_patient_data=confirmed,
            )
        )
    return issue, bedside.privacy_audit(*reports)


def _check_combinations(args: argparse.Namespace) -> None:
    if args.reason is not None and args.escalate is None:
        raise ValidationError("--reason goes with --escalate", "reason")
    if args.escalate is not None and not (args.reason or "").strip():
        raise ValidationError("--escalate needs --reason: why can it not be fixed here?", "reason")
    if args.resolve is None and (args.resolution_code or args.minutes is not None):
        raise ValidationError("--resolution-code and --minutes go with --resolve", "resolve")
    if args.resolution_code == ResolutionCode.DUPLICATE:
        raise ValidationError("mark duplicates from the technician screen", "resolution_code")
    if args.technician is not None and args.resolve is None and args.escalate is None:
        raise ValidationError("--technician goes with --resolve or --escalate", "technician")


def list_issues(args: argparse.Namespace, settings: Settings) -> int:
    """Print issues, highest priority and oldest first."""
    statuses = [IssueStatus(s) for s in args.status or []]
    cart = open_cart(settings)
    try:
        _tell(cart.notices)
        issues = cart.issues.list(statuses, args.limit)
        states = cart.issues.sync_states(issues)
    finally:
        cart.close()
    if args.json:
        rows = [{**issue_dict(i), "sync_state": states[i.id].value} for i in issues]
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for issue in issues:
            print(issue_line(issue, states[issue.id]))
    return EXIT_OK


def show(args: argparse.Namespace, settings: Settings) -> int:
    """Print one issue with its timeline."""
    reference = normalise_reference(args.reference)
    if reference is None:
        raise ValidationError(f"{args.reference!r} is not an issue reference like KD7-M4X", "ref")
    cart = open_cart(settings)
    try:
        _tell(cart.notices)
        issue = cart.issues.by_reference(reference)
        state = cart.issues.sync_states([issue])[issue.id]
    finally:
        cart.close()
    data = {**issue_dict(issue, with_timeline=True), "sync_state": sync_label(state, issue)}
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return EXIT_OK
    for key, value in data.items():
        if key not in ("events", "notes") and value not in (None, "", False):
            print(f"{key:>22}: {value}")
    for event in data["events"]:
        print(f"{event['at']}  {event['actor']:<8} {event['kind']:<16} {event['detail']}")
    for note in data["notes"]:
        print(f"{note['at']}  {note['author']:<8} note: {note['text']}")
    return EXIT_OK


def _tell(notices: list[str]) -> None:
    for notice in notices:
        print(f"cowapp: {notice}", file=sys.stderr)
