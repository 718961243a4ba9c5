"""Writing native microdata (e.g. the synthetic city) as DST-layout register files.

pyreadstat cannot write SAS datasets, so the registers are written as Parquet (or CSV) with
the DST file and variable names; the import reads them exactly as it reads ``.sas7bdat``.
Codes follow ``layouts/dst.yaml``: importing the files gives back the same persons' values
and dwellings, with ``address_id = municipality_code * 10^8 + address_id`` (see docs).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb

from boligmonitor.errors import InputError
from boligmonitor.registers.sql import literal
from boligmonitor.schema.microdata import table_files

__all__ = ["write_dst_layout"]

_MULTIPLIER = 100_000_000
_EDUCATION = {
    "basic": ("1008", 15), "upper_secondary": ("2010", 15), "vocational": ("3510", 15),
    "short_tertiary": ("4010", 15), "medium_tertiary": ("5010", 15),
    "long_tertiary": ("6510", 15), "unknown": ("1001", 15), "foreign_not_approved": ("3510", 18),
}  # fmt: skip
_TENURE = {  # ENH_ANVENDELSEKODE, DST_ENH_EJERFORHOLDSKODE, ENH_UDLEJNINGSFORHOLD
    "almen_family": (140, 20, 1), "almen_elderly": (160, 20, 1), "almen_youth": (150, 20, 1),
    "private_rental": (140, 10, 1), "andel": (140, 41, 2), "owner_occupied": (120, 10, 2),
    "public": (140, 50, 1),
}  # fmt: skip
_WESTERN = (5180, 5120, 5110, 5170, 5390)  # Tyskland, Sverige, Norge, Storbritannien, USA
_NONWESTERN = (5172, 5436, 5486, 5289, 5472)  # Tyrkiet, Irak, Syrien, Somalia, Pakistan


def _value(value: object) -> str:
    """An integer as an integer literal (``literal`` writes numbers as doubles)."""
    return (
        str(int(value))
        if isinstance(value, int) and not isinstance(value, bool)
        else literal(value)
    )


def _case(column: str, table: Mapping[str, object]) -> str:
    cases = " ".join(f"WHEN {column} = {literal(k)} THEN {_value(v)}" for k, v in table.items())
    return f"CASE {cases} END"


def write_dst_layout(
    source: str | Path, out: str | Path, years: Sequence[int], csv: bool = False
) -> Path:
    """Write a native microdata folder as DST registers (``bef2021.parquet``, ``geo/`` ...).

    Parameters
    ----------
    source
        A microdata folder in the native schema (``boligmonitor synth`` output).
    out
        The folder to write.
    years
        The years to write.
    csv
        Write ``.csv`` instead of ``.parquet``.
    """
    root, target = Path(source), Path(out)
    (target / "geo").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    fmt = "(FORMAT csv, HEADER true)" if csv else "(FORMAT parquet, COMPRESSION zstd)"
    suffix = ".csv" if csv else ".parquet"

    def read(name: str) -> str:
        files = table_files(root, name)
        if not files:
            raise InputError.single(root, "missing table '{name}'", name=name)
        listed = ", ".join(literal(f) for f in files)
        reader = "read_csv" if files[0].suffix == ".csv" else "read_parquet"
        return f"{reader}([{listed}])"

    for name in ("regions", "municipalities", "departments"):
        geo = target / "geo" / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM {read(name)}) TO {literal(geo)}")
    con.execute(f"CREATE VIEW a AS SELECT * FROM {read('addresses')}")
    con.execute(f"CREATE VIEW d AS SELECT * FROM {read('dwellings')}")
    con.execute(f"CREATE VIEW p AS SELECT * FROM {read('persons')}")
    key = f"a.municipality_code * {_MULTIPLIER} + a.address_id"
    con.execute(
        f"COPY (SELECT a.* EXCLUDE (address_id), {key} AS address_id, d.department_id "
        f"FROM a LEFT JOIN d USING (address_id)) TO {literal(target / 'geo' / 'addresses.parquet')}"
    )
    for year in years:
        _persons(con, target, year, fmt, suffix)
        _dwellings(con, target, year, fmt, suffix)
    con.close()
    return target


def _persons(
    con: duckdb.DuckDBPyConnection, target: Path, year: int, fmt: str, suffix: str
) -> None:
    """One year's person registers, each from the native persons of that year (view ``py``)."""
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW py AS SELECT p.*, a.municipality_code AS kom FROM p "
        f"JOIN a USING (address_id) WHERE year = {int(year)}"
    )
    for stem, query in _PERSON_REGISTERS.items():
        con.execute(f"COPY ({query(year)}) TO {literal(target / f'{stem}{year}{suffix}')} {fmt}")


