"""What the PyInstaller bundle needs at start-up that a source install gets for free.

``keyring`` finds its backends through installed packages' entry points; a frozen app carries no
package metadata, so keyring would silently fall back to its "fail" backend and no credential
could be stored. `select_keyring` picks the platform's backend explicitly (build.spec ships
exactly these) unless the administrator chose one with ``PYTHON_KEYRING_BACKEND`` or a
``keyringrc.cfg``, which keyring honours itself. Composition layer: called from `cowapp.app`.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

PLATFORM_KEYRINGS = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",
    "darwin": "keyring.backends.macOS.Keyring",
    "linux": "keyring.backends.SecretService.Keyring",
}
"""The backend build.spec ships for each platform (``sys.platform``)."""


def is_frozen() -> bool:
    """True inside the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def select_keyring(frozen: bool | None = None) -> str | None:
    """Make keyring use the platform's backend in the bundle; return its name, or None when
    nothing was changed (running from source, or an administrator's choice applies).

    Args:
        frozen: override the frozen check (tests use it to prove the bundle's path from source).
    """
    if not (is_frozen() if frozen is None else frozen):
        return None
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None  # keyring reads it itself, and it wins over everything else
    import keyring
    import keyring.core

    if keyring.core.load_config() is not None:  # keyringrc.cfg: an administrator's choice
        return None
    name = PLATFORM_KEYRINGS.get(sys.platform, PLATFORM_KEYRINGS["linux"])
    try:
        backend = keyring.core.load_keyring(name)
    except Exception as error:  # keyring checks availability (e.g. no D-Bus session) here
        import keyring.backends.fail

        log.warning("keyring backend %s is not available here: %s", name, error)
        backend = keyring.backends.fail.Keyring()  # type: ignore[no-untyped-call]
        name = "keyring.backends.fail.Keyring"
    keyring.set_keyring(backend)
    log.info("frozen app: keyring backend %s selected explicitly", name)
    return name
