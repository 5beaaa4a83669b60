"""The known-issue catalogue, the search terms built from what a nurse typed, and publishing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cowapp import paths
from cowapp.domain.errors import PrivacyBlockedError, ValidationError
from cowapp.domain.known_issues import (
    CatalogueError,
    fts_query,
    load_catalogue,
    publish,
    search_terms,
)
from cowapp.domain.taxonomy import Taxonomy


def test_the_shipped_catalogue_has_20_bilingual_known_issues_and_checklists(
    taxonomy: Taxonomy,
) -> None:
    catalogue = load_catalogue(paths.resources_dir() / "known_issues.json", taxonomy)
    assert len(catalogue.known_issues) >= 20
    for item in catalogue.known_issues:
        for lang in ("nl", "en"):
            assert item.title[lang] and item.symptom[lang] and item.steps[lang]
    printing = [k for k in catalogue.known_issues if k.category == "printing"]
    assert len(printing) >= 3
    for category in taxonomy.categories:
        assert catalogue.checklist(category.code, "nl"), category.code
        assert len(catalogue.checklist(category.code, "en")) == len(
            catalogue.checklist(category.code, "nl")
        )


def test_a_catalogue_with_an_unknown_category_or_missing_english_is_refused(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    entry = {
        "id": "KI-1",
        "category": "printing",
        "title": {"nl": "a", "en": "a"},
        "symptom": {"nl": "b", "en": "b"},
        "steps": {"nl": ["c"], "en": ["c"]},
    }
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"known_issues": [entry, entry]}), encoding="utf-8")
    with pytest.raises(CatalogueError, match="used twice"):
        load_catalogue(path, taxonomy)
    path.write_text(json.dumps({"known_issues": [{**entry, "title": {"nl": "a"}}]}))
    with pytest.raises(CatalogueError, match="title needs Dutch and English"):
        load_catalogue(path, taxonomy)
    path.write_text(json.dumps({"known_issues": [{**entry, "category": "nope"}]}))
    with pytest.raises(Exception, match="nope"):
        load_catalogue(path, taxonomy)


def test_search_terms_drop_little_words_and_short_fragments() -> None:
    assert search_terms("De Etiket-printer in kamer 12 print niet") == [
        "etiket",
        "printer",
        "kamer",
        "print",
    ]
    assert search_terms("ik ") == [] and search_terms("et") == []
    assert len(search_terms(" ".join(f"woord{i}" for i in range(20)))) == 8


def test_fts_query_quotes_every_term() -> None:
    assert fts_query(["etiket", 'a"b']) == '"etiket" OR "a""b"'


def test_publish_checks_the_text_with_the_privacy_guard(taxonomy: Taxonomy) -> None:
    item = publish("printing", "Lint op", "Niets geprint", "Lint vervangen\nKalibreren", "T2041",
                   taxonomy, confirmed_not_patient_data=False)  # fmt: skip
    assert item.steps["nl"] == ("Lint vervangen", "Kalibreren") and item.source == "technician"
    assert item.id.startswith("KI-T-")
    with pytest.raises(PrivacyBlockedError):
        publish("printing", "BSN 111222333", "x", "y", "T2041", taxonomy, True)
    with pytest.raises(ValidationError, match="symptom"):
        publish("printing", "Titel", " ", "y", "T2041", taxonomy, False)
