"""Short human references ("KQ7-M4X") that a nurse can read out on the phone without confusion.

The alphabet leaves out characters that are easily confused when spoken or read on a dim screen
(0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V). Six characters give about 10⁸ combinations; the store
retries on the rare local collision, and the UUID remains the identity everywhere else.
"""

from __future__ import annotations

import random
import re

ALPHABET = "ACDEFGHJKMNPRTWXY34679"
_PATTERN = re.compile(rf"^[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}$")
# The OS's random source, as `secrets` uses (`secrets` itself would load OpenSSL at start-up).
_RANDOM = random.SystemRandom()


def new_reference() -> str:
    """Return a fresh random reference like ``KD7-M4X``."""
    chars = "".join(_RANDOM.choice(ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def normalise_reference(text: str) -> str | None:
    """Turn what someone typed ("kd7 m4x", "KD7M4X") into the canonical form, or None."""
    compact = re.sub(r"[\s\-]", "", text.upper())
    candidate = f"{compact[:3]}-{compact[3:]}" if len(compact) == 6 else compact
    return candidate if _PATTERN.match(candidate) else None
