"""The issue record and its life cycle: every status change is a method that checks the rule.

An `Issue` is what a nurse reported and what a technician did about it. Its status moves
``new → in_progress → resolved | instructed | no_fault_found | escalated → remote_resolved →
remote_closed``; each step records the device time (UTC) and who did it as an `IssueEvent`, and an
illegal step raises `IllegalTransitionError` with a message a technician can act on. Once an issue
is escalated the central IT service owns its status, assignee and resolution; the cart only adds
notes. Validation of free text (the privacy guard) happens in `cowapp.domain.intake`, before any
of these methods is called with user text.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from cowapp.domain.errors import IllegalTransitionError, ValidationError
from cowapp.domain.priority import Affected, CareImpact, PriorityMatrix, check_level


class IssueStatus(enum.StrEnum):
    """Where an issue stands. The ``remote_*`` states are only ever set from the central service."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    INSTRUCTED = "instructed"
    NO_FAULT_FOUND = "no_fault_found"
    ESCALATED = "escalated"
    REMOTE_RESOLVED = "remote_resolved"
    REMOTE_CLOSED = "remote_closed"


OPEN_STATUSES = frozenset({IssueStatus.NEW, IssueStatus.IN_PROGRESS})
CLOSED_AT_CART = frozenset(
    {IssueStatus.RESOLVED, IssueStatus.INSTRUCTED, IssueStatus.NO_FAULT_FOUND}
)
OWNED_REMOTELY = frozenset(
    {IssueStatus.ESCALATED, IssueStatus.REMOTE_RESOLVED, IssueStatus.REMOTE_CLOSED}
)


class IssueType(enum.StrEnum):
    """ITIL-ish kind of issue, as DOMAIN.md lists them."""

    BREAK_FIX = "break_fix"
    HOW_TO = "how_to"
    ACCESS_REQUEST = "access_request"
    BUILD_DEFECT = "build_defect"
    ENHANCEMENT = "enhancement"


class ResolutionCode(enum.StrEnum):
    """How a technician closed an issue at the bedside; some codes imply their own status."""

    FIXED = "fixed"
    RESTARTED = "restarted"
    RECONFIGURED = "reconfigured"
    REPLACED = "replaced"
    ACCESS_GRANTED = "access_granted"
    WORKAROUND = "workaround"
    INSTRUCTED = "instructed"
    NO_FAULT_FOUND = "no_fault_found"
    DUPLICATE = "duplicate"


_STATUS_FOR_CODE = {
    ResolutionCode.INSTRUCTED: IssueStatus.INSTRUCTED,
    ResolutionCode.NO_FAULT_FOUND: IssueStatus.NO_FAULT_FOUND,
}


class EventKind(enum.StrEnum):
    """What happened to an issue; the timeline shows these, the outbox follows some of them."""

    CREATED = "created"
    CLAIMED = "claimed"
    RELEASED = "released"
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    REOPENED = "reopened"
    PRIORITY_CHANGED = "priority_changed"
    NOTE_ADDED = "note_added"
    REMOTE_UPDATED = "remote_updated"


class SyncOperation(enum.StrEnum):
    """What the central service must be told about an event (payloads are built at send time)."""

    CREATE = "create"
    UPDATE = "update"
    NOTE = "note"


_SYNC_FOR_EVENT = {
    EventKind.CREATED: SyncOperation.CREATE,
    EventKind.RESOLVED: SyncOperation.UPDATE,
    EventKind.ESCALATED: SyncOperation.UPDATE,
    EventKind.REOPENED: SyncOperation.UPDATE,
    EventKind.PRIORITY_CHANGED: SyncOperation.UPDATE,
    EventKind.NOTE_ADDED: SyncOperation.NOTE,
}


def sync_operation_for(kind: EventKind) -> SyncOperation | None:
    """The outbox operation an event needs; None when it stays on the cart (claims, read-backs)."""
    return _SYNC_FOR_EVENT.get(kind)


