# SPDX-License-Identifier: EUPL-1.2
"""Demo stage "Rapportages van de demo klaarzetten": reporting obligations for the demo contracts
and a replayed history of the aanbieders' reports, written through the reporting services.

The demo's iWmo traffic ends on 31-12-2024 while the demo is built today, so the history is
*replayed*: every write passes ``at=`` (the moment it is recorded as happening), so the status board
shows reports that came in on time, late or not at all over the past years instead of "everything
submitted today". The plan (docs/reporting.md, "Demo"):

- per contract: uitstroomredenen per half year from 2023H1 (due 42 days after the half year),
  klachten per year from 2023 (due 30 November, open 61 days before), tevredenheid per year from
  2023 (due 90 days after the year);
- most aanbieders submit on time and the contract manager accepts; two are regularly late; one
  never submits uitstroomredenen 2024H2 (its concept stays: te laat); the smallest aanbieder is
  exempt from klachten; one report is returned with a reason, resubmitted and accepted; one accepted
  report is corrected (gewijzigd na acceptatie); one aanbieder explains a difference with the iWmo
  data above the tolerance;
- the reported outflow comes from the KPI run's K2/K12 figures (``selectors.derived_outflow``),
  with small deviations; for half years after the traffic (2025H1 on) the same half of 2024 is
  the basis and the iWmo check is "niet beschikbaar";
- aanbieder1 (the demo login) has an open concept for every period that is open and not yet due,
  a returned report to act on and a submitted one waiting for review; aanbieder2 a clean record.

Deterministic: the choices come from ``random.Random`` seeded with the demo seed and the cell.
Idempotent: a cell (obligation × aanbieder × period) that has a report is left alone, existing
obligations and exemptions are kept, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from wmo_sla.accounts.models import User
from wmo_sla.accounts.roles import Role
from wmo_sla.accounts.services import user_upsert
from wmo_sla.contracts.models import Aanbieder, AgbCode, Contract
from wmo_sla.kpis.models import ComputationRun, Figure
from wmo_sla.reporting import selectors
from wmo_sla.reporting import services as reporting
from wmo_sla.reporting.models import (
    DueRule,
    Exemption,
    PeriodType,
    Report,
    ReportingObligation,
    ReportKind,
)
from wmo_sla.reporting.schedule import open_periods

DEMO_PROVIDER = "aanbieder1"
DEMO_CLEAN_PROVIDER = "aanbieder2"
DEMO_CONTRACTMANAGER = "contractmanager"
# The moment the gemeente set up the obligations (and granted the exemption).
OBLIGATIONS_SET_UP = (2023, 1, 9, 10)
EXEMPTION_GRANTED = (2023, 2, 6, 11)
# The last half year and year with iWmo traffic in the demo; later periods use the same half year
# of this year as the basis of the reported outflow.
LAST_DATA_YEAR = 2024
MISSING_PERIOD = "2024H2"  # never submitted by one aanbieder
EXPLAINED_PERIOD = "2024H2"  # the difference above the tolerance
RETURNED_PERIOD = "2024H1"  # returned, resubmitted, accepted


@dataclass(frozen=True)
class ObligationPlan:
    kind: str
    period_type: str
    first_period: str
    due_rule: str
    due_days: int | None = None
    due_month: int | None = None
    due_day: int | None = None
    open_days_before_due: int | None = None
    help_text: str = ""


OBLIGATIONS: tuple[ObligationPlan, ...] = (
    ObligationPlan(
        ReportKind.UITSTROOMREDENEN,
        PeriodType.HALF_YEAR,
        "2023H1",
        DueRule.AFTER_PERIOD,
        due_days=42,
        help_text=(
            "Meld per referentiegroep hoeveel cliënten in het halfjaar zijn uitgestroomd, per "
            "reden uit de memo. Uiterlijk zes weken na afloop van het halfjaar."
        ),
    ),
    ObligationPlan(
        ReportKind.KLACHTEN,
        PeriodType.YEAR,
        "2023",
        DueRule.FIXED_DATE,
        due_month=11,
        due_day=30,
        open_days_before_due=61,
        help_text=(
            "De klachten van het jaar met de velden van bijlage 6; vóór 1 december. Geen namen "
            "of BSN's: gebruik uw eigen klachtnummer."
        ),
    ),
    ObligationPlan(
        ReportKind.TEVREDENHEID,
        PeriodType.YEAR,
        "2023",
        DueRule.AFTER_PERIOD,
        due_days=90,
        help_text=(
            "De antwoorden van het cliënttevredenheidsonderzoek als CSV (agb_code; periode; "
            "cijfer; gemeente), uiterlijk 90 dagen na afloop van het jaar."
        ),
    ),
)


@dataclass
class Roles:
    """Which aanbieder plays which part of the story (ids)."""

    demo: int | None = None
    clean: int | None = None
    exempt: int | None = None
    late: set[int] = field(default_factory=set)
    missing: int | None = None
    returned: int | None = None
    corrected: int | None = None
    explained: int | None = None


@dataclass
class Tally:
    obligations: int = 0
    exemptions: int = 0
    reports: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    imported_surveys: int = 0


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_tz())


def _rng(seed: int, *parts: object) -> random.Random:
    # Reproducible demo data, not security: the same seed gives the same story.
    return random.Random(":".join([str(seed), *map(str, parts)]))  # noqa: S311


# --- who is who ---------------------------------------------------------------------------------


def _roles(run: ComputationRun | None) -> Roles:
    roles = Roles()
    demo = User.objects.filter(username=DEMO_PROVIDER, aanbieder__isnull=False).first()
    clean = User.objects.filter(username=DEMO_CLEAN_PROVIDER, aanbieder__isnull=False).first()
    roles.demo = demo.aanbieder_id if demo else None
    roles.clean = clean.aanbieder_id if clean else None
    taken = {roles.demo, roles.clean}
    others = [a for a in Aanbieder.objects.order_by("name") if a.pk not in taken]
    # The smallest aanbieder (fewest definitive ends in the iWmo data) is exempt from klachten.
    volume: dict[int, float] = defaultdict(float)
    if run is not None:
        for row in (
            Figure.objects.filter(run=run, kpi="K2", gemeente="regio", period__regex=r"^\d{4}$")
            .values("aanbieder_id")
            .annotate(total=Sum("value"))
        ):
            volume[row["aanbieder_id"]] = row["total"] or 0.0
    if others:
        exempt = min(others, key=lambda a: (volume[a.pk], a.name))
        roles.exempt = exempt.pk
        others = [a for a in others if a.pk != exempt.pk]
    parts = ["returned", "late", "missing", "corrected", "late", "explained"]
    for aanbieder, part in zip(others, parts, strict=False):
        if part == "late":
            roles.late.add(aanbieder.pk)
        else:
            setattr(roles, part, aanbieder.pk)
    return roles


def _submitters(aanbieders: list[Aanbieder]) -> dict[int, User]:
    """The user who fills in the reports of each aanbieder: the demo login where there is one,
    else a demo account without a password (it cannot log in)."""
    users: dict[int, User] = {}
    for login in User.objects.filter(
        username__in=(DEMO_PROVIDER, DEMO_CLEAN_PROVIDER), aanbieder__isnull=False
    ):
        if login.aanbieder_id is not None:
            users[login.aanbieder_id] = login
    for aanbieder in aanbieders:
        if aanbieder.pk in users:
            continue
        code = AgbCode.objects.filter(aanbieder=aanbieder).order_by("code").first()
        username = f"rapportage-{code.code if code else aanbieder.pk}"
        user = User.objects.filter(username=username).first() or user_upsert(
            username=username,
            role=Role.AANBIEDER,
            aanbieder=aanbieder,
            first_name="Kwaliteitsmedewerker",
            last_name=aanbieder.name[:150],
        )
        users[aanbieder.pk] = user
    return users


# --- content ------------------------------------------------------------------------------------

OVERIG_TOELICHTING = (
    "Cliënt heeft de begeleiding op eigen verzoek beëindigd",
    "Cliënt is opgenomen in een ziekenhuis en daarna niet teruggekomen",
    "Cliënt krijgt nu begeleiding vanuit de Zvw (wijkverpleging)",
)
COMPARED = ("doelen_bereikt", "andere_aanbieder", "overleden", "wlz")


def _basis_period(period: str) -> str:
    """The half year whose iWmo figures a report is based on: itself, or for a half year after the
    demo's traffic the same half of the last year with traffic."""
    return period if int(period[:4]) <= LAST_DATA_YEAR else f"{LAST_DATA_YEAR}{period[4:]}"


