"""Computed plans as tables and JSON records (exact fractions kept as ``"514/1469"`` text)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd

from boligmonitor.i18n import Language, fmt_number, translate
from boligmonitor.udviklingsplan.calculate import AdditionalMeasure, PlanResult
from boligmonitor.udviklingsplan.counting import CountingRules

__all__ = ["additional_text", "measures_frame", "result_record", "years_frame"]


def _exact(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)


def years_frame(result: PlanResult, rules: CountingRules) -> pd.DataFrame:
    """One row per 1 January: stock by category, total, share, met, gap, households re-housed
    in the year before."""
    rows = []
    for status in result.years:
        row: dict[str, Any] = {"area_id": result.area_id, "year": status.year}
        row.update({c: status.stock.count(c) for c in rules.category_ids})
        row["commercial_m2"] = status.stock.commercial_m2
        row["commercial_dwellings"] = float(rules.commercial.dwellings(status.stock.commercial_m2))
        row["demolished_not_replaced"] = status.stock.demolished_not_replaced
        row["total"] = float(status.total)
        row["share"] = float(status.share)
        row["share_exact"] = _exact(status.share)
        row["met"] = status.met
        row["gap"] = status.gap
        row["rehoused_previous_year"] = result.rehousing.get(status.year - 1, 0)
        rows.append(row)
    return pd.DataFrame(rows)


def measures_frame(result: PlanResult, rules: CountingRules, lang: Language) -> pd.DataFrame:
    """The plan's measures by date."""
    rows = [
        {
            "area_id": result.area_id,
            "date": m.date,
            "kind": m.kind,
            "label": rules.kind(m.kind).label(lang),
            "dwellings": m.dwellings,
            "m2": m.m2,
            "rehoused": m.rehoused
            if m.rehoused is not None
            else rules.kind(m.kind).rehoused_per_dwelling * (m.dwellings or 0),
            "note": m.note,
            "source": m.source,
        }
        for m in result.measures
    ]
    return pd.DataFrame(rows)


def additional_text(measure: AdditionalMeasure, lang: Language) -> str:
    """ "or 212 new private dwellings"-style text for one additional measure."""
    if measure.amount is None:
        return translate("{kind}: cannot close the gap", lang, kind=measure.kind.label(lang))
    unit = translate("m²" if measure.unit == "m2" else "dwellings", lang)
    return f"{measure.kind.label(lang)}: {fmt_number(measure.amount, 0, lang)} {unit}"


def result_record(result: PlanResult, rules: CountingRules, lang: Language) -> dict[str, Any]:
    """The computed plan as a JSON-ready record."""
    final = result.at_deadline
    return {
        "area_id": result.area_id,
        "area_name": result.area_name,
        "rules": {"id": rules.id, "version": rules.version},
        "base_year": result.base_year,
        "deadline": result.deadline.isoformat(),
        "max_share": _exact(rules.target.share),
        "met_at_deadline": result.met_at_deadline,
        "first_met_year": result.first_met_year,
        "share_at_deadline": float(final.share),
        "share_at_deadline_exact": _exact(final.share),
        "gap_at_deadline": final.gap,
        "approved_target_share": _exact(result.target_share),
        "approved_target_met": result.target_met,
        "years": years_frame(result, rules).drop(columns="area_id").to_dict("records"),
        "measures": [
            {k: v for k, v in m.model_dump(mode="json").items() if v is not None}
            for m in result.measures
        ],
        "rehousing": {str(year): n for year, n in result.rehousing.items()},
        "additional": [
            {
                "kind": a.kind.id,
                "amount": a.amount,
                "unit": a.unit,
                "text": additional_text(a, lang),
            }
            for a in result.additional
        ],
    }
