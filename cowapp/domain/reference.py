"""Short human references ("KQ7-M4X") that a nurse can read out on the phone without confusion.

The alphabet leaves out characters that are easily confused when spoken or read on a dim screen
(0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V). Six characters give about 10⁸ combinations; the store
retries on the rare local collision, and the UUID remains the identity everywhere else.
"""

from __future__ import annotations

import os
import re

ALPHABET = "ACDEFGHJKMNPRTWXY34679"
_PATTERN = re.compile(rf"^[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}$")
# A random byte picks the character at byte % 22; bytes from 242 (11 × 22) up are dropped, or
# the first 14 characters would come up 12 times in 256 and the other 8 only 11 times.
_UNBIASED_BELOW = 256 - 256 % len(ALPHABET)


def new_reference() -> str:
    """Return a fresh random reference like ``KD7-M4X``."""
    chars = ""
    while len(chars) < 6:
        # One read of the OS's random source (as `secrets` uses, without loading OpenSSL at
        # start-up) for all six characters; SystemRandom.choice reads once per character.
        chars += _characters(os.urandom(8))
    return f"{chars[:3]}-{chars[3:6]}"


def _characters(picks: bytes) -> str:
    """The characters random bytes pick, every character equally likely (some bytes pick none)."""
    return "".join(ALPHABET[b % len(ALPHABET)] for b in picks if b < _UNBIASED_BELOW)


def normalise_reference(text: str) -> str | None:
    """Turn what someone typed ("kd7 m4x", "KD7M4X") into the canonical form, or None."""
    compact = re.sub(r"[\s\-]", "", text.upper())
    candidate = f"{compact[:3]}-{compact[3:]}" if len(compact) == 6 else compact
    return candidate if _PATTERN.match(candidate) else None
