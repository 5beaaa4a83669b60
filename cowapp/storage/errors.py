"""Errors of the environment (disk full, locked, corrupt, too new), as opposed to bugs.

Each carries a message for the person at the cart that says what happened and what to do. The
CLI maps them to exit code 4 and one line on stderr; the screens show them in a dialog.
"""

from __future__ import annotations


class StorageError(Exception):
    """The local database could not do what was asked, through no fault of the input."""


class DiskFullError(StorageError):
    """The disk holding the data dir is full; nothing of the failed change was written."""


class DatabaseLockedError(StorageError):
    """Another program held the database too long."""


class CorruptDatabaseError(StorageError):
    """The database file is damaged or not a database at all."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer cowapp; this one must not touch it."""


class NotFoundError(StorageError):
    """No issue with the given id or reference."""


def translate(exc: BaseException, action: str) -> StorageError | None:
    """Map a sqlite3 error (possibly wrapped by SQLAlchemy) to a `StorageError`, or None."""
    import sqlite3  # here, not at the top: the app imports these classes before Qt paints

    original = getattr(exc, "orig", exc)
    if not isinstance(original, sqlite3.Error):
        return None
    extended = getattr(original, "sqlite_errorcode", None)
    if extended is None:
        return None
    code = extended & 0xFF  # Python reports extended codes; the low byte is the primary code
    # Growing the shared-memory index fails this way when the disk is full (seen on tmpfs).
    if code == sqlite3.SQLITE_FULL or extended == sqlite3.SQLITE_IOERR_SHMSIZE:
        return DiskFullError(
            f"The disk is full: {action} failed and nothing was saved. Free some space on the "
            "cart (or ask IT), then try again."
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseLockedError(
            f"The cart's database is busy (another cowapp is writing): {action} failed and "
            "nothing was saved. Try again in a moment."
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return CorruptDatabaseError(
            f"The cart's database is damaged: {action} failed ({original})."
        )
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
        return StorageError(f"The cart's database cannot be written: {action} failed ({original})")
    return None
