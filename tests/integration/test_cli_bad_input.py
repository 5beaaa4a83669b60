"""Bad input to ``cowapp issue add`` is refused cleanly and changes nothing.

The contract (DESIGN.md, "The outside interface"): every flag of ``cowapp issue add`` given a bad
value or a bad combination exits 2 with one specific line on stderr, prints nothing on stdout, and
leaves the cart's database byte-for-byte unchanged. A malformed ``config.toml`` is refused the same
way, with one line naming the file and the key, before any database is created.

Each row runs the real command as a subprocess against a data dir that already holds one issue,
and compares a sha256 of every file in it (except ``logs/``) before and after.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPORTER = "104233"
LONG_2001 = "x" * 2001
LONG_41 = "w" * 41
BSN = "111222333"  # passes the 11-test (DOMAIN.md)
PHONE = "06-12345678"


def _add(*extra: str, category: str | None = "printing", reporter: str | None = REPORTER) -> list:
    """``issue add`` arguments: a valid base (unless left out) plus the row's own flags."""
    args = ["issue", "add"]
    if category is not None:
        args += ["--category", category]
    if reporter is not None:
        args += ["--reporter", reporter]
    return [*args, *extra]


def _row(row_id: str, args: list, *fragments: str, xfail: str = "") -> Any:
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(args, fragments, id=row_id, marks=marks)


