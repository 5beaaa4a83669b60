"""The cart's settings: ``config.toml``, the taxonomy and the known-issue catalogue, read and
checked before the database is touched.

Kept apart from `cowapp.wiring` (which opens the store) because it imports no SQLAlchemy: the
GUI reads the settings and paints the intake screen before it opens the store (`cowapp.gui`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cowapp import paths
from cowapp.config import Config, load_config
from cowapp.domain.known_issues import Catalogue, load_catalogue
from cowapp.domain.taxonomy import Taxonomy, load_taxonomy


@dataclass
class Settings:
    """What can be checked before the database is touched (so refused input writes nothing)."""

    home: Path
    config: Config
    taxonomy: Taxonomy
    catalogue: Catalogue = field(default_factory=lambda: Catalogue(()))


def load_settings(home: Path | None = None) -> Settings:
    """Read config.toml and the taxonomy (raises `ConfigError`/`TaxonomyError`)."""
    home = home or paths.data_dir()
    config = load_config(home / paths.CONFIG_NAME)
    taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    catalogue = load_catalogue(paths.resources_dir() / "known_issues.json", taxonomy)
    return Settings(home, config, taxonomy, catalogue)
