"""Plain-language explanations of designations, Danish first, English available.

Every text comes from the one gettext catalogue (:func:`boligmonitor.i18n.translate`).
"""

from __future__ import annotations

from boligmonitor.i18n import Language, fmt_number, fmt_pct, fmt_pp, translate
from boligmonitor.rules.criteria import CriterionResult
from boligmonitor.rules.evaluate import AreaDesignation, YearStatus
from boligmonitor.rules.model import Comparison, RuleSet

__all__ = ["designation_label", "explain_text"]

_COMPARISON_WORDS = {
    Comparison.GT: "above",
    Comparison.GE: "at least",
    Comparison.LT: "below",
    Comparison.LE: "at most",
}
_HELD = {True: "yes", False: "no", None: "unknown"}
_ORIGIN = {
    "computed": "computed",
    "published": "published",
    "derived": "derived from the record",
    "file": "history file",
    None: "no data",
}


def _decimals(value: float | None) -> int:
    """One decimal as published, two where the value has them (e.g. a 2,03 % threshold)."""
    return 1 if value is None or round(value, 1) == round(value, 2) else 2


def designation_label(rule_set: RuleSet, designation_id: str, lang: Language = "da") -> str:
    """The human label of a designation id in a rule set (the rule data's own words)."""
    for designation in rule_set.designations:
        if designation.id == designation_id:
            return {"da": designation.label_da, "en": designation.label_en}[lang]
    return designation_id


def _labels(rule_set: RuleSet, ids: list[str], lang: Language) -> str:
    if not ids:
        return translate("none", lang)
    return ", ".join(designation_label(rule_set, d, lang).lower() for d in ids)


def _unknown_line(result: CriterionResult, label: str, lang: Language) -> str:
    if result.value is not None and result.threshold is None:
        return f"  ? {label}: {translate('threshold unknown — never counted as met', lang)}"
    return f"  ? {label}: {translate('unknown value — never counted as met', lang)}"


def _criterion_line(result: CriterionResult, rule_set: RuleSet, lang: Language) -> str:
    criterion = rule_set.criterion(result.id)
    label = {"da": criterion.label_da, "en": criterion.label_en}[lang]
    if result.met is None or result.value is None or result.margin is None:
        return _unknown_line(result, label, lang)
    rule = translate(_COMPARISON_WORDS[Comparison(result.comparison)], lang)
    head = (
        f"{label}: {fmt_pct(result.value, _decimals(result.value), lang)} "
        f"({translate('threshold', lang)}: {rule} "
        f"{fmt_pct(result.threshold, _decimals(result.threshold), lang)})"
    )
    if result.met and result.margin == 0:
        verdict = translate("met, exactly at the threshold", lang)
    elif result.met:
        margin = fmt_pp(result.margin, _decimals(result.margin), lang)
        verdict = translate("met by {margin}", lang, margin=margin)
    else:
        margin = fmt_pp(-result.margin, _decimals(result.margin), lang)
        verdict = translate("not met, {margin} short", lang, margin=margin)
    mark = "✔" if result.met else "✘"
    line = f"  {mark} {head} — {verdict}."
    if result.flip_persons is not None and result.population is not None:
        line += " " + _flip_sentence(result, criterion.age_band, lang)
    return line


def _flip_sentence(result: CriterionResult, band: str | None, lang: Language) -> str:
    n = fmt_number(result.population, 0, lang)
    if result.population_estimated:
        n = translate("about {n}", lang, n=n)
    band_text = translate(" aged {band}", lang, band=band) if band else ""
    pop = translate("of {n} in the group{band}", lang, n=n, band=band_text)
    if result.population_estimated:
        pop += translate(", estimated from residents", lang)
    persons = translate("person" if result.flip_persons == 1 else "persons", lang)
    key = (
        "{n} {persons} ({pop}) would have to change status for the criterion to no longer be met."
        if result.met
        else "{n} {persons} ({pop}) would have to change status for the criterion to be met."
    )
    return translate(
        key, lang, n=fmt_number(result.flip_persons, 0, lang), persons=persons, pop=pop
    )


