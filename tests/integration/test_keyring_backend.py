"""The credentials store is a real OS keyring: a secret set through ``keyring`` lands in the daemon.

On Linux that is a Secret Service (gnome-keyring) reached over D-Bus. A headless box has none, so
this test runs only inside ``scripts/with-keyring.sh``, which starts a throwaway, unlocked
gnome-keyring on a private session bus and sets ``COWAPP_KEYRING_SANDBOX``. Anywhere else it skips
with the reason: it never writes to a developer's own keyring. Inside the sandbox every problem is a
failure, not a skip. See scripts/KEYRING.md.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess

import keyring
import keyring.backend
import keyring.errors
import pytest

SERVICE = "cowapp-test"
SANDBOX = os.environ.get("COWAPP_KEYRING_SANDBOX")


def _skip_reason() -> str | None:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): use scripts/with-keyring.sh"
    if not SANDBOX:
        return (
            "not inside scripts/with-keyring.sh (COWAPP_KEYRING_SANDBOX unset): "
            "not touching this session's own keyring"
        )
    return None


if _skip_reason() is not None and os.environ.get("WITH_KEYRING_REQUIRE") == "1":
    pytest.fail(f"WITH_KEYRING_REQUIRE=1 but {_skip_reason()}", pytrace=False)
pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


def _backend() -> keyring.backend.KeyringBackend:
    """The backend ``keyring.set_password`` writes to (the first one if keyring chains several)."""
    from keyring.backends.chainer import ChainerBackend

    kr = keyring.get_keyring()
    if isinstance(kr, ChainerBackend) and kr.backends:
        first: keyring.backend.KeyringBackend = kr.backends[0]
        return first
    return kr


def _secret_tool_lookup(name: str) -> subprocess.CompletedProcess[str]:
    # keyring's SecretService backend stores the attributes service, username and application.
    tool = shutil.which("secret-tool")
    assert tool is not None
    return subprocess.run(
        [tool, "lookup", "service", SERVICE, "username", name],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        check=False,
    )


def test_backend_is_the_secret_service() -> None:
    from keyring.backends import SecretService, fail

    backend = _backend()
    assert not isinstance(backend, fail.Keyring), (
        f"keyring found no usable backend although with-keyring.sh started a Secret Service "
        f"(is secretstorage/jeepney installed?): {keyring.get_keyring()!r}"
    )
    assert isinstance(backend, SecretService.Keyring), (
        f"expected keyring.backends.SecretService.Keyring, got {type(backend).__module__}."
        f"{type(backend).__qualname__} (PYTHON_KEYRING_BACKEND or a keyringrc.cfg overriding it?)"
    )


def test_set_get_delete_round_trip() -> None:
    name = f"user-{secrets.token_hex(8)}"
    secret = f"pw-{secrets.token_urlsafe(24)} ü€"  # non-ASCII on purpose

    assert keyring.get_password(SERVICE, name) is None
    keyring.set_password(SERVICE, name, secret)
    try:
        assert keyring.get_password(SERVICE, name) == secret
        cred = keyring.get_credential(SERVICE, name)
        assert cred is not None and cred.password == secret
        keyring.set_password(SERVICE, name, secret + "-2")  # overwrites
        assert keyring.get_password(SERVICE, name) == secret + "-2"
    finally:
        keyring.delete_password(SERVICE, name)

    assert keyring.get_password(SERVICE, name) is None
    with pytest.raises(keyring.errors.PasswordDeleteError):
        keyring.delete_password(SERVICE, name)


def test_secret_is_really_in_the_daemon() -> None:
    """An independent client (libsecret's secret-tool) sees what keyring wrote, and its deletion."""
    if shutil.which("secret-tool") is None:
        pytest.skip("secret-tool not installed (apt-get install libsecret-tools): no cross-check")
    name = f"user-{secrets.token_hex(8)}"
    secret = f"pw-{secrets.token_urlsafe(24)} ü€"

    keyring.set_password(SERVICE, name, secret)
    try:
        found = _secret_tool_lookup(name)
        assert found.returncode == 0, found.stderr
        assert found.stdout == secret  # secret-tool prints the secret without a newline on a pipe
    finally:
        keyring.delete_password(SERVICE, name)

    gone = _secret_tool_lookup(name)
    assert (gone.returncode, gone.stdout) == (1, "")
