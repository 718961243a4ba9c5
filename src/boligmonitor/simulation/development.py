"""Udviklingsplan measures in the simulation (Almenboligloven § 168 a).

An omdannelsesområde's development plan brings its share of almene familieboliger to at most
40 % by 1 January 2030 through demolition, sale, conversion to youth or elderly dwellings, new
dwellings of other kinds and commercial floor space (see ``docs/udviklingsplaner.md``; the
counting rules are :mod:`boligmonitor.udviklingsplan.counting`). In the simulation each measure
takes effect in the simulated year whose 1 January it first counts at (a measure dated in 2024
counts from 1 January 2025, so it happens during the simulated year 2025):

- the chosen family dwellings of the area (drawn at random from its family dwellings with the
  run's plan generator) are demolished, sold (they become private rental dwellings) or
  converted (youth or elderly dwellings); their households are re-housed (genhusning) unless
  the plan says ``rehoused: 0`` for a sale or conversion;
- new dwellings are added to the area with the living area typical of their tenure;
- sold, converted and new dwellings stay in the area for the lists (their residents count in
  its criteria, a reading: the boligområde is the land it stood on) but are let outside its
  public waiting list: in-movers of private dwellings come from the observed in-movers to
  private dwellings of the same tenure; converted youth and elderly dwellings from the
  observed in-movers to youth or elderly dwellings (else to households whose reference person
  is 18-29 or 65 and over).

Everything is vectorised over dwellings and households; the only Python loop is over the few
measures of a year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from boligmonitor.simulation.estimate import Donors, Dynamics, Observed
from boligmonitor.simulation.households import TENURES, BoolArray, City, FloatArray, IntArray
from boligmonitor.udviklingsplan.counting import COMMERCIAL, DEMOLISHED, CountingRules
from boligmonitor.udviklingsplan.plan import AreaPlan, Measure
from boligmonitor.udviklingsplan.stock import Stock

__all__ = ["GONE", "Development", "Works", "YearWorks", "apply_works", "development"]

#: Tenure code of a demolished dwelling.
GONE = -1
FAMILY, ELDERLY, YOUTH = (
    TENURES.index(t) for t in ("almen_family", "almen_elderly", "almen_youth")
)
_PUBLIC = TENURES.index("public")
#: Tenure -> letting market outside the areas (``n_areas + class``), as in :mod:`.estimate`.
_PRIVATE_CLASS = {TENURES.index(t): k for k, t in enumerate(TENURES[4:], start=1)}
_AFFORDABLE = (FAMILY, _PUBLIC, TENURES.index("private_rental"))


@dataclass(frozen=True)
class Works:
    """One plan measure as the simulation applies it.

    ``source``/``target`` are tenure codes (:data:`~.households.TENURES`); ``source`` is
    ``None`` for new dwellings, ``target`` is ``None`` for demolition and commercial floor
    space (``m2``).
    """

    year: int
    area: int
    kind: str
    source: int | None
    target: int | None
    dwellings: int
    m2: int
    rehouse: bool


@dataclass(frozen=True)
class Development:
    """The plans of a workspace prepared for one simulated city.

    Attributes
    ----------
    works
        Measures that take effect after the start year, by year.
    planned
        Areas with a plan.
    demolished_base, commercial_base
        Per area at 1 January of the start year: demolished dwellings counted in the total and
        commercial floor space (m²), from the plans' stock.
    observed
        The observed city with the markets of converted dwellings added (donors, move-out).
    new_m2
        Living area of a new dwelling per tenure (the median of the city's dwellings).
    area_unit
        Screening unit of new dwellings per area (the area's most common unit).
    skipped
        Plan areas not among the simulated city's areas.
    """

    works: tuple[Works, ...]
    planned: BoolArray
    demolished_base: IntArray
    commercial_base: IntArray
    rules: CountingRules
    observed: Observed
    new_m2: FloatArray
    area_unit: IntArray
    skipped: tuple[str, ...]

    def in_year(self, year: int) -> tuple[Works, ...]:
        """The measures taking effect in the simulated ``year``."""
        return tuple(w for w in self.works if w.year == year)

    def commercial(self, year: int) -> IntArray:
        """Commercial floor space per area at 1 January ``year``."""
        m2 = self.commercial_base.copy()
        for w in self.works:
            if w.year <= year and w.m2:
                m2[w.area] += w.m2
        return m2


def _tenure_of(category: str | None, rules: CountingRules) -> int | None:
    if category is None or category in (DEMOLISHED, COMMERCIAL):
        return None
    tenures = [t for t, c in rules.microdata_tenure.items() if c == category]
    return TENURES.index(tenures[0]) if tenures else _PUBLIC


def _works(measure: Measure, area: int, rules: CountingRules) -> Works:
    kind = rules.kind(measure.kind)
    source = _tenure_of(kind.from_category, rules)
    demolish = kind.to_category == DEMOLISHED
    if measure.rehoused is not None and not demolish:
        rehouse = measure.rehoused > 0
    else:
        rehouse = source is not None and (demolish or kind.rehoused_per_dwelling > 0)
    return Works(
        year=measure.date.year + 1,
        area=area,
        kind=kind.id,
        source=source,
        target=_tenure_of(kind.to_category, rules),
        dwellings=measure.dwellings or 0,
        m2=measure.m2 or 0,
        rehouse=rehouse,
    )


def _markets(observed: Observed) -> int:
    """The first market number free for converted youth and elderly dwellings."""
    return max(observed.city.n_strata, observed.city.n_areas + 4)


def _extended(observed: Observed) -> Observed:
    """Add the markets of converted youth and elderly dwellings: in-movers observed moving into
    such dwellings (else households with a reference person aged 18-29 / 65+), and their
    move-out rates by tenure."""
    city, donors, dynamics = observed.city, observed.donors, observed.dynamics
    first = _markets(observed)
    known = len(donors.dwelling) == len(donors.start) and len(city.dwelling_tenure)
    tenure = city.dwelling_tenure[donors.dwelling] if known else np.full(len(donors.start), -9)
    head_age = donors.persons.age[donors.start]
    chosen, markets = [], []
    for code, market, (low, high) in ((YOUTH, first, (18, 29)), (ELDERLY, first + 1, (65, 200))):
        pick = np.flatnonzero(tenure == code)
        if not len(pick):
            pick = np.flatnonzero((head_age >= low) & (head_age <= high))
        if not len(pick):
            pick = np.arange(len(donors.start))
        chosen.append(pick)
        markets.append(np.full(len(pick), market, dtype=np.int64))
    extra = np.concatenate(chosen)

    def grown(values: np.ndarray) -> np.ndarray:
        return np.concatenate([values, values[extra]])

    more = Donors(
        persons=donors.persons,
        start=grown(donors.start),
        size=grown(donors.size),
        stratum=np.concatenate([donors.stratum, *markets]),
        groups=grown(donors.groups),
        adults=grown(donors.adults),
        outside_fraction=grown(donors.outside_fraction),
        dwelling=grown(donors.dwelling) if known else np.zeros(0, dtype=np.int64),
        observed=len(donors.start),
    )
    return replace(observed, donors=more, dynamics=_move_out_rows(dynamics, city, first))


def _move_out_rows(dynamics: Dynamics, city: City, first: int) -> Dynamics:
    rates = np.zeros((first + 2, 2))
    rates[: len(dynamics.move_out)] = dynamics.move_out
    by_tenure = dynamics.move_out_tenure
    for tenure, k in _PRIVATE_CLASS.items():
        row = city.n_areas + k
        if row >= len(dynamics.move_out):
            rates[row] = by_tenure[tenure]
    rates[first], rates[first + 1] = by_tenure[YOUTH], by_tenure[ELDERLY]
    return replace(dynamics, move_out=rates)


def _area_units(city: City) -> IntArray:
    unit = np.full(city.n_areas, -1, dtype=np.int64)
    known = (city.dwelling_area >= 0) & (city.dwelling_unit >= 0)
    if known.any():
        cells = city.dwelling_area[known] * (len(city.unit_ids) + 1) + city.dwelling_unit[known]
        values, counts = np.unique(cells, return_counts=True)
        order = np.lexsort((-counts, values // (len(city.unit_ids) + 1)))
        areas = values[order] // (len(city.unit_ids) + 1)
        first = np.concatenate([[True], np.diff(areas) != 0])
        unit[areas[first]] = values[order][first] % (len(city.unit_ids) + 1)
    return unit


def _new_m2(city: City) -> FloatArray:
    typical = float(np.nanmedian(city.dwelling_m2)) if len(city.dwelling_m2) else 60.0
    m2 = np.full(len(TENURES), typical)
    for code in range(len(TENURES)):
        values = city.dwelling_m2[city.dwelling_tenure == code]
        if len(values) and not np.isnan(values).all():
            m2[code] = float(np.nanmedian(values))
    return m2


def development(
    observed: Observed,
    plans: Sequence[AreaPlan],
    rules: CountingRules,
    stocks: Mapping[str, Stock] | None = None,
) -> Development:
    """Prepare the plans for a simulation of ``observed``.

    Parameters
    ----------
    plans
        The workspace's udviklingsplaner (validated).
    rules
        Counting rules (measure kinds, categories, the 40 % target).
    stocks
        Per plan area its stock at 1 January of the start year under the plan (commercial
        floor space and demolished dwellings counted in the total); missing: zero.

    Measures counting from the start year or earlier are taken as already in the observed city.
    """
    city = observed.city
    index = {area: i for i, area in enumerate(city.area_ids)}
    planned = np.zeros(city.n_areas, dtype=bool)
    demolished = np.zeros(city.n_areas, dtype=np.int64)
    commercial = np.zeros(city.n_areas, dtype=np.int64)
    works: list[Works] = []
    skipped = []
    for plan in plans:
        area = index.get(plan.area_id)
        if area is None:
            skipped.append(plan.area_id)
            continue
        planned[area] = True
        stock = (stocks or {}).get(plan.area_id, Stock())
        demolished[area], commercial[area] = stock.demolished_not_replaced, stock.commercial_m2
        chosen = (_works(m, area, rules) for m in sorted(plan.measures, key=lambda m: m.date))
        works.extend(w for w in chosen if w.year > observed.start_year)
    if city.n_areas and not len(city.dwelling_tenure):
        raise ValueError("the simulated city has no dwelling tenures")
    return Development(
        works=tuple(sorted(works, key=lambda w: w.year)),
        planned=planned,
        demolished_base=demolished,
        commercial_base=commercial,
        rules=rules,
        observed=_extended(observed),
        new_m2=_new_m2(city),
        area_unit=_area_units(city),
        skipped=tuple(skipped),
    )


@dataclass(frozen=True)
class YearWorks:
    """A year's measures applied to a run's city.

    ``affected``: per dwelling, its households must leave (re-housing); ``gone``: demolished
    (this year or before); ``new``: the dwellings built this year; ``demolished`` and
    ``replaced``: per area, dwellings demolished and new family dwellings replacing them;
    ``counts``: dwellings demolished, changed and built.
    """

    city: City
    affected: BoolArray
    gone: BoolArray
    new: IntArray
    demolished: IntArray
    replaced: IntArray
    counts: dict[str, int]


def _market(tenure: int, area: int, city: City, first: int) -> tuple[int, int]:
    """Letting market and rule area of a dwelling of ``tenure`` in ``area`` after a measure."""
    if tenure in (FAMILY, _PUBLIC):
        return area, area
    if tenure in (YOUTH, ELDERLY):
        return first + (tenure == ELDERLY), -1
    return city.n_areas + _PRIVATE_CLASS[tenure], -1


def apply_works(
    city: City, works: Sequence[Works], plan: Development, rng: np.random.Generator
) -> YearWorks:
    """Apply one year's measures to ``city`` (dwellings chosen with ``rng``)."""
    first = _markets(plan.observed)
    tenure = city.dwelling_tenure.copy()
    stratum = city.dwelling_stratum.copy()
    rule_area = city.rule_area.copy()
    affordable = city.dwelling_affordable.copy()
    affected = np.zeros(len(tenure), dtype=bool)
    demolished = np.zeros(city.n_areas, dtype=np.int64)
    replaced = np.zeros(city.n_areas, dtype=np.int64)
    counts = {"dwellings_demolished": 0, "dwellings_changed": 0, "dwellings_built": 0}
    built: list[tuple[int, int, int]] = []
    for w in works:
        if w.source is None:
            if w.target is not None and w.dwellings:
                built.append((w.area, w.target, w.dwellings))
                counts["dwellings_built"] += w.dwellings
                if w.target == TENURES.index(plan.rules.demolished.replaced_by):
                    replaced[w.area] += w.dwellings
            continue
        candidates = np.flatnonzero((city.dwelling_area == w.area) & (tenure == w.source))
        chosen = rng.choice(candidates, min(w.dwellings, len(candidates)), replace=False)
        affected[chosen] |= w.rehouse or w.target is None
        if w.target is None:
            tenure[chosen], rule_area[chosen], affordable[chosen] = GONE, -1, False
            demolished[w.area] += len(chosen)
            counts["dwellings_demolished"] += len(chosen)
            continue
        market, ruled = _market(w.target, w.area, city, first)
        tenure[chosen], stratum[chosen], rule_area[chosen] = w.target, market, ruled
        affordable[chosen] = w.target in _AFFORDABLE
        counts["dwellings_changed"] += len(chosen)
    new_city = replace(
        city,
        dwelling_tenure=tenure,
        dwelling_stratum=stratum,
        letting_area=rule_area,
        dwelling_affordable=affordable,
    )
    new_city, new = _build(new_city, built, plan, first)
    affected = np.concatenate([affected, np.zeros(len(new), dtype=bool)])
    return YearWorks(
        new_city, affected, new_city.dwelling_tenure == GONE, new, demolished, replaced, counts
    )


def _build(
    city: City, built: Sequence[tuple[int, int, int]], plan: Development, first: int
) -> tuple[City, IntArray]:
    """Append new dwellings ``(area, tenure, count)`` to the city."""
    if not built:
        return city, np.zeros(0, dtype=np.int64)
    area = np.concatenate([np.full(n, a, dtype=np.int64) for a, _, n in built])
    tenure = np.concatenate([np.full(n, t, dtype=np.int64) for _, t, n in built])
    markets = [_market(t, a, city, first) for a, t, _ in built]
    stratum = np.concatenate(
        [np.full(n, m[0]) for m, (_, _, n) in zip(markets, built, strict=True)]
    )
    ruled = np.concatenate([np.full(n, m[1]) for m, (_, _, n) in zip(markets, built, strict=True)])
    start = len(city.dwelling_area)
    grown = replace(
        city,
        dwelling_area=np.concatenate([city.dwelling_area, area]),
        dwelling_unit=np.concatenate([city.dwelling_unit, plan.area_unit[area]]),
        dwelling_stratum=np.concatenate([city.dwelling_stratum, stratum.astype(np.int64)]),
        dwelling_affordable=np.concatenate(
            [city.dwelling_affordable, np.isin(tenure, _AFFORDABLE)]
        ),
        dwelling_m2=np.concatenate([city.dwelling_m2, plan.new_m2[tenure]]),
        dwelling_tenure=np.concatenate([city.dwelling_tenure, tenure]),
        letting_area=np.concatenate([city.rule_area, ruled.astype(np.int64)]),
    )
    return grown, np.arange(start, start + len(area), dtype=np.int64)
