# SPDX-License-Identifier: EUPL-1.2
"""``wmo-sla norms derive|list|approve|reject``: historical norms from the command line.

Exit codes as in :mod:`wmo_sla.cli`: 0 success, 1 the request had problems (reported, nothing
changed), 2 usage or fatal error (unknown user, no permission, no computation run).
"""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK = 0
EXIT_INPUT_ERRORS = 1
EXIT_FATAL = 2


def _console() -> Any:
    """Tables are wide: when the output is not a terminal (a pipe, a file), do not cut at 80."""
    import sys

    from rich.console import Console

    width = None if sys.stdout.isatty() else 200
    return Console(stderr=False, highlight=False, soft_wrap=True, width=width)


def _setup() -> None:
    from wmo_sla.cli import _setup_django

    _setup_django()


def _value(code: str, value: Any) -> str:
    from wmo_sla.benchmark.formatting import format_figure_value

    return "–" if value is None else format_figure_value(code, float(value))


def _norm_text(norm: Any) -> str:
    if norm is None:
        return "–"
    text = f"{_value(norm.kpi_code, norm.value)} {norm.kind}"
    if norm.status != "vastgesteld":
        text += f" ({norm.status})"
    return text


def _user(console: Any, username: str | None) -> tuple[Any, int | None]:
    """The user named on the command line, or an exit code after a clear message."""
    if not username:
        return None, None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        console.print(f"Onbekende of inactieve gebruiker '{username}'.", markup=False)
        return None, EXIT_FATAL
    return user, None


def cmd_norms_derive(args: argparse.Namespace) -> int:
    _setup()
    from rich.table import Table

    from wmo_sla.kpis.norms import NormsUnavailable, norms_derive

    console = _console()
    user, code = _user(console, args.user)
    if code is not None:
        return code
    try:
        report = norms_derive(year=args.year, method=args.method, actor=user, codes=args.kpi)
    except NormsUnavailable as exc:
        console.print(f"Kan geen normen afleiden: {exc}.", markup=False)
        return EXIT_FATAL
    first, last = report.base_years
    if not report.rows:
        console.print(
            f"Geen kengetallen (regio, jaren {first} en {last}) in berekening #{report.run.pk} "
            f"waaruit een norm voor {report.year} kan worden afgeleid; er is niets voorgesteld.",
            markup=False,
        )
        return EXIT_INPUT_ERRORS
    table = Table(
        title=f"Normvoorstellen {report.year} ({report.method}, basis {first}–{last}, "
        f"berekening #{report.run.pk})"
    )
    for column in (
        "ID",
        "KPI",
        "groep",
        "voorstel",
        "huidige norm",
        "basis",
        "aanbieders",
        "n",
        "uitkomst",
    ):
        table.add_column(column)
    for row in report.rows:
        providers = str(row.n_providers)
        if row.n_providers_excluded:
            providers += f" (+{row.n_providers_excluded} n<20)"
        table.add_row(
            str(row.proposal.pk) if row.proposal else "–",
            row.kpi,
            row.referentiegroep,
            _value(row.kpi, row.value),
            _norm_text(row.current),
            row.base_period,
            providers,
            str(row.n),
            row.outcome,
        )
    console.print(table)
    console.print(
        f"{report.created} nieuw(e) voorstel(len), {len(report.skipped)} overgeslagen. "
        "Vaststellen: wmo-sla norms approve ID … --user GEBRUIKER",
        markup=False,
    )
    return EXIT_OK


_STATUSES = ("voorgesteld", "vastgesteld", "afgewezen", "vervallen")


def cmd_norms_list(args: argparse.Namespace) -> int:
    _setup()
    from rich.table import Table

    from wmo_sla.contracts.models import Norm
    from wmo_sla.kpis.norm_selectors import proposals

    console = _console()
    norms = Norm.objects.select_related("referentiegroep", "approved_by").order_by(
        "year", "referentiegroep__code", "kpi_code"
    )
    if args.year:
        norms = norms.filter(year=args.year)
    if args.status:
        norms = norms.filter(status=args.status)
    table = Table(title="Normen")
    for column in (
        "jaar",
        "KPI",
        "referentiegroep",
        "waarde",
        "soort",
        "status",
        "methode",
        "basis",
        "vastgesteld door",
    ):
        table.add_column(column)
    for norm in norms:
        table.add_row(
            str(norm.year),
            norm.kpi_code,
            norm.referentiegroep.code,
            _value(norm.kpi_code, norm.value),
            norm.kind,
            norm.status,
            norm.method or "–",
            norm.base_period or "–",
            norm.approved_by.username if norm.approved_by else "–",
        )
    console.print(table if table.row_count else "Geen normen gevonden.")
    items = proposals(year=args.year, status=args.status)
    ptable = Table(title="Normvoorstellen")
    for column in ("ID", "jaar", "KPI", "groep", "waarde", "methode", "basis", "aanb.", "n"):
        ptable.add_column(column)
    ptable.add_column("status", no_wrap=True)
    for p in items:
        ptable.add_row(
            str(p.pk),
            str(p.year),
            p.kpi_code,
            p.referentiegroep.code,
            _value(p.kpi_code, p.value),
            p.method,
            p.base_period,
            str(p.n_providers),
            str(p.n),
            p.status,
        )
    console.print(ptable if ptable.row_count else "Geen normvoorstellen gevonden.")
    return EXIT_OK


