"""What the central IT service is told about an issue, built from the issue at send time.

A `TicketPayload` is system-neutral: each connector maps it onto its own fields (and limits,
such as TOPdesk's 80-character brief description). Because payloads are built when they are
sent, a queue written by an older cowapp still drains after an upgrade (DESIGN.md guarantee 9).
The privacy guard runs over `typed_text()` once more right before anything leaves the cart.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from cowapp.domain.issue import CLOSED_AT_CART, Issue, IssueStatus, Note


class TicketState(enum.StrEnum):
    """The life-cycle state the central ticket should have."""

    OPEN = "open"  # handed over while still open at the cart (not handled in time)
    RESOLVED = "resolved"  # fixed, instructed or no fault found at the bedside
    ESCALATED = "escalated"  # for a resolver group; the central service owns it now


@dataclass(frozen=True)
class TicketPayload:
    """System-neutral content of a central ticket.

    Attributes:
        external_id: the issue's UUID: the idempotency key stored in the remote reference field.
        reference: the cart's short reference, shown to people in the subject.
        subject: one line: ``[KD7-M4X] Printen & etiketten / Etikettenprinter: <description>``.
        body: everything a resolver needs, as plain text (no patient data: guarded).
        state: open, resolved or escalated.
        group: the resolver group for an escalated ticket (our name; connectors map it).
        resolution: the bedside resolution text for a resolved ticket.
    """

    external_id: str
    reference: str
    subject: str
    body: str
    state: TicketState
    category: str
    subcategory: str | None
    issue_type: str
    impact: int
    urgency: int
    priority: int
    cart_id: str
    ward: str
    room: str
    asset_tag: str
    group: str | None
    resolution_code: str | None
    resolution: str
    patient_safety: bool
    golive_blocking: bool


def typed_text(issue: Issue) -> dict[str, str]:
    """Every field of ``issue`` a person typed, for the privacy guard's last look before sending.

    The guard looks at these rather than at the composed subject and body, because the body also
    holds numbers the cart wrote itself (times, priorities) that must not be taken for a BSN.
    """
    fields = {
        "description": issue.description,
        "error_text": issue.error_text,
        "room": issue.room,
        "ward": issue.ward,
        "VIM reference": issue.vim_reference,
        "resolution_notes": issue.resolution_notes,
        "reason": issue.escalation_reason,
    }
    fields.update({f"note {i + 1}": note.text for i, note in enumerate(issue.notes)})
    return fields


def ticket_state(issue: Issue) -> TicketState:
    """The central state an issue's status maps to."""
    if issue.status in CLOSED_AT_CART:
        return TicketState.RESOLVED
    if issue.status in (IssueStatus.NEW, IssueStatus.IN_PROGRESS):
        return TicketState.OPEN
    return TicketState.ESCALATED


def build_ticket(issue: Issue, category_label: str, subcategory_label: str | None) -> TicketPayload:
    """Build the payload for ``issue``; labels come from the taxonomy in the cart's language."""
    topic = f"{category_label} / {subcategory_label}" if subcategory_label else category_label
    summary = issue.description.splitlines()[0] if issue.description else ""
    subject = f"[{issue.reference}] {topic}" + (f": {summary}" if summary else "")
    return TicketPayload(
        external_id=str(issue.id),
        reference=issue.reference,
        subject=subject,
        body=_body(issue, topic),
        state=ticket_state(issue),
        category=issue.category,
        subcategory=issue.subcategory,
        issue_type=issue.issue_type.value,
        impact=issue.impact,
        urgency=issue.urgency,
        priority=issue.priority,
        cart_id=issue.cart_id,
        ward=issue.ward,
        room=issue.room,
        asset_tag=issue.asset_tag,
        group=issue.escalation_group,
        resolution_code=issue.resolution_code.value if issue.resolution_code else None,
        resolution=issue.resolution_notes,
        patient_safety=issue.patient_safety,
        golive_blocking=issue.golive_blocking,
    )


def _body(issue: Issue, topic: str) -> str:
    lines = [
        f"Melding {issue.reference} van kar {issue.cart_id}, afdeling {issue.ward}"
        + (f", {issue.room}" if issue.room else ""),
        f"Onderwerp: {topic}",
        f"Prioriteit {issue.priority} (impact {issue.impact}, urgentie {issue.urgency})",
        f"Gemeld: {_when(issue.created_at)} door {issue.reporter}",
    ]
    if issue.description:
        lines += ["", issue.description]
    if issue.error_text:
        lines += ["", f"Foutmelding: {issue.error_text}"]
    if issue.asset_tag:
        lines.append(f"Asset: {issue.asset_tag}")
    flags = [
        name
        for name, on in (
            ("PATIËNTVEILIGHEID", issue.patient_safety),
            ("privacy-incident", issue.privacy_incident),
            ("blokkeert go-live", issue.golive_blocking),
            ("workaround", issue.workaround_available),
        )
        if on
    ]
    if flags:
        lines.append("Let op: " + ", ".join(flags))
    if issue.patient_safety and issue.vim_reference:
        lines.append(f"VIM-melding: {issue.vim_reference}")
    if issue.escalation_reason:
        lines += ["", f"Doorgezet naar {issue.escalation_group}: {issue.escalation_reason}"]
    if issue.resolution_notes:
        lines += ["", f"Opgelost aan het bed ({issue.resolution_code}): {issue.resolution_notes}"]
    return "\n".join(lines)


def note_text(note: Note) -> str:
    """A cart note as the central ticket shows it (with the author's staff number)."""
    return f"Notitie van de kar ({note.author}, {_when(note.at)}):\n{note.text}"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
