"""The privacy guard: a valid BSN blocks, other look-alikes of patient data warn, ordinary
technician text passes, and no finding or message ever repeats the text it found."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cowapp.domain import privacy
from cowapp.domain.errors import PrivacyBlockedError, PrivacyConfirmationRequiredError
from cowapp.domain.privacy import (
    MESSAGES_EN,
    MESSAGES_NL,
    Finding,
    FindingKind,
    PrivacyReport,
    Severity,
    is_valid_bsn,
    scan_fields,
    scan_text,
)

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)

eight_digits = st.lists(st.integers(0, 9), min_size=8, max_size=8)


def expected_check_digit(first_eight: list[int]) -> int | None:
    """The one last digit that makes a BSN, worked out in closed form rather than by trying."""
    partial = sum(w * d for w, d in zip(WEIGHTS, first_eight, strict=True))
    check = partial % 11
    # 10 is no digit; and partial == check would make the whole sum 0, which the test forbids.
    if check in (10, partial):
        return None
    return check


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    first_eight = draw(eight_digits)
    check = expected_check_digit(first_eight)
    assume(check is not None)
    return "".join(map(str, first_eight)) + str(check)


@st.composite
def written_bsns(draw: st.DrawFn) -> str:
    """A valid BSN split into groups at random places, joined by one kind of separator."""
    bsn = draw(valid_bsns())
    cuts = sorted(draw(st.sets(st.integers(1, 8))))
    groups = [bsn[i:j] for i, j in zip([0, *cuts], [*cuts, 9], strict=True)]
    separator = draw(st.sampled_from(" .-"))
    # Four dot-separated groups of 0-255 read as an IPv4 address, which is exempt on purpose.
    assume(not (separator == "." and len(groups) == 4 and all(is_octet(g) for g in groups)))
    return separator.join(groups)


def is_octet(group: str) -> bool:
    return int(group) <= 255 and (group == "0" or not group.startswith("0"))


def spans(text: str) -> list[tuple[FindingKind, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scan_text(text)]


# --- the 11-test -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("111222333", True),  # DOMAIN.md
        ("123456782", True),  # DOMAIN.md
        ("123456789", False),  # DOMAIN.md
        ("111222334", False),  # DOMAIN.md
        ("12345672", True),  # 8 digits: read as 012345672
        ("012345672", True),
        ("1112.22.333", True),
        ("111 222 333", True),
        ("111-222-333", True),
        ("000000000", False),  # sum 0 is a multiple of 11 but not a BSN
        ("1234567", False),  # too short
        ("1112223330", False),  # too long
        (" 111222333", False),  # separators only between digits
        ("111222333.", False),
        ("111  222333", False),  # one separator at a time
        ("111_222_333", False),
        ("11122233a", False),
        ("", False),
    ],
)
def test_is_valid_bsn(number: str, valid: bool) -> None:
    assert is_valid_bsn(number) is valid


@given(eight_digits)
def test_at_most_one_check_digit_completes_a_bsn(first_eight: list[int]) -> None:
    prefix = "".join(map(str, first_eight))
    completing = [d for d in range(10) if is_valid_bsn(f"{prefix}{d}")]
    expected = expected_check_digit(first_eight)
    assert completing == ([] if expected is None else [expected])


@given(valid_bsns(), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_breaks_a_bsn(bsn: str, position: int, shift: int) -> None:
    # Changing digit i by delta changes the sum by w_i * delta; |w_i| and |delta| are 1..10 and 11
    # is prime, so the sum stops being a multiple of 11 whatever digit is changed.
    changed = (int(bsn[position]) + shift) % 10
    assert not is_valid_bsn(bsn[:position] + str(changed) + bsn[position + 1 :])


@given(written_bsns())
def test_a_valid_bsn_blocks_in_any_grouping(written: str) -> None:
    text = f"bsn {written}, graag snel"
    report = scan_fields({"description": text})
    assert report.blocked
    assert (FindingKind.BSN, written) in spans(text)


# --- one table per kind ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1112.22.333", "1112.22.333"),
        ("111 222 333", "111 222 333"),
        ("111-222-333", "111-222-333"),
        ("pt111222333", "111222333"),  # digits touching letters still count
        ("pt 111222333", "111222333"),
        ("kamer 12 111222333", "111222333"),  # a stretch inside a longer sequence
        ("bsn 12345672 graag", "12345672"),  # 8 digits
        ("geb. 12-03-1950 111222333", "111222333"),
        ("06-12345678 111222333", "111222333"),
    ],
)
def test_bsn_blocks(text: str, found: str) -> None:
    assert (FindingKind.BSN, found) in spans(text)
    assert scan_fields({"description": text}).blocked


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("patiëntnummer 1234567", FindingKind.DIGIT_RUN, "1234567"),
        ("opname 1234567890", FindingKind.DIGIT_RUN, "1234567890"),
        ("nummer 12 345 678 90", FindingKind.DIGIT_RUN, "12 345 678 90"),
        ("123456789", FindingKind.DIGIT_RUN, "123456789"),  # fails the 11-test: warns only
        ("geboren 12-03-1950", FindingKind.DATE, "12-03-1950"),
        ("1-3-1950", FindingKind.DATE, "1-3-1950"),
        ("12/03/1950", FindingKind.DATE, "12/03/1950"),
        ("12.03.1950", FindingKind.DATE, "12.03.1950"),
        ("12-03-50", FindingKind.DATE, "12-03-50"),
        ("1950-03-12", FindingKind.DATE, "1950-03-12"),
        ("geb 12 mrt 1950", FindingKind.DATE, "12 mrt 1950"),
        ("12 maart 1950", FindingKind.DATE, "12 maart 1950"),
        ("1 jan. 1950", FindingKind.DATE, "1 jan. 1950"),
        ("3 okt 1950", FindingKind.DATE, "3 okt 1950"),
        ("5 mei 1950", FindingKind.DATE, "5 mei 1950"),
        ("12 March 1950", FindingKind.DATE, "12 March 1950"),
        ("born March 12, 1950", FindingKind.DATE, "March 12, 1950"),
        ("12 Mar 1950", FindingKind.DATE, "12 Mar 1950"),
        ("12/31/1950", FindingKind.DATE, "12/31/1950"),  # month first is still a date
        ("bel 06-12345678", FindingKind.PHONE, "06-12345678"),
        ("06 12345678", FindingKind.PHONE, "06 12345678"),
        ("0612345678", FindingKind.PHONE, "0612345678"),
        ("06 1234 5678", FindingKind.PHONE, "06 1234 5678"),
        ("+31 6 12345678", FindingKind.PHONE, "+31 6 12345678"),
        ("+31612345678", FindingKind.PHONE, "+31612345678"),
        ("+31 (0)6 12345678", FindingKind.PHONE, "+31 (0)6 12345678"),
        ("0031 6 12345678", FindingKind.PHONE, "0031 6 12345678"),
        ("010-1234567", FindingKind.PHONE, "010-1234567"),
        ("020 123 4567", FindingKind.PHONE, "020 123 4567"),
        ("0201234567", FindingKind.PHONE, "0201234567"),
        ("088-7555555", FindingKind.PHONE, "088-7555555"),
        ("+31 20 1234567", FindingKind.PHONE, "+31 20 1234567"),
        ("(020) 123 4567", FindingKind.PHONE, "(020) 123 4567"),
        ("woont 3584 CX Utrecht", FindingKind.POSTCODE, "3584 CX"),
        ("1234AB", FindingKind.POSTCODE, "1234AB"),
        ("mail j.jansen@umcutrecht.nl aub", FindingKind.EMAIL, "j.jansen@umcutrecht.nl"),
        ("servicedesk@ziekenhuis.nl", FindingKind.EMAIL, "servicedesk@ziekenhuis.nl"),
    ],
)
def test_look_alikes_warn(text: str, kind: FindingKind, found: str) -> None:
    assert spans(text) == [(kind, found)]
    report = scan_fields({"description": text})
    assert report.needs_confirmation and not report.blocked


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("01-02-1950 06-12345678", [FindingKind.DATE, FindingKind.PHONE]),
        ("31-13-1950", [FindingKind.DIGIT_RUN]),  # no month 13, but still 8 digits
        ("32-01-1950", [FindingKind.DIGIT_RUN]),  # no day 32
        ("12 mrt", []),  # no year: not a full date
        ("versie 6.3.12", []),  # dotted two-digit "years" are version numbers
    ],
)
def test_edge_cases(text: str, kinds: list[FindingKind]) -> None:
    assert [f.kind for f in scan_text(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "Etikettenprinter kamer 12 print niets",
        "HiX versie 6.3 foutcode 0x80070005",
        "printer PRT-0045 op 10.1.20.33",
        "bed 3, 14:30 uur",
        "ticket 123456",
        "1200 ml infuus",
        "sinds 2012 is de scanner traag",
        "1234 SA",  # SA is not issued as a postcode
        "0123 AB",  # postcodes do not start with 0
        "12345 AB",
        "scanner werkt niet sinds 12 maart",
        "switch 10.16.100.14",  # an IPv4 whose digits pass the 11-test: exempt on purpose
        "",
    ],
)
def test_innocent_text_passes(text: str) -> None:
    assert scan_text(text) == ()
    scan_fields({"description": text}).enforce(confirmed_not_patient_data=False)


@st.composite
def few_digit_texts(draw: st.DrawFn, digits: int = 3) -> str:
    """``digits`` digits among pieces of every pattern the guard knows (some hold digits too)."""
    some_digits = draw(st.lists(st.sampled_from("0123456789"), min_size=digits, max_size=digits))
    pieces = [" ", "-", "/", ".", "(0)", "+31", "mei", "maart", "AB", "SA", "0x", "x", "kamer"]
    others = draw(st.lists(st.sampled_from(pieces), max_size=4))
    return "".join(draw(st.permutations(some_digits + others)))


@settings(max_examples=500)
@given(few_digit_texts())
def test_a_text_with_fewer_than_four_digits_and_no_at_sign_holds_no_finding(text: str) -> None:
    # scan_text skips such texts without running the patterns: prove the patterns agree.
    assume(sum(map(text.count, "0123456789")) < 4)  # "+31" and "(0)" hold digits too
    assert privacy._scan(text, "") == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1-2-56", FindingKind.DATE),
        ("1234 AB", FindingKind.POSTCODE),
        ("a@b.nl", FindingKind.EMAIL),
    ],
)
def test_four_digits_or_an_at_sign_can_be_a_finding(text: str, kind: FindingKind) -> None:
    assert [f.kind for f in scan_text(text)] == [kind]


# --- findings, reports and enforce() ---------------------------------------------------------


def test_finding_holds_position_and_kind_but_never_the_text() -> None:
    assert [f.name for f in dataclasses.fields(Finding)] == ["field", "kind", "start", "end"]
    (finding,) = scan_text("bsn 111222333", "description")
    assert "111222333" not in repr(finding)
    assert finding.severity is Severity.BLOCK


def test_only_a_bsn_blocks() -> None:
    severities = {kind: Finding("f", kind, 0, 1).severity for kind in FindingKind}
    assert severities.pop(FindingKind.BSN) is Severity.BLOCK
    assert set(severities.values()) == {Severity.WARN}


def test_every_kind_has_a_message_in_both_languages() -> None:
    assert set(MESSAGES_NL) == set(MESSAGES_EN) == set(FindingKind)
    assert all(message.strip() for message in [*MESSAGES_NL.values(), *MESSAGES_EN.values()])


def test_scan_fields_skips_empty_fields_and_names_the_field() -> None:
    report = scan_fields({"title": None, "description": "", "error_text": "bel 06-12345678"})
    assert [(f.field, f.kind) for f in report.findings] == [("error_text", FindingKind.PHONE)]


def test_report_kinds_are_sorted_and_unique() -> None:
    report = scan_fields({"a": "06-12345678 en 0612345678", "b": "1234567 en 12-03-1950"})
    assert report.kinds == (FindingKind.DATE, FindingKind.DIGIT_RUN, FindingKind.PHONE)


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_bsn_blocks_even_when_confirmed(confirmed: bool) -> None:
    report = scan_fields({"title": "printer", "description": "pt 1112.22.333", "note": "1950"})
    with pytest.raises(PrivacyBlockedError) as caught:
        report.enforce(confirmed_not_patient_data=confirmed)
    assert caught.value.field == "description"
    assert "BSN" in str(caught.value)
    assert not any(part in str(caught.value) for part in ("1112", "333"))


def test_a_warning_needs_confirmation() -> None:
    report = scan_fields({"title": "kapot", "error_text": "bel 06-12345678"})
    with pytest.raises(PrivacyConfirmationRequiredError) as caught:
        report.enforce(confirmed_not_patient_data=False)
    assert caught.value.field == "error_text"
    assert "phone number" in str(caught.value)
    assert "12345678" not in str(caught.value)
    report.enforce(confirmed_not_patient_data=True)


def test_blocking_wins_over_warnings_in_an_earlier_field() -> None:
    report = scan_fields({"title": "12-03-1950", "description": "111222333"})
    assert report.blocked and not report.needs_confirmation
    with pytest.raises(PrivacyBlockedError) as caught:
        report.enforce(confirmed_not_patient_data=True)
    assert caught.value.field == "description"


def test_a_clean_report_passes() -> None:
    report = PrivacyReport(findings=())
    assert not report.blocked and not report.needs_confirmation and report.kinds == ()
    report.enforce(confirmed_not_patient_data=False)