def derived_counts(
    *, manager: User, run: ComputationRun | None, aanbieder_id: int, period: str
) -> dict[str, dict[str, int]]:
    """The iWmo-derived outflow a report of ``period`` is based on (K2/K12 of ``run``)."""
    _run, derived, _hidden = selectors.derived_outflow(
        user=manager, aanbieder_id=aanbieder_id, period=_basis_period(period), run=run
    )
    return derived


def outflow_content(
    *,
    obligation: ReportingObligation,
    derived: dict[str, dict[str, int]],
    rng: random.Random | None,
    extra: int = 0,
) -> dict[str, Any]:
    """Uitstroomredenen as the aanbieder reports them: per referentiegroep of the contract the
    K2/K12 counts of ``run`` (``selectors.derived_outflow``), the categories the iWmo data cannot
    tell (andere maatwerkvoorziening, verhuisd, overig) splitting the rest. With ``rng`` one client
    may be moved or added (within the tolerance); ``extra`` clients are added to doelen bereikt
    of the first group (a difference above the tolerance)."""
    rows = []
    for index, group in enumerate(selectors.contract_referentiegroepen(obligation.contract_id)):
        counts = derived.get(group, {})
        total = counts.get("totaal", 0)
        row: dict[str, Any] = {"referentiegroep": group}
        row.update({key: counts.get(key, 0) for key in COMPARED})
        rest = max(0, total - sum(row[key] for key in COMPARED))
        row["andere_maatwerkvoorziening"] = round(rest * 0.45)
        row["verhuisd"] = round(rest * 0.25)
        row["overig"] = rest - row["andere_maatwerkvoorziening"] - row["verhuisd"]
        if rng is not None and total:
            change = rng.random()
            if change < 0.25 and row["andere_maatwerkvoorziening"] > 0:
                row["andere_maatwerkvoorziening"] -= 1  # the aanbieder counts it as doelen bereikt
                row["doelen_bereikt"] += 1
            elif change < 0.40:
                row["verhuisd"] += 1  # ended after the iWmo data's last message
            elif change < 0.50 and row["overig"] > 0:
                row["overig"] -= 1  # forgotten
        if index == 0:
            row["doelen_bereikt"] += extra
        if row["overig"]:
            row["overig_toelichting"] = (rng or _rng(0, group)).choice(OVERIG_TOELICHTING)
        rows.append(row)
    return {"rijen": rows}


