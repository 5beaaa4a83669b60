"""Fixtures shared by the GUI tests (pytest-qt, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from cowapp import paths
from cowapp.ui.i18n import Translator
from cowapp.ui.theme import DAY, apply_theme


@pytest.fixture
def translator(qapp: QApplication) -> Iterator[Translator]:
    """cowapp's translations installed in Dutch, removed afterwards."""
    installed = Translator(qapp, paths.resources_dir() / "translations")
    assert installed.switch("nl")
    yield installed
    installed.uninstall()


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The cart's day theme (touch sizes, large type) on the application; the application's
    previous look is restored afterwards, so no test leaks its look into the next."""
    look = (qapp.style().name(), qapp.palette(), qapp.font(), qapp.styleSheet())
    apply_theme(qapp, DAY)
    yield qapp
    style, palette, font, sheet = look
    qapp.setStyleSheet(sheet)
    if style:
        qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
