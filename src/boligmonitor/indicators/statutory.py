"""The statutory criteria of Almenboligloven § 61 a computed from microdata, per area and year.

Each criterion is a small function returning a :class:`~boligmonitor.indicators.base.Measure`;
:func:`area_statistics` sums them all in one pass over the persons and turns the sums into the
canonical area statistics (:mod:`boligmonitor.schema.area_statistics`), which the rule
evaluator designates.

Conventions (DESIGN § 3; documented assumptions in ``docs/microdata.md``):

- residents, age bands and statuses are those at 1 January of the year (a person who moves
  during a year counts where they lived at 1 January of each year);
- an *n-year average* is the mean of the yearly shares of the latest n years present (n from the
  rule set in force that list year: 4 under the 2010 rules, 2 later);
- the crime share's national average is computed over every person 18+ in the microdata and
  averaged the same way;
- income is the mean gross income of taxpayers 15-64 not in education, in percent of the same
  group's mean in the area's region (all residents of the region, not only boligområder);
- education counts ``basic`` and ``unknown`` as basic school under the 2010/2013 rules (L 45,
  2013-14) and also ``foreign_not_approved`` from the 2018 rules ("only Danish or approved
  education counts", L 38, 2018-19);
- ``outside_labour_pct`` (§ 51 b) is the one-year share of the previous calendar year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis.expr.operations as ops
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.indicators.base import Indicator, Measure, area_addresses, flag
from boligmonitor.indicators.copenhagen import share_nonwestern
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.registry import regime_in_force, shipped_rule_sets
from boligmonitor.schema.area_statistics import AREA_STATISTICS
from boligmonitor.schema.indicators import statutory_indicators
from boligmonitor.schema.microdata import Microdata

__all__ = [
    "BASES",
    "EDUCATION_AS_BASIC",
    "MEASURES",
    "STATUTORY_INDICATORS",
    "AnnualSums",
    "annual_bases",
    "annual_sums",
    "area_statistics",
    "area_statistics_with_bases",
    "income_group",
    "mean_gross_income",
    "needed_years",
    "share_basic_education",
    "share_basic_education_2013",
    "share_convicted",
    "share_without_attachment",
    "statutory_measures",
    "windows",
]

_FAMILY = "almenboligloven-61a"
_WINDOW = 4  # the longest averaging in any shipped rule set (2010: 4 years)
#: Education values counted as "only basic school", by rule-set generation.
EDUCATION_AS_BASIC = {
    2013: ("basic", "unknown"),
    2018: ("basic", "unknown", "foreign_not_approved"),
}
_DIGITS = 6


def share_without_attachment(persons: Any) -> Measure:
    """Share of 18-64-year-olds without attachment to the labour market or education.

    § 61 a, stk. 1, nr. 1; counted in full-time persons: each person contributes the fraction of
    the year they were without attachment.
    """
    band = persons.age.between(18, 64)
    return Measure(band.ifelse(persons.no_attachment_fraction, 0.0), flag(band))


def share_convicted(persons: Any) -> Measure:
    """Share of residents 18+ convicted under straffeloven, våbenloven or lov om euforiserende
    stoffer (§ 61 a, stk. 1, nr. 2; the 18+ base follows the 2013 text)."""
    adult = persons.age >= 18
    return Measure(flag(adult & persons.convicted), flag(adult))


def _basic_education(persons: Any, counted: tuple[str, ...]) -> Measure:
    band = persons.age.between(30, 59)
    return Measure(flag(band & persons.education.isin(counted)), flag(band))


def share_basic_education(persons: Any) -> Measure:
    """Share of 30-59-year-olds with only basic school, 2018 rules (§ 61 a, stk. 1, nr. 3, as
    amended by L 38, 2018-19): education not approved as Danish counts as basic."""
    return _basic_education(persons, EDUCATION_AS_BASIC[2018])


def share_basic_education_2013(persons: Any) -> Measure:
    """Share of 30-59-year-olds with only basic school, 2013 rules (L 45, 2013-14): unknown
    education counts as basic."""
    return _basic_education(persons, EDUCATION_AS_BASIC[2013])


def income_group(persons: Any) -> Any:
    """Taxpayers aged 15-64 not in education with a known income: the persons whose mean
    income § 61 a, stk. 1, nr. 4 compares (an unknown income is not in the mean)."""
    group = persons.taxpayer & persons.age.between(15, 64) & ~persons.in_education
    return group & persons.gross_income.notnull()


def mean_gross_income(persons: Any) -> Measure:
    """Gross income and number of taxpayers aged 15-64 not in education (§ 61 a, stk. 1,
    nr. 4): the sums whose ratio is the group's mean income."""
    group = income_group(persons)
    return Measure(group.ifelse(persons.gross_income, 0.0), flag(group))


