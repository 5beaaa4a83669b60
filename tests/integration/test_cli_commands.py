"""The headless commands do what DESIGN.md's outside interface promises, seen from the shell.

``cowapp issue add`` stores an issue (with its one pending ``create`` in the outbox) and prints
it; the privacy guard blocks a BSN and lets a confirmed warning through with an audit entry that
names the kind but never the text; the bedside outcomes (resolve, instruct, escalate) and the two
plain questions give the status and priority a technician expects; ``issue list`` filters,
``issue show`` finds an issue however the reference is typed; ``doctor``, ``export csv`` and
``--version`` work; and a cart's ``config.toml`` (cart id, ward, resolver groups) is honoured.
Every command runs as a real subprocess against a real SQLite file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

import cowapp as cowapp_package

Run = Callable[..., Any]

REPORTER = "104233"
ACCEPTANCE_TEXT = "Etikettenprinter kamer 12 print niets"
REFERENCE = re.compile(r"^[A-Z0-9]{3}-[A-Z0-9]{3}$")
CONFUSABLE = set("0O1IL2Z5S8B")


def _add(run: Run, *extra: str, category: str = "printing") -> dict[str, Any]:
    """Add an issue with ``--json`` and return what it printed; fail the test if refused."""
    result = run("issue", "add", "--category", category, "--reporter", REPORTER, *extra, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _list(run: Run, *extra: str) -> list[dict[str, Any]]:
    result = run("issue", "list", *extra, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@contextmanager
def _db(home: Path) -> Iterator[sqlite3.Connection]:
    """The cart's database, read-only."""
    with closing(sqlite3.connect(f"file:{home / 'cowapp.db'}?mode=ro", uri=True)) as connection:
        yield connection


def _assert_one_line_failure(result: Any, code: int = 2) -> None:
    assert result.code == code, result.err
    assert result.out == ""
    assert result.err.startswith("cowapp:")
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err


# --- issue add --------------------------------------------------------------------------------


def test_acceptance_example(cowapp: Run) -> None:
    """The example from the brief: a label printer issue is saved; a BSN is refused."""
    result = cowapp(
        "issue",
        "add",
        "--category",
        "printing",
        "--description",
        ACCEPTANCE_TEXT,
        "--reporter",
        REPORTER,
        "--json",
    )
    assert result.code == 0, result.err
    issue = json.loads(result.out)
    assert {"id", "reference", "status", "priority"} <= issue.keys()
    assert issue["status"] == "new"
    assert isinstance(issue["priority"], int) and not isinstance(issue["priority"], bool)
    assert 1 <= issue["priority"] <= 5
    assert issue["description"] == ACCEPTANCE_TEXT
    assert REFERENCE.match(issue["reference"]), issue["reference"]
    assert not CONFUSABLE & set(issue["reference"]), issue["reference"]

    refused = cowapp(
        "issue",
        "add",
        "--category",
        "printing",
        "--description",
        f"{ACCEPTANCE_TEXT}, pt 111222333",
        "--reporter",
        REPORTER,
        "--json",
    )
    _assert_one_line_failure(refused)
    assert "BSN" in refused.err

    listed = _list(cowapp)
    assert [i["reference"] for i in listed] == [issue["reference"]]


def test_references_avoid_confusable_characters(cowapp: Run) -> None:
    """A nurse reads the reference over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B."""
    references = [_add(cowapp)["reference"] for _ in range(4)]
    assert len(set(references)) == 4
    for reference in references:
        assert REFERENCE.match(reference), reference
        assert not CONFUSABLE & set(reference), reference


def test_confirmed_phone_warning_is_saved_and_audited_by_kind_only(
    cowapp: Run, cowapp_home: Path
) -> None:
    text = "Printer offline, collega bereikbaar op 06-12345678"
    unconfirmed = cowapp(
        "issue", "add", "--category", "printing", "--reporter", REPORTER, "--description", text
    )
    _assert_one_line_failure(unconfirmed)
    assert "phone number" in unconfirmed.err

    issue = _add(cowapp, "--description", text, "--confirm-not-patient-data")
    assert issue["description"] == text

    with _db(cowapp_home) as db:
        rows = db.execute("SELECT * FROM audit_log ORDER BY seq").fetchall()
        confirmed = db.execute(
            "SELECT detail FROM audit_log WHERE action = 'privacy.warning_confirmed'"
        ).fetchall()
    assert len(confirmed) == 1
    assert "phone" in confirmed[0][0]
    everything = " ".join(str(value) for row in rows for value in row)
    for digits in ("12345678", "0612345678", "06-12345678"):
        assert digits not in everything


