"""scripts/screenshots.py keeps working: every screen in its list renders on the demo month at
the cart's 1280×800, in Dutch, and a few in English; a wrong screen name is refused.

Run as a real subprocess (as a person would run it), so the script's application-wide theme and
translations never leak into the other GUI tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

pytestmark = pytest.mark.gui

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def _names() -> list[str]:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import screenshots
    finally:
        sys.path.remove(str(SCRIPT.parent))
    return [shot.name for shot in screenshots.SHOTS]


def _looks_rendered(path: Path) -> None:
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 800), path.name
    small = image.scaled(64, 40, Qt.AspectRatioMode.IgnoreAspectRatio)
    colours = {small.pixel(x, y) for x in range(64) for y in range(40)}
    assert len(colours) > 8, f"{path.name} is (nearly) one colour: nothing was drawn"


def test_every_screen_renders_in_dutch_and_some_in_english(tmp_path: Path) -> None:
    dutch = _run("--out", str(tmp_path), "--lang", "nl")
    assert dutch.returncode == 0, dutch.stderr
    english = _run("--out", str(tmp_path), "--lang", "en", "--only", "intake-bsn-block", "lock")
    assert english.returncode == 0, english.stderr
    expected = {f"{name}.nl.png" for name in _names()}
    expected |= {"intake-bsn-block.en.png", "lock.en.png"}
    assert {p.name for p in tmp_path.iterdir()} == expected
    for path in tmp_path.iterdir():
        _looks_rendered(path)


def test_an_unknown_screen_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    result = _run("--out", str(tmp_path / "out"), "--only", "no-such-screen")
    assert result.returncode == 2
    assert "unknown screen(s): no-such-screen" in result.stderr
    assert not (tmp_path / "out").exists()
