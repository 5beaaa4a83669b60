"""Turning what a nurse or technician entered into a valid `Issue`, or a precise refusal.

This is the one code path behind the intake screen and ``cowapp issue add``: it checks every
field against the taxonomy and the cart's policy, runs the privacy guard over the free text, maps
the two plain questions to urgency and impact, and builds the record with its ``created`` event.
Bedside actions that carry free text (resolve, escalate, note) go through `guarded_text` too.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from cowapp.domain import privacy
from cowapp.domain.errors import ValidationError
from cowapp.domain.issue import Issue, IssueStatus, IssueType
from cowapp.domain.priority import (
    IMPACT_FOR_AFFECTED,
    URGENCY_FOR_CARE,
    Affected,
    CareImpact,
    PriorityMatrix,
    check_level,
)
from cowapp.domain.reference import new_reference
from cowapp.domain.taxonomy import Taxonomy

STAFF_NUMBER = re.compile(r"^[A-Za-z]?\d{3,10}$")
VIM_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-]{1,29}$")
DEFAULT_ASSET_PATTERN = r"^[A-Z]{2,5}-?\d{3,8}$"
# General category Cc (a fixed set: Unicode adds no control characters) less "\t" and "\n",
# as one pattern: one pass in C instead of a category lookup per character.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_LENGTH = {
    "description": 2000,
    "error_text": 2000,
    "room": 40,
    "ward": 40,
    "notes": 4000,
    "reason": 2000,
}
# An unanswered "can care continue?" is treated as "with a workaround": a technician triages it.
UNANSWERED_URGENCY = 2
_E = TypeVar("_E", IssueType, CareImpact, Affected)


@dataclass(frozen=True)
class IntakePolicy:
    """The cart's rules for new issues, read from config.toml by the composition root.

    Attributes:
        cart_id: this cart's identifier, stamped on every issue.
        ward: the ward the cart serves by default.
        matrix: impact × urgency → priority.
        asset_pattern: what an asset tag must look like (the field is exempt from the guard).
        escalation_groups: resolver groups a technician may escalate to (empty: any name).
    """

    cart_id: str
    ward: str
    matrix: PriorityMatrix = field(default_factory=PriorityMatrix.itil_default)
    asset_pattern: str = DEFAULT_ASSET_PATTERN
    escalation_groups: tuple[str, ...] = ()


@dataclass
class IssueDraft:
    """What was entered; every field optional except category and reporter."""

    category: str
    reporter: str
    subcategory: str | None = None
    issue_type: str | None = None
    description: str = ""
    error_text: str = ""
    room: str = ""
    asset_tag: str = ""
    ward: str | None = None
    care_impact: str | None = None
    affected: str | None = None
    impact: int | None = None
    urgency: int | None = None
    patient_safety: bool = False
    vim_reference: str = ""
    privacy_incident: bool = False
    golive_blocking: bool = False
    workaround_available: bool = False
    confirmed_not_patient_data: bool = False
    known_issue: str | None = None  # "Ik heb dit ook": the known issue this report is about


def create_issue(
    draft: IssueDraft,
    taxonomy: Taxonomy,
    policy: IntakePolicy,
    now: datetime,
    reference: str | None = None,
) -> tuple[Issue, privacy.PrivacyReport]:
    """Validate a draft and build a new issue with its ``created`` event.

    Returns:
        The issue and the privacy report (its warning kinds, never text, go to the audit log).

    Raises:
        ValidationError: naming the field, for any value that is not acceptable;
            `PrivacyBlockedError` / `PrivacyConfirmationRequiredError` for the privacy guard.
    """
    reporter = check_staff_number(draft.reporter, "reporter")
    category = taxonomy.category(draft.category)
    sub = category.subcategory(draft.subcategory).code if draft.subcategory else None
    issue_type = _enum(IssueType, draft.issue_type or category.default_issue_type, "type")
    care = _enum(CareImpact, draft.care_impact, "care") if draft.care_impact else None
    affected = _enum(Affected, draft.affected, "affected") if draft.affected else None
    impact, urgency = _levels(draft, care, affected, category.default_impact)
    vim = _vim(draft)
    ward = bounded(draft.ward if draft.ward is not None else policy.ward, "ward")
    if not ward:
        raise ValidationError("ward is required", "ward")
    asset = check_asset_tag(draft.asset_tag, policy.asset_pattern)
    texts = {
        "description": bounded(draft.description, "description"),
        "error_text": bounded(draft.error_text, "error_text"),
        "room": bounded(draft.room, "room"),
        "ward": ward,  # typed free text too when given on the command line
    }
    report = guarded_text(texts, draft.confirmed_not_patient_data)
    issue = Issue(
        id=uuid.uuid4(),
        reference=reference or new_reference(),
        cart_id=policy.cart_id,
        ward=ward,
        reporter=reporter,
        category=category.code,
        subcategory=sub,
        issue_type=issue_type,
        description=texts["description"],
        error_text=texts["error_text"],
        room=texts["room"],
        asset_tag=asset,
        care_impact=care,
        affected=affected,
        impact=impact,
        urgency=urgency,
        priority=policy.matrix.priority(impact, urgency),
        patient_safety=draft.patient_safety,
        vim_reference=vim,
        privacy_incident=draft.privacy_incident,
        golive_blocking=draft.golive_blocking,
        workaround_available=draft.workaround_available,
        status=IssueStatus.NEW,
        created_at=now,
        updated_at=now,
    )
    issue.mark_created(reporter, now)
    return issue, report


def guarded_text(fields: dict[str, str], confirmed_not_patient_data: bool) -> privacy.PrivacyReport:
    """Run the privacy guard over free-text fields; raise unless they may be stored."""
    report = privacy.scan_fields(fields)
    report.enforce(confirmed_not_patient_data)
    return report


def check_staff_number(value: str, field_name: str) -> str:
    """A staff number as a badge reader types it: optional letter, then 3 to 10 digits."""
    value = value.strip()
    if not STAFF_NUMBER.match(value):
        raise ValidationError(
            f"{field_name} must be a staff number (3 to 10 digits, optionally one letter "
            f"first), got {value!r}"
            if value
            else f"{field_name} (staff number) is required",
            field_name,
        )
    return value


def check_asset_tag(value: str, pattern: str) -> str:
    """An asset tag in the hospital's pattern, upper-cased; empty is fine."""
    value = value.strip().upper()
    if value and not re.fullmatch(pattern, value):
        raise ValidationError(
            f"asset tag {value!r} does not look like this hospital's asset tags "
            f"(pattern {pattern})",
            "asset",
        )
    return value


