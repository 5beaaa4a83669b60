"""``cowapp --self-test``'s checks run in-process from source: every shipped part is found and
works, a broken part gives a FAIL line and a non-zero exit (the bundle's run is in
tests/frozen/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cowapp import paths, selftest
from cowapp.cli import EXIT_ENVIRONMENT

ALWAYS_OK = (
    "config",
    "database",
    "taxonomy",
    "known issues",
    "translations",
    "TLS trust",
    "intake screen",
)


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


def test_the_known_issue_check_uses_the_apps_loader_and_fails_on_a_broken_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, checks = _run(tmp_path)
    assert checks["known issues"].startswith("OK ") and "known issues" in checks["known issues"]
    resources = tmp_path / "resources"
    shutil.copytree(paths.resources_dir(), resources)
    (resources / "known_issues.json").write_text('{"known_issues": [{"id": 1}]}', "utf-8")
    monkeypatch.setattr(paths, "resources_dir", lambda: resources)
    code, checks = _run(tmp_path)
    assert code == EXIT_ENVIRONMENT and checks["known issues"].startswith("FAIL")