#: The measure function of each microdata measure in the indicator catalogue, by its id
#: (``data/indicators/statutory.yaml``: each measured indicator and its variants).
MEASURES: dict[str, Callable[[Any], Measure]] = {
    "labour": share_without_attachment,
    "crime": share_convicted,
    "education": share_basic_education,
    "education_2013": share_basic_education_2013,
    "income": mean_gross_income,
    "ethnicity": share_nonwestern,
}


def statutory_measures() -> tuple[Indicator, ...]:
    """The registered statutory measures: ids, labels, law and scale from the indicator
    catalogue, each with its function from :data:`MEASURES`, in catalogue order.

    Raises
    ------
    LookupError
        When the catalogue and :data:`MEASURES` do not name the same measures.
    """
    catalogue = statutory_indicators().measures()
    missing = {m.id for m in catalogue} ^ set(MEASURES)
    if missing:
        raise LookupError(f"measures not both in the indicator catalogue and MEASURES: {missing}")
    return tuple(
        Indicator(m.id, m.label_da, m.label_en, m.law, m.scale, MEASURES[m.id]) for m in catalogue
    )


STATUTORY_INDICATORS: tuple[Indicator, ...] = statutory_measures()


def windows(years: Sequence[int], rule_sets: Sequence[RuleSet] | None = None) -> pd.DataFrame:
    """Per list year: ``<id>_years`` of every averaged measure of the indicator catalogue
    (labour and crime: the averaging of the criterion with that id in the regime in force, else
    2), and ``old_education`` (the regime predates the education variant's ``until``)."""
    rule_sets = tuple(rule_sets or shipped_rule_sets())
    catalogue = statutory_indicators()
    spans = [f"{id}_years" for id in catalogue.averaged()]
    (old,) = catalogue.by_id()["education"].variants
    rows = []
    for year in years:
        regime = regime_in_force(year, _FAMILY, rule_sets)
        averaging = {c.id: c.averaging_years for c in regime.criteria} if regime else {}
        first_year = regime.list_years[0] if regime else year
        row: dict[str, object] = {"list_year": year}
        row |= {f"{id}_years": averaging.get(id, 2) for id in catalogue.averaged()}
        rows.append(row | {"old_education": first_year < old.until})
    return pd.DataFrame(rows, columns=["list_year", *spans, "old_education"])


def _counted_bases() -> dict[str, str]:
    """Per population column, the measure whose denominator counts it (the catalogue's
    measured indicators' ``disclosure_base``), in the catalogue's population order."""
    catalogue = statutory_indicators()
    counted = {i.disclosure_base: f"{i.id}_den" for i in catalogue.measured() if i.disclosure_base}
    return {c: counted[c] for c in catalogue.population_columns() if c in counted}


#: The persons each published area figure rests on, per calendar year (a population column).
BASES = _counted_bases()


def annual_bases(microdata: Microdata, years: Sequence[int]) -> pd.DataFrame:
    """Per area and calendar year the populations of :data:`BASES` (for disclosure control).

    Includes the years before ``years`` that each list year's averages reach back to.
    """
    return area_statistics_with_bases(microdata, years)[1]


