"""The technician's known-issue section in the issue detail: the category's checklist, and
"Publish as known issue" for a bedside resolution.

The checklist comes from the shipped catalogue (``resources/known_issues.json``) and is a memory
aid only: ticks are not stored. Publishing opens an inline form prefilled from the issue (title
from the description's first line, steps from the resolution notes); the domain runs the privacy
guard over it, and a warning needs "this is no patient data" ticked. The panel acts only through
the `KnownIssueTools` it is given.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cowapp.domain.errors import (
    PrivacyBlockedError,
    PrivacyConfirmationRequiredError,
    ValidationError,
)
from cowapp.domain.issue import CLOSED_AT_CART, Issue
from cowapp.ui.i18n import Retranslating, installed_language
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import role_label


class KnownIssueTools(Protocol):
    """What the panel needs; the composition root supplies it."""

    def checklist(self, category: str, language: str) -> tuple[str, ...]:
        """The checklist lines for a category."""
        ...

    def publish(
        self, issue: Issue, author: str, title: str, symptom: str, steps: str, confirmed: bool
    ) -> str:
        """Publish the resolution as a known issue; returns its id."""
        ...


class KnownIssuePanel(Retranslating, QWidget):
    """Checklist per category and publishing a resolution as a known issue.

    Signals:
        published(str): a known issue was published; the argument is its id.

    Args:
        tools: checklists and publishing.
        technician: the signed-in technician (the author of what is published).
        parent: the owning widget.
    """

    published = Signal(str)

    def __init__(
        self, tools: KnownIssueTools, technician: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tools, self._me = tools, technician
        self._issue: Issue | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, SIZES.spacing // 2, 0, 0)
        layout.setSpacing(SIZES.spacing // 2)
        self._checklist_heading = role_label(Role.HEADING)
        self._checks = QVBoxLayout()
        self._checks.setSpacing(4)
        self._open = QPushButton()
        self._open.setCheckable(True)
        set_role(self._open, Role.SEGMENT)
        self._open.toggled.connect(self._on_open_toggled)
        self._form = self._build_form()
        self._result = role_label(Role.SUCCESS)
        layout.addWidget(self._checklist_heading)
        layout.addLayout(self._checks)
        layout.addWidget(self._open)
        layout.addWidget(self._form)
        layout.addWidget(self._result)
        self.retranslate_ui()
        self.show_issue(None)

    def show_issue(self, issue: Issue | None) -> None:
        """Show the checklist for ``issue``'s category; publishing only once it is resolved."""
        changed = issue is None or self._issue is None or issue.id != self._issue.id
        self._issue = issue
        if changed:
            self._open.setChecked(False)
            self._result.hide()
        self._fill_checklist()
        self._open.setVisible(issue is not None and issue.status in CLOSED_AT_CART)
        self.setVisible(issue is not None)

    def retranslate_ui(self) -> None:
        """Set the texts in the installed language."""
        self._checklist_heading.setText(self.tr("Checklist for this category"))
        self._open.setText(self.tr("Publish as known issue"))
        self._title.setPlaceholderText(self.tr("Title nurses will recognise"))
        self._symptom.setPlaceholderText(self.tr("What the nurse sees"))
        self._steps.setPlaceholderText(self.tr("Self-help steps, one per line"))
        self._confirm.setText(self.tr("This is no patient data"))
        self._publish.setText(self.tr("Publish"))
        self._fill_checklist()

    def _build_form(self) -> QWidget:
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing // 2)
        self._title = QLineEdit()
        self._title.setMaxLength(120)
        self._symptom, self._steps = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self._symptom, self._steps):
            edit.setFixedHeight(SIZES.control_height * 2)
            edit.setTabChangesFocus(True)
        self._confirm = QCheckBox()
        self._confirm.setMinimumHeight(SIZES.min_touch)
        self._publish = QPushButton()
        set_role(self._publish, Role.PRIMARY)
        self._publish.clicked.connect(self._on_publish_clicked)
        self._error = role_label(Role.ERROR)
        for widget in (self._title, self._symptom, self._steps, self._confirm):
            layout.addWidget(widget)
        layout.addWidget(self._error)
        layout.addWidget(self._publish)
        form.hide()
        return form

    def _fill_checklist(self) -> None:
        while (item := self._checks.takeAt(0)) is not None:
            if (old := item.widget()) is not None:
                old.deleteLater()
        lines = (
            self._tools.checklist(self._issue.category, installed_language()) if self._issue else ()
        )
        for line in lines:
            self._checks.addWidget(_WrappedCheck(line))
        self._checklist_heading.setVisible(bool(lines))

    def _on_open_toggled(self, on: bool) -> None:
        self._form.setVisible(on)
        self._error.clear()
        issue = self._issue
        if on and issue is not None:
            lines = [line.strip() for line in issue.description.splitlines() if line.strip()]
            self._title.setText(lines[0][:120] if lines else "")
            self._symptom.setPlainText(issue.description)
            self._steps.setPlainText(issue.resolution_notes)
            self._confirm.setChecked(False)

    def _on_publish_clicked(self) -> None:
        if self._issue is None:
            return
        try:
            known_id = self._tools.publish(
                self._issue,
                self._me,
                self._title.text(),
                self._symptom.toPlainText(),
                self._steps.toPlainText(),
                self._confirm.isChecked(),
            )
        except PrivacyBlockedError:
            self._error.setText(self.tr("Remove the BSN first"))
        except PrivacyConfirmationRequiredError:
            self._error.setText(self.tr("First confirm: this is no patient data"))
        except ValidationError:
            self._error.setText(self.tr("Fill in a title, the symptom and the steps"))
        else:
            self._open.setChecked(False)
            self._result.setText(self.tr("Published: nurses see it while they type"))
            self._result.show()
            self.published.emit(known_id)


class _WrappedCheck(QWidget):
    """A checkbox whose text wraps (a plain QCheckBox widens the panel past the screen); a tap
    anywhere on the row ticks it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.box = QCheckBox()
        self.box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        label = QLabel(text)
        label.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(label, 1)
        self.setMinimumHeight(SIZES.min_touch)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        """One tap on the text ticks or unticks the box."""
        self.box.toggle()
        event.accept()
