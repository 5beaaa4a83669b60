"""The words and numbers behind ``cowapp --demo``: wards, what nurses type, what technicians
write back, and how a go-live month is shaped (which categories, at which hours, solved how).

Kept apart from `cowapp.demo`, which only follows these tables through the real domain rules and
repositories. Every text here is short, Dutch, and free of anything that could be patient data
(tests/unit/test_demo.py runs the privacy guard over all of it), so the demo shows what a ward
would really send without a single name, number or date of a patient.
"""

from __future__ import annotations

from dataclasses import dataclass

from cowapp.domain.issue import ResolutionCode

FIXED = ResolutionCode.FIXED
RESTARTED = ResolutionCode.RESTARTED
RECONFIGURED = ResolutionCode.RECONFIGURED
REPLACED = ResolutionCode.REPLACED
ACCESS_GRANTED = ResolutionCode.ACCESS_GRANTED
WORKAROUND = ResolutionCode.WORKAROUND
INSTRUCTED = ResolutionCode.INSTRUCTED
NO_FAULT_FOUND = ResolutionCode.NO_FAULT_FOUND

HOME_WARD = "B4 Interne"
"""The ward in the demo's config.toml: the cart's home, so it reports most."""

WARDS: dict[str, int] = {
    HOME_WARD: 30,
    "A2 Cardiologie": 12,
    "C3 Chirurgie": 12,
    "C5 Orthopedie": 8,
    "D1 Neurologie": 10,
    "D4 Longziekten": 10,
    "E2 Geriatrie": 8,
    "SEH": 10,
}
"""Ward → relative share of the reports (the cart rounds over more wards than its own)."""

HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 8, 9, 7, 6, 5, 4, 4, 4, 7, 6, 4, 3, 3, 2, 2, 2, 3)
"""Reports per local hour of a 24/7 ward: peaks at the 07:00, 15:00 and 23:00 shift changes."""

EARLY_MIX: dict[str, int] = {
    "signin": 24,
    "access": 14,
    "printing": 14,
    "howto": 15,
    "ehr": 10,
    "medication": 6,
    "scanners": 5,
    "cart": 2,
    "network": 3,
    "performance": 4,
    "workstation": 2,
    "outage": 1,
}
"""Category shares on days 1-3 after go-live: sign-in, access, printing and how-to dominate."""

LATE_MIX: dict[str, int] = {
    "signin": 8,
    "access": 8,
    "printing": 12,
    "howto": 8,
    "ehr": 16,
    "medication": 9,
    "scanners": 8,
    "cart": 8,
    "network": 8,
    "performance": 7,
    "workstation": 7,
    "outage": 1,
}
"""Category shares from about day 10: the EHR itself, hardware and the network take over."""


@dataclass(frozen=True)
class Report:
    """One thing a nurse might report: the chip she taps and what she types (may be nothing).

    Attributes:
        subcategory: the taxonomy subcategory code.
        description: the nurse's short text ("" when she only tapped).
        error_text: the message on the screen, if she copied it.
        issue_type: overrides the category's default issue type.
        asset_prefix: an asset tag like ``PRN-10233`` is filled in when set.
        safety: whether this report can put a patient at risk (then a VIM reference sometimes).
    """

    subcategory: str
    description: str
    error_text: str = ""
    issue_type: str | None = None
    asset_prefix: str = ""
    safety: bool = False


