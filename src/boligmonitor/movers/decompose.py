"""Why a criterion's share changed: stayers, movers, entries and exits, added up exactly.

A criterion is a ratio of sums over the residents of an area, ``R = scale · (N / D) / M``: the
numerator ``N`` and denominator ``D`` are the sums of the criterion's row-level measure
(:mod:`boligmonitor.indicators.statutory`), ``M`` is 1 for shares and the region's mean for the
income criterion. Between two years every resident of either year belongs to exactly one group
``g`` (stayers, stayers who aged into or out of the band, out-movers, in-movers, exits, entries),
and the group changes the sums by ``ΔN_g`` and ``ΔD_g``. With ``m = N / D``,

.. math::

    R_1 - R_0 = \\sum_g \\frac{\\text{scale}}{M_1} \\cdot \\frac{ΔN_g - m_0 ΔD_g}{D_1}
               + \\text{scale} \\cdot m_0 \\left(\\frac{1}{M_1} - \\frac{1}{M_0}\\right),

because ``Σ_g ΔN_g = N_1 − N_0`` and ``Σ_g ΔD_g = D_1 − D_0``, so the sum is
``scale · (m_1 − m_0) / M_1`` plus the last (regional) term. A group that leaves contributes
``−D_g (m_g − m_0) / D_1``: people leaving with a higher share than the area's lower it. Every sum
is a :class:`fractions.Fraction` of the exact binary values, so the components add up to the
observed change with no residual.

This is the components-of-change (demographic accounting) decomposition used to separate
selective migration from in-situ change in neighbourhood studies: Andersson, R. & Bråmå, Å.
(2004), "Selective migration in Swedish distressed neighbourhoods", *Housing Studies* 19(4),
517–539; Bailey, N. & Livingston, M. (2008), "Selective migration and neighbourhood deprivation",
*Urban Studies* 45(4), 943–961; for the ratio algebra, Kitagawa, E. M. (1955), "Components of a
difference between two rates", *JASA* 50(272), 1168–1194.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

__all__ = [
    "COMPONENTS",
    "Component",
    "Decomposition",
    "classify",
    "decompose",
    "exact_sum",
]

#: Component ids in the order a waterfall shows them.
COMPONENTS = (
    "stayers",
    "ageing_in",
    "ageing_out",
    "out_movers",
    "in_movers",
    "exits",
    "entries",
    "region",
)


@dataclass(frozen=True)
class Component:
    """One group's part of a change.

    Attributes
    ----------
    id
        One of :data:`COMPONENTS`.
    contribution
        Percentage points (exact).
    persons
        Persons of the group in the criterion's population in either year (the disclosure base).
    """

    id: str
    contribution: Fraction
    persons: int


@dataclass(frozen=True)
class Decomposition:
    """The change of one criterion in one area between two years, split into components."""

    area_id: str
    criterion: str
    year_from: int
    year_to: int
    value_from: Fraction
    value_to: Fraction
    population_from: int
    population_to: int
    components: tuple[Component, ...]

    @property
    def change(self) -> Fraction:
        """The observed change in percentage points."""
        return self.value_to - self.value_from

    def residual(self) -> Fraction:
        """Observed change minus the components' sum (zero by construction)."""
        return self.change - sum((c.contribution for c in self.components), Fraction(0))

    def rows(self) -> list[dict[str, object]]:
        """One row per component plus a ``total`` row (floats), for tables and disclosure."""
        common = {
            "area_id": self.area_id,
            "criterion": self.criterion,
            "year_from": self.year_from,
            "year_to": self.year_to,
        }
        rows: list[dict[str, object]] = [
            {
                **common,
                "component": c.id,
                "contribution_pp": float(c.contribution),
                "persons": c.persons,
            }
            for c in self.components
        ]
        rows.append(
            {
                **common,
                "component": "total",
                "contribution_pp": float(self.change),
                "persons": min(self.population_from, self.population_to),
                "value_from": float(self.value_from),
                "value_to": float(self.value_to),
            }
        )
        return rows


def exact_sum(values: Iterable[float]) -> Fraction:
    """The exact sum of binary floats (grouping equal values first, so it stays fast)."""
    counts = pd.Series(list(values), dtype="float64").value_counts()
    return sum(
        (Fraction(float(v)) * int(n) for v, n in zip(counts.index, counts.to_numpy(), strict=True)),
        Fraction(0),
    )


