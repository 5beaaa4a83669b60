"""Carries sync status from the worker thread to the GUI thread as a Qt signal.

The worker calls `SyncStatusBridge.publish` on its own thread; Qt queues the signal into the
GUI thread, where screens update. This is the only way sync reaches the screens.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from cowapp.sync.status import SyncStatus


class SyncStatusBridge(QObject):
    """Signals:
    status_changed(SyncStatus): a new status from the sync worker (delivered on the GUI thread).
    """

    status_changed = Signal(object)

    def publish(self, status: SyncStatus) -> None:
        """Called by the worker (any thread)."""
        self.status_changed.emit(status)
