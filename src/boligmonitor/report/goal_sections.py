"""The goal part of the status report: per approach a summary, per goal its table and verdict.

Everything is formatted here (Danish numbers via :mod:`boligmonitor.i18n`), so the HTML and
Typst templates only place strings.
"""

from __future__ import annotations

from typing import Any

from boligmonitor.i18n import N_, Language, fmt_number, localized, translate
from boligmonitor.monitor.goals.evaluate import Evaluation, GoalEvaluation, IndicatorEvaluation
from boligmonitor.monitor.goals.explain import (
    disagreement_text,
    fmt_value,
    indicator_text,
    verdict_label,
)
from boligmonitor.monitor.goals.model import Catalogue, Goal, Indicator, TargetKind, Value

__all__ = ["approach_sections", "goal_section", "new_area_rows", "status_years"]


def status_years(catalogue: Catalogue, year: int) -> list[int]:
    """The status years up to ``year`` that any indicator has a value for."""
    years = {
        v.year for g in catalogue.goals for i in g.indicators for v in i.series() if v.year <= year
    }
    return sorted(years)


def _cell(value: Value | None, indicator: Indicator, city: bool, lang: Language) -> str:
    if value is None:
        return ""
    if not value.available:
        return translate("Not available", lang)
    number = value.city if city else value.area
    share = value.city_pct if city else value.area_pct
    text = fmt_value(number, indicator, lang, published=True) if number is not None else "–"
    if share is not None:
        text += f" ({fmt_number(share, 1, lang)} %)"
    if value.data_year is not None and value.data_year != value.year and number is not None:
        text += f" [{value.data_year}]"
    return text


def _value_rows(indicator: Indicator, years: list[int], lang: Language) -> list[dict[str, Any]]:
    by_year = {v.year: v for v in indicator.series()}
    groups = [(translate("Vulnerable areas", lang), False)]
    if any(v.city is not None for v in by_year.values()):
        groups.append((translate("Copenhagen", lang), True))
    return [
        {"group": name, "cells": [_cell(by_year.get(y), indicator, city, lang) for y in years]}
        for name, city in groups
    ]


#: How each kind of target reads ({amount} is the target's amount).
_TARGETS = {
    TargetKind.APPROACH_CITY: N_("Approach the Copenhagen level"),
    TargetKind.FALL_PCT: N_("Fall by {amount} %"),
    TargetKind.FALL_PP: N_("Fall by {amount} percentage points"),
    TargetKind.REACH_COUNT: N_("Reach {amount}"),
    TargetKind.RISE: N_("Rise"),
    TargetKind.FALL: N_("Fall"),
    TargetKind.CONTEXT: N_("Context"),
}


def _target_text(indicator: Indicator, lang: Language) -> str:
    target = indicator.target
    amount = fmt_number(target.amount, 0, lang) if target.amount is not None else ""
    msgid = _TARGETS[target.kind]
    if target.kind is TargetKind.REACH_COUNT and target.since_baseline:
        msgid = N_("+{amount} in total")
    text = translate(msgid, lang, amount=amount)
    if target.reach_city:
        text += translate("; level with Copenhagen by 2025", lang)
    return text


def _yes_no(flag: bool | None, lang: Language) -> str:
    if flag is None:
        return "–"
    return translate("Yes", lang) if flag else translate("No", lang)


def _assessment(
    result: IndicatorEvaluation, indicator: Indicator, lang: Language
) -> dict[str, Any]:
    gap = indicator.target.kind is TargetKind.APPROACH_CITY
    return {
        "label": localized(indicator.label_da, indicator.label_en, lang),
        "verdict": verdict_label(result.verdict, lang)
        if result.reason != "context"
        else translate("Context", lang),
        "verdict_id": result.verdict.value if result.reason != "context" else "context",
        "reason": indicator_text(result, indicator, lang),
        "target": _target_text(indicator, lang),
        "target_value": fmt_value(result.target_value, indicator, lang, gap=gap),
        "projected": fmt_value(result.projected, indicator, lang, gap=gap),
        "on_track": _yes_no(result.on_track, lang),
    }


def goal_section(
    goal: Goal,
    result: GoalEvaluation,
    catalogue: Catalogue,
    years: list[int],
    lang: Language = "da",
) -> dict[str, Any]:
    """Everything a goal's section shows, formatted."""
    owners = [
        localized(catalogue.administrations[o].name_da, catalogue.administrations[o].name_en, lang)
        for o in goal.owners
    ]
    results = {r.indicator: r for r in result.indicators}
    return {
        "number": goal.number,
        "title": localized(goal.title_da, goal.title_en, lang),
        "owners": ", ".join(owners),
        # A derived catalogue's source is a msgid; a published one's (a document) stays as is.
        "source": translate(goal.source, lang),
        "verdict": verdict_label(result.verdict, lang),
        "verdict_id": result.verdict.value,
        "published": verdict_label(result.published, lang) if result.published else "–",
        "agrees": result.agrees,
        "disagreement": disagreement_text(result, catalogue, lang),
        "indicators": [
            {
                "label": localized(i.label_da, i.label_en, lang),
                "rows": _value_rows(i, years, lang),
            }
            for i in goal.indicators
        ],
        "assessments": [_assessment(results[i.id], i, lang) for i in goal.indicators],
        "notes": _notes(goal, lang),
        "chart": f"goal-{goal.number}",
    }


def _notes(goal: Goal, lang: Language) -> list[dict[str, Any]]:
    seen: set[str] = set()
    notes = []
    for indicator in goal.indicators:
        for note in indicator.notes:
            text = localized(note.text_da, note.text_en or note.text_da, lang)
            if text in seen:
                continue
            seen.add(text)
            years = ", ".join(str(y) for y in note.years)
            label = translate("Data break", lang) if note.breaks_series else None
            notes.append({"years": years, "break": label, "text": text})
    return notes


def approach_sections(evaluation: Evaluation, lang: Language = "da") -> list[dict[str, Any]]:
    """Per approach: its verdict counts and its goals' sections."""
    catalogue = evaluation.catalogue
    years = status_years(catalogue, evaluation.year)
    sections = []
    for summary in evaluation.approaches:
        approach = catalogue.approach(summary.approach)
        counts = [
            {"verdict": verdict_label(v, lang), "count": n}
            for v, n in sorted(summary.counts.items(), key=lambda item: item[0].value)
        ]
        goals = [
            goal_section(catalogue.goal(n), evaluation.goal(n), catalogue, years, lang)
            for n in summary.goals
        ]
        sections.append(
            {
                "number": approach.number,
                "title": localized(approach.title_da, approach.title_en, lang),
                "description": approach.description_da,
                "counts": counts,
                "goals": goals,
            }
        )
    return sections


def new_area_rows(catalogue: Catalogue, lang: Language = "da") -> list[dict[str, str]]:
    """Baseline figures for areas designated in a later round (values with an ``area_set``)."""
    rows = []
    for goal in catalogue.goals:
        for indicator in goal.indicators:
            for value in indicator.values:
                if value.area_set is None:
                    continue
                rows.append(
                    {
                        "goal": str(goal.number),
                        "label": localized(indicator.label_da, indicator.label_en, lang),
                        "area_set": value.area_set,
                        "area": _cell(value, indicator, False, lang),
                        "city": _cell(value, indicator, True, lang)
                        if value.city is not None
                        else "",
                    }
                )
    return rows
