"""Building the simulated city from microdata and estimating its dynamics from the panel.

Persons are followed by id across years, so yearly move-out rates (by letting market and
household type), the profiles of in-moving households and labour-market transitions are all
observed. Everything is read through Ibis with the text columns already reduced to flags, then
handled as numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.schema.microdata import Microdata
from boligmonitor.simulation.households import (
    BAND_EDGES,
    OUTSIDE_FRACTION,
    TENURES,
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
from boligmonitor.simulation.panel import Panel, next_year, read_panel

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
    ``start[k] : start[k] + size[k]`` and was observed moving into market ``stratum[k]``,
    dwelling ``dwelling[k]``. ``observed``: the number of observed households when more
    follow (copies serving the markets of dwellings an udviklingsplan converted); ``None``: all.
    """

    persons: Persons
    start: IntArray
    size: IntArray
    stratum: IntArray
    groups: IntArray
    adults: FloatArray
    outside_fraction: FloatArray
    dwelling: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    observed: int | None = None
    pools: dict[int, tuple[IntArray, IntArray, IntArray]] = field(default_factory=dict)


@dataclass(frozen=True)
class Dynamics:
    """Observed yearly rates.

    Attributes
    ----------
    move_out
        ``[stratum, outside_labour]``: share of households leaving their dwelling in a year.
    move_out_tenure
        ``[tenure, outside_labour]``: the same by dwelling tenure (:data:`~.households.TENURES`),
        for dwellings an udviklingsplan moves to another market.
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
    move_out_tenure: FloatArray = field(default_factory=lambda: np.zeros((len(TENURES), 2)))


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
    tenure_index = {name: i for i, name in enumerate(TENURES)}
    tenure = d["tenure"].map(tenure_index).fillna(TENURES.index("owner_occupied"))
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
        dwelling_tenure=np.asarray(tenure, dtype=np.int64),
    )
    return city, pd.Series(np.arange(len(d)), index=d["address_id"].to_numpy())


def unit_centroids(addresses: pd.DataFrame, unit_ids: list[str]) -> FloatArray:
    """Mean address coordinates of each screening unit (for spatial weights)."""
    means = addresses.groupby("screening_unit")[["x", "y"]].mean()
    return means.reindex(unit_ids).to_numpy(float)


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
    panel = read_panel(microdata, years, dwelling_of)
    sums = household_sums(panel.persons, panel.household, len(panel.head))
    base = panel.head_year == start
    poverty_line = 0.5 * float(np.median(equivalised_income(sums)[base]))
    groups = household_groups(sums, poverty_line)
    moved, moved_in = _moves(panel)
    state = _start_state(panel, start)
    donors = _donors(panel, moved_in, city, groups, sums)
    dynamics = _transitions(panel, _move_out(panel, moved, city, groups), poverty_line)
    dynamics = replace(dynamics, move_out_tenure=_move_out_tenure(panel, moved, city, groups))
    states = {y: _start_state(panel, y) for y in years} if all_states else {}
    return Observed(city, state, start, donors, dynamics, unit_xy, states)


def _moves(panel: Panel) -> tuple[BoolArray, BoolArray]:
    """Per household-year: its reference person lives elsewhere next year (moved out) /
    lived elsewhere or nowhere in the city the year before (moved in). "Lives" means: is the
    reference person of a household at that address."""
    year = panel.head_year
    person = panel.person[panel.head]
    dwelling = panel.dwelling
    following, preceding = next_year(person, year)
    moved = (year != year.max()) & (
        (following < 0) | (dwelling[np.maximum(following, 0)] != dwelling)
    )
    moved_in = (year != year.min()) & (
        (preceding < 0) | (dwelling[np.maximum(preceding, 0)] != dwelling)
    )
    return moved, moved_in


def _move_out(panel: Panel, moved: BoolArray, city: City, groups: IntArray) -> FloatArray:
    year = panel.head_year
    observed = year < year.max()
    stratum = city.dwelling_stratum[panel.dwelling][observed]
    outside = (groups & 1)[observed]
    cell = stratum * 2 + outside
    n = city.n_strata * 2
    rates = np.bincount(cell, weights=moved[observed], minlength=n) / np.maximum(
        np.bincount(cell, minlength=n), 1
    )
    return rates.reshape(city.n_strata, 2)


def _move_out_tenure(panel: Panel, moved: BoolArray, city: City, groups: IntArray) -> FloatArray:
    """Move-out rates ``[tenure, outside_labour]`` (as :func:`_move_out`, by dwelling tenure)."""
    year = panel.head_year
    observed = year < year.max()
    cell = city.dwelling_tenure[panel.dwelling][observed] * 2 + (groups & 1)[observed]
    n = len(TENURES) * 2
    rates = np.bincount(cell, weights=moved[observed], minlength=n) / np.maximum(
        np.bincount(cell, minlength=n), 1
    )
    return rates.reshape(len(TENURES), 2)


def _start_state(panel: Panel, start: int) -> State:
    mask = panel.year == start
    first = np.flatnonzero(panel.head_year == start)
    index = panel.household[mask] - int(first[0])
    return State(
        persons=panel.persons.take(mask),
        person_household=index,
        household_dwelling=panel.dwelling[first],
        household_id=np.arange(len(first), dtype=np.int64),
    )


def _donors(
    panel: Panel,
    moved_in: BoolArray,
    city: City,
    groups: IntArray,
    sums: dict[str, FloatArray],
) -> Donors:
    chosen = np.flatnonzero(moved_in)
    if len(chosen) == 0:
        raise InputError.single("persons", "no household moved in any year: cannot estimate")
    persons, household = panel.persons, panel.household
    keep = moved_in[household]
    new_index = np.cumsum(moved_in) - 1
    sizes = np.bincount(new_index[household[keep]], minlength=len(chosen))
    return Donors(
        persons=persons.take(keep),
        start=np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64),
        size=sizes.astype(np.int64),
        stratum=city.dwelling_stratum[panel.dwelling[chosen]],
        groups=groups[chosen],
        adults=sums["adults"][chosen],
        outside_fraction=sums["outside_fraction"][chosen],
        dwelling=panel.dwelling[chosen].astype(np.int64),
    )


def _transitions(panel: Panel, move_out: FloatArray, poverty_line: float) -> Dynamics:
    persons = panel.persons
    outside = (persons.no_attachment >= OUTSIDE_FRACTION).astype(np.int64)
    band = age_band(persons.age)
    cell = band * 2 + outside
    n = _N_BANDS * 2
    following, _ = next_year(panel.person, panel.year)
    followed = following >= 0
    entered = np.bincount(
        cell[followed], weights=outside[following[followed]].astype(float), minlength=n
    )
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
