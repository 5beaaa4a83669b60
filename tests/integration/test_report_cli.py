"""``cowapp report pdf`` and the metric columns of ``cowapp export csv``, run as the real command.

The cart holds the hand-counted issues of tests/helpers_metrics_fixture.py; the PDF's text is
read back with Qt's own PDF reader, so the test checks what a manager would read.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

from cowapp.domain.metric_rows import METRIC_COLUMNS
from cowapp.settings import load_settings
from cowapp.wiring import open_cart
from tests.conftest import Runner, run_cowapp
from tests.helpers_metrics import insert_facts
from tests.helpers_metrics_fixture import FACTS

CONFIG = (
    '[cart]\nid = "COW-07"\nward = "B4"\n'
    '[metrics]\ngo_live = 2026-11-01\nbaseline_per_day = 10\ntimezone = "UTC"\n'
)


@pytest.fixture
def home(cowapp_home: Path) -> Path:
    """A cart whose database holds the hand-counted fixture issues."""
    (cowapp_home / "config.toml").write_text(CONFIG, encoding="utf-8")
    cart = open_cart(load_settings(cowapp_home))
    insert_facts(cart.db, FACTS)
    cart.close()
    return cowapp_home


def _pdf_text(qapp: QApplication, path: Path) -> str:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    assert document.pageCount() == 1
    return document.getAllText(0).text()


def test_huddle_report_of_a_day(qapp: QApplication, home: Path, tmp_path: Path) -> None:
    target = tmp_path / "huddle.pdf"
    result = run_cowapp(home, "report", "pdf", str(target), "--to", "2026-11-09")
    assert result.code == 0, result.err
    assert result.err.strip() == f"huddle report for 2026-11-09 written to {target}"
    text = _pdf_text(qapp, target)
    for expected in (
        "Dagelijkse huddle: IT aan het bed",
        "maandag 9 november 2026",
        "karren: COW-07",
        "Top 10 van die dag",
        "EPD-applicatie (HiX)",  # 2 that day
        "Printen & etiketten",  # 1 that day
        "Open go-live-blokkades",
        "AAA-008",  # the blocker reported on 3 Nov, still open
    ):
        assert expected in text, expected
    assert "AAA-002" not in text  # reported on 10 Nov: after the day reported on
    assert "-97%" in text  # 2 issues in the 7 days before 9 Nov (2/7 a day) vs 10 a day


def test_exports_of_several_carts_make_one_report(
    qapp: QApplication, home: Path, tmp_path: Path
) -> None:
    first = tmp_path / "cow07.csv"
    assert run_cowapp(home, "export", "csv", str(first)).code == 0
    other = tmp_path / "cow12.csv"
    text = first.read_text(encoding="utf-8").replace("COW-01", "COW-12")
    other.write_text(text, encoding="utf-8")
    both, twice = tmp_path / "both.pdf", tmp_path / "twice.pdf"
    args = ("report", "pdf", "--to", "2026-11-09")
    assert run_cowapp(home, *args[:2], str(both), *args[2:], "--input", str(first), str(other))
    combined = _pdf_text(qapp, both)
    assert "karren: COW-01, COW-12" in combined
    assert "Uit exports" in combined
    result = run_cowapp(home, *args[:2], str(twice), *args[2:], "--input", str(first), str(first))
    assert result.code == 0, result.err
    single = tmp_path / "single.pdf"
    run_cowapp(home, *args[:2], str(single), *args[2:], "--input", str(first))
    strip = lambda t: t.split("Gemaakt")[0]  # noqa: E731 (the time it was made differs)
    assert strip(_pdf_text(qapp, twice)) == strip(_pdf_text(qapp, single))
    assert strip(combined) != strip(_pdf_text(qapp, single))


def test_export_csv_has_the_metric_columns(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "issues.csv"
    before = datetime.now(UTC)
    assert run_cowapp(home, "export", "csv", str(target)).code == 0
    with target.open(encoding="utf-8", newline="") as handle:
        rows = {row["reference"]: row for row in csv.DictReader(handle)}
    assert set(METRIC_COLUMNS) | {"exported_at", "updated_at"} <= set(next(iter(rows.values())))
    [exported] = {row["exported_at"] for row in rows.values()}  # one moment for the whole file
    assert before <= datetime.fromisoformat(exported) <= datetime.now(UTC)
    first = rows["AAA-001"]  # claimed after 30 min, resolved at the bedside after 1 h
    assert (first["hours_to_claim"], first["hours_to_resolve"]) == ("0.50", "1.00")
    assert (first["resolved_at_bedside"], first["escalated"], first["open"]) == ("1", "0", "0")
    escalated = rows["AAA-004"]
    assert (escalated["hours_to_resolve"], escalated["escalated"]) == ("", "1")
    assert rows["AAA-008"]["open"] == "1" and rows["AAA-008"]["hours_to_claim"] == ""


def _with_export_time(source: Path, target: Path, cart: str, exported_at: str) -> None:
    """A copy of ``source`` as if cart ``cart`` had exported it at ``exported_at``."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "cart_id": cart, "exported_at": exported_at})