def over_tolerance_extra(
    *, obligation: ReportingObligation, derived: dict[str, dict[str, int]]
) -> int:
    """How many clients to add to doelen bereikt (first group) to be just above the tolerance."""
    groups = selectors.contract_referentiegroepen(obligation.contract_id)
    counts = derived.get(groups[0], {}) if groups else {}
    derived_doelen = counts.get("doelen_bereikt", 0)
    allowed = max(obligation.tolerance_abs, obligation.tolerance_pct / 100 * derived_doelen)
    return int(allowed) + 3


# Plausible complaints (bijlage 6): subjects, how they were handled, the verdict and why.
COMPLAINTS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (
        ("bejegening",),
        "Gesprek met de cliënt, de begeleider en de teamleider; excuses aangeboden.",
        "gegrond",
        "",
    ),
    (
        ("zorgaanbod",),
        "Uitgelegd welke begeleiding in de toewijzing staat; extra afspraak ingepland.",
        "ongegrond",
        "De begeleiding is geleverd zoals in de toewijzing en het ondersteuningsplan staat.",
    ),
    (
        ("handelswijze_medewerker",),
        "Vaste begeleider gewisseld op verzoek van de cliënt; evaluatie na zes weken.",
        "gegrond",
        "",
    ),
    (
        ("kwaliteit", "zorgaanbod"),
        "Ondersteuningsplan samen met de cliënt herzien; afspraken schriftelijk bevestigd.",
        "gegrond",
        "",
    ),
    (
        ("anders",),
        "Factuur van de eigen bijdrage nagelopen met de cliënt en het CAK.",
        "ongegrond",
        "De eigen bijdrage wordt door het CAK vastgesteld, niet door de aanbieder.",
    ),
    (
        ("kwaliteit",),
        "Afspraken over vaste tijden gemaakt; de planner belt bij vertraging.",
        "ongegrond",
        "De afspraken zijn nagekomen; de cliënt was twee keer niet thuis.",
    ),
)