def needed_years(
    list_years: Sequence[int], available: Sequence[int], rule_sets: Sequence[RuleSet] | None = None
) -> list[int]:
    """The calendar years of persons the list years need: each regime's averaging window and
    the previous year (§ 51 b's one-year share), as far as the microdata has them."""
    return sorted(_window_years(list_years, rule_sets) & set(available))


def _window_years(list_years: Sequence[int], rule_sets: Sequence[RuleSet] | None) -> set[int]:
    frame = windows(list_years, rule_sets)
    spans = frame[["labour_years", "crime_years"]].max(axis=1).clip(lower=2)
    return {int(y) - k for y, n in zip(frame["list_year"], spans, strict=True) for k in range(n)}


@dataclass(frozen=True)
class AnnualSums:
    """The sums of the persons per reference: boligområder, regions and the nation.

    Attributes
    ----------
    areas
        Every statutory measure summed per ``year``, ``municipality_code`` and ``area_id``
        (persons of boligområder only), with the municipality's ``region_code``.
    regions
        ``income_num`` and ``income_den`` per ``year`` and ``region_code`` over every resident
        of the region (the income criterion's reference).
    nation
        ``crime_num``, ``crime_den`` and ``residents`` per ``year`` over every person (the crime
        criterion's reference, and the years present).
    """

    areas: pd.DataFrame
    regions: pd.DataFrame
    nation: pd.DataFrame

    def of_years(self, years: Sequence[int]) -> AnnualSums:
        """The sums of these calendar years only."""
        frames = (self.areas, self.regions, self.nation)
        return AnnualSums(*(f[f["year"].isin(years)].reset_index(drop=True) for f in frames))


def annual_sums(microdata: Microdata, years: Sequence[int] | None) -> AnnualSums:
    """Every statutory measure summed per year and area, and the regions' and the nation's
    references, each from the persons and columns it needs.

    Only persons of boligområder meet every measure, in a join with the addresses of
    boligområder (a small table; where the persons files are in address order, DuckDB also
    skips the row groups where none of them live); the region's income reference joins its
    income group to every address; the nation's crime share needs no address at all.
    ``years`` None: every year.
    """
    persons = microdata.persons
    if years is not None:
        persons = persons.filter(persons.year.isin(list(years)))
    keys = ["year", "municipality_code", "region_code", "area_id"]
    areas = _sum_statutory(persons.join(area_addresses(microdata), "address_id"), keys)
    nation = _sum_statutory(persons, ["year"], ("crime",))
    return AnnualSums(
        areas.to_pandas(), _region_income(microdata, persons).to_pandas(), nation.to_pandas()
    )


def _region_income(microdata: Microdata, persons: Any) -> Any:
    """The income group's gross income and number per year and region (§ 61 a, stk. 1, nr. 4:
    the reference is every resident of the region), summed per municipality first."""
    earners = persons.filter(income_group(persons)).select("year", "address_id", "gross_income")
    placed = earners.join(
        microdata.addresses.select("address_id", "municipality_code"), "address_id"
    )
    by_municipality = placed.group_by(["year", "municipality_code"]).aggregate(
        income_num=placed.gross_income.sum(), income_den=placed.count()
    )
    regions = by_municipality.join(
        microdata.municipalities.select("municipality_code", "region_code"), "municipality_code"
    )
    return regions.group_by(["year", "region_code"]).aggregate(
        income_num=regions.income_num.sum(), income_den=regions.income_den.sum()
    )


def _sum_statutory(persons: Any, keys: list[str], measures: Sequence[str] | None = None) -> Any:
    """One aggregate of the statutory measures (default every one; else these ids) per ``keys``.

    The non-western share's base counts persons with a ``person_id``; the key is never empty,
    so it is the row count and the column is not read.
    """
    sums: dict[str, Any] = {}
    for indicator in STATUTORY_INDICATORS:
        if measures is not None and indicator.id not in measures:
            continue
        measure = indicator.measure(persons)
        sums[f"{indicator.id}_num"] = _summed(persons, measure.numerator)
        if indicator.id != "ethnicity":
            sums[f"{indicator.id}_den"] = _summed(persons, measure.denominator)
    counted = persons.group_by(keys).aggregate(residents=persons.count(), **sums)
    return counted.mutate(ethnicity_den=counted.residents) if "ethnicity_num" in sums else counted