def _bef(year: int) -> str:
    """BEF: birth date, immigrant type, country of origin (western or not), municipality and
    address."""
    west = f"[{', '.join(map(str, _WESTERN))}][person_id % {len(_WESTERN)} + 1]"
    nonwest = f"[{', '.join(map(str, _NONWESTERN))}][person_id % {len(_NONWESTERN)} + 1]"
    return (
        f"SELECT person_id AS PNR, make_date({int(year)} - age - 1, 7, 1) AS FOED_DAG, "
        "CASE WHEN origin = 'danish' THEN 1 WHEN origin LIKE '%immigrant' THEN 2 ELSE 3 END "
        "AS IE_TYPE, "
        f"CASE WHEN origin = 'danish' THEN 5100 WHEN origin LIKE 'western%' THEN {west} "
        f"ELSE {nonwest} END AS OPR_LAND, "
        f"kom AS KOM, address_id AS BOPIKOM FROM py"
    )


def _uddf(year: int) -> str:
    """UDDF: the highest completed education and its source, and ongoing education."""
    codes = {k: v[0] for k, v in _EDUCATION.items()}
    sources = {k: v[1] for k, v in _EDUCATION.items()}
    return (
        f"SELECT person_id AS PNR, {_case('education', codes)} AS HFAUDD, "
        f"{_case('education', sources)} AS HF_KILDE, "
        "CASE WHEN in_education THEN 'H40' END AS IGFSP FROM py "
        "WHERE education <> 'unknown' OR in_education"
    )


def _ind(year: int) -> str:
    """IND: gross and disposable income, full tax liability."""
    return (
        "SELECT person_id AS PNR, gross_income AS PERINDKIALT_13, disposable_income AS DISPON_13, "
        "CASE WHEN taxpayer THEN 1 ELSE 0 END AS FULD_SKATTEPLIGTIG FROM py"
    )


def _akm(year: int) -> str:
    """AKM: the socio-economic status (SOCIO13)."""
    return (
        "SELECT person_id AS PNR, CASE WHEN permanently_outside_labour_force THEN "
        "(CASE WHEN age >= 67 THEN 322 ELSE 321 END) WHEN in_education THEN 310 "
        "WHEN age < 15 THEN 420 ELSE 134 END AS SOCIO13 FROM py"
    )


def _dream(year: int) -> str:
    """DREAM: a benefit code for each of the 52 weeks a person was without attachment."""
    yy = f"{year % 100:02d}"
    weeks = ", ".join(
        f"CASE WHEN round(no_attachment_fraction * 52) >= {w} THEN "
        f"(CASE WHEN permanently_outside_labour_force THEN '783' ELSE '130' END) "
        f"WHEN {w} % 5 = 0 THEN '651' END AS y_{yy}{w:02d}"
        for w in range(1, 53)
    )
    return (
        f"SELECT person_id AS PNR, {weeks} FROM py "
        "WHERE no_attachment_fraction > 0 OR person_id % 7 = 0"
    )


def _kraf(year: int) -> str:
    """KRAF: conviction records (`AFG_GER7` codes) of the convicted, and some of others."""
    return (
        "SELECT person_id AS PNR, '1252000' AS AFG_GER7 FROM py WHERE convicted "
        "UNION ALL SELECT person_id, '3210000' FROM py WHERE convicted AND person_id % 2 = 0 "
        "UNION ALL SELECT person_id, '2200000' FROM py WHERE NOT convicted AND person_id % 11 = 0"
    )


#: Each yearly person register of the DST layout and the query that writes it.
_PERSON_REGISTERS: dict[str, Callable[[int], str]] = {
    "bef": _bef,
    "uddf": _uddf,
    "ind": _ind,
    "akm": _akm,
    "dream": _dream,
    "kraf": _kraf,
}


def _dwellings(
    con: duckdb.DuckDBPyConnection, target: Path, year: int, fmt: str, suffix: str
) -> None:
    use = {k: v[0] for k, v in _TENURE.items()}
    owner = {k: v[1] for k, v in _TENURE.items()}
    rented = {k: v[2] for k, v in _TENURE.items()}
    bol = (
        f"SELECT a.municipality_code AS KOM, d.address_id AS BOPIKOM, "
        f"{_case('d.tenure', use)} AS ENH_ANVENDELSEKODE, "
        f"{_case('d.tenure', owner)} AS DST_ENH_EJERFORHOLDSKODE, "
        f"{_case('d.tenure', rented)} AS ENH_UDLEJNINGSFORHOLD, "
        f"d.living_area_m2 AS ENH_BOLIGAREAL FROM d JOIN a USING (address_id)"
    )
    con.execute(f"COPY ({bol}) TO {literal(target / f'bol{year}{suffix}')} {fmt}")
