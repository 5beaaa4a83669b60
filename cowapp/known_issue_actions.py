"""Known issues for the screens, on the cart's store (composition level, like `bedside_actions`).

`StoreKnownIssues` is what the intake's suggestions and the technician's known-issue panel call:
suggestions from the FTS index, "Opgelost" recorded as a deflection, checklists from the shipped
catalogue, and publishing a bedside resolution (privacy-guarded in the domain) as a new known
issue. The screens never touch storage themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from cowapp.domain.issue import Issue
from cowapp.domain.known_issues import Catalogue, Suggestion, publish
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage.known_issue_store import KnownIssueStore


class StoreKnownIssues:
    """Known-issue look-ups and records for one cart.

    Args:
        store: the cart's known issues.
        catalogue: the shipped catalogue (for the checklists).
        taxonomy: to check categories of published known issues.
        cart_id: this cart (stamped on deflections).
        ward: the ward the cart serves (stamped on deflections).
        clock: the current UTC time.
    """

    def __init__(
        self,
        store: KnownIssueStore,
        catalogue: Catalogue,
        taxonomy: Taxonomy,
        cart_id: str,
        ward: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store, self._catalogue, self._taxonomy = store, catalogue, taxonomy
        self._cart, self._ward, self._clock = cart_id, ward, clock

    def suggest(
        self, typed: str, category: str | None, language: str, limit: int = 3
    ) -> list[Suggestion]:
        """The best known issues for what was typed and the chosen category."""
        return self._store.suggest(typed, category, language, limit)

    def self_solved(self, known_issue_id: str, category: str | None) -> None:
        """Count "Opgelost" (no person, nothing synced)."""
        self._store.record_self_solved(
            known_issue_id, self._cart, self._ward, category, self._clock()
        )

    def checklist(self, category: str, language: str) -> tuple[str, ...]:
        """The technicians' checklist for a category."""
        return self._catalogue.checklist(category, language)

    def publish(
        self, issue: Issue, author: str, title: str, symptom: str, steps: str, confirmed: bool
    ) -> str:
        """Publish a bedside resolution as a known issue; returns its id.

        Raises:
            ValidationError: missing text, or text the privacy guard refuses.
        """
        item = publish(
            issue.category, title, symptom, steps, author, self._taxonomy, confirmed, issue.id
        )
        return self._store.publish(item, self._clock()).id
