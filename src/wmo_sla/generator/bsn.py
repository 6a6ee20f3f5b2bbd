# SPDX-License-Identifier: EUPL-1.2
"""Fictitious but valid BSNs (11-proef, CS002), drawn deterministically from the 999 range.

All generated numbers start with ``999``; the RvIG test numbers (``9999…``) are a subset of it.
With five free digits plus the check digit the range holds about 90,900 valid numbers.
"""

from __future__ import annotations

import functools
import random

PREFIX = "999"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def is_valid_bsn(bsn: str) -> bool:
    """The 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11 (and not all zeros)."""
    if len(bsn) != 9 or not bsn.isdigit() or bsn == "000000000":
        return False
    total = sum(w * int(d) for w, d in zip(WEIGHTS, bsn[:8], strict=True)) - int(bsn[8])
    return total % 11 == 0


@functools.cache
def _valid_numbers(prefix: str = PREFIX) -> tuple[str, ...]:
    """Every valid 9-digit number with ``prefix``, ascending."""
    free = 8 - len(prefix)
    base = sum(w * int(d) for w, d in zip(WEIGHTS, prefix, strict=False))
    weights = WEIGHTS[len(prefix) :]
    out: list[str] = []
    for n in range(10**free):
        total = base
        rest = n
        for weight in reversed(weights):
            total += weight * (rest % 10)
            rest //= 10
        check = total % 11
        if check <= 9:
            out.append(f"{prefix}{n:0{free}d}{check}")
    return tuple(out)


def capacity() -> int:
    return len(_valid_numbers())


def generate_bsns(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct valid BSNs in a seed-determined order."""
    pool = _valid_numbers()
    if count > len(pool):
        raise ValueError(f"hoogstens {len(pool)} fictieve BSN's beschikbaar; gevraagd {count}")
    return rng.sample(pool, count)