def klachten_content(
    *, rng: random.Random, aanbieder: Aanbieder, year: int, until: dt.date, woonplaatsen: list[str]
) -> dict[str, Any]:
    """A year's complaints as an aanbieder reports them before ``until`` (no names, no BSN)."""
    count = rng.choice((0, 1, 1, 2, 2, 3, 4))
    first, last = dt.date(year, 1, 6), min(dt.date(year, 10, 31), until - dt.timedelta(days=10))
    if count == 0 or last <= first:
        return {"geen_klachten": True, "klachten": []}
    prefix = "".join(word[0] for word in aanbieder.name.split()).upper()[:3]
    received = sorted(
        first + dt.timedelta(days=rng.randint(0, (last - first).days)) for _i in range(count)
    )
    rows = []
    for number, day in enumerate(received, start=1):
        subjects, handling, verdict, motivation = rng.choice(COMPLAINTS)
        closed = day + dt.timedelta(days=rng.randint(6, 45))
        handled = closed < until
        rows.append(
            {
                "nummer": f"{prefix}-{year}-{number:03d}",
                "datum_ontvangen": day.isoformat(),
                "onderwerpen": list(subjects),
                "onderwerp_anders": "eigen bijdrage" if "anders" in subjects else "",
                "afgehandeld": handled,
                "oordeel": verdict if handled else "",
                "motivatie": motivation if handled else "",
                "datum_afgehandeld": closed.isoformat() if handled else "",
                "wijze_afhandeling": handling if handled else "",
                "woonplaats": rng.choice(woonplaatsen),
            }
        )
    return {"geen_klachten": False, "klachten": rows}


SCORE_WEIGHTS = (1, 1, 2, 3, 6, 12, 22, 26, 16, 8)  # cijfer 1 … 10


def survey_csv(
    *, seed: int, aanbieder: Aanbieder, year: int, gemeenten: list[str], only: tuple[str, ...] = ()
) -> tuple[bytes, str]:
    """A K13 survey CSV (docs/survey-csv.md) of one aanbieder and year: 12–36 respondents. The same
    aanbieder and year give the same bytes, whichever contract asks for it."""
    rng = _rng(seed, "tevredenheid", aanbieder.name, year)
    codes = list(
        AgbCode.objects.filter(aanbieder=aanbieder).order_by("code").values_list("code", flat=True)
    )
    places = [g for g in gemeenten if not only or g in only] or gemeenten
    lines = ["agb_code;periode;cijfer;gemeente"]
    for _i in range(rng.randint(12, 36)):
        score = rng.choices(range(1, 11), weights=SCORE_WEIGHTS)[0]
        place = rng.choice(places) if places else ""
        lines.append(f"{rng.choice(codes)};{year};{score};{place}")
    suffix = "-deel" if only else ""
    return ("\n".join(lines) + "\n").encode(), f"tevredenheid-{codes[0]}-{year}{suffix}.csv"


# --- the replay ---------------------------------------------------------------------------------

EXPLANATION = (
    "In december zijn {n} cliënten met bereikte doelen gestopt; de stopberichten zijn pas in "
    "januari verstuurd. In de iWmo-berichten tellen zij daardoor in het volgende halfjaar."
)
RETURN_REASON_OUTFLOW = (
    "Onder ‘overig’ staan cliënten die volgens de iWmo-berichten naar de Wlz zijn gegaan. Zet "
    "hen onder ‘Wlz’ en dien de rapportage opnieuw in."
)
RETURN_REASON_SURVEY = (
    "Het bestand bevat alleen antwoorden van cliënten uit Dordrecht en Zwijndrecht. Lever de "
    "resultaten van alle gemeenten aan."
)
CORRECTION_NOTE = "Correctie: een cliënt stond dubbel onder andere maatwerkvoorziening"


def _office(rng: random.Random, day: dt.date, *, forward: bool) -> dt.datetime:
    """A moment during office hours on ``day``, moved off a weekend (forward or back)."""
    step = dt.timedelta(days=1 if forward else -1)
    while day.weekday() >= 5:
        day += step
    return _moment(day, rng.randint(8, 16), rng.choice((3, 12, 20, 34, 41, 47, 55)))


