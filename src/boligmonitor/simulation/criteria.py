"""Area criteria of the simulated population, from aggregated arrays.

One ``np.bincount`` per numerator and denominator gives, per statutory area, the § 61 a
criteria (Almenboligloven; definitions as :mod:`boligmonitor.indicators.statutory`), Copenhagen's
five screening criteria (Bilag 1 of seed 003, as :mod:`boligmonitor.indicators.copenhagen`) and
the share of poor households for Galster's thresholds (15-20 % and 40 %, Galster 2013).
The simulated city is its own region and nation: the income criterion compares with the whole
simulated population and the crime threshold uses its conviction share.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from boligmonitor.simulation.households import (
    BoolArray,
    City,
    FloatArray,
    IntArray,
    Persons,
    State,
    household_groups,
    household_sums,
)

__all__ = ["CRITERIA", "GALSTER_HIGH", "GALSTER_LOW", "annual_criteria", "canonical_statistics"]

#: Galster (2013): harm starts when poor households pass 15-20 % and levels off near 40 %.
GALSTER_LOW, GALSTER_HIGH = 15.0, 40.0
#: Every per-area output criterion (percent unless named otherwise).
CRITERIA = (
    "labour_pct",
    "crime_pct",
    "education_pct",
    "income_pct_of_region",
    "nonwestern_pct",
    "outside_labour_pct",
    "kk_living_area_m2",
    "kk_outside_labour_pct",
    "kk_low_income_pct",
    "kk_nonwestern_pct",
    "kk_no_education_pct",
    "poor_households_pct",
)
_LOW_INCOME = 0.75
_LIVING_AREA = (10.0, 1_000.0, 15)


def _share(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)


def annual_criteria(
    state: State, city: City, poverty_line: float, groups: IntArray | None = None
) -> pd.DataFrame:
    """One year's criteria per area (one-year values; averaging is :func:`canonical_statistics`).

    ``groups`` are the households' applicant-group bits when already known.

    Returns
    -------
    pandas.DataFrame
        ``area`` (index), ``residents``, the :data:`CRITERIA` and the populations
        ``pop_18_64``, ``pop_18_plus``, ``pop_30_59``, ``pop_15_64_taxpayers``, plus the city's
        ``crime_city_pct``.
    """
    everyone = state.persons
    area = city.dwelling_area[state.household_dwelling[state.person_household]]
    inside = area >= 0
    references = _city_references(everyone)
    residents = everyone.take(inside)
    total = _AreaTotals(area[inside], city.n_areas)
    frame = pd.DataFrame(
        {
            "residents": total.residents(),
            **_statutory_criteria(residents, total, references.region_mean_income),
            **_copenhagen_criteria(residents, total, references.low_income_line),
            **_populations(residents, total),
        }
    )
    frame["kk_nonwestern_pct"] = frame["nonwestern_pct"]
    frame["kk_living_area_m2"] = _living_area(state, city)
    if groups is None:
        groups = household_poverty(state, poverty_line)
    frame["poor_households_pct"] = _poor_households(state, city, groups)
    frame["crime_city_pct"] = references.crime_pct
    frame.index.name = "area"
    return frame


class _CityReferences(NamedTuple):
    """The simulated city's own region and nation references."""

    region_mean_income: float
    low_income_line: float
    crime_pct: float


def _city_references(everyone: Persons) -> _CityReferences:
    """Mean gross income of the income group, Copenhagen's low-income line, conviction share."""
    grown = everyone.age >= 18
    earners = _income_group(everyone)
    region_mean = np.where(earners, np.nan_to_num(everyone.gross_income), 0.0).sum() / max(
        int(earners.sum()), 1
    )
    low_line = _LOW_INCOME * np.nanmedian(everyone.disposable_income[grown])
    crime_city = 100.0 * float((grown & everyone.convicted).sum()) / max(int(grown.sum()), 1)
    return _CityReferences(region_mean, low_line, crime_city)


class _AreaTotals:
    """Per-area totals of the residents' values (one ``np.bincount`` each)."""

    def __init__(self, area: IntArray, n_areas: int) -> None:
        self.area = area
        self.n_areas = n_areas

    def residents(self) -> FloatArray:
        """Number of residents per area."""
        return np.bincount(self.area, minlength=self.n_areas).astype(np.float64)

    def __call__(self, values: npt.ArrayLike) -> FloatArray:
        """Count of a boolean mask or sum of numeric values per area."""
        values = np.asarray(values)
        if values.dtype == np.bool_:
            return np.bincount(self.area[values], minlength=self.n_areas).astype(np.float64)
        weights = values.astype(np.float64)
        return np.bincount(self.area, weights=weights, minlength=self.n_areas).astype(np.float64)