def test_the_hospital_report_says_when_each_cart_was_last_seen(
    qapp: QApplication, home: Path, tmp_path: Path
) -> None:
    export = tmp_path / "cow07.csv"
    assert run_cowapp(home, "export", "csv", str(export)).code == 0
    fresh, quiet = tmp_path / "cow01.csv", tmp_path / "cow12.csv"
    _with_export_time(export, fresh, "COW-01", "2026-11-12T06:30:00+00:00")
    _with_export_time(export, quiet, "COW-12", "2026-11-10T21:05:00+00:00")
    old = tmp_path / "cow15.csv"  # an export from before exported_at: its last change counts
    old.write_text(
        "reference,cart_id,created_at,category,ward,issue_type,status,updated_at\n"
        "ZZZ-001,COW-15,2026-11-08T09:00:00+00:00,ehr,B4,break_fix,new,"
        "2026-11-09T11:40:00+00:00\n",
        encoding="utf-8",
    )
    target = tmp_path / "hospital.pdf"
    result = run_cowapp(
        home, "report", "pdf", str(target), "--from", "2026-11-09", "--to", "2026-11-09",
        "--input", str(fresh), str(quiet), str(old),
    )  # fmt: skip
    assert result.code == 0, result.err
    text = " ".join(_pdf_text(qapp, target).split())
    assert "Karren laatst gezien (laatste tijd in hun export):" in text
    # Times in the hospital's zone (UTC here); COW-15's only issue is outside the period, but
    # the cart was still seen.
    assert "COW-01 12-11 06:30, COW-12 10-11 21:05, COW-15 09-11 11:40" in text
    assert "karren: COW-01, COW-12, COW-15" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-11-09", "--to", "2026-11-01"), "--from 2026-11-09 is after --to"),
        (("--to", "9 nov"), "must be a date like 2026-11-02"),
        (("--input", "missing.csv"), "missing.csv: cannot be read"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    cowapp: Runner, home: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    target = tmp_path / "out.pdf"
    result = cowapp("report", "pdf", str(target), *args)
    assert result.code == 2
    assert message in result.err and result.err.count("\n") == 1, result.err
    assert not target.exists()


def test_a_broken_export_names_file_and_line(cowapp: Runner, home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "reference,cart_id,created_at,category,ward,issue_type,status\n"
        "AAA-1,COW-1,2026-11-09T10:00:00+00:00,ehr,W,break_fix,new\n"
        "AAA-2,COW-1,yesterday,ehr,W,break_fix,new\n",
        encoding="utf-8",
    )
    result = cowapp("report", "pdf", str(tmp_path / "x.pdf"), "--input", str(broken))
    assert result.code == 2
    assert f"{broken}, line 3: column created_at: 'yesterday'" in result.err


def test_a_missing_folder_or_another_suffix_is_refused(
    cowapp: Runner, home: Path, tmp_path: Path
) -> None:
    missing = cowapp("report", "pdf", str(tmp_path / "nope" / "x.pdf"))
    assert missing.code == 2 and "does not exist" in missing.err
    wrong = cowapp("report", "pdf", str(tmp_path / "x.png"))
    assert wrong.code == 2 and "ending in .pdf" in wrong.err
