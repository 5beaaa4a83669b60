"""Settings of the sync layer, as read from config.toml's ``[sync]``, connector and
``[mapping.*]`` sections (validated by `cowapp.config`). Plain data: no I/O here.

Secrets are not settings: they live in the OS keyring under the ``credential`` name.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CONNECTORS = ("none", "rt", "topdesk", "servicenow")


@dataclass(frozen=True)
class Mapping:
    """Our values → the central system's values; unmapped values are sent as they are.

    Attributes:
        groups: resolver group → RT queue, TOPdesk operator group, ServiceNow assignment group.
        categories: our category code → the remote category.
        subcategories: ``category/subcategory`` code → the remote subcategory.
        priorities: our priority 1..5 (as text) → the remote priority value.
    """

    groups: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    subcategories: dict[str, str] = field(default_factory=dict)
    priorities: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SyncSettings:
    """How and where to sync.

    Attributes:
        connector: ``none`` (keep everything on the cart), ``rt``, ``topdesk`` or ``servicenow``.
        url: the central system's base URL (https, or http to loopback only).
        credential: the keyring entry holding the secret (default: the connector's name).
        ca_bundle: a PEM file of trusted CAs; empty means the OS trust store.
        timeout_seconds: per request.
        probe_interval_seconds: how often an offline or paused cart checks the service.
        concurrency: how many issues are sent at the same time (1..16; each issue's own
            changes always go in order). More hides more of the network's round-trip time.
        send_open_after_minutes: issues still open at the cart after this long are handed over
            as open tickets (0: never; resolved and escalated ones always go).
        options: the connector's own section (``[rt]``, ``[topdesk]``, ``[servicenow]``).
        mapping: value mapping to the central system.
    """

    connector: str = "none"
    url: str = ""
    credential: str = ""
    ca_bundle: str = ""
    timeout_seconds: float = 20.0
    probe_interval_seconds: float = 30.0
    send_open_after_minutes: int = 240
    concurrency: int = 8
    options: dict[str, str] = field(default_factory=dict)
    mapping: Mapping = field(default_factory=Mapping)

    @property
    def enabled(self) -> bool:
        """Whether a central system is configured at all."""
        return self.connector != "none"

    @property
    def credential_name(self) -> str:
        """The keyring entry name for this connector's secret."""
        return self.credential or self.connector


def check_url(url: str) -> str:
    """Accept https anywhere, plain http only to loopback; raise ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) URL with a host, e.g. https://rt.example.org")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError("must use https (plain http is only allowed to this machine, 127.0.0.1)")
    if parts.username or parts.password:
        raise ValueError("must not contain credentials: use `cowapp credentials set`")
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
