"""Known issues in the database: FTS5 ranking, category-only answers, "Ik heb dit ook" (a real,
synced issue linked to the known issue) and "Opgelost" (a counted, unsynced deflection)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from cowapp import paths
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.known_issues import load_catalogue, publish
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage.db import Database
from cowapp.storage.errors import NotFoundError
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.known_issue_store import KnownIssueStore
from cowapp.storage.metrics_query import MetricsQuery
from cowapp.storage.models import AuditRow, KnownIssueReportRow, OutboxRow

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def known(db: Database, taxonomy: Taxonomy) -> KnownIssueStore:
    store = KnownIssueStore(db)
    store.load_catalogue(load_catalogue(paths.resources_dir() / "known_issues.json", taxonomy), NOW)
    return store


def test_etiket_suggests_the_label_printer_known_issues(known: KnownIssueStore) -> None:
    found = known.suggest("etiket", None, "nl", limit=5)
    assert found[0].category == "printing"
    ids = [s.id for s in found]
    assert {"KI-PRN-001", "KI-PRN-002", "KI-PRN-005"} <= set(ids)
    assert all(s.category == "printing" for s in found[:3])
    assert "etiket" in found[0].title.lower()


def test_part_of_a_compound_word_matches(known: KnownIssueStore) -> None:
    # "printer" sits inside "etikettenprinter" and "polsbandjesprinter"
    ids = [s.id for s in known.suggest("printer storing", None, "nl", limit=5)]
    assert ids[0] == "KI-PRN-003"  # "storing" and "printer" both in its title and keywords


def test_ranking_prefers_the_title_and_the_chosen_category(known: KnownIssueStore) -> None:
    assert known.suggest("scanner polsbandje", None, "nl")[0].id == "KI-SCN-001"
    chosen = known.suggest("scanner", "medication", "nl")
    assert chosen[0].id == "KI-MED-001"  # chosen category first
    assert [s.category for s in known.suggest("scanner", None, "nl", 3)].count("medication") <= 1


def test_english_text_and_english_answers(known: KnownIssueStore) -> None:
    found = known.suggest("label printer blank", None, "en")
    assert found[0].id == "KI-PRN-001"
    assert found[0].title == "Label printer prints blank labels"
    assert found[0].steps[0].startswith("Check that the label roll")


def test_category_alone_and_nothing_at_all(known: KnownIssueStore) -> None:
    assert {s.category for s in known.suggest("", "printing", "nl", 10)} == {"printing"}
    assert len(known.suggest("", "printing", "nl", 10)) == 5
    assert known.suggest("  ", None, "nl") == []
    assert known.suggest("xyzzy", None, "nl") == []


def test_reloading_the_catalogue_changes_nothing_and_an_edit_is_reindexed(
    known: KnownIssueStore, taxonomy: Taxonomy
) -> None:
    catalogue = load_catalogue(paths.resources_dir() / "known_issues.json", taxonomy)
    assert known.load_catalogue(catalogue, NOW) == 0
    first = catalogue.known_issues[0]
    edited = type(catalogue)(
        (first.__class__(**{**first.__dict__, "keywords": "zeldzaamwoord"}),),
    )
    assert known.load_catalogue(edited, NOW) == 1
    assert [s.id for s in known.suggest("zeldzaamwoord", None, "nl")] == [first.id]
    assert known.count() == len(catalogue.known_issues)


def test_published_resolution_is_found(known: KnownIssueStore, taxonomy: Taxonomy) -> None:
    item = publish("cart", "Lade klemt", "De medicijnlade van de kar klemt", "Rail invetten",
                   "T2041", taxonomy, False)  # fmt: skip
    known.publish(item, NOW)
    assert known.suggest("medicijnlade", None, "en")[0].id == item.id


def _issue(taxonomy: Taxonomy) -> IssueDraft:
    return IssueDraft(category="printing", reporter="100234", description="etiketten leeg")


def test_me_too_is_a_real_issue_with_outbox_and_link(
    db: Database, known: KnownIssueStore, taxonomy: Taxonomy
) -> None:
    issue, _ = create_issue(_issue(taxonomy), taxonomy, IntakePolicy("COW-01", "B4"), NOW)
    stored = known.report_me_too(issue, "KI-PRN-001")
    assert IssueStore(db).get(stored.id).category == "printing"
    assert known.linked_known_issue(stored.id) == "KI-PRN-001"
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 1
        actions = set(session.scalars(select(AuditRow.action)))
    assert {"issue.created", "known_issue.me_too"} <= actions
    assert MetricsQuery(db).extras().me_too == 1
    assert known.suggest("", "printing", "nl")[0].id == "KI-PRN-001"  # most reported first


def test_me_too_for_an_unknown_known_issue_stores_nothing(
    db: Database, known: KnownIssueStore, taxonomy: Taxonomy
) -> None:
    issue, _ = create_issue(_issue(taxonomy), taxonomy, IntakePolicy("COW-01", "B4"), NOW)
    with pytest.raises(NotFoundError):
        known.report_me_too(issue, "KI-NOPE")
    assert IssueStore(db).count() == 0
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(KnownIssueReportRow)) == 0


def test_self_solved_is_counted_and_never_queued(db: Database, known: KnownIssueStore) -> None:
    known.record_self_solved("KI-PRN-005", "COW-01", "B4", "printing", NOW)
    assert MetricsQuery(db).extras().self_solved == 1
    assert IssueStore(db).count() == 0
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 0