@dataclass
class Replay:
    seed: int
    manager: User
    run: ComputationRun | None
    now: dt.datetime
    roles: Roles
    submitters: dict[int, User]
    gemeente_codes: dict[int, list[str]]  # per aanbieder: the gemeenten of its contracts
    woonplaatsen: dict[int, list[str]]  # per contract: the names of its gemeenten
    # Per aanbieder the contract (lowest code) where its part of the story happens, so that each
    # special case (never submitted, returned, corrected, explained) shows once on the board.
    story_contract: dict[int, int]
    tally: Tally = field(default_factory=Tally)
    outflow: dict[tuple[int, str], dict[str, dict[str, int]]] = field(default_factory=dict)

    def derived(self, aanbieder_id: int, period: str) -> dict[str, dict[str, int]]:
        key = (aanbieder_id, _basis_period(period))
        if key not in self.outflow:
            self.outflow[key] = derived_counts(
                manager=self.manager, run=self.run, aanbieder_id=aanbieder_id, period=period
            )
        return self.outflow[key]

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def past(self, at: dt.datetime) -> bool:
        return at < self.now - dt.timedelta(minutes=5)

    # writes, all through the services

    def save(
        self,
        obligation: ReportingObligation,
        aanbieder: Aanbieder,
        period: str,
        at: dt.datetime | None,
        *,
        rng: random.Random | None,
        extra: int = 0,
        only: tuple[str, ...] = (),
        partial: bool = False,
        wlz_as_overig: bool = False,
    ) -> Report:
        user = self.submitters[aanbieder.pk]
        if obligation.kind == ReportKind.TEVREDENHEID:
            data, name = survey_csv(
                seed=self.seed,
                aanbieder=aanbieder,
                year=int(period[:4]),
                gemeenten=self.gemeente_codes[aanbieder.pk],
                only=only,
            )
            saved = reporting.upload_survey(
                actor=user,
                obligation=obligation,
                aanbieder=aanbieder,
                period=period,
                data=data,
                name=name,
                at=at,
            )
        else:
            if obligation.kind == ReportKind.UITSTROOMREDENEN:
                content = outflow_content(
                    obligation=obligation,
                    derived=self.derived(aanbieder.pk, period),
                    rng=rng,
                    extra=extra,
                )
                if wlz_as_overig and content["rijen"]:  # the mistake the gemeente returns
                    first = content["rijen"][0]
                    first["overig"] += first["wlz"]
                    first["wlz"] = 0
                    if first["overig"]:
                        first["overig_toelichting"] = "Cliënten opgenomen in een instelling"
                if partial and content["rijen"]:  # still typing: the last group is empty
                    last = content["rijen"][-1]
                    content["rijen"][-1] = {"referentiegroep": last["referentiegroep"]} | {
                        key: None for key in last if key != "referentiegroep"
                    }
            else:
                until = timezone.localdate(at) if at is not None else self.today
                content = klachten_content(
                    rng=rng or _rng(self.seed, aanbieder.name, period),
                    aanbieder=aanbieder,
                    year=int(period[:4]),
                    until=until,
                    woonplaatsen=self.woonplaatsen[obligation.contract_id],
                )
            saved = reporting.save_draft(
                actor=user,
                obligation=obligation,
                aanbieder=aanbieder,
                period=period,
                content=content,
                at=at,
            )
        return saved.report

    def submit(self, report: Report, at: dt.datetime, explanation: str = "") -> None:
        user = self.submitters[report.aanbieder_id]
        try:
            reporting.submit_report(actor=user, report=report, explanation=explanation, at=at)
        except reporting.ReportCheckNeedsExplanation:
            reporting.submit_report(
                actor=user,
                report=report,
                explanation="Verschil door berichten die na afloop van het halfjaar zijn verstuurd.",
                at=at,
            )
        self.tally.submitted += 1

    def accept(self, report: Report, at: dt.datetime) -> None:
        reporting.accept_report(actor=self.manager, report=report, at=at)
        self.tally.accepted += 1
        if report.obligation.kind == ReportKind.TEVREDENHEID:
            self.tally.imported_surveys += 1

    def give_back(self, report: Report, reason: str, at: dt.datetime) -> None:
        reporting.return_report(actor=self.manager, report=report, reason=reason, at=at)
        self.tally.returned += 1

    # the story of one cell

    def cell(
        self, obligation: ReportingObligation, aanbieder: Aanbieder, period: str, latest: str
    ) -> None:
        """Replay aanbieder × obligation × period; ``latest`` is the obligation's most recent
        period whose due date has passed."""
        opens = selectors.obligation_opens_on(obligation, period)
        due = selectors.obligation_due_date(obligation, period)
        rng = _rng(self.seed, obligation.contract.code, obligation.kind, aanbieder.name, period)
        roles, kind = self.roles, obligation.kind
        story = (  # uitstroomredenen in the contract of the aanbieder's story
            kind == ReportKind.UITSTROOMREDENEN
            and obligation.contract_id == self.story_contract.get(aanbieder.pk)
        )
        if due >= self.today:
            self.current_cell(obligation, aanbieder, period, opens, rng)
            return
        late = aanbieder.pk in roles.late and rng.random() < 0.75
        if aanbieder.pk in (roles.demo, roles.clean):
            late = False
        if late:
            submit_at = _office(rng, due + dt.timedelta(days=rng.randint(3, 35)), forward=True)
        else:
            day = max(opens, due - dt.timedelta(days=rng.randint(0, 25)))
            submit_at = _office(rng, day, forward=False)
            if submit_at.date() < opens:
                submit_at = _office(rng, opens, forward=True)
        draft_day = max(opens, submit_at.date() - dt.timedelta(days=rng.randint(0, 6)))
        draft_at = min(_office(rng, draft_day, forward=True), submit_at - dt.timedelta(hours=1))
        draft_at = max(draft_at, _moment(opens, 8))
        if not self.past(draft_at):
            return
        explained = story and aanbieder.pk == roles.explained and period == EXPLAINED_PERIOD
        extra = (
            over_tolerance_extra(obligation=obligation, derived=self.derived(aanbieder.pk, period))
            if explained
            else 0
        )
        demo_return = (
            kind == ReportKind.TEVREDENHEID
            and aanbieder.pk == roles.demo
            and period == latest
            and obligation.contract_id == self.story_contract.get(aanbieder.pk)
        )
        returned = story and aanbieder.pk == roles.returned and period == RETURNED_PERIOD
        report = self.save(
            obligation,
            aanbieder,
            period,
            draft_at,
            rng=None if returned else rng,
            extra=extra,
            only=("0505", "0642") if demo_return else (),
            wlz_as_overig=returned,
        )
        self.tally.reports += 1
        if story and aanbieder.pk == roles.missing and period == MISSING_PERIOD:
            return  # the concept was never submitted: te laat
        if not self.past(submit_at):
            return
        self.submit(report, submit_at, EXPLANATION.format(n=extra) if explained else "")
        review_at = _office(
            rng, submit_at.date() + dt.timedelta(days=rng.randint(3, 16)), forward=True
        )
        if demo_return:
            if self.past(review_at):
                self.give_back(report, RETURN_REASON_SURVEY, review_at)
            return  # aanbieder1 still has to act on it
        if story and aanbieder.pk == roles.demo and period == latest:
            return  # submitted, waiting for the gemeente
        if returned:
            self.give_back(report, RETURN_REASON_OUTFLOW, review_at)
            again = review_at + dt.timedelta(days=rng.randint(2, 5), hours=1)
            self.save(obligation, aanbieder, period, again, rng=None)
            self.submit(report, again + dt.timedelta(hours=2))
            self.accept(report, again + dt.timedelta(days=rng.randint(3, 8)))
            return
        recent = self.now - submit_at < dt.timedelta(days=60)
        if recent and aanbieder.pk not in (roles.clean, roles.corrected) and rng.random() < 0.5:
            return  # not yet reviewed
        if not self.past(review_at):
            return
        self.accept(report, review_at)
        if story and aanbieder.pk == roles.corrected and period == latest:
            fix_at = min(
                review_at + dt.timedelta(days=25),
                _office(rng, self.today - dt.timedelta(days=6), forward=False),
            )
            if fix_at > review_at:
                self.correct(report, obligation, aanbieder, period, fix_at)

    def correct(
        self,
        report: Report,
        obligation: ReportingObligation,
        aanbieder: Aanbieder,
        period: str,
        at: dt.datetime,
    ) -> None:
        """A correction after acceptance: a new version, submitted, not yet accepted."""
        content = outflow_content(
            obligation=obligation, derived=self.derived(aanbieder.pk, period), rng=None
        )
        row = content["rijen"][0]
        if row["andere_maatwerkvoorziening"] > 0:
            row["andere_maatwerkvoorziening"] -= 1
        else:
            row["overig"] += 1
        row["overig_toelichting"] = CORRECTION_NOTE if row["overig"] else ""
        if not row["overig"]:
            row.pop("overig_toelichting")
        reporting.save_draft(
            actor=self.submitters[aanbieder.pk],
            obligation=obligation,
            aanbieder=aanbieder,
            period=period,
            content=content,
            at=at,
        )
        self.submit(report, at + dt.timedelta(minutes=40))

    def current_cell(
        self,
        obligation: ReportingObligation,
        aanbieder: Aanbieder,
        period: str,
        opens: dt.date,
        rng: random.Random,
    ) -> None:
        """A period that is open and not yet due: aanbieder1 has a concept (saved now); of the
        others some submitted early, some saved a concept, the rest did not start."""
        if aanbieder.pk == self.roles.demo:
            self.save(obligation, aanbieder, period, None, rng=rng, partial=True)
            self.tally.reports += 1
            return
        window = (self.today - opens).days
        chance = rng.random()
        if window < 2 or chance >= 0.6:
            return
        draft_at = _office(rng, opens + dt.timedelta(days=rng.randint(0, window - 1)), forward=True)
        if not self.past(draft_at):
            return
        report = self.save(obligation, aanbieder, period, draft_at, rng=rng)
        self.tally.reports += 1
        submit_at = draft_at + dt.timedelta(hours=rng.randint(1, 30))
        if chance < 0.3 and self.past(submit_at):
            self.submit(report, submit_at)


