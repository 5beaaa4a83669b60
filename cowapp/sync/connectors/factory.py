"""Choosing the connector class for the configured system (imported only when chosen)."""

from __future__ import annotations

import importlib

import httpx

from cowapp.sync.connectors.base import Connector
from cowapp.sync.settings import SyncSettings

_CLASSES = {
    "rt": ("cowapp.sync.connectors.rt", "RTConnector"),
    "topdesk": ("cowapp.sync.connectors.topdesk", "TopdeskConnector"),
    "servicenow": ("cowapp.sync.connectors.servicenow", "ServiceNowConnector"),
}


def create_connector(settings: SyncSettings, client: httpx.Client, secret: str) -> Connector:
    """The connector for ``settings.connector``, talking through ``client``.

    Raises:
        ValueError: when no central system is configured.
    """
    if settings.connector not in _CLASSES:
        raise ValueError(f"no connector for {settings.connector!r}")
    module, name = _CLASSES[settings.connector]
    cls = getattr(importlib.import_module(module), name)
    connector: Connector = cls(client, secret, settings)
    return connector
