"""The privacy guard: finds patient data in free text before a ticket is saved or sent.

Tickets must never carry patient data. `scan_fields` looks through every free-text field for what
looks like a BSN (citizen service number; a number that passes the 11-test blocks, with no
override) and for things that might be patient data (long digit runs, full dates, Dutch phone
numbers, postcodes, e-mail addresses), which need an explicit "this is no patient data"
confirmation. A `Finding` records only where something was found and what kind it is, never the
text itself, so findings can be audited and logged without leaking what they point at. The
structured asset-tag field is exempt: callers simply do not pass it in.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from cowapp.domain.errors import PrivacyBlockedError, PrivacyConfirmationRequiredError

__all__ = [
    "MESSAGES_EN",
    "MESSAGES_NL",
    "Finding",
    "FindingKind",
    "PrivacyReport",
    "Severity",
    "is_valid_bsn",
    "scan_fields",
    "scan_text",
]


class Severity(enum.StrEnum):
    """How a finding is handled: BLOCK has no override, WARN needs a confirmation."""

    BLOCK = "block"
    WARN = "warn"


class FindingKind(enum.StrEnum):
    """What a finding looks like. The values are stable: they go into the audit log."""

    BSN = "bsn"
    DIGIT_RUN = "digit_run"
    DATE = "date"
    PHONE = "phone"
    POSTCODE = "postcode"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in a free-text field that looks like patient data.

    Deliberately holds no copy of the matched text: findings are audited and must not carry the
    very data they warn about. The span lets a screen highlight the spot in the text it still has.

    Attributes:
        field: the free-text field it was found in ("description", "error_text", ...), or "".
        kind: what it looks like.
        start: offset of the first character in the original text.
        end: offset just past the last character in the original text.
    """

    field: str
    kind: FindingKind
    start: int
    end: int

    @property
    def severity(self) -> Severity:
        """BLOCK for a BSN, WARN for everything else."""
        return Severity.BLOCK if self.kind is FindingKind.BSN else Severity.WARN


MESSAGES_NL: dict[FindingKind, str] = {
    FindingKind.BSN: "Dit lijkt een BSN. Haal het weg: patiëntgegevens mogen niet in een melding.",
    FindingKind.DIGIT_RUN: "Dit lange getal kan een patiëntnummer zijn. Haal het weg of bevestig "
    "dat het geen patiëntgegeven is.",
    FindingKind.DATE: "Dit lijkt een datum, misschien een geboortedatum. Haal het weg of bevestig "
    "dat het geen patiëntgegeven is.",
    FindingKind.PHONE: "Dit lijkt een telefoonnummer. Haal het weg of bevestig dat het geen "
    "patiëntgegeven is.",
    FindingKind.POSTCODE: "Dit lijkt een postcode. Haal het weg of bevestig dat het geen "
    "patiëntgegeven is.",
    FindingKind.EMAIL: "Dit lijkt een e-mailadres. Haal het weg of bevestig dat het geen "
    "patiëntgegeven is.",
}

MESSAGES_EN: dict[FindingKind, str] = {
    FindingKind.BSN: "This looks like a BSN. Remove it: patient data may not go into a ticket.",
    FindingKind.DIGIT_RUN: "This long number could be a patient number. Remove it or confirm it "
    "is no patient data.",
    FindingKind.DATE: "This looks like a date, perhaps a date of birth. Remove it or confirm it "
    "is no patient data.",
    FindingKind.PHONE: "This looks like a phone number. Remove it or confirm it is no patient "
    "data.",
    FindingKind.POSTCODE: "This looks like a postcode. Remove it or confirm it is no patient data.",
    FindingKind.EMAIL: "This looks like an e-mail address. Remove it or confirm it is no patient "
    "data.",
}

# How each kind is named inside an error message ("description looks like it contains ...").
_DESCRIPTIONS_EN: dict[FindingKind, str] = {
    FindingKind.BSN: "a BSN (citizen service number)",
    FindingKind.DIGIT_RUN: "a long number (possibly a patient number)",
    FindingKind.DATE: "a date (possibly a date of birth)",
    FindingKind.PHONE: "a phone number",
    FindingKind.POSTCODE: "a postcode",
    FindingKind.EMAIL: "an e-mail address",
}