def _ensure_obligations(manager: User, tally: Tally) -> list[ReportingObligation]:
    obligations = []
    set_up = _moment(dt.date(*OBLIGATIONS_SET_UP[:3]), OBLIGATIONS_SET_UP[3])
    for contract in Contract.objects.order_by("code"):
        for plan in OBLIGATIONS:
            obligation = ReportingObligation.objects.filter(
                contract=contract, kind=plan.kind
            ).first()
            if obligation is None:
                obligation = reporting.obligation_create(
                    actor=manager,
                    contract=contract,
                    kind=plan.kind,
                    period_type=plan.period_type,
                    first_period=plan.first_period,
                    due_rule=plan.due_rule,
                    due_days=plan.due_days,
                    due_month=plan.due_month,
                    due_day=plan.due_day,
                    open_days_before_due=plan.open_days_before_due,
                    help_text=plan.help_text,
                    at=set_up,
                )
                tally.obligations += 1
            obligations.append(obligation)
    return obligations


EXEMPTION_REASON = (
    "Kleine aanbieder: vrijgesteld van de jaarlijkse klachtenrapportage; klachten komen aan de "
    "orde in het voortgangsgesprek."
)


GENERIC_EXEMPTION_REASON = (
    "Het tevredenheidsonderzoek met de vragenlijst van de regio start in 2024; over 2023 levert "
    "geen aanbieder resultaten aan."
)