REPORTS: dict[str, tuple[Report, ...]] = {
    "signin": (
        Report("badge_not_recognised", "Pas wordt niet herkend bij inloggen"),
        Report("badge_not_recognised", ""),
        Report("password_expired", "Wachtwoord verlopen, kom HiX niet in"),
        Report("account_locked", "Account geblokkeerd na drie pogingen"),
        Report("previous_user_signed_in", "Collega van de nachtdienst staat nog ingelogd"),
        Report("citrix_session", "Citrix-sessie blijft hangen op laden", "Verbinding verbroken"),
        Report("uzi_card", "UZI-pas wordt niet gelezen bij ondertekenen"),
    ),
    "access": (
        Report(
            "role_or_ward_missing", "Invalkracht ziet de afdeling niet", issue_type="access_request"
        ),
        Report("list_not_visible", "Patiëntenlijst van de afdeling blijft leeg"),
        Report("cannot_sign_or_order", "Kan geen medicatie aftekenen"),
        Report("cannot_sign_or_order", "Kan geen lab aanvragen als verpleegkundige"),
        Report("break_glass", "Noodknop gevraagd bij overplaatsing van de SEH"),
        Report(
            "new_staff_account",
            "Nieuwe collega heeft nog geen account",
            issue_type="access_request",
        ),
    ),
    "ehr": (
        Report("error_or_freeze", "HiX loopt vast bij openen dossier", "Er is een fout opgetreden"),
        Report("error_or_freeze", ""),
        Report("not_saved", "Verpleegkundige overdracht niet opgeslagen"),
        Report(
            "migrated_data_incorrect",
            "Allergieën uit het oude systeem staan er niet in",
            issue_type="build_defect",
            safety=True,
        ),
        Report(
            "documentation_measurements", "Vochtbalans telt niet goed op", issue_type="build_defect"
        ),
        Report(
            "orders_order_sets", "Orderset wondzorg mist de verbandkeuze", issue_type="build_defect"
        ),
        Report("results_interfaces", "Labuitslagen komen niet binnen in het dossier", safety=True),
    ),
    "medication": (
        Report(
            "scanning_at_administration",
            "Scanner herkent medicatie niet bij toediening",
            safety=True,
        ),
        Report(
            "not_on_administration_list", "Antibiotica staat niet op de toedienlijst", safety=True
        ),
        Report("dose_or_time_incorrect", "Toedientijd verspringt een uur", safety=True),
        Report("pharmacy_validation", "Validatie apotheek blijft openstaan"),
        Report("pump_or_medication_cart", "Medicijnkar gaat niet open met pas", asset_prefix="MK"),
    ),
    "printing": (
        Report("wristband_printer", "Polsbandjesprinter geeft papierstoring", asset_prefix="PRN"),
        Report("label_printer", "Etikettenprinter print niets", asset_prefix="PRN"),
        Report("label_printer", "", asset_prefix="PRN"),
        Report("wrong_printer", "Etiketten komen op de verkeerde afdeling uit"),
        Report("print_job_stuck", "Printopdracht blijft in de wachtrij staan"),
        Report(
            "labels_or_ribbon_empty", "Etiketten op, geen nieuwe rol in de kast", asset_prefix="PRN"
        ),
    ),
    "scanners": (
        Report("wristband_not_read", "Scanner leest polsbandje niet", asset_prefix="SCN"),
        Report(
            "not_paired_or_charging", "Handscanner laadt niet op in de houder", asset_prefix="SCN"
        ),
        Report("badge_reader", "Paslezer op de kar reageert niet"),
        Report("keyboard_mouse_touch", "Muis reageert niet meer"),
        Report("headset_webcam", "Headset werkt niet bij beeldbellen"),
    ),
    "cart": (
        Report("battery_not_charging", "Accu van de kar laadt niet op", asset_prefix="COW"),
        Report("charger_or_dock", "Kar staat in het dock maar laadt niet", asset_prefix="COW"),
        Report("screen_or_touch", "Touchscreen reageert traag", asset_prefix="COW"),
        Report("wheels_drawers_locks", "Lade zit klem", asset_prefix="COW"),
        Report("damage", "Beugel van het toetsenbord afgebroken", asset_prefix="COW"),
    ),
    "network": (
        Report("no_wifi", "Geen wifi op de gang bij de teampost"),
        Report("drops_when_moving", "Wifi valt weg als ik de kar verplaats"),
        Report("no_coverage_in_room", "Geen verbinding in de isoleerkamer"),
        Report("slow_network", "Alles laadt heel traag vanmiddag"),
    ),
    "performance": (
        Report("slow_sign_in", "Inloggen duurt meer dan twee minuten"),
        Report("slow_screens", "Schermen wisselen traag"),
        Report("freezes", "Scherm bevriest tijdens de medicatieronde"),
        Report("slow_since_update", "Traag sinds de update van vannacht"),
    ),
    "workstation": (
        Report("update_notification", "Updatemelding blijft terugkomen"),
        Report("kiosk_mode", "Kar start niet in kioskmodus"),
        Report("other_applications", "Dicteerprogramma start niet"),
        Report("date_or_time_incorrect", "Klok op de werkplek loopt achter", asset_prefix="WP"),
        Report("driver", "Tweede scherm geeft geen beeld", asset_prefix="WP"),
    ),
    "howto": (
        Report("how_do_i", "Hoe zet ik een overdracht klaar?"),
        Report("how_do_i", "Hoe vraag ik een lab-order aan?"),
        Report("how_do_i", "Hoe pas ik een meetmoment aan?"),
        Report("workflow_mismatch", "Ontslagbrief vraagt stappen die wij niet doen"),
        Report("instruction_card_or_training", "Instructiekaart mist bij de kar"),
        Report(
            "improvement_request", "Knop voor vochtbalans graag bovenaan", issue_type="enhancement"
        ),
    ),
    "outage": (
        Report("ehr_unavailable", "HiX niet beschikbaar op de hele afdeling"),
        Report(
            "downtime_procedure_active", "Terugvalprocedure actief, papieren lijsten in gebruik"
        ),
        Report("central_interface_down", "Koppeling met het lab ligt eruit", safety=True),
        Report("phones_or_nurse_call", "Oproepsysteem geeft geen meldingen door", safety=True),
    ),
}
"""Category → what nurses report in it (subcategory codes come from resources/taxonomy.json)."""

