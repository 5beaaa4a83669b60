"""``cowapp --self-test``'s checks run in-process from source: every shipped part is found and
works, a broken part gives a FAIL line and a non-zero exit, and the known-issues loader counts
what a catalogue holds (the bundle's run is in tests/frozen/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cowapp import paths, selftest
from cowapp.cli import EXIT_ENVIRONMENT
from cowapp.selftest import SelfTestError, load_known_issues

ALWAYS_OK = ("config", "database", "taxonomy", "translations", "TLS trust", "intake screen")


def _run(home: Path) -> tuple[int, dict[str, str]]:
    lines: list[str] = []
    code = selftest.run_self_test(home, lines.append)
    checks = {line.split(":")[0][6:]: line for line in lines[1:-1]}
    assert all(line[:6] in ("OK    ", "FAIL  ") for line in lines[1:-1]), lines
    return code, checks


def test_every_shipped_part_passes_from_source(qtbot: QtBot, tmp_path: Path) -> None:
    code, checks = _run(tmp_path)
    for name in ALWAYS_OK:
        assert checks[name].startswith("OK "), checks[name]
    assert "df9efca4aced" in checks["database"] or "migrated" in checks["database"]
    assert "'Overzicht'" in checks["translations"]
    assert checks["keyring"].startswith("OK ")  # no [sync]: a missing keyring is only a note
    assert code == 0
    assert list(tmp_path.iterdir()) == [], "the self-test leaves the data dir alone"


def test_a_broken_config_is_a_fail_line_and_a_non_zero_exit(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / paths.CONFIG_NAME).write_text("[cart]\nid = 7\n", encoding="utf-8")
    code, checks = _run(tmp_path)
    assert code == EXIT_ENVIRONMENT
    assert checks["config"].startswith("FAIL") and "cart.id" in checks["config"]
    assert checks["intake screen"].startswith("OK "), "the other checks still run"


def test_known_issues_loader(tmp_path: Path) -> None:
    assert load_known_issues(tmp_path) is None
    (tmp_path / "known_issues.json").write_text(json.dumps([{"id": "a"}, {"id": "b"}]), "utf-8")
    (tmp_path / "known_issues_hix.toml").write_text('[[issues]]\nid = "c"\n', "utf-8")
    assert load_known_issues(tmp_path) == 3
    (tmp_path / "known_issues_empty.json").write_text("[]", "utf-8")
    with pytest.raises(SelfTestError, match="holds no known issues"):
        load_known_issues(tmp_path)
    (tmp_path / "known_issues_empty.json").write_text("[", "utf-8")
    with pytest.raises(SelfTestError, match="cannot be read"):
        load_known_issues(tmp_path)


def test_the_shipped_catalogue_state_matches_the_switch() -> None:
    """Tighten KNOWN_ISSUES_REQUIRED once a catalogue ships: this test then says so."""
    shipped = load_known_issues(paths.resources_dir())
    assert (shipped is not None) == selftest.KNOWN_ISSUES_REQUIRED, (
        "resources/known_issues* now ships: set selftest.KNOWN_ISSUES_REQUIRED = True"
    )
