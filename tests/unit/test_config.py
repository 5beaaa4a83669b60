"""config.toml: defaults without a file; each bad value refused naming file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from cowapp.config import DEFAULT_GROUPS, ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "config.toml")
    assert (config.language, config.retention_days) == ("nl", 30)
    assert config.escalation_groups == DEFAULT_GROUPS
    assert config.matrix.priority(1, 1) == 1


def test_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[cart]
id = "COW-12"
ward = "C2 Chirurgie"
language = "en"
[privacy]
retention_days = 14
asset_pattern = "^UMC\\\\d{6}$"
[priority]
matrix = [[1, 1, 2], [2, 3, 4], [3, 4, 5]]
[escalation]
groups = ["Servicedesk", "Printbeheer"]
""",
    )
    config = load_config(path)
    assert (config.cart_id, config.ward, config.language) == ("COW-12", "C2 Chirurgie", "en")
    assert config.retention_days == 14 and config.asset_pattern == r"^UMC\d{6}$"
    assert config.matrix.priority(1, 2) == 1
    policy = config.intake_policy()
    assert policy.escalation_groups == ("Servicedesk", "Printbeheer")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[cart\nid=1", "not valid TOML"),
        ("[carts]\nid = 'x'", "[carts]: unknown section"),
        ("[cart]\nname = 'x'", "cart.name: unknown key"),
        ("[cart]\nid = ''", "cart.id: must be a non-empty string"),
        ("[cart]\nlanguage = 'de'", 'cart.language: must be "nl" or "en"'),
        ("[privacy]\nretention_days = 'x'", "privacy.retention_days: must be a whole number"),
        ("[privacy]\nretention_days = 0", "privacy.retention_days"),
        ("[privacy]\nasset_pattern = '['", "privacy.asset_pattern: is not a valid regular"),
        ("[priority]\nmatrix = [[1,2],[3,4]]", "priority.matrix: the priority matrix must have"),
        ("[priority]\nmatrix = [[1,2,3],[2,3,4],[3,4,9]]", "priority.matrix: priority matrix"),
        ("[escalation]\ngroups = []", "escalation.groups: must be a non-empty list"),
        ("[escalation]\ngroups = ['A', 'A']", "escalation.groups: lists a group twice"),
        ("cart = 3", "cart: must be a table"),
    ],
)
def test_bad_config_names_file_key_and_problem(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(path) in str(refused.value)
    assert fragment in str(refused.value)


def test_sync_concurrency_defaults_to_eight_and_is_bounded(tmp_path: Path) -> None:
    assert load_config(tmp_path / "config.toml").sync.concurrency == 8
    chosen = write(tmp_path, "[sync]\nconcurrency = 3\n")
    assert load_config(chosen).sync.concurrency == 3
    for bad in ("0", "17", "2.5", '"4"'):
        path = write(tmp_path, f"[sync]\nconcurrency = {bad}\n")
        with pytest.raises(ConfigError, match=r"sync\.concurrency: must be a whole number"):
            load_config(path)
