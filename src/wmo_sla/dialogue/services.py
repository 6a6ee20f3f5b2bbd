# SPDX-License-Identifier: EUPL-1.2
"""Writes of the dialogue: explanations, responses, meetings, agreements.

Every status, the first one included, is written by :func:`record_first_status` /
:func:`record_status_change`: they check the allowed-transition map, append a history row
(:class:`~wmo_sla.dialogue.models.StatusEvent`) and write the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.contracts.models import Aanbieder
from wmo_sla.core.status import record_first_status, record_status_change
from wmo_sla.engine.periods import is_period_label
from wmo_sla.kpis.models import Figure

from .models import (
    AFSPRAAK_TRANSITIONS,
    TOELICHTING_TRANSITIONS,
    AfspraakStatus,
    Toelichting,
    ToelichtingEvent,
    ToelichtingReactie,
    ToelichtingStatus,
    ToelichtingVersie,
    Verbeterafspraak,
    VerbeterafspraakEvent,
    Voortgangsgesprek,
)


class DialogueError(Exception):
    """A write the rules do not allow; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class FigureIdentity:
    """What an explanation attaches to; stable across recomputations."""

    aanbieder_id: int
    kpi: str
    referentiegroep: str
    gemeente: str
    period: str

    @classmethod
    def of(cls, figure: Figure) -> FigureIdentity:
        if figure.aanbieder_id is None:
            raise DialogueError(_("Dit kengetal hoort niet bij een bekende aanbieder."))
        return cls._read(figure)

    @classmethod
    def of_toelichting(cls, toelichting: Toelichting) -> FigureIdentity:
        return cls._read(toelichting)

    @classmethod
    def _read(cls, obj: Figure | Toelichting) -> FigureIdentity:
        """The identity fields, read from the attributes of the same names."""
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})

    def as_filter(self) -> dict[str, Any]:
        return asdict(self)


def is_flagged(figure: Figure) -> bool:
    """A figure that asks for an explanation: norm niet gehaald, let op or signaal."""
    return bool(figure.norm_niet_gehaald) or figure.signaal in ("let op", "signaal")


def _toelichting_to(
    toelichting: Toelichting,
    to: str,
    *,
    actor: Any,
    versie: ToelichtingVersie | None,
    request: HttpRequest | None,
) -> None:
    record_status_change(
        toelichting,
        to,
        transitions=TOELICHTING_TRANSITIONS,
        history=ToelichtingEvent,
        actor=actor,
        request=request,
        event="toelichting_status",
        stamp="ingediend_at" if to == ToelichtingStatus.INGEDIEND else None,
        history_fields={"versie": versie},
        audit_extra={"versie": versie.number if versie else None},
    )


@transaction.atomic
def toelichting_write(
    *,
    actor: Any,
    identity: FigureIdentity,
    figure: Figure | None,
    oorzaak: str,
    tekst: str,
    maatregel: str,
    submit: bool,
    request: HttpRequest | None = None,
) -> Toelichting:
    """Save a new version of the explanation of ``identity`` (as concept, or submitted).

    ``figure`` is the figure of the identity in the run the aanbieder is looking at (None when a
    later run no longer has it); its value is stored with the version. A new explanation needs a
    flagged figure. Nothing is ever overwritten: each save is a new version.
    """
    if getattr(actor, "aanbieder_id", None) != identity.aanbieder_id:
        raise DialogueError(_("U kunt alleen kengetallen van uw eigen organisatie toelichten."))
    if figure is not None and FigureIdentity.of(figure) != identity:
        raise DialogueError(_("Het kengetal past niet bij deze toelichting."))
    if not tekst.strip():
        raise DialogueError(_("Vul de toelichting in."))
    now = timezone.now()
    toelichting = Toelichting.objects.select_for_update().filter(**identity.as_filter()).first()
    if toelichting is None:
        if figure is None or not is_flagged(figure):
            raise DialogueError(
                _(
                    "Alleen een kengetal met een signaal of een niet gehaalde norm kan worden toegelicht."
                )
            )
        toelichting = Toelichting.objects.create(
            **identity.as_filter(),
            status=ToelichtingStatus.CONCEPT,
            created_at=now,
            created_by=actor,
        )
        record_first_status(
            toelichting,
            history=ToelichtingEvent,
            actor=actor,
            request=request,
            event="toelichting_created",
            timestamp=now,
        )
    latest = toelichting.versies.order_by("-number").first()
    unchanged = latest is not None and (latest.oorzaak, latest.tekst, latest.maatregel) == (
        oorzaak,
        tekst,
        maatregel,
    )
    versie = latest
    if not unchanged:
        number = (toelichting.versies.aggregate(m=Max("number"))["m"] or 0) + 1
        versie = ToelichtingVersie.objects.create(
            toelichting=toelichting,
            number=number,
            oorzaak=oorzaak,
            tekst=tekst,
            maatregel=maatregel,
            author=actor,
            created_at=now,
            run=figure.run if figure else None,
            figure_value=figure.value if figure else None,
            figure_norm=figure.norm if figure else None,
            figure_n=figure.n if figure else None,
            figure_norm_niet_gehaald=figure.norm_niet_gehaald if figure else None,
            figure_signaal=figure.signaal if figure else "",
        )
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=versie,
            extra={"event": "toelichting_versie", "toelichting": toelichting.pk},
        )
    if submit:
        if unchanged and toelichting.status == ToelichtingStatus.INGEDIEND:
            raise DialogueError(_("Deze versie is al ingediend; wijzig de toelichting eerst."))
        _toelichting_to(
            toelichting, ToelichtingStatus.INGEDIEND, actor=actor, versie=versie, request=request
        )
    elif toelichting.status != ToelichtingStatus.CONCEPT:
        if unchanged:
            raise DialogueError(_("Er is niets gewijzigd."))
        _toelichting_to(
            toelichting, ToelichtingStatus.CONCEPT, actor=actor, versie=versie, request=request
        )
    return toelichting


