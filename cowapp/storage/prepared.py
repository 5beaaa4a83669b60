"""Single-row INSERTs on the hot save path, compiled once instead of on every execution.

``connection.execute(insert(table), values)`` builds the statement, computes its cache key,
looks up the compiled form and binds the parameters by name, every time: about 40-80 µs of
Python per row, several times the row's own cost in SQLite. An intake save writes four rows.
`PreparedInsert` does that work once per dialect and then hands SQLite a fixed SQL string with
positional values through `cowapp.storage.db.driver_execute`: in the caller's transaction, with
SQLAlchemy's exception classes (an ``IntegrityError`` is still an ``IntegrityError``), but
without its per-statement events and result set-up. The values go through
the same bind processors as a Core insert (UUIDs as hex, times as naive UTC text), so the rows
are identical; tests/unit/storage/test_prepared.py compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert

from cowapp.storage.db import driver_execute

_Processor = Callable[[Any], Any] | None


class PreparedInsert:
    """An INSERT of a fixed set of columns into one table, compiled on first use.

    Args:
        table: the table.
        columns: the columns every execution gives a value for (the rest take their defaults).
    """

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self._table = table
        self._columns = tuple(columns)
        self._compiled: dict[str, tuple[str, tuple[str, ...], tuple[_Processor, ...]]] = {}

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> None:
        """Insert one row; ``values`` must hold exactly the prepared columns."""
        sql, order, processors = self._for(connection.dialect)
        params = tuple(
            value if process is None else process(value)
            for process, value in zip(processors, [values[name] for name in order], strict=True)
        )
        driver_execute(connection, sql, params)

    def _for(self, dialect: Dialect) -> tuple[str, tuple[str, ...], tuple[_Processor, ...]]:
        known = self._compiled.get(dialect.name)
        if known is None:
            compiled = insert(self._table).compile(dialect=dialect, column_keys=self._columns)
            order = tuple(compiled.positiontup or ())
            if sorted(order) != sorted(self._columns):
                raise ValueError(f"cannot prepare an insert into {self._table.name}: {order}")
            processors = tuple(
                self._table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                for name in order
            )
            known = self._compiled[dialect.name] = (str(compiled), order, processors)
        return known
