# SPDX-License-Identifier: EUPL-1.2
"""Walk every URL of the app as an aanbieder-gebruiker and prove no other aanbieder's data leaks.

The walker derives URLs from the URL configuration itself, so a new page, export or API endpoint
is covered automatically; a URL parameter it does not know how to fill fails the test, which forces
whoever adds it to say which object of the *other* aanbieder to probe it with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

import pytest

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ContractFactory,
    NormFactory,
    ProductFactory,
    UserFactory,
)
from wmo_sla.contracts.models import Aanbieder
from wmo_sla.ingest.models import RawMessage

pytestmark = pytest.mark.django_db

OWN_NAME = "Eigen Zorg Alfa"
OTHER_NAME = "Andere Zorg Bravo"
OTHER_AGB = "87654321"
OWN_AGB = "12345678"


@dataclass
class World:
    own: Aanbieder
    other: Aanbieder
    contract_code: str
    provider_user: object
    other_provider_user: object
    contractmanager: object


@pytest.fixture
def world() -> World:
    own = AanbiederFactory(name=OWN_NAME, agb=None)
    AgbCodeFactory(code=OWN_AGB, aanbieder=own)
    other = AanbiederFactory(name=OTHER_NAME, agb=None)
    AgbCodeFactory(code=OTHER_AGB, aanbieder=other)
    contract = ContractFactory(code="IB", aanbieders=[own, other])
    other_only = ContractFactory(code="BW", aanbieders=[other])
    ProductFactory(contract=contract)
    ProductFactory(contract=other_only)
    NormFactory()
    _other_dialogue(other)
    _other_drilldown(other)
    _other_reporting_provider(other, other_only)
    _other_reporting_review(other, contract)
    _other_api_token(other)
    return World(
        own=own,
        other=other,
        contract_code=contract.code,
        provider_user=UserFactory(username="prov", provider=True, aanbieder=own),
        other_provider_user=UserFactory(username="prov-other", provider=True, aanbieder=other),
        contractmanager=UserFactory(username="cm-iso", contractmanager=True),
    )


def _other_dialogue(other: Aanbieder) -> None:
    """The OTHER aanbieder's flagged figure, submitted toelichting, meeting and agreement."""
    import datetime as dt

    from tests.factories import ComputationRunFactory, FigureFactory
    from wmo_sla.dialogue import services as dialogue_services

    other_user = UserFactory(username="prov-other-dialoog", provider=True, aanbieder=other)
    cm = UserFactory(username="cm-dialoog-iso", contractmanager=True)
    figure = FigureFactory(
        run=ComputationRunFactory(), aanbieder=other, kpi="K8", period="2024Q3", numerator=12
    )
    dialogue_services.toelichting_write(
        actor=other_user,
        identity=dialogue_services.FigureIdentity.of(figure),
        figure=figure,
        oorzaak="overig",
        tekst=f"Toelichting van {OTHER_NAME}",
        maatregel="",
        submit=True,
    )
    gesprek = dialogue_services.gesprek_plan(
        actor=cm, aanbieder=other, period="2024Q3", date=dt.date(2024, 11, 1), deelnemers=""
    )
    dialogue_services.afspraak_create(
        actor=cm,
        gesprek=gesprek,
        actie=f"Afspraak {OTHER_NAME}",
        eigenaar="X",
        deadline=dt.date(2025, 1, 1),
    )