@dataclass(frozen=True, slots=True)
class PrivacyReport:
    """Everything the guard found in a set of fields, and what that means for saving.

    Attributes:
        findings: every finding, field by field in the order the fields were given, each field's
            findings sorted by position.
    """

    findings: tuple[Finding, ...]

    @property
    def blocked(self) -> bool:
        """True when something must be removed before the text may be saved or sent."""
        return any(f.severity is Severity.BLOCK for f in self.findings)

    @property
    def needs_confirmation(self) -> bool:
        """True when only warnings were found, so a confirmation would let the text through."""
        return not self.blocked and any(f.severity is Severity.WARN for f in self.findings)

    @property
    def kinds(self) -> tuple[FindingKind, ...]:
        """The distinct kinds found, sorted by their value."""
        return tuple(sorted({f.kind for f in self.findings}))

    def enforce(self, confirmed_not_patient_data: bool) -> None:
        """Refuse the text unless it may be saved.

        Args:
            confirmed_not_patient_data: the user confirmed that what was found is no patient data.
                It lifts warnings only; nothing lifts a block.

        Raises:
            PrivacyBlockedError: a BSN was found; `field` is the first field it was found in.
            PrivacyConfirmationRequiredError: warnings were found and not confirmed; `field` is the
                first field with a warning.
        """
        blocking = [f for f in self.findings if f.severity is Severity.BLOCK]
        if blocking:
            field = blocking[0].field
            bsn = _DESCRIPTIONS_EN[FindingKind.BSN]
            raise PrivacyBlockedError(
                f"{_field_label(field)} contains what looks like {bsn}; remove it - patient data "
                "may not be stored or sent",
                field=field,
            )
        if self.findings and not confirmed_not_patient_data:
            field = self.findings[0].field
            kinds = _unique(f.kind for f in self.findings if f.field == field)
            raise PrivacyConfirmationRequiredError(
                f"{_field_label(field)} looks like it contains {_join_kinds(kinds)}; remove it or "
                "confirm it is no patient data (--confirm-not-patient-data)",
                field=field,
            )


def _field_label(field: str) -> str:
    return field or "the text"


def _unique(kinds: Iterable[FindingKind]) -> list[FindingKind]:
    return list(dict.fromkeys(kinds))


def _join_kinds(kinds: Sequence[FindingKind]) -> str:
    names = [_DESCRIPTIONS_EN[kind] for kind in kinds]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


