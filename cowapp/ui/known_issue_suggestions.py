"""Known-issue suggestions in the nurse intake: "is it this? try this first".

While a nurse types or taps a category, `KnownIssueSuggestions` shows the best-matching known
issues as cards (title, self-help steps) with two large buttons: "Ik heb dit ook" (report it,
linked to the known issue: the host screen saves its draft as a normal issue) and "Opgelost"
(solved by the steps: counted as a deflection, nothing is filed). Queries wait until typing pauses
for `DEBOUNCE_MS` and are local SQLite FTS look-ups of a few milliseconds, so typing never waits.
The widget reaches storage only through the `KnownIssueSource` it is given.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cowapp.domain.known_issues import Suggestion
from cowapp.ui.i18n import Retranslating, installed_language
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import role_label

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150
SHOWN = 2  # two cards fit beside the category tiles on the cart's 1280x800 screen


class KnownIssueSource(Protocol):
    """What the suggestions need from the cart; the composition root supplies it."""

    def suggest(
        self, typed: str, category: str | None, language: str, limit: int = 3
    ) -> list[Suggestion]:
        """The best known issues for the text and category."""
        ...

    def self_solved(self, known_issue_id: str, category: str | None) -> None:
        """Record that the known issue's steps solved the problem."""
        ...


class KnownIssueSuggestions(Retranslating, QWidget):
    """Cards for the best-matching known issues, refreshed when typing pauses.

    Signals:
        me_too_chosen(str, str): "Ik heb dit ook" on a known issue (its id and category).
        self_solved(str): "Opgelost" on a known issue, already recorded (its id).

    Args:
        source: finds known issues and records deflections.
        parent: the owning widget.
    """

    me_too_chosen = Signal(str, str)
    self_solved = Signal(str)

    def __init__(self, source: KnownIssueSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._typed: str = ""
        self._category: str | None = None
        self._shown: list[Suggestion] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing // 2)
        self._heading = role_label(Role.HEADING)
        self._thanks = role_label(Role.SUCCESS)
        layout.addWidget(self._heading)
        layout.addWidget(self._thanks)
        self._cards = QVBoxLayout()
        self._cards.setSpacing(SIZES.spacing // 2)
        layout.addLayout(self._cards)
        self._thanks.hide()
        self.retranslate_ui()
        self._show([])

    @property
    def suggestions(self) -> list[Suggestion]:
        """What is shown now."""
        return list(self._shown)

    def set_query(self, typed: str, category: str | None) -> None:
        """New text or category: look again once typing pauses for `DEBOUNCE_MS`."""
        if (typed, category) == (self._typed, self._category):
            return
        self._typed, self._category = typed, category
        if typed.strip() or category:
            self._thanks.hide()
        self._timer.start()

    def refresh(self) -> None:
        """Look up and show the best matches now."""
        self._timer.stop()
        try:
            found = self._source.suggest(self._typed, self._category, installed_language(), SHOWN)
        except Exception:  # a failing look-up must never get in the way of reporting
            log.exception("known-issue suggestions failed")
            found = []
        self._show(found)

    def retranslate_ui(self) -> None:
        """Set the texts in the installed language (and fetch the cards in it)."""
        self._heading.setText(self.tr("Known problem? Try this first"))
        self._thanks.setText(self.tr("Good to hear it is solved. Nothing was reported."))
        if self._shown:
            self.refresh()

    def _show(self, found: list[Suggestion]) -> None:
        self._shown = found
        while (item := self._cards.takeAt(0)) is not None:
            if (old := item.widget()) is not None:
                old.deleteLater()
        for suggestion in found:
            self._cards.addWidget(self._card(suggestion))
        self._heading.setVisible(bool(found))
        self.setVisible(bool(found) or self._thanks.isVisible())

    def _card(self, suggestion: Suggestion) -> QFrame:
        card = QFrame()
        set_role(card, Role.CARD)
        # Never squeezed by the scrolling column: a card is as tall as its text needs.
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        title = role_label(Role.LARGE)
        title.setText(suggestion.title)
        steps = role_label(None)
        steps.setText("\n".join(f"{n}. {step}" for n, step in enumerate(suggestion.steps, 1)))
        layout.addWidget(title)
        layout.addWidget(steps)
        row = QHBoxLayout()
        row.setSpacing(SIZES.spacing)
        me_too = QPushButton(self.tr("I have this too"))
        solved = QPushButton(self.tr("Solved"))
        set_role(solved, Role.PRIMARY)
        for button in (me_too, solved):
            button.setMinimumHeight(SIZES.control_height)
            row.addWidget(button, 1)
        me_too.clicked.connect(lambda: self._on_me_too_clicked(suggestion))
        solved.clicked.connect(lambda: self._on_solved_clicked(suggestion))
        layout.addLayout(row)
        card.setObjectName(suggestion.id)
        return card

    def _on_me_too_clicked(self, suggestion: Suggestion) -> None:
        self.me_too_chosen.emit(suggestion.id, suggestion.category)

    def _on_solved_clicked(self, suggestion: Suggestion) -> None:
        self._source.self_solved(suggestion.id, self._category or suggestion.category)
        self._typed, self._category = "", None
        self._thanks.show()
        self._show([])
        self.self_solved.emit(suggestion.id)
