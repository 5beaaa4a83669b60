"""The start window while the intake and technician screens are being built (issue 4).

It shows which cart this is, how many issues it holds per status and how many wait to be sent,
so a technician can already see the store working after ``cowapp --demo``. It also carries the
language (Nederlands/English) and day/night switches; the composition root acts on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cowapp.sync.status import Connection, SyncStatus
from cowapp.ui.i18n import LANGUAGES, Retranslating, arg, installed_language
from cowapp.ui.labels import STATUS_LABELS, status_label
from cowapp.ui.theme import DAY, SIZES, THEMES, Role, set_role
from cowapp.ui.widgets import role_label

# str(): PySide6 types QT_TRANSLATE_NOOP as returning object.
NO_SYNC = str(
    QT_TRANSLATE_NOOP("SyncStatus", "No central service desk set up: issues stay on this cart")
)
CHECKING = str(
    QT_TRANSLATE_NOOP("SyncStatus", "Checking the connection to the central service desk…")
)


def describe_sync(status: SyncStatus) -> str:
    """One line about the sync status, for people (no jargon), in the installed language."""
    if status.connection is Connection.ONLINE:
        when = status.last_sync.astimezone().strftime("%H:%M") if status.last_sync else "-"
        text = arg(
            QCoreApplication.translate(
                "SyncStatus", "Connected to the central service desk · last sent %1"
            ),
            when,
        )
    elif status.connection is Connection.PAUSED:
        text = QCoreApplication.translate(
            "SyncStatus", "Sending paused: the technician must set up the login details again"
        )
    elif status.connection is Connection.OFFLINE:
        text = QCoreApplication.translate(
            "SyncStatus", "No connection to the central service desk: issues stay safe on the cart"
        )
    else:
        text = QCoreApplication.translate("SyncStatus", CHECKING)
    if status.needs_attention:
        attention = QCoreApplication.translate(
            "SyncStatus", "%n need(s) attention", None, status.needs_attention
        )
        text += f" · {attention}"
    return text


@dataclass(frozen=True)
class HomeSummary:
    """What the window shows; computed by the composition root."""

    cart_id: str
    ward: str
    language: str
    counts: dict[str, int]
    pending: int
    sync_enabled: bool = False


class HomeWindow(Retranslating, QMainWindow):
    """A plain, large-type overview of the cart's store, with the language and theme switches.

    Signals:
        language_chosen(str): the user tapped a language (a key of `LANGUAGES`).
        theme_chosen(str): the user tapped a theme (a key of `THEMES`).

    Args:
        summary: what to show.
        theme: the key of the theme in use, so its switch starts checked.
    """

    language_chosen = Signal(str)
    theme_chosen = Signal(str)

    def __init__(self, summary: HomeSummary, theme: str = DAY.key) -> None:
        super().__init__()
        self._summary = summary
        self._sync_status: SyncStatus | None = None
        self.setWindowTitle(f"cowapp — {summary.cart_id}")
        self.resize(1280, 800)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(*[SIZES.margin] * 4)
        layout.setSpacing(SIZES.spacing * 2)
        self._title = role_label(Role.TITLE)
        layout.addLayout(self._top_bar(summary.language, theme))
        layout.addWidget(self._store_card(summary))
        self._sync_label = role_label(Role.NOTICE)
        layout.addWidget(self._sync_label)
        layout.addStretch(1)
        self._hint = role_label(Role.MUTED)
        layout.addWidget(self._hint)
        self.setCentralWidget(body)
        # Nothing is keyboard-focused at start: a focus ring on the first button would look
        # like a selection to a nurse who never touches a keyboard.
        body.setFocus()
        self.retranslate_ui()

    def set_summary(self, summary: HomeSummary) -> None:
        """Show new counts (after issues were saved or sent)."""
        self._summary = summary
        self.retranslate_ui()

    def show_sync(self, status: SyncStatus) -> None:
        """Slot for `SyncStatusBridge.status_changed`: say where sending stands."""
        self._sync_status = status
        self._show_sync_text()
        trouble = status.connection is Connection.PAUSED or status.needs_attention > 0
        set_role(self._sync_label, Role.WARNING if trouble else Role.NOTICE)

    def retranslate_ui(self) -> None:
        """Set every text in the installed language (at start and on each language change)."""
        summary = self._summary
        self._title.setText(arg(self.tr("Cart %1 · %2"), summary.cart_id, summary.ward))
        total = sum(summary.counts.values())
        self._total.setText(self.tr("%n issue(s) on this cart", None, total))
        for status, label in self._count_labels.items():
            count = summary.counts.get(status, 0)
            label.setText(f"{status_label(status)}: {count}" if count else "")
            label.setVisible(bool(count))
        self._pending.setText(arg(self.tr("Waiting to be sent: %1"), summary.pending))
        self._show_sync_text()
        self._hint.setText(
            self.tr("Technicians: sign in on the Technician page with your staff number and PIN.")
        )
        for key, button in self._theme_buttons.items():
            button.setText(QCoreApplication.translate("Theme", THEMES[key].label))
        # The language may have been switched elsewhere (the main window's top bar).
        installed = installed_language()
        for key, button in self._language_buttons.items():
            button.setChecked(key == installed)

    def _show_sync_text(self) -> None:
        if self._sync_status is not None:
            self._sync_label.setText(describe_sync(self._sync_status))
        else:
            waiting = CHECKING if self._summary.sync_enabled else NO_SYNC
            self._sync_label.setText(QCoreApplication.translate("SyncStatus", waiting))

    def _top_bar(self, language: str, theme: str) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(SIZES.spacing)
        bar.addWidget(self._title, 1)
        # Language names stay in their own language: a nurse who cannot read the current one
        # must still find hers.
        languages = {key: _segment(name) for key, name in LANGUAGES.items()}
        self._language_buttons = languages
        self._theme_buttons = {key: _segment("") for key in THEMES}
        for buttons, current, chosen in (
            (languages, language, self.language_chosen),
            (self._theme_buttons, theme, self.theme_chosen),
        ):
            group = QButtonGroup(self)
            segments = QHBoxLayout()
            segments.setSpacing(SIZES.spacing // 2)
            for key, button in buttons.items():
                group.addButton(button)
                button.setChecked(key == current)
                button.clicked.connect(lambda _=False, key=key, chosen=chosen: chosen.emit(key))
                segments.addWidget(button)
            bar.addSpacing(SIZES.spacing)
            bar.addLayout(segments)
        return bar

    def _store_card(self, summary: HomeSummary) -> QFrame:
        card = QFrame()
        set_role(card, Role.CARD)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(*[SIZES.margin // 2 + 8] * 4)
        layout.setSpacing(SIZES.spacing)
        self._total = role_label(Role.HEADING)
        layout.addWidget(self._total)
        self._count_labels = {status: role_label(Role.LARGE) for status in STATUS_LABELS}
        counts = QGridLayout()  # two columns: every status fits the cart's 800 px height
        counts.setHorizontalSpacing(SIZES.spacing * 2)
        counts.setVerticalSpacing(SIZES.spacing // 2)
        for index, label in enumerate(self._count_labels.values()):
            counts.addWidget(label, index // 2, index % 2)
        layout.addLayout(counts)
        self._pending = role_label(Role.LARGE)
        layout.addWidget(self._pending)
        return card


def _segment(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(True)
    # A tapped switch keeps no focus ring (its checked colour says enough); Tab still reaches it.
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    set_role(button, Role.SEGMENT)
    return button
