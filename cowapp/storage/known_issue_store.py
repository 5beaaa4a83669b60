"""Known issues on the cart: the catalogue and published ones, their FTS5 index, and what nurses
did with them ("Ik heb dit ook" and "Opgelost").

The search index ``known_issues_fts`` (created by migration 0004, trigram tokenizer) holds one
row per known issue with its Dutch and English text together; every write to ``known_issues``
rewrites that row in the same transaction, so table and index never disagree. `suggest` ranks
with bm25 (title weighs most, then keywords, symptom, steps), puts the chosen category first, and
answers from the category alone when nothing searchable was typed. "Ik heb dit ook" stores a
real issue through `IssueStore.add` (same privacy guard, outbox and audit as any report, so it
syncs and counts) plus its link, in one transaction; "Opgelost" stores a deflection that is
counted on the dashboard and never sent anywhere.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from cowapp.domain.issue import Issue
from cowapp.domain.known_issues import (
    LANGUAGES,
    Catalogue,
    KnownIssue,
    Suggestion,
    fts_query,
    search_terms,
)
from cowapp.storage import audit
from cowapp.storage.db import Database, RowWriter
from cowapp.storage.errors import NotFoundError
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.models import Base, DeflectionRow, KnownIssueReportRow, KnownIssueRow
from cowapp.storage.prepared import PreparedInsert

log = logging.getLogger(__name__)

_REPORTS = Base.metadata.tables[KnownIssueReportRow.__tablename__]
_INSERT_REPORT = PreparedInsert(_REPORTS, [c.name for c in _REPORTS.c])

# bm25 weights per FTS column: known_issue_id, category (both unindexed), title, symptom, steps,
# keywords. Ranking reads the index only; the few winners' texts come from the table afterwards.
_SEARCH_SQL = """
SELECT known_issue_id, category, bm25(known_issues_fts, 0.0, 0.0, 8.0, 3.0, 1.0, 5.0) AS score
FROM known_issues_fts WHERE known_issues_fts MATCH ? ORDER BY score LIMIT ?
"""
CANDIDATES = 30
"""Best-ranked matches considered before the chosen category is moved to the front."""
_TEXTS_SQL = (
    "SELECT id, category, title_{lang}, symptom_{lang}, steps_{lang} FROM known_issues"
    " WHERE active AND id IN ({marks})"
)
_CATEGORY_SQL = """
SELECT k.id FROM known_issues AS k
WHERE k.category = ? AND k.active
ORDER BY (SELECT count(*) FROM known_issue_reports AS r WHERE r.known_issue_id = k.id) DESC,
         k.source = 'catalogue' DESC, k.id
