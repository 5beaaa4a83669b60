"""Choosing the issue that another one duplicates: the likely ones as chips, or a typed reference.

The technician's detail view fills it with the newest open issues of the same category (one tap
on a chip picks one); a reference a nurse reads out ("kd7 m4x") can be typed instead. The widget
only says which reference was chosen; storing the duplicate is the detail view's action.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from cowapp.domain.issue import Issue
from cowapp.ui.theme import SIZES, Role
from cowapp.ui.widgets import FlowLayout, keep_text_whole, role_label, segment

SUMMARY_CHARS = 20


class DuplicatePicker(QWidget):
    """Candidate chips and a reference field.

    Signals:
        reference_changed(str): the chosen or typed reference ("" when none).
    """

    reference_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = role_label(Role.LARGE)
        self._none = role_label(Role.MUTED)
        self._chips_box = QWidget()
        self._chips = FlowLayout(self._chips_box)
        self._chip_buttons: dict[str, QPushButton] = {}
        self.field = QLineEdit()
        self.field.setMaxLength(12)
        self.field.textEdited.connect(self._on_field_text_edited)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing // 2)
        for widget in (self._label, self._chips_box, self._none, self.field):
            layout.addWidget(widget)
        self.retranslate_ui()

    def reference(self) -> str:
        """The reference chosen or typed."""
        return self.field.text().strip()

    def set_candidates(self, issues: Sequence[Issue], labels: Sequence[str]) -> None:
        """Offer ``issues`` (with a short label each, e.g. the subcategory) as chips."""
        while (item := self._chips.takeAt(0)) is not None:
            if (old := item.widget()) is not None:
                old.setParent(None)
                old.deleteLater()
        self._chip_buttons = {}
        for issue, label in zip(issues, labels, strict=True):
            chip = segment(f"{issue.reference} · {_shorten(label)}")
            keep_text_whole(chip)
            chip.clicked.connect(lambda on, ref=issue.reference: self._on_chip_clicked(ref, on))
            self._chips.addWidget(chip)
            chip.show()
            self._chip_buttons[issue.reference] = chip
        self._none.setVisible(not issues)
        self.field.clear()

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self._label.setText(self.tr("Same problem as which issue?"))
        self._none.setText(self.tr("No other open issue in this category: type its reference"))
        self.field.setPlaceholderText(self.tr("Reference, e.g. KD7-M4X"))

    def _on_chip_clicked(self, reference: str, on: bool) -> None:
        for other, chip in self._chip_buttons.items():
            chip.setChecked(on and other == reference)
        self.field.setText(reference if on else "")
        self.reference_changed.emit(self.reference())

    def _on_field_text_edited(self, text: str) -> None:
        for reference, chip in self._chip_buttons.items():
            chip.setChecked(reference == text.strip().upper())
        self.reference_changed.emit(self.reference())


def _shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"