@pytest.mark.parametrize(
    ("extra", "status", "fields"),
    [
        pytest.param(
            ("--resolve", "Printer herstart, test-etiket geprint", "--minutes", "5"),
            "resolved",
            {"resolution_code": "fixed", "minutes_spent": 5, "resolved_by": REPORTER},
            id="resolve",
        ),
        pytest.param(
            ("--resolve", "Uitgelegd hoe de lade werkt", "--resolution-code", "instructed"),
            "instructed",
            {"resolution_code": "instructed"},
            id="instructed",
        ),
        pytest.param(
            ("--resolve", "Werkt gewoon", "--resolution-code", "no_fault_found"),
            "no_fault_found",
            {"resolution_code": "no_fault_found"},
            id="no-fault-found",
        ),
        pytest.param(
            ("--resolve", "Lint vervangen", "--technician", "T20441"),
            "resolved",
            {"resolved_by": "T20441"},
            id="resolve-by-technician",
        ),
        pytest.param(
            ("--escalate", "werkplekbeheer", "--reason", "Printer defect, vervanging nodig"),
            "escalated",
            {
                "escalation_group": "Werkplekbeheer",
                "escalation_reason": "Printer defect, vervanging nodig",
            },
            id="escalate",
        ),
    ],
)
def test_bedside_outcome_sets_status_and_queues_one_create(
    cowapp: Run, cowapp_home: Path, extra: tuple[str, ...], status: str, fields: dict[str, Any]
) -> None:
    issue = _add(cowapp, "--description", ACCEPTANCE_TEXT, *extra)
    assert issue["status"] == status
    for name, value in fields.items():
        assert issue[name] == value, name

    shown = cowapp("issue", "show", issue["reference"], "--json")
    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["status"] == status

    # The resolve/escalate update coalesces into the still-pending create.
    with _db(cowapp_home) as db:
        outbox = db.execute("SELECT operation, state FROM outbox").fetchall()
    assert outbox == [("create", "pending")]


def test_each_issue_has_exactly_one_outbox_create(cowapp: Run, cowapp_home: Path) -> None:
    references = {
        _add(cowapp)["reference"],
        _add(cowapp, "--resolve", "Herstart")["reference"],
        _add(cowapp, "--escalate", "Printbeheer", "--reason", "Defect")["reference"],
    }
    with _db(cowapp_home) as db:
        rows = db.execute(
            "SELECT i.reference, o.operation FROM outbox o JOIN issues i ON i.id = o.issue_id"
        ).fetchall()
    assert sorted(rows) == sorted((ref, "create") for ref in references)


@pytest.mark.parametrize(
    ("extra", "category", "impact", "urgency", "priority"),
    [
        pytest.param(("--care", "no", "--affected", "several_wards"), "printing", 1, 1, 1, id="P1"),
        pytest.param(("--care", "yes", "--affected", "me"), "printing", 3, 3, 5, id="P5"),
        pytest.param(("--care", "workaround", "--affected", "ward"), "printing", 2, 2, 3, id="P3"),
        pytest.param(("--care", "no", "--affected", "colleagues"), "printing", 2, 1, 2, id="P2"),
        pytest.param(("--care", "yes", "--affected", "ward"), "printing", 2, 3, 4, id="P4"),
        pytest.param((), "printing", 3, 2, 4, id="unanswered"),
        pytest.param((), "outage", 1, 2, 2, id="outage-default-impact"),
        pytest.param(("--patient-safety",), "medication", 3, 1, 3, id="patient-safety"),
        pytest.param(
            ("--care", "yes", "--affected", "me", "--impact", "1", "--urgency", "1"),
            "printing",
            1,
            1,
            1,
            id="technician-override",
        ),
    ],
)
def test_plain_questions_map_to_priority(
    cowapp: Run,
    extra: tuple[str, ...],
    category: str,
    impact: int,
    urgency: int,
    priority: int,
) -> None:
    issue = _add(cowapp, *extra, category=category)
    assert (issue["impact"], issue["urgency"], issue["priority"]) == (impact, urgency, priority)


