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
import pyarrow as pa
import pyarrow.compute as pc

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


@dataclass(frozen=True)
class _Panel:
    """The person panel sorted by year, address and person id, as numpy arrays.

    ``household`` numbers the (year, address) groups in order; ``head`` is the row of each
    household's reference person (its lowest person id) and ``dwelling`` its dwelling index.
    """

    year: IntArray
    person: IntArray
    household: IntArray
    head: IntArray
    dwelling: IntArray
    persons: Persons

    @property
    def head_year(self) -> IntArray:
        """List year of each household."""
        return self.year[self.head]


def _panel_table(microdata: Microdata, years: Sequence[int]) -> pa.Table:
    """The persons of ``years`` with text columns reduced to flags (in storage order)."""
    p = microdata.persons
    p = p.filter(p.year.isin(list(years)))
    table: pa.Table = p.select(
        person_id=p.person_id.cast("int64"),
        year=p.year.cast("int64"),
        address_id=p.address_id.cast("int64"),
        age="age",
        nonwestern=p.origin.isin(["nonwestern_immigrant", "nonwestern_descendant"]),
        no_attachment=p.no_attachment_fraction.cast("float64"),
        permanently_outside="permanently_outside_labour_force",
        in_education="in_education",
        basic_education=p.education.isin(["basic", "unknown", "foreign_not_approved"]),
        no_education=p.education.isin(["basic", "unknown"]) & ~p.in_education,
        gross_income=p.gross_income.cast("float64"),
        disposable_income=p.disposable_income.cast("float64"),
        taxpayer="taxpayer",
        convicted="convicted",
    ).to_pyarrow()
    return table


def _column(table: pa.Table, name: str, dtype: type) -> Any:
    """A column as numpy: missing values become NaN (float) or 0/False."""
    column = table.column(name)
    if column.null_count == 0 and dtype is not float:
        return np.asarray(column.to_numpy(), dtype=dtype)
    if dtype is float:
        return np.asarray(column.cast(pa.float64()).to_numpy(), dtype=np.float64)
    filled = pc.fill_null(column, False if dtype is bool else 0)
    return np.asarray(filled.to_numpy(), dtype=dtype)


def _persons(table: pa.Table) -> Persons:
    return Persons(
        age=_column(table, "age", np.int64),
        nonwestern=_column(table, "nonwestern", bool),
        no_attachment=_column(table, "no_attachment", float),
        permanently_outside=_column(table, "permanently_outside", bool),
        in_education=_column(table, "in_education", bool),
        basic_education=_column(table, "basic_education", bool),
        no_education=_column(table, "no_education", bool),
        gross_income=_column(table, "gross_income", float),
        disposable_income=_column(table, "disposable_income", float),
        taxpayer=_column(table, "taxpayer", bool),
        convicted=_column(table, "convicted", bool),
    )


def _panel(microdata: Microdata, years: Sequence[int], dwelling_of: pd.Series) -> _Panel:
    table = _panel_table(microdata, years)
    year, address, person = (
        _column(table, name, np.int64) for name in ("year", "address_id", "person_id")
    )
    order = _panel_order(year, address, person)
    year, address, person = year[order], address[order], person[order]
    first = np.ones(len(year), dtype=bool)
    first[1:] = (year[1:] != year[:-1]) | (address[1:] != address[:-1])
    head = np.flatnonzero(first)
    dwelling = pd.Index(dwelling_of.index).get_indexer(address[head])
    if (dwelling < 0).any():
        missing = address[head][dwelling < 0][0]
        raise InputError.single("persons", f"no dwelling at address {missing}", column="address_id")
    return _Panel(
        year=year,
        person=person,
        household=np.cumsum(first) - 1,
        head=head,
        dwelling=dwelling_of.to_numpy(np.int64)[dwelling],
        persons=_persons(table).take(order),
    )


