# SPDX-License-Identifier: EUPL-1.2
"""Template tags other pages use to show and start explanations next to a figure.

``{% load dialogue %}``, then per page ``{% toelichtingen_for figures as toelichtingen %}`` (one
query) and per figure ``{% toelichting_badge figure toelichtingen %}``. Without the dict the tag
looks up the one figure (fine on small pages). See docs/web.md § Dialoog.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.benchmark.selectors import value_hidden_for
from wmo_sla.dialogue import selectors
from wmo_sla.dialogue.models import Toelichting
from wmo_sla.dialogue.services import FigureIdentity, is_flagged
from wmo_sla.kpis.models import Figure

register = template.Library()


@register.simple_tag(takes_context=True)
def toelichtingen_for(
    context: dict[str, Any], figures: Iterable[Figure]
) -> dict[selectors.IdentityKey, Toelichting]:
    return selectors.toelichtingen_by_identity(user=context["request"].user, figures=figures)


@register.inclusion_tag("dialogue/includes/toelichting_badge.html", takes_context=True)
def toelichting_badge(
    context: dict[str, Any],
    figure: Figure,
    toelichtingen: dict[selectors.IdentityKey, Toelichting] | None = None,
) -> dict[str, Any]:
    user = context["request"].user
    toelichting: Toelichting | None = None
    if figure.aanbieder_id is not None:
        if toelichtingen is None:
            toelichting = selectors.toelichting_for_identity(
                user=user, identity=FigureIdentity.of(figure)
            )
        else:
            toelichting = toelichtingen.get(selectors.identity_key(figure))
    may_start = (
        toelichting is None
        and figure.aanbieder_id is not None
        and has_capability(user, Capability.WRITE_TOELICHTING)
        and getattr(user, "aanbieder_id", None) == figure.aanbieder_id
        and is_flagged(figure)
        and not value_hidden_for(user, figure)
    )
    return {
        "figure": figure,
        "toelichting": toelichting,
        "status": selectors.status_label_for(user, toelichting),
        "may_start": may_start,
        "flagged": is_flagged(figure),
    }


@register.filter
def gemeente_name(code: str, names: dict[str, str] | None) -> str:
    """``{{ figure.gemeente|gemeente_name:gemeenten }}`` → "Dordrecht" (the code if unknown)."""
    return (names or {}).get(code, code)
