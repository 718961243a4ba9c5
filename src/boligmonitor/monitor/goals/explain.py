"""Plain-language explanations of goal verdicts, Danish first, English available.

The CLI and the status report both use these sentences, so a verdict reads the same everywhere:
why an indicator got its verdict, and why a goal's verdict differs from the one the status
report itself published.
"""

from __future__ import annotations

from boligmonitor.i18n import N_, Language, fmt_number, localized, translate
from boligmonitor.monitor.goals.evaluate import GoalEvaluation, IndicatorEvaluation
from boligmonitor.monitor.goals.model import Catalogue, Indicator, TargetKind, Unit, Verdict

__all__ = [
    "disagreement_text",
    "fmt_value",
    "indicator_text",
    "unit_label",
    "verdict_label",
]

# The words below are msgids of the catalogue (boligmonitor.i18n.translate).
_VERDICTS: dict[Verdict, str] = {
    Verdict.PROGRESS: N_("Progress"),
    Verdict.NO_CLEAR_CHANGE: N_("No clear change"),
    Verdict.REGRESS: N_("Regress"),
    Verdict.UNCERTAIN: N_("Uncertain"),
}
#: The unit written after a number (none for grades and counts).
_UNITS: dict[Unit, str | None] = {
    Unit.PCT: N_("%"),
    Unit.GRADE: None,
    Unit.YEARS: N_("years"),
    Unit.COUNT: None,
    Unit.PER_KM: N_("per km"),
    Unit.KM: N_("km"),
}
_BREAK_KINDS: dict[str, str] = {
    "new_source": N_("new data source"),
    "method": N_("changed method"),
    "covid": N_("COVID-19"),
    "definition": N_("changed definition"),
    "coverage": N_("changed coverage"),
    "survey": N_("changed survey"),
}


def verdict_label(verdict: Verdict | None, lang: Language = "da") -> str:
    """The verdict's name: ``Fremgang``, ``Ingen klar ændring``, ``Tilbagegang``, ``Usikker``."""
    if verdict is None:
        return "–"
    return translate(_VERDICTS[verdict], lang)


def unit_label(unit: Unit, lang: Language = "da") -> str:
    """The unit as written after a number (empty for grades and counts)."""
    msgid = _UNITS[unit]
    return "" if msgid is None else translate(msgid, lang)


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
        return f"{number} {translate('pp', lang)}"
    unit = unit_label(indicator.unit, lang)
    return f"{number} {unit}".rstrip()


def _decimals_of(value: float) -> int:
    """How many decimals a published figure has (at most 3)."""
    text = f"{value:.3f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def indicator_text(result: IndicatorEvaluation, indicator: Indicator, lang: Language = "da") -> str:
    """Why an indicator got its verdict, in one sentence."""
    reason = result.reason
    if reason == "context":
        return translate("Context figure; not judged.", lang)
    if reason == "no_data":
        return translate("No comparable figures for the baseline and the status.", lang)
    span = f"{result.baseline_year}–{result.year}"
    if reason == "data_break":
        return _break_text(result, indicator, lang)
    if reason == "not_significant":
        p = fmt_number(result.p_value, 2, lang)
        return translate(
            "The change {span} is not statistically significant (two-proportion test, p = {p}).",
            lang,
            span=span,
            p=p,
        )
    if reason == "reported_not_significant":
        return translate(
            "The administration judges the change {span} not significant.", lang, span=span
        )
    return _movement_text(result, indicator, lang)


def _break_text(result: IndicatorEvaluation, indicator: Indicator, lang: Language) -> str:
    years = ", ".join(str(y) for y in result.break_years)
    kinds = {
        n.kind for n in indicator.notes if n.breaks_series and set(n.years) & {*result.break_years}
    }
    what = ", ".join(sorted(translate(_BREAK_KINDS.get(k, k), lang) for k in kinds))
    text = translate(
        "Data break in {years} ({what}): {baseline} and {year} cannot be compared.",
        lang,
        years=years,
        what=what,
        baseline=result.baseline_year,
        year=result.year,
    )
    if result.indication is not None and result.indication_years is not None:
        first, last = result.indication_years
        label = verdict_label(result.indication, lang).lower()
        text += translate(
            " The comparable part {first}–{last} shows {label}.",
            lang,
            first=first,
            last=last,
            label=label,
        )
    return text


def _movement_text(result: IndicatorEvaluation, indicator: Indicator, lang: Language) -> str:
    span = f"{result.baseline_year}–{result.year}"
    if result.gap is not None and result.baseline_gap is not None and _judges_gap(indicator):
        before = fmt_value(result.baseline_gap, indicator, lang, gap=True)
        after = fmt_value(result.gap, indicator, lang, gap=True)
        levels = f"{fmt_value(result.baseline_area, indicator, lang)} → "
        levels += fmt_value(result.area, indicator, lang)
        return translate(
            "Gap to Copenhagen {span}: {before} → {after} (level {levels}).",
            lang,
            span=span,
            before=before,
            after=after,
            levels=levels,
        )
    before = fmt_value(result.baseline_area, indicator, lang)
    after = fmt_value(result.area, indicator, lang)
    return translate(
        "Level {span}: {before} → {after}.", lang, span=span, before=before, after=after
    )


def _label(indicator: Indicator, lang: Language) -> str:
    return localized(indicator.label_da, indicator.label_en, lang)


def _judges_gap(indicator: Indicator) -> bool:
    return indicator.target.kind is TargetKind.APPROACH_CITY


def disagreement_text(goal: GoalEvaluation, catalogue: Catalogue, lang: Language = "da") -> str:
    """Why the verdict differs from the published one (empty when they agree)."""
    if goal.agrees is not False:
        return ""
    spec = catalogue.goal(goal.number)
    judged = [r for r in goal.indicators if r.reason != "context"]
    lines = [
        f"{_label(spec.indicator(r.indicator), lang)}"
        f": {verdict_label(r.verdict, lang).lower()} – "
        f"{indicator_text(r, spec.indicator(r.indicator), lang)}"
        for r in judged
        if r.verdict is not Verdict.UNCERTAIN or r.reason != "no_data"
    ]
    published = verdict_label(goal.published, lang).lower()
    ours = verdict_label(goal.verdict, lang).lower()
    head = translate(
        "The status report says {published}; the evaluation gives {ours}, because: ",
        lang,
        published=published,
        ours=ours,
    )
    return head + " ".join(lines)
