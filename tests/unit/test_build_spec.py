"""build.spec stays in step with the code it bundles: every module a migration script imports is
a hidden import (migrations are data to PyInstaller), every keyring backend cowapp/bundle.py may
select is shipped, and the version comes from pyproject.toml. The spec is read, not run."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from cowapp import __version__, bundle

ROOT = Path(__file__).resolve().parents[2]
SPEC = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))


def _list(name: str) -> list[str]:
    for node in SPEC.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return value
    raise AssertionError(f"build.spec has no {name} list")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            found.add(node.module)
    return found


def test_every_migration_import_is_a_hidden_import() -> None:
    hidden = set(_list("MIGRATION_IMPORTS"))
    scripts = [ROOT / "migrations" / "env.py", *(ROOT / "migrations" / "versions").glob("*.py")]
    assert len(scripts) >= 4
    missing = {m for s in scripts for m in _imports(s)} - hidden
    assert not missing, f"add to MIGRATION_IMPORTS in build.spec: {sorted(missing)}"


def test_every_selectable_keyring_backend_is_shipped() -> None:
    shipped = set(_list("KEYRING_BACKENDS"))
    for backend in [*bundle.PLATFORM_KEYRINGS.values(), "keyring.backends.fail.Keyring"]:
        assert backend.rpartition(".")[0] in shipped, backend


def test_the_spec_reads_the_version_that_pyproject_declares() -> None:
    (function,) = [n for n in SPEC.body if getattr(n, "name", "") == "project_version"]
    namespace = {"ROOT": ROOT, "Path": Path, "tomllib": tomllib}
    exec(compile(ast.Module([function], []), "build.spec", "exec"), namespace)
    assert namespace["project_version"]() == __version__
