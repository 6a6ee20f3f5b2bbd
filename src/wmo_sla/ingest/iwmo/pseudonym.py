# SPDX-License-Identifier: EUPL-1.2
"""BSN pseudonymisation, masking and the 11-proef. Pure: no Django, no I/O.

The pseudonym (``client_key``) is the first 32 hex characters of HMAC-SHA256(key, BSN digits):
stable for one key, unlinkable without it. The key is a secret of the installation; whoever
holds it can test a guessed BSN, so it must be kept like a password.
"""

from __future__ import annotations

import hashlib

__all__ = ["MIN_KEY_BYTES", "Pseudonymizer", "bsn_digits", "bsn_is_valid", "mask_bsn"]

MIN_KEY_BYTES = 16
_BLOCK = 64  # SHA-256 block size, for HMAC
_CACHE_LIMIT = 65_536
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_WHITESPACE = " \t\r\n"


def bsn_digits(bsn: str) -> str:
    """The BSN without surrounding whitespace (xs:string whitespace is not significant here)."""
    return bsn.strip(_WHITESPACE)


def bsn_is_valid(bsn: str) -> bool:
    """True for 9 ASCII digits that pass the 11-proef (9a+8b+…+2h−1i ≡ 0 mod 11), not all zeros."""
    digits = bsn_digits(bsn)
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()):
        return False
    if digits == "000000000":
        return False
    total = 0
    for weight, char in zip(_WEIGHTS, digits, strict=True):
        total += weight * (ord(char) - 48)
    return total % 11 == 0


def mask_bsn(bsn: str) -> str:
    """``*******89``: seven stars and only the last two characters, whatever the input length."""
    digits = bsn_digits(bsn)
    tail = digits[-2:] if len(digits) > 2 else ""
    return "*******" + (tail if len(tail) == 2 else "**")


class Pseudonymizer:
    """Turns a BSN into its ``client_key``. Thread-safe; cheap to call (about 2 µs, cached)."""

    __slots__ = ("_cache", "_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray):
            raise TypeError("De pseudonimiseringssleutel moet bytes zijn.")
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(
                f"De pseudonimiseringssleutel is te kort ({len(key)} bytes); "
                f"gebruik minstens {MIN_KEY_BYTES} willekeurige bytes."
            )
        raw = bytes(key)
        if len(raw) > _BLOCK:
            raw = hashlib.sha256(raw).digest()
        raw = raw.ljust(_BLOCK, b"\0")
        # Standard HMAC (RFC 2104) with the padded key states precomputed once.
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in raw))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in raw))
        self._cache: dict[str, str] = {}

    def client_key(self, bsn: str) -> str:
        """First 32 hex characters of HMAC-SHA256(key, BSN digits)."""
        cached = self._cache.get(bsn)
        if cached is not None:
            return cached
        inner = self._inner.copy()
        inner.update(bsn_digits(bsn).encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        result = outer.hexdigest()[:32]
        cache = self._cache
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[bsn] = result
        return result

    mask_bsn = staticmethod(mask_bsn)
    bsn_is_valid = staticmethod(bsn_is_valid)

    def __repr__(self) -> str:  # never show key material
        return "Pseudonymizer(<sleutel verborgen>)"