class _Lazy:
    """A regular expression compiled when first used.

    Compiling the guard's dozen patterns takes 3-7 ms, and the app imports this module before
    its first screen is painted, when nothing has been typed to scan yet.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern, self._flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled on the first call; a race only compiles it twice)."""
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """`re.Pattern.fullmatch`."""
        return self.compiled.fullmatch(text)

    def findall(self, text: str) -> list[str]:
        """`re.Pattern.findall`."""
        return self.compiled.findall(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """`re.Pattern.finditer`."""
        return self.compiled.finditer(text)


# --- BSN 11-test ----------------------------------------------------------------------------

# A single space (or the no-break space word processors paste), dot or dash may sit between digit
# groups: people write 111 222 333, 1112.22.333 and 111-222-333. ASCII digits only, on purpose:
# `\d` would also match digits of other scripts, which int() reads but nobody types on a cart.
_SEPARATOR = "[ .\\-\u00a0]"
_WRITTEN_NUMBER = _Lazy(f"[0-9](?:{_SEPARATOR}?[0-9])*")
_DIGIT_SEQUENCE = _Lazy(f"[0-9]+(?:{_SEPARATOR}[0-9]+)*")
_DIGIT_GROUP = _Lazy("[0-9]+")
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# Hospital patient numbers carry no checksum, so any run this long might be one.
_MIN_DIGIT_RUN = 7


def is_valid_bsn(number: str) -> bool:
    """Tell whether a number passes the BSN 11-test.

    Args:
        number: 8 or 9 digits (8 get a leading zero), with at most one space, dot or dash between
            two digits. Anything else, including leading or trailing separators, is not a BSN.

    Returns:
        True when 9·d1 + 8·d2 + ... + 2·d8 - d9 is a non-zero multiple of 11.
    """
    if not _WRITTEN_NUMBER.fullmatch(number):
        return False
    digits = "".join(_DIGIT_GROUP.findall(number))
    return len(digits) in (8, 9) and _passes_eleven_test(digits.zfill(9))


def _passes_eleven_test(digits: str) -> bool:
    total = sum(weight * int(digit) for weight, digit in zip(_BSN_WEIGHTS, digits, strict=True))
    return total % 11 == 0 and total != 0


# --- patterns -------------------------------------------------------------------------------

_Span = tuple[int, int]

# A numeric date must not be part of a longer chain of digits joined by - / or . : otherwise a
# BSN written as 1-2-1956-782 would hide behind the "date" 1-2-1956 and escape the block.
_NOT_AFTER_CHAIN = r"(?<![0-9])(?<![0-9][-/.])"
_NOT_BEFORE_CHAIN = r"(?![0-9])(?![-/.][0-9])"
_DAY_FIRST_DATE = _Lazy(
    _NOT_AFTER_CHAIN
    + r"(?P<a>[0-9]{1,2})(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4}|[0-9]{2})"
    + _NOT_BEFORE_CHAIN
)
_YEAR_FIRST_DATE = _Lazy(
    _NOT_AFTER_CHAIN
    + r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    + _NOT_BEFORE_CHAIN
)
# Dutch and English month names and their usual abbreviations, with or without a full stop.
_MONTH_NAMES = (
    "januari",
    "january",
    "jan",
    "februari",
    "february",
    "feb",
    "maart",
    "march",
    "mrt",
    "mar",
    "april",
    "apr",
    "mei",
    "may",
    "juni",
    "june",
    "jun",
    "juli",
    "july",
    "jul",
    "augustus",
    "august",
    "aug",
    "september",
    "sept",
    "sep",
    "oktober",
    "october",
    "okt",
    "oct",
    "november",
    "nov",
    "december",
    "dec",
)
# Longest names first, so "maart" is not cut short at "mar".
_MONTH = "(?:" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")(?![a-z])\.?"
_YEAR = r"(?P<year>(?:19|20)[0-9]{2})(?![0-9])"
_DAY_MONTH_NAME_DATE = _Lazy(
    rf"(?<![0-9])(?P<day>[0-9]{{1,2}})[ \-]?{_MONTH}[ \-]?{_YEAR}", re.IGNORECASE
)
_MONTH_NAME_DAY_DATE = _Lazy(rf"(?<![a-z]){_MONTH} (?P<day>[0-9]{{1,2}}),? {_YEAR}", re.IGNORECASE)

# Dutch numbers: a trunk 0 plus 9 digits, or +31/0031 plus the same 9 digits without the 0
# (optionally written "(0)"). Up to three separators between digits cover "06 - 1234 5678" and
# "(020) 123 4567"; the trunk 0 itself must touch the area code, so "0 111222333" stays a BSN.
_PHONE_GAP = r"[ .\-()]{0,3}"
_PHONE = _Lazy(
    r"(?<![0-9])"
    r"(?:(?:\+|00)31[ \-]?(?:\(0\))?[ \-]?|\(?0)"
    rf"[1-9](?:{_PHONE_GAP}[0-9]){{8}}"
    r"(?![0-9])"
)

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = _Lazy(rf"(?<![0-9])(?<![0-9]\.){_OCTET}(?:\.{_OCTET}){{3}}(?![0-9])(?!\.[0-9])")
_HEX_LITERAL = _Lazy(r"\b0[xX][0-9A-Fa-f]+\b")

# Upper case only, on purpose: "1200 ml" or "2012 is" must not warn, and real postcodes are
# written with capitals. SA, SD and SS are never issued in the Netherlands.
_POSTCODE = _Lazy(r"\b[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}\b")

# The lookbehind makes a match start only at the beginning of a word, which keeps a long text
# without any "@" from being rescanned from every position.
_EMAIL = _Lazy(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}(?![A-Za-z0-9\-])"
)


# --- scanning -------------------------------------------------------------------------------


# The fewest ASCII digits any finding but an e-mail address holds: a postcode (1234 AB) or a
# date with a two-digit year (1-2-56). Dates by month name, phone numbers, BSNs and digit runs
# hold more; an e-mail address needs an "@".
_FEWEST_DIGITS = 4


def scan_text(text: str, field: str = "") -> tuple[Finding, ...]:
    """Find everything in one text that looks like patient data.

    Args:
        text: the free text, exactly as it will be stored.
        field: the name of the field the text belongs to; copied into every finding.

    Returns:
        The findings, sorted by position, with spans into `text`.
    """
    # Most of what is typed ("Kamer 12", "printer geeft storing") cannot hold any finding: that
    # costs a count instead of a dozen pattern passes.
    if "@" not in text and sum(map(text.count, "0123456789")) < _FEWEST_DIGITS:
        return ()
    return _scan(text, field)


def _scan(text: str, field: str) -> tuple[Finding, ...]:
    dates = _date_spans(text)
    # A phone match may not start inside a date, or "01-02-1950 06-12345678" would lose the phone.
    phones = _spans(_PHONE, _blank(text, dates))
    # IPv4 addresses and hex error codes are what technicians type all day; about 1 in 11 of
    # them would pass the 11-test and be blocked with no override. Dates and phone numbers get
    # their own warning and must not double as BSN candidates or digit runs either.
    not_numbers = dates + phones + _spans(_IPV4, text) + _spans(_HEX_LITERAL, text)
    found = [
        *_findings(field, FindingKind.DATE, dates),
        *_findings(field, FindingKind.PHONE, phones),
        *_findings(field, FindingKind.POSTCODE, _spans(_POSTCODE, text)),
        *_findings(field, FindingKind.EMAIL, _spans(_EMAIL, text)),
        *_number_findings(_blank(text, not_numbers), field),
    ]
    return tuple(sorted(set(found), key=lambda f: (f.start, f.end, f.kind)))