@dataclass(frozen=True)
class IssueEvent:
    """One step in an issue's timeline. ``detail`` holds codes and numbers only, never free text."""

    id: uuid.UUID
    kind: EventKind
    at: datetime
    actor: str
    from_status: IssueStatus | None
    to_status: IssueStatus
    detail: str = ""


@dataclass(frozen=True)
class Note:
    """A free-text note on an issue (privacy-checked before it gets here)."""

    id: uuid.UUID
    at: datetime
    author: str
    text: str


@dataclass
class Issue:
    """One reported problem and everything done about it. Mutate only through the methods."""

    id: uuid.UUID
    reference: str
    cart_id: str
    ward: str
    reporter: str
    category: str
    subcategory: str | None
    issue_type: IssueType
    description: str
    error_text: str
    room: str
    asset_tag: str
    care_impact: CareImpact | None
    affected: Affected | None
    impact: int
    urgency: int
    priority: int
    patient_safety: bool
    vim_reference: str
    privacy_incident: bool
    golive_blocking: bool
    workaround_available: bool
    status: IssueStatus
    created_at: datetime
    updated_at: datetime
    claimed_at: datetime | None = None
    claimed_by: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution_code: ResolutionCode | None = None
    resolution_notes: str = ""
    minutes_spent: int | None = None
    escalated_at: datetime | None = None
    escalated_by: str | None = None
    escalation_group: str | None = None
    escalation_reason: str = ""
    reopen_count: int = 0
    duplicate_of: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    remote_ticket: str | None = None  # the central system's key (used in its URLs)
    remote_number: str | None = None  # what people quote ("INC0010001", "I 2611 042", "7")
    remote_status: str | None = None
    remote_assignee: str | None = None
    remote_updated_at: datetime | None = None
    synced_at: datetime | None = None
    purged_at: datetime | None = None
    notes: list[Note] = field(default_factory=list)
    events: list[IssueEvent] = field(default_factory=list)

    # -- life cycle -----------------------------------------------------------------------------

    def mark_created(self, actor: str, at: datetime) -> IssueEvent:
        """Record the ``created`` event; called once, by `cowapp.domain.intake.create_issue`."""
        if self.events:
            raise IllegalTransitionError(f"issue {self.reference} was already created")
        return self._record(EventKind.CREATED, IssueStatus.NEW, actor, at, first=True)

    def claim(self, actor: str, at: datetime) -> IssueEvent:
        """A technician takes the issue (``new → in_progress``)."""
        self._require({IssueStatus.NEW}, "claim")
        self.claimed_at, self.claimed_by = at, actor
        return self._record(EventKind.CLAIMED, IssueStatus.IN_PROGRESS, actor, at)

    def release(self, actor: str, at: datetime) -> IssueEvent:
        """Give a claimed issue back to the queue (``in_progress → new``)."""
        self._require({IssueStatus.IN_PROGRESS}, "release")
        self.claimed_at, self.claimed_by = None, None
        return self._record(EventKind.RELEASED, IssueStatus.NEW, actor, at)

    def resolve(
        self,
        actor: str,
        at: datetime,
        code: ResolutionCode,
        notes: str = "",
        minutes_spent: int | None = None,
        duplicate_of: uuid.UUID | None = None,
    ) -> IssueEvent:
        """Close the issue at the bedside (codes instructed and no_fault_found set that status)."""
        self._require(OPEN_STATUSES, "resolve")
        if minutes_spent is not None and not 0 <= minutes_spent <= 24 * 60:
            raise ValidationError("minutes spent must be between 0 and 1440", "minutes")
        if (code is ResolutionCode.DUPLICATE) != (duplicate_of is not None):
            raise ValidationError(
                "a duplicate needs the issue it duplicates, and only a duplicate has one",
                "duplicate_of",
            )
        if duplicate_of == self.id:
            raise ValidationError("an issue cannot be a duplicate of itself", "duplicate_of")
        self.resolved_at, self.resolved_by = at, actor
        self.resolution_code, self.resolution_notes = code, notes
        self.minutes_spent, self.duplicate_of = minutes_spent, duplicate_of
        status = _STATUS_FOR_CODE.get(code, IssueStatus.RESOLVED)
        return self._record(EventKind.RESOLVED, status, actor, at, detail=code.value)

    def escalate(self, actor: str, at: datetime, group: str, reason: str) -> IssueEvent:
        """Hand the issue to a resolver group; the central service owns it from now on."""
        self._require(OPEN_STATUSES, "escalate")
        if not group.strip():
            raise ValidationError("choose the resolver group to escalate to", "group")
        if not reason.strip():
            raise ValidationError(
                "an escalation needs a reason the resolver group can use", "reason"
            )
        self.escalated_at, self.escalated_by = at, actor
        self.escalation_group, self.escalation_reason = group, reason.strip()
        return self._record(EventKind.ESCALATED, IssueStatus.ESCALATED, actor, at, detail=group)

    def reopen(self, actor: str, at: datetime) -> IssueEvent:
        """The fix did not hold: back to ``in_progress`` with the same technician, counted."""
        self._require(CLOSED_AT_CART, "reopen")
        self.reopen_count += 1
        self.resolved_at = self.resolved_by = self.resolution_code = None
        self.claimed_at, self.claimed_by = at, actor
        return self._record(EventKind.REOPENED, IssueStatus.IN_PROGRESS, actor, at)

    def set_priority(
        self, actor: str, at: datetime, impact: int, urgency: int, matrix: PriorityMatrix
    ) -> IssueEvent:
        """Technician override of impact/urgency; refused once the central service owns it."""
        if self.status in OWNED_REMOTELY:
            raise IllegalTransitionError(
                f"issue {self.reference} is escalated: the central service owns its priority now"
            )
        self.impact, self.urgency = check_level(impact, "impact"), check_level(urgency, "urgency")
        self.priority = matrix.priority(impact, urgency)
        detail = f"impact={impact};urgency={urgency};priority={self.priority}"
        return self._record(EventKind.PRIORITY_CHANGED, self.status, actor, at, detail)

    def add_note(self, actor: str, at: datetime, text: str, note_id: uuid.UUID) -> IssueEvent:
        """Add a note (after escalation this is the only way the cart tells the service more)."""
        if not text.strip():
            raise ValidationError("a note cannot be empty", "note")
        self.notes.append(Note(note_id, at, actor, text.strip()))
        return self._record(EventKind.NOTE_ADDED, self.status, actor, at, str(note_id))

    def apply_remote_status(self, status: IssueStatus, at: datetime, actor: str) -> IssueEvent:
        """Record a status read back from the central service for an escalated issue."""
        allowed = {
            IssueStatus.ESCALATED: {IssueStatus.REMOTE_RESOLVED, IssueStatus.REMOTE_CLOSED},
            IssueStatus.REMOTE_RESOLVED: {IssueStatus.REMOTE_CLOSED, IssueStatus.ESCALATED},
        }
        if status not in allowed.get(self.status, set()):
            raise IllegalTransitionError(
                f"issue {self.reference}: the central service cannot move it from "
                f"{self.status.value} to {status.value}"
            )
        return self._record(EventKind.REMOTE_UPDATED, status, actor, at, detail=status.value)

    # -- helpers --------------------------------------------------------------------------------

    def _require(self, allowed: frozenset[IssueStatus] | set[IssueStatus], action: str) -> None:
        if self.status not in allowed:
            states = ", ".join(sorted(s.value for s in allowed))
            raise IllegalTransitionError(
                f"cannot {action} issue {self.reference}: it is {self.status.value} "
                f"(only possible when {states})"
            )

    def _record(
        self,
        kind: EventKind,
        to: IssueStatus,
        actor: str,
        at: datetime,
        detail: str = "",
        *,
        first: bool = False,
    ) -> IssueEvent:
        if at.tzinfo is None:
            raise ValueError("event times must be timezone-aware UTC datetimes")
        came_from = None if first else self.status  # the first event comes from nowhere
        event = IssueEvent(uuid.uuid4(), kind, at, actor, came_from, to, detail)
        self.status, self.updated_at = to, at
        self.events.append(event)
        return event
