"""The right half of the technician screen: one issue in full, and what can be done about it.

`IssueDetail` shows the reference, priority, status, category, place, description, flags, sync
state, timeline and notes of one issue, and the actions its status allows: claim, resolve (code,
minutes, notes), escalate (group, reason), add a note, and set impact/urgency (not once the
central service owns the issue). Each action opens an inline panel, never a dialog; free text is
checked by the privacy guard on every keystroke. The widget acts only through `BedsideActions`,
which the composition root wires to the store and the domain; it never touches storage itself.
"Duplicate" closes an issue as the same problem as another open one (`DuplicatePicker`).
"""

from __future__ import annotations

import re
import uuid
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cowapp.domain.errors import (
    DomainError,
    IllegalTransitionError,
    PrivacyBlockedError,
    PrivacyConfirmationRequiredError,
    ValidationError,
)
from cowapp.domain.issue import OPEN_STATUSES, OWNED_REMOTELY, EventKind, Issue, IssueStatus
from cowapp.domain.issue import ResolutionCode as Code
from cowapp.domain.outbox import IssueSyncState
from cowapp.domain.taxonomy import Taxonomy
from cowapp.ui.detail_inputs import ChipChoice, GuardedText
from cowapp.ui.duplicate_picker import DuplicatePicker
from cowapp.ui.i18n import Retranslating, arg, category_label
from cowapp.ui.labels import status_label
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import FlowLayout, button_text, role_label, scroll_column, segment

MINUTES_STEP = 5
MINUTES_MAX = 8 * 60
CODES = (
    Code.FIXED, Code.RESTARTED, Code.RECONFIGURED, Code.REPLACED,
    Code.ACCESS_GRANTED, Code.WORKAROUND, Code.INSTRUCTED, Code.NO_FAULT_FOUND,
)  # fmt: skip
"""Resolution codes offered in "Resolve" (``duplicate`` has its own action and picker)."""


class BedsideActions(Protocol):
    """What the technician screen may do to an issue; the composition root supplies it.

    The signed-in technician is known to the implementation. Every method returns the issue as
    stored afterwards, or raises the domain's `ValidationError` (incl. `PrivacyBlockedError` and
    `PrivacyConfirmationRequiredError`) or `IllegalTransitionError` and changes nothing.
    """

    def claim(self, issue_id: uuid.UUID) -> Issue:
        """Take the issue (``new → in_progress``)."""
        ...

    def resolve(
        self, issue_id: uuid.UUID, code: Code, notes: str, minutes: int | None, confirmed: bool
    ) -> Issue:
        """Close it at the bedside with a resolution code, notes and minutes spent."""
        ...

    def mark_duplicate(self, issue_id: uuid.UUID, original_reference: str) -> Issue:
        """Close it as a duplicate of the issue with that reference."""
        ...

    def duplicate_candidates(self, issue: Issue) -> list[Issue]:
        """Open issues it may duplicate, most likely first."""
        ...

    def escalate(self, issue_id: uuid.UUID, group: str, reason: str, confirmed: bool) -> Issue:
        """Hand it to a resolver group with a reason."""
        ...

    def add_note(self, issue_id: uuid.UUID, text: str, confirmed: bool) -> Issue:
        """Add a note."""
        ...

    def set_priority(self, issue_id: uuid.UUID, impact: int, urgency: int) -> Issue:
        """Override impact and urgency (1-3 each)."""
        ...


