"""The "needs attention" list: what the central service desk refused, and what to do about it.

Each parked outbox item shows its issue's reference, what was being sent (the new issue, a
change, a note), the issue's category and description, the server's own message and since when
it waits. "Try again" puts it back in the queue; "Discard" (technicians only) asks once more on
the card itself and only a second, explicit tap on "Yes, discard" does it. No long press or
double tap anywhere.

The list reads and acts only through `AttentionActions`, which the composition root builds on
the cart's outbox (local SQLite: quick, fine on the GUI thread) and which wakes the sync worker;
nothing here touches the network. The composition calls `AttentionView.refresh` when the sync
status changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cowapp.storage.errors import StorageError
from cowapp.ui.i18n import Retranslating, arg
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import button_text, keep_text_whole, role_label

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AttentionItem:
    """One parked outbox item as the list shows it.

    Attributes:
        seq: the outbox item's number (what the actions take).
        reference: the issue's short reference, e.g. ``K07-0042``.
        operation: what was being sent: ``create``, ``update`` or ``note``.
        category: the issue's category code.
        description: the issue's own short text (may be empty).
        message: the central service desk's message, as it gave it.
        since: when the item was queued (UTC).
    """

    seq: int
    reference: str
    operation: str
    category: str
    description: str
    message: str
    since: datetime


class ItemGoneError(Exception):
    """The item no longer waits for attention (someone else retried or discarded it)."""


class NotAllowedError(Exception):
    """Only a signed-in technician may do this."""


class AttentionActions:
    """What the list needs; the composition root implements it on the cart's outbox.

    A plain base class rather than a Protocol so that a missing method fails loudly.
    """

    def items(self) -> list[AttentionItem]:
        """The parked items, oldest first."""
        raise NotImplementedError

    def can_discard(self) -> bool:
        """Whether the person at the cart may discard (a technician is signed in)."""
        raise NotImplementedError

    def retry(self, seq: int) -> None:
        """Queue the item again and wake the worker; raises `ItemGoneError`."""
        raise NotImplementedError

    def discard(self, seq: int) -> None:
        """Give up on the item; raises `ItemGoneError` or `NotAllowedError`."""
        raise NotImplementedError


# What was being sent (context "AttentionView"; str(): see home.py).
OPERATION_LABELS: dict[str, str] = {
    "create": str(QT_TRANSLATE_NOOP("AttentionView", "New issue")),
    "update": str(QT_TRANSLATE_NOOP("AttentionView", "Change to the issue")),
    "note": str(QT_TRANSLATE_NOOP("AttentionView", "Note on the issue")),
}


class AttentionView(Retranslating, QDialog):
    """A window over the cart screen listing the parked items, each with its actions.

    Signals:
        items_changed(): an item was retried or discarded here (the strip may ask for a status).

    Args:
        actions: reads the items and acts on them.
        category_label: turns a category code into the text shown (the code by default).
        parent: the window it opens over (it takes that window's size).
    """

    items_changed = Signal()

    def __init__(
        self,
        actions: AttentionActions,
        category_label: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._actions = actions
        self._category_label = category_label or (lambda code: code)
        self._cards: dict[int, AttentionCard] = {}
        self._result = ("", Role.SUCCESS)
        self.title = role_label(Role.TITLE)
        self.close_button = QPushButton()
        self.close_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        set_role(self.close_button, Role.PRIMARY)
        self.close_button.clicked.connect(self.accept)
        self.intro = role_label(Role.LARGE)
        self.outcome = role_label(Role.SUCCESS)
        _large(self.outcome)
        self.empty = role_label(Role.NOTICE)
        self._list = QVBoxLayout()
        self._build()
        self.retranslate_ui()

    @property
    def cards(self) -> dict[int, AttentionCard]:
        """The shown items' cards by outbox number."""
        return self._cards

    def refresh(self) -> None:
        """Read the parked items again (after a status change or an action); keeps a card whose
        discard question is open."""
        items = self._actions.items()
        allowed = self._actions.can_discard()
        wanted = {item.seq for item in items}
        for seq in [seq for seq in self._cards if seq not in wanted]:
            gone = self._cards.pop(seq)
            gone.hide()  # now, not when the deferred delete comes round
            self._list.removeWidget(gone)
            gone.deleteLater()
        for position, item in enumerate(items):
            card = self._cards.get(item.seq)
            if card is None:
                card = self._cards[item.seq] = AttentionCard(item.seq)
                card.retry_clicked.connect(self._on_card_retry_clicked)
                card.discard_confirmed.connect(self._on_card_discard_confirmed)
            self._list.removeWidget(card)  # a no-op for a new card; keeps the order right
            self._list.insertWidget(position, card)
            card.show_item(item, self._category_label(item.category), allowed)
        self.empty.setVisible(not items)

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self.setWindowTitle(self.tr("Needs attention"))
        self.title.setText(self.tr("Needs attention"))
        self.close_button.setText(button_text(self.tr("Close")))
        keep_text_whole(self.close_button)
        self.intro.setText(
            self.tr(
                "The central service desk did not accept these. Read its message, then try "
                "again or discard."
            )
        )
        self.empty.setText(self.tr("Nothing needs attention: everything is being sent."))
        self._show_result(*self._result)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Cover the window it belongs to, and show the list as it is now."""
        owner = self.parentWidget()
        if owner is not None:
            self.resize(owner.window().size())
        self._show_result("", Role.SUCCESS)
        self.refresh()
        super().showEvent(event)
        self.setFocus()  # no focus ring on Close: it would look like a selection

    # -- internals ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*[SIZES.margin] * 4)
        layout.setSpacing(SIZES.spacing)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.outcome)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(SIZES.spacing)
        outer.addLayout(self._list)
        self._list.setSpacing(SIZES.spacing)
        outer.addWidget(self.empty)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

    def _on_card_retry_clicked(self, seq: int) -> None:
        card = self._cards[seq]
        self._act(lambda: self._actions.retry(seq), self.tr("%1 will be sent again."), card)

    def _on_card_discard_confirmed(self, seq: int) -> None:
        card = self._cards[seq]
        text = self.tr("%1 was discarded: it stays on this cart and is not sent.")
        self._act(lambda: self._actions.discard(seq), text, card)

    def _act(self, action: Callable[[], None], done: str, card: AttentionCard) -> None:
        try:
            action()
        except ItemGoneError:
            self._show_result(self.tr("This item was already dealt with."), Role.MUTED)
        except NotAllowedError:
            self._show_result(self.tr("Only a signed-in technician can discard."), Role.ERROR)
        except StorageError as error:
            log.error("attention action failed: %s", error)
            self._show_result(str(error), Role.ERROR)
        else:
            self._show_result(arg(done, card.reference), Role.SUCCESS)
        self.refresh()
        self.items_changed.emit()

    def _show_result(self, text: str, role: Role) -> None:
        self._result = (text, role)
        self.outcome.setText(text)
        set_role(self.outcome, role)
        self.outcome.setVisible(bool(text))


class AttentionCard(QFrame):
    """One item: what it is, the server's message, and its buttons (with the discard question).

    Signals:
        retry_clicked(int): "Try again" tapped (the item's number).
        discard_confirmed(int): "Yes, discard" tapped after "Discard…".
    """

    retry_clicked = Signal(int)
    discard_confirmed = Signal(int)

    def __init__(self, seq: int) -> None:
        super().__init__()
        self.seq, self.reference = seq, ""
        set_role(self, Role.CARD)
        self.heading = role_label(Role.HEADING)
        self.about = role_label(Role.LARGE)
        self.message = role_label(Role.WARNING)
        self.since = role_label(Role.MUTED)
        self.retry = _button(Role.PRIMARY, lambda: self.retry_clicked.emit(self.seq))
        self.discard = _button(None, lambda: self._ask(True))
        self.question = role_label(Role.LARGE)
        self.confirm = _button(Role.DANGER, lambda: self.discard_confirmed.emit(self.seq))
        self.cancel = _button(None, lambda: self._ask(False))
        self.technicians_only = role_label(Role.MUTED)
        for label in (self.message, self.since, self.technicians_only):
            _large(label)  # their roles colour them; a nurse reads them at a glance
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*[SIZES.spacing + 8] * 4)
        layout.setSpacing(SIZES.spacing // 2)
        for label in (self.heading, self.about, self.message, self.since):
            layout.addWidget(label)
        buttons = QHBoxLayout()
        buttons.setSpacing(SIZES.spacing)
        for widget in (self.retry, self.discard, self.question, self.confirm, self.cancel):
            buttons.addWidget(widget)
        buttons.addWidget(self.technicians_only, 1)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._allowed = False
        self._ask(False)

    @property
    def asking(self) -> bool:
        """Whether the discard question is open."""
        return self.confirm.isVisibleTo(self)

    def show_item(self, item: AttentionItem, category: str, allowed: bool) -> None:
        """Show ``item`` (texts in the installed language); ``allowed``: may discard."""
        self.reference, self._allowed = item.reference, allowed
        what = QCoreApplication.translate("AttentionView", OPERATION_LABELS[item.operation])
        self.heading.setText(f"{item.reference} · {what}")
        self.about.setText(f"{category} · {item.description}" if item.description else category)
        self.message.setText(arg(self.tr("The service desk says: %1"), item.message or "-"))
        when = item.since.astimezone().strftime("%d-%m %H:%M")
        self.since.setText(arg(self.tr("Waiting since %1"), when))
        self.retry.setText(button_text(self.tr("Try again")))
        self.discard.setText(button_text(self.tr("Discard…")))
        self.question.setText(self.tr("Discard? The service desk will never get this."))
        self.confirm.setText(button_text(self.tr("Yes, discard")))
        self.cancel.setText(button_text(self.tr("Keep it")))
        self.technicians_only.setText(self.tr("Only a technician can discard."))
        for button in (self.retry, self.discard, self.confirm, self.cancel):
            keep_text_whole(button)
        self._ask(self.asking and allowed)

    def _ask(self, asking: bool) -> None:
        asking = asking and self._allowed
        for widget in (self.question, self.confirm, self.cancel):
            widget.setVisible(asking)
        self.retry.setVisible(not asking)
        self.discard.setVisible(not asking and self._allowed)
        self.technicians_only.setVisible(not self._allowed)


def _large(label: QLabel) -> None:
    font = QFont(label.font())
    font.setPointSize(SIZES.large_pt)
    label.setFont(font)


def _button(role: Role | None, on_click: Callable[[], None]) -> QPushButton:
    button = QPushButton()
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    set_role(button, role)
    button.clicked.connect(on_click)
    return button
