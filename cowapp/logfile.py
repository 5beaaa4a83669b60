"""The cart's log file, rotated by size: ``logs/cowapp.log`` and up to N older ones beside it.

Our own handler rather than `logging.handlers.RotatingFileHandler`: importing that module pulls
in socket, pickle and queue, ~5 ms of every cold start before the first screen is painted.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path


class RotatingLog(logging.FileHandler):
    """Appends to ``path``; before a record would take it past ``max_bytes``, the file is moved
    to ``path.1`` (``path.1`` to ``path.2`` and so on, up to ``path.<backups>``, the oldest
    dropped) and a new one is started. A record longer than ``max_bytes`` still gets written,
    alone in its file.

    Thread-safe as every `logging.Handler`: `emit` runs under the handler's lock.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        if max_bytes <= 0 or backups <= 0:
            raise ValueError("max_bytes and backups must be positive")
        super().__init__(path, encoding="utf-8")
        self._path, self._max_bytes, self._backups = path, max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record``, rotating first when it would not fit."""
        try:
            if self.stream is not None:
                size = self.stream.tell()
                if size and size + len(self.format(record).encode()) + 1 > self._max_bytes:
                    self._rotate()
        except OSError:  # reported (logging's rule: a handler never raises); the record is
            self.handleError(record)  # still written, to the file as it is
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # FileHandler.emit opens a new one
        for number in range(self._backups - 1, 0, -1):
            older = self._backup(number)
            if older.exists():
                os.replace(older, self._backup(number + 1))
        os.replace(self._path, self._backup(1))

    def _backup(self, number: int) -> Path:
        return self._path.with_name(f"{self._path.name}.{number}")
