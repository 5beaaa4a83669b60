"""The bundle's keyring choice (cowapp/bundle.py): explicit per platform when frozen, and an
administrator's PYTHON_KEYRING_BACKEND still wins. Run from source with ``frozen=True``; the
bundle itself is tested in tests/frozen/."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import keyring
import pytest

from cowapp import bundle


@pytest.fixture(autouse=True)
def restore_keyring() -> Iterator[None]:
    original = keyring.get_keyring()
    yield
    keyring.set_keyring(original)


def test_from_source_nothing_changes() -> None:
    before = keyring.get_keyring()
    assert bundle.select_keyring(frozen=False) is None
    assert keyring.get_keyring() is before


def test_frozen_selects_the_platform_backend_or_says_it_is_unusable() -> None:
    chosen = bundle.select_keyring(frozen=True)
    backend = keyring.get_keyring()
    assert chosen == f"{type(backend).__module__}.{type(backend).__name__}"
    assert chosen in (bundle.PLATFORM_KEYRINGS[sys.platform], "keyring.backends.fail.Keyring")


def test_an_administrators_choice_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    assert bundle.select_keyring(frozen=True) is None