# (id, arguments, fragments that must all appear in the one stderr line)
BAD_ADDS = [
    # --category
    _row("category-unknown", _add(category="koffie"), "unknown category", "koffie"),
    _row("category-empty", _add(category=""), "unknown category"),
    _row("category-missing", _add(category=None), "--category"),
    # --subcategory
    _row(
        "subcategory-of-other-category",
        _add("--subcategory", "no_wifi"),
        "subcategory",
        "no_wifi",
    ),
    # --type
    _row("type-unknown", _add("--type", "incident"), "--type", "incident"),
    # --description
    _row("description-bsn", _add("--description", f"pt {BSN} valt uit"), "description", "BSN"),
    _row("description-bsn-dotted", _add("--description", "pt 1112.22.333"), "description", "BSN"),
    _row(
        "description-bsn-confirm-does-not-lift",
        _add("--description", f"pt {BSN}", "--confirm-not-patient-data"),
        "description",
        "BSN",
    ),
    _row(
        "description-phone-unconfirmed",
        _add("--description", f"bel terug op {PHONE}"),
        "description",
        "phone number",
        "--confirm-not-patient-data",
    ),
    _row("description-too-long", _add("--description", LONG_2001), "description is too long"),
    _row(
        "description-control-character",
        _add("--description", "printer \x1b[2J kapot"),
        "description contains control characters",
    ),
    _row(
        "description-c1-and-del-control-characters",
        _add("--description", "printer \x9b2J \x7f kapot"),
        "description contains control characters",
    ),
    # --error-text
    _row("error-text-bsn", _add("--error-text", "fout 123456782"), "error_text", "BSN"),
    _row("error-text-too-long", _add("--error-text", LONG_2001), "error_text is too long"),
    # --room
    _row("room-too-long", _add("--room", LONG_41), "room is too long"),
    _row(
        "room-email-unconfirmed",
        _add("--room", "j.jansen@example.nl"),
        "room",
        "e-mail",
    ),
    # --asset
    _row("asset-bad-pattern", _add("--asset", "printer 12"), "asset tag", "PRINTER 12"),
    # --ward
    _row("ward-empty", _add("--ward", ""), "ward is required"),
    _row("ward-blank", _add("--ward", "   "), "ward is required"),
    _row("ward-too-long", _add("--ward", LONG_41), "ward is too long"),
    _row("ward-bsn", _add("--ward", f"pt {BSN}"), "ward", "BSN"),
    _row("ward-control-character", _add("--ward", "Cardio\x1b[2J"), "ward", "control characters"),
    # --reporter
    _row("reporter-letters", _add(reporter="abc"), "reporter must be a staff number", "'abc'"),
    _row("reporter-empty", _add(reporter=""), "reporter (staff number) is required"),
    _row("reporter-newline", _add(reporter="12\n34"), "reporter must be a staff number"),
    _row("reporter-missing", _add(reporter=None), "--reporter"),
    # --care, --affected
    _row("care-unknown", _add("--care", "maybe"), "--care", "maybe"),
    _row("affected-unknown", _add("--affected", "everyone"), "--affected", "everyone"),
    # --impact, --urgency
    _row("impact-4", _add("--impact", "4"), "--impact", "1, 2 or 3"),
    _row("impact-not-a-number", _add("--impact", "x"), "--impact", "whole number"),
    _row("urgency-0", _add("--urgency", "0"), "--urgency", "1, 2 or 3"),
    _row("urgency-fraction", _add("--urgency", "1.5"), "--urgency", "whole number"),
    # --patient-safety / --vim
    _row(
        "vim-without-patient-safety",
        _add("--vim", "VIM-2024-0042"),
        "VIM reference",
        "patient-safety",
    ),
    _row(
        "vim-clinical-text",
        _add("--patient-safety", "--vim", "val uit bed, heup gebroken"),
        "VIM reference",
        "never clinical details",
    ),
    _row("vim-bsn", _add("--patient-safety", "--vim", "111222333"), "BSN"),
    _row("patient-safety-with-value", _add("--patient-safety=yes"), "--patient-safety"),
    # on/off flags take no value
    _row("privacy-incident-with-value", _add("--privacy-incident=yes"), "--privacy-incident"),
    _row("golive-blocking-with-value", _add("--golive-blocking=1"), "--golive-blocking"),
    _row("workaround-with-value", _add("--workaround=no"), "--workaround"),
    _row(
        "confirm-with-value",
        _add("--confirm-not-patient-data=yes"),
        "--confirm-not-patient-data",
    ),
    _row("json-with-value", _add("--json=yes"), "--json"),
    _row("json-bsn-prints-no-json", _add("--json", "--description", f"pt {BSN}"), "BSN"),
    # --resolve
    _row(
        "resolve-notes-bsn",
        _add("--resolve", f"herstart, bsn {BSN} gezien"),
        "resolution_notes",
        "BSN",
    ),
    _row(
        "resolve-notes-phone-unconfirmed",
        _add("--resolve", f"teruggebeld op {PHONE}"),
        "resolution_notes",
        "phone number",
    ),
    _row("resolve-notes-too-long", _add("--resolve", "n" * 4001), "notes is too long"),
    _row(
        "resolve-and-escalate",
        _add("--resolve", "herstart", "--escalate", "Werkplekbeheer", "--reason", "kapot"),
        "--escalate",
        "--resolve",
    ),
    # --escalate / --reason
    _row(
        "escalate-unknown-group",
        _add("--escalate", "Koffiecorner", "--reason", "defect"),
        "unknown resolver group",
        "Koffiecorner",
    ),
    _row("escalate-without-reason", _add("--escalate", "Werkplekbeheer"), "--reason"),
    _row(
        "escalate-blank-reason",
        _add("--escalate", "Werkplekbeheer", "--reason", "   "),
        "--reason",
    ),
    _row(
        "escalate-reason-bsn",
        _add("--escalate", "Werkplekbeheer", "--reason", f"bsn {BSN}"),
        "reason",
        "BSN",
    ),
    _row(
        "escalate-reason-too-long",
        _add("--escalate", "Werkplekbeheer", "--reason", LONG_2001),
        "reason is too long",
    ),
    _row("reason-without-escalate", _add("--reason", "defect"), "--reason goes with --escalate"),
    # --resolution-code
    _row(
        "resolution-code-without-resolve",
        _add("--resolution-code", "fixed"),
        "--resolution-code",
        "--resolve",
    ),
    _row(
        "resolution-code-unknown",
        _add("--resolve", "ok", "--resolution-code", "magic"),
        "--resolution-code",
        "magic",
    ),
    _row(
        "resolution-code-duplicate",
        _add("--resolve", "ok", "--resolution-code", "duplicate"),
        "duplicate",
    ),
    # --minutes
    _row("minutes-negative", _add("--resolve", "ok", "--minutes", "-1"), "--minutes", "0 to 1440"),
    _row("minutes-2000", _add("--resolve", "ok", "--minutes", "2000"), "--minutes", "0 to 1440"),
    _row("minutes-word", _add("--resolve", "ok", "--minutes", "vijf"), "--minutes", "whole number"),
    _row("minutes-without-resolve", _add("--minutes", "5"), "--minutes", "--resolve"),
    # --technician
    _row(
        "technician-bad-with-resolve",
        _add("--resolve", "ok", "--technician", "x!"),
        "technician must be a staff number",
    ),
    _row(
        "technician-bad-with-escalate",
        _add("--escalate", "Werkplekbeheer", "--reason", "defect", "--technician", "x!"),
        "technician must be a staff number",
    ),
    _row(
        "technician-without-outcome",
        _add("--technician", "204411"),
        "--technician goes with --resolve or --escalate",
    ),
    # a flag that does not exist
    _row("unknown-flag", _add("--priority", "1"), "unrecognized arguments", "--priority"),
]


def _snapshot(home: Path) -> dict[str, str]:
    """sha256 of every file in the data dir except the logs."""
    return {
        p.relative_to(home).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.relative_to(home).parts[0] != "logs"
    }


def _assert_refused(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2, f"exit {code}, stderr {err!r}"
    assert out == ""
    assert err.startswith("cowapp:"), err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} missing from {err!r}"


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir where one good issue was added (built once, copied per test)."""
    home = tmp_path_factory.mktemp("seeded")
    proc = subprocess.run(
        [sys.executable, "-m", "cowapp", *_add("--description", "Etikettenprinter print niets")],
        env={**os.environ, "COWAPP_HOME": str(home), "PYTHONUTF8": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (home / "cowapp.db").is_file()
    return home


@pytest.fixture
def seeded(seeded_template: Path, cowapp_home: Path) -> Path:
    """This test's data dir, holding a copy of the seeded database."""
    shutil.copytree(seeded_template, cowapp_home, dirs_exist_ok=True)
    return cowapp_home