def _status_text(status: YearStatus, lang: Language) -> str:
    held = translate(_HELD[status.held], lang)
    origin = translate(_ORIGIN.get(status.origin, "no data"), lang)
    text = f"{status.year} {held} ({origin}"
    if status.origin in ("published", "derived", "file") and status.computed is not None:
        text += "; " + translate(
            "computed: {held}", lang, held=translate(_HELD[status.computed], lang)
        )
    return text + ")"


def _history_line(label: str, statuses: list[YearStatus], lang: Language) -> str:
    years = ", ".join(_status_text(s, lang) for s in statuses)
    line = translate("History of {label}: {years}.", lang, label=label.lower(), years=years)
    if any(s.origin in ("published", "derived", "file") for s in statuses):
        line += " " + translate(
            "Where a published list exists for a year, it decides over the computed result.",
            lang,
        )
    return line


def _residents_line(result: AreaDesignation, lang: Language) -> str:
    if result.residents is not None:
        return translate("Residents: {n}.", lang, n=fmt_number(result.residents, 0, lang))
    if result.residents_at_least is not None:
        n = fmt_number(result.residents_at_least, 0, lang)
        return translate("Residents: at least {n} (only a lower bound is known).", lang, n=n)
    return translate("Number of residents unknown.", lang)


def explain_text(result: AreaDesignation, rule_set: RuleSet, lang: Language = "da") -> str:
    """Explain one area's designations under one rule set, criterion by criterion.

    Parameters
    ----------
    result
        From :func:`~boligmonitor.rules.evaluate.evaluate`.
    rule_set
        The rule set the result was computed under (for labels).
    lang
        ``"da"`` (default) or ``"en"``.
    """
    lines = [_heading(result, rule_set, lang), _residents_line(result, lang)]
    if result.below_population_minimum:
        lines.extend(_population_minimum_lines(result, rule_set, lang))
    lines.extend(_designation_lines(result, rule_set, lang))
    lines.append(translate("Criteria:", lang))
    lines.extend(_criterion_line(c, rule_set, lang) for c in result.criteria.values())
    lines.extend(
        _history_line(designation_label(rule_set, designation_id, lang), statuses, lang)
        for designation_id, statuses in result.history.items()
    )
    return "\n".join(lines)


def _heading(result: AreaDesignation, rule_set: RuleSet, lang: Language) -> str:
    """The area, the list year and the rule set."""
    return translate(
        "{name} ({area_id}) — list {year}, rule set {rule_set} ({version})",
        lang,
        name=result.area_name,
        area_id=result.area_id,
        year=result.year,
        rule_set=rule_set.id,
        version=rule_set.version,
    )


def _population_minimum_lines(
    result: AreaDesignation, rule_set: RuleSet, lang: Language
) -> list[str]:
    """Why an area below the population minimum is not designated, and what it would be."""
    minimum = fmt_number(rule_set.population_minimum, 0, lang)
    would_be = _labels(rule_set, result.designations_if_population_met, lang)
    return [
        translate(
            "Below the minimum of {min} residents: the area cannot be designated.",
            lang,
            min=minimum,
        ),
        translate(
            "With at least {min} residents the area would be: {list}.",
            lang,
            min=minimum,
            list=would_be,
        ),
    ]


def _designation_lines(result: AreaDesignation, rule_set: RuleSet, lang: Language) -> list[str]:
    """The designations held and those that cannot be decided."""
    held = _labels(rule_set, result.designations, lang)
    lines = [translate("Designations: {list}.", lang, list=held)]
    if result.designations_unknown:
        unknown = _labels(rule_set, result.designations_unknown, lang)
        lines.append(translate("Cannot be decided (unknown values): {list}.", lang, list=unknown))
    return lines