# --- issue list / show ------------------------------------------------------------------------


def test_list_filters_by_status(cowapp: Run) -> None:
    new = _add(cowapp)["reference"]
    resolved = _add(cowapp, "--resolve", "Herstart")["reference"]
    escalated = _add(cowapp, "--escalate", "Printbeheer", "--reason", "Defect")["reference"]

    assert {i["reference"] for i in _list(cowapp)} == {new, resolved, escalated}
    only_resolved = _list(cowapp, "--status", "resolved")
    assert [(i["reference"], i["status"]) for i in only_resolved] == [(resolved, "resolved")]
    two = _list(cowapp, "--status", "resolved", "--status", "escalated")
    assert {i["reference"] for i in two} == {resolved, escalated}
    assert _list(cowapp, "--status", "instructed") == []

    plain = cowapp("issue", "list", "--status", "new")
    assert plain.code == 0, plain.err
    assert [line.split()[0] for line in plain.out.splitlines()] == [new]


def test_list_is_ordered_by_priority_and_limited(cowapp: Run) -> None:
    low = _add(cowapp, "--care", "yes", "--affected", "me")["reference"]
    critical = _add(cowapp, "--care", "no", "--affected", "several_wards")["reference"]
    assert [i["reference"] for i in _list(cowapp)] == [critical, low]
    assert [i["reference"] for i in _list(cowapp, "--limit", "1")] == [critical]


def _typed_forms(reference: str) -> list[str]:
    compact = reference.replace("-", "")
    return [reference, reference.lower(), compact, compact.lower(), reference.replace("-", " ")]


def test_show_finds_the_issue_however_the_reference_is_typed(cowapp: Run) -> None:
    issue = _add(cowapp, "--description", ACCEPTANCE_TEXT, "--resolve", "Lint vervangen")
    reference = issue["reference"]

    for typed in _typed_forms(reference):
        result = cowapp("issue", "show", typed)
        assert result.code == 0, (typed, result.err)
        lines = result.out.splitlines()
        assert any(line.split() == ["reference:", reference] for line in lines), result.out
        assert any(ACCEPTANCE_TEXT in line for line in lines)
        kinds = [line.split()[2] for line in lines if line[:4].isdigit()]
        assert kinds == ["created", "resolved"], result.out

    shown = cowapp("issue", "show", reference.lower().replace("-", ""), "--json")
    assert shown.code == 0, shown.err
    data = json.loads(shown.out)
    assert data["id"] == issue["id"]
    assert [(e["kind"], e["to_status"]) for e in data["events"]] == [
        ("created", "new"),
        ("resolved", "resolved"),
    ]


def test_show_unknown_or_malformed_reference_is_refused(cowapp: Run) -> None:
    existing = _add(cowapp)["reference"]
    unknown = "KD7-M4X" if existing != "KD7-M4X" else "KD7-M4Y"

    missing = cowapp("issue", "show", unknown)
    _assert_one_line_failure(missing)
    assert unknown in missing.err

    malformed = cowapp("issue", "show", "printer")
    _assert_one_line_failure(malformed)
    assert "'printer'" in malformed.err


# --- doctor, export, version ------------------------------------------------------------------


def test_doctor_on_a_fresh_cart_reads_only(cowapp: Run, cowapp_home: Path) -> None:
    result = cowapp("doctor")
    assert result.code == 0, result.err
    assert not (cowapp_home / "cowapp.db").exists()
    assert "does not exist yet" in result.out


