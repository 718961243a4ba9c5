"""The quick proof of clean Parquet microdata: ``True`` only when no check can fail.

Every bad file below must leave the proof unable to say "clean" (so the full checks run and
report the problem); clean files must be proven clean without the full checks.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from boligmonitor.errors import InputError
from boligmonitor.schema import microdata_checks
from boligmonitor.schema.microdata import MICRODATA_TABLES, load_microdata
from boligmonitor.schema.parquet_proof import Members, proven_clean, stated_years
from tests.test_microdata_schema import write_microdata


def _folder(tmp_path: Path, persons: list[dict[str, Any]] | None = None) -> Path:
    persons = persons or [
        {"person_id": 1, "year": 2021, "address_id": 1},
        {"person_id": 2, "year": 2021, "address_id": 2},
        {"person_id": 1, "year": 2020, "address_id": 2},
    ]
    addresses = [{"address_id": 1}, {"address_id": 2}]
    dwellings = [{"address_id": 1, "department_id": "D1"}, {"address_id": 2}]
    return write_microdata(tmp_path, persons, addresses, dwellings)


def _yearly(folder: Path) -> Path:
    """The persons as one file per year."""
    persons = pd.read_parquet(folder / "persons.parquet")
    (folder / "persons.parquet").unlink()
    (folder / "persons").mkdir()
    for year, rows in persons.groupby("year"):
        rows.to_parquet(folder / "persons" / f"persons_{year}.parquet", index=False)
    return folder


def _persons_proof(folder: Path, years: list[int] | None = None) -> bool:
    schema, key = MICRODATA_TABLES["persons"]
    addresses = Members(pa.array([1, 2]))
    files = sorted(folder.glob("persons*.parquet")) or sorted((folder / "persons").glob("*"))
    clean, _ = proven_clean(files, schema, [key], {"address_id": addresses}, years)
    return clean


def test_clean_folder_is_proven_without_the_full_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _yearly(_folder(tmp_path))

    def refuse(self: Any, cells: bool) -> None:
        raise AssertionError(f"full checks ran for {self.name}")

    monkeypatch.setattr(microdata_checks.TableCheck, "run", refuse)
    loaded = load_microdata(folder)
    assert loaded.years() == [2020, 2021]
    assert loaded.persons.count().execute() == 3


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("age", -1),  # below the minimum: the statistics show it
        ("age", 131),
        ("age", None),  # empty: the null count shows it
        ("no_attachment_fraction", math.nan),  # not in the statistics: read
        ("no_attachment_fraction", math.inf),
        ("origin", "martian"),  # not one of the choices: read
        ("person_id", 1),  # a repeated (person_id, year): stamped
        ("address_id", 3),  # not an address: marked
        ("age", "fyrre"),  # text in a number column: the full checks cast it
    ],
)
def test_every_kind_of_problem_leaves_the_proof_undecided(
    tmp_path: Path, change: str, value: Any
) -> None:
    persons = [
        {"person_id": 1, "year": 2021, "address_id": 1},
        {"person_id": 2, "year": 2021, "address_id": 2, change: value},
    ]
    if change == "age" and isinstance(value, str):
        persons[0]["age"] = "40"
    folder = _folder(tmp_path, persons)
    assert not _persons_proof(folder)
    with pytest.raises(InputError, match=r"persons\.parquet"):
        load_microdata(folder)


def test_only_the_checked_years_count(tmp_path: Path) -> None:
    folder = _yearly(_folder(tmp_path))
    persons = pd.read_parquet(folder / "persons")
    bad = persons[persons.year == 2021].assign(year=2019, age=[40, 200])
    bad.to_parquet(folder / "persons" / "persons_2019.parquet", index=False)
    assert _persons_proof(folder, [2020, 2021])
    assert not _persons_proof(folder, [2019, 2021])
    assert stated_years(sorted((folder / "persons").glob("*"))) == [2019, 2020, 2021]


def test_a_repeat_across_yearly_files_of_the_same_year(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    persons = pd.read_parquet(folder / "persons.parquet")
    (folder / "persons.parquet").unlink()
    (folder / "persons").mkdir()
    persons.to_parquet(folder / "persons" / "a.parquet", index=False)
    persons[persons.person_id == 2].to_parquet(folder / "persons" / "b.parquet", index=False)
    assert not _persons_proof(folder)


def test_years_mixed_in_a_row_group_leave_it_to_the_full_checks(tmp_path: Path) -> None:
    folder = _folder(tmp_path)  # one file, one row group, two years: keys cannot be stamped
    assert not _persons_proof(folder)
    assert stated_years([folder / "persons.parquet"]) is None
    assert load_microdata(folder).years() == [2020, 2021]


def test_nan_written_by_duckdb(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    target = folder / "persons.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * REPLACE (CASE WHEN person_id = 2 THEN 'NaN'::DOUBLE "
        f"ELSE no_attachment_fraction END AS no_attachment_fraction) "
        f"FROM '{target}' WHERE year = 2021) TO '{tmp_path / 'p.parquet'}'"
    )
    (tmp_path / "p.parquet").replace(target)
    assert not _persons_proof(folder)


def test_text_keys_and_references(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    departments = pd.read_parquet(folder / "departments.parquet")
    schema, key = MICRODATA_TABLES["departments"]
    clean, kept = proven_clean(
        [folder / "departments.parquet"], schema, [key], {}, keep=["department_id"]
    )
    assert clean and kept["department_id"].contain(pa.array(["D1", None]))
    assert not kept["department_id"].contain(pa.array(["D2"]))
    pd.concat([departments, departments]).to_parquet(folder / "departments.parquet")
    assert not proven_clean([folder / "departments.parquet"], schema, [key], {})[0]


def test_members_of_wide_ranges_and_other_types() -> None:
    wide = Members(pa.array([1, 1 << 40]))
    assert wide.contain(pa.array([1 << 40, None]))
    assert not wide.contain(pa.array([2]))
    # wide ids are searched sorted: order, repeats and both ends of the range
    assert wide.contain(pa.array([1 << 40, 1, 1 << 40, 1]))
    assert not wide.contain(pa.array([1 << 40, 5, 1]))
    assert not wide.contain(pa.array([0]))
    assert not wide.contain(pa.array([1 << 41]))
    assert not wide.contain(pa.array(["1"]))
    narrow = Members(pa.array([5, 7]))
    assert narrow.contain(pa.array([7, 5], pa.int32()))
    assert not narrow.contain(pa.array([4]))
    assert not narrow.contain(pa.array([8]))
    assert not narrow.contain(pa.array([6]))
    assert not narrow.contain(pa.array(["5"]))


def test_a_bad_value_beside_empty_cells(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    schema, key = MICRODATA_TABLES["departments"]
    rows = pd.DataFrame(
        {
            "department_id": ["D1", "D2", "D3", "D4"],
            "number": pd.array([None, -1, None, 5], "Int64"),  # as many empty as filled
            "leases": [1, 2, 3, 4],
        }
    )
    for column in ("organisation", "name", "area_id", "area_name"):
        rows[column] = "x"
    rows.to_parquet(folder / "departments.parquet", index=False)
    assert not proven_clean([folder / "departments.parquet"], schema, [key], {})[0]
    rows.assign(number=pd.array([None, 1, None, 5], "Int64")).to_parquet(
        folder / "departments.parquet", index=False
    )
    assert proven_clean([folder / "departments.parquet"], schema, [key], {})[0]


@pytest.mark.parametrize("repeat", [False, True])
def test_ids_too_wide_to_stamp_are_counted(tmp_path: Path, repeat: bool) -> None:
    wide = 1 << 40
    persons = [
        {"person_id": wide, "year": 2021, "address_id": 1},
        {"person_id": wide if repeat else 1, "year": 2021, "address_id": 2},
        {"person_id": 1, "year": 2020, "address_id": 2},
    ]
    folder = _yearly(_folder(tmp_path, persons))
    assert _persons_proof(folder) is not repeat