# Escalation outcomes are ``"→ group"``, everything else a resolution code.
OUTCOMES: dict[str, dict[ResolutionCode | str, int]] = {
    "signin": {FIXED: 30, RESTARTED: 20, ACCESS_GRANTED: 10, INSTRUCTED: 20, WORKAROUND: 5,
               "→ Autorisaties": 10, "→ Servicedesk": 5},
    "access": {ACCESS_GRANTED: 45, INSTRUCTED: 15, NO_FAULT_FOUND: 5, "→ Autorisaties": 35},
    "ehr": {FIXED: 10, WORKAROUND: 20, INSTRUCTED: 25, RESTARTED: 10,
            "→ Applicatiebeheer HiX": 35},
    "medication": {INSTRUCTED: 25, RECONFIGURED: 15, WORKAROUND: 15,
                   "→ Applicatiebeheer HiX": 30, "→ Medische Technologie": 15},
    "printing": {FIXED: 30, RECONFIGURED: 25, REPLACED: 20, NO_FAULT_FOUND: 5,
                 "→ Printbeheer": 20},
    "scanners": {RECONFIGURED: 30, REPLACED: 30, FIXED: 15, NO_FAULT_FOUND: 10,
                 "→ Werkplekbeheer": 15},
    "cart": {REPLACED: 30, FIXED: 25, RECONFIGURED: 10, NO_FAULT_FOUND: 10,
             "→ Werkplekbeheer": 25},
    "network": {NO_FAULT_FOUND: 20, RECONFIGURED: 20, RESTARTED: 15, "→ Netwerkbeheer": 45},
    "performance": {RESTARTED: 40, NO_FAULT_FOUND: 20, WORKAROUND: 15, "→ Werkplekbeheer": 25},
    "workstation": {FIXED: 30, RECONFIGURED: 30, RESTARTED: 15, "→ Werkplekbeheer": 25},
    "howto": {INSTRUCTED: 85, NO_FAULT_FOUND: 5, "→ Applicatiebeheer HiX": 10},
    "outage": {WORKAROUND: 30, "→ Servicedesk": 70},
}  # fmt: skip
"""Category → how a technician ends up closing it, with weights."""