LIMIT ?
"""


class KnownIssueStore:
    """Known issues and the nurses' answers to them.

    Args:
        db: the cart's database.
        issues: the issue repository ("Ik heb dit ook" stores a real issue through it).
    """

    def __init__(self, db: Database, issues: IssueStore | None = None) -> None:
        self._db = db
        self._issues = issues or IssueStore(db)

    def load_catalogue(self, catalogue: Catalogue, now: datetime) -> int:
        """Add or update the shipped entries whose content changed; return how many changed."""
        with self._db.read() as session:
            known = dict(
                session.execute(
                    select(KnownIssueRow.id, KnownIssueRow.revision).where(
                        KnownIssueRow.source == "catalogue"
                    )
                ).all()
            )
        changed = [k for k in catalogue.known_issues if known.get(k.id) != k.revision()]
        if changed:
            with self._db.write("loading the known-issue catalogue") as session:
                for item in changed:
                    _upsert(session, item, now)
            log.info("known-issue catalogue: %d entries added or updated", len(changed))
        return len(changed)

    def publish(self, item: KnownIssue, now: datetime) -> KnownIssue:
        """Store a technician's new known issue (audited with its id)."""
        with self._db.write("publishing the known issue") as session:
            _upsert(session, item, now)
            audit.append(
                session, now, item.created_by, "known_issue.published", item.from_issue, item.id
            )
        return item

    def suggest(
        self, typed: str, category: str | None, language: str, limit: int = 3
    ) -> list[Suggestion]:
        """The best known issues for what was typed and the chosen category (either may be empty).

        Args:
            typed: the nurse's words so far.
            category: the chosen taxonomy category, or None.
            language: ``nl`` or ``en``, for the texts returned.
            limit: at most this many.
        """
        lang = language if language in LANGUAGES else LANGUAGES[0]
        terms = search_terms(typed)
        if not terms and not category:
            return []
        with self._db.engine.connect() as connection:
            if terms:
                ranked = _ranked(connection, fts_query(terms), category, limit)
            else:
                ranked = [
                    (row[0], 0.0)
                    for row in connection.exec_driver_sql(_CATEGORY_SQL, (category, limit))
                ]
            texts = _texts(connection, [known_id for known_id, _ in ranked], lang)
        return [
            Suggestion(*texts[known_id], rank=score)
            for known_id, score in ranked
            if known_id in texts
        ]

    def require(self, known_issue_id: str) -> None:
        """Raise `NotFoundError` unless the known issue is on this cart."""
        with self._db.read() as session:
            if session.get(KnownIssueRow, known_issue_id) is None:
                raise NotFoundError(f"no known issue {known_issue_id} on this cart")

    def report_me_too(
        self, issue: Issue, known_issue_id: str, audit_details: Sequence[tuple[str, str]] = ()
    ) -> Issue:
        """Store ``issue`` (a normal report: outbox, audit) and its known-issue link, atomically."""
        self.require(known_issue_id)

        def link(rows: RowWriter) -> None:
            values = {
                "issue_id": issue.id,
                "known_issue_id": known_issue_id,
                "at": issue.created_at,
            }
            _INSERT_REPORT.execute(rows, values)
            audit.append(
                rows, issue.created_at, issue.reporter, "known_issue.me_too", issue.id,
                known_issue_id,
            )  # fmt: skip

        return self._issues.add(issue, audit_details, also=link)

    def record_self_solved(
        self, known_issue_id: str, cart_id: str, ward: str, category: str | None, at: datetime
    ) -> uuid.UUID:
        """Count a problem the known issue's self-help solved (never synced; no person stored)."""
        self.require(known_issue_id)
        deflection = uuid.uuid4()
        with self._db.write("saving that it was solved") as session:
            session.add(
                DeflectionRow(
                    id=deflection,
                    known_issue_id=known_issue_id,
                    at=at,
                    cart_id=cart_id,
                    ward=ward,
                    category=category,
                )
            )
            audit.append(session, at, "nurse", "known_issue.self_solved", None, known_issue_id)
        return deflection

    def count(self) -> int:
        """How many known issues the cart holds."""
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(KnownIssueRow)) or 0

    def linked_known_issue(self, issue_id: uuid.UUID) -> str | None:
        """The known issue an issue was reported against ("Ik heb dit ook"), if any."""
        with self._db.read() as session:
            return session.scalar(
                select(KnownIssueReportRow.known_issue_id).where(
                    KnownIssueReportRow.issue_id == issue_id
                )
            )


def _ranked(
    connection: Connection, query: str, category: str | None, limit: int
) -> list[tuple[str, float]]:
    """The best matches by bm25, those in the chosen category first (a stable sort)."""
    rows = list(connection.exec_driver_sql(_SEARCH_SQL, (query, max(limit, CANDIDATES))))
    rows.sort(key=lambda row: row[1] != category)
    return [(row[0], float(row[2])) for row in rows[:limit]]


def _texts(
    connection: Connection, ids: list[str], lang: str
) -> dict[str, tuple[str, str, str, str, tuple[str, ...]]]:
    if not ids:
        return {}
    sql = _TEXTS_SQL.format(lang=lang, marks=", ".join("?" * len(ids)))
    return {
        row[0]: (row[0], row[1], row[2], row[3], tuple(row[4].splitlines()))
        for row in connection.exec_driver_sql(sql, tuple(ids))
    }


def _upsert(session: Session, item: KnownIssue, now: datetime) -> None:
    values = {
        "category": item.category,
        "source": item.source,
        "keywords": item.keywords,
        "revision": item.revision(),
        "created_by": item.created_by,
        "from_issue": item.from_issue,
        "active": True,
        **{f"title_{lang}": item.title[lang] for lang in LANGUAGES},
        **{f"symptom_{lang}": item.symptom[lang] for lang in LANGUAGES},
        **{f"steps_{lang}": "\n".join(item.steps[lang]) for lang in LANGUAGES},
    }
    row = session.get(KnownIssueRow, item.id)
    if row is None:
        session.add(KnownIssueRow(id=item.id, created_at=now, **values))
    else:  # rare (a changed catalogue entry): the id column is not indexed, so this scans
        for name, value in values.items():
            setattr(row, name, value)
        session.execute(
            text("DELETE FROM known_issues_fts WHERE known_issue_id = :id"), {"id": item.id}
        )
    session.flush()
    session.execute(
        text(
            "INSERT INTO known_issues_fts"
            " (known_issue_id, category, title, symptom, steps, keywords)"
            " VALUES (:id, :category, :title, :symptom, :steps, :keywords)"
        ),
        {
            "id": item.id,
            "category": item.category,
            "title": "\n".join(item.title[lang] for lang in LANGUAGES),
            "symptom": "\n".join(item.symptom[lang] for lang in LANGUAGES),
            "steps": "\n".join(line for lang in LANGUAGES for line in item.steps[lang]),
            "keywords": item.keywords,
        },
    )