def _statutory_criteria(
    p: Persons, total: _AreaTotals, region_mean: float
) -> dict[str, FloatArray]:
    """The § 61 a criteria (Almenboligloven) of one year."""
    adult = p.age >= 18
    band_18_64 = adult & (p.age <= 64)
    band_30_59 = (p.age >= 30) & (p.age <= 59)
    income_group = _income_group(p)
    gross = np.where(income_group, np.nan_to_num(p.gross_income), 0.0)
    return {
        "labour_pct": _share(total(np.where(band_18_64, p.no_attachment, 0.0)), total(band_18_64)),
        "crime_pct": _share(total(adult & p.convicted), total(adult)),
        "education_pct": _share(total(band_30_59 & p.basic_education), total(band_30_59)),
        "income_pct_of_region": _share(total(gross) / max(region_mean, 1e-9), total(income_group)),
        "nonwestern_pct": _share(total(p.nonwestern), total.residents()),
    }


def _copenhagen_criteria(p: Persons, total: _AreaTotals, low_line: float) -> dict[str, FloatArray]:
    """Copenhagen's screening criteria (Bilag 1 of seed 003) that come from the residents."""
    adult = p.age >= 18
    band_16_66 = (p.age >= 16) & (p.age <= 66)
    band_16_64 = (p.age >= 16) & (p.age <= 64)
    low = adult & (p.disposable_income <= low_line)
    return {
        "kk_outside_labour_pct": _share(
            total(band_16_66 & p.permanently_outside), total(band_16_66)
        ),
        "kk_low_income_pct": _share(total(low), total(adult)),
        "kk_no_education_pct": _share(total(band_16_64 & p.no_education), total(band_16_64)),
    }


def _populations(p: Persons, total: _AreaTotals) -> dict[str, FloatArray]:
    """The criteria's denominators the rule engine reports."""
    return {
        "pop_18_64": total((p.age >= 18) & (p.age <= 64)),
        "pop_18_plus": total(p.age >= 18),
        "pop_30_59": total((p.age >= 30) & (p.age <= 59)),
        "pop_15_64_taxpayers": total(_income_group(p)),
    }


def _income_group(p: Persons) -> BoolArray:
    """15-64-year-old taxpayers not in education with a known gross income."""
    group: BoolArray = p.taxpayer & (p.age >= 15) & (p.age <= 64) & ~p.in_education
    return group & ~np.isnan(p.gross_income)


def _living_area(state: State, city: City) -> FloatArray:
    size = np.bincount(state.person_household, minlength=state.n_households)
    m2 = city.dwelling_m2[state.household_dwelling]
    low, high, most = _LIVING_AREA
    kept = (m2 >= low) & (m2 <= high) & (size <= most) & (size > 0)
    area = city.dwelling_area[state.household_dwelling]
    keep = kept & (area >= 0)
    space = np.bincount(area[keep], weights=m2[keep], minlength=city.n_areas)
    people = np.bincount(area[keep], weights=size[keep], minlength=city.n_areas)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(people > 0, space / np.where(people > 0, people, 1), np.nan)


def household_poverty(state: State, poverty_line: float) -> IntArray:
    """Applicant-group bits of every current household."""
    sums = household_sums(state.persons, state.person_household, state.n_households)
    return household_groups(sums, poverty_line)


def _poor_households(state: State, city: City, groups: IntArray) -> FloatArray:
    poor = (groups >> 4) & 1
    area = city.dwelling_area[state.household_dwelling]
    inside = area >= 0
    weights = poor[inside].astype(np.float64)
    num = np.bincount(area[inside], weights=weights, minlength=city.n_areas).astype(np.float64)
    den = np.bincount(area[inside], minlength=city.n_areas).astype(float)
    return _share(num, den)


def canonical_statistics(
    current: pd.DataFrame, previous: pd.DataFrame | None, city: City, year: int
) -> pd.DataFrame:
    """Area statistics in the canonical columns the rule engine reads, for list ``year``.

    Labour and crime are two-year averages (§ 61 a); ``outside_labour_pct`` (§ 51 b) is the
    previous year's labour share; ``crime_national_pct`` is the simulated city's average.
    """
    before = previous if previous is not None else current
    frame = pd.DataFrame(
        {
            "area_id": city.area_ids,
            "area_name": city.area_names,
            "municipality": None,
            "year": year,
            "residents": current["residents"].round().astype("Int64").to_numpy(),
            "labour_pct": (current["labour_pct"] + before["labour_pct"]).to_numpy() / 2,
            "crime_pct": (current["crime_pct"] + before["crime_pct"]).to_numpy() / 2,
            "crime_national_pct": (current["crime_city_pct"] + before["crime_city_pct"]).to_numpy()
            / 2,
            "crime_threshold_pct": np.nan,
            "education_pct": current["education_pct"].to_numpy(),
            "income_pct_of_region": current["income_pct_of_region"].to_numpy(),
            "nonwestern_pct": current["nonwestern_pct"].to_numpy(),
            "outside_labour_pct": before["labour_pct"].to_numpy(),
        }
    )
    for column in ("pop_18_64", "pop_18_plus", "pop_30_59", "pop_15_64_taxpayers"):
        frame[column] = current[column].round().astype("Int64").to_numpy()
    return frame[frame["residents"] > 0].reset_index(drop=True)
