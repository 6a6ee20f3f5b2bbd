# SPDX-License-Identifier: EUPL-1.2
"""manifest.json: the parameters, the planted persona values and the realised counts.

The realised counts come from the ground truth *restricted to what the messages say* (for
example, an end counts under ``ends_by_reason`` only when its definitive WMO307 was sent before
the cut-off), so a KPI computed from the files should reproduce them. Keys are sorted and the
file is stable for a given seed. Format: docs/generator.md § Manifest.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .model import ScalingRecord, StartRecord, StopRecord, Trajectory, Version, Wmo301, Wmo323
from .personas import assign_personas
from .simulation import EARLY_REASONS, GOAL_REASONS, SimulationResult
from .werkdagen import WerkdagCalendar
from .writer import GENERATOR_NAME

FORMAT_VERSION = 1
RECIDIVE_WINDOW = 365
GAP_DAYS = 1  # KPIS.md G


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _within_norm(trajectory: Trajectory, norm: int) -> bool:
    return trajectory.wait is not None and trajectory.wait <= norm


def _by_client(trajectories: list[Trajectory]) -> dict[int, list[Trajectory]]:
    """Client -> started trajectories (any provider, any group), by begin date."""
    out: dict[int, list[Trajectory]] = {}
    for t in trajectories:
        if t.begin is not None:
            out.setdefault(t.client, []).append(t)
    for items in out.values():
        items.sort(key=lambda t: t.begin or date.min)
    return out


def _alone_at_end(t: Trajectory, others: list[Trajectory]) -> bool:
    """K9 cohort rule: no other trajectory of the client active on the end date."""
    assert t.end is not None
    return not any(
        o is not t
        and o.begin is not None
        and o.begin <= t.end
        and (o.end is None or o.end >= t.end)
        for o in others
    )


def _realised(
    result: SimulationResult,
    trajectories: list[Trajectory],
    starts: list[StartRecord],
    stops: list[StopRecord],
    scalings: list[ScalingRecord],
    versions: list[Version],
    by_client: dict[int, list[Trajectory]],
) -> dict[str, Any]:
    cal: WerkdagCalendar = result.region.calendar
    to = result.date_to
    started = [t for t in trajectories if t.begin is not None]
    norms = {t.group: result.region.groups[t.group].params.norm for t in trajectories}
    waits = [t.wait for t in started if t.wait is not None]
    not_started = [t for t in trajectories if t.begin is None]
    ended = [t for t in trajectories if t.end is not None]
    with_stop = [t for t in ended if t.stop_sent]
    by_reason = Counter(t.reason or "" for t in with_stop)
    goal = sum(by_reason[r] for r in GOAL_REASONS)
    early = sum(by_reason[r] for r in EARLY_REASONS)
    durations = [(t.end - t.begin).days + 1 for t in with_stop if t.end and t.begin]

    cohort = [
        t
        for t in with_stop
        if t.reason in GOAL_REASONS
        and t.end
        and t.end + timedelta(RECIDIVE_WINDOW) <= to
        and _alone_at_end(t, by_client.get(t.client, []))
    ]
    returned = 0
    for t in cohort:
        assert t.end is not None
        low = t.end + timedelta(days=GAP_DAYS)
        high = t.end + timedelta(days=RECIDIVE_WINDOW)
        if any(o.begin and low < o.begin <= high for o in by_client.get(t.client, [])):
            returned += 1

    sent_starts = [s for s in starts if s.first_sent is not None]
    starts_on_time = sum(
        1 for s in sent_starts if s.first_sent and cal.between(s.reference, s.first_sent) <= 5
    )
    leads = [cal.between(s.reference, s.first_sent) for s in sent_starts if s.first_sent]
    sent_stops = [s for s in stops if s.first_sent is not None]
    stops_on_time = sum(
        1 for s in sent_stops if s.first_sent and cal.between(s.einddatum, s.first_sent) <= 5
    )
    directions: Counter[str] = Counter()
    for scaling in scalings:
        old, new = scaling.old.intensity(), scaling.new.intensity()
        if new >= old * 1.1:
            directions["op"] += 1
        elif new <= old * 0.9:
            directions["af"] += 1
        else:
            directions["gelijk"] += 1
    redenen = Counter(v.reden for v in versions if v.reden)
    years: dict[int, dict[str, int]] = {}

    def bump(year: int, key: str, n: int = 1) -> None:
        bucket = years.setdefault(year, {})
        bucket[key] = bucket.get(key, 0) + n

    for t in started:
        bump(t.anchor.year, "wait_started")
        bump(t.anchor.year, "wait_within_norm", int(_within_norm(t, norms[t.group])))
    for t in with_stop:
        if t.end is not None and t.reason in GOAL_REASONS:
            bump(t.end.year, "goal_ends")
            bump(t.end.year, "early_ends", int(t.reason in EARLY_REASONS))
    for s in sent_starts:
        if s.first_sent is not None:
            bump(s.reference.year, "starts_sent")
            bump(
                s.reference.year, "starts_on_time", int(cal.between(s.reference, s.first_sent) <= 5)
            )
    for stop in sent_stops:
        if stop.first_sent is not None:
            bump(stop.einddatum.year, "stops_sent")
            on_time = int(cal.between(stop.einddatum, stop.first_sent) <= 5)
            bump(stop.einddatum.year, "stops_on_time", on_time)
    return {
        "by_year": {
            str(year): dict(sorted(values.items())) for year, values in sorted(years.items())
        },
        "trajectories": {
            "total": len(trajectories),
            "by_kind": dict(sorted(Counter(t.kind for t in trajectories).items())),
            "started": len(started),
            "not_started": len(not_started),
            "open_at_cutoff": sum(1 for t in started if t.end is None),
            "retroactive_starts": sum(1 for t in started if t.retroactive),
        },
        "wait": {
            "started": len(waits),
            "within_norm": sum(1 for t in started if _within_norm(t, norms[t.group])),
            "share_within_norm": _share(
                sum(1 for t in started if _within_norm(t, norms[t.group])), len(started)
            ),
            "median": _median(waits),
            "unit": "werkdagen (beschermd wonen: dagen)",
        },
        "ends_by_reason": dict(sorted(by_reason.items())),
        "ends_without_stop_message": len(ended) - len(with_stop),
        "early_end_share": _share(early, goal),
        "duration_days": {
            "n": len(durations),
            "mean": _mean(durations),
            "median": _median(durations),
        },
        "recidive": {
            "cohort": len(cohort),
            "returned_within_365": returned,
            "share": _share(returned, len(cohort)),
        },
        "start_messages": {
            "starts": len(starts),
            "sent": len(sent_starts),
            "on_time": starts_on_time,
            "share_on_time": _share(starts_on_time, len(sent_starts)),
            "median_lead_werkdagen": _median(leads),
            "missing": sum(1 for s in starts if s.missing),
            "corrected": sum(1 for s in starts if s.corrected),
            "restarts": sum(1 for s in starts if s.restart),
        },
        "stop_messages": {
            "definitive_stops": len(stops),
            "sent": len(sent_stops),
            "on_time": stops_on_time,
            "share_on_time": _share(stops_on_time, len(sent_stops)),
            "missing": sum(1 for s in stops if s.missing),
            "corrected": sum(1 for s in stops if s.corrected),
        },
        "reindications": dict(sorted(directions.items())),
        "reindications_via_vow": sum(1 for s in scalings if s.via_vow),
        "reden_wijziging": dict(sorted(redenen.items())),
    }


def _declaration_totals(messages: Iterable[Wmo323]) -> dict[str, int]:
    prestaties = credits = debet = credit = 0
    for message in messages:
        for lines in message.clients.values():
            for line in lines:
                prestaties += 1
                if line.debet:
                    debet += line.bedrag
                else:
                    credits += 1
                    credit += line.bedrag
    return {
        "prestaties": prestaties,
        "credit_lines": credits,
        "debet_eurocent": debet,
        "credit_eurocent": credit,
    }


def build_manifest(
    result: SimulationResult,
    *,
    clients: int,
    providers: int,
    contract_sha256: str,
    message_counts: dict[str, int],
    files: int,
) -> dict[str, Any]:
    region = result.region
    begins = _by_client(result.trajectories)
    versions_by_provider: dict[str, list[Version]] = {}
    for tw in result.toewijzingen:
        versions_by_provider.setdefault(tw.aanbieder, []).extend(tw.versions)
    declarations = [m for m in result.messages if isinstance(m, Wmo323)]
    provider_entries: dict[str, Any] = {}
    for name, provider in region.providers.items():
        trajectories = [t for t in result.trajectories if t.aanbieder == name]
        starts = [s for s in result.starts if s.aanbieder == name]
        stops = [s for s in result.stops if s.aanbieder == name]
        scalings = [s for s in result.scalings if s.aanbieder == name]
        versions = versions_by_provider.get(name, [])
        realised = _realised(result, trajectories, starts, stops, scalings, versions, begins)
        by_group: dict[str, Any] = {}
        for group in sorted(provider.agb_by_group):
            if group not in region.groups:
                continue
            by_group[group] = _realised(
                result,
                [t for t in trajectories if t.group == group],
                [s for s in starts if s.toewijzing.product.group == group],
                [s for s in stops if s.toewijzing.product.group == group],
                [s for s in scalings if s.old.product.group == group],
                [
                    v
                    for tw in result.toewijzingen
                    if tw.aanbieder == name and tw.product.group == group
                    for v in tw.versions
                ],
                begins,
            )
        realised["by_group"] = by_group
        realised["counters"] = dict(sorted(result.counters.get(name, {}).items()))
        realised["declarations"] = _declaration_totals(
            m for m in declarations if m.aanbieder == name
        )
        provider_entries[name] = {
            "index": provider.index,
            "agb_codes": list(provider.agb_codes),
            "agb_by_group": dict(sorted(provider.agb_by_group.items())),
            "persona": provider.persona.key,
            "planted": provider.persona.planted(),
            "realised": realised,
        }
    n301 = [m for m in result.messages if isinstance(m, Wmo301)]
    return {
        "generator": GENERATOR_NAME,
        "format_version": FORMAT_VERSION,
        "parameters": {
            "clients": clients,
            "providers": providers,
            "date_from": result.date_from.isoformat(),
            "date_to": result.date_to.isoformat(),
            "seed": result.seed,
            "contract_file": region.contract_file,
            "contract_sha256": contract_sha256,
        },
        "files": files,
        "messages": dict(sorted(message_counts.items())),
        "region": {
            "gemeenten": dict(sorted(region.gemeenten.items())),
            "product_groups": {
                code: {
                    "products": [f"{p.categorie}/{p.code}" for p in group.products],
                    "gemeenten": list(group.gemeenten),
                    "providers": list(group.providers),
                    "wait_norm": group.params.norm,
                    "wait_norm_unit": "dagen" if group.params.norm_in_days else "werkdagen",
                }
                for code, group in region.groups.items()
            },
            "clients": len(result.persons),
            "trajectories": len(result.trajectories),
            "toewijzingen": len(result.toewijzingen),
            "toewijzingen_in_301": sum(len(m.items) for m in n301),
            "declarations": _declaration_totals(declarations),
        },
        "personas_by_position": {
            name: {"persona": persona_key, "selected": name in region.providers}
            for name, persona_key in _all_personas(region.all_aanbieders).items()
        },
        "providers": provider_entries,
    }


def _all_personas(names: tuple[str, ...]) -> dict[str, str]:
    return {name: persona.key for name, persona in assign_personas(names).items()}


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