def scan_fields(fields: Mapping[str, str | None]) -> PrivacyReport:
    """Scan several free-text fields at once.

    Args:
        fields: field name to text; None and empty texts are skipped. Leave out the asset-tag
            field: it follows the hospital's asset pattern and is exempt.

    Returns:
        A report over all fields, in the order the fields were given.
    """
    findings: list[Finding] = []
    for field, text in fields.items():
        if text:
            findings.extend(scan_text(text, field))
    return PrivacyReport(tuple(findings))


def _spans(pattern: _Lazy, text: str) -> list[_Span]:
    return [match.span() for match in pattern.finditer(text)]


def _findings(field: str, kind: FindingKind, spans: Iterable[_Span]) -> Iterator[Finding]:
    return (Finding(field, kind, start, end) for start, end in spans)


def _blank(text: str, spans: Iterable[_Span]) -> str:
    """Hide spans behind a filler no pattern matches, keeping every other offset unchanged."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "#" * (end - start)
    return "".join(chars)


def _date_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for match in _DAY_FIRST_DATE.finditer(text):
        a, b, year = int(match["a"]), int(match["b"]), match["year"]
        # Versions are written 6.3.12: a two-digit year only counts with dashes or slashes.
        two_digit_ok = len(year) == 2 and match["sep"] != "."
        # Either order counts: 12/31/1950 written the American way is still a date of birth.
        if (_plausible_year(year) or two_digit_ok) and (_is_day_month(a, b) or _is_day_month(b, a)):
            spans.append(match.span())
    for match in _YEAR_FIRST_DATE.finditer(text):
        if _plausible_year(match["year"]) and _is_day_month(int(match["day"]), int(match["month"])):
            spans.append(match.span())
    for pattern in (_DAY_MONTH_NAME_DATE, _MONTH_NAME_DAY_DATE):
        spans.extend(m.span() for m in pattern.finditer(text) if 1 <= int(m["day"]) <= 31)
    return spans


def _plausible_year(year: str) -> bool:
    # A four-digit year outside 1900-2099 is far more likely a code than anyone's birth year.
    return len(year) == 4 and 1900 <= int(year) <= 2099


def _is_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _number_findings(text: str, field: str) -> list[Finding]:
    """BSNs and long digit runs among digit groups joined by single separators."""
    findings: list[Finding] = []
    for sequence in _DIGIT_SEQUENCE.finditer(text):
        offset = sequence.start()
        groups = [
            (offset + g.start(), offset + g.end()) for g in _DIGIT_GROUP.finditer(sequence[0])
        ]
        in_bsn = [False] * len(groups)
        for first, last in _bsn_stretches(text, groups):
            findings.append(Finding(field, FindingKind.BSN, groups[first][0], groups[last][1]))
            in_bsn[first : last + 1] = [True] * (last + 1 - first)
        for rest in _runs(groups, in_bsn):
            if _digit_count(rest) >= _MIN_DIGIT_RUN:
                findings.append(Finding(field, FindingKind.DIGIT_RUN, rest[0][0], rest[-1][1]))
    return findings


def _bsn_stretches(text: str, groups: Sequence[_Span]) -> Iterator[tuple[int, int]]:
    """Yield (first, last) group indexes of every stretch of 8 or 9 digits passing the 11-test.

    Every stretch, not only the whole sequence, so "kamer 12 111222333" still finds 111222333.
    """
    for first in range(len(groups)):
        for last in range(first, len(groups)):
            stretch = groups[first : last + 1]
            count = _digit_count(stretch)
            if count > 9:
                break
            digits = "".join(text[start:end] for start, end in stretch)
            if count >= 8 and _passes_eleven_test(digits.zfill(9)):
                yield first, last


def _runs(groups: Sequence[_Span], skip: Sequence[bool]) -> Iterator[list[_Span]]:
    """Split groups into maximal stretches of consecutive groups whose `skip` flag is False."""
    run: list[_Span] = []
    for group, skipped in zip(groups, skip, strict=True):
        if not skipped:
            run.append(group)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _digit_count(groups: Iterable[_Span]) -> int:
    return sum(end - start for start, end in groups)
