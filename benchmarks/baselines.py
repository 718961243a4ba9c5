"""Baselines for the statutory indicators: DuckDB SQL and Polars lazy, each written two ways.

All read the same Parquet files as Boligmonitor, keep only the calendar years the list years
need and compute every numeric column of the canonical area statistics for every requested
list year: n-year averages of the labour and crime shares (n from the regime in force, given as
a small table), the list year's education (2013 or 2018 definition), income relative to the
region's mean, non-western share, the previous year's labour share, residents, the four
population bases and the nation's crime share averaged the same way. The two ways of summing
the persons: every person joined to every address (the lookup tables joined first) and every
measure summed for all; and split as Boligmonitor sums (every measure over the persons of
boligområder only, the region's income over its income group, the nation's crime share without
addresses), so that the comparison is between equals (:data:`BASELINES`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl

#: The numeric columns both baselines and Boligmonitor compute (checked equal).
COMPARED = (
    "labour_pct",
    "crime_pct",
    "crime_national_pct",
    "education_pct",
    "income_pct_of_region",
    "nonwestern_pct",
    "outside_labour_pct",
    "residents",
    "pop_18_64",
    "pop_18_plus",
    "pop_30_59",
    "pop_15_64_taxpayers",
)
NONWESTERN = ("nonwestern_immigrant", "nonwestern_descendant")
BASIC_2013 = ("basic", "unknown")
BASIC_2018 = ("basic", "unknown", "foreign_not_approved")

#: Every measure of a person, summed (the same in both ways).
_MEASURES = """
    sum(CASE WHEN age BETWEEN 18 AND 64 THEN no_attachment_fraction ELSE 0 END) AS lab_num,
    sum(CASE WHEN age BETWEEN 18 AND 64 THEN 1 ELSE 0 END) AS lab_den,
    sum(CASE WHEN age >= 18 AND convicted THEN 1 ELSE 0 END) AS cr_num,
    sum(CASE WHEN age >= 18 THEN 1 ELSE 0 END) AS cr_den,
    sum(CASE WHEN age BETWEEN 30 AND 59 AND education IN {basic_2018} THEN 1 ELSE 0 END) AS ed_num,
    sum(CASE WHEN age BETWEEN 30 AND 59 AND education IN {basic_2013} THEN 1 ELSE 0 END)
      AS ed13_num,
    sum(CASE WHEN age BETWEEN 30 AND 59 THEN 1 ELSE 0 END) AS ed_den,
    sum(CASE WHEN taxpayer AND age BETWEEN 15 AND 64 AND NOT in_education
             AND gross_income IS NOT NULL THEN gross_income ELSE 0 END) AS inc_num,
    sum(CASE WHEN taxpayer AND age BETWEEN 15 AND 64 AND NOT in_education
             AND gross_income IS NOT NULL THEN 1 ELSE 0 END) AS inc_den,
    sum(CASE WHEN origin IN {nonwestern} THEN 1 ELSE 0 END) AS nw_num"""

#: Every measure summed over every person joined to every address, then the area, region and
#: nation sums from those (the first way one would write it).
_ONE_SCAN = """
WITH lookup AS (
  SELECT a.address_id, a.municipality_code, m.region_code, dep.area_id
  FROM read_parquet('{d}/addresses.parquet') a
  JOIN read_parquet('{d}/municipalities.parquet') m USING (municipality_code)
  LEFT JOIN read_parquet('{d}/dwellings.parquet') dw USING (address_id)
  LEFT JOIN read_parquet('{d}/departments.parquet') dep USING (department_id)
), g AS (
  SELECT p.year, l.area_id, l.region_code, count(*) AS residents,{measures}
  FROM {persons} p JOIN lookup l USING (address_id)
  GROUP BY ALL
), region AS (
  SELECT year, region_code, sum(inc_num) / nullif(sum(inc_den), 0) AS region_mean
  FROM g GROUP BY ALL
), nation AS (
  SELECT year, 100.0 * sum(cr_num) / nullif(sum(cr_den), 0) AS crime FROM g GROUP BY ALL
), area AS (
  SELECT year, area_id, min(region_code) AS region_code, sum(residents) AS residents,
    sum(lab_num) AS lab_num, sum(lab_den) AS lab_den, sum(cr_num) AS cr_num,
    sum(cr_den) AS cr_den, sum(ed_num) AS ed_num, sum(ed13_num) AS ed13_num,
    sum(ed_den) AS ed_den, sum(inc_num) AS inc_num, sum(inc_den) AS inc_den,
    sum(nw_num) AS nw_num
  FROM g WHERE area_id IS NOT NULL GROUP BY year, area_id
"""

#: Boligmonitor's split: every measure only over persons of boligområder (joined to the
#: addresses of boligområder), the region's mean income over its income group joined to every
#: address, the nation's crime share over every person without any address.
_SPLIT = """
WITH places AS (
  SELECT a.address_id, m.region_code
  FROM read_parquet('{d}/addresses.parquet') a
  JOIN read_parquet('{d}/municipalities.parquet') m USING (municipality_code)
), inside AS (
  SELECT dw.address_id, places.region_code, dep.area_id
  FROM read_parquet('{d}/dwellings.parquet') dw
  JOIN read_parquet('{d}/departments.parquet') dep USING (department_id)
  JOIN places USING (address_id)
), area AS (
  SELECT p.year, area_id, min(region_code) AS region_code, count(*) AS residents,{measures}
  FROM {persons} p JOIN inside USING (address_id)
  GROUP BY p.year, area_id
), region AS (
  SELECT year, region_code, sum(gross_income) / count(*) AS region_mean
  FROM {persons} p JOIN places USING (address_id)
  WHERE taxpayer AND age BETWEEN 15 AND 64 AND NOT in_education AND gross_income IS NOT NULL
  GROUP BY ALL
), nation AS (
  SELECT year, 100.0 * count(*) FILTER (WHERE age >= 18 AND convicted)
    / nullif(count(*) FILTER (WHERE age >= 18), 0) AS crime
  FROM {persons} p GROUP BY ALL
"""

#: The shares, windows and references from the sums of either way.
_TAIL = """), shares AS (
  SELECT area.*, 100.0 * lab_num / nullif(lab_den, 0) AS labour,
    100.0 * cr_num / nullif(cr_den, 0) AS crime, 100.0 * ed_num / nullif(ed_den, 0) AS ed18,
    100.0 * ed13_num / nullif(ed_den, 0) AS ed13,
    100.0 * (inc_num / region_mean) / nullif(inc_den, 0) AS income,
    100.0 * nw_num / nullif(residents, 0) AS ethnicity
  FROM area JOIN region USING (year, region_code)
), regimes(list_year, labour_years, crime_years, old_education) AS (VALUES {regimes}
), national AS (
  SELECT list_year, avg(crime) AS crime_national_pct FROM regimes JOIN nation
    ON nation.year > list_year - crime_years AND nation.year <= list_year GROUP BY list_year
), windowed AS (
  SELECT s.area_id, r.list_year,
    avg(labour) FILTER (WHERE r.list_year - s.year < r.labour_years) AS labour_pct,
    avg(crime) FILTER (WHERE r.list_year - s.year < r.crime_years) AS crime_pct,
    max(CASE WHEN old_education THEN ed13 ELSE ed18 END) FILTER (WHERE s.year = r.list_year)
      AS education_pct,
    max(income) FILTER (WHERE s.year = r.list_year) AS income_pct_of_region,
    max(ethnicity) FILTER (WHERE s.year = r.list_year) AS nonwestern_pct,
    max(labour) FILTER (WHERE s.year = r.list_year - 1) AS outside_labour_pct,
    max(residents) FILTER (WHERE s.year = r.list_year) AS residents,
    max(lab_den) FILTER (WHERE s.year = r.list_year) AS pop_18_64,
    max(cr_den) FILTER (WHERE s.year = r.list_year) AS pop_18_plus,
    max(ed_den) FILTER (WHERE s.year = r.list_year) AS pop_30_59,
    max(inc_den) FILTER (WHERE s.year = r.list_year) AS pop_15_64_taxpayers
  FROM regimes r JOIN shares s ON s.year BETWEEN r.list_year - 3 AND r.list_year
  GROUP BY s.area_id, r.list_year
)
SELECT w.area_id, w.list_year AS year, w.* EXCLUDE (area_id, list_year), n.crime_national_pct
FROM windowed w JOIN national n USING (list_year)
WHERE w.residents IS NOT NULL
ORDER BY area_id, year
"""


def _sql_tuple(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _sql(head: str, folder: Path, regimes: pd.DataFrame, needed: list[int]) -> pd.DataFrame:
    """The indicators from one SQL query (``head`` gives the sums) on a fresh DuckDB
    connection."""
    rows = ", ".join(
        f"({r.list_year:d}, {r.labour_years:d}, {r.crime_years:d}, {bool(r.old_education)})"
        for r in regimes.itertuples()
    )
    years = ", ".join(map(str, needed))
    measures = _MEASURES.format(
        nonwestern=_sql_tuple(NONWESTERN),
        basic_2013=_sql_tuple(BASIC_2013),
        basic_2018=_sql_tuple(BASIC_2018),
    )
    query = (head + _TAIL).format(
        d=folder,
        persons=f"(SELECT * FROM read_parquet('{folder}/persons/*.parquet') "
        f"WHERE year IN ({years}))",
        measures=measures,
        regimes=rows,
    )
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    frame = con.execute(query).df()
    con.close()
    return frame


def duckdb_sql(folder: Path, regimes: pd.DataFrame, needed: list[int]) -> pd.DataFrame:
    """The indicators from one SQL query summing every person joined to every address."""
    return _sql(_ONE_SCAN, folder, regimes, needed)


def duckdb_sql_split(folder: Path, regimes: pd.DataFrame, needed: list[int]) -> pd.DataFrame:
    """The indicators from one SQL query summing as Boligmonitor does (:data:`_SPLIT`)."""
    return _sql(_SPLIT, folder, regimes, needed)


def _when(condition: pl.Expr, value: pl.Expr | float = 1) -> pl.Expr:
    """``value`` where ``condition`` holds, else 0 (a null condition counts as false)."""
    value_expr = value if isinstance(value, pl.Expr) else pl.lit(value)
    return pl.when(condition.fill_null(False)).then(value_expr).otherwise(0)


def _share(num: str, den: str) -> pl.Expr:
    return pl.when(pl.col(den) > 0).then(100.0 * pl.col(num) / pl.col(den))


def _polars_lookups(folder: Path) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Per address its region; per address of a boligområde its region and area."""
    scan = pl.scan_parquet
    places = (
        scan(folder / "addresses.parquet")
        .select("address_id", "municipality_code")
        .join(
            scan(folder / "municipalities.parquet").select("municipality_code", "region_code"),
            on="municipality_code",
        )
        .select("address_id", "region_code")
    )
    inside = (
        scan(folder / "dwellings.parquet")
        .select("address_id", "department_id")
        .join(
            scan(folder / "departments.parquet").select("department_id", "area_id"),
            on="department_id",
        )
        .join(places, on="address_id")
        .select("address_id", "region_code", "area_id")
    )
    return places, inside


_AGE = pl.col("age")
_EARNER = (
    pl.col("taxpayer")
    & _AGE.is_between(15, 64)
    & ~pl.col("in_education")
    & pl.col("gross_income").is_not_null()
)


def _polars_measures() -> list[pl.Expr]:
    """Every measure of a person, summed."""
    working, adult, middle = _AGE.is_between(18, 64), _AGE >= 18, _AGE.is_between(30, 59)
    education = pl.col("education")
    return [
        pl.len().alias("residents"),
        _when(working, pl.col("no_attachment_fraction")).sum().alias("lab_num"),
        _when(working).sum().alias("lab_den"),
        _when(adult & pl.col("convicted")).sum().alias("cr_num"),
        _when(adult).sum().alias("cr_den"),
        _when(middle & education.is_in(BASIC_2018)).sum().alias("ed_num"),
        _when(middle & education.is_in(BASIC_2013)).sum().alias("ed13_num"),
        _when(middle).sum().alias("ed_den"),
        _when(_EARNER, pl.col("gross_income")).sum().alias("inc_num"),
        _when(_EARNER).sum().alias("inc_den"),
        _when(pl.col("origin").is_in(NONWESTERN)).sum().alias("nw_num"),
    ]


def _persons(folder: Path, needed: list[int]) -> pl.LazyFrame:
    return pl.scan_parquet(folder / "persons" / "*.parquet").filter(pl.col("year").is_in(needed))


def _polars_one_scan(folder: Path, needed: list[int]) -> tuple[pl.DataFrame, ...]:
    """Area, region and nation sums from every measure over every person and address."""
    places, inside = _polars_lookups(folder)
    lookup = places.join(inside.select("address_id", "area_id"), on="address_id", how="left")
    g = (
        _persons(folder, needed)
        .join(lookup, on="address_id")
        .group_by("year", "area_id", "region_code")
        .agg(*_polars_measures())
    ).collect()
    region = g.group_by("year", "region_code").agg(
        (pl.col("inc_num").sum() / pl.col("inc_den").sum()).alias("region_mean")
    )
    nation = g.group_by("year").agg(
        (100.0 * pl.col("cr_num").sum() / pl.col("cr_den").sum()).alias("crime")
    )
    sums = [c for c in g.columns if c.endswith(("_num", "_den"))] + ["residents"]
    area = (
        g.filter(pl.col("area_id").is_not_null())
        .group_by("year", "area_id")
        .agg(pl.col("region_code").min(), *[pl.col(c).sum() for c in sums])
    )
    return area, region, nation


def _polars_split(folder: Path, needed: list[int]) -> tuple[pl.DataFrame, ...]:
    """Area, region and nation sums as Boligmonitor sums them (see :data:`_SPLIT`)."""
    places, inside = _polars_lookups(folder)
    persons = _persons(folder, needed)
    area = (
        persons.join(inside, on="address_id")
        .group_by("year", "area_id")
        .agg(pl.col("region_code").min(), *_polars_measures())
    )
    region = (
        persons.filter(_EARNER)
        .select("year", "address_id", "gross_income")
        .join(places, on="address_id")
        .group_by("year", "region_code")
        .agg((pl.col("gross_income").sum() / pl.len()).alias("region_mean"))
    )
    nation = persons.group_by("year").agg(
        (100.0 * (_AGE.ge(18) & pl.col("convicted")).sum() / _AGE.ge(18).sum()).alias("crime")
    )
    return tuple(pl.collect_all([area, region, nation]))


def _polars_indicators(sums: tuple[pl.DataFrame, ...], regimes: pd.DataFrame) -> pd.DataFrame:
    """The shares, windows and references from the area, region and nation sums."""
    area, region, nation = sums
    area = area.join(region, on=["year", "region_code"]).with_columns(
        _share("lab_num", "lab_den").alias("labour"),
        _share("cr_num", "cr_den").alias("crime"),
        _share("ed_num", "ed_den").alias("ed18"),
        _share("ed13_num", "ed_den").alias("ed13"),
        pl.when(pl.col("inc_den") > 0)
        .then(100.0 * (pl.col("inc_num") / pl.col("region_mean")) / pl.col("inc_den"))
        .alias("income"),
        _share("nw_num", "residents").alias("ethnicity"),
    )
    rules = pl.from_pandas(regimes).with_columns(pl.col("list_year").cast(pl.Int64))
    national = (
        rules.join(nation.with_columns(pl.col("year").cast(pl.Int64)), how="cross")
        .filter(
            (pl.col("year") > pl.col("list_year") - pl.col("crime_years"))
            & (pl.col("year") <= pl.col("list_year"))
        )
        .group_by("list_year")
        .agg(pl.col("crime").mean().alias("crime_national_pct"))
    )
    pairs = (
        rules.join(area.with_columns(pl.col("year").cast(pl.Int64)), how="cross")
        .filter(pl.col("year").is_between(pl.col("list_year") - 3, pl.col("list_year")))
        .with_columns(age=pl.col("list_year") - pl.col("year"))
    )
    now = pl.col("age") == 0

    def latest(expr: pl.Expr, name: str) -> pl.Expr:
        return expr.filter(now).max().alias(name)

    out = (
        pairs.group_by("area_id", "list_year")
        .agg(
            pl.col("labour")
            .filter(pl.col("age") < pl.col("labour_years"))
            .mean()
            .alias("labour_pct"),
            pl.col("crime").filter(pl.col("age") < pl.col("crime_years")).mean().alias("crime_pct"),
            latest(
                pl.when(pl.col("old_education")).then(pl.col("ed13")).otherwise(pl.col("ed18")),
                "education_pct",
            ),
            latest(pl.col("income"), "income_pct_of_region"),
            latest(pl.col("ethnicity"), "nonwestern_pct"),
            pl.col("labour").filter(pl.col("age") == 1).max().alias("outside_labour_pct"),
            latest(pl.col("residents"), "residents"),
            latest(pl.col("lab_den"), "pop_18_64"),
            latest(pl.col("cr_den"), "pop_18_plus"),
            latest(pl.col("ed_den"), "pop_30_59"),
            latest(pl.col("inc_den"), "pop_15_64_taxpayers"),
        )
        .filter(pl.col("residents").is_not_null())
        .join(national, on="list_year")
        .rename({"list_year": "year"})
        .sort("area_id", "year")
    )
    return out.to_pandas()


def polars_lazy(folder: Path, regimes: pd.DataFrame, needed: list[int]) -> pd.DataFrame:
    """The indicators from Polars lazy, summing every person joined to every address."""
    return _polars_indicators(_polars_one_scan(folder, needed), regimes)


def polars_split(folder: Path, regimes: pd.DataFrame, needed: list[int]) -> pd.DataFrame:
    """The indicators from Polars lazy, summing as Boligmonitor does."""
    return _polars_indicators(_polars_split(folder, needed), regimes)


#: Every baseline by its key in the benchmark's JSON: its label and its function.
BASELINES = {
    "duckdb_sql": ("DuckDB SQL", duckdb_sql),
    "polars": ("Polars lazy", polars_lazy),
    "duckdb_sql_split": ("DuckDB SQL split", duckdb_sql_split),
    "polars_split": ("Polars lazy split", polars_split),
}


def check_equal(name: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """A baseline must give Boligmonitor's values (to the 6 decimals Boligmonitor keeps).

    Raises
    ------
    SystemExit
        When the areas, years or any value differ.
    """
    index = ["area_id", "year"]
    mine = ours.astype({"year": "int64"}).set_index(index)[list(COMPARED)].astype("float64")
    other = theirs.astype({"year": "int64"}).set_index(index)[list(COMPARED)].astype("float64")
    mine, other = mine.sort_index(), other.sort_index()
    if not mine.index.equals(other.index):
        raise SystemExit(f"benchmark: {name} found other areas or years than Boligmonitor")
    close = np.isclose(mine.to_numpy(), other.to_numpy(), atol=1e-5, equal_nan=True)
    if not close.all():
        bad = [c for c, ok in zip(COMPARED, close.all(axis=0), strict=True) if not ok]
        raise SystemExit(f"benchmark: {name} and Boligmonitor disagree on {bad}")