def bounded(text: str, field_name: str) -> str:
    """Strip a free-text field; refuse it when longer than its limit or holding control codes."""
    text = text.strip()
    limit = MAX_LENGTH[field_name]
    if len(text) > limit:
        raise ValidationError(
            f"{field_name} is too long ({len(text)} characters, at most {limit})", field_name
        )
    # Any Unicode control character (C0, DEL, C1 such as the 8-bit terminal escape 0x9b) but the
    # line breaks and tabs people type: they would be stored and echoed raw into terminals.
    if _CONTROL_CHARACTER.search(text):
        raise ValidationError(f"{field_name} contains control characters", field_name)
    return text


def _vim(draft: IssueDraft) -> str:
    vim = draft.vim_reference.strip()
    if vim and not draft.patient_safety:
        raise ValidationError("a VIM reference only goes with the patient-safety flag", "vim")
    # Structured, but typed: a BSN must not slip in. VIM numbers are long digit runs by nature,
    # so only the block applies here, not the warnings (a nurse would confirm every report).
    privacy.scan_fields({"VIM reference": vim}).enforce(confirmed_not_patient_data=True)
    if vim and not VIM_REFERENCE.match(vim):
        raise ValidationError(
            "the VIM reference is the hospital's incident number only (letters, digits, - and /),"
            " never clinical details",
            "vim",
        )
    return vim


def _levels(
    draft: IssueDraft, care: CareImpact | None, affected: Affected | None, default: int | None
) -> tuple[int, int]:
    if draft.urgency is not None:
        urgency = check_level(draft.urgency, "urgency")
    elif care is not None:
        urgency = URGENCY_FOR_CARE[care]
    else:
        urgency = 1 if draft.patient_safety else UNANSWERED_URGENCY
    if draft.impact is not None:
        impact = check_level(draft.impact, "impact")
    elif affected is not None:
        impact = IMPACT_FOR_AFFECTED[affected]
    else:
        impact = default or 3
    return impact, urgency


def _enum(kind: type[_E], value: str, name: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise ValidationError(f"{name} must be one of: {choices} (got {value!r})", name) from None
