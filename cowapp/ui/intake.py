"""The nurse intake screen: report an IT problem in three taps, with gloves on, patient waiting.

One screen, no pages: on the left the taxonomy's categories as big tiles; on the right the chosen
category's subcategory chips, the two plain questions, the patient-safety flag (which asks for the
VIM number, never clinical details) and, folded under "More details", the optional free text,
room, asset and flags. The bottom bar holds the staff number (a badge reader types it and presses
Enter, which saves when the form is complete) and the save button. The privacy guard runs on every
keystroke: a BSN blocks saving, a warning needs "this is no patient data" confirmed. After saving,
the same widget shows the reference in very large type until "New report" clears the draft.
What was entered so far can be taken out as plain data (`IntakeScreen.draft_content`) and put
back (`IntakeScreen.restore_draft`), so the cart's session can keep a draft for its author only.

The screen saves through the ``submit`` callable it is given (the composition root wires it to
`create_issue` and `IssueStore.add`); it never touches storage itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cowapp.domain import privacy
from cowapp.domain.errors import (
    PrivacyBlockedError,
    PrivacyConfirmationRequiredError,
    ValidationError,
)
from cowapp.domain.intake import IssueDraft, check_staff_number
from cowapp.domain.priority import Affected, CareImpact
from cowapp.domain.taxonomy import Category, Taxonomy
from cowapp.ui.i18n import Retranslating, arg, installed_language
from cowapp.ui.known_issue_suggestions import KnownIssueSuggestions
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import (
    FlowLayout,
    SegmentedChoice,
    Tile,
    TileGrid,
    role_label,
    scroll_column,
    segment,
)

log = logging.getLogger(__name__)

TILE_COLUMNS = 3


@dataclass(frozen=True)
class SubmitResult:
    """What the composition root reports back after storing an issue.

    Attributes:
        reference: the short reference a nurse can quote on the phone.
        status: an optional extra line for the confirmation (already translated), or "".
    """

    reference: str
    status: str = ""


Submit = Callable[[IssueDraft], SubmitResult]


class IntakeScreen(Retranslating, QWidget):
    """Category tiles, chips, two questions, optional details, staff number, save; then a receipt.

    Signals:
        issue_submitted(str): an issue was stored; the argument is its reference.
        author_entered(str): a valid staff number was scanned or typed (Enter, or leaving the
            field), before any save it triggers: the session knows whose draft this is.

    Args:
        taxonomy: the categories to offer.
        submit: stores a draft and returns its reference; raises `ValidationError` (or one of the
            privacy errors) naming the field it refuses, which the screen shows next to it.
        ward: the ward this cart serves, stamped on every issue.
        parent: the owning widget.
        suggestions: known-issue suggestions to show while she types or picks a category.
    """

    issue_submitted = Signal(str)
    author_entered = Signal(str)

    def __init__(
        self,
        taxonomy: Taxonomy,
        submit: Submit,
        ward: str,
        parent: QWidget | None = None,
        suggestions: KnownIssueSuggestions | None = None,
    ) -> None:
        super().__init__(parent)
        self._suggestions = suggestions
        self._known_issue: str | None = None
        self._taxonomy = taxonomy
        self._submit = submit
        self._ward = ward
        self._report = privacy.PrivacyReport(())
        self._confirmed_findings: frozenset[tuple[str, privacy.FindingKind]] = frozenset()
        self._result: SubmitResult | None = None
        self._category: Category | None = None
        self._field_errors: dict[str, QLabel] = {"vim": role_label(Role.ERROR)}
        self._announced = ""  # the staff number last reported through `author_entered`
        self._restored = False  # a draft came back since that staff number was entered
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # receives a badge scan typed anywhere
        self._stack = QStackedWidget()
        self._form = self._build_form()
        self._done = self._build_done()
        self._stack.addWidget(self._form)
        self._stack.addWidget(self._done)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.retranslate_ui()
        self.reset()

    # --- public -------------------------------------------------------------------------------

    def reset(self) -> None:
        """Clear the draft (every choice and text, the staff number too) and show the form."""
        for tile in self._tiles.values():
            tile.setChecked(False)
        self._category = None
        self._care.clear()
        self._affected.clear()
        for edit in (self._error_text, self._room, self._asset, self._vim, self._staff):
            edit.clear()
        self._description.clear()
        for box in (self._safety, self._privacy_incident, self._golive, self._workaround):
            box.setChecked(False)
        self._confirm.setChecked(False)
        self._details_toggle.setChecked(False)
        self._known_issue = None
        self._clear_errors()
        self._announced = ""
        self._restored = False
        self._notice.clear()
        self._show_category()
        self._on_text_changed()
        self._stack.setCurrentWidget(self._form)
        self.setFocus()

    def is_blank(self) -> bool:
        """Whether the empty form shows: no choice, no text, no staff number, no receipt."""
        on_form = self._stack.currentWidget() is self._form
        return on_form and not self._staff.text() and not self.has_content()

    def has_content(self) -> bool:
        """Whether anything beyond the staff number was entered on the form."""
        content = self.draft_content()
        return any(value for key, value in content.items() if key != "reporter")

    def draft_content(self) -> dict[str, Any]:
        """What the form holds, as plain data for the author's draft (empty after the receipt)."""
        if self._stack.currentWidget() is not self._form:
            return {}
        texts = {"description": self._description.toPlainText()}
        for key, edit in self._line_edits().items():
            texts[key] = edit.text()
        flags = {key: box.isChecked() for key, box in self._flag_boxes().items()}
        chip = next((c for c, b in self._chip_buttons.items() if b.isChecked()), None)
        return {
            "category": self._category.code if self._category else None,
            "subcategory": chip,
            "care": self._care.value(),
            "affected": self._affected.value(),
            **texts,
            **flags,
        }

    def restore_draft(self, content: Mapping[str, Any], notice: str = "") -> None:
        """Put a draft from `draft_content` back on an empty form and show ``notice`` above it."""
        code = content.get("category")
        if code in self._tiles:
            self._on_tile_clicked(code)
        if (chip := self._chip_buttons.get(str(content.get("subcategory")))) is not None:
            chip.setChecked(True)
        self._care.choose(content.get("care"))
        self._affected.choose(content.get("affected"))
        for key, box in self._flag_boxes().items():
            box.setChecked(bool(content.get(key)))
        self._description.setPlainText(str(content.get("description") or ""))
        for key, edit in self._line_edits().items():
            edit.setText(str(content.get(key) or ""))
        if any(content.get(key) for key in ("description", "error_text", "room", "asset_tag")):
            self._details_toggle.setChecked(True)
        self._notice.setText(notice)
        self._restored = True

    def retranslate_ui(self) -> None:
        """Set every text in the installed language (at start and on each language change)."""
        lang = installed_language()
        self._title.setText(self.tr("What is not working?"))
        self._ward_label.setText(arg(self.tr("Ward %1"), self._ward))
        for code, tile in self._tiles.items():
            tile.set_label(self._taxonomy.category(code).label(lang))
        self._tile_grid.refit()
        self._sub_heading.setText(self.tr("What exactly? (optional)"))
        self._care_label.setText(self.tr("Can care continue safely?"))
        self._care.set_texts(
            {
                CareImpact.YES: self.tr("Yes"),
                CareImpact.WORKAROUND: self.tr("With a workaround"),
                CareImpact.NO: self.tr("No"),
            }
        )
        self._affected_label.setText(self.tr("Who is affected?"))
        self._affected.set_texts(
            {
                Affected.ME: self.tr("Me"),
                Affected.COLLEAGUES: self.tr("Colleagues"),
                Affected.WARD: self.tr("The whole ward"),
                Affected.SEVERAL_WARDS: self.tr("Several wards"),
            }
        )
        self._safety.setText(self.tr("Patient safety at risk"))
        self._vim_label.setText(self.tr("VIM report number (only the number, no clinical details)"))
        self._description.setPlaceholderText(self.tr("What happened? (optional, short)"))
        self._error_text.setPlaceholderText(self.tr("Error message on the screen (optional)"))
        self._room.setPlaceholderText(self.tr("Room (optional)"))
        self._asset.setPlaceholderText(self.tr("Asset tag, e.g. COW-1234 (optional)"))
        self._privacy_incident.setText(self.tr("Possible privacy incident"))
        self._golive.setText(self.tr("Blocks the go-live"))
        self._workaround.setText(self.tr("A workaround is available"))
        self._confirm.setText(self.tr("This is no patient data"))
        self._staff_label.setText(self.tr("Staff number"))
        self._staff.setPlaceholderText(self.tr("Scan your badge"))
        self._save.setText(self.tr("Save report"))
        saved = self.tr("Report saved")
        self._saved_heading.setText(f"✓  {saved}")
        self._reference_label.setText(self.tr("Your reference"))
        self._saved_text.setText(
            self.tr("Saved on this cart — it will be sent as soon as there is a connection")
        )
        self._new.setText(self.tr("New report"))
        self._show_details_toggle()
        self._show_category()
        self._show_guard()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """A badge scan typed while a button has focus goes into the staff number field."""
        text = event.text()
        on_form = self._stack.currentWidget() is self._form
        if on_form and text.isalnum() and not self._staff.hasFocus():
            self._staff.setFocus()
            self._staff.insert(text)
            return
        # The staff field handles its own Enter (and passes it on): never save twice.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if on_form and enter and not self._staff.hasFocus() and self._staff.text():
            self._on_staff_return_pressed()
            return
        super().keyPressEvent(event)

    # --- building -----------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(SIZES.spacing)
        top = QHBoxLayout()
        self._title = role_label(Role.TITLE)
        self._ward_label = role_label(Role.MUTED)
        self._notice = role_label(Role.LARGE)  # e.g. "your unfinished report is back"
        top.addWidget(self._title)
        top.addWidget(self._notice, 1, Qt.AlignmentFlag.AlignCenter)
        top.addWidget(self._ward_label)
        layout.addLayout(top)
        body = QHBoxLayout()
        body.setSpacing(SIZES.spacing + 8)
        body.addWidget(self._build_tiles(), 1)
        body.addWidget(self._build_details(), 1)
        layout.addLayout(body, 1)
        # Outside the scrolling column: the banner is in view whatever was scrolled to.
        layout.addWidget(self._guard)
        layout.addWidget(self._build_bottom_bar())
        return form

    def _build_tiles(self) -> TileGrid:
        self._tile_grid = TileGrid(TILE_COLUMNS)
        self._tiles: dict[str, Tile] = {}
        for category in self._taxonomy.categories:
            tile = Tile(category.icon)
            tile.clicked.connect(lambda _=False, code=category.code: self._on_tile_clicked(code))
            self._tile_grid.add(tile)
            self._tiles[category.code] = tile
        return self._tile_grid

    def _build_details(self) -> QScrollArea:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(SIZES.spacing // 2 + 4)
        self._hint = role_label(Role.MUTED)
        self._sub_heading = role_label(Role.LARGE)
        self._chips_box = QWidget()
        self._chips = FlowLayout(self._chips_box)
        self._chip_buttons: dict[str, QPushButton] = {}
        self._care_label, self._affected_label = role_label(Role.LARGE), role_label(Role.LARGE)
        self._care = SegmentedChoice([c.value for c in CareImpact], columns=3)
        self._affected = SegmentedChoice([a.value for a in Affected], columns=2)
        self._safety = _check()
        self._safety.toggled.connect(self._on_safety_toggled)
        self._vim_label, self._vim = role_label(Role.MUTED), QLineEdit()
        self._vim.setMaxLength(30)
        self._details_toggle = segment()
        self._details_toggle.toggled.connect(self._on_details_toggled)
        self._guard = self._build_guard()
        self._details = self._build_more()
        self._chosen: list[QWidget] = [self._hint, self._sub_heading, self._chips_box]
        for widget in (
            self._hint,
            self._sub_heading,
            self._chips_box,
            self._care_label,
            self._care,
            self._affected_label,
            self._affected,
            self._safety,
            self._vim_label,
            self._vim,
            self._details_toggle,
            self._details,
        ):
            layout.addWidget(widget)
        layout.insertWidget(layout.indexOf(self._vim) + 1, self._field_errors["vim"])
        if self._suggestions is not None:  # right under the chips: in view as soon as she taps
            layout.insertWidget(layout.indexOf(self._chips_box) + 1, self._suggestions)
            self._suggestions.me_too_chosen.connect(self._on_suggestions_me_too_chosen)
            self._suggestions.self_solved.connect(lambda _id: self.reset())
        layout.addStretch(1)
        self._scroll = scroll_column(column)
        return self._scroll

    def _build_more(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing // 2 + 4)
        self._description = QPlainTextEdit()
        self._description.setFixedHeight(SIZES.control_height * 2)
        self._description.setTabChangesFocus(True)
        self._error_text, self._room, self._asset = QLineEdit(), QLineEdit(), QLineEdit()
        self._field_errors["asset"] = role_label(Role.ERROR)
        place = QHBoxLayout()
        place.setSpacing(SIZES.spacing // 2 + 4)
        place.addWidget(self._room, 1)
        place.addWidget(self._asset, 2)
        self._privacy_incident, self._golive, self._workaround = _check(), _check(), _check()
        layout.addWidget(self._description)
        layout.addWidget(self._error_text)
        layout.addLayout(place)
        layout.addWidget(self._field_errors["asset"])
        for box_widget in (self._privacy_incident, self._golive, self._workaround):
            layout.addWidget(box_widget)
        for edit in (self._error_text, self._room):
            edit.textChanged.connect(self._on_text_changed)
        self._description.textChanged.connect(self._on_text_changed)
        self._vim.textChanged.connect(self._on_text_changed)
        return box

    def _build_guard(self) -> QFrame:
        frame = QFrame()
        layout = QHBoxLayout(frame)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing)
        self._guard_text = role_label(Role.WARNING)
        self._confirm = segment()
        self._confirm.setMinimumWidth(300)
        self._confirm.toggled.connect(self._on_confirm_toggled)
        layout.addWidget(self._guard_text, 1)
        layout.addWidget(self._confirm)
        return frame

    def _build_bottom_bar(self) -> QFrame:
        bar = QFrame()
        set_role(bar, Role.CARD)
        layout = QGridLayout(bar)
        layout.setContentsMargins(20, 8, 20, 8)
        layout.setHorizontalSpacing(SIZES.spacing)
        layout.setVerticalSpacing(4)
        self._staff_label = role_label(Role.LARGE)
        self._staff_label.setWordWrap(False)
        self._staff = QLineEdit()
        self._staff.setMaxLength(11)
        self._staff.setMinimumWidth(340)
        self._staff.returnPressed.connect(self._on_staff_return_pressed)
        self._staff.editingFinished.connect(self._on_staff_editing_finished)
        self._staff.textChanged.connect(lambda _text: self._field_errors["reporter"].clear())
        self._save = QPushButton()
        set_role(self._save, Role.PRIMARY)
        self._save.setMinimumWidth(280)
        self._save.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._save.clicked.connect(self._on_save_button_clicked)
        self._save_hint = role_label(Role.MUTED)
        self._field_errors["reporter"] = role_label(Role.ERROR)
        layout.addWidget(self._staff_label, 0, 0)
        layout.addWidget(self._staff, 0, 1)
        layout.addWidget(self._save_hint, 0, 2)
        layout.addWidget(self._save, 0, 3)
        layout.addWidget(self._field_errors["reporter"], 1, 1, 1, 3)
        layout.setColumnStretch(2, 1)
        return bar

    def _build_done(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(*[SIZES.margin] * 4)
        layout.setSpacing(SIZES.spacing * 2)
        self._saved_heading = role_label(Role.TITLE)
        card = QFrame()
        set_role(card, Role.CARD)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(40, 32, 40, 32)
        inner.setSpacing(SIZES.spacing)
        self._reference_label, self._reference = role_label(Role.LARGE), role_label(Role.FIGURE)
        self._reference.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._saved_text, self._status = role_label(Role.LARGE), role_label(Role.MUTED)
        for widget in (self._reference_label, self._reference, self._saved_text, self._status):
            inner.addWidget(widget)
        self._new = QPushButton()
        set_role(self._new, Role.PRIMARY)
        self._new.clicked.connect(self.reset)
        layout.addStretch(1)
        layout.addWidget(self._saved_heading)
        layout.addWidget(card)
        row = QHBoxLayout()  # half the width: the next nurse cannot miss it
        row.addWidget(self._new, 1)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    # --- slots --------------------------------------------------------------------------------

    def _on_tile_clicked(self, code: str) -> None:
        for other, tile in self._tiles.items():
            tile.setChecked(other == code)
        self._category = self._taxonomy.category(code)
        self._clear_errors()
        self._show_category()
        self._update_save()
        self._feed_suggestions()

    def _on_chip_clicked(self, code: str, checked: bool) -> None:
        for other, chip in self._chip_buttons.items():
            if other != code:
                chip.setChecked(False)
        del checked  # a second tap on the chosen chip clears it: the chip says so itself

    def _on_safety_toggled(self, on: bool) -> None:
        self._vim_label.setVisible(on)
        self._vim.setVisible(on)
        if not on:
            self._vim.clear()
            self._field_errors["vim"].clear()

    def _on_details_toggled(self, on: bool) -> None:
        self._details.setVisible(on)
        self._show_details_toggle()
        if on:
            self._scroll.ensureWidgetVisible(self._details)

    def _on_text_changed(self) -> None:
        texts = {
            "description": self._description.toPlainText(),
            "error_text": self._error_text.text(),
            "room": self._room.text(),
        }
        report = privacy.scan_fields(texts)
        self._feed_suggestions()
        # The VIM number is a long digit run by nature: only a BSN counts there (as in the domain).
        vim = privacy.scan_fields({"vim": self._vim.text()})
        blocks = tuple(f for f in vim.findings if f.severity is privacy.Severity.BLOCK)
        self._report = privacy.PrivacyReport(report.findings + blocks)
        if not self._signature() <= self._confirmed_findings:
            self._confirm.setChecked(False)  # something new was typed: confirm that too
        self._show_guard()

    def _feed_suggestions(self) -> None:
        if self._suggestions is not None:
            typed = f"{self._description.toPlainText()} {self._error_text.text()}"
            self._suggestions.set_query(typed, self._category.code if self._category else None)

    def _on_suggestions_me_too_chosen(self, known_issue: str, category: str) -> None:
        if self._category is None:
            self._on_tile_clicked(category)
        self._known_issue = known_issue  # kept if refused: the next save is this same report
        self._on_save_clicked()

    def _on_confirm_toggled(self, on: bool) -> None:
        self._confirmed_findings = self._signature() if on else frozenset()
        self._update_save()

    def _on_staff_editing_finished(self) -> None:
        on_form = self._stack.currentWidget() is self._form
        staff = self._staff.text().strip()
        if not on_form or not staff or staff == self._announced:
            return
        try:
            check_staff_number(staff, "reporter")
        except ValidationError:
            return  # saving says what is wrong with it; a half-typed number is nobody yet
        self._announced = staff
        self.author_entered.emit(staff)

    def _on_staff_return_pressed(self) -> None:
        self._on_staff_editing_finished()  # the author is known before the save they trigger
        if self._restored:
            return  # their draft came back: they look at it and tap Save, no scan sends it
        if self._save.isEnabled():
            self._on_save_clicked()

    def _on_save_button_clicked(self) -> None:
        self._restored = False
        self._on_save_clicked()

    def _on_save_clicked(self) -> None:
        if not self._save.isEnabled() or self._stack.currentWidget() is not self._form:
            return
        self._clear_errors()
        try:
            result = self._submit(self._draft())
        except (PrivacyBlockedError, PrivacyConfirmationRequiredError) as error:
            self._show_guard()
            self._save_hint.setText(str(error))
        except ValidationError as error:
            self._show_error(error)
        else:
            self._show_done(result)

    # --- showing ------------------------------------------------------------------------------

    def _show_category(self) -> None:
        category, lang = self._category, installed_language()
        for widget in self._chosen:
            widget.setVisible(category is not None)
        hint = category.hint(lang) if category and category.hint else ""
        self._hint.setText(hint)
        self._hint.setVisible(bool(hint))
        chosen_chip = next((c for c, b in self._chip_buttons.items() if b.isChecked()), None)
        while (item := self._chips.takeAt(0)) is not None:
            if (old_chip := item.widget()) is not None:
                old_chip.deleteLater()
        self._chip_buttons = {}
        for sub in category.subcategories if category else ():
            chip = segment(sub.label(lang))
            chip.setChecked(sub.code == chosen_chip)
            chip.clicked.connect(lambda on, code=sub.code: self._on_chip_clicked(code, on))
            self._chips.addWidget(chip)
            chip.show()  # now, not on the layout's queued show: no frame without chips
            self._chip_buttons[sub.code] = chip
        self._on_safety_toggled(self._safety.isChecked())
        self._details.setVisible(self._details_toggle.isChecked())
        self._update_save()

    def _show_details_toggle(self) -> None:
        arrow = "▴" if self._details_toggle.isChecked() else "▾"
        label = self.tr("More details")
        self._details_toggle.setText(f"{label}  {arrow}")

    def _show_guard(self) -> None:
        report = self._report
        messages = privacy.MESSAGES_NL if installed_language() == "nl" else privacy.MESSAGES_EN
        names = {
            "description": self.tr("Description"),
            "error_text": self.tr("Error message"),
            "room": self.tr("Room"),
            "vim": self.tr("VIM number"),
        }
        shown = [
            f for f in report.findings if f.severity is privacy.Severity.BLOCK or not report.blocked
        ]
        lines = dict.fromkeys(f"{names[f.field]}: {messages[f.kind]}" for f in shown)
        # Never the matched text itself: only the field and what it looks like.
        self._guard_text.setText("\n".join(lines))
        set_role(self._guard_text, Role.ERROR if report.blocked else Role.WARNING)
        self._guard.setVisible(bool(report.findings))
        self._confirm.setVisible(report.needs_confirmation)
        if (
            report.findings
            and not self._details.isVisible()
            and any(f.field != "vim" for f in report.findings)
        ):
            self._details_toggle.setChecked(True)
        self._update_save()

    def _update_save(self) -> None:
        report = self._report
        if self._category is None:
            reason = self.tr("First tap what is not working")
        elif report.blocked:
            reason = self.tr("Remove the BSN first")
        elif report.needs_confirmation and not self._confirm.isChecked():
            reason = self.tr("First confirm: this is no patient data")
        else:
            reason = ""
        self._save.setEnabled(not reason)
        self._save_hint.setText(reason)

    def _show_error(self, error: ValidationError) -> None:
        friendly = {
            "reporter": self.tr("Scan your badge or type your staff number (3 to 10 digits)"),
            "vim": self.tr("Only the VIM report number: letters, digits, - and /"),
            "asset": self.tr("This does not look like an asset tag of this hospital"),
        }
        label = self._field_errors.get(error.field)
        if label is None:
            log.info("intake refused: %s (field %r)", error, error.field)
            self._save_hint.setText(str(error))
            return
        label.setText(friendly[error.field])
        label.show()
        if error.field == "asset":
            self._details_toggle.setChecked(True)
        if error.field == "reporter":
            self._staff.setFocus()
            self._staff.selectAll()
        else:
            self._scroll.ensureWidgetVisible(label)

    def _clear_errors(self) -> None:
        for label in self._field_errors.values():
            label.clear()
            label.hide()

    def _show_done(self, result: SubmitResult) -> None:
        self._result = result
        self._reference.setText(result.reference)
        self._status.setText(result.status)
        self._status.setVisible(bool(result.status))
        self._stack.setCurrentWidget(self._done)
        self.setFocus()
        self.issue_submitted.emit(result.reference)

    # --- helpers ------------------------------------------------------------------------------

    def _draft(self) -> IssueDraft:
        chip = next((c for c, b in self._chip_buttons.items() if b.isChecked()), None)
        safety = self._safety.isChecked()
        return IssueDraft(
            category=self._category.code if self._category else "",
            reporter=self._staff.text(),
            subcategory=chip,
            description=self._description.toPlainText(),
            error_text=self._error_text.text(),
            room=self._room.text(),
            asset_tag=self._asset.text(),
            ward=self._ward,
            care_impact=self._care.value(),
            affected=self._affected.value(),
            patient_safety=safety,
            vim_reference=self._vim.text() if safety else "",
            privacy_incident=self._privacy_incident.isChecked(),
            golive_blocking=self._golive.isChecked(),
            workaround_available=self._workaround.isChecked(),
            confirmed_not_patient_data=self._confirm.isChecked(),
            known_issue=self._known_issue,
        )

    def _line_edits(self) -> dict[str, QLineEdit]:
        return {
            "error_text": self._error_text,
            "room": self._room,
            "asset_tag": self._asset,
            "vim_reference": self._vim,
        }

    def _flag_boxes(self) -> dict[str, QCheckBox]:
        return {
            "patient_safety": self._safety,
            "privacy_incident": self._privacy_incident,
            "golive_blocking": self._golive,
            "workaround_available": self._workaround,
        }

    def _signature(self) -> frozenset[tuple[str, privacy.FindingKind]]:
        return frozenset((f.field, f.kind) for f in self._report.findings)


def _check() -> QCheckBox:
    box = QCheckBox()
    box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return box
