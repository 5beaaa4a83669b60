"""A writer for the kill -9 test: adds issues the way ``cowapp issue add`` does, in a loop.

Run as ``python tests/integration/writer_process.py HOME COUNT``. It opens the cart exactly as the
command line does (`settings.load_settings` + `wiring.open_cart`, so `open_database` checks and
migrates the file first), then for each issue builds it with `domain.intake.create_issue` (some
resolved at the bedside with `domain.bedside.resolve`) and stores it with ``cart.issues.add``.
Only after ``add`` has returned does it print ``<issue id> <reference>`` as one line and flush:
every printed line is a promise that the issue is saved and must survive a SIGKILL.
Notices from opening the database (a damaged file moved aside) go to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cowapp import wiring
from cowapp.domain import bedside
from cowapp.domain.intake import IssueDraft, create_issue
from cowapp.domain.issue import ResolutionCode
from cowapp.settings import load_settings

# (category, subcategory, care impact, who is affected, description); cycled through.
SHAPES = [
    ("printing", "wristband_printer", "workaround", "me", "Wristband printer jams"),
    ("network", "drops_when_moving", "yes", "colleagues", "Wifi drops in the corridor"),
    ("signin", "badge_not_recognised", "no", "me", "Badge reader ignores the badge"),
    ("cart", "battery_not_charging", "workaround", "me", "Battery stays at ten percent"),
    ("performance", "slow_screens", "yes", "ward", "Screens take long to open"),
]
RESOLUTIONS = [ResolutionCode.RESTARTED, ResolutionCode.FIXED, ResolutionCode.INSTRUCTED]


def shaped_draft(n: int, suffix: str) -> IssueDraft:
    """The ``n``-th draft of a varied stream: ``SHAPES`` cycled, with the reporter and room
    varying too; its description is the shape's text, a space and ``suffix``."""
    category, sub, care, affected, text = SHAPES[n % len(SHAPES)]
    return IssueDraft(
        category=category,
        reporter=f"{10000 + n % 97}",
        subcategory=sub,
        description=f"{text} {suffix}",
        room=f"Room {n % 30 + 1}",
        care_impact=care,
        affected=affected,
        workaround_available=n % 2 == 0,
    )


def main(home: Path, count: int) -> int:
    """Add ``count`` issues to the cart at ``home``, printing each one once it is saved."""
    settings = load_settings(home)
    policy = settings.config.intake_policy()
    cart = wiring.open_cart(settings)
    try:
        for notice in cart.notices:
            print(f"cowapp: {notice}", file=sys.stderr, flush=True)
        for n in range(count):
            draft = shaped_draft(n, f"(round {n})" + " and again" * (n % 7))
            now = wiring.utc_now()
            issue, report = create_issue(draft, settings.taxonomy, policy, now)
            reports = [report]
            if n % 3 == 1:  # a third are fixed on the spot, like ``issue add --resolve``
                reports.append(
                    bedside.resolve(
                        issue,
                        actor="T4711",
                        at=now,
                        code=RESOLUTIONS[n % len(RESOLUTIONS)],
                        notes="Restarted the printer service and tested a label",
                        minutes_spent=n % 45,
                        confirmed_not_patient_data=False,
                    )
                )
            stored = cart.issues.add(issue, bedside.privacy_audit(*reports))
            # One write call per line, so a kill can never leave half a promise in the pipe.
            sys.stdout.write(f"{stored.id} {stored.reference}\n")
            sys.stdout.flush()
    finally:
        cart.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: writer_process.py HOME COUNT")
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
