"""Intake: the nurse's answers become urgency/impact/priority; every field is checked with a
message naming it; the privacy guard runs over all free text; nothing is built from bad input."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import UTC, datetime

import pytest

from cowapp.domain import bedside, reference
from cowapp.domain.errors import (
    PrivacyBlockedError,
    PrivacyConfirmationRequiredError,
    ValidationError,
)
from cowapp.domain.intake import IntakePolicy, IssueDraft, bounded, create_issue
from cowapp.domain.issue import IssueStatus, IssueType, ResolutionCode
from cowapp.domain.priority import PriorityMatrix
from cowapp.domain.reference import ALPHABET, new_reference, normalise_reference
from cowapp.domain.taxonomy import Taxonomy

NOW = datetime(2026, 11, 3, 14, 30, tzinfo=UTC)
POLICY = IntakePolicy("COW-07", "B4 Interne", escalation_groups=("Servicedesk", "Printbeheer"))


def make(taxonomy: Taxonomy, **fields: object) -> IssueDraft:
    values: dict[str, object] = {"category": "printing", "reporter": "104233", **fields}
    return IssueDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("care", "affected", "urgency", "impact", "priority"),
    [
        ("no", "several_wards", 1, 1, 1),
        ("no", "me", 1, 3, 3),
        ("workaround", "ward", 2, 2, 3),
        ("workaround", "colleagues", 2, 2, 3),
        ("yes", "me", 3, 3, 5),
        ("yes", "several_wards", 3, 1, 3),
    ],
)
def test_plain_questions_map_to_priority(
    taxonomy: Taxonomy, care: str, affected: str, urgency: int, impact: int, priority: int
) -> None:
    issue, _ = create_issue(
        make(taxonomy, care_impact=care, affected=affected), taxonomy, POLICY, NOW
    )
    assert (issue.urgency, issue.impact, issue.priority) == (urgency, impact, priority)


def test_unanswered_questions_use_category_defaults(taxonomy: Taxonomy) -> None:
    printing, _ = create_issue(make(taxonomy), taxonomy, POLICY, NOW)
    outage, _ = create_issue(make(taxonomy, category="outage"), taxonomy, POLICY, NOW)
    safety, _ = create_issue(make(taxonomy, patient_safety=True), taxonomy, POLICY, NOW)
    assert (printing.impact, printing.urgency) == (3, 2)
    assert outage.impact == 1, "an outage affects several wards unless the nurse says otherwise"
    assert safety.urgency == 1, "patient safety at risk means care cannot continue safely"


def test_configured_matrix_and_override(taxonomy: Taxonomy) -> None:
    strict = IntakePolicy("C", "W", matrix=PriorityMatrix(((1, 1, 1), (1, 1, 1), (2, 2, 2))))
    issue, _ = create_issue(
        make(taxonomy, impact=3, urgency=3, care_impact="no"), taxonomy, strict, NOW
    )
    assert (issue.impact, issue.urgency, issue.priority) == (3, 3, 2)


def test_new_issue_fields(taxonomy: Taxonomy) -> None:
    issue, report = create_issue(
        make(
            taxonomy,
            subcategory="label_printer",
            description="  Etiketten vallen scheef ",
            room="kamer 12",
            asset_tag="prt-00451",
            category="printing",
        ),
        taxonomy,
        POLICY,
        NOW,
    )
    assert issue.status is IssueStatus.NEW
    assert issue.issue_type is IssueType.BREAK_FIX
    assert (issue.cart_id, issue.ward) == ("COW-07", "B4 Interne")
    assert issue.description == "Etiketten vallen scheef"
    assert issue.asset_tag == "PRT-00451"
    assert issue.id.version == 4
    assert normalise_reference(issue.reference) == issue.reference
    assert set(issue.reference.replace("-", "")) <= set(ALPHABET)
    assert not report.findings


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": "printer"}, "category"),
        ({"subcategory": "wifi_gone"}, "subcategory"),
        ({"issue_type": "incident"}, "type"),
        ({"care_impact": "maybe"}, "care"),
        ({"affected": "everyone"}, "affected"),
        ({"impact": 0}, "impact"),
        ({"urgency": 4}, "urgency"),
        ({"reporter": "nurse"}, "reporter"),
        ({"reporter": ""}, "reporter"),
        ({"ward": " "}, "ward"),
        ({"ward": "x" * 41}, "ward"),
        ({"asset_tag": "printer bij de balie"}, "asset"),
        ({"description": "x" * 2001}, "description"),
        ({"error_text": "fout\x07"}, "error_text"),
        ({"vim_reference": "VIM-123"}, "vim"),
        ({"vim_reference": "val uit bed, heup", "patient_safety": True}, "vim"),
    ],
)
def test_bad_fields_are_refused_by_name(
    taxonomy: Taxonomy, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        create_issue(make(taxonomy, **fields), taxonomy, POLICY, NOW)
    assert refused.value.field == field
    assert str(refused.value)


def test_privacy_guard_covers_every_free_text_field(taxonomy: Taxonomy) -> None:
    for name in ("description", "error_text", "room"):
        with pytest.raises(PrivacyBlockedError):
            create_issue(make(taxonomy, **{name: "pt 111222333"}), taxonomy, POLICY, NOW)
        with pytest.raises(PrivacyBlockedError):
            create_issue(
                make(taxonomy, confirmed_not_patient_data=True, **{name: "bsn 1112.22.333"}),
                taxonomy,
                POLICY,
                NOW,
            )
        with pytest.raises(PrivacyConfirmationRequiredError):
            create_issue(make(taxonomy, **{name: "bel 06-12345678"}), taxonomy, POLICY, NOW)


def test_confirmed_warning_is_kept_and_reported_by_kind(taxonomy: Taxonomy) -> None:
    draft = make(taxonomy, description="geb. 12 mrt 1950", confirmed_not_patient_data=True)
    issue, report = create_issue(draft, taxonomy, POLICY, NOW)
    assert issue.description == "geb. 12 mrt 1950"
    assert bedside.privacy_audit(report) == [("privacy.warning_confirmed", "kinds=date")]


def test_asset_tag_is_exempt_from_the_guard(taxonomy: Taxonomy) -> None:
    policy = IntakePolicy("C", "W", asset_pattern=r"^\d{9}$")
    issue, _ = create_issue(make(taxonomy, asset_tag="111222333"), taxonomy, policy, NOW)
    assert issue.asset_tag == "111222333"


def test_bedside_resolve_and_escalate_check_their_text(taxonomy: Taxonomy) -> None:
    issue, _ = create_issue(make(taxonomy), taxonomy, POLICY, NOW)
    with pytest.raises(PrivacyBlockedError):
        bedside.resolve(
            issue,
            actor="T2041",
            at=NOW,
            code=ResolutionCode.FIXED,
            notes="pt 111222333",
            minutes_spent=3,
            confirmed_not_patient_data=True,
        )
    with pytest.raises(ValidationError) as unknown:
        bedside.escalate(
            issue,
            policy=POLICY,
            actor="T2041",
            at=NOW,
            group="Netwerk",
            reason="x",
            confirmed_not_patient_data=False,
        )
    assert "Servicedesk" in str(unknown.value)
    assert issue.status is IssueStatus.NEW, "refused actions change nothing"
    bedside.escalate(
        issue,
        policy=POLICY,
        actor="T2041",
        at=NOW,
        group="printbeheer",
        reason="driver centraal",
        confirmed_not_patient_data=False,
    )
    assert issue.escalation_group == "Printbeheer"
    bedside.add_note(
        issue, actor="T2041", at=NOW, text="nog steeds", confirmed_not_patient_data=False
    )
    assert issue.notes[-1].text == "nog steeds"


def test_every_reference_character_is_equally_likely() -> None:
    # Each byte value once: every character must be picked by exactly as many of them.
    assert Counter(reference._characters(bytes(range(256)))) == dict.fromkeys(ALPHABET, 11)
    assert all(normalise_reference(new_reference()) for _ in range(1000))


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("kd7-m4x", "KD7-M4X"),
        ("KD7M4X", "KD7-M4X"),
        (" kd7 m4x ", "KD7-M4X"),
        ("KD0-M4X", None),
        ("KD7-M4", None),
    ],
)
def test_reference_normalisation(typed: str, canonical: str | None) -> None:
    assert normalise_reference(typed) == canonical


def test_vim_reference_blocks_a_bsn_but_takes_long_incident_numbers(taxonomy: Taxonomy) -> None:
    with pytest.raises(PrivacyBlockedError, match="VIM reference"):
        create_issue(
            make(taxonomy, patient_safety=True, vim_reference="111222333"), taxonomy, POLICY, NOW
        )
    issue, _ = create_issue(
        make(taxonomy, patient_safety=True, vim_reference="VIM-2026-00420"), taxonomy, POLICY, NOW
    )
    assert issue.vim_reference == "VIM-2026-00420"


def test_control_characters_are_those_of_unicode_but_line_breaks_and_tabs() -> None:
    # Unicode closed category Cc to additions; all 65 lie in U+0000-U+009F, well inside the BMP.
    every = [chr(code) for code in range(0x10000)]
    controls = [c for c in every if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    for control in controls:
        with pytest.raises(ValidationError, match="control characters"):
            bounded(f"a{control}b", "description")
    allowed = "".join(c for c in every if c not in controls)
    for start in range(0, len(allowed), 1000):  # the field's length limit is 2000
        text = f"a{allowed[start : start + 1000]}b"
        assert bounded(text, "description") == text
    assert len(controls) == 63


@pytest.mark.parametrize("control", ["\x1b[2J", "\x7f", "\x9b2J", "\x00"])
def test_every_control_character_is_refused(taxonomy: Taxonomy, control: str) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        create_issue(make(taxonomy, description=f"printer {control} kapot"), taxonomy, POLICY, NOW)
