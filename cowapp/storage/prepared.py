"""Statements on the hot save path, compiled once instead of on every execution.

``connection.execute(insert(table), values)`` builds the statement, computes its cache key,
looks up the compiled form and binds the parameters by name, every time: about 40-80 µs of
Python per row, several times the row's own cost in SQLite. An intake save writes four rows.
`PreparedInsert` does that work once per dialect and then hands SQLite a fixed SQL string with
positional values through a `RowWriter`: in the caller's transaction, with SQLAlchemy's
exception classes (an ``IntegrityError`` is still an ``IntegrityError``), but without its
per-statement events and result set-up. `PreparedSQL` does the same for a hand-written
statement, and reads a query's values back as the column types do (`PreparedSQL.fetch`).
The values go through the same bind processors as a Core statement (UUIDs as hex, times as
naive UTC text), so the rows are identical; tests/unit/storage/test_prepared.py compares them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Dialect, Table, insert

from cowapp.storage.db import RowWriter

_Processor = Callable[[Any], Any]
# (position, bind processor) of the parameters a column type converts; most go to SQLite as they
# are (text, integers, None), and skipping them saves a Python call per value.
_Processing = tuple[tuple[int, _Processor], ...]


class PreparedInsert:
    """An INSERT of a fixed set of columns into one table, compiled on first use.

    Args:
        table: the table.
        columns: the columns every execution gives a value for (the rest take their defaults).
    """

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self._table = table
        self._columns = tuple(columns)
        self._compiled: dict[str, tuple[str, tuple[str, ...], _Processing]] = {}

    def execute(self, rows: RowWriter, values: Mapping[str, Any]) -> None:
        """Insert one row; ``values`` must hold exactly the prepared columns."""
        sql, order, processing = self._for(rows.dialect)
        rows.execute(sql, _bound(processing, [values[name] for name in order]))

    def _for(self, dialect: Dialect) -> tuple[str, tuple[str, ...], _Processing]:
        known = self._compiled.get(dialect.name)
        if known is None:
            compiled = insert(self._table).compile(dialect=dialect, column_keys=self._columns)
            order = tuple(compiled.positiontup or ())
            if sorted(order) != sorted(self._columns):
                raise ValueError(f"cannot prepare an insert into {self._table.name}: {order}")
            processing = _processing([self._table.c[name] for name in order], dialect)
            known = self._compiled[dialect.name] = (str(compiled), order, processing)
        return known


class PreparedSQL:
    """A hand-written statement whose ``?`` parameters are bound as values of given columns.

    Args:
        sql: the statement, with one ``?`` per column in ``columns``, in that order.
        columns: the column each parameter is compared with or written to.
        results: for a query, the column each selected value is read as (`fetch` converts them
            as a Core select of those columns would: UUIDs, aware times, booleans).
    """

    def __init__(
        self, sql: str, columns: Sequence[Column[Any]], results: Sequence[Column[Any]] = ()
    ) -> None:
        self._sql = sql
        self._columns = tuple(columns)
        self._results = tuple(results)
        self._processing: dict[str, _Processing] = {}
        self._result_processing: dict[str, _Processing] = {}

    def execute(self, rows: RowWriter, *values: Any) -> sqlite3.Cursor:
        """Run the statement with one value per column."""
        processing = self._processing.get(rows.dialect.name)
        if processing is None:
            processing = self._processing[rows.dialect.name] = _processing(
                self._columns, rows.dialect
            )
        if len(values) != len(self._columns):
            raise ValueError(f"{len(self._columns)} values needed, {len(values)} given")
        return rows.execute(self._sql, _bound(processing, list(values)))

    def fetch(self, rows: RowWriter, *values: Any) -> list[list[Any]]:
        """Run the query; every row it returns, each value read as its `results` column."""
        processing = self._result_processing.get(rows.dialect.name)
        if processing is None:
            processing = self._result_processing[rows.dialect.name] = _result_processing(
                self._results, rows.dialect
            )
        return [_bound(processing, list(row)) for row in self.execute(rows, *values)]


def _processing(columns: Sequence[Column[Any]], dialect: Dialect) -> _Processing:
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    return tuple((index, process) for index, process in enumerate(processors) if process)


def _result_processing(columns: Sequence[Column[Any]], dialect: Dialect) -> _Processing:
    processors = [
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
    ]
    return tuple((index, process) for index, process in enumerate(processors) if process)


def _bound(processing: _Processing, values: list[Any]) -> list[Any]:
    for index, process in processing:
        values[index] = process(values[index])
    return values
