"""Tests for the issue taxonomy: the shipped resource file, lookups and broken files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cowapp.domain.errors import ValidationError
from cowapp.domain.taxonomy import (
    ISSUE_TYPES,
    Label,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)

SHIPPED = Path(__file__).resolve().parents[3] / "resources" / "taxonomy.json"

# The table in DOMAIN.md: code, Dutch label, English label, in display order.
DOMAIN_CATEGORIES = [
    ("signin", "Inloggen & SSO", "Sign-in & SSO"),
    ("access", "Autorisaties & rollen", "Access rights & roles"),
    ("ehr", "EPD-applicatie (HiX)", "EHR application (HiX)"),
    ("medication", "Medicatie & toediening", "Medication administration"),
    ("printing", "Printen & etiketten", "Printing & labels"),
    ("scanners", "Scanners & randapparatuur", "Scanners & peripherals"),
    ("cart", "COW-hardware & voeding", "Cart hardware & power"),
    ("network", "Netwerk & wifi", "Network & Wi-Fi"),
    ("performance", "Prestaties", "Performance"),
    ("workstation", "Werkplek & overige software", "Workstation & other software"),
    ("howto", "Werkwijze & instructie", "How-to & workflow"),
    ("outage", "Storing & uitval", "Outage & downtime"),
]


@pytest.fixture(scope="module")
def shipped() -> Taxonomy:
    return load_taxonomy(SHIPPED)


# --- the shipped resource file ------------------------------------------------------------------


def test_shipped_taxonomy_has_the_domain_categories_in_order(shipped: Taxonomy) -> None:
    assert shipped.codes() == tuple(code for code, _, _ in DOMAIN_CATEGORIES)
    for category, (code, nl, en) in zip(shipped.categories, DOMAIN_CATEGORIES, strict=True):
        assert (category.code, category.label.nl, category.label.en) == (code, nl, en)


def test_shipped_category_labels_fit_a_tile(shipped: Taxonomy) -> None:
    for category in shipped.categories:
        assert len(category.label.nl) <= 32 and len(category.label.en) <= 32, category.code


def test_only_medication_and_ehr_prompt_for_patient_safety(shipped: Taxonomy) -> None:
    prompting = {c.code for c in shipped.categories if c.safety_prompt}
    assert prompting == {"medication", "ehr"}


def test_every_shipped_category_ends_with_other(shipped: Taxonomy) -> None:
    for category in shipped.categories:
        last = category.subcategories[-1]
        assert (last.code, last.label.nl, last.label.en) == ("other", "Anders", "Other")
        assert len(category.subcategories) >= 4, category.code


def test_shipped_defaults_follow_the_domain(shipped: Taxonomy) -> None:
    issue_types = {c.code: c.default_issue_type for c in shipped.categories}
    assert issue_types.pop("howto") == "how_to"
    assert issue_types.pop("access") == "access_request"
    assert set(issue_types.values()) == {"break_fix"}
    impacts = {c.code: c.default_impact for c in shipped.categories}
    assert impacts.pop("outage") == 1
    assert set(impacts.values()) == {None}
    asks = {c.code: c.ask for c in shipped.categories if c.ask}
    assert asks == {
        "printing": ("printer_host",),
        "cart": ("battery_level",),
        "network": ("room",),
    }


def test_shipped_subcategories_use_the_dutch_a_nurse_would_read(shipped: Taxonomy) -> None:
    assert shipped.category("signin").subcategories[0].label("nl") == "Pas niet herkend"
    printing = [s.label.nl for s in shipped.category("printing").subcategories]
    assert "Polsbandjesprinter" in printing
    for category in shipped.categories:
        for sub in category.subcategories:
            assert sub.label.nl[0].isupper() and sub.label.en[0].isupper(), sub.code


# --- labels and lookups ------------------------------------------------------------------------


def test_label_picks_the_language_and_falls_back_to_dutch() -> None:
    label = Label(nl="Printen", en="Printing")
    assert label("nl") == "Printen"
    assert label("en") == "Printing"
    assert label("de") == "Printen"


def test_category_lookup_by_code(shipped: Taxonomy) -> None:
    assert shipped.category("printing").label("en") == "Printing & labels"


def test_unknown_category_names_the_field_and_lists_the_valid_codes(shipped: Taxonomy) -> None:
    with pytest.raises(ValidationError) as caught:
        shipped.category("printer")
    assert caught.value.field == "category"
    message = str(caught.value)
    assert "'printer'" in message
    assert "choose one of: signin, access, ehr, medication, printing" in message
    assert message.endswith("howto, outage")


def test_subcategory_lookup_by_code(shipped: Taxonomy) -> None:
    printing = shipped.category("printing")
    assert printing.subcategory("wristband_printer").label("nl") == "Polsbandjesprinter"
    assert printing.subcategory("other").label("en") == "Other"


def test_unknown_subcategory_names_the_field_and_lists_the_valid_codes(shipped: Taxonomy) -> None:
    cart = shipped.category("cart")
    with pytest.raises(ValidationError) as caught:
        cart.subcategory("wristband_printer")
    assert caught.value.field == "subcategory"
    message = str(caught.value)
    assert "'wristband_printer'" in message and "'cart'" in message
    assert ", ".join(s.code for s in cart.subcategories) in message


def test_a_subcategory_code_belongs_to_its_own_category(shipped: Taxonomy) -> None:
    with pytest.raises(ValidationError):
        shipped.category("network").subcategory("battery_not_charging")


# --- parsing: a valid minimal document and its broken mutations -------------------------------


def minimal() -> dict[str, Any]:
    """Return a fresh, valid document with two categories (the second with two subcategories)."""
    return {
        "version": 1,
        "categories": [
            {
                "code": "printing",
                "label": {"nl": "Printen", "en": "Printing"},
                "icon": "printer",
                "hint": None,
                "safety_prompt": False,
                "ask": ["printer_host"],
                "default_issue_type": "break_fix",
                "default_impact": None,
                "subcategories": [{"code": "other", "label": {"nl": "Anders", "en": "Other"}}],
            },
            {
                "code": "outage",
                "label": {"nl": "Storing", "en": "Outage"},
                "icon": "alert",
                "hint": {"nl": "Hoge impact.", "en": "High impact."},
                "safety_prompt": True,
                "ask": [],
                "default_issue_type": "how_to",
                "default_impact": 1,
                "subcategories": [
                    {"code": "ehr_down", "label": {"nl": "EPD uit", "en": "EHR down"}},
                    {"code": "other", "label": {"nl": "Anders", "en": "Other"}},
                ],
            },
        ],
    }


def test_minimal_document_parses_into_value_objects() -> None:
    taxonomy = parse_taxonomy(minimal())
    assert taxonomy.codes() == ("printing", "outage")
    outage = taxonomy.category("outage")
    assert outage.hint == Label(nl="Hoge impact.", en="High impact.")
    assert outage.safety_prompt is True
    assert outage.default_impact == 1
    assert outage.default_issue_type in ISSUE_TYPES
    assert [s.code for s in outage.subcategories] == ["ehr_down", "other"]
    printing = taxonomy.category("printing")
    assert printing.hint is None
    assert printing.ask == ("printer_host",)


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """Return a mutation that sets the dotted path (list indexes as numbers) to `value`."""
    *parents, last = path.split(".")

    def mutate(doc: dict[str, Any]) -> None:
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def mutate(doc: dict[str, Any]) -> None:
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return mutate


def _duplicate_subcategory(doc: dict[str, Any]) -> None:
    subs = doc["categories"][1]["subcategories"]
    subs.append(copy.deepcopy(subs[0]))


BROKEN = [
    ("missing version", _delete("version"), "taxonomy.json: version: missing"),
    ("version 2", _set("version", 2), "taxonomy.json: version: unsupported version 2"),
    ("unknown top-level key", _set("extra", 1), "taxonomy.json: extra: unknown key"),
    ("categories not a list", _set("categories", {}), "categories: expected an array, got object"),
    ("no categories", _set("categories", []), "categories: at least one category"),
    ("category not an object", _set("categories.0", "printing"), "categories[0]: expected an obj"),
    ("missing category code", _delete("categories.1.code"), "categories[1].code: missing"),
    ("missing label", _delete("categories.0.label"), "categories[0].label: missing"),
    ("missing hint", _delete("categories.0.hint"), "categories[0].hint: missing"),
    ("unknown category key", _set("categories.0.colour", "red"), "categories[0].colour: unknown"),
    ("code wrong type", _set("categories.0.code", 7), "categories[0].code: expected a string"),
    ("code upper case", _set("categories.0.code", "Printing"), "categories[0].code: 'Printing'"),
    ("code with dash", _set("categories.0.code", "print-ing"), "categories[0].code: 'print-ing'"),
    ("code starts with digit", _set("categories.0.code", "1st"), "categories[0].code: '1st' does"),
    ("code empty", _set("categories.0.code", ""), "categories[0].code: must not be empty"),
    ("duplicate category code", _set("categories.1.code", "printing"), "categories[1].code: dup"),
    ("label not an object", _set("categories.0.label", "Printen"), "categories[0].label: expected"),
    ("label missing en", _delete("categories.0.label.en"), "categories[0].label.en: missing"),
    ("label empty nl", _set("categories.0.label.nl", ""), "categories[0].label.nl: must not be"),
    ("label blank en", _set("categories.0.label.en", "  "), "categories[0].label.en: must not be"),
    ("label extra lang", _set("categories.0.label.de", "Drucken"), "categories[0].label.de: unkno"),
    ("hint empty", _set("categories.1.hint.en", ""), "categories[1].hint.en: must not be empty"),
    ("hint wrong type", _set("categories.1.hint", "Let op"), "categories[1].hint: expected an obj"),
    ("safety not bool", _set("categories.0.safety_prompt", 1), "categories[0].safety_prompt: exp"),
    ("ask not a list", _set("categories.0.ask", "room"), "categories[0].ask: expected an array"),
    ("bad ask value", _set("categories.0.ask.0", "printer"), "categories[0].ask[0]: 'printer' is"),
    ("ask twice", _set("categories.0.ask", ["room", "room"]), "categories[0].ask[1]: 'room' is as"),
    ("bad issue type", _set("categories.0.default_issue_type", "incident"), "default_issue_type:"),
    ("impact 4", _set("categories.1.default_impact", 4), "categories[1].default_impact: must be"),
    ("impact 0", _set("categories.1.default_impact", 0), "categories[1].default_impact: must be"),
    ("impact bool", _set("categories.1.default_impact", True), "categories[1].default_impact:"),
    ("impact string", _set("categories.1.default_impact", "1"), "categories[1].default_impact:"),
    ("no subcategories", _set("categories.0.subcategories", []), "categories[0].subcategories: at"),
    ("subcategories not a list", _set("categories.0.subcategories", None), "subcategories: expec"),
    ("missing sub code", _delete("categories.1.subcategories.1.code"), "subcategories[1].code: m"),
    ("bad sub code", _set("categories.1.subcategories.0.code", "EHR down"), "subcategories[0].co"),
    (
        "sub label missing en",
        _delete("categories.1.subcategories.1.label.en"),
        ".label.en: missing",
    ),
    ("unknown sub key", _set("categories.1.subcategories.0.icon", "x"), "subcategories[0].icon: u"),
    (
        "duplicate sub code",
        _duplicate_subcategory,
        "categories[1].subcategories[2].code: duplicate",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(mutate, expected, id=name) for name, mutate, expected in BROKEN],
)
def test_broken_document_is_rejected_with_its_json_location(
    mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    doc = minimal()
    mutate(doc)
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(doc)
    assert expected in str(caught.value)
    assert str(caught.value).startswith("taxonomy.json: ")


def test_the_error_location_is_the_full_json_path() -> None:
    doc = minimal()
    del doc["categories"][1]["subcategories"][1]["label"]["en"]
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(doc)
    assert str(caught.value) == "taxonomy.json: categories[1].subcategories[1].label.en: missing"


def test_a_duplicate_code_points_at_the_first_use() -> None:
    doc = minimal()
    doc["categories"][1]["code"] = "printing"
    with pytest.raises(TaxonomyError, match=r"first used at categories\[0\]"):
        parse_taxonomy(doc)


@pytest.mark.parametrize("data", [[], "taxonomy", None, 1])
def test_the_document_must_be_an_object(data: object) -> None:
    with pytest.raises(TaxonomyError, match=r"^taxonomy\.json: \(document\): expected an object"):
        parse_taxonomy(data)


def test_parse_names_the_given_source() -> None:
    with pytest.raises(TaxonomyError, match=r"^site-taxonomy\.json: version: missing$"):
        parse_taxonomy({"categories": []}, source="site-taxonomy.json")


def test_unknown_keys_allowed_here_are_listed() -> None:
    doc = minimal()
    doc["categories"][0]["lable"] = doc["categories"][0].pop("label")
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(doc)
    assert "categories[0].lable: unknown key; allowed here: code, label, icon" in str(caught.value)


# --- loading files ------------------------------------------------------------------------------


def test_load_reads_a_utf8_file(tmp_path: Path) -> None:
    doc = minimal()
    doc["categories"][0]["label"]["nl"] = "Patiëntetiketten"
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert load_taxonomy(path).category("printing").label("nl") == "Patiëntetiketten"


def test_a_json_syntax_error_gives_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_text('{\n  "version": 1,\n  "categories": [,]\n}\n', encoding="utf-8")
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    assert str(caught.value).startswith("taxonomy.json: line 3, column 18: invalid JSON")


def test_a_structural_error_in_a_file_names_the_file(tmp_path: Path) -> None:
    doc = minimal()
    doc["categories"][0]["default_impact"] = 4
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"^custom\.json: categories\[0\]\.default_impact: "):
        load_taxonomy(path)


def test_a_duplicate_json_key_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_text('{"version": 1, "version": 1, "categories": []}', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="duplicate key 'version'"):
        load_taxonomy(path)


def test_a_file_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_bytes('{"version": 1, "x": "Patiënt"}'.encode("latin-1"))
    with pytest.raises(TaxonomyError, match="not UTF-8"):
        load_taxonomy(path)


def test_a_missing_file_is_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "absent.json")