@transaction.atomic
def toelichting_respond(
    *, actor: Any, toelichting: Toelichting, tekst: str, request: HttpRequest | None = None
) -> ToelichtingReactie:
    """The gemeente answers the submitted version; the toelichting becomes *beantwoord*."""
    toelichting = Toelichting.objects.select_for_update().get(pk=toelichting.pk)
    if not tekst.strip():
        raise DialogueError(_("Vul een reactie in."))
    if toelichting.status != ToelichtingStatus.INGEDIEND:
        raise DialogueError(
            _("U kunt alleen reageren op een ingediende toelichting (status nu: %(status)s).")
            % {"status": toelichting.get_status_display()}
        )
    submitted = (
        ToelichtingEvent.objects.filter(
            toelichting=toelichting, to_status=ToelichtingStatus.INGEDIEND
        )
        .order_by("-timestamp", "-id")
        .values_list("versie_id", flat=True)
        .first()
    )
    if submitted is None:  # pragma: no cover - a submitted toelichting has a submit event
        raise DialogueError(_("Er is geen ingediende versie om op te reageren."))
    versie = ToelichtingVersie.objects.get(pk=submitted)
    reactie = ToelichtingReactie.objects.create(
        toelichting=toelichting,
        versie=versie,
        tekst=tekst,
        author=actor,
        created_at=timezone.now(),
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=reactie,
        extra={"event": "toelichting_reactie", "toelichting": toelichting.pk},
    )
    _toelichting_to(
        toelichting, ToelichtingStatus.BEANTWOORD, actor=actor, versie=versie, request=request
    )
    return reactie


def gesprek_plan(
    *,
    actor: Any,
    aanbieder: Aanbieder,
    period: str,
    date: dt.date,
    deelnemers: str,
    request: HttpRequest | None = None,
) -> Voortgangsgesprek:
    if not is_period_label(period):
        raise DialogueError(
            _("Ongeldige periode %(period)s; gebruik bijvoorbeeld 2024Q3, 2024H2 of 2024.")
            % {"period": period}
        )
    gesprek = Voortgangsgesprek.objects.create(
        aanbieder=aanbieder,
        period=period,
        date=date,
        deelnemers=deelnemers.strip(),
        created_at=timezone.now(),
        created_by=actor,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=gesprek,
        extra={"event": "voortgangsgesprek_gepland"},
    )
    return gesprek


@transaction.atomic
def afspraak_create(
    *,
    actor: Any,
    gesprek: Voortgangsgesprek,
    actie: str,
    eigenaar: str,
    deadline: dt.date,
    request: HttpRequest | None = None,
) -> Verbeterafspraak:
    if not actie.strip():
        raise DialogueError(_("Beschrijf de actie."))
    if not eigenaar.strip():
        raise DialogueError(_("Vul de eigenaar van de actie in."))
    now = timezone.now()
    afspraak = Verbeterafspraak.objects.create(
        gesprek=gesprek,
        aanbieder_id=gesprek.aanbieder_id,
        actie=actie.strip(),
        eigenaar=eigenaar.strip(),
        deadline=deadline,
        status=AfspraakStatus.OPEN,
        created_at=now,
        created_by=actor,
    )
    record_first_status(
        afspraak,
        history=VerbeterafspraakEvent,
        actor=actor,
        request=request,
        event="verbeterafspraak_vastgelegd",
        timestamp=now,
        audit_extra={"gesprek": gesprek.pk},
    )
    return afspraak


@transaction.atomic
def afspraak_transition(
    *,
    actor: Any,
    afspraak: Verbeterafspraak,
    to: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Verbeterafspraak:
    afspraak = Verbeterafspraak.objects.select_for_update().get(pk=afspraak.pk)
    note = note.strip()[:500]
    record_status_change(
        afspraak,
        to,
        transitions=AFSPRAAK_TRANSITIONS,
        history=VerbeterafspraakEvent,
        actor=actor,
        request=request,
        event="verbeterafspraak_status",
        history_fields={"note": note},
        audit_extra={"note": note},
    )
    return afspraak