def _ensure_exemptions(
    obligations: list[ReportingObligation], roles: Roles, manager: User, tally: Tally
) -> None:
    """A generic exemption (tevredenheid 2023, for everyone) and an individual one (klachten,
    the smallest aanbieder)."""
    granted = _moment(dt.date(*EXEMPTION_GRANTED[:3]), EXEMPTION_GRANTED[3])
    for obligation in obligations:
        if (
            obligation.kind == ReportKind.TEVREDENHEID
            and not obligation.exemptions.filter(aanbieder__isnull=True).exists()
        ):
            reporting.exemption_create(
                actor=manager,
                obligation=obligation,
                aanbieder=None,
                start_date=dt.date(2023, 1, 1),
                end_date=dt.date(2024, 3, 31),
                reason=GENERIC_EXEMPTION_REASON,
                at=granted,
            )
            tally.exemptions += 1
        if obligation.kind != ReportKind.KLACHTEN or roles.exempt is None:
            continue
        if not obligation.contract.aanbieders.filter(pk=roles.exempt).exists():
            continue
        if Exemption.objects.filter(obligation=obligation, aanbieder_id=roles.exempt).exists():
            continue
        reporting.exemption_create(
            actor=manager,
            obligation=obligation,
            aanbieder=Aanbieder.objects.get(pk=roles.exempt),
            start_date=dt.date(2023, 1, 1),
            end_date=None,
            reason=EXEMPTION_REASON,
            at=granted,
        )
        tally.exemptions += 1


