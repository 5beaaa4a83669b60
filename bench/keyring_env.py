"""A keyring backend for benchmark children: the secret comes from ``COWAPP_BENCH_SECRET``.

Children that run the real app with sync switched on select it with
``PYTHON_KEYRING_BACKEND=bench.keyring_env.EnvKeyring``, so a benchmark needs no Secret Service.
It never stores anything.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend


class EnvKeyring(KeyringBackend):  # type: ignore[misc]
    """Reads one secret from the environment; setting or deleting is refused."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        """The secret in ``COWAPP_BENCH_SECRET`` for any entry."""
        return os.environ.get("COWAPP_BENCH_SECRET")

    def set_password(self, service: str, username: str, password: str) -> None:
        """Refused: benchmarks never store secrets."""
        raise NotImplementedError("the benchmark keyring is read-only")

    def delete_password(self, service: str, username: str) -> None:
        """Refused: benchmarks never store secrets."""
        raise NotImplementedError("the benchmark keyring is read-only")
