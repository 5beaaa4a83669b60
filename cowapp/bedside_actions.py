"""The technician screen's bedside actions on the cart's store (composition level: it joins
the domain's bedside rules to the repository, so the screen never touches storage).

Each action runs one domain method inside `IssueStore.change`, so the issue, its event, its
outbox row and its audit entries are written together; the privacy guard runs in the domain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from cowapp.domain import bedside, privacy
from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import IntakePolicy
from cowapp.domain.issue import Issue, IssueEvent, ResolutionCode
from cowapp.domain.reference import normalise_reference
from cowapp.storage.errors import NotFoundError
from cowapp.storage.issue_store import IssueStore


class StoreBedsideActions:
    """`BedsideActions` on the cart's store, for one signed-in technician.

    Args:
        store: the cart's issues.
        policy: the cart's intake policy (escalation groups, priority matrix).
        technician: the signed-in technician's staff number; every action is attributed to it.
        clock: the current UTC time.
    """

    def __init__(
        self,
        store: IssueStore,
        policy: IntakePolicy,
        technician: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store, self._policy, self._me, self._clock = store, policy, technician, clock

    def claim(self, issue_id: uuid.UUID) -> Issue:
        """Take the issue."""
        return self._store.change(issue_id, lambda i: i.claim(self._me, self._clock()))

    def resolve(
        self,
        issue_id: uuid.UUID,
        code: ResolutionCode,
        notes: str,
        minutes: int | None,
        confirmed: bool,
    ) -> Issue:
        """Close it at the bedside (notes privacy-checked in the domain)."""

        def apply(issue: Issue) -> IssueEvent:
            bedside.resolve(
                issue,
                actor=self._me,
                at=self._clock(),
                code=code,
                notes=notes,
                minutes_spent=minutes,
                confirmed_not_patient_data=confirmed,
            )
            return issue.events[-1]

        return self._store.change(issue_id, apply, _audit({"resolution_notes": notes}, confirmed))

    def mark_duplicate(self, issue_id: uuid.UUID, original_reference: str) -> Issue:
        """Close it as a duplicate of the issue with ``original_reference`` on this cart."""
        reference = normalise_reference(original_reference)
        if reference is None:
            raise ValidationError(
                "give the reference of the issue it duplicates, like KD7-M4X", "duplicate_of"
            )
        try:
            original = self._store.by_reference(reference)
        except NotFoundError:
            raise ValidationError(
                f"no issue with reference {reference} on this cart", "duplicate_of"
            ) from None

        def apply(issue: Issue) -> IssueEvent:
            bedside.resolve(
                issue,
                actor=self._me,
                at=self._clock(),
                code=ResolutionCode.DUPLICATE,
                notes="",
                minutes_spent=None,
                confirmed_not_patient_data=False,
                duplicate_of=original.id,
            )
            return issue.events[-1]

        return self._store.change(issue_id, apply, [])

    def duplicate_candidates(self, issue: Issue) -> list[Issue]:
        """Open issues of the same category, newest first: what this one may duplicate."""
        return self._store.open_in_category(issue.category, issue.id)

    def escalate(self, issue_id: uuid.UUID, group: str, reason: str, confirmed: bool) -> Issue:
        """Hand it to a configured resolver group with a reason."""

        def apply(issue: Issue) -> IssueEvent:
            bedside.escalate(
                issue,
                policy=self._policy,
                actor=self._me,
                at=self._clock(),
                group=group,
                reason=reason,
                confirmed_not_patient_data=confirmed,
            )
            return issue.events[-1]

        return self._store.change(issue_id, apply, _audit({"reason": reason}, confirmed))

    def add_note(self, issue_id: uuid.UUID, text: str, confirmed: bool) -> Issue:
        """Add a checked note."""

        def apply(issue: Issue) -> IssueEvent:
            bedside.add_note(
                issue,
                actor=self._me,
                at=self._clock(),
                text=text,
                confirmed_not_patient_data=confirmed,
            )
            return issue.events[-1]

        return self._store.change(issue_id, apply, _audit({"note": text}, confirmed))

    def set_priority(self, issue_id: uuid.UUID, impact: int, urgency: int) -> Issue:
        """Override impact and urgency with the cart's matrix."""
        return self._store.change(
            issue_id,
            lambda i: i.set_priority(self._me, self._clock(), impact, urgency, self._policy.matrix),
        )


def _audit(fields: dict[str, str], confirmed: bool) -> list[tuple[str, str]]:
    """Audit entries for confirmed warnings (kinds only); the domain refuses anything else."""
    return bedside.privacy_audit(privacy.scan_fields(fields)) if confirmed else []
