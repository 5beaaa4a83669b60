"""Two small input widgets of the technician's detail view: `ChipChoice` (one answer out of a
few, as wrapping chips) and `GuardedText` (a short free text with the privacy guard running on
every keystroke and its "this is no patient data" confirmation).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from cowapp.domain import privacy
from cowapp.ui.i18n import installed_language
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import FlowLayout, button_text, role_label, segment


class ChipChoice(QWidget):
    """One answer out of a few, as chips that wrap to the width (a tap on the chosen one clears it).

    Args:
        keys: the answers' stable keys, in display order.
        parent: the owning widget.
    """

    def __init__(self, keys: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        flow = FlowLayout(self, spacing=SIZES.spacing // 2 + 4)
        self.buttons = {key: segment() for key in keys}
        for key, button in self.buttons.items():
            button.clicked.connect(lambda _=False, key=key: self._on_button_clicked(key))
            flow.addWidget(button)

    def value(self) -> str | None:
        """The chosen key, or None."""
        return next((key for key, b in self.buttons.items() if b.isChecked()), None)

    def set_texts(self, texts: dict[str, str]) -> None:
        """Label the chips (key → text)."""
        for key, text in texts.items():
            self.buttons[key].setText(button_text(text))

    def choose(self, key: str | None) -> None:
        """Choose ``key`` (None: nothing)."""
        for other, button in self.buttons.items():
            button.setChecked(other == key)

    def _on_button_clicked(self, key: str) -> None:
        for other, button in self.buttons.items():
            if other != key:
                button.setChecked(False)


class GuardedText(QWidget):
    """A free-text box with the privacy guard: a live banner and a "no patient data" toggle.

    Signals:
        state_changed(): the text or the confirmation changed (re-check whether saving may go).
    """

    state_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit()
        self.edit.setFixedHeight(SIZES.control_height * 2)
        self.edit.setTabChangesFocus(True)
        self.banner = role_label(Role.WARNING)
        self.confirm = segment()
        self._report = privacy.PrivacyReport(())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing // 2)
        for widget in (self.edit, self.banner, self.confirm):
            layout.addWidget(widget)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.confirm.toggled.connect(lambda _on: self.state_changed.emit())
        self._on_edit_text_changed()

    def text(self) -> str:
        """The text typed."""
        return self.edit.toPlainText()

    def blocked(self) -> bool:
        """Whether the text holds a BSN (no override)."""
        return self._report.blocked

    def unconfirmed(self) -> bool:
        """Whether a warning still waits for "this is no patient data"."""
        return self._report.needs_confirmation and not self.confirm.isChecked()

    def clear(self) -> None:
        """Empty the box and the confirmation."""
        self.edit.clear()
        self.confirm.setChecked(False)

    def retranslate(self) -> None:
        """Texts in the installed language."""
        self.confirm.setText(self.tr("This is no patient data"))
        self._show()

    def _on_edit_text_changed(self) -> None:
        self._report = privacy.scan_fields({"text": self.text()})
        self.confirm.setChecked(False)  # confirm what is there now, not what was there
        self._show()
        self.state_changed.emit()

    def _show(self) -> None:
        report, nl = self._report, installed_language() == "nl"
        messages = privacy.MESSAGES_NL if nl else privacy.MESSAGES_EN
        shown = [f for f in report.findings if f.severity is privacy.Severity.BLOCK] or list(
            report.findings
        )
        # Never the matched text itself: only what it looks like.
        self.banner.setText("\n".join(dict.fromkeys(messages[f.kind] for f in shown)))
        set_role(self.banner, Role.ERROR if report.blocked else Role.WARNING)
        self.banner.setVisible(bool(report.findings))
        self.confirm.setVisible(report.needs_confirmation)