def _summed(persons: Any, value: Any) -> Any:
    """The sum of a row-level measure; a 0/1 :func:`flag` becomes a count of the rows where
    its condition holds (``COUNT(*) FILTER (WHERE ...)``, the same number without building and
    summing an integer column per measure)."""
    op = value.op()
    if isinstance(op, ops.Cast) and op.arg.dtype.is_boolean():
        return persons.count(where=op.arg.to_expr())
    return value.sum()


def _share(num: pd.Series, den: pd.Series) -> pd.Series:
    positive = den > 0
    return (100.0 * num.astype("float64") / den.where(positive)).where(positive)


def _annual(sums: AnnualSums) -> tuple[pd.DataFrame, pd.Series]:
    """Per area-year shares (income relative to the region), and the nation's crime share."""
    inside = sums.areas.astype(
        {c: "float64" for c in sums.areas.columns if str(c).endswith(("_num", "_den"))}
    )
    region = sums.regions.astype({"income_num": "float64", "income_den": "float64"})
    region = region.rename(columns={"income_num": "region_num", "income_den": "region_den"})
    nation = sums.nation.set_index("year")
    national_crime = _share(nation["crime_num"].astype("float64"), nation["crime_den"])
    totals = [c for c in inside.columns if c.endswith(("_num", "_den"))] + ["residents"]
    grouped = inside.groupby(["year", "area_id"], as_index=False)
    areas = (
        grouped[totals]
        .sum()
        .merge(grouped[["region_code", "municipality_code"]].min(), on=["year", "area_id"])
    )
    areas = areas.merge(region, on=["year", "region_code"])
    region_mean = areas["region_num"] / areas["region_den"].where(areas["region_den"] != 0)
    for name in ("labour", "crime", "education", "education_2013", "ethnicity"):
        areas[name] = _share(areas[f"{name}_num"], areas[f"{name}_den"])
    areas["income"] = _share(areas["income_num"] / region_mean, areas["income_den"])
    return areas, national_crime


def _windowed(annual: pd.DataFrame, regimes: pd.DataFrame) -> pd.DataFrame:
    """Averages over each list year's window, and the list year's own values."""
    now = annual[["area_id", "year"]].rename(columns={"year": "list_year"})
    now = now.merge(regimes, on="list_year")
    pairs = now.merge(annual, on="area_id")
    age = pairs["list_year"] - pairs["year"]
    pairs = pairs[(age >= 0) & (age < _WINDOW)].copy()
    age = pairs["list_year"] - pairs["year"]
    same = age == 0
    old = pairs["old_education"].astype(bool)
    pairs["education_now"] = pairs["education_2013"].where(old, pairs["education"])
    columns = {
        "labour_pct": pairs["labour"].where(age < pairs["labour_years"]),
        "crime_pct": pairs["crime"].where(age < pairs["crime_years"]),
        "outside_labour_pct": pairs["labour"].where(age == 1),
        "education_pct": pairs["education_now"].where(same),
        "income_pct_of_region": pairs["income"].where(same),
        "nonwestern_pct": pairs["ethnicity"].where(same),
        "residents": pairs["residents"].where(same),
        "pop_18_64": pairs["labour_den"].where(same),
        "pop_18_plus": pairs["crime_den"].where(same),
        "pop_30_59": pairs["education_den"].where(same),
        "pop_15_64_taxpayers": pairs["income_den"].where(same),
        "municipality_code": pairs["municipality_code"].where(same),
    }
    values = pd.DataFrame(columns).assign(
        area_id=pairs["area_id"], list_year=pairs["list_year"], crime_years=pairs["crime_years"]
    )
    grouped = values.groupby(["area_id", "list_year"], as_index=False, sort=False)
    means = grouped[["labour_pct", "crime_pct"]].mean()
    latest = grouped[[c for c in columns if c not in ("labour_pct", "crime_pct")]].max()
    spans = grouped[["crime_years"]].max()
    out = means.merge(latest, on=["area_id", "list_year"]).merge(spans, on=["area_id", "list_year"])
    out["municipality_code"] = out["municipality_code"].astype("Int64")
    return out


