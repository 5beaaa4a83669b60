"""Known issues: problems whose fix is already known, shown to a nurse before she files a report.

The catalogue in ``resources/known_issues.json`` holds realistic known issues after an EHR
go-live (symptom and self-help steps in Dutch and English, a taxonomy category) and a checklist
per category for technicians; technicians add to it by publishing a bedside resolution. This
module loads and checks the catalogue, turns what a nurse typed into a full-text query (words of
three letters or more, common little words left out, each matched anywhere inside a word so
"etiket" finds "etikettenprinter"), and validates a newly published known issue with the same
privacy guard as every other free text.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import bounded, guarded_text
from cowapp.domain.taxonomy import Taxonomy, TaxonomyError

LANGUAGES = ("nl", "en")
MAX_TERMS = 8
MIN_TERM = 3  # the trigram index cannot match fewer characters
_LITTLE_WORDS = (  # one string reads better than 60 quoted words
    "aan als bij dat de den der des die dit een en het hij hoe ik in is kan met na naar niet "
    "nog of om op te tot uit van voor wat wel wij zijn ze zij the and for not does with this "
    "that from are was can cannot when what how my our out has have"
)
STOPWORDS = frozenset(_LITTLE_WORDS.split())
_WORD = re.compile(r"\w+", re.UNICODE)


class CatalogueError(TaxonomyError):
    """The known-issue catalogue cannot be used (a packaging bug, like a broken taxonomy); the
    message says which entry and why."""


@dataclass(frozen=True)
class KnownIssue:
    """One known issue. Texts are keyed by language (``nl``, ``en``); steps are in order.

    Attributes:
        id: stable identifier (``KI-PRN-001``; published ones get ``KI-T-`` and a random part).
        category: taxonomy category code.
        title: a short name for the problem.
        symptom: what the nurse sees.
        steps: self-help steps, in order.
        keywords: extra search words (synonyms, both languages).
        source: ``catalogue`` or ``technician``.
        created_by: the technician who published it ("" for the catalogue).
        from_issue: the issue whose bedside resolution it came from, if any.
    """

    id: str
    category: str
    title: dict[str, str]
    symptom: dict[str, str]
    steps: dict[str, tuple[str, ...]]
    keywords: str = ""
    source: str = "catalogue"
    created_by: str = ""
    from_issue: uuid.UUID | None = None

    def revision(self) -> str:
        """A hash of the content, so a changed catalogue entry is re-indexed."""
        import hashlib  # OpenSSL: loaded when the catalogue is indexed, not before the first paint

        content = [self.category, self.title, self.symptom, self.steps, self.keywords]
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Suggestion:
    """A known issue matched to what a nurse typed, in her language.

    Attributes:
        id: the known issue.
        category: its taxonomy category.
        title: its title.
        symptom: what the nurse sees.
        steps: the self-help steps.
        rank: lower is better (SQLite's bm25; 0 when only the category matched).
    """

    id: str
    category: str
    title: str
    symptom: str
    steps: tuple[str, ...]
    rank: float = 0.0


@dataclass(frozen=True)
class Catalogue:
    """The shipped known issues and the technicians' checklists per category."""

    known_issues: tuple[KnownIssue, ...]
    checklists: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def checklist(self, category: str, language: str) -> tuple[str, ...]:
        """The checklist for a category in a language (empty when there is none)."""
        return self.checklists.get(category, {}).get(language, ())


def load_catalogue(path: Path, taxonomy: Taxonomy) -> Catalogue:
    """Read and check the catalogue (ids unique, categories in the taxonomy, both languages)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        issues = tuple(_entry(item, taxonomy) for item in data["known_issues"])
        checklists = {
            code: {lang: tuple(lines[lang]) for lang in LANGUAGES}
            for code, lines in data.get("checklists", {}).items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogueError(f"{path}: not a usable known-issue catalogue: {exc}") from None
    ids = [item.id for item in issues]
    if len(set(ids)) != len(ids):
        raise CatalogueError(f"{path}: a known-issue id is used twice")
    for code in checklists:
        taxonomy.category(code)
    return Catalogue(issues, checklists)


def _entry(item: dict[str, object], taxonomy: Taxonomy) -> KnownIssue:
    category = taxonomy.category(str(item["category"])).code
    title, symptom, steps = (_both(item, name) for name in ("title", "symptom", "steps"))
    return KnownIssue(
        id=str(item["id"]),
        category=category,
        title={lang: str(title[lang]) for lang in LANGUAGES},
        symptom={lang: str(symptom[lang]) for lang in LANGUAGES},
        steps={lang: tuple(str(s) for s in _lines(steps[lang])) for lang in LANGUAGES},
        keywords=str(item.get("keywords", "")),
    )


def _both(item: dict[str, object], name: str) -> dict[str, object]:
    value = item[name]
    if not isinstance(value, dict) or any(not value.get(lang) for lang in LANGUAGES):
        raise ValueError(f"{item.get('id')}: {name} needs Dutch and English text")
    return value


def _lines(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError("steps must be a list of lines")
    return value


def search_terms(text: str) -> list[str]:
    """The words worth searching for: lower case, 3+ letters, no little words, at most 8."""
    terms: list[str] = []
    for word in _WORD.findall(text.lower()):
        if len(word) >= MIN_TERM and word not in STOPWORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def fts_query(terms: list[str]) -> str:
    """An FTS5 query matching any of the terms anywhere in a word (each a quoted phrase)."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def publish(
    category: str,
    title: str,
    symptom: str,
    steps: str,
    author: str,
    taxonomy: Taxonomy,
    confirmed_not_patient_data: bool,
    from_issue: uuid.UUID | None = None,
) -> KnownIssue:
    """A technician's bedside resolution as a new known issue (same text in both languages).

    Raises:
        ValidationError: a missing title, symptom or steps, or text the privacy guard refuses.
    """
    texts = {
        "title": bounded(title, "reason")[:120],
        "symptom": bounded(symptom, "reason"),
        "steps": bounded(steps, "notes"),
    }
    for name, value in texts.items():
        if not value:
            raise ValidationError(f"a known issue needs its {name}", name)
    guarded_text(texts, confirmed_not_patient_data)
    lines = tuple(line.strip() for line in texts["steps"].splitlines() if line.strip())
    return KnownIssue(
        id=f"KI-T-{uuid.uuid4().hex[:10].upper()}",
        category=taxonomy.category(category).code,
        title=dict.fromkeys(LANGUAGES, texts["title"]),
        symptom=dict.fromkeys(LANGUAGES, texts["symptom"]),
        steps=dict.fromkeys(LANGUAGES, lines),
        source="technician",
        created_by=author,
        from_issue=from_issue,
    )
