"""Plain-language explanations of goal verdicts, Danish first, English available.

The CLI and the status report both use these sentences, so a verdict reads the same everywhere:
why an indicator got its verdict, and why a goal's verdict differs from the one the status
report itself published.
"""

from __future__ import annotations

from boligmonitor.i18n import Language, fmt_number
from boligmonitor.monitor.goals.evaluate import GoalEvaluation, IndicatorEvaluation
from boligmonitor.monitor.goals.model import Catalogue, Indicator, TargetKind, Unit, Verdict

__all__ = [
    "disagreement_text",
    "fmt_value",
    "indicator_text",
    "unit_label",
    "verdict_label",
]

_VERDICTS: dict[Verdict, tuple[str, str]] = {
    Verdict.PROGRESS: ("Fremgang", "Progress"),
    Verdict.NO_CLEAR_CHANGE: ("Ingen klar ændring", "No clear change"),
    Verdict.REGRESS: ("Tilbagegang", "Regress"),
    Verdict.UNCERTAIN: ("Usikker", "Uncertain"),
}
_UNITS: dict[Unit, tuple[str, str]] = {
    Unit.PCT: ("%", "%"),
    Unit.GRADE: ("", ""),
    Unit.YEARS: ("år", "years"),
    Unit.COUNT: ("", ""),
    Unit.PER_KM: ("pr. km", "per km"),
    Unit.KM: ("km", "km"),
}
_BREAK_KINDS: dict[str, tuple[str, str]] = {
    "new_source": ("ny datakilde", "new data source"),
    "method": ("ændret metode", "changed method"),
    "covid": ("COVID-19", "COVID-19"),
    "definition": ("ændret definition", "changed definition"),
    "coverage": ("ændret dækning", "changed coverage"),
    "survey": ("ændret undersøgelse", "changed survey"),
}


def verdict_label(verdict: Verdict | None, lang: Language = "da") -> str:
    """The verdict's name: ``Fremgang``, ``Ingen klar ændring``, ``Tilbagegang``, ``Usikker``."""
    if verdict is None:
        return "–"
    da, en = _VERDICTS[verdict]
    return da if lang == "da" else en


def unit_label(unit: Unit, lang: Language = "da") -> str:
    """The unit as written after a number (empty for grades and counts)."""
    da, en = _UNITS[unit]
    return da if lang == "da" else en


def fmt_value(
    value: float | None,
    indicator: Indicator,
    lang: Language = "da",
    gap: bool = False,
    published: bool = False,
) -> str:
    """A value in the indicator's unit; a gap in percent is in percentage points.

    A ``published`` value keeps the decimals it was published with (8,55 stays 8,55), at least
    the indicator's.
    """
    if value is None:
        return "–"
    decimals = 0 if indicator.unit is Unit.COUNT else indicator.decimals
    if published:
        decimals = max(decimals, _decimals_of(value))
    number = fmt_number(value, decimals, lang)
    if gap and indicator.unit is Unit.PCT:
        return f"{number} {'procentpoint' if lang == 'da' else 'pp'}"
    unit = unit_label(indicator.unit, lang)
    return f"{number} {unit}".rstrip()


def _decimals_of(value: float) -> int:
    """How many decimals a published figure has (at most 3)."""
    text = f"{value:.3f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def indicator_text(result: IndicatorEvaluation, indicator: Indicator, lang: Language = "da") -> str:
    """Why an indicator got its verdict, in one sentence."""
    da = lang == "da"
    reason = result.reason
    if reason == "context":
        return "Baggrundstal; vurderes ikke." if da else "Context figure; not judged."
    if reason == "no_data":
        return (
            "Ingen sammenlignelige tal for baseline og status."
            if da
            else "No comparable figures for the baseline and the status."
        )
    span = f"{result.baseline_year}–{result.year}"
    if reason == "data_break":
        return _break_text(result, indicator, lang)
    if reason == "not_significant":
        p = fmt_number(result.p_value, 2, lang)
        return (
            f"Ændringen {span} er ikke statistisk signifikant (to-andels-test, p = {p})."
            if da
            else f"The change {span} is not statistically significant (two-proportion test, "
            f"p = {p})."
        )
    if reason == "reported_not_significant":
        return (
            f"Forvaltningen vurderer, at ændringen {span} ikke er signifikant."
            if da
            else f"The administration judges the change {span} not significant."
        )
    return _movement_text(result, indicator, lang)


def _break_text(result: IndicatorEvaluation, indicator: Indicator, lang: Language) -> str:
    years = ", ".join(str(y) for y in result.break_years)
    da = lang == "da"
    kinds = {
        n.kind for n in indicator.notes if n.breaks_series and set(n.years) & {*result.break_years}
    }
    what = ", ".join(sorted(_BREAK_KINDS.get(k, (k, k))[0 if da else 1] for k in kinds))
    text = (
        f"Databrud i {years} ({what}): tallene {result.baseline_year} og {result.year} kan ikke "
        "sammenlignes."
        if da
        else f"Data break in {years} ({what}): {result.baseline_year} and {result.year} cannot "
        "be compared."
    )
    if result.indication is not None and result.indication_years is not None:
        first, last = result.indication_years
        label = verdict_label(result.indication, lang).lower()
        text += (
            f" Den sammenlignelige del {first}–{last} viser {label}."
            if da
            else f" The comparable part {first}–{last} shows {label}."
        )
    return text


def _movement_text(result: IndicatorEvaluation, indicator: Indicator, lang: Language) -> str:
    da = lang == "da"
    span = f"{result.baseline_year}–{result.year}"
    if result.gap is not None and result.baseline_gap is not None and _judges_gap(indicator):
        before = fmt_value(result.baseline_gap, indicator, lang, gap=True)
        after = fmt_value(result.gap, indicator, lang, gap=True)
        levels = f"{fmt_value(result.baseline_area, indicator, lang)} → "
        levels += fmt_value(result.area, indicator, lang)
        return (
            f"Forskellen til København {span}: {before} → {after} (niveau {levels})."
            if da
            else f"Gap to Copenhagen {span}: {before} → {after} (level {levels})."
        )
    before = fmt_value(result.baseline_area, indicator, lang)
    after = fmt_value(result.area, indicator, lang)
    return f"{'Niveau' if da else 'Level'} {span}: {before} → {after}."


def _judges_gap(indicator: Indicator) -> bool:
    return indicator.target.kind is TargetKind.APPROACH_CITY


def disagreement_text(goal: GoalEvaluation, catalogue: Catalogue, lang: Language = "da") -> str:
    """Why the verdict differs from the published one (empty when they agree)."""
    if goal.agrees is not False:
        return ""
    da = lang == "da"
    spec = catalogue.goal(goal.number)
    judged = [r for r in goal.indicators if r.reason != "context"]
    lines = [
        f"{spec.indicator(r.indicator).label_da if da else spec.indicator(r.indicator).label_en}"
        f": {verdict_label(r.verdict, lang).lower()} – "
        f"{indicator_text(r, spec.indicator(r.indicator), lang)}"
        for r in judged
        if r.verdict is not Verdict.UNCERTAIN or r.reason != "no_data"
    ]
    published = verdict_label(goal.published, lang).lower()
    ours = verdict_label(goal.verdict, lang).lower()
    head = (
        f"Statusrapporten angiver {published}; beregningen giver {ours}, fordi: "
        if da
        else f"The status report says {published}; the evaluation gives {ours}, because: "
    )
    return head + " ".join(lines)
