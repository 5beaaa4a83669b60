"""A wheel carries every cowapp sub-package and the resources/migrations folders the app loads
(pyproject lists packages explicitly because resources/ and migrations/ are mapped into it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "cowapp").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    mapped = config["package-dir"]
    assert mapped["cowapp._resources"] == "resources"
    assert mapped["cowapp._migrations"] == "migrations"


def test_test_module_names_are_unique() -> None:
    """pytest imports test modules by basename here (no __init__.py): a repeated name breaks
    collection of the whole suite."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
