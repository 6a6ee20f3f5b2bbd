# SPDX-License-Identifier: EUPL-1.2
"""Status changes go through an allowed-transition map; this is the one check for all of them."""

from __future__ import annotations

from collections.abc import Mapping, Set


class InvalidTransition(Exception):
    """A status change that the transition map does not allow."""


def check_transition(transitions: Mapping[str, Set[str]], current: str, to: str) -> None:
    if to not in transitions.get(current, frozenset()):
        raise InvalidTransition(f"{current} → {to}")
