"""The queue's text-search terms: the FTS5 trigram index for three or more characters, LIKE below.

``issues_fts`` (migration 0005) indexes the reference, description, room and asset tag of every
issue with the trigram tokenizer; triggers keep it in step with ``issues``. A search text becomes
one quoted FTS5 phrase, which matches it as a substring anywhere in those columns, folding case
for accented letters too ("ÉÉN" finds "één"; the accent itself still counts). One or two
characters make no trigram, so they fall back to ``LIKE`` (ASCII case folding) over the table:
the same answers, at the cost of one table scan. A reference read out ("kd7 m4x") is found by
its normalised form either way.

The matching rowids can be used two ways, and `IssueQuery` picks by how many there are
(`fts_match_count`, a cheap count inside the index):

* drive: look up each matching row by rowid, filter and sort them. Cheap for a few hundred
  matches; a common word ("printer", one issue in ten) makes it thousands of random row reads.
* walk: walk the status index in queue order and keep the entries whose rowid is in the match
  set (``+rowid IN (...)``: checked on the index entry, no table read), so a page stops after
  ``limit`` hits however many issues match.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from cowapp.domain.reference import normalise_reference
from cowapp.storage.models import IssueRow

TRIGRAM = 3
"""The shortest search text the trigram index can answer; shorter text is matched with LIKE."""

DRIVE_LIMIT = 2_000
"""Up to this many index matches, read them by rowid; above it, walk the status index instead
(measured with 100,000 issues: 16,000 matches cost ~24 ms driven, ~8 ms walked; 99 matches
~1 ms driven, ~20 ms walked)."""

ROWID: ColumnElement[int] = literal_column("issues.rowid", Integer)
_UNINDEXED_ROWID = UnaryExpression(ROWID, operator=operators.custom_op("+"), type_=Integer())
_FTS = table("issues_fts")  # not an ORM model: an FTS5 virtual table (see the migration)
_ESCAPE = "\\"


def uses_index(text: str) -> bool:
    """Whether a (stripped) search text is looked up in the trigram index."""
    return len(text) >= TRIGRAM


def fts_match_count(session: Session, text: str) -> int:
    """How many issues the trigram index matches for ``text`` (no issue row is read)."""
    query = select(func.count()).select_from(_FTS).where(_match(text))
    return session.scalar(query) or 0


def text_matches(text: str, walk: bool = False) -> ColumnElement[bool]:
    """The WHERE term for a search text.

    Args:
        text: the stripped search text, not empty.
        walk: check the index matches per status-index entry (``+rowid``) instead of driving
            the query from them; only meaningful for `uses_index` texts.
    """
    matches: list[ColumnElement[bool]]
    if uses_index(text):
        rowid = _UNINDEXED_ROWID if walk else ROWID
        matches = [rowid.in_(fts_rowids(text))]
    else:
        pattern = "%" + like_escape(text) + "%"
        columns = (IssueRow.reference, IssueRow.description, IssueRow.room, IssueRow.asset_tag)
        matches = [c.like(pattern, escape=_ESCAPE) for c in columns]
    reference = normalise_reference(text)  # "kd7 m4x" finds KD7-M4X
    if reference is not None:
        matches.append(IssueRow.reference == reference)
    return or_(*matches)


def matching_rowids(text: str) -> Select[Any] | CompoundSelect[Any]:
    """Rowids of every issue a `uses_index` text finds: the index's and a read-out reference."""
    query = fts_rowids(text)
    reference = normalise_reference(text)
    if reference is None:
        return query
    by_reference = select(ROWID).select_from(IssueRow).where(IssueRow.reference == reference)
    return query.union(by_reference)


def fts_rowids(text: str) -> Select[Any]:
    """Rowids of issues whose indexed text contains ``text`` (an FTS5 phrase of trigrams)."""
    return select(literal_column("rowid", Integer)).select_from(_FTS).where(_match(text))


def _match(text: str) -> ColumnElement[bool]:
    phrase = '"' + text.replace('"', '""') + '"'  # a quoted string: no FTS5 syntax inside
    return literal_column("issues_fts").op("MATCH")(phrase)


def like_escape(text: str) -> str:
    """``text`` with the LIKE wildcards ``%`` and ``_`` (and the escape ``\\``) made literal."""
    return (
        text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    )