def _other_drilldown(other: Aanbieder) -> None:
    """The OTHER aanbieder's stored trajectory (drill-down) and a message behind it."""
    import datetime as dt
    import zlib

    from django.utils import timezone

    import polars as pl

    from tests.factories import ComputationRunFactory, FigureFactory
    from wmo_sla.ingest.models import AanleveringFact, IngestBatch, RawMessage
    from wmo_sla.kpis.unit_store import store_unit_frames

    run = ComputationRunFactory(created_at=timezone.now())
    FigureFactory(run=run, aanbieder=other, kpi="K2a", numerator=9, denominator=None, n=9)
    batch = IngestBatch.objects.create(source="cli", created_at=timezone.now())
    message = RawMessage.objects.create(
        sha256="f" * 64,
        message_type="WMO305",
        berichtcode="415",
        afzender=OTHER_AGB,
        ontvanger="0505",
        identificatie="ISO1",
        dagtekening=dt.date(2024, 1, 3),
        stored_xml=zlib.compress(f"<Bericht>{OTHER_NAME} {OTHER_AGB}</Bericht>".encode()),
        received_at=timezone.now() - dt.timedelta(days=1),
        batch=batch,
        file_name=f"{OTHER_NAME}.xml",
    )
    AanleveringFact.objects.create(
        message=message,
        kind="start",
        aanbieder_agb=OTHER_AGB,
        gemeente="0505",
        client_key="c" * 32,
        toewijzing_nummer=1,
        begindatum=dt.date(2024, 1, 1),
        status_aanlevering="1",
        dagtekening=dt.date(2024, 1, 3),
    )
    tid = f"{'c' * 32}|{OTHER_AGB}|07|20240101"
    common = {"trajectory_id": [tid], "client_key": ["c" * 32], "aanbieder_agb": [OTHER_AGB]}
    store_unit_frames(
        run=run,
        units={
            "trajectories": pl.DataFrame(
                {
                    **common,
                    "gemeente": ["0505"],
                    "product_group": ["07"],
                    "referentiegroep": ["IB"],
                    "start": [dt.date(2024, 1, 1)],
                    "end": [None],
                    "end_reason": [None],
                    "end_kind": ["open"],
                    "instroom_kind": ["nieuw"],
                    "start_afgeleid": [False],
                    "opening_gemeente": ["0505"],
                    "opening_toewijzing_nummer": [1],
                },
                schema_overrides={"end": pl.Date, "end_reason": pl.Utf8},
            ),
            "episodes": pl.DataFrame(
                {
                    **common,
                    "gemeente": ["0505"],
                    "toewijzing_nummer": [1],
                    "begindatum": [dt.date(2024, 1, 1)],
                }
            ),
        },
    )


def _other_reporting_review(other: Aanbieder, contract) -> None:
    """The OTHER aanbieder's submitted report and its exemption (the municipality's pages).
    Reuses an obligation or report another fixture helper already made."""
    import datetime as dt

    from wmo_sla.reporting.models import Exemption, Report, ReportingObligation
    from wmo_sla.reporting.selectors import initial_content
    from wmo_sla.reporting.services import (
        exemption_create,
        obligation_create,
        save_draft,
        submit_report,
    )

    cm = UserFactory(username="cm-rapportage-iso", contractmanager=True)
    obligation = ReportingObligation.objects.filter(
        contract=contract, kind="klachten"
    ).first() or obligation_create(
        actor=cm,
        contract=contract,
        kind="klachten",
        period_type="Y",
        first_period="2024",
        due_rule="vaste_datum",
        due_month=11,
        due_day=30,
        open_days_before_due=61,
    )
    if not Report.objects.filter(aanbieder=other, first_submitted_at__isnull=False).exists():
        other_user = UserFactory(username="prov-other-rapportage", provider=True, aanbieder=other)
        content = initial_content(obligation, other.pk, "2024") or {}
        content.update({"geen_klachten": True, "klachten": []})
        saved = save_draft(
            actor=other_user, obligation=obligation, aanbieder=other, period="2024", content=content
        )
        submit_report(actor=other_user, report=saved.report)
    if not Exemption.objects.filter(aanbieder=other).exists():
        exemption_create(
            actor=cm,
            obligation=obligation,
            aanbieder=other,
            start_date=dt.date(2030, 1, 1),
            end_date=None,
            reason=f"Vrijstelling {OTHER_NAME}",
        )


def _reporting_review_probes(world: World) -> dict[str, list[str]]:
    """The other aanbieder's report, its first version, its exemption, every obligation."""
    from wmo_sla.reporting.models import Exemption, Report, ReportingObligation

    return {
        "report_pk": [
            str(pk)
            for pk in Report.objects.filter(aanbieder=world.other).values_list("pk", flat=True)
        ],
        "version_number": ["1"],
        "exemption_pk": [
            str(pk)
            for pk in Exemption.objects.filter(aanbieder=world.other).values_list("pk", flat=True)
        ],
        "obligation_pk": [
            str(pk) for pk in ReportingObligation.objects.values_list("pk", flat=True)
        ],
    }


