"""What the sync worker tells the screens: a small immutable status, with no network imports,
so the UI can show it without depending on the sync machinery."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Connection(enum.StrEnum):
    """The worker's view of the central service."""

    STARTING = "starting"
    ONLINE = "online"
    OFFLINE = "offline"
    PAUSED = "paused"  # credentials refused or missing: waiting for a technician


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows; a new object is published after every cycle."""

    connection: Connection
    pending: int
    needs_attention: int
    oldest_pending_at: datetime | None
    last_sync: datetime | None
    last_error: str | None
    checked_at: datetime
