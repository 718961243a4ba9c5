"""Building the simulated city from microdata and estimating its dynamics from the panel.

Persons are followed by id across years, so yearly move-out rates (by letting market and
household type), the profiles of in-moving households and labour-market transitions are all
observed. Everything is read through Ibis with the text columns already reduced to flags, then
handled as numpy arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.schema.microdata import Microdata
from boligmonitor.simulation.households import (
    BAND_EDGES,
    OUTSIDE_FRACTION,
    BoolArray,
    City,
    FloatArray,
    IntArray,
    Persons,
    State,
    age_band,
    equivalised_income,
    household_groups,
    household_sums,
)

__all__ = ["Donors", "Dynamics", "Observed", "city_from_frames", "observe", "unit_centroids"]

#: Tenure classes of dwellings outside the statutory areas (letting markets).
TENURE_CLASSES = {
    "almen_family": 0,
    "almen_elderly": 0,
    "almen_youth": 0,
    "public": 0,
    "private_rental": 1,
    "andel": 2,
    "owner_occupied": 3,
}
_AFFORDABLE = ("almen_family", "almen_elderly", "almen_youth", "public", "private_rental")
_N_BANDS = len(BAND_EDGES) + 1


@dataclass(frozen=True)
class Donors:
    """Observed in-moving households per letting market, copied when a vacancy is let.

    ``persons`` are sorted by donor household; household ``k`` owns persons
    ``start[k] : start[k] + size[k]`` and was observed moving into market ``stratum[k]``.
    """

    persons: Persons
    start: IntArray
    size: IntArray
    stratum: IntArray
    groups: IntArray
    adults: FloatArray
    outside_fraction: FloatArray
    pools: dict[int, tuple[IntArray, IntArray, IntArray]] = field(default_factory=dict)


@dataclass(frozen=True)
class Dynamics:
    """Observed yearly rates.

    Attributes
    ----------
    move_out
        ``[stratum, outside_labour]``: share of households leaving their dwelling in a year.
    enter_outside
        ``[band, outside_now]``: probability of being outside the labour market next year.
    conviction
        ``[band, outside]``: yearly share convicted.
    status_pool, pool_start, pool_size
        Persons (sorted by ``band * 2 + outside``) whose statuses a person takes on a transition.
    poverty_line
        Equivalised disposable income below which a household is poor (fixed at the start).
    """

    move_out: FloatArray
    enter_outside: FloatArray
    conviction: FloatArray
    status_pool: Persons
    pool_start: IntArray
    pool_size: IntArray
    poverty_line: float


@dataclass(frozen=True)
class Observed:
    """Everything a simulation starts from."""

    city: City
    start: State
    start_year: int
    donors: Donors
    dynamics: Dynamics
    unit_xy: FloatArray
    states: dict[int, State]


def _person_frame(microdata: Microdata, years: Sequence[int]) -> pd.DataFrame:
    p = microdata.persons
    p = p.filter(p.year.isin(list(years)))
    frame: pd.DataFrame = p.select(
        "person_id",
        "year",
        "address_id",
        "age",
        nonwestern=p.origin.isin(["nonwestern_immigrant", "nonwestern_descendant"]),
        no_attachment="no_attachment_fraction",
        permanently_outside="permanently_outside_labour_force",
        in_education="in_education",
        basic_education=p.education.isin(["basic", "unknown", "foreign_not_approved"]),
        no_education=p.education.isin(["basic", "unknown"]) & ~p.in_education,
        gross_income=p.gross_income.cast("float64"),
        disposable_income=p.disposable_income.cast("float64"),
        taxpayer="taxpayer",
        convicted="convicted",
    ).to_pandas()
    return frame


def _persons(frame: pd.DataFrame) -> Persons:
    def col(name: str, dtype: type) -> Any:
        return frame[name].to_numpy(dtype=dtype, na_value=np.nan if dtype is float else 0)

    return Persons(
        age=col("age", np.int64),
        nonwestern=col("nonwestern", bool),
        no_attachment=col("no_attachment", float),
        permanently_outside=col("permanently_outside", bool),
        in_education=col("in_education", bool),
        basic_education=col("basic_education", bool),
        no_education=col("no_education", bool),
        gross_income=col("gross_income", float),
        disposable_income=col("disposable_income", float),
        taxpayer=col("taxpayer", bool),
        convicted=col("convicted", bool),
    )


def city_from_frames(
    dwellings: pd.DataFrame, departments: pd.DataFrame, addresses: pd.DataFrame
) -> tuple[City, pd.Series]:
    """The static city, and the dwelling index of each address id."""
    d = dwellings.merge(addresses[["address_id", "screening_unit"]], on="address_id", how="left")
    d = d.merge(
        departments[["department_id", "area_id", "area_name"]], on="department_id", how="left"
    ).reset_index(drop=True)
    areas = sorted(str(a) for a in d["area_id"].dropna().unique() if str(a))
    names = dict(
        zip(departments["area_id"].astype(str), departments["area_name"].astype(str), strict=False)
    )
    units = sorted(str(u) for u in d["screening_unit"].dropna().unique() if str(u))
    area_index = pd.Series(range(len(areas)), index=areas, dtype=np.int64)
    unit_index = pd.Series(range(len(units)), index=units, dtype=np.int64)
    dwelling_area: IntArray = np.asarray(d["area_id"].map(area_index).fillna(-1), dtype=np.int64)
    dwelling_unit: IntArray = np.asarray(
        d["screening_unit"].map(unit_index).fillna(-1), dtype=np.int64
    )
    tenure_class = d["tenure"].map(TENURE_CLASSES).fillna(3).to_numpy(np.int64)
    stratum = np.where(dwelling_area >= 0, dwelling_area, len(areas) + tenure_class)
    city = City(
        area_ids=areas,
        area_names=[names.get(a, a) for a in areas],
        unit_ids=units,
        dwelling_area=dwelling_area,
        dwelling_unit=dwelling_unit,
        dwelling_stratum=stratum.astype(np.int64),
        dwelling_affordable=d["tenure"].isin(_AFFORDABLE).to_numpy(bool),
        dwelling_m2=d["living_area_m2"].to_numpy(float, na_value=np.nan),
    )
    return city, pd.Series(np.arange(len(d)), index=d["address_id"].to_numpy())


def unit_centroids(addresses: pd.DataFrame, unit_ids: list[str]) -> FloatArray:
    """Mean address coordinates of each screening unit (for spatial weights)."""
    means = addresses.groupby("screening_unit")[["x", "y"]].mean()
    return means.reindex(unit_ids).to_numpy(float)


def _households(frame: pd.DataFrame, dwelling_of: pd.Series) -> pd.DataFrame:
    """One row per (year, address): reference person, dwelling, household index per person."""
    frame["dwelling"] = dwelling_of.reindex(frame["address_id"].to_numpy()).to_numpy()
    first = ~frame.duplicated(["year", "address_id"])
    frame["household"] = np.cumsum(first.to_numpy()) - 1
    return frame[first.to_numpy()][["year", "address_id", "person_id", "dwelling", "household"]]


def observe(
    microdata: Microdata, start_year: int | None = None, all_states: bool = False
) -> Observed:
    """The city at 1 January of ``start_year`` (default: the latest year) and its dynamics,
    estimated from every year of the panel (``all_states``: keep every observed year's state,
    for validation against history).

    Raises
    ------
    InputError
        When the microdata has fewer than two years or lacks ``start_year``.
    """
    years = microdata.years()
    start = years[-1] if start_year is None else start_year
    if len(years) < 2 or start not in years:
        raise InputError.single(
            "--start-year",
            "needs two or more years including {start}; the microdata has {years}",
            start=start,
            years=years,
        )
    addresses = microdata.addresses.to_pandas()
    city, dwelling_of = city_from_frames(
        microdata.dwellings.to_pandas(), microdata.departments.to_pandas(), addresses
    )
    unit_xy = unit_centroids(addresses, city.unit_ids)
    frame = _person_frame(microdata, years)
    frame = frame.sort_values(["year", "address_id", "person_id"], kind="stable")
    frame = frame.reset_index(drop=True)
    heads = _households(frame, dwelling_of)
    persons = _persons(frame)
    household = frame["household"].to_numpy(np.int64)
    sums = household_sums(persons, household, len(heads))
    base = (heads["year"] == start).to_numpy()
    poverty_line = 0.5 * float(np.median(equivalised_income(sums)[base]))
    groups = household_groups(sums, poverty_line)
    moved, moved_in = _moves(heads)
    state = _start_state(frame, heads, persons, start)
    donors = _donors(persons, household, heads, moved_in, city, groups, sums)
    dynamics = _transitions(frame, persons, _move_out(heads, moved, city, groups), poverty_line)
    states = {y: _start_state(frame, heads, persons, y) for y in years} if all_states else {}
    return Observed(city, state, start, donors, dynamics, unit_xy, states)


def _moves(heads: pd.DataFrame) -> tuple[BoolArray, BoolArray]:
    """Per household-year: its reference person lives elsewhere next year (moved out) /
    lived elsewhere or nowhere in the city the year before (moved in)."""
    key = heads.set_index(["person_id", "year"])["address_id"]
    nxt = key.reindex(pd.MultiIndex.from_arrays([heads["person_id"], heads["year"] + 1]))
    prev = key.reindex(pd.MultiIndex.from_arrays([heads["person_id"], heads["year"] - 1]))
    address = heads["address_id"].to_numpy()
    last_year = heads["year"].to_numpy() == heads["year"].max()
    first_year = heads["year"].to_numpy() == heads["year"].min()
    moved = ~last_year & (nxt.to_numpy() != address)
    moved_in = ~first_year & (prev.to_numpy() != address)
    return moved, moved_in


def _move_out(heads: pd.DataFrame, moved: BoolArray, city: City, groups: IntArray) -> FloatArray:
    observed = (heads["year"] < heads["year"].max()).to_numpy()
    stratum = city.dwelling_stratum[heads["dwelling"].to_numpy(np.int64)][observed]
    outside = (groups[heads["household"].to_numpy()] & 1)[observed]
    cell = stratum * 2 + outside
    n = city.n_strata * 2
    rates = np.bincount(cell, weights=moved[observed], minlength=n) / np.maximum(
        np.bincount(cell, minlength=n), 1
    )
    return rates.reshape(city.n_strata, 2)


def _start_state(frame: pd.DataFrame, heads: pd.DataFrame, persons: Persons, start: int) -> State:
    mask = (frame["year"] == start).to_numpy()
    first = heads[heads["year"] == start]
    index = frame["household"].to_numpy(np.int64)[mask] - int(first["household"].iloc[0])
    return State(
        persons=persons.take(mask),
        person_household=index,
        household_dwelling=first["dwelling"].to_numpy(np.int64),
        household_id=np.arange(len(first), dtype=np.int64),
    )


def _donors(
    persons: Persons,
    household: IntArray,
    heads: pd.DataFrame,
    moved_in: BoolArray,
    city: City,
    groups: IntArray,
    sums: dict[str, FloatArray],
) -> Donors:
    chosen = np.flatnonzero(moved_in)
    if len(chosen) == 0:
        raise InputError.single("persons", "no household moved in any year: cannot estimate")
    keep = moved_in[household]
    new_index = np.cumsum(moved_in) - 1
    sizes = np.bincount(new_index[household[keep]], minlength=len(chosen))
    return Donors(
        persons=persons.take(keep),
        start=np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
        size=sizes.astype(np.int64),
        stratum=city.dwelling_stratum[heads["dwelling"].to_numpy(np.int64)[chosen]],
        groups=groups[chosen],
        adults=sums["adults"][chosen],
        outside_fraction=sums["outside_fraction"][chosen],
    )


def _transitions(
    frame: pd.DataFrame, persons: Persons, move_out: FloatArray, poverty_line: float
) -> Dynamics:
    outside = (persons.no_attachment >= OUTSIDE_FRACTION).astype(np.int64)
    band = age_band(persons.age)
    cell = band * 2 + outside
    n = _N_BANDS * 2
    key = pd.Series(outside, index=pd.MultiIndex.from_arrays([frame["person_id"], frame["year"]]))
    nxt = key.reindex(pd.MultiIndex.from_arrays([frame["person_id"], frame["year"] + 1]))
    followed = nxt.notna().to_numpy()
    entered = np.bincount(cell[followed], weights=nxt.to_numpy(float)[followed], minlength=n)
    enter = entered / np.maximum(np.bincount(cell[followed], minlength=n), 1)
    convicted = np.bincount(cell, weights=persons.convicted.astype(float), minlength=n)
    conviction = convicted / np.maximum(np.bincount(cell, minlength=n), 1)
    order = np.argsort(cell, kind="stable")
    size = np.bincount(cell, minlength=n)
    return Dynamics(
        move_out=move_out,
        enter_outside=enter.reshape(_N_BANDS, 2).astype(np.float64),
        conviction=conviction.reshape(_N_BANDS, 2).astype(np.float64),
        status_pool=persons.take(order),
        pool_start=np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64),
        pool_size=size.astype(np.int64),
        poverty_line=poverty_line,
    )
