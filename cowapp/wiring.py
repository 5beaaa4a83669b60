"""Composition: opens the cart's config, taxonomy and database, shared by the CLI and the GUI.

Both front ends call `open_cart` and then use the same domain functions and repositories, so a
headless ``cowapp issue add`` follows exactly the path the intake screen follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cowapp import paths
from cowapp.domain.metrics import Outcomes, summarise
from cowapp.settings import Settings
from cowapp.storage.db import Database
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.known_issue_store import KnownIssueStore
from cowapp.storage.metrics_query import MetricsQuery
from cowapp.storage.migrate import open_database
from cowapp.storage.outbox_store import OutboxStore

if TYPE_CHECKING:  # the sync side (httpx, keyring) is imported when sync is opened, not at start
    import httpx

    from cowapp.sync.engine import SyncEngine


def utc_now() -> datetime:
    """The device clock in UTC (the one clock every event is stamped with)."""
    return datetime.now(UTC)


@dataclass
class Cart:
    """Everything a front end needs, opened and migrated.

    Attributes:
        settings: config and taxonomy.
        db: the open database (dispose it with `close`).
        issues: the issue repository.
        notices: things the user must be told (a damaged file moved aside, a backup made).
    """

    settings: Settings
    db: Database
    issues: IssueStore
    notices: list[str] = field(default_factory=list)

    def close(self) -> None:
        """Release the database."""
        self.db.dispose()


def open_cart(settings: Settings) -> Cart:
    """Open (checking, backing up and migrating) the cart's database."""
    opened = open_database(settings.home / paths.DB_NAME, paths.migrations_dir())
    store = IssueStore(opened.db)
    try:
        store.purge_synced_text(utc_now(), settings.config.retention_days)
        KnownIssueStore(opened.db, store).load_catalogue(settings.catalogue, utc_now())
    except BaseException:
        opened.db.dispose()
        raise
    return Cart(settings, opened.db, store, opened.notices)


def outcomes(
    cart: Cart,
    since: datetime | None = None,
    until: datetime | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Outcomes:
    """Every outcome metric of the cart's issues created in [since, until) (safe in any thread:
    it opens its own connection)."""
    query = MetricsQuery(cart.db)
    settings = cart.settings.config.metrics_settings()
    return summarise(query.facts(since, until), settings, clock(), query.extras(since, until))


@dataclass
class SyncParts:
    """An engine wired to the configured central system (close the client when done)."""

    engine: SyncEngine
    client: httpx.Client

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()


class SyncNotReadyError(Exception):
    """Sync cannot start: nothing configured, or no credentials. The message says what to do."""


def open_sync(cart: Cart, clock: Callable[[], datetime] = utc_now) -> SyncParts:
    """Wire the sync engine: settings, secret from the keyring, HTTP client, connector."""
    from cowapp.sync import credentials
    from cowapp.sync.connectors.factory import create_connector
    from cowapp.sync.engine import SyncEngine
    from cowapp.sync.transport import make_client

    settings = cart.settings.config.sync
    if not settings.enabled:
        raise SyncNotReadyError(
            f"no central service is configured: set [sync] connector and url in "
            f"{cart.settings.config.path} (see README 'Sync')"
        )
    secret = credentials.get_secret(settings.credential_name)
    if not secret:
        raise SyncNotReadyError(
            f"no credentials stored for {settings.credential_name!r}: run `cowapp credentials "
            f"set {settings.credential_name}` and type the secret"
        )
    client = make_client(settings)
    connector = create_connector(settings, client, secret)
    engine = SyncEngine(
        cart.issues,
        OutboxStore(cart.db),
        connector,
        cart.settings.taxonomy,
        settings,
        clock,
        language=cart.settings.config.language,
    )
    return SyncParts(engine, client)