def _proposals_by_id(console: Any, ids: list[int]) -> tuple[list[Any], int | None]:
    from wmo_sla.contracts.models import NormProposal

    found = {
        p.pk: p for p in NormProposal.objects.filter(pk__in=ids).select_related("referentiegroep")
    }
    missing = [str(i) for i in ids if i not in found]
    if missing:
        console.print(
            f"Onbekend(e) normvoorstel(len): {', '.join(missing)}; er is niets gewijzigd.",
            markup=False,
        )
        return [], EXIT_INPUT_ERRORS
    return [found[i] for i in dict.fromkeys(ids)], None


def _approver(console: Any, username: str) -> tuple[Any, int | None]:
    from wmo_sla.accounts.roles import Capability, has_capability

    user, code = _user(console, username)
    if code is not None:
        return None, code
    if not has_capability(user, Capability.APPROVE_NORMS):
        console.print(
            f"Gebruiker '{username}' mag geen normen vaststellen of afwijzen; dat mag alleen "
            "een contractmanager.",
            markup=False,
        )
        return None, EXIT_FATAL
    return user, None


def cmd_norms_approve(args: argparse.Namespace) -> int:
    _setup()
    from django.db import transaction

    from wmo_sla.kpis.norms import NormDecisionError, norm_approve

    console = _console()
    user, code = _approver(console, args.user)
    if code is not None:
        return code
    items, code = _proposals_by_id(console, args.ids)
    if code is not None:
        return code
    try:
        with transaction.atomic():
            norms = [(p, norm_approve(proposal=p, actor=user)) for p in items]
    except NormDecisionError as exc:
        console.print(f"{exc} Er is niets vastgesteld.", markup=False)
        return EXIT_INPUT_ERRORS
    for proposal, norm in norms:
        console.print(
            f"Voorstel #{proposal.pk} vastgesteld: norm {norm.kpi_code} "
            f"{norm.referentiegroep.code} {norm.year} = {_value(norm.kpi_code, norm.value)} "
            f"(door {user.username}; in het auditlog).",
            markup=False,
        )
    return EXIT_OK


def cmd_norms_reject(args: argparse.Namespace) -> int:
    _setup()
    from wmo_sla.kpis.norms import NormDecisionError, norm_reject

    console = _console()
    user, code = _approver(console, args.user)
    if code is not None:
        return code
    items, code = _proposals_by_id(console, [args.id])
    if code is not None:
        return code
    try:
        proposal = norm_reject(proposal=items[0], actor=user, reason=args.reason)
    except NormDecisionError as exc:
        console.print(f"{exc} Er is niets gewijzigd.", markup=False)
        return EXIT_INPUT_ERRORS
    console.print(
        f"Voorstel #{proposal.pk} afgewezen (door {user.username}; in het auditlog).",
        markup=False,
    )
    return EXIT_OK


def add_norms_parser(sub: Any) -> None:
    """Register ``wmo-sla norms …`` on the main parser's subparsers."""
    norms = sub.add_parser(
        "norms",
        help="Historische normen afleiden, bekijken, vaststellen en afwijzen.",
        description="Historische normen afleiden, bekijken, vaststellen en afwijzen "
        "(docs/norms.md).",
    )
    nsub = norms.add_subparsers(dest="norms_command", metavar="ACTION")
    nsub.required = True
    derive = nsub.add_parser(
        "derive",
        help="Stel historische normen voor een jaar voor uit de kengetallen van de twee jaren "
        "ervoor (laatste berekening).",
    )
    derive.add_argument("--year", type=int, required=True, help="Normjaar, bv. 2025.")
    derive.add_argument(
        "--method",
        choices=["pooled", "p75", "p90"],
        default="pooled",
        help="pooled (standaard): Σ tellers ÷ Σ noemers; p75/p90: percentiel van aanbieders "
        "met n ≥ 20.",
    )
    derive.add_argument(
        "--kpi", nargs="+", metavar="CODE", help="Alleen deze codes, bv. K8 K11s (K8 = K8 en K8u)."
    )
    derive.add_argument("--user", help="Gebruikersnaam voor het auditlog (optioneel).")
    derive.set_defaults(handler=cmd_norms_derive)
    listing = nsub.add_parser("list", help="Toon normen en normvoorstellen.")
    listing.add_argument("--year", type=int, help="Alleen dit jaar.")
    listing.add_argument("--status", choices=_STATUSES, help="Alleen deze status.")
    listing.set_defaults(handler=cmd_norms_list)
    approve = nsub.add_parser(
        "approve", help="Stel normvoorstellen vast (alles of niets; contractmanager)."
    )
    approve.add_argument(
        "ids", nargs="+", type=int, metavar="ID", help="Nummer(s) van voorstellen."
    )
    approve.add_argument("--user", required=True, help="Gebruikersnaam van de contractmanager.")
    approve.set_defaults(handler=cmd_norms_approve)
    reject = nsub.add_parser(
        "reject", help="Wijs een normvoorstel af, met reden (contractmanager)."
    )
    reject.add_argument("id", type=int, metavar="ID", help="Nummer van het voorstel.")
    reject.add_argument("--user", required=True, help="Gebruikersnaam van de contractmanager.")
    reject.add_argument("--reason", required=True, help="Reden van de afwijzing.")
    reject.set_defaults(handler=cmd_norms_reject)
