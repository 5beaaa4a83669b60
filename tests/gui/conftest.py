"""Fixtures shared by the GUI tests (pytest-qt, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from cowapp import paths
from cowapp.ui.i18n import Translator


@pytest.fixture
def translator(qapp: QApplication) -> Iterator[Translator]:
    """cowapp's translations installed in Dutch, removed afterwards."""
    installed = Translator(qapp, paths.resources_dir() / "translations")
    assert installed.switch("nl")
    yield installed
    installed.uninstall()