def _panel_order(year: IntArray, address: IntArray, person: IntArray) -> IntArray:
    """Row order by year, address and person id (one int64 key when the ids allow it)."""
    if not len(year):
        return np.zeros(0, dtype=np.int64)
    low = [int(v.min()) for v in (year, address, person)]
    spans = [int(v.max()) - lo + 1 for v, lo in zip((year, address, person), low, strict=True)]
    if spans[0] * spans[1] * spans[2] < np.iinfo(np.int64).max:
        key = ((year - low[0]) * spans[1] + (address - low[1])) * spans[2] + (person - low[2])
        return np.argsort(key).astype(np.int64)
    return np.lexsort((person, address, year)).astype(np.int64)


def _next_year(person: IntArray, year: IntArray) -> tuple[IntArray, IntArray]:
    """For each row, the row of the same person one year later / earlier (-1: none);
    ``(person, year)`` is unique. One sort by person and year (a single int64 key when the ids
    allow it)."""
    n = len(person)
    following, preceding = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    if n == 0:
        return following, preceding
    span = int(year.max() - year.min()) + 2
    people = person - person.min()
    if int(people.max()) < np.iinfo(np.int64).max // span - 1:
        key = people * span + (year - year.min())
        order = np.argsort(key)
        consecutive = np.diff(key[order]) == 1
    else:
        order = np.lexsort((year, person))
        consecutive = (np.diff(person[order]) == 0) & (np.diff(year[order]) == 1)
    following[order[:-1][consecutive]] = order[1:][consecutive]
    preceding[order[1:][consecutive]] = order[:-1][consecutive]
    return following, preceding


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
            "--start-year", f"needs two or more years including {start}; the microdata has {years}"
        )
    addresses = microdata.addresses.to_pandas()
    city, dwelling_of = city_from_frames(
        microdata.dwellings.to_pandas(), microdata.departments.to_pandas(), addresses
    )
    unit_xy = unit_centroids(addresses, city.unit_ids)
    panel = _panel(microdata, years, dwelling_of)
    sums = household_sums(panel.persons, panel.household, len(panel.head))
    base = panel.head_year == start
    poverty_line = 0.5 * float(np.median(equivalised_income(sums)[base]))
    groups = household_groups(sums, poverty_line)
    moved, moved_in = _moves(panel)
    state = _start_state(panel, start)
    donors = _donors(panel, moved_in, city, groups, sums)
    dynamics = _transitions(panel, _move_out(panel, moved, city, groups), poverty_line)
    states = {y: _start_state(panel, y) for y in years} if all_states else {}
    return Observed(city, state, start, donors, dynamics, unit_xy, states)


def _moves(panel: _Panel) -> tuple[BoolArray, BoolArray]:
    """Per household-year: its reference person lives elsewhere next year (moved out) /
    lived elsewhere or nowhere in the city the year before (moved in). "Lives" means: is the
    reference person of a household at that address."""
    year = panel.head_year
    person = panel.person[panel.head]
    dwelling = panel.dwelling
    following, preceding = _next_year(person, year)
    moved = (year != year.max()) & (
        (following < 0) | (dwelling[np.maximum(following, 0)] != dwelling)
    )
    moved_in = (year != year.min()) & (
        (preceding < 0) | (dwelling[np.maximum(preceding, 0)] != dwelling)
    )
    return moved, moved_in


def _move_out(panel: _Panel, moved: BoolArray, city: City, groups: IntArray) -> FloatArray:
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


def _start_state(panel: _Panel, start: int) -> State:
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
    panel: _Panel,
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
    )


def _transitions(panel: _Panel, move_out: FloatArray, poverty_line: float) -> Dynamics:
    persons = panel.persons
    outside = (persons.no_attachment >= OUTSIDE_FRACTION).astype(np.int64)
    band = age_band(persons.age)
    cell = band * 2 + outside
    n = _N_BANDS * 2
    following, _ = _next_year(panel.person, panel.year)
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
