"""The demo month's known-issue answers: "Opgelost" (self-solved) and "Ik heb dit ook" (me too).

While a nurse types, the intake screen suggests known issues; some nurses try the self-help steps
and tap "Opgelost" (nothing is filed, a deflection is counted), others tap "Ik heb dit ook" (the
report is filed as usual, linked to the known issue). Here every seeded report is such a nurse:
the suggestion comes from the real FTS5 search on her words and category, and the answer is stored
through `KnownIssueStore`, exactly as the intake screen stores it. Few nurses know the catalogue
in the first days, more once the floor walkers have shown it, so both answers grow over the month.
No free text is stored for either: a deflection holds the known issue, the ward and the category.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from cowapp.domain.issue import Issue
from cowapp.storage.known_issue_store import KnownIssueStore
from cowapp.wiring import Cart

SELF_SOLVED_FIRST, SELF_SOLVED_LATER = 0.06, 0.24
"""Share of matched reports whose nurse solved it herself: on go-live day, and from day 14 on."""
ME_TOO_SHARE = 0.15
"""Share of matched reports filed with "Ik heb dit ook" rather than as a new description."""
RAMP_DAYS = 14


class DemoDeflections:
    """Stores the month's reports, some as "me too", and the self-solved problems beside them.

    Args:
        cart: the demo cart (its known issues are loaded already).
        rng: the demo's own random stream for these answers (kept apart from the month's, so the
            issues are the same with or without deflections).
    """

    def __init__(self, cart: Cart, rng: random.Random) -> None:
        self._cart, self._rng = cart, rng
        self._store = KnownIssueStore(cart.db, cart.issues)
        self.self_solved = 0
        self.me_too = 0

    def store(self, issues: Sequence[Issue]) -> None:
        """Add ``issues`` (oldest first) to the cart, answering suggestions along the way."""
        first = issues[0].created_at if issues else datetime.min
        for issue in issues:
            share = min((issue.created_at - first) / timedelta(days=RAMP_DAYS), 1.0)
            match = self._suggestion(issue)
            if match is not None and self._rng.random() < _solved_share(share):
                self._solved(issue, match)
            if match is not None and self._rng.random() < ME_TOO_SHARE:
                self._store.report_me_too(issue, match)
                self.me_too += 1
            else:
                self._cart.issues.add(issue)

    def _suggestion(self, issue: Issue) -> str | None:
        """The top known issue the intake screen would show for this report, if any."""
        found = self._store.suggest(issue.description, issue.category, "nl", limit=1)
        return found[0].id if found and found[0].category == issue.category else None

    def _solved(self, issue: Issue, known_issue_id: str) -> None:
        """Another nurse on the same ward, shortly before, whose problem the steps solved."""
        at = issue.created_at - timedelta(minutes=self._rng.randint(5, 90))
        cart_id = self._cart.settings.config.cart_id
        self._store.record_self_solved(known_issue_id, cart_id, issue.ward, issue.category, at)
        self.self_solved += 1


def _solved_share(ramp: float) -> float:
    return SELF_SOLVED_FIRST + (SELF_SOLVED_LATER - SELF_SOLVED_FIRST) * ramp
