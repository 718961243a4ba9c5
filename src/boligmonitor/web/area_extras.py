"""What the area page shows beside the criteria: the reason first, the change since last
year's list, the published list history, the outlook, the funding and the udviklingsplan.

Each piece is optional: an area the published record does not know, a workspace without an
outlook or without pools simply leaves its section out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from boligmonitor.errors import InputError
from boligmonitor.i18n import Language, fmt_number, localized, translate
from boligmonitor.outlook.views import area_fragment
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.explain import designation_label
from boligmonitor.rules.model import RuleSet
from boligmonitor.web.state import WebState

__all__ = [
    "changes_since_last_year",
    "funding_rows",
    "headline",
    "outlook_section",
    "published_history",
    "udviklingsplan_status",
]


def headline(result: AreaDesignation, rule_set: RuleSet, lang: Language) -> str | None:
    """The one sentence to read first when the numbers alone mislead: an area meeting the
    criteria of a list but under the population minimum, or with unknown criteria."""
    labels = [designation_label(rule_set, d, lang).lower() for d in result.designations]
    if result.below_population_minimum and result.designations_if_population_met:
        wanted = [
            designation_label(rule_set, d, lang).lower()
            for d in result.designations_if_population_met
        ]
        return translate(
            "Not designated: the area has {residents} residents, fewer than the minimum of "
            "{minimum}; with enough residents it would be: {labels}.",
            lang,
            residents=fmt_number(result.residents, 0, lang) if result.residents else "?",
            minimum=fmt_number(rule_set.population_minimum, 0, lang),
            labels=", ".join(wanted),
        )
    if result.designations_unknown and not labels:
        return translate(
            "Undecided: some criteria are unknown, so the area may be: {labels}.",
            lang,
            labels=", ".join(
                designation_label(rule_set, d, lang).lower() for d in result.designations_unknown
            ),
        )
    return None


def changes_since_last_year(
    history: Sequence[AreaDesignation], year: int, rule_set: RuleSet, lang: Language
) -> dict[str, Any] | None:
    """Designations gained and lost and criteria that crossed their threshold since the
    previous list year under the same rule set; ``None`` without an earlier year."""
    current = next((r for r in history if r.year == year and r.rule_set == rule_set.id), None)
    earlier = [r for r in history if r.year < year and r.rule_set == rule_set.id]
    if current is None or not earlier:
        return None
    before = max(earlier, key=lambda r: r.year)

    def label(d: str) -> str:
        return designation_label(rule_set, d, lang)

    crossed = []
    for criterion_id, now in current.criteria.items():
        criterion = rule_set.criterion(criterion_id)
        then = before.criteria.get(criterion_id)
        known = then is not None and then.met is not None and now.met is not None
        if known and then is not None and then.met != now.met:
            crossed.append(
                {"label": localized(criterion.label_da, criterion.label_en, lang), "met": now.met}
            )
    return {
        "year": before.year,
        "gained": [label(d) for d in current.designations if d not in before.designations],
        "lost": [label(d) for d in before.designations if d not in current.designations],
        "kept": [label(d) for d in current.designations if d in before.designations],
        "crossed": crossed,
    }


def published_history(state: WebState, area_name: str) -> list[dict[str, Any]] | None:
    """Every published list the area was on, when the published record knows the area."""
    try:
        _, frame = state.call(
            ("record_history", area_name),
            lambda: state.workspace.record.area_history(area_name),
        )
    except InputError:
        return None
    if frame.empty:
        return None
    return [
        {
            "year": int(row["list_year"]),
            "date": str(row["list_date"]),
            "designation": str(row["designation"]),
            "name": str(row["area"]),
            "via": str(row["via"] or ""),
            "published": bool(row["published"]),
        }
        for row in frame.to_dict("records")
    ]


def outlook_section(state: WebState, area_id: str, lang: Language) -> Markup | None:
    """The outlook fragment (probabilities and why the criteria changed), when stored."""
    stored = state.call("outlook_stored", state.workspace.outlook.stored)
    everywhere = state.call("decomposition", state.workspace.movers.stored_decomposition)
    decomposition = None
    if everywhere is not None:
        decomposition = everywhere[everywhere["area_id"] == area_id].reset_index(drop=True)
    rows = None
    if stored is not None and not stored.empty:
        rows = stored[stored["area_id"] == area_id]
    if (rows is None or rows.empty) and (decomposition is None or decomposition.empty):
        return None
    return area_fragment(rows, decomposition, lang)


def funding_rows(state: WebState, area_name: str) -> list[Any]:
    """Agreements, initiatives and pools that fund the area (empty without pools)."""
    from boligmonitor.web.pools import area_funding

    try:
        return list(area_funding(state, area_name))
    except InputError:
        return []


def udviklingsplan_status(state: WebState, area_id: str) -> dict[str, Any] | None:
    """The area's udviklingsplan (§ 168 a) at its deadline: ``share_pct`` of public family
    dwellings and whether the target is ``met``; ``None`` when the area has no plan."""
    facet = state.workspace.udviklingsplaner
    plans = state.call("udviklingsplaner", facet.plans)
    if not any(p.area_id == area_id for p in plans):
        return None
    result = state.call(("udviklingsplan", area_id), lambda: facet.result(area_id))
    return {
        "share_pct": float(result.at_deadline.share) * 100,
        "met": result.met_at_deadline,
        "deadline": result.deadline,
    }