RESOLUTION_NOTES: dict[ResolutionCode, tuple[str, ...]] = {
    FIXED: ("Aan het bed opgelost", "Verholpen, werkt weer", "Kabel opnieuw aangesloten"),
    RESTARTED: ("Herstart, werkt weer", "Sessie afgesloten en opnieuw ingelogd"),
    RECONFIGURED: ("Instelling aangepast", "Standaardprinter goed gezet", "Opnieuw gekoppeld"),
    REPLACED: ("Vervangen door reserve van de kar", "Nieuwe rol etiketten geplaatst"),
    ACCESS_GRANTED: ("Rol toegevoegd, collega kan verder", "Afdeling aan profiel toegevoegd"),
    WORKAROUND: ("Werkwijze via het menu laten zien", "Terugvalprocedure uitgelegd"),
    INSTRUCTED: ("Uitgelegd aan het bed", "Samen doorlopen, instructiekaart gegeven"),
    NO_FAULT_FOUND: ("Geen storing gevonden, werkt bij controle", "Niet te reproduceren"),
}
"""What a technician writes when closing at the bedside (short, no patient data)."""

ESCALATION_REASONS: dict[str, tuple[str, ...]] = {
    "Servicedesk": ("Meerdere afdelingen getroffen", "Niet aan het bed op te lossen"),
    "Applicatiebeheer HiX": ("Inrichting klopt niet, graag aanpassen", "Fout reproduceerbaar"),
    "Autorisaties": ("Rol moet centraal worden toegekend", "Account aanmaken nodig"),
    "Werkplekbeheer": ("Hardware defect, vervanging nodig", "Image opnieuw uitrollen"),
    "Netwerkbeheer": ("Dekking onvoldoende, meting nodig", "Accesspoint reageert niet"),
    "Printbeheer": ("Printer defect, monteur nodig", "Printerwachtrij centraal vastgelopen"),
    "Medische Technologie": ("Koppeling met apparaat werkt niet", "Apparaat moet naar MT"),
}
"""Resolver group → why a technician hands an issue over to it."""

NOTES = (
    "Collega heeft het opnieuw geprobeerd, zelfde probleem",
    "Gebeld met beheer, pakken het vandaag op",
    "Reserve klaargezet op de teampost",
    "Komt vaker voor op deze afdeling",
)
"""Notes a technician adds while an issue is open or waiting on a resolver group."""

ROOMS = ("teampost", "medicijnkamer", "balie", "gang", "isoleerkamer")
"""Rooms that are not numbered patient rooms."""

WAITING_NOTE = "Wacht op nieuwe accu van werkplekbeheer"
"""The note on the issue a technician claimed days ago and is still waiting on a part for."""

MAJOR_INCIDENT = "HiX reageert niet meer, niemand kan verder"
"""What the first nurse types on the morning HiX stopped answering (the rest tap duplicates)."""

REMOTE_OWNERS = ("pvanleeuwen", "sbakker", "hix-beheer", "mvandijk", "Nobody")
"""Owners a resolver group gives tickets in the central system ("Nobody": not picked up yet)."""

PARKED_MESSAGES = (
    "creating the ticket in RT queue 'EPD-Apps': RT has no queue 'EPD-Apps' that cowapp may "
    "create tickets in; check [rt] queue and [mapping.groups] in config.toml, and cowapp's "
    "CreateTicket right (HTTP 403: No permission to create tickets in the queue 'EPD-Apps')",
    "updating RT ticket {number}: HTTP 400: Invalid value 'Medische Technologie' for "
    "custom field 'Resolver group'",
    "ticket {number} was created but the central service did not keep this issue's reference on "
    "it (check the reference field and its rights); it was not sent again, to avoid a duplicate",
)
"""Server messages of items parked for a human, as the connectors word them."""

OFFLINE_ERROR = "checking the connection to RT: timed out"
"""The error of items the cart tried to send from a Wi-Fi dead zone."""
