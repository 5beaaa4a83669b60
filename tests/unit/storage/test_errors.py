"""SQLite failures become messages that say whose fault it is, for primary and extended codes
alike (Python 3.11 reports extended codes such as SQLITE_IOERR_SHMSIZE)."""

from __future__ import annotations

import sqlite3

import pytest

from cowapp.storage.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    StorageError,
    translate,
)


def sqlite_error(code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError("from sqlite")
    error.sqlite_errorcode = code  # what the sqlite3 module sets on real errors
    return error


@pytest.mark.parametrize(
    ("code", "kind", "fragment"),
    [
        (sqlite3.SQLITE_FULL, DiskFullError, "disk is full"),
        (sqlite3.SQLITE_IOERR_SHMSIZE, DiskFullError, "disk is full"),
        (sqlite3.SQLITE_BUSY, DatabaseLockedError, "busy"),
        (sqlite3.SQLITE_BUSY_SNAPSHOT, DatabaseLockedError, "busy"),
        (sqlite3.SQLITE_CORRUPT, CorruptDatabaseError, "damaged"),
        (sqlite3.SQLITE_CORRUPT_INDEX, CorruptDatabaseError, "damaged"),
        (sqlite3.SQLITE_READONLY_DBMOVED, StorageError, "cannot be written"),
        (sqlite3.SQLITE_IOERR_WRITE, StorageError, "cannot be written"),
    ],
)
def test_codes_map_to_clear_errors(code: int, kind: type[StorageError], fragment: str) -> None:
    translated = translate(sqlite_error(code), "saving the issue")
    assert type(translated) is kind
    assert fragment in str(translated) and "saving the issue" in str(translated)


def test_other_errors_are_not_dressed_up() -> None:
    assert translate(sqlite_error(sqlite3.SQLITE_CONSTRAINT), "saving") is None
    assert translate(ValueError("x"), "saving") is None
