"""Fixtures for unit tests: the shipped taxonomy, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from cowapp.domain.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    """The taxonomy shipped in resources/."""
    return load_taxonomy(ROOT / "resources" / "taxonomy.json")
