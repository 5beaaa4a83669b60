"""Impact × urgency → priority, and the two plain questions a nurse answers instead of ITIL terms.

The nurse is asked "Can care continue safely?" and "Who is affected?"; the answers map to urgency
and impact, and a configurable ITIL matrix maps those to a priority from 1 (critical) to 5
(planning). A technician may override impact and urgency later; the priority follows the matrix.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from cowapp.domain.errors import ValidationError


class CareImpact(enum.StrEnum):
    """Answer to "Kan de zorg veilig doorgaan?" (can care continue safely?)."""

    YES = "yes"
    WORKAROUND = "workaround"
    NO = "no"


class Affected(enum.StrEnum):
    """Answer to "Wie heeft er last van?" (who is affected?)."""

    ME = "me"
    COLLEAGUES = "colleagues"
    WARD = "ward"
    SEVERAL_WARDS = "several_wards"


# Urgency 1: care cannot continue safely, 2: a workaround exists, 3: no care impact.
URGENCY_FOR_CARE: dict[CareImpact, int] = {
    CareImpact.NO: 1,
    CareImpact.WORKAROUND: 2,
    CareImpact.YES: 3,
}
# Impact 1: several wards/hospital, 2: one ward or several colleagues, 3: one person.
IMPACT_FOR_AFFECTED: dict[Affected, int] = {
    Affected.SEVERAL_WARDS: 1,
    Affected.WARD: 2,
    Affected.COLLEAGUES: 2,
    Affected.ME: 3,
}

PRIORITY_LABELS_EN = {1: "critical", 2: "high", 3: "moderate", 4: "low", 5: "planning"}
PRIORITY_LABELS_NL = {1: "kritiek", 2: "hoog", 3: "gemiddeld", 4: "laag", 5: "planning"}


@dataclass(frozen=True)
class PriorityMatrix:
    """A 3×3 table: ``rows[impact - 1][urgency - 1]`` is the priority (1..5).

    Attributes:
        rows: three rows of three priorities, impact 1..3 down, urgency 1..3 across.
    """

    rows: tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]

    @classmethod
    def itil_default(cls) -> PriorityMatrix:
        """The ITIL default of DOMAIN.md."""
        return cls(((1, 2, 3), (2, 3, 4), (3, 4, 5)))

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[object]]) -> PriorityMatrix:
        """Validate a matrix read from configuration.

        Raises:
            ValidationError: when it is not 3×3 of whole numbers 1..5.
        """
        if len(rows) != 3 or any(not isinstance(r, Sequence) or len(r) != 3 for r in rows):
            raise ValidationError("the priority matrix must have 3 rows of 3 numbers", "matrix")
        cells: list[tuple[int, int, int]] = []
        for row in rows:
            values = [v for v in row if isinstance(v, int) and not isinstance(v, bool)]
            if len(values) != 3 or not all(1 <= v <= 5 for v in values):
                raise ValidationError(
                    "priority matrix values must be whole numbers 1 to 5", "matrix"
                )
            cells.append((values[0], values[1], values[2]))
        return cls((cells[0], cells[1], cells[2]))

    def priority(self, impact: int, urgency: int) -> int:
        """Look up the priority for an impact and urgency (each 1..3)."""
        check_level(impact, "impact")
        check_level(urgency, "urgency")
        return self.rows[impact - 1][urgency - 1]


def check_level(value: int, field: str) -> int:
    """Return ``value`` if it is an ITIL impact/urgency level (1..3), else raise ValidationError."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        raise ValidationError(f"{field} must be 1, 2 or 3 (1 is the most severe)", field)
    return value
