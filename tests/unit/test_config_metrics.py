"""The [metrics] section: go-live date, pre-cart baseline, target and time zone, with defaults."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cowapp.config import ConfigError, load_config


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_metrics_section(tmp_path: Path) -> None:
    settings = load_config(tmp_path / "missing.toml").metrics_settings()
    assert settings.go_live is None and settings.baseline_per_day is None
    assert settings.target_drop_percent == 70.0
    assert str(settings.zone) == "Europe/Amsterdam"


def test_values_are_read(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        "[metrics]\ngo_live = 2026-11-02\nbaseline_per_day = 140\ntarget_drop_percent = 60\n"
        'timezone = "UTC"\n',
    )
    settings = load_config(path).metrics_settings()
    assert settings.go_live == date(2026, 11, 2)
    assert (settings.baseline_per_day, settings.target_drop_percent) == (140.0, 60.0)
    assert str(settings.zone) == "UTC"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('go_live = "2 nov"', "metrics.go_live: must be a date"),
        ("go_live = 2026-11-02T08:00:00", "metrics.go_live: must be a date"),
        ("baseline_per_day = 0", "metrics.baseline_per_day: must be a number above 0"),
        ("target_drop_percent = 170", "metrics.target_drop_percent: must be a number above 0"),
        ('timezone = "Mars/Olympus"', "metrics.timezone: is not a known time zone"),
    ],
)
def test_bad_values_are_refused_with_the_key(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_config(tmp_path, f"[metrics]\n{line}\n"))
