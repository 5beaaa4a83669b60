"""config.toml ``[session]``: the shared-device idle times and the PIN lock-out, with defaults,
read into the domain policies, and every bad value refused naming file, key and problem."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from cowapp.config import ConfigError, load_config
from cowapp.domain.technician import LockoutPolicy


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path / "config.toml")
    policy = config.session_policy()
    assert (policy.lock_after, policy.end_after) == (timedelta(minutes=2), timedelta(minutes=10))
    assert config.lockout_policy() == LockoutPolicy(max_attempts=5, lockout_minutes=15)


def test_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[session]\nlock_after_seconds = 60\nend_after_seconds = 300\n"
        "pin_attempts = 3\npin_lockout_minutes = 30\n",
    )
    config = load_config(path)
    policy = config.session_policy()
    assert (policy.lock_after, policy.end_after) == (timedelta(minutes=1), timedelta(minutes=5))
    assert config.lockout_policy() == LockoutPolicy(max_attempts=3, lockout_minutes=30)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("lock_after_seconds = 'x'", "session.lock_after_seconds: must be a whole number of sec"),
        ("lock_after_seconds = 1.5", "session.lock_after_seconds: must be a whole number"),
        ("lock_after_seconds = true", "session.lock_after_seconds: must be a whole number"),
        ("lock_after_seconds = 5", "session.lock_after_seconds: must be a whole number"),
        ("end_after_seconds = 90", "session.end_after_seconds: must be more than session.lock"),
        ("lock_after_seconds = 900", "session.end_after_seconds: must be more than session.lock"),
        ("pin_attempts = 0", "session.pin_attempts: must be a whole number of attempts"),
        ("pin_lockout_minutes = 0", "session.pin_lockout_minutes: must be a whole number of min"),
        ("idle_seconds = 60", "session.idle_seconds: unknown key"),
    ],
)
def test_bad_values_name_file_key_and_problem(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, f"[session]\n{text}\n")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(path) in str(refused.value)
    assert fragment in str(refused.value)
