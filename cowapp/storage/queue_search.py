"""The queue's text-search terms: the FTS5 trigram index for three or more characters, LIKE below.

``issues_fts`` (migration 0005) indexes the reference, description, room and asset tag of every
issue with the trigram tokenizer; triggers keep it in step with ``issues``. A search text becomes
one quoted FTS5 phrase, which matches it as a substring anywhere in those columns, folding case
for accented letters too ("ÉÉN" finds "één"; the accent itself still counts). One or two
characters make no trigram, so they fall back to ``LIKE`` (ASCII case folding) over the table:
the same answers, at the cost of one table scan. A reference read out ("kd7 m4x") is found by
its normalised form either way.

Running the phrase is the costly part of a search, and its cost follows how common its trigrams
are, not how many issues match: "kamer 12" matches 4,272 of 100,000 issues but takes ~6 ms,
because "kam", "ame", "mer" and "er " occur in every issue. So a page query runs it once in
total. `first_matches` reads the lowest `DRIVE_LIMIT` + 1 matching rowids (in rowid order, which
FTS5 gives for free) into one comma-separated string (``group_concat``: one value, not a Python
row per match), and the page query takes them back as a JSON array (``json_each``). That answer
also picks the plan:

* drive (all matches read, at most `DRIVE_LIMIT`): look up each matching row by rowid, filter
  and sort them. Cheap for a few hundred matches; a common word ("printer", one issue in twelve)
  would make it thousands of random row reads.
* walk (more than that): walk the status index in queue order and keep the entries whose rowid
  is a match (``+rowid IN (...)``: checked on the index entry, no table read), so a page stops
  after ``limit`` hits however many issues match. The match set is the rowids already read plus
  the index's matches above the last of them (``rowid > ?``, which FTS5 seeks to), so no part of
  the phrase is run twice.

Measured with 100,000 issues (bench.carts, a noisy 2-core machine), `IssueQuery.ids` for the
first 200 ids across all statuses, median: "kamer 12" ~13.5 ms, "printer" (8,309 matches,
walked) ~8.5 ms, "COW-0042" (94, driven) ~2.5 ms. Before, with a separate count of the matches
to pick the plan, the whole phrase run again inside the page query and a table read for every
candidate the walk's sorter took in: ~18, ~10 and ~3 ms. Counting the matches (`IssueQuery.count`
of a text alone) still runs the whole phrase: ~6 ms for "kamer 12", ~2.5 ms for "printer".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    table,
    union_all,
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
(measured with 100,000 issues, the first page's statement alone, across all statuses: 1,111
matches ~1 ms driven, ~7-10 ms walked; 4,127 ~11 ms driven, ~8 ms walked; 8,309 ~16 ms driven,
~4 ms walked)."""

ROWID: ColumnElement[int] = literal_column("issues.rowid", Integer)
_UNINDEXED_ROWID = UnaryExpression(ROWID, operator=operators.custom_op("+"), type_=Integer())
_FTS = table("issues_fts")  # not an ORM model: an FTS5 virtual table (see the migration)
_FTS_ROWID: ColumnElement[int] = literal_column("issues_fts.rowid", Integer)
_ESCAPE = "\\"


@dataclass(frozen=True)
class FirstMatches:
    """The lowest rowids the trigram index matches for a text, read once for a query.

    Attributes:
        text: the stripped search text they match.
        rowids: those rowids, comma-separated (``group_concat``); at most `DRIVE_LIMIT` + 1.
        count: how many rowids ``rowids`` holds.
        last: the highest of them; 0 when there are none.
    """

    text: str
    rowids: str
    count: int
    last: int

    @property
    def complete(self) -> bool:
        """Whether these are all the matches (few enough to drive the query from them)."""
        return self.count <= DRIVE_LIMIT


def uses_index(text: str) -> bool:
    """Whether a (stripped) search text is looked up in the trigram index."""
    return len(text) >= TRIGRAM


def first_matches(session: Session, text: str) -> FirstMatches:
    """Read the lowest `DRIVE_LIMIT` + 1 rowids the index matches for a `uses_index` text.

    FTS5 hands out matches in rowid order without sorting, and stops after the limit, so for a
    common word this runs only the start of the phrase.
    """
    first = (
        select(_FTS_ROWID.label("rowid"))
        .select_from(_FTS)
        .where(_match(text))
        .order_by(_FTS_ROWID)
        .limit(DRIVE_LIMIT + 1)
        .subquery()
    )
    read = select(func.group_concat(first.c.rowid), func.count(), func.max(first.c.rowid))
    rowids, count, last = session.execute(read).one()
    return FirstMatches(text, rowids or "", count, last or 0)


def text_matches(text: str, matches: FirstMatches | None = None) -> ColumnElement[bool]:
    """The WHERE term for a search text.

    Args:
        text: the stripped search text, not empty.
        matches: for a `uses_index` text, its `first_matches`: complete, the query is driven
            from them; else the term is checked per status-index entry (``+rowid``, walk).
    """
    terms: list[ColumnElement[bool]]
    if uses_index(text):
        if matches is None or matches.text != text:
            raise ValueError("an indexed search needs the first matches of its own text")
        terms = [_index_term(matches)]
    else:
        pattern = "%" + like_escape(text) + "%"
        columns = (IssueRow.reference, IssueRow.description, IssueRow.room, IssueRow.asset_tag)
        terms = [c.like(pattern, escape=_ESCAPE) for c in columns]
    reference = normalise_reference(text)  # "kd7 m4x" finds KD7-M4X
    if reference is not None:
        terms.append(IssueRow.reference == reference)
    return or_(*terms)


def _index_term(matches: FirstMatches) -> ColumnElement[bool]:
    rowids = bindparam("first_rowids", f"[{matches.rowids}]", String())
    read = func.json_each(rowids).table_valued("value").alias("first_matches")
    already_read = select(read.c.value)
    if matches.complete:
        return ROWID.in_(already_read)
    rest = fts_rowids(matches.text).where(matches.last < _FTS_ROWID)  # FTS5 seeks past it
    return _UNINDEXED_ROWID.in_(union_all(already_read, rest))


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
    return select(_FTS_ROWID).select_from(_FTS).where(_match(text))


def _match(text: str) -> ColumnElement[bool]:
    phrase = '"' + text.replace('"', '""') + '"'  # a quoted string: no FTS5 syntax inside
    return literal_column("issues_fts").op("MATCH")(phrase)


def like_escape(text: str) -> str:
    """``text`` with the LIKE wildcards ``%`` and ``_`` (and the escape ``\\``) made literal."""
    return (
        text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    )
