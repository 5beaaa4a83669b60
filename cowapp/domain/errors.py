"""The errors the domain raises, so callers can tell refused input from broken machinery.

Every `DomainError` carries a message meant for the person at the cart: it says what is wrong and,
where it helps, what to do instead. `ValidationError` names the field it is about, so a screen can
put the message next to the right control and the CLI can print one specific line.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a rule of the domain refused something. Never a bug, never the environment."""


class ValidationError(DomainError):
    """A value given for a field is not acceptable.

    Attributes:
        field: the name of the offending field (as the CLI flag and the screen know it), or "".
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class IllegalTransitionError(DomainError):
    """A status change the life cycle does not allow (for example resolving a closed issue)."""


class PrivacyBlockedError(ValidationError):
    """Free text contains something that must never leave the bedside (a valid BSN). No override."""


class PrivacyConfirmationRequiredError(ValidationError):
    """Free text looks like patient data; the user must confirm it is not before it is saved."""
