"""The persons of a synthetic world, year by year, vectorised.

Households keep their members; each year members age, about 10 % of households are replaced by
newcomers (new person ids) and 8 % move to another dwelling of the same kind (households of the
same size swap dwellings within a boligområde, or within the deprived or the other units), so a
person's status at 1 January follows where they live then. Every person carries fixed uniform
draws; a status is "draw < probability", so statuses persist while probabilities drift slowly.

Probabilities are *calibrated*: inside a boligområde they follow the area's planted statutory
path; elsewhere they are solved per location class (deprived units / the rest) so that the
class as a whole meets Copenhagen's Tabel 1 value of that year (see :mod:`.targets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from boligmonitor.synth.targets import AreaPaths, city_target
from boligmonitor.synth.world import REGIONS, World

__all__ = ["EDUCATION_LEVELS", "ORIGINS", "PersonYear", "Population"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ORIGINS = (
    "danish",
    "western_immigrant",
    "western_descendant",
    "nonwestern_immigrant",
    "nonwestern_descendant",
)
EDUCATION_LEVELS = (
    "basic",
    "unknown",
    "upper_secondary",
    "vocational",
    "short_tertiary",
    "medium_tertiary",
    "long_tertiary",
    "foreign_not_approved",
)
_AGE_BANDS = np.array([0, 16, 20, 30, 40, 50, 60, 67, 100])
_AGE_PMF = np.array([0.15, 0.04, 0.22, 0.18, 0.12, 0.11, 0.07, 0.11])
_SCHOOL_BY_AGE = np.array([1.0] * 16 + [0.85] * 4 + [0.5] * 5 + [0.25] * 5 + [0.03] * 35 + [0.0])
_CRIME_BASE = 0.0075
_CRIME_NATIONAL = 0.0081  # the national share these bases give; areas plan in its multiples
_TURNOVER, _MOVES = 0.10, 0.08
_LATENTS = 9
_PERMANENT_SHARE = 0.55  # of those without attachment, the share permanently outside
_MEDIAN_DISPOSABLE_2017 = 200_000.0


@dataclass
class PersonYear:
    """The persons table of one year (arrays of equal length)."""

    year: int
    columns: dict[str, npt.NDArray[np.generic]] = field(default_factory=dict)


def _ages(rng: np.random.Generator, n: int) -> IntArray:
    band = rng.choice(len(_AGE_PMF), size=n, p=_AGE_PMF)
    low, high = _AGE_BANDS[band], _AGE_BANDS[band + 1]
    ages: IntArray = (low + (rng.random(n) * (high - low)).astype(np.int64)).astype(np.int64)
    return ages


def _cycle_within_blocks(keys: IntArray, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """Positions sorted by key, and for each the next position in its block (cyclically)."""
    order = np.lexsort((rng.random(len(keys)), keys))
    sorted_keys = keys[order]
    new_block = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    starts = np.flatnonzero(new_block)
    ends = np.r_[starts[1:], len(keys)]
    following = np.arange(1, len(keys) + 1)
    following[ends - 1] = starts
    return order, order[following]


def _calibrated(
    group: IntArray,
    band: BoolArray,
    free: BoolArray,
    fixed: FloatArray,
    weight: FloatArray,
    effective: FloatArray,
    targets: FloatArray,
) -> FloatArray:
    """Probabilities for the ``free`` persons so each group's share in ``band`` meets its target.

    ``fixed`` holds the values of persons already decided; a free person's probability is
    ``q[group] × weight`` and contributes ``probability × effective`` to the share.
    """
    groups = len(targets)
    members = np.bincount(group[band], minlength=groups).astype(np.float64)
    decided = np.bincount(group[band & ~free], weights=fixed[band & ~free], minlength=groups)
    mass = np.bincount(group[band & free], weights=effective[band & free], minlength=groups)
    q = np.divide(targets * members - decided, mass, out=np.zeros(groups), where=mass > 0)
    return np.clip(np.maximum(q, 0)[group] * weight, 0, 1)


class Population:
    """Households and persons of a world, advanced one year at a time.

    Parameters
    ----------
    world
        The static structure.
    paths
        The boligområder's planted statutory paths.
    rng
        The seeded generator.
    """

    def __init__(self, world: World, paths: AreaPaths, rng: np.random.Generator) -> None:
        self.world, self.paths, self.rng = world, paths, rng
        sizes = world.household_size
        self.household = np.repeat(np.arange(len(sizes)), sizes).astype(np.int64)
        self.dwelling = world.household_dwelling.copy()
        n = len(self.household)
        self.person_id = np.arange(1, n + 1, dtype=np.int64)
        self.next_id = n + 1
        self.age = _ages(rng, n)
        self.latent = rng.random((_LATENTS, n))
        self.household_draw = rng.random((2, len(sizes)))
        self.origin = np.full(n, -1, dtype=np.int64)
        self.gross_level = np.exp(rng.normal(0, 0.45, n))
        self._adult_heads()

    def _adult_heads(self) -> None:
        first = np.r_[True, self.household[1:] != self.household[:-1]]
        young = first & (self.age < 18)
        self.age[young] = 18 + self.age[young] * 3 % 40

    # -- dynamics ---------------------------------------------------------------------------

    def advance(self) -> None:
        """One year on: ageing, turnover of households and moves."""
        self.age += 1
        rng = self.rng
        replaced = rng.random(len(self.world.household_size)) < _TURNOVER
        persons = replaced[self.household]
        count = int(persons.sum())
        self.person_id[persons] = np.arange(self.next_id, self.next_id + count)
        self.next_id += count
        self.age[persons] = _ages(rng, count)
        self.latent[:, persons] = rng.random((_LATENTS, count))
        self.gross_level[persons] = np.exp(rng.normal(0, 0.45, count))
        self.household_draw[:, replaced] = rng.random((2, int(replaced.sum())))
        self.origin[persons] = -1
        self._adult_heads()
        self._move(rng)

    def _move(self, rng: np.random.Generator) -> None:
        world = self.world
        movers = np.flatnonzero(rng.random(len(world.household_size)) < _MOVES)
        area = world.household_area[movers]
        deprived = world.unit_deprived_ever[world.dwelling_unit[self.dwelling[movers]]]
        kind = np.where(area >= 0, area + 2, deprived.astype(np.int64))
        keys = kind * 8 + np.minimum(world.household_size[movers], 7)
        order, following = _cycle_within_blocks(keys, rng)
        self.dwelling[movers[order]] = self.dwelling[movers[following]]

    # -- one year's statuses ----------------------------------------------------------------

    def person_year(self, year: int) -> PersonYear:
        """Draw every status for ``year`` and return the persons table."""
        world, paths = self.world, self.paths
        column = paths.years.index(year)
        dwelling = self.dwelling[self.household]
        unit = world.dwelling_unit[dwelling]
        ctx = _Context(
            year=year,
            area=world.household_area[self.household],
            group=world.unit_deprived_ever[unit].astype(np.int64),
            weight=world.unit_intensity[unit],
            region=world.municipality_region[world.unit_municipality[unit]],
            municipality=world.unit_municipality[unit],
            age=self.age,
            column=column,
        )
        school = self.latent[0] < _SCHOOL_BY_AGE[np.minimum(self.age, 65)]
        self._draw_origin(ctx)
        permanent, fraction = self._labour(ctx)
        education = self._education(ctx, school)
        convicted = self._crime(ctx)
        taxpayer = (self.age >= 15) & (self.latent[6] < 0.97)
        gross = self._gross_income(ctx, school, taxpayer)
        disposable = self._disposable_income(ctx)
        columns: dict[str, npt.NDArray[np.generic]] = {
            "person_id": self.person_id.copy(),
            "year": np.full(len(self.age), year, dtype=np.int32),
            "address_id": dwelling + 1,
            "age": self.age.astype(np.int32),
            "origin": np.asarray(ORIGINS)[self.origin],
            "no_attachment_fraction": fraction,
            "permanently_outside_labour_force": permanent,
            "in_education": school,
            "education": np.asarray(EDUCATION_LEVELS)[education],
            "gross_income": gross,
            "disposable_income": disposable,
            "taxpayer": taxpayer,
            "convicted": convicted,
        }
        return PersonYear(year, columns)

    def _area_value(self, ctx: _Context, criterion: str) -> FloatArray:
        values = self.paths.value(criterion)[:, ctx.column]
        return np.where(ctx.area >= 0, values[np.maximum(ctx.area, 0)], np.nan)

    def _targets(self, criterion: str, year: int) -> FloatArray:
        return np.array([city_target(flag, criterion, year) / 100 for flag in (False, True)])

    def _draw_origin(self, ctx: _Context) -> None:
        """Origin is fixed per household; newcomers are drawn so the class meets Tabel 1."""
        new = self.origin < 0
        everyone = np.ones(len(new), dtype=bool)
        in_area = ctx.area >= 0
        nonwestern_now = (self.origin >= 3).astype(np.float64)
        area_p = np.nan_to_num(self._area_value(ctx, "ethnicity")) / 100
        draw = self.household_draw[0][self.household]
        area_new = new & in_area
        nonwestern_now[area_new] = draw[area_new] < area_p[area_new]
        free = new & ~in_area
        p = _calibrated(
            ctx.group,
            everyone,
            free,
            nonwestern_now,
            ctx.weight,
            ctx.weight,
            self._targets("nonwestern", ctx.year),
        )
        nonwestern = np.where(free, draw < p, nonwestern_now > 0)
        western = ~nonwestern & (self.household_draw[1][self.household] < 0.07)
        descendant = np.where(ctx.age < 18, self.latent[1] < 0.8, self.latent[1] < 0.12)
        drawn = np.where(nonwestern, 3, np.where(western, 1, 0)) + (
            descendant & (nonwestern | western)
        )
        self.origin[new] = drawn[new]

    def _labour(self, ctx: _Context) -> tuple[BoolArray, FloatArray]:
        """Permanently outside (Copenhagen, 16-66) and the fraction without attachment (§ 61 a)."""
        u = self.latent[2]
        in_area = ctx.area >= 0
        area_b = np.clip(
            (np.nan_to_num(self._area_value(ctx, "labour")) / 100 - 0.0125) / 0.8875, 0, 1
        )
        band = (ctx.age >= 16) & (ctx.age <= 66)
        fixed = (u < _PERMANENT_SHARE * area_b).astype(np.float64)
        a = _calibrated(
            ctx.group,
            band,
            ~in_area,
            fixed,
            ctx.weight,
            ctx.weight,
            self._targets("outside_labour", ctx.year),
        )
        a = np.where(in_area, _PERMANENT_SHARE * area_b, a)
        b = np.where(in_area, area_b, np.minimum(1.0, a / _PERMANENT_SHARE))
        permanent = np.where(band, u < a, ctx.age > 66)
        fraction = np.where(u < b, np.where(u < 0.8 * b, 1.0, 0.5), 0.0)
        fraction = np.where((u >= b) & (self.latent[3] < 0.05), 0.25, fraction)
        fraction = np.where(permanent | (ctx.age > 66), 1.0, np.where(ctx.age < 16, 0.0, fraction))
        return permanent, fraction

    def _education(self, ctx: _Context, school: BoolArray) -> IntArray:
        """Highest completed education; 'low' is basic school or unknown."""
        u = self.latent[4]
        in_area = (ctx.area >= 0) & (ctx.age >= 30) & (ctx.age <= 59)  # the statutory band
        area_p = np.nan_to_num(self._area_value(ctx, "education")) / 100
        band = (ctx.age >= 16) & (ctx.age <= 64)
        fixed = ((u < area_p) & ~school).astype(np.float64)
        attending = (~school).astype(np.float64)
        p = _calibrated(
            ctx.group,
            band,
            ~in_area,
            fixed,
            ctx.weight,
            ctx.weight * attending,
            self._targets("no_education", ctx.year),
        )
        low = (u < np.where(in_area, area_p, p)) | (ctx.age < 16)
        second = self.latent[5]
        low_level = np.where(second < 0.12, 1, 0)
        high_level = 2 + np.searchsorted(np.cumsum([0.2, 0.3, 0.07, 0.2]), second, side="right")
        high_level = np.where(ctx.age < 22, 2, high_level)
        foreign = (self.origin == 3) & (second > 0.96)
        high_level = np.where(foreign, 7, high_level)
        return np.where(low, low_level, high_level).astype(np.int64)

    def _crime(self, ctx: _Context) -> BoolArray:
        multiple = np.where(ctx.area >= 0, self._area_value(ctx, "crime"), 1.0)
        base = np.where(ctx.group == 1, 1.25, 0.95) * _CRIME_BASE
        p = np.where(ctx.area >= 0, multiple * _CRIME_NATIONAL, base)
        p = np.where(ctx.age >= 18, p, np.where(ctx.age >= 15, 0.004, 0.0))
        convicted: BoolArray = self.latent[3] < p
        return convicted

    def _gross_income(self, ctx: _Context, school: BoolArray, taxpayer: BoolArray) -> IntArray:
        """Gross income; each area's mean meets its planted share of the regional mean exactly."""
        level = 300_000.0 * 1.025 ** (ctx.year - 2017) * self.gross_level
        level *= np.where(ctx.group == 1, 0.8, 1.0)
        level *= np.where(ctx.age >= 65, 0.6, 1.0) * np.where(school, 0.3, 1.0)
        group = taxpayer & (ctx.age >= 15) & (ctx.age <= 64) & ~school
        in_area = ctx.area >= 0
        regions = len(REGIONS)
        outside_sum = np.bincount(ctx.region[group & ~in_area], level[group & ~in_area], regions)
        members = np.bincount(ctx.region[group], minlength=regions).astype(np.float64)
        ratio = np.nan_to_num(self._area_value(ctx, "income")) / 100
        weighted = np.bincount(ctx.region[group & in_area], ratio[group & in_area], regions)
        regional_mean = np.divide(
            outside_sum, members - weighted, out=np.zeros(regions), where=members > weighted
        )
        areas = len(self.world.area_ids)
        area_index = np.maximum(ctx.area, 0)
        mask = group & in_area
        mean_level = np.bincount(area_index[mask], self.gross_level[mask], areas) / np.maximum(
            np.bincount(area_index[mask], minlength=areas), 1
        )
        area_income = (
            ratio
            * regional_mean[ctx.region]
            * self.gross_level
            / np.maximum(mean_level[area_index], 1e-9)
        )
        income = np.where(in_area, area_income, level)
        return np.round(np.where(ctx.age < 15, 0.0, income)).astype(np.int64)

    def _disposable_income(self, ctx: _Context) -> IntArray:
        """Disposable income around a known median, with Tabel 1's share at least 25 % below it."""
        adult = ctx.age >= 18
        zeros = np.zeros(len(adult))
        p = _calibrated(
            ctx.group,
            adult,
            adult,
            zeros,
            ctx.weight,
            ctx.weight,
            self._targets("low_income", ctx.year),
        )
        low = adult & (self.latent[7] < p)
        municipalities = len(self.world.municipality_codes)
        low_share = np.bincount(ctx.municipality[adult], low[adult], municipalities) / np.maximum(
            np.bincount(ctx.municipality[adult], minlength=municipalities), 1
        )
        q = ((0.5 - low_share) / np.maximum(1 - low_share, 1e-9))[ctx.municipality]
        v = self.latent[8]
        median = _MEDIAN_DISPOSABLE_2017 * 1.02 ** (ctx.year - 2017)
        upper = (v - q) / np.maximum(1 - q, 1e-9)
        high = np.where(
            v < q,
            0.80 + 0.20 * v / np.maximum(q, 1e-9),
            1.0 + 0.8 * -np.log1p(-np.minimum(upper, 0.999)),
        )
        income = np.where(low, 0.30 + 0.40 * self.latent[1], high) * median
        income = np.where(adult, income, 30_000.0 * v)
        rounded: IntArray = np.round(income).astype(np.int64)
        return rounded


@dataclass(frozen=True)
class _Context:
    year: int
    area: IntArray
    group: IntArray
    weight: FloatArray
    region: IntArray
    municipality: IntArray
    age: IntArray
    column: int
