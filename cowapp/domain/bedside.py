"""A technician's bedside actions with free text: resolve, escalate, add a note.

Each function validates and privacy-checks the text, then calls the `Issue` method. The screens
and the CLI call these (through `IssueStore.change`), so both follow one path. Each returns the
privacy report so the caller can audit confirmed warnings by kind, never by content.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import IntakePolicy, bounded, check_staff_number, guarded_text
from cowapp.domain.issue import Issue, ResolutionCode
from cowapp.domain.privacy import PrivacyReport


def resolution_code(value: str) -> ResolutionCode:
    """Parse a resolution code, with the valid ones in the message when it is wrong."""
    try:
        return ResolutionCode(value)
    except ValueError:
        choices = ", ".join(code.value for code in ResolutionCode)
        raise ValidationError(
            f"resolution code must be one of: {choices} (got {value!r})", "resolution_code"
        ) from None


def escalation_group(value: str, policy: IntakePolicy) -> str:
    """The configured group name matching ``value`` (case-insensitive), or ValidationError."""
    wanted = value.strip()
    if not policy.escalation_groups:  # no list configured: any short name
        if not wanted or len(wanted) > 60:
            raise ValidationError("the resolver group name must be 1 to 60 characters", "escalate")
        return wanted
    for group in policy.escalation_groups:
        if group.casefold() == wanted.casefold():
            return group
    raise ValidationError(
        f"unknown resolver group {wanted!r}; choose one of: {', '.join(policy.escalation_groups)}",
        "escalate",
    )


def resolve(
    issue: Issue,
    *,
    actor: str,
    at: datetime,
    code: ResolutionCode,
    notes: str,
    minutes_spent: int | None,
    confirmed_not_patient_data: bool,
    duplicate_of: uuid.UUID | None = None,
) -> PrivacyReport:
    """Close ``issue`` at the bedside after checking the notes."""
    actor = check_staff_number(actor, "technician")
    text = bounded(notes, "notes")
    report = guarded_text({"resolution_notes": text}, confirmed_not_patient_data)
    issue.resolve(actor, at, code, text, minutes_spent, duplicate_of)
    return report


def escalate(
    issue: Issue,
    *,
    policy: IntakePolicy,
    actor: str,
    at: datetime,
    group: str,
    reason: str,
    confirmed_not_patient_data: bool,
) -> PrivacyReport:
    """Hand ``issue`` to a configured resolver group with a checked reason."""
    actor = check_staff_number(actor, "technician")
    name = escalation_group(group, policy)
    text = bounded(reason, "reason")
    report = guarded_text({"reason": text}, confirmed_not_patient_data)
    issue.escalate(actor, at, name, text)
    return report


def add_note(
    issue: Issue, *, actor: str, at: datetime, text: str, confirmed_not_patient_data: bool
) -> PrivacyReport:
    """Add a checked note to ``issue``."""
    actor = check_staff_number(actor, "author")
    text = bounded(text, "notes")
    report = guarded_text({"note": text}, confirmed_not_patient_data)
    issue.add_note(actor, at, text, uuid.uuid4())
    return report


def privacy_audit(*reports: PrivacyReport) -> list[tuple[str, str]]:
    """Audit entries for warnings that were confirmed: kinds only, never the matched text."""
    kinds = sorted({kind.value for report in reports for kind in report.kinds})
    return [("privacy.warning_confirmed", "kinds=" + ",".join(kinds))] if kinds else []