def test_doctor_reports_ok_lines_and_json(cowapp: Run, cowapp_home: Path) -> None:
    _add(cowapp, "--resolve", "Herstart")

    result = cowapp("doctor")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"cowapp {cowapp_package.__version__}, data dir {cowapp_home}"
    checks = lines[1:]
    assert checks and all(line.startswith("OK") for line in checks), result.out
    names = {line.split()[1].rstrip(":") for line in checks}
    assert {"config", "taxonomy", "integrity", "schema", "audit"} <= names

    as_json = cowapp("doctor", "--json")
    assert as_json.code == 0, as_json.err
    report = json.loads(as_json.out)
    assert report["version"] == cowapp_package.__version__
    assert report["checks"] and all(check["ok"] for check in report["checks"])
    assert "audit chain" in {check["name"] for check in report["checks"]}


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_export_csv_leaves_out_free_text_unless_asked(cowapp: Run, tmp_path: Path) -> None:
    secret = "Etiketten blijven hangen in de lade"
    notes = "Lade schoongemaakt en opnieuw uitgelijnd"
    first = _add(cowapp, "--description", secret, "--resolve", notes)
    second = _add(cowapp, "--description", "Wifi valt weg", category="network")

    plain_path = tmp_path / "issues.csv"
    result = cowapp("export", "csv", str(plain_path))
    assert result.code == 0, result.err
    assert result.out == ""
    rows = _read_csv(plain_path)
    header, body = rows[0], rows[1:]
    assert {"id", "reference", "status", "priority", "ward", "category"} <= set(header)
    assert not {"description", "error_text", "resolution_notes", "escalation_reason"} & set(header)
    assert sorted(row[header.index("reference")] for row in body) == sorted(
        [first["reference"], second["reference"]]
    )
    assert all(len(row) == len(header) for row in body)
    content = plain_path.read_text(encoding="utf-8")
    for text in (secret, notes, "Wifi valt weg"):
        assert text not in content

    text_path = tmp_path / "issues-with-text.csv"
    result = cowapp("export", "csv", str(text_path), "--with-text")
    assert result.code == 0, result.err
    rows = _read_csv(text_path)
    header = rows[0]
    assert {"description", "resolution_notes"} <= set(header)
    by_reference = {row[header.index("reference")]: row for row in rows[1:]}
    assert by_reference[first["reference"]][header.index("description")] == secret
    assert by_reference[first["reference"]][header.index("resolution_notes")] == notes

    to_stdout = cowapp("export", "csv", "-")
    assert to_stdout.code == 0, to_stdout.err
    stdout_rows = list(csv.reader(io.StringIO(to_stdout.out)))
    assert len(stdout_rows) == 3
    assert secret not in to_stdout.out


def test_export_csv_to_a_missing_folder_fails_cleanly(cowapp: Run, tmp_path: Path) -> None:
    _add(cowapp)
    target = tmp_path / "no-such-folder" / "issues.csv"

    result = cowapp("export", "csv", str(target))

    assert result.code != 0
    assert result.out == ""
    assert result.err.startswith("cowapp:")
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    assert "no-such-folder" in result.err
    assert not target.parent.exists()


def test_version_prints_the_package_version(cowapp: Run) -> None:
    result = cowapp("--version")
    assert result.code == 0, result.err
    assert result.out.strip() == f"cowapp {cowapp_package.__version__}"


# --- config.toml ------------------------------------------------------------------------------


def test_config_sets_cart_ward_and_resolver_groups(cowapp: Run, cowapp_home: Path) -> None:
    (cowapp_home / "config.toml").write_text(
        '[cart]\nid = "COW-42"\nward = "Cardiologie 3"\n\n'
        '[escalation]\ngroups = ["Team Epic", "Printbeheer Noord"]\n',
        encoding="utf-8",
    )

    plain = _add(cowapp)
    assert (plain["cart_id"], plain["ward"]) == ("COW-42", "Cardiologie 3")
    elsewhere = _add(cowapp, "--ward", "Neurologie 2")
    assert (elsewhere["cart_id"], elsewhere["ward"]) == ("COW-42", "Neurologie 2")

    custom = _add(cowapp, "--escalate", "team epic", "--reason", "Koppeling geeft fout")
    assert custom["status"] == "escalated"
    assert custom["escalation_group"] == "Team Epic"

    default_group = cowapp(
        "issue",
        "add",
        "--category",
        "printing",
        "--reporter",
        REPORTER,
        "--escalate",
        "Werkplekbeheer",
        "--reason",
        "Defect",
    )
    _assert_one_line_failure(default_group)
    assert "Werkplekbeheer" in default_group.err and "Team Epic" in default_group.err

    wards = {i["reference"]: (i["cart_id"], i["ward"]) for i in _list(cowapp)}
    assert sorted(wards.values()) == sorted(
        [("COW-42", "Cardiologie 3"), ("COW-42", "Neurologie 2"), ("COW-42", "Cardiologie 3")]
    )

    doctor = cowapp("doctor")
    assert doctor.code == 0, doctor.err
    assert "cart COW-42, ward Cardiologie 3" in doctor.out
