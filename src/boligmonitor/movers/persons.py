"""Person-years with every statutory criterion's row-level measure, read from microdata.

The measures are the indicator engine's own (:data:`~boligmonitor.indicators.statutory.
STATUTORY_INDICATORS`), so a decomposition sums exactly what the area statistics sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import pandas as pd

from boligmonitor.indicators.base import Indicator, located_persons
from boligmonitor.indicators.statutory import STATUTORY_INDICATORS
from boligmonitor.schema.microdata import Microdata

__all__ = ["CRITERIA", "criterion_frame", "person_measures", "region_means"]

#: Decomposed criteria: indicator id -> indicator.
CRITERIA: dict[str, Indicator] = {i.id: i for i in STATUTORY_INDICATORS}


def person_measures(
    microdata: Microdata, years: Sequence[int], area_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """Person-years of everyone living in the given areas (default: any area) in any of ``years``.

    Returns
    -------
    pandas.DataFrame
        ``person_id, year, area_id, municipality_code, region_code`` and ``<id>_num``,
        ``<id>_den`` for each criterion, for all of those persons' rows in ``years``.
    """
    located = located_persons(microdata, list(years))
    inside = located.filter(
        located.area_id.isin(list(area_ids)) if area_ids is not None else located.area_id.notnull()
    )
    followed = located.semi_join(inside.select("person_id").distinct(), "person_id")
    columns = {}
    for indicator in CRITERIA.values():
        measure = indicator.measure(followed)
        columns[f"{indicator.id}_num"] = measure.numerator.cast("float64")
        columns[f"{indicator.id}_den"] = measure.denominator.cast("float64")
    keep = ("person_id", "year", "area_id", "municipality_code", "region_code")
    frame: pd.DataFrame = followed.select(*keep, **columns).to_pandas()
    return frame


def criterion_frame(persons: pd.DataFrame, criterion: str) -> pd.DataFrame:
    """The columns :func:`~boligmonitor.movers.decompose.decompose` reads, for one criterion."""
    out = persons[["person_id", "year", "area_id", "municipality_code"]].copy()
    out["num"] = persons[f"{criterion}_num"]
    out["den"] = persons[f"{criterion}_den"]
    return out


def region_means(microdata: Microdata, years: Sequence[int]) -> dict[tuple[int, int], Fraction]:
    """The income criterion's regional mean per (region, year), over all the region's residents."""
    located = located_persons(microdata, list(years))
    measure = CRITERIA["income"].measure(located)
    sums = (
        located.mutate(_num=measure.numerator, _den=measure.denominator)
        .group_by(["region_code", "year"])
        .aggregate(num=lambda t: t._num.sum(), den=lambda t: t._den.sum())
        .to_pandas()
    )
    return {
        (int(r.region_code), int(r.year)): Fraction(float(r.num)) / Fraction(float(r.den))
        for r in sums.itertuples()
        if r.den
    }