def demo_reporting(ctx: Any) -> None:
    """The stage: obligations, the exemption and the replayed reports (see the module text).
    One transaction: the demo is set up completely or not at all.

    Accepting a tevredenheid report imports its answers for K13, but the KPI run of the earlier
    stage was computed without them: when this run accepted any, the KPIs are computed again (same
    peildatum), so the demo shows K13 from the first run on, as every later run would.
    """
    with transaction.atomic():
        tally, run = _demo_reporting(ctx)
    if run is not None and tally.imported_surveys:
        from wmo_sla.kpis.services import kpis_compute

        new = kpis_compute(as_of=run.as_of)
        ctx.notes.append(
            f"KPI's opnieuw berekend (#{new.pk}, peildatum {new.as_of}): de geaccepteerde "
            "tevredenheidsrapportages tellen mee in K13."
        )


def _demo_reporting(ctx: Any) -> tuple[Tally, ComputationRun | None]:
    from wmo_sla.benchmark.selectors import current_run

    manager = User.objects.filter(username=DEMO_CONTRACTMANAGER).first()
    run = current_run()
    if manager is None:
        ctx.notes.append("Rapportages: geen contractmanager; niets klaargezet.")
        return Tally(), None
    tally = Tally()
    obligations = _ensure_obligations(manager, tally)
    roles = _roles(run)
    _ensure_exemptions(obligations, roles, manager, tally)
    contracts = {o.contract_id: o.contract for o in obligations}
    members: dict[int, list[Aanbieder]] = {
        pk: list(contract.aanbieders.order_by("name")) for pk, contract in contracts.items()
    }
    aanbieders = {a.pk: a for group in members.values() for a in group}
    gemeente_codes: dict[int, set[str]] = defaultdict(set)
    woonplaatsen: dict[int, list[str]] = {}
    for pk, contract in contracts.items():
        gemeenten = list(contract.gemeenten.order_by("name"))
        woonplaatsen[pk] = [g.name for g in gemeenten] or ["Dordrecht"]
        for aanbieder in members[pk]:
            gemeente_codes[aanbieder.pk].update(g.cbs_code for g in gemeenten)
    replay = Replay(
        seed=getattr(ctx, "seed", 1),
        manager=manager,
        run=run,
        now=timezone.now(),
        roles=roles,
        submitters=_submitters(list(aanbieders.values())),
        gemeente_codes={pk: sorted(codes) for pk, codes in gemeente_codes.items()},
        story_contract={
            aanbieder.pk: contract.pk
            for contract in sorted(contracts.values(), key=lambda c: c.code, reverse=True)
            for aanbieder in members[contract.pk]
        },
        woonplaatsen=woonplaatsen,
        tally=tally,
    )
    existing = set(
        Report.objects.filter(obligation__in=obligations).values_list(
            "obligation_id", "aanbieder_id", "period"
        )
    )
    for obligation in obligations:
        periods = open_periods(
            selectors.spec_of(obligation),
            obligation.first_period,
            obligation.last_period or None,
            replay.today,
        )
        past = [p for p in periods if selectors.obligation_due_date(obligation, p) < replay.today]
        latest = past[-1] if past else ""
        exemptions = list(obligation.exemptions.all())
        for aanbieder in members[obligation.contract_id]:
            for period in periods:
                if (obligation.pk, aanbieder.pk, period) in existing:
                    continue
                due = selectors.obligation_due_date(obligation, period)
                if selectors.exemption_covering(exemptions, aanbieder.pk, due) is not None:
                    continue
                replay.cell(obligation, aanbieder, period, latest)
    _note(ctx, obligations, tally)
    return tally, run


def _note(ctx: Any, obligations: list[ReportingObligation], tally: Tally) -> None:
    cells = selectors.board_cells(
        ReportingObligation.objects.filter(pk__in=[o.pk for o in obligations])
    )
    counts: dict[str, int] = defaultdict(int)
    for cell in cells:
        counts[str(cell.display_label).lower()] += 1
    board = ", ".join(f"{n} {label}" for label, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    if tally.reports or tally.obligations:
        ctx.notes.append(
            f"Rapportages: {tally.obligations} verplichtingen, {tally.exemptions} vrijstellingen "
            f"en {tally.reports} rapportages teruggespeeld ({tally.submitted} indieningen, "
            f"{tally.accepted} geaccepteerd, {tally.returned} teruggestuurd). Overzicht: {board}."
        )
    else:
        ctx.notes.append(f"Rapportages: al klaargezet, niets toegevoegd. Overzicht: {board}.")
