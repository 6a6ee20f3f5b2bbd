# SPDX-License-Identifier: EUPL-1.2
"""BSN pseudonymisation, masking and the 11-proef."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wmo_sla.ingest.iwmo import Pseudonymizer, bsn_is_valid, mask_bsn

KEY = b"0123456789abcdef-test"
nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def _eleven_check(bsn: str) -> int:
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(w * int(c) for w, c in zip(weights, bsn, strict=True)) % 11


@pytest.mark.parametrize(
    "bsn", ["999900006", "999900018", "999900031", "999990019", "111222333", "123456782"]
)
def test_valid_bsns(bsn: str) -> None:
    assert bsn_is_valid(bsn)


@pytest.mark.parametrize(
    ("bsn", "why"),
    [
        ("999990018", "one digit off from a valid number"),
        ("123456789", "fails the 11-proef"),
        ("000000000", "all zeros passes the sum but is not a BSN"),
        ("99990006", "8 digits"),
        ("9999000060", "10 digits"),
        ("99990000X", "not a digit"),
        ("９９９９００００６", "full-width digits are not ASCII"),
        ("", "empty"),
    ],
)
def test_invalid_bsns(bsn: str, why: str) -> None:
    assert not bsn_is_valid(bsn), why


def test_surrounding_whitespace_is_ignored() -> None:
    assert bsn_is_valid(" 999900006\n")
    ps = Pseudonymizer(KEY)
    assert ps.client_key(" 999900006\n") == ps.client_key("999900006")


@given(nine_digits)
def test_bsn_is_valid_matches_the_definition(bsn: str) -> None:
    expected = _eleven_check(bsn) == 0 and bsn != "000000000"
    assert bsn_is_valid(bsn) is expected


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_eight_digits_have_at_most_one_valid_check_digit(prefix: str) -> None:
    valid = [d for d in "0123456789" if bsn_is_valid(prefix + d)]
    assert len(valid) <= 1


def test_client_key_is_hmac_sha256_truncated_to_32_hex() -> None:
    expected = hmac.new(KEY, b"999900006", hashlib.sha256).hexdigest()[:32]
    assert Pseudonymizer(KEY).client_key("999900006") == expected


@given(nine_digits)
def test_client_key_is_stable_and_key_dependent(bsn: str) -> None:
    first, second = Pseudonymizer(KEY), Pseudonymizer(KEY)
    other = Pseudonymizer(KEY + b"x")
    key = first.client_key(bsn)
    assert key == second.client_key(bsn) == first.client_key(bsn)  # stable, also from cache
    assert len(key) == 32 and all(c in "0123456789abcdef" for c in key)
    assert key != other.client_key(bsn)
    assert bsn not in key


@given(nine_digits, nine_digits)
def test_different_bsns_get_different_keys(a: str, b: str) -> None:
    ps = Pseudonymizer(KEY)
    assert (ps.client_key(a) == ps.client_key(b)) is (a == b)


def test_long_keys_work_like_hmac() -> None:
    key = b"k" * 100  # longer than the SHA-256 block: hashed first, as HMAC prescribes
    expected = hmac.new(key, b"999900006", hashlib.sha256).hexdigest()[:32]
    assert Pseudonymizer(key).client_key("999900006") == expected


def test_short_or_wrong_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="te kort"):
        Pseudonymizer(b"kort")
    with pytest.raises(TypeError):
        Pseudonymizer("a string, not bytes" * 2)  # type: ignore[arg-type]


def test_repr_hides_the_key() -> None:
    assert "0123456789" not in repr(Pseudonymizer(KEY))


@pytest.mark.parametrize(
    ("bsn", "masked"),
    [
        ("999900089", "*******89"),
        (" 123456782 ", "*******82"),
        ("12", "*********"),
        ("", "*********"),
        ("1234567890123", "*******23"),
    ],
)
def test_mask_bsn_shows_only_the_last_two(bsn: str, masked: str) -> None:
    assert mask_bsn(bsn) == masked
    assert Pseudonymizer.mask_bsn(bsn) == masked