@pytest.mark.parametrize(("args", "fragments"), BAD_ADDS)
def test_bad_issue_add_is_refused_and_changes_nothing(
    seeded: Path, cowapp: Callable[..., Any], args: list, fragments: tuple[str, ...]
) -> None:
    before = _snapshot(seeded)
    assert "cowapp.db" in before

    result = cowapp(*args)

    _assert_refused(result.code, result.out, result.err, *fragments)
    assert _snapshot(seeded) == before


def test_the_seeded_base_command_itself_is_accepted(cowapp: Callable[..., Any]) -> None:
    """Guards the table: the rows fail because of their own flag, not because of the base."""
    result = cowapp(*_add("--json"))
    assert result.code == 0, result.err
    assert '"status": "new"' in result.out


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        pytest.param(("--description", "d" * 2000), "new", id="description-2000"),
        pytest.param(("--room", "r" * 40, "--ward", "w" * 40), "new", id="room-and-ward-40"),
        pytest.param(("--resolve", "ok", "--minutes", "0"), "resolved", id="minutes-0"),
        pytest.param(("--resolve", "ok", "--minutes", "1440"), "resolved", id="minutes-1440"),
    ],
)
def test_values_on_the_limit_are_accepted(
    cowapp: Callable[..., Any], extra: tuple[str, ...], status: str
) -> None:
    """The limits are where the messages say: a value exactly on them is fine."""
    result = cowapp(*_add(*extra, "--json"))
    assert result.code == 0, result.err
    assert f'"status": "{status}"' in result.out


# (id, config.toml text, fragments the message must name besides the file path)
BAD_CONFIGS = [
    pytest.param('[cart]\nward = "Cardio\n', ("not valid TOML", "line 2"), id="toml-syntax"),
    pytest.param('[sink]\nurl = "x"\n', ("sink", "unknown section"), id="unknown-section"),
    pytest.param('[cart]\ncolour = "red"\n', ("cart.colour", "unknown key"), id="unknown-key"),
    pytest.param('cart = "COW-01"\n', ("cart", "table"), id="section-not-a-table"),
    pytest.param(
        '[privacy]\nretention_days = "x"\n', ("privacy.retention_days",), id="retention-text"
    ),
    pytest.param("[privacy]\nretention_days = 0\n", ("privacy.retention_days",), id="retention-0"),
    pytest.param('[cart]\nlanguage = "de"\n', ("cart.language",), id="language-de"),
    pytest.param('[cart]\nward = ""\n', ("cart.ward",), id="ward-empty"),
    pytest.param(
        "[priority]\nmatrix = [[1, 2], [3, 4]]\n", ("priority.matrix", "3 rows"), id="matrix-2x2"
    ),
    pytest.param(
        "[priority]\nmatrix = [[1, 2, 3], [2, 3, 4], [3, 4, 9]]\n",
        ("priority.matrix", "1 to 5"),
        id="matrix-value-9",
    ),
    pytest.param("[escalation]\ngroups = []\n", ("escalation.groups",), id="groups-empty"),
    pytest.param(
        '[privacy]\nasset_pattern = "[A-Z"\n', ("privacy.asset_pattern",), id="pattern-invalid"
    ),
]


@pytest.mark.parametrize(("toml", "fragments"), BAD_CONFIGS)
def test_malformed_config_is_refused_before_anything_is_written(
    cowapp_home: Path, cowapp: Callable[..., Any], toml: str, fragments: tuple[str, ...]
) -> None:
    config = cowapp_home / "config.toml"
    config.write_text(toml, encoding="utf-8")

    result = cowapp(*_add("--description", "Etikettenprinter print niets"))

    _assert_refused(result.code, result.out, result.err, str(config), *fragments)
    assert not (cowapp_home / "cowapp.db").exists()
    assert _snapshot(cowapp_home) == {"config.toml": hashlib.sha256(toml.encode()).hexdigest()}


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(_add("--description", "Etikettenprinter print niets"), id="issue-add"),
        pytest.param(["issue", "list"], id="issue-list"),
        pytest.param(["export", "csv", "-"], id="export-csv"),
    ],
)
def test_malformed_config_leaves_an_existing_database_alone(
    seeded: Path, cowapp: Callable[..., Any], args: list
) -> None:
    config = seeded / "config.toml"
    config.write_text('[cart]\nlanguage = "de"\n', encoding="utf-8")
    before = _snapshot(seeded)

    result = cowapp(*args)

    _assert_refused(result.code, result.out, result.err, str(config), "cart.language")
    assert _snapshot(seeded) == before
