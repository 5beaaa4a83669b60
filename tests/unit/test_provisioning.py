"""Provisioning: the example file in docs/ imports; the import happens once; a bad file changes
nothing; technicians arrive without a PIN. Real data dirs and real SQLite files throughout."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

from cowapp import paths, provisioning
from cowapp.config import load_config
from cowapp.provisioning import ProvisioningError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "provisioning.example.toml"


@pytest.fixture
def placed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example file placed in a folder that is the whole search path."""
    folder = tmp_path / "machine"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / provisioning.FILE_NAME)
    monkeypatch.setenv(provisioning.SEARCH_PATH_ENV, str(folder))
    return folder / provisioning.FILE_NAME


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def _technicians(home: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(home / paths.DB_NAME)) as connection:
        return connection.execute("SELECT staff_id, pin_hash FROM technicians").fetchall()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_example_file_is_valid_and_complete() -> None:
    checked = provisioning.read_file(EXAMPLE)
    assert checked.config.cart_id == "COW-07"
    assert checked.config.sync.connector == "rt"
    assert checked.config.sync.mapping.groups["Applicatiebeheer HiX"] == "EPD Applicatiebeheer"
    assert checked.technicians == ("104233", "104512", "208811")
    assert checked.name


def test_first_start_imports_settings_and_technicians_without_pins(
    tmp_path: Path, placed: Path
) -> None:
    home = _home(tmp_path)
    summary = provisioning.provision_on_first_start(home)
    assert summary is not None and "COW-07" in summary and "3 technician(s)" in summary
    config = load_config(home / paths.CONFIG_NAME)
    assert (config.cart_id, config.ward, config.sync.url) == (
        "COW-07",
        "B4 Interne",
        "https://rt.ziekenhuis.example",
    )
    assert config.sync.options["queue"] == "Cart"
    assert sorted(_technicians(home)) == [("104233", ""), ("104512", ""), ("208811", "")]
    record = json.loads((home / provisioning.MARKER_NAME).read_text(encoding="utf-8"))
    assert record["source"] == str(placed) and record["cart_id"] == "COW-07"


def test_a_later_edit_of_the_file_is_not_applied_by_itself(tmp_path: Path, placed: Path) -> None:
    home = _home(tmp_path)
    provisioning.provision_on_first_start(home)
    placed.write_text(placed.read_text(encoding="utf-8").replace("COW-07", "COW-99"), "utf-8")
    before = _snapshot(home)
    assert provisioning.provision_on_first_start(home) is None
    assert _snapshot(home) == before
    assert "changed since and was NOT applied" in provisioning.describe_state(home)
    with pytest.raises(ProvisioningError, match="--replace"):
        provisioning.import_file(home, placed)


def test_replace_imports_again_and_keeps_the_previous_settings(
    tmp_path: Path, placed: Path
) -> None:
    home = _home(tmp_path)
    provisioning.provision_on_first_start(home)
    placed.write_text(placed.read_text(encoding="utf-8").replace("COW-07", "COW-99"), "utf-8")
    provisioning.import_file(home, placed, replace=True)
    assert load_config(home / paths.CONFIG_NAME).cart_id == "COW-99"
    (kept,) = home.glob("config.toml.before-provisioning-*")
    assert load_config(kept).cart_id == "COW-07"
    assert len(_technicians(home)) == 3  # the same staff numbers are not added twice


def test_a_hand_written_config_is_never_overwritten_on_start(tmp_path: Path, placed: Path) -> None:
    home = _home(tmp_path)
    (home / paths.CONFIG_NAME).write_text('[cart]\nid = "COW-HAND"\n', encoding="utf-8")
    assert provisioning.provision_on_first_start(home) is None
    assert load_config(home / paths.CONFIG_NAME).cart_id == "COW-HAND"
    assert "is not imported" in provisioning.describe_state(home)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "COW-07"', "id = 7"), "cart.id: must be a non-empty string"),
        (('staff = ["104233"', "staff = [104233"), "technicians.staff: must be a list"),
        (('staff = ["104233"', 'staff = ["x y"'), "technicians.staff"),
        (("[technicians]", "[technicians]\npins = []"), "technicians.pins: unknown key"),
        (('url = "https://', 'url = "http://'), "sync.url"),
        (("[cart]", "[cartt]"), "[cartt]: unknown section"),
        (('name = "', 'name = ""\nname = "'), "not valid TOML"),
    ],
)
def test_a_bad_file_is_refused_with_its_name_and_key_and_changes_nothing(
    tmp_path: Path, placed: Path, change: tuple[str, str], message: str
) -> None:
    text = placed.read_text(encoding="utf-8")
    assert change[0] in text
    placed.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    home = _home(tmp_path)
    with pytest.raises(ProvisioningError) as refused:
        provisioning.provision_on_first_start(home)
    assert str(placed) in str(refused.value) and message in str(refused.value)
    assert _snapshot(home) == {}


def test_written_config_reads_back_exactly(tmp_path: Path, placed: Path) -> None:
    text = placed.read_text(encoding="utf-8")
    placed.write_text(text.replace('"Printers"', '"Printers \\"A\\" \\u00e9\\t"'), "utf-8")
    home = _home(tmp_path)
    provisioning.provision_on_first_start(home)
    written = tomllib.loads((home / paths.CONFIG_NAME).read_text(encoding="utf-8"))
    assert written["mapping"]["categories"]["printing"] == 'Printers "A" é\t'


def test_search_path_override_and_nothing_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(provisioning.SEARCH_PATH_ENV, str(tmp_path / "nowhere"))
    home = _home(tmp_path)
    assert provisioning.find_file() is None
    assert provisioning.provision_on_first_start(home) is None
    assert "no provisioning file found in" in provisioning.describe_state(home)
