"""Sample data for ``cowapp --demo``: a month of realistic issues after a go-live, on a throwaway
data dir, written through the same domain rules and repository as real reports.

Volume falls over the month (the cart effect), most issues are fixed at the bedside, some are
escalated, a few are still open. Generated from a fixed seed so screenshots are repeatable.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from cowapp.domain import bedside
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, ResolutionCode
from cowapp.wiring import Cart

WARDS = ("B4 Interne", "C2 Chirurgie", "A1 Cardiologie", "D3 Neurologie", "SEH")
TEXTS = {
    "signin": ["Pas wordt niet herkend bij inloggen", "Wachtwoord verlopen, kan HiX niet in"],
    "access": ["Kan geen medicatie aftekenen", "Afdelingslijst niet zichtbaar voor invalkracht"],
    "ehr": ["HiX loopt vast bij openen dossier", "Metingen worden niet opgeslagen"],
    "medication": ["Scanner leest toedienlijst niet", "Tijdstip op toedienlijst klopt niet"],
    "printing": ["Etikettenprinter kamer 12 print niets", "Polsbandjesprinter geeft papierstoring"],
    "scanners": ["Scanner leest polsbandje niet", "Paslezer reageert niet"],
    "cart": ["Accu van de kar laadt niet op", "Touchscreen reageert traag"],
    "network": ["Wifi valt weg bij kamer 7", "Geen verbinding in de isoleerkamer"],
    "performance": ["Inloggen duurt meer dan twee minuten", "Schermen traag sinds de update"],
    "workstation": ["Updatemelding blijft terugkomen", "Datum en tijd op werkplek onjuist"],
    "howto": ["Hoe zet ik een overdracht klaar?", "Hoe vraag ik een lab-order aan?"],
    "outage": ["HiX niet beschikbaar op de hele afdeling"],
}


def seed_demo(cart: Cart, days: int = 30, seed: int = 7) -> int:
    """Fill an empty cart with about ``days`` days of issues; return how many were made."""
    if cart.issues.count():
        return 0
    rng = random.Random(seed)
    taxonomy = cart.settings.taxonomy
    policy = cart.settings.config.intake_policy()
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
    made = 0
    for day in range(days):
        for _ in range(max(2, int(24 * (1 - day / (days * 1.3))) + rng.randint(-2, 2))):
            at = start + timedelta(days=day, hours=rng.randint(6, 22), minutes=rng.randint(0, 59))
            category = rng.choice(list(TEXTS))
            sub = rng.choice(taxonomy.category(category).subcategories).code
            draft = IssueDraft(
                category=category,
                subcategory=sub,
                reporter=str(rng.randint(100000, 109999)),
                description=rng.choice(TEXTS[category]),
                ward=rng.choice(WARDS),
                care_impact=rng.choice(["yes", "workaround", "no"]),
                affected=rng.choice(["me", "me", "colleagues", "ward"]),
                room=f"kamer {rng.randint(1, 24)}",
                golive_blocking=rng.random() < 0.03,
            )
            issue, _ = create_issue(draft, taxonomy, policy, at)
            _handle(issue, rng, at, policy, age_days=days - day)
            cart.issues.add(issue)
            made += 1
    return made


def _handle(
    issue: Issue, rng: random.Random, at: datetime, policy: IntakePolicy, age_days: int
) -> None:
    technician = rng.choice(["T2041", "T2077", "T2113"])
    roll = rng.random()
    if age_days <= 1 and roll < 0.5:
        return  # still open
    claimed = at + timedelta(minutes=rng.randint(2, 40))
    issue.claim(technician, claimed)
    done = claimed + timedelta(minutes=rng.randint(3, 25))
    if roll < 0.78:
        code = rng.choice(
            [
                ResolutionCode.FIXED,
                ResolutionCode.RESTARTED,
                ResolutionCode.RECONFIGURED,
                ResolutionCode.INSTRUCTED,
            ]
        )
        bedside.resolve(
            issue,
            actor=technician,
            at=done,
            code=code,
            notes="Aan het bed opgelost",
            minutes_spent=rng.randint(3, 25),
            confirmed_not_patient_data=False,
        )
    else:
        group = rng.choice(policy.escalation_groups)
        bedside.escalate(
            issue,
            policy=policy,
            actor=technician,
            at=done,
            group=group,
            reason="Niet aan het bed op te lossen",
            confirmed_not_patient_data=False,
        )
