"""Plain-language explanations of designations, Danish first, English available."""

from __future__ import annotations

from boligmonitor.i18n import Language, fmt_number, fmt_pct, fmt_pp
from boligmonitor.rules.criteria import CriterionResult
from boligmonitor.rules.evaluate import AreaDesignation, YearStatus
from boligmonitor.rules.model import Comparison, RuleSet

__all__ = ["designation_label", "explain_text"]

_TEXT = {
    "da": {
        "header": "{name} ({area_id}) — liste {year}, regelsæt {rule_set} ({version})",
        "residents": "Beboere: {n}.",
        "residents_unknown": "Antal beboere er ukendt.",
        "below": "Under mindstekravet på {min} beboere: området kan ikke udpeges.",
        "if_met": "Med mindst {min} beboere ville området være: {list}.",
        "designations": "Udpegninger: {list}.",
        "unknown_designations": "Kan ikke afgøres (ukendte værdier): {list}.",
        "none": "ingen",
        "criteria": "Kriterier:",
        "limit": "grænse",
        "met": "opfyldt med {margin}",
        "at": "opfyldt, præcis på grænsen",
        "not_met": "ikke opfyldt, mangler {margin}",
        "unknown": "ukendt værdi — tælles aldrig som opfyldt",
        "flip_off": "{n} {persons} ({pop}) skal skifte status, før kriteriet ikke længere er "
        "opfyldt.",
        "flip_on": "{n} {persons} ({pop}) skal skifte status, før kriteriet bliver opfyldt.",
        "person": "person",
        "persons": "personer",
        "pop": "af {approx}{n} i gruppen{band}",
        "approx": "ca. ",
        "estimated": ", skønnet ud fra antal beboere",
        "history": "Forløb for {label}: {years}.",
        "held": {True: "ja", False: "nej", None: "ukendt"},
    },
    "en": {
        "header": "{name} ({area_id}) — list {year}, rule set {rule_set} ({version})",
        "residents": "Residents: {n}.",
        "residents_unknown": "Number of residents unknown.",
        "below": "Below the minimum of {min} residents: the area cannot be designated.",
        "if_met": "With at least {min} residents the area would be: {list}.",
        "designations": "Designations: {list}.",
        "unknown_designations": "Cannot be decided (unknown values): {list}.",
        "none": "none",
        "criteria": "Criteria:",
        "limit": "threshold",
        "met": "met by {margin}",
        "at": "met, exactly at the threshold",
        "not_met": "not met, {margin} short",
        "unknown": "unknown value — never counted as met",
        "flip_off": "{n} {persons} ({pop}) would have to change status for the criterion to "
        "no longer be met.",
        "flip_on": "{n} {persons} ({pop}) would have to change status for the criterion to be met.",
        "person": "person",
        "persons": "persons",
        "pop": "of {approx}{n} in the group{band}",
        "approx": "about ",
        "estimated": ", estimated from residents",
        "history": "History of {label}: {years}.",
        "held": {True: "yes", False: "no", None: "unknown"},
    },
}


_COMPARISON_WORDS: dict[str, dict[Comparison, str]] = {
    "da": {
        Comparison.GT: "over",
        Comparison.GE: "mindst",
        Comparison.LT: "under",
        Comparison.LE: "højst",
    },
    "en": {
        Comparison.GT: "above",
        Comparison.GE: "at least",
        Comparison.LT: "below",
        Comparison.LE: "at most",
    },
}


def _decimals(value: float | None) -> int:
    """One decimal as published, two where the value has them (e.g. a 2,03 % threshold)."""
    return 1 if value is None or round(value, 1) == round(value, 2) else 2


def designation_label(rule_set: RuleSet, designation_id: str, lang: Language = "da") -> str:
    """The human label of a designation id in a rule set."""
    for designation in rule_set.designations:
        if designation.id == designation_id:
            return designation.label_da if lang == "da" else designation.label_en
    return designation_id


