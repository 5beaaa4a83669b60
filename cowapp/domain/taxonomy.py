"""The issue taxonomy: the categories a nurse picks from, their subcategories and defaults.

The taxonomy lives in `resources/taxonomy.json` (configuration, not code) and is read once at start
by `load_taxonomy`, which checks every part of it and returns immutable value objects. Codes are
stable identifiers stored with each issue; labels are Dutch and English text shown on tiles and
chips. A lookup with a code the user typed (`Taxonomy.category`, `Category.subcategory`) raises
`ValidationError`, while a broken resource file raises `TaxonomyError`, because that is a packaging
bug rather than something the person at the cart can fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cowapp.domain.errors import ValidationError

LANGUAGES = ("nl", "en")
"""Languages every label is written in; the first is the fallback."""

ISSUE_TYPES = ("break_fix", "how_to", "access_request", "build_defect", "enhancement")
"""Issue types a category may default to."""

ASK_FIELDS = ("printer_host", "battery_level", "room")
"""Extra structured questions a category may ask for."""

FORMAT_VERSION = 1
"""The only `version` of the taxonomy file this module reads."""

_CODE_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz")
_CODE_REST = _CODE_FIRST | frozenset("0123456789_")
_CODE_PATTERN = "^[a-z][a-z0-9_]*$"

_LABEL_KEYS = LANGUAGES
_SUBCATEGORY_KEYS = ("code", "label")
_CATEGORY_KEYS = (
    "code",
    "label",
    "icon",
    "hint",
    "safety_prompt",
    "ask",
    "default_issue_type",
    "default_impact",
    "subcategories",
)
_DOCUMENT_KEYS = ("version", "categories")


class TaxonomyError(Exception):
    """The taxonomy resource file is unreadable or breaks the format: a packaging bug.

    The message names the file and the JSON location of the problem, for example
    ``taxonomy.json: categories[3].subcategories[1].label.en: missing``.
    """


@dataclass(frozen=True)
class Label:
    """A text in every supported language.

    Attributes:
        nl: the Dutch text.
        en: the English text.
    """

    nl: str
    en: str

    def __call__(self, lang: str) -> str:
        """Return the text in `lang`, or the Dutch text when `lang` is not supported.

        Args:
            lang: a language code such as "nl" or "en".

        Returns:
            The text in that language.
        """
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Subcategory:
    """A more specific kind of problem within a category, shown as a chip.

    Attributes:
        code: stable identifier, unique within its category.
        label: the text on the chip.
    """

    code: str
    label: Label


@dataclass(frozen=True)
class Category:
    """One tile on the "what is the problem" screen, with the defaults it brings to an issue.

    Attributes:
        code: stable identifier, unique within the taxonomy.
        label: the text on the tile.
        icon: name of the icon drawn on the tile.
        hint: one short sentence shown once the category is chosen, or None.
        safety_prompt: whether to ask explicitly whether patient safety is at risk.
        ask: extra structured questions, each one of `ASK_FIELDS`.
        default_issue_type: one of `ISSUE_TYPES`.
        default_impact: ITIL impact 1..3 to start from, or None to derive it from the answers.
        subcategories: the chips, in display order; never empty.
    """

    code: str
    label: Label
    icon: str
    hint: Label | None
    safety_prompt: bool
    ask: tuple[str, ...]
    default_issue_type: str
    default_impact: int | None
    subcategories: tuple[Subcategory, ...]

    def subcategory(self, code: str) -> Subcategory:
        """Return the subcategory with this code.

        Args:
            code: a subcategory code, for example from the CLI or a stored issue.

        Returns:
            The matching subcategory.

        Raises:
            ValidationError: (field "subcategory") no subcategory of this category has that code;
                the message lists the valid codes.
        """
        for subcategory in self.subcategories:
            if subcategory.code == code:
                return subcategory
        valid = ", ".join(s.code for s in self.subcategories)
        raise ValidationError(
            f"unknown subcategory {code!r} for category {self.code!r}; choose one of: {valid}",
            field="subcategory",
        )


@dataclass(frozen=True)
class Taxonomy:
    """All categories, in display order.

    Attributes:
        categories: the categories; codes are unique.
    """

    categories: tuple[Category, ...]

    def category(self, code: str) -> Category:
        """Return the category with this code.

        Args:
            code: a category code, for example from the CLI or a stored issue.

        Returns:
            The matching category.

        Raises:
            ValidationError: (field "category") no category has that code; the message lists the
                valid codes.
        """
        for category in self.categories:
            if category.code == code:
                return category
        raise ValidationError(
            f"unknown category {code!r}; choose one of: {', '.join(self.codes())}",
            field="category",
        )

    def codes(self) -> tuple[str, ...]:
        """Return the category codes in display order."""
        return tuple(category.code for category in self.categories)


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and check a taxonomy file.

    Args:
        path: the UTF-8 JSON file, normally `resources/taxonomy.json`.

    Returns:
        The checked taxonomy.

    Raises:
        TaxonomyError: the file cannot be read, is not UTF-8 or JSON (the message gives line and
            column), or breaks the format (the message gives the JSON location).
    """
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise TaxonomyError(f"{path}: cannot read: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise TaxonomyError(f"{name}: byte {err.start}: not UTF-8") from err
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as err:
        raise TaxonomyError(
            f"{name}: line {err.lineno}, column {err.colno}: invalid JSON: {err.msg}"
        ) from err
    except _DuplicateKeyError as err:
        raise TaxonomyError(f"{name}: duplicate key {err.key!r} in one JSON object") from err
    return parse_taxonomy(data, source=name)


def parse_taxonomy(data: object, source: str = "taxonomy.json") -> Taxonomy:
    """Check a decoded taxonomy document and build the value objects.

    Everything is checked: types, required and unknown keys, code pattern `^[a-z][a-z0-9_]*$`,
    unique category codes and unique subcategory codes within a category, non-empty text in both
    languages, allowed `ask` and `default_issue_type` values, `default_impact` 1..3 or null, and at
    least one category and one subcategory per category.

    Args:
        data: the document as `json.loads` returns it.
        source: the file name to put in error messages.

    Returns:
        The checked taxonomy.

    Raises:
        TaxonomyError: the document breaks the format; the message gives the JSON location.
    """
    return _Reader(source).document(data)


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json silently keeps the last of two equal keys; in a hand-edited file that hides a mistake.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _show(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _key(loc: str, key: str) -> str:
    return f"{loc}.{key}" if loc else key


class _Reader:
    """Walks a decoded document, building value objects and failing with a JSON location."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, loc: str, problem: str) -> TaxonomyError:
        return TaxonomyError(f"{self.source}: {loc or '(document)'}: {problem}")

    def document(self, data: object) -> Taxonomy:
        doc = self.obj(data, "", _DOCUMENT_KEYS)
        version = doc["version"]
        if type(version) is not int or version != FORMAT_VERSION:
            raise self.fail(
                "version", f"unsupported version {_show(version)}; expected {FORMAT_VERSION}"
            )
        items = self.array(doc["categories"], "categories")
        if not items:
            raise self.fail("categories", "at least one category is required")
        categories = tuple(self.category(item, f"categories[{i}]") for i, item in enumerate(items))
        self.unique_codes([c.code for c in categories], "categories")
        return Taxonomy(categories=categories)

    def category(self, data: object, loc: str) -> Category:
        raw = self.obj(data, loc, _CATEGORY_KEYS)
        hint = raw["hint"]
        return Category(
            code=self.code(raw["code"], _key(loc, "code")),
            label=self.label(raw["label"], _key(loc, "label")),
            icon=self.code(raw["icon"], _key(loc, "icon")),
            hint=None if hint is None else self.label(hint, _key(loc, "hint")),
            safety_prompt=self.boolean(raw["safety_prompt"], _key(loc, "safety_prompt")),
            ask=self.ask(raw["ask"], _key(loc, "ask")),
            default_issue_type=self.choice(
                raw["default_issue_type"], _key(loc, "default_issue_type"), ISSUE_TYPES
            ),
            default_impact=self.impact(raw["default_impact"], _key(loc, "default_impact")),
            subcategories=self.subcategories(raw["subcategories"], _key(loc, "subcategories")),
        )

    def subcategories(self, data: object, loc: str) -> tuple[Subcategory, ...]:
        items = self.array(data, loc)
        if not items:
            raise self.fail(loc, "at least one subcategory is required")
        subcategories = tuple(self.subcategory(item, f"{loc}[{i}]") for i, item in enumerate(items))
        self.unique_codes([s.code for s in subcategories], loc)
        return subcategories

    def subcategory(self, data: object, loc: str) -> Subcategory:
        raw = self.obj(data, loc, _SUBCATEGORY_KEYS)
        return Subcategory(
            code=self.code(raw["code"], _key(loc, "code")),
            label=self.label(raw["label"], _key(loc, "label")),
        )

    def label(self, data: object, loc: str) -> Label:
        raw = self.obj(data, loc, _LABEL_KEYS)
        nl, en = (self.text(raw[lang], _key(loc, lang)) for lang in LANGUAGES)
        return Label(nl=nl, en=en)

    def ask(self, data: object, loc: str) -> tuple[str, ...]:
        items = self.array(data, loc)
        fields = tuple(self.choice(item, f"{loc}[{i}]", ASK_FIELDS) for i, item in enumerate(items))
        for i, field in enumerate(fields):
            if field in fields[:i]:
                raise self.fail(f"{loc}[{i}]", f"{field!r} is asked twice")
        return fields

    def impact(self, data: object, loc: str) -> int | None:
        if data is None:
            return None
        if type(data) is not int or not 1 <= data <= 3:
            raise self.fail(loc, f"must be 1, 2, 3 or null, got {_show(data)}")
        return data

    def unique_codes(self, codes: list[str], loc: str) -> None:
        for i, code in enumerate(codes):
            if code in codes[:i]:
                first = codes.index(code)
                raise self.fail(
                    f"{loc}[{i}].code", f"duplicate code {code!r} (first used at {loc}[{first}])"
                )

    def obj(self, data: object, loc: str, keys: tuple[str, ...]) -> dict[str, object]:
        if not isinstance(data, dict):
            raise self.fail(loc, f"expected an object, got {_json_type(data)}")
        for key in data:
            if not isinstance(key, str) or key not in keys:
                raise self.fail(
                    _key(loc, str(key)), f"unknown key; allowed here: {', '.join(keys)}"
                )
        for key in keys:
            if key not in data:
                raise self.fail(_key(loc, key), "missing")
        return data

    def array(self, data: object, loc: str) -> list[object]:
        if not isinstance(data, list):
            raise self.fail(loc, f"expected an array, got {_json_type(data)}")
        return data

    def text(self, data: object, loc: str) -> str:
        if not isinstance(data, str):
            raise self.fail(loc, f"expected a string, got {_json_type(data)}")
        if not data.strip():
            raise self.fail(loc, "must not be empty")
        return data

    def boolean(self, data: object, loc: str) -> bool:
        if not isinstance(data, bool):
            raise self.fail(loc, f"expected true or false, got {_json_type(data)}")
        return data

    def code(self, data: object, loc: str) -> str:
        text = self.text(data, loc)
        if text[0] not in _CODE_FIRST or not set(text) <= _CODE_REST:
            raise self.fail(loc, f"{text!r} does not match {_CODE_PATTERN}")
        return text

    def choice(self, data: object, loc: str, allowed: tuple[str, ...]) -> str:
        text = self.text(data, loc)
        if text not in allowed:
            raise self.fail(loc, f"{text!r} is not one of: {', '.join(allowed)}")
        return text
