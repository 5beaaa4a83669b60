"""Times are stored as SQLAlchemy's naive UTC text, whichever way they are bound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from cowapp.storage.models import UTCDateTime

DIALECT = sqlite.dialect()
OFFSETS = st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23))
ZONES = st.one_of(st.just(UTC), st.builds(timezone, OFFSETS), st.timezones())


def composed(value: datetime | None) -> object:
    """What SQLAlchemy binds without our shortcut: process_bind_param, then DateTime's format."""
    naive = UTCDateTime().process_bind_param(value, DIALECT)
    process = DateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert process is not None
    return process(naive)


def bound(value: datetime | None) -> object:
    process = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert process is not None
    return process(value)


@given(st.datetimes(datetime(1901, 1, 1), datetime(2199, 12, 31), timezones=ZONES))
def test_a_time_is_bound_as_sqlalchemy_would_bind_it(value: datetime) -> None:
    assert bound(value) == composed(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2026, 11, 3, 9, 0, tzinfo=UTC), "2026-11-03 09:00:00.000000"),  # whole second
        (datetime(2026, 3, 29, 3, 30, 5, 17, tzinfo=timezone(timedelta(hours=2))), None),
        (None, None),
    ],
)
def test_examples(value: datetime | None, text: str | None) -> None:
    assert bound(value) == composed(value)
    if text is not None:
        assert bound(value) == text


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        bound(datetime(2026, 11, 3, 9, 0))