def _other_reporting_provider(other: Aanbieder, other_only) -> None:
    """The OTHER aanbieder's uitstroomredenen on a contract only it takes part in: a submitted
    version (receipt) and a draft of the next period (the aanbieder's pages)."""
    from wmo_sla.reporting.selectors import initial_content
    from wmo_sla.reporting.services import obligation_create, save_draft, submit_report

    cm = UserFactory(username="cm-rapportage-aanbieder-iso", contractmanager=True)
    user = UserFactory(username="prov-other-rapportage-aanbieder", provider=True, aanbieder=other)
    obligation = obligation_create(
        actor=cm,
        contract=other_only,
        kind="uitstroomredenen",
        period_type="H",
        first_period="2024H1",
        due_rule="na_periode",
        due_days=42,
    )
    content = initial_content(obligation, other.pk, "2024H1")
    for row in content["rijen"]:
        row.update({key: 0 for key in row if key != "referentiegroep"})
        row.update({"overig": 1, "overig_toelichting": f"Uitstroom {OTHER_NAME}"})
    saved = save_draft(
        actor=user, obligation=obligation, aanbieder=other, period="2024H1", content=content
    )
    submit_report(actor=user, report=saved.report)
    save_draft(actor=user, obligation=obligation, aanbieder=other, period="2024H2", content=content)


def _reporting_provider_probes(world: World) -> dict[str, list[str]]:
    """The aanbieder's pages: the other aanbieder's obligations, its periods and versions."""
    from wmo_sla.reporting.models import ReportingObligation, ReportVersion

    return {
        "obligation_pk": [
            str(pk)
            for pk in ReportingObligation.objects.filter(
                contract__aanbieders=world.other
            ).values_list("pk", flat=True)
        ],
        "period": ["2024H1", "2024H2", "2024"],
        "version_pk": [
            str(pk)
            for pk in ReportVersion.objects.filter(report__aanbieder=world.other).values_list(
                "pk", flat=True
            )
        ],
    }


def _dialogue_probes(world: World) -> dict[str, list[str]]:
    from wmo_sla.dialogue.models import Toelichting, Verbeterafspraak, Voortgangsgesprek
    from wmo_sla.kpis.models import Figure

    def ids(qs) -> list[str]:
        return [str(pk) for pk in qs.filter(aanbieder=world.other).values_list("pk", flat=True)]

    return {
        "figure_id": ids(Figure.objects.all()),
        "toelichting_id": ids(Toelichting.objects.all()),
        "gesprek_id": ids(Voortgangsgesprek.objects.all()),
        "afspraak_id": ids(Verbeterafspraak.objects.all()),
    }


def _other_api_token(other: Aanbieder) -> None:
    """An API token of the OTHER aanbieder (the token page must never show it)."""
    from wmo_sla.api.services import token_create

    user = UserFactory(username="prov-other-api", provider=True, aanbieder=other)
    token_create(actor=None, user=user, name=f"Koppeling {OTHER_NAME}")


def _api_reporting_probes(world: World) -> dict[str, list[str]]:
    """The reporting API: every obligation (the other aanbieder's own and the shared ones), its
    periods, the references of its submissions, its API token."""
    from wmo_sla.api.models import ApiToken
    from wmo_sla.reporting.models import ReportingObligation, ReportVersion

    return {
        "verplichting_id": [
            str(pk) for pk in ReportingObligation.objects.values_list("pk", flat=True)
        ],
        "periode": ["2024H1", "2024H2", "2024"],
        "kenmerk": [
            ref
            for ref in ReportVersion.objects.filter(
                report__aanbieder=world.other, reference__isnull=False
            ).values_list("reference", flat=True)
        ],
        "token_id": [
            str(pk)
            for pk in ApiToken.objects.filter(aanbieder=world.other).values_list("pk", flat=True)
        ],
    }


def _param_values(world: World) -> dict[str, list[str]]:
    """For each URL parameter: the values to probe with, aimed at the other aanbieder's data."""
    return {
        "pk": [str(world.other.pk)],
        "object_id": [str(world.other.pk), str(world.other_provider_user.pk)],
        "id": [str(world.other_provider_user.pk)],
        "code": [world.contract_code, "BW"],
        "app_label": ["contracts", "accounts", "audit"],
        "content_type_id": [str(ContentType.objects.get_for_model(Aanbieder).pk)],
        "url": ["onbekend"],
        # Benchmark overzicht/funnel/exports: a share KPI with limits, a K12 variant, both formats.
        "kpi": ["K8", "K12-19"],
        "fmt": ["csv", "xlsx"],
        **_dialogue_probes(world),
        **_reporting_provider_probes(world),
        **_reporting_review_probes(world),
        **_api_reporting_probes(world),
        # Drill-down: the other aanbieder's first stored trajectory and its message.
        "trajectory_ref": ["0"],
        "message_id": [str(pk) for pk in RawMessage.objects.values_list("pk", flat=True)],
    }


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
# A named group with simple (non-nested) content, as the admin's regexes use.
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^()]*\)")


