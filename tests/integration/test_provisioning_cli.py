"""A new cart from the shell: the first command imports IT's provisioning file, a technician
from it sets a PIN and signs in, a bad file is refused with one line, ``provision --replace``
re-provisions, and ``--self-test`` reports all of it. Real subprocesses, real SQLite files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cowapp import provisioning
from tests.conftest import Result, run_cowapp

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "provisioning.example.toml"
PIN = "73915846"


@pytest.fixture
def placed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ProgramData-cowapp"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / provisioning.FILE_NAME)
    monkeypatch.setenv(provisioning.SEARCH_PATH_ENV, str(folder))
    return folder / provisioning.FILE_NAME


def test_first_command_provisions_then_a_technician_sets_a_pin(
    cowapp_home: Path, placed: Path
) -> None:
    listed = run_cowapp(cowapp_home, "technician", "list")
    assert listed.code == 0, listed.err
    assert "provisioned from" in listed.err and "COW-07" in listed.err
    assert listed.out.count("no PIN yet") == 3
    refused = run_cowapp(cowapp_home, "technician", "check", "104233", stdin=PIN + "\n")
    assert refused.code == 2 and refused.out.startswith("UNKNOWN"), "no PIN: cannot sign in"
    assert run_cowapp(cowapp_home, "technician", "set-pin", "104233", stdin=PIN + "\n").code == 0
    signed_in = run_cowapp(cowapp_home, "technician", "check", "104233", stdin=PIN + "\n")
    assert (signed_in.code, signed_in.out.strip()) == (0, "OK")
    again = run_cowapp(cowapp_home, "technician", "list")
    assert "provisioned" not in again.err and again.out.count("no PIN yet") == 2


def test_set_pin_for_someone_not_on_the_cart_is_refused(cowapp_home: Path) -> None:
    result = run_cowapp(cowapp_home, "technician", "set-pin", "999999", stdin=PIN + "\n")
    assert result.code == 2 and "no active technician 999999" in result.err


def test_a_bad_file_stops_the_first_start_with_one_line(cowapp_home: Path, placed: Path) -> None:
    placed.write_text(placed.read_text("utf-8").replace('"104512"', '"10 45"'), "utf-8")
    result: Result = run_cowapp(cowapp_home, "issue", "list")
    assert result.code == 2
    assert result.err.count("\n") == 1 and str(placed) in result.err
    assert "technicians.staff" in result.err
    assert sorted(p.name for p in cowapp_home.iterdir()) == ["logs"], "nothing but the log"


def test_provision_replace_and_self_test_report(cowapp_home: Path, placed: Path) -> None:
    assert run_cowapp(cowapp_home, "issue", "list").code == 0  # first start: imported
    placed.write_text(placed.read_text("utf-8").replace("COW-07", "COW-08"), "utf-8")
    checked = run_cowapp(cowapp_home, "--self-test")  # its keyring line depends on the machine
    (line,) = [x for x in checked.out.splitlines() if " provisioning: " in x]
    assert line.startswith("OK ") and "NOT applied" in line and "cart COW-07" in line
    refused = run_cowapp(cowapp_home, "provision")
    assert refused.code == 2 and "--replace" in refused.err
    replaced = run_cowapp(cowapp_home, "provision", "--replace")
    assert replaced.code == 0 and "COW-08" in replaced.out
    assert "(cart COW-08)" in run_cowapp(cowapp_home, "--self-test").out
