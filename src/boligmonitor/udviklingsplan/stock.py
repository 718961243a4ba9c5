"""The dwelling stock of an area: dwellings by type and tenure, commercial floor space, and
demolished dwellings counted in the total (Almenboligloven § 168 a, stk. 1).

The stock comes from register microdata (dwellings × tenure, by the departments' boligområde) or
from a user's table with one row per area and year (:data:`STOCK_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from boligmonitor.io.tables import read_raw_table
from boligmonitor.schema.columns import Column, Kind, validate_table
from boligmonitor.udviklingsplan.counting import COMMERCIAL, DEMOLISHED, CountingRules

__all__ = [
    "STOCK_COLUMNS",
    "Stock",
    "read_stock_table",
    "stock_frame",
    "stock_from_microdata",
    "stocks_from_frame",
]


def _count(name: str, description: str, required: bool = False) -> Column:
    return Column(
        name, Kind.INTEGER, required=required, nullable=True, minimum=0, description=description
    )


#: Columns of a user's stock table (CSV, Excel or Parquet); missing counts are zero.
STOCK_COLUMNS: tuple[Column, ...] = (
    Column("area_id", Kind.TEXT, nullable=False, description="Id of the area (boligområde)."),
    Column("year", Kind.INTEGER, nullable=False, minimum=1990, maximum=2100,
           description="Year; the stock at 1 January."),
    Column("area_name", Kind.TEXT, required=False, description="Name of the area."),
    _count("almen_family", required=True,
           description="Public family dwellings (almene familieboliger)."),
    _count("almen_elderly", description="Public elderly dwellings (almene ældreboliger)."),
    _count("almen_youth", description="Public youth dwellings (almene ungdomsboliger)."),
    _count("private_rental", description="Private rental dwellings."),
    _count("andel", description="Cooperative dwellings (andelsboliger)."),
    _count("owner_occupied", description="Owner-occupied dwellings (ejerboliger)."),
    _count("other", description="Other dwellings."),
    _count("commercial_m2", description="Commercial floor space (m²)."),
    _count("demolished_not_replaced",
           description="Dwellings demolished after 2010 and not replaced by almene "
                       "familieboliger."),
)  # fmt: skip


@dataclass(frozen=True)
class Stock:
    """An area's stock at one date.

    Attributes
    ----------
    dwellings
        Category id -> number of dwellings.
    commercial_m2
        Commercial floor space in m².
    demolished_not_replaced
        Dwellings demolished since the rules' cut-off and not replaced by almene familieboliger.
    """

    dwellings: Mapping[str, int] = field(default_factory=dict)
    commercial_m2: int = 0
    demolished_not_replaced: int = 0

    def count(self, category: str) -> int:
        """Dwellings in a category (0 when absent)."""
        if category == COMMERCIAL:
            return self.commercial_m2
        if category == DEMOLISHED:
            return self.demolished_not_replaced
        return int(self.dwellings.get(category, 0))

    def family(self, rules: CountingRules) -> int:
        """Almene familieboliger."""
        return self.count(rules.family_category)

    def total(self, rules: CountingRules) -> Fraction:
        """All dwellings as § 168 a counts them: dwellings, demolished, commercial floor space."""
        total = Fraction(sum(self.count(c) for c in rules.category_ids))
        if rules.demolished.counted_in_total:
            total += self.demolished_not_replaced
        return total + rules.commercial.dwellings(self.commercial_m2)

    def share(self, rules: CountingRules) -> Fraction:
        """The share of almene familieboliger (0 for an empty area)."""
        total = self.total(rules)
        return Fraction(self.family(rules)) / total if total else Fraction(0)

    def moved(self, source: str | None, target: str, amount: int, rules: CountingRules) -> Stock:
        """The stock after moving ``amount`` from ``source`` (``None``: new) to ``target``.

        Raises
        ------
        ValueError
            When ``source`` holds fewer than ``amount``.
        """
        dwellings = dict(self.dwellings)
        demolished, commercial = self.demolished_not_replaced, self.commercial_m2
        if source is not None:
            if self.count(source) < amount:
                raise ValueError(f"only {self.count(source)} in {source}")
            dwellings[source] = self.count(source) - amount
        if target == DEMOLISHED:
            demolished += amount
        elif target == COMMERCIAL:
            commercial += amount
        else:
            dwellings[target] = self.count(target) + amount
            if source is None and target == rules.demolished.replaced_by:
                demolished = max(0, demolished - amount)
        return replace(
            self, dwellings=dwellings, commercial_m2=commercial, demolished_not_replaced=demolished
        )


def read_stock_table(path: str | Path) -> pd.DataFrame:
    """Read and validate a user's stock table; one row per area and year.

    Raises
    ------
    InputError
        Naming the file, row and column of every problem.
    """
    frame = validate_table(read_raw_table(path), STOCK_COLUMNS, key=("area_id", "year"))
    counts = [c.name for c in STOCK_COLUMNS if c.kind is Kind.INTEGER and c.name != "year"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return frame.drop(columns=["source_row"], errors="ignore")


def stock_from_microdata(microdata: Any, year: int, rules: CountingRules) -> pd.DataFrame:
    """Count dwellings per boligområde and tenure from register microdata.

    Dwellings belong to the area of their public housing department; the microdata carry no
    commercial floor space and no demolitions, so those are zero (give them in a stock table).

    Parameters
    ----------
    microdata
        :class:`~boligmonitor.schema.microdata.Microdata`.
    year
        The year the stock is labelled with (the dwellings table has no year).
    rules
        Maps microdata tenure to categories (``microdata_tenure``).
    """
    dwellings, departments = microdata.tables["dwellings"], microdata.tables["departments"]
    joined = dwellings.join(departments, "department_id").filter(departments.area_id.notnull())
    counts = (
        joined.group_by(["area_id", "tenure"])
        .aggregate(n=joined.dwelling_id.count(), area_name=departments.area_name.max())
        .to_pandas()
    )
    counts["category"] = counts["tenure"].map(rules.microdata_tenure)
    wide = counts.pivot_table(
        index="area_id", columns="category", values="n", aggfunc="sum", fill_value=0
    )
    names = counts.groupby("area_id")["area_name"].first()
    return _complete(wide.reset_index(), names, year)


def _complete(wide: pd.DataFrame, names: pd.Series, year: int) -> pd.DataFrame:
    frame = wide.assign(year=year, area_name=wide["area_id"].map(names))
    for column in STOCK_COLUMNS:
        if column.name not in frame:
            frame[column.name] = 0
    counts = [c.name for c in STOCK_COLUMNS if c.kind is Kind.INTEGER]
    frame[counts] = frame[counts].astype("int64")
    frame.columns.name = None
    return frame[[c.name for c in STOCK_COLUMNS]].sort_values("area_id", ignore_index=True)


def stocks_from_frame(frame: pd.DataFrame, rules: CountingRules) -> dict[tuple[str, int], Stock]:
    """Stocks keyed by ``(area_id, year)`` from a stock table."""
    result: dict[tuple[str, int], Stock] = {}
    for row in frame.to_dict("records"):
        dwellings = {c: int(row.get(c, 0) or 0) for c in rules.category_ids}
        result[(str(row["area_id"]), int(row["year"]))] = Stock(
            dwellings,
            int(row.get("commercial_m2", 0) or 0),
            int(row.get("demolished_not_replaced", 0) or 0),
        )
    return result


def stock_frame(
    area_id: str, year: int, stock: Stock, rules: CountingRules, name: str | None = None
) -> pd.DataFrame:
    """One stock as a one-row stock table."""
    row: dict[str, object] = {"area_id": area_id, "year": year, "area_name": name}
    row.update({c: stock.count(c) for c in rules.category_ids})
    row.update(commercial_m2=stock.commercial_m2, demolished=stock.demolished_not_replaced)
    return pd.DataFrame([row]).rename(columns={"demolished": "demolished_not_replaced"})
