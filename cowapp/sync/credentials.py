"""Secrets for the central service, kept only in the operating system's keyring.

Never in SQLite, config files, logs or exception messages. On the carts (Windows) the keyring
is Credential Manager; on Linux a Secret Service (GNOME Keyring, KeePassXC). The service name is
``cowapp``; the entry name is the configured credential name (default: the connector's name).
"""

from __future__ import annotations

import keyring
import keyring.errors

SERVICE = "cowapp"


class CredentialError(Exception):
    """The keyring could not be used; the message says what to do (never contains a secret)."""


def backend_name() -> str:
    """The keyring backend in use, e.g. ``SecretService Keyring`` or ``WinVaultKeyring``."""
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def get_secret(name: str) -> str | None:
    """The stored secret, or None when none was set."""
    try:
        return keyring.get_password(SERVICE, name)
    except keyring.errors.KeyringError as error:
        raise CredentialError(_advice(error)) from None


def set_secret(name: str, secret: str) -> None:
    """Store (or replace) a secret."""
    if not secret:
        raise CredentialError("the secret is empty: nothing was stored")
    try:
        keyring.set_password(SERVICE, name, secret)
    except keyring.errors.KeyringError as error:
        raise CredentialError(_advice(error)) from None


def _advice(error: Exception) -> str:
    return (
        f"the keyring ({backend_name()}) cannot be used: {type(error).__name__}: {error}. "
        "On a machine without a desktop session, see README 'Credentials' for choosing a "
        "keyring backend"
    )