def _national_crime(national: pd.Series, regimes: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for list_year, span in zip(regimes["list_year"], regimes["crime_years"], strict=True):
        inside = national[(national.index > list_year - span) & (national.index <= list_year)]
        rows.append({"list_year": list_year, "crime_national_pct": inside.mean()})
    return pd.DataFrame(rows, columns=["list_year", "crime_national_pct"])


def _bases(annual: pd.DataFrame) -> pd.DataFrame:
    frame = annual[["area_id", "year"]].copy()
    for name, column in BASES.items():
        frame[name] = annual[column].astype("int64")
    return frame.reset_index(drop=True)


def area_statistics_with_bases(
    microdata: Microdata,
    years: Sequence[int] | None = None,
    rule_sets: Sequence[RuleSet] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`area_statistics` and :func:`annual_bases` from one scan of the persons."""
    chosen = tuple(rule_sets or shipped_rule_sets())
    window = sorted(_window_years(years, chosen)) if years is not None else None
    sums = annual_sums(microdata, window)
    present = sorted(int(y) for y in sums.nation["year"].unique())
    wanted = sorted(set(years) & set(present)) if years is not None else present
    if not wanted:
        raise InputError.single(
            "--year",
            "no persons in {years}; the microdata has {available}",
            years=years,
            available=microdata.years(),
        )
    regimes = windows(wanted, chosen)
    annual, national = _annual(sums.of_years(needed_years(wanted, present, chosen)))
    stats = _windowed(annual, regimes).merge(_national_crime(national, regimes), on="list_year")
    departments = microdata.departments.select("area_id", "area_name").to_pandas()
    names = departments.groupby("area_id", as_index=False)["area_name"].min()
    municipalities = microdata.municipalities.select("municipality_code", "name").to_pandas()
    municipalities = municipalities.rename(columns={"name": "municipality"}).astype(
        {"municipality_code": "Int64"}
    )
    stats = stats.merge(names, on="area_id", how="left").merge(
        municipalities, on="municipality_code", how="left"
    )
    return _canonical(stats.rename(columns={"list_year": "year"})), _bases(annual)


def area_statistics(
    microdata: Microdata,
    years: Sequence[int] | None = None,
    rule_sets: Sequence[RuleSet] | None = None,
) -> pd.DataFrame:
    """Canonical area statistics of every boligområde, computed from microdata.

    One aggregate over the persons of the years needed (:func:`annual_sums`, an Ibis
    expression any backend runs) gives every measure per area and year; the averages,
    regional and national references are then taken on those few thousand rows.

    Parameters
    ----------
    microdata
        Validated microdata.
    years
        List years to compute (default: every year in the persons table). Earlier years in the
        microdata feed the averages.
    rule_sets
        Rule sets whose regime in force decides each year's averaging and education rule
        (default: the shipped ones).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`~boligmonitor.schema.area_statistics.AREA_STATISTICS`, one row per
        area and year (areas with residents that year), sorted by area and year.
    """
    return area_statistics_with_bases(microdata, years, rule_sets)[0]


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[frame["residents"].notna()].copy()
    frame["area_name"] = frame["area_name"].fillna(frame["area_id"])
    frame["crime_threshold_pct"] = float("nan")
    columns = [c.name for c in AREA_STATISTICS]
    frame = frame[columns].sort_values(["area_id", "year"], kind="stable")
    numeric = [c.name for c in AREA_STATISTICS if c.name.endswith(("_pct", "_region"))]
    frame[numeric] = frame[numeric].astype("float64").round(_DIGITS)
    counts = ["year", "residents", "pop_18_64", "pop_18_plus", "pop_30_59", "pop_15_64_taxpayers"]
    frame[counts] = frame[counts].astype("Int64")
    frame["municipality"] = frame["municipality"].astype(object)
    return frame.reset_index(drop=True)