def _walk(patterns, prefix: str = "", ns: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            sub_ns = (
                f"{ns}:{entry.namespace}" if ns and entry.namespace else (entry.namespace or ns)
            )
            yield from _walk(entry.url_patterns, prefix + _pattern_text(entry.pattern), sub_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + _pattern_text(entry.pattern), entry, ns


def _pattern_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        return "REGEX:" + pattern._regex
    return str(pattern)


def _urls_for(world: World) -> tuple[list[str], list[str]]:
    values = _param_values(world)
    urls: list[str] = []
    unfilled: list[str] = []
    for text, pattern, _ns in _walk(get_resolver().url_patterns):
        if "REGEX:" in text:
            names = list(pattern.pattern.regex.groupindex)
            missing = [n for n in names if n not in values]
            if missing:
                unfilled.append(f"{text} ({', '.join(missing)})")
                continue
            prefix, regex = text.split("REGEX:", 1)
            for combo in _combinations(names, values):
                filled = _REGEX_GROUP.sub(lambda m, c=combo: c[m.group("name")], regex)
                urls.append("/" + prefix + filled.lstrip("^").rstrip("$"))
            continue
        names = [m.group("name") for m in _ROUTE_PARAM.finditer(text)]
        missing = [n for n in names if n not in values]
        if missing:
            unfilled.append(f"{text} ({', '.join(missing)})")
            continue
        for combo in _combinations(names, values):
            url = _ROUTE_PARAM.sub(lambda m, c=combo: c[m.group("name")], text)
            urls.append("/" + url.lstrip("^").rstrip("$"))
    return sorted(set(urls)), unfilled


def _combinations(names: list[str], values: dict[str, list[str]]) -> list[dict[str, str]]:
    combos: list[dict[str, str]] = [{}]
    for name in names:
        combos = [{**c, name: v} for c in combos for v in values[name]]
    return combos


def _leaks(content: str) -> list[str]:
    return [probe for probe in (OTHER_NAME, OTHER_AGB) if probe in content]


def test_every_url_parameter_has_a_probe_value(world):
    _urls, unfilled = _urls_for(world)
    assert unfilled == [], f"URL patterns the isolation walker cannot fill: {unfilled}"


def test_provider_user_never_receives_another_providers_data(client, world):
    urls, _ = _urls_for(world)
    assert len(urls) > 40, "the walker found suspiciously few URLs"
    client.force_login(world.provider_user)
    failures = []
    for url in urls:
        for follow in (False, True):
            response = client.get(url, follow=follow)
            content = response.content.decode(errors="replace")
            if response.status_code >= 500:
                failures.append(f"{url}: HTTP {response.status_code}")
            leaked = _leaks(content)
            if leaked:
                failures.append(f"{url} (follow={follow}): shows {leaked}")
    assert failures == []


def test_provider_user_sees_its_own_organisation(client, world):
    client.force_login(world.provider_user)
    page = client.get(reverse("web:own_aanbieder"), follow=True).content.decode()
    assert OWN_NAME in page and OWN_AGB in page
    api = client.get(reverse("api:aanbieder_list")).json()
    assert [a["name"] for a in api["results"]] == [OWN_NAME]
    assert client.get(reverse("api:aanbieder_detail", args=[world.other.pk])).status_code == 404
    assert client.get(reverse("web:aanbieder_detail", args=[world.other.pk])).status_code == 404
    # A contract the own organisation does not take part in is not visible either.
    assert client.get(reverse("web:contract_detail", args=["BW"])).status_code == 404


def test_probe_is_not_vacuous_contractmanager_does_see_the_other_provider(client, world):
    client.force_login(world.contractmanager)
    urls, _ = _urls_for(world)
    seen = [
        url for url in urls if _leaks(client.get(url, follow=True).content.decode(errors="replace"))
    ]
    assert reverse("web:aanbieder_list") in seen
    assert reverse("api:aanbieder_list") in seen
    # The drill-down probes reach the other aanbieder's trajectory and its message.
    assert any("/traject/0/" in url and "/bericht/" not in url for url in seen)
    assert any("/traject/0/bericht/" in url for url in seen)
    # The reporting API probes reach the other aanbieder's submissions and API token.
    api_probes = _api_reporting_probes(world)
    assert api_probes["kenmerk"] and api_probes["token_id"]
    # The aanbieder's reporting probes reach the other aanbieder's receipt (page and PDF).
    assert any(re.search(r"/rapportages/ontvangst/\d+/$", url) for url in seen)
    # The reporting review probes reach the other aanbieder's report and exemption.
    assert any(re.search(r"/rapportages/rapport/\d+/$", url) for url in seen)
    assert any(url.endswith("/intrekken/") for url in seen)