def _labels(rule_set: RuleSet, ids: list[str], lang: Language) -> str:
    if not ids:
        return str(_TEXT[lang]["none"])
    return ", ".join(designation_label(rule_set, d, lang).lower() for d in ids)


def _criterion_line(result: CriterionResult, rule_set: RuleSet, lang: Language) -> str:
    text = _TEXT[lang]
    criterion = rule_set.criterion(result.id)
    label = criterion.label_da if lang == "da" else criterion.label_en
    if result.met is None or result.value is None or result.margin is None:
        return f"  ? {label}: {text['unknown']}"
    rule = _COMPARISON_WORDS[lang][Comparison(result.comparison)]
    limit = text["limit"]
    head = f"{label}: {fmt_pct(result.value, _decimals(result.value), lang)} ({limit}: {rule} "
    head += f"{fmt_pct(result.threshold, _decimals(result.threshold), lang)})"
    if result.met and result.margin == 0:
        verdict = str(text["at"])
    elif result.met:
        verdict = str(text["met"]).format(
            margin=fmt_pp(result.margin, _decimals(result.margin), lang)
        )
    else:
        verdict = str(text["not_met"]).format(
            margin=fmt_pp(-result.margin, _decimals(result.margin), lang)
        )
    mark = "✔" if result.met else "✘"
    line = f"  {mark} {head} — {verdict}."
    if result.flip_persons is not None and result.population is not None:
        line += " " + _flip_sentence(result, criterion.age_band, lang)
    return line


def _flip_sentence(result: CriterionResult, band: str | None, lang: Language) -> str:
    text = _TEXT[lang]
    pop = str(text["pop"]).format(
        approx=text["approx"] if result.population_estimated else "",
        n=fmt_number(result.population, 0, lang),
        band=f" {band} år" if band and lang == "da" else (f" aged {band}" if band else ""),
    )
    if result.population_estimated:
        pop += str(text["estimated"])
    persons = text["person"] if result.flip_persons == 1 else text["persons"]
    key = "flip_off" if result.met else "flip_on"
    return str(text[key]).format(
        n=fmt_number(result.flip_persons, 0, lang), persons=persons, pop=pop
    )


def _history_line(label: str, statuses: list[YearStatus], lang: Language) -> str:
    held = _TEXT[lang]["held"]
    assert isinstance(held, dict)
    years = ", ".join(f"{s.year} {held[s.held]}" for s in statuses)
    return str(_TEXT[lang]["history"]).format(label=label.lower(), years=years)


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
    text = _TEXT[lang]
    minimum = fmt_number(rule_set.population_minimum, 0, lang)
    lines = [
        str(text["header"]).format(
            name=result.area_name,
            area_id=result.area_id,
            year=result.year,
            rule_set=rule_set.id,
            version=rule_set.version,
        )
    ]
    if result.residents is None:
        lines.append(str(text["residents_unknown"]))
    else:
        lines.append(str(text["residents"]).format(n=fmt_number(result.residents, 0, lang)))
    if result.below_population_minimum:
        lines.append(str(text["below"]).format(min=minimum))
        lines.append(
            str(text["if_met"]).format(
                min=minimum, list=_labels(rule_set, result.designations_if_population_met, lang)
            )
        )
    lines.append(
        str(text["designations"]).format(list=_labels(rule_set, result.designations, lang))
    )
    if result.designations_unknown:
        lines.append(
            str(text["unknown_designations"]).format(
                list=_labels(rule_set, result.designations_unknown, lang)
            )
        )
    lines.append(str(text["criteria"]))
    lines.extend(_criterion_line(c, rule_set, lang) for c in result.criteria.values())
    for designation_id, statuses in result.history.items():
        lines.append(
            _history_line(designation_label(rule_set, designation_id, lang), statuses, lang)
        )
    return "\n".join(lines)
