"""The "needs attention" list's actions on the cart's outbox (composition level: it joins the
outbox store to the screen and to the sync worker, so the screen never touches storage).

Who may do what: anyone at the cart may ask to *try again*, because that only puts the item back
in the queue (the engine looks the ticket up before it resends, so nothing is sent twice); only
a signed-in technician may *discard*, because then the central service desk never hears of the
issue. A retry is audited with the technician's staff number, or ``cart-screen`` when nobody is
signed in; a discard always with the technician's. Both act only on items that still wait for
attention (as ``cowapp sync --retry/--discard`` does) and then wake the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from cowapp.domain.outbox import OutboxState
from cowapp.storage.errors import NotFoundError
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.outbox_store import OutboxStore
from cowapp.ui.attention import AttentionActions, AttentionItem, ItemGoneError, NotAllowedError

log = logging.getLogger(__name__)

SCREEN_ACTOR = "cart-screen"
"""The audit actor of a retry asked for at the cart by someone not signed in."""


class OutboxAttention(AttentionActions):
    """`AttentionActions` on the cart's outbox.

    Args:
        outbox: the cart's outbox.
        issues: the cart's issues (for the category and description shown).
        technician: who is signed in as technician now (None: nobody).
        wake: asks the sync worker for a cycle (a no-op when sync is off).
        clock: the current UTC time.
    """

    def __init__(
        self,
        outbox: OutboxStore,
        issues: IssueStore,
        technician: Callable[[], str | None],
        wake: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self._outbox, self._issues = outbox, issues
        self._technician, self._wake, self._clock = technician, wake, clock

    def items(self) -> list[AttentionItem]:
        """The parked items with their issue's category and description, oldest first."""
        shown = []
        for item, reference in self._outbox.needing_attention():
            try:
                issue = self._issues.get(item.issue_id)
                category, description = issue.category, issue.description
            except NotFoundError:  # purged meanwhile: still show what we know
                category, description = "", ""
            shown.append(
                AttentionItem(
                    seq=item.seq,
                    reference=reference,
                    operation=item.operation.value,
                    category=category,
                    description=description,
                    message=item.last_error,
                    since=item.created_at,
                )
            )
        return shown

    def can_discard(self) -> bool:
        """True while a technician is signed in."""
        return self._technician() is not None

    def retry(self, seq: int) -> None:
        """Queue the item again (anyone may) and wake the worker."""
        self._check_parked(seq)
        self._outbox.retry_now(seq, self._clock(), self._technician() or SCREEN_ACTOR)
        log.info("outbox item %d retried from the screen", seq)
        self._wake()

    def discard(self, seq: int) -> None:
        """Give up on the item (technicians only) and wake the worker (the issue's next item
        may go now)."""
        technician = self._technician()
        if technician is None:
            raise NotAllowedError("only a signed-in technician may discard")
        self._check_parked(seq)
        self._outbox.discard(seq, self._clock(), technician)
        log.info("outbox item %d discarded from the screen by %s", seq, technician)
        self._wake()

    def _check_parked(self, seq: int) -> None:
        try:
            state = self._outbox.get(seq).state
        except NotFoundError as error:
            raise ItemGoneError(str(error)) from error
        if state is not OutboxState.NEEDS_ATTENTION:
            raise ItemGoneError(f"outbox item {seq} is {state.value}, not waiting for attention")