class IssueDetail(Retranslating, QWidget):
    """One issue in full, with inline action panels.

    Signals:
        issue_changed(object): an action was stored; the argument is the updated `Issue`.
        issue_shown(object): the issue shown changed or was refreshed (`Issue` or None).

    Args:
        act: the bedside actions (the composition root binds them to the store).
        groups: the resolver groups a technician may escalate to.
        technician: the signed-in technician's staff number (to say "claimed by you").
        taxonomy: for category and subcategory labels.
        parent: the owning widget.
    """

    issue_changed = Signal(object)
    issue_shown = Signal(object)

    def __init__(
        self,
        act: BedsideActions,
        groups: tuple[str, ...],
        technician: str,
        taxonomy: Taxonomy,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._act, self._groups, self._me, self._taxonomy = act, groups, technician, taxonomy
        self._issue: Issue | None = None
        self._sync: IssueSyncState | None = None
        self._minutes = 10
        self._scroll = scroll_column(self._build_body())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        self.retranslate_ui()
        self.show_issue(None)

    # --- public -------------------------------------------------------------------------------

    @property
    def issue(self) -> Issue | None:
        """The issue shown, or None."""
        return self._issue

    def show_issue(self, issue: Issue | None, sync: IssueSyncState | None = None) -> None:
        """Show ``issue`` (None: the "choose an issue" hint); open panels close if it changed."""
        if issue is None or self._issue is None or issue.id != self._issue.id:
            self._open_panel(None)
            for box in (self._resolve_text, self._reason, self._note):
                box.clear()
        self._issue, self._sync = issue, sync
        self._body.setVisible(issue is not None)
        self._empty.setVisible(issue is None)
        self._show_issue()
        self.issue_shown.emit(issue)

    def add_section(self, section: QWidget) -> None:
        """Host another widget under the actions (it follows `issue_shown` itself)."""
        body = self._body.layout()
        assert isinstance(body, QVBoxLayout)
        body.insertWidget(body.indexOf(self._timeline), section)

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self._empty.setText(self.tr("Tap an issue in the list to see it here"))
        texts = {
            "claim": self.tr("Claim"),
            "resolve": self.tr("Resolve"),
            "escalate": self.tr("Escalate"),
            "note": self.tr("Add note"),
            "priority": self.tr("Impact/urgency"),
            "duplicate": self.tr("Duplicate"),
        }
        for key, text in texts.items():
            self._buttons[key].setText(button_text(text))
        self._code.set_texts({code.value: self._code_text(code) for code in CODES})
        self._code_label.setText(self.tr("How was it solved?"))
        self._minutes_label.setText(self.tr("Minutes spent"))
        self._group_label.setText(self.tr("Escalate to"))
        self._impact_label.setText(self.tr("Impact: who is affected?"))
        self._impact.set_texts(
            {
                "1": self.tr("1 Several wards"),
                "2": self.tr("2 One ward"),
                "3": self.tr("3 One person"),
            }
        )
        self._urgency_label.setText(self.tr("Urgency: can care continue?"))
        self._urgency.set_texts(
            {
                "1": self.tr("1 Not safely"),
                "2": self.tr("2 Workaround"),
                "3": self.tr("3 No impact"),
            }
        )
        self._submit["resolve"].setText(self.tr("Save as resolved"))
        self._submit["escalate"].setText(self.tr("Escalate now"))
        self._submit["note"].setText(self.tr("Save note"))
        self._submit["duplicate"].setText(self.tr("Close as duplicate"))
        self._duplicate.retranslate_ui()
        self._submit["priority"].setText(self.tr("Save impact/urgency"))
        self._resolve_text.edit.setPlaceholderText(self.tr("What did you do? (optional)"))
        self._reason.edit.setPlaceholderText(self.tr("Reason for the resolver group (required)"))
        self._note.edit.setPlaceholderText(self.tr("Note"))
        for box in (self._resolve_text, self._reason, self._note):
            box.retranslate()
        self._show_issue()

    # --- building -----------------------------------------------------------------------------

    def _build_body(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(SIZES.spacing // 2)
        self._empty = role_label(Role.LARGE)
        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(SIZES.spacing // 2)
        self._reference, self._headline = role_label(Role.TITLE), role_label(Role.LARGE)
        self._category, self._place = role_label(Role.LARGE), role_label(None)
        self._description, self._flags = role_label(None), role_label(Role.WARNING)
        self._sync_label, self._owner = role_label(Role.MUTED), role_label(Role.MUTED)
        for widget in (self._reference, self._headline, self._category, self._place):
            body.addWidget(widget)
        for widget in (self._description, self._flags, self._owner, self._sync_label):
            body.addWidget(widget)
        body.addWidget(self._build_actions())
        self._timeline = role_label(None)
        self._timeline.setTextFormat(Qt.TextFormat.PlainText)
        body.addWidget(self._timeline)
        layout.addWidget(self._empty)
        layout.addWidget(self._body)
        layout.addStretch(1)
        return page

    def _build_actions(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, SIZES.spacing // 2, 0, SIZES.spacing // 2)
        layout.setSpacing(SIZES.spacing // 2)
        row = QWidget()
        flow = FlowLayout(row)
        self._buttons: dict[str, QPushButton] = {"claim": QPushButton()}
        set_role(self._buttons["claim"], Role.PRIMARY)
        self._buttons["claim"].clicked.connect(self._on_claim_clicked)
        self._buttons["claim"].setFocusPolicy(Qt.FocusPolicy.TabFocus)
        flow.addWidget(self._buttons["claim"])
        for key in ("resolve", "escalate", "duplicate", "note", "priority"):
            button = self._buttons[key] = segment()
            button.clicked.connect(lambda on, key=key: self._open_panel(key if on else None))
            flow.addWidget(button)
        self._claim_error = role_label(Role.ERROR)
        layout.addWidget(row)
        layout.addWidget(self._claim_error)
        self._code = ChipChoice([c.value for c in CODES])
        self._resolve_text, self._reason, self._note = GuardedText(), GuardedText(), GuardedText()
        self._group = ChipChoice(list(self._groups))
        self._duplicate = DuplicatePicker()
        self._duplicate.reference_changed.connect(lambda _ref: self._update_submits())
        self._group.set_texts({g: g for g in self._groups})
        self._impact = ChipChoice(["1", "2", "3"])
        self._urgency = ChipChoice(["1", "2", "3"])
        self._code_label, self._group_label = role_label(Role.LARGE), role_label(Role.LARGE)
        self._minutes_label = role_label(Role.LARGE)
        self._impact_label, self._urgency_label = role_label(Role.LARGE), role_label(Role.LARGE)
        self._panels: dict[str, list[QWidget]] = {
            "resolve": [self._code_label, self._code, self._minutes_label, self._stepper()],
            "escalate": [self._group_label, self._group, self._reason],
            "duplicate": [self._duplicate],
            "note": [self._note],
            "priority": [self._impact_label, self._impact, self._urgency_label, self._urgency],
        }
        self._panels["resolve"].append(self._resolve_text)
        self._submit: dict[str, QPushButton] = {}
        self._errors: dict[str, QLabel] = {}
        self._hints: dict[str, QLabel] = {}
        self._frames: dict[str, QFrame] = {}
        for key, widgets in self._panels.items():
            self._frames[key] = self._panel(key, widgets)
            layout.addWidget(self._frames[key])
        for box_widget in (self._resolve_text, self._reason, self._note):
            box_widget.state_changed.connect(self._update_submits)
        return box

    def _panel(self, key: str, widgets: list[QWidget]) -> QFrame:
        frame = QFrame()
        set_role(frame, Role.CARD)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(SIZES.spacing // 2)
        for widget in widgets:
            layout.addWidget(widget)
        submit = self._submit[key] = QPushButton()
        set_role(submit, Role.PRIMARY)
        submit.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        submit.clicked.connect(lambda _=False, key=key: self._on_submit_clicked(key))
        self._errors[key] = role_label(Role.ERROR)
        self._hints[key] = role_label(Role.MUTED)
        layout.addWidget(self._hints[key])
        layout.addWidget(submit)
        layout.addWidget(self._errors[key])
        return frame

    def _stepper(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SIZES.spacing)
        self._minus, self._plus = QPushButton("−"), QPushButton("+")
        self._minutes_value = role_label(Role.FIGURE)
        self._minutes_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for button, step in ((self._minus, -MINUTES_STEP), (self._plus, MINUTES_STEP)):
            button.setFixedSize(SIZES.tile, SIZES.control_height + 8)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName("minus" if step < 0 else "plus")
            button.clicked.connect(lambda _=False, step=step: self._on_step_clicked(step))
        row.addWidget(self._minus)
        row.addWidget(self._minutes_value, 1)
        row.addWidget(self._plus)
        return box

    # --- slots --------------------------------------------------------------------------------

    def _on_step_clicked(self, step: int) -> None:
        self._minutes = min(MINUTES_MAX, max(0, self._minutes + step))
        self._minutes_value.setText(str(self._minutes))

    def _on_claim_clicked(self) -> None:
        if self._issue is not None:
            issue_id = self._issue.id
            self._run(self._claim_error, lambda: self._act.claim(issue_id))

    def _on_submit_clicked(self, key: str) -> None:
        if self._issue is None or not self._submit[key].isEnabled():
            return
        issue_id, act = self._issue.id, self._act
        if key == "resolve":
            if self._code.value() is None:
                self._errors[key].setText(self.tr("Choose how it was solved"))
                return
            code = Code(self._code.value() or "")
            text, ok = self._resolve_text.text(), self._resolve_text.confirm.isChecked()
            self._run(
                self._errors[key], lambda: act.resolve(issue_id, code, text, self._minutes, ok)
            )
        elif key == "escalate":
            group, reason = self._group.value() or "", self._reason.text()
            ok = self._reason.confirm.isChecked()
            self._run(self._errors[key], lambda: act.escalate(issue_id, group, reason, ok))
        elif key == "duplicate":
            original = self._duplicate.reference()
            self._run(self._errors[key], lambda: act.mark_duplicate(issue_id, original))
        elif key == "note":
            text, ok = self._note.text(), self._note.confirm.isChecked()
            self._run(self._errors[key], lambda: act.add_note(issue_id, text, ok))
        else:
            impact, urgency = int(self._impact.value() or 0), int(self._urgency.value() or 0)
            self._run(self._errors[key], lambda: act.set_priority(issue_id, impact, urgency))

    # --- acting and showing -------------------------------------------------------------------

    def _run(self, error_label: QLabel, action: _Action) -> None:
        error_label.clear()
        try:
            issue = action()
        except DomainError as error:
            error_label.setText(self._plain(error))
            error_label.show()
            return
        self._open_panel(None)
        for box in (self._resolve_text, self._reason, self._note):
            box.clear()
        self._issue = issue
        self._show_issue()
        self.issue_changed.emit(issue)

    def _plain(self, error: DomainError) -> str:
        if isinstance(error, PrivacyBlockedError):
            return self.tr("Remove the BSN first: patient data may not go into a ticket")
        if isinstance(error, PrivacyConfirmationRequiredError):
            return self.tr("First confirm: this is no patient data")
        if isinstance(error, IllegalTransitionError) and self._issue is not None:
            return arg(
                self.tr("Not possible now: the issue is %1"), status_label(self._issue.status)
            )
        friendly = {
            "reason": self.tr("Write a reason the resolver group can use"),
            "group": self.tr("Choose the group to escalate to"),
            "escalate": self.tr("Choose the group to escalate to"),
            "impact": self.tr("Choose impact and urgency"),
            "urgency": self.tr("Choose impact and urgency"),
            "duplicate_of": self.tr(
                "No other issue on this cart has that reference: tap one above or check it"
            ),
        }
        if isinstance(error, ValidationError) and error.field in friendly:
            return friendly[error.field]
        return str(error)

    def _open_panel(self, key: str | None) -> None:
        for name, frame in self._frames.items():
            frame.setVisible(name == key)
            self._buttons[name].setChecked(name == key)
            self._errors[name].clear()
        self._claim_error.clear()
        if key == "resolve":
            self._code.choose(Code.FIXED.value)
            self._on_step_clicked(10 - self._minutes)
        if key == "duplicate" and self._issue is not None:
            candidates = self._act.duplicate_candidates(self._issue)
            labels = [i.description or self._category_text(i) for i in candidates]
            self._duplicate.set_candidates(candidates, labels)
        if key == "priority" and self._issue is not None:
            self._impact.choose(str(self._issue.impact))
            self._urgency.choose(str(self._issue.urgency))
        self._update_submits()
        if key is not None:  # once the layout has placed the panel: show its top
            frame = self._frames[key]
            QTimer.singleShot(0, self, lambda: self._scroll.ensureWidgetVisible(frame, 0, 0))

    def _update_submits(self) -> None:
        for key, box in (
            ("resolve", self._resolve_text),
            ("escalate", self._reason),
            ("note", self._note),
        ):
            if box.blocked():
                hint = self.tr("Remove the BSN first")
            elif box.unconfirmed():
                hint = self.tr("First confirm: this is no patient data")
            else:
                hint = ""
            self._submit[key].setEnabled(not hint)
            self._hints[key].setText(hint)
            self._hints[key].setVisible(bool(hint))
        self._hints["priority"].hide()
        self._hints["duplicate"].hide()
        self._submit["duplicate"].setEnabled(bool(self._duplicate.reference()))

    def _show_issue(self) -> None:
        issue = self._issue
        if issue is None:
            return
        self._reference.setText(issue.reference)
        self._headline.setText(
            arg(self.tr("Priority %1 · %2"), issue.priority, status_label(issue.status))
        )
        self._category.setText(self._category_text(issue))
        room = issue.room
        if room and not re.match(r"(?i)(kamer|room)\b", room):  # "kamer 14" stays as typed
            room = arg(self.tr("room %1"), room)
        self._place.setText(" · ".join(p for p in (issue.ward, room, issue.asset_tag) if p))
        self._description.setText(issue.description or self.tr("(no description)"))
        self._flags.setText("\n".join(self._flag_lines(issue)))
        self._flags.setVisible(bool(self._flags.text()))
        self._owner.setText(self._owner_text(issue))
        self._sync_label.setText(self._sync_text(issue))
        self._timeline.setText(self._timeline_text(issue))
        is_open, remote = issue.status in OPEN_STATUSES, issue.status in OWNED_REMOTELY
        self._buttons["claim"].setVisible(issue.status is IssueStatus.NEW)
        self._buttons["resolve"].setVisible(is_open)
        self._buttons["escalate"].setVisible(is_open)
        self._buttons["duplicate"].setVisible(is_open)
        self._buttons["priority"].setEnabled(not remote)
        self._buttons["priority"].setToolTip(
            self.tr("The central service desk owns the priority now") if remote else ""
        )

    def _category_text(self, issue: Issue) -> str:
        return category_label(self._taxonomy, issue.category, issue.subcategory)

    def _flag_lines(self, issue: Issue) -> list[str]:
        lines = []
        if issue.patient_safety:
            vim = issue.vim_reference
            lines.append(
                arg(self.tr("⚠ Patient safety at risk · VIM %1"), vim)
                if vim
                else self.tr("⚠ Patient safety at risk")
            )
        if issue.privacy_incident:
            lines.append(self.tr("Possible privacy incident"))
        if issue.golive_blocking:
            lines.append(self.tr("Blocks the go-live"))
        if issue.workaround_available:
            lines.append(self.tr("A workaround is available"))
        return lines

    def _owner_text(self, issue: Issue) -> str:
        if issue.status in OWNED_REMOTELY:
            return arg(self.tr("Escalated to %1"), issue.escalation_group or "-")
        if issue.claimed_by == self._me:
            return self.tr("Claimed by you")
        if issue.claimed_by:
            return arg(self.tr("Claimed by %1"), issue.claimed_by)
        return arg(self.tr("Reported by %1"), issue.reporter)

    def _sync_text(self, issue: Issue) -> str:
        if issue.remote_number:
            return arg(self.tr("Central ticket %1"), issue.remote_number)
        if self._sync in (IssueSyncState.QUEUED, IssueSyncState.SENDING):
            return self.tr("Waiting to be sent to the central service desk")
        if self._sync is IssueSyncState.NEEDS_ATTENTION:
            return self.tr("Sending failed: tap Needs attention at the bottom")
        return self.tr("On this cart only")

    def _timeline_text(self, issue: Issue) -> str:
        kinds = {
            EventKind.CREATED: self.tr("Reported"),
            EventKind.CLAIMED: self.tr("Claimed"),
            EventKind.RELEASED: self.tr("Released"),
            EventKind.RESOLVED: self.tr("Resolved"),
            EventKind.ESCALATED: self.tr("Escalated"),
            EventKind.REOPENED: self.tr("Reopened"),
            EventKind.PRIORITY_CHANGED: self.tr("Priority changed"),
            EventKind.NOTE_ADDED: self.tr("Note"),
            EventKind.REMOTE_UPDATED: self.tr("Update from IT"),
        }
        notes = {str(note.id): note.text for note in issue.notes}
        lines = [self.tr("Timeline (times on this cart)")]
        for event in issue.events:
            when = event.at.astimezone().strftime("%d-%m %H:%M")
            what = kinds[event.kind]
            if event.kind is EventKind.NOTE_ADDED:
                what += ": " + notes.get(event.detail, "")
            elif event.kind is EventKind.ESCALATED:
                what += " · " + (issue.escalation_group or "")
            elif event.kind in (EventKind.RESOLVED, EventKind.REMOTE_UPDATED):
                what += " · " + status_label(event.to_status)
            lines.append(f"{when}  {what}  ({event.actor})")
        if issue.resolution_notes:
            lines.append(arg(self.tr("Resolution notes: %1"), issue.resolution_notes))
        if issue.escalation_reason:
            lines.append(arg(self.tr("Escalation reason: %1"), issue.escalation_reason))
        return "\n".join(lines)

    def _code_text(self, code: Code) -> str:
        return {
            Code.FIXED: self.tr("Fixed"),
            Code.RESTARTED: self.tr("Restarted"),
            Code.RECONFIGURED: self.tr("Settings changed"),
            Code.REPLACED: self.tr("Replaced"),
            Code.ACCESS_GRANTED: self.tr("Access granted"),
            Code.WORKAROUND: self.tr("Workaround given"),
            Code.INSTRUCTED: self.tr("Explained how"),
            Code.NO_FAULT_FOUND: self.tr("No fault found"),
            Code.DUPLICATE: self.tr("Duplicate"),
        }.get(code, code.value)


class _Action(Protocol):
    def __call__(self) -> Issue: ...