def classify(persons: pd.DataFrame, area_id: str, year_from: int, year_to: int) -> pd.DataFrame:
    """Every resident of the area in either year, with both years' values and a group.

    Parameters
    ----------
    persons
        Person-years with ``person_id``, ``year``, ``area_id``, ``num``, ``den`` (the criterion's
        row-level measure); other columns (e.g. ``municipality_code``) are carried along with
        suffixes ``_from``/``_to``.
    area_id, year_from, year_to
        The area and the two years (status at 1 January).

    Returns
    -------
    pandas.DataFrame
        One row per person with ``group`` (a component id) and ``in_from``/``in_to``.
    """
    before = persons[persons["year"] == year_from].drop(columns="year")
    after = persons[persons["year"] == year_to].drop(columns="year")
    ids = set(before.loc[before["area_id"] == area_id, "person_id"]) | set(
        after.loc[after["area_id"] == area_id, "person_id"]
    )
    both = before[before["person_id"].isin(ids)].merge(
        after[after["person_id"].isin(ids)],
        on="person_id",
        how="outer",
        suffixes=("_from", "_to"),
        indicator=True,
    )
    present_from = both["_merge"].isin(["both", "left_only"]).to_numpy()
    present_to = both["_merge"].isin(["both", "right_only"]).to_numpy()
    in_from = present_from & (both["area_id_from"] == area_id).to_numpy()
    in_to = present_to & (both["area_id_to"] == area_id).to_numpy()
    den_from = both["den_from"].fillna(0).to_numpy() > 0
    den_to = both["den_to"].fillna(0).to_numpy() > 0
    stayer = in_from & in_to
    group = np.select(
        [
            stayer & den_from & ~den_to,
            stayer & ~den_from & den_to,
            stayer,
            in_from & present_to,
            in_from,
            in_to & present_from,
        ],
        ["ageing_out", "ageing_in", "stayers", "out_movers", "exits", "in_movers"],
        default="entries",
    )
    out = both.drop(columns="_merge").assign(group=group, in_from=in_from, in_to=in_to)
    out["persons_base"] = (in_from & den_from) | (in_to & den_to)
    return out


def _sums(frame: pd.DataFrame, side: str) -> tuple[Fraction, Fraction]:
    mask = frame[f"in_{side}"].to_numpy()
    num = exact_sum(frame.loc[mask, f"num_{side}"].fillna(0.0))
    den = exact_sum(frame.loc[mask, f"den_{side}"].fillna(0.0))
    return num, den


def decompose(
    persons: pd.DataFrame,
    area_id: str,
    criterion: str,
    year_from: int,
    year_to: int,
    scale: int = 100,
    region_means: tuple[Fraction, Fraction] | None = None,
) -> Decomposition | None:
    """Split the change of one criterion in one area between two years into components.

    Parameters
    ----------
    persons
        Person-years with ``person_id``, ``year``, ``area_id``, ``num`` and ``den`` of the
        criterion (both years; persons elsewhere are needed to tell movers from exits).
    area_id, criterion, year_from, year_to
        What to decompose.
    scale
        100 for percentages.
    region_means
        For a criterion relative to the region (income): the region's mean in each year. The
        change of the regional mean is then a component of its own (``region``).

    Returns
    -------
    Decomposition or None
        ``None`` when the criterion's population is empty in either year (no share to change).

    Examples
    --------
    One of two 18-64-year-olds finds work: the share falls 50 points, all of it stayers.

    >>> frame = pd.DataFrame({"person_id": [1, 2, 1, 2], "year": [2020, 2020, 2021, 2021],
    ...     "area_id": ["A"] * 4, "num": [1.0, 0.0, 0.0, 0.0], "den": [1, 1, 1, 1]})
    >>> d = decompose(frame, "A", "labour", 2020, 2021)
    >>> float(d.change), d.residual()
    (-50.0, Fraction(0, 1))
    """
    frame = classify(persons, area_id, year_from, year_to)
    num0, den0 = _sums(frame, "from")
    num1, den1 = _sums(frame, "to")
    if den0 == 0 or den1 == 0:
        return None
    mean0 = num0 / den0
    region0, region1 = region_means or (Fraction(1), Fraction(1))
    components = [
        _group_component(frame[frame["group"] == c], c, mean0, den1 * region1, scale)
        for c in COMPONENTS[:-1]
    ]
    if region_means is not None:
        components.append(_region_component(mean0, region0, region1, scale, int(den0 + den1)))
    return Decomposition(
        area_id=area_id,
        criterion=criterion,
        year_from=year_from,
        year_to=year_to,
        value_from=scale * mean0 / region0,
        value_to=scale * (num1 / den1) / region1,
        population_from=int(den0),
        population_to=int(den1),
        components=tuple(components),
    )


def _group_component(
    group: pd.DataFrame, component: str, mean0: Fraction, base: Fraction, scale: int
) -> Component:
    """A group's part ``scale · (ΔN_g − m_0 ΔD_g) / (D_1 M_1)`` (``base`` is ``D_1 M_1``)."""
    g_num1, g_den1 = _sums(group, "to")
    g_num0, g_den0 = _sums(group, "from")
    delta = (g_num1 - g_num0) - mean0 * (g_den1 - g_den0)
    return Component(component, scale * delta / base, int(group["persons_base"].sum()))


def _region_component(
    mean0: Fraction, region0: Fraction, region1: Fraction, scale: int, persons: int
) -> Component:
    """The change of the regional mean: ``scale · m_0 (1 / M_1 − 1 / M_0)``."""
    return Component("region", scale * mean0 * (1 / region1 - 1 / region0), persons)
