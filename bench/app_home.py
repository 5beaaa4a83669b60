"""A data dir for running the real app in a benchmark child: a cart full of queued issues and a
config.toml that syncs to a given TOPdesk URL, with the secret handed over by `bench.keyring_env`.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from bench.carts import make_cart
from bench.slow_itsm import LOGIN, PASSWORD

KEYRING_ENV = {
    "PYTHON_KEYRING_BACKEND": "bench.keyring_env.EnvKeyring",
    "COWAPP_BENCH_SECRET": PASSWORD,
}


def app_home(home: Path, queued: int, url: str | None) -> dict[str, str]:
    """Fill ``home`` (``url`` None: sync off); return the environment for the child."""
    make_cart(home, queued, queued=True).close()
    if url is not None:
        (home / "config.toml").write_text(
            f'[sync]\nconnector = "topdesk"\nurl = "{url}"\n\n[topdesk]\nlogin = "{LOGIN}"\n',
            encoding="utf-8",
        )
    return {**KEYRING_ENV, "COWAPP_HOME": str(home), "HOME": os.environ.get("HOME", str(home))}


def dead_url() -> str:
    """A loopback URL nobody listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
