"""Microdata validation: every problem with file, row and column; nothing loaded on failure.

Also provides :func:`write_microdata`, the builder of small hand-made microdata folders used by
the indicator tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor.errors import InputError
from boligmonitor.schema.microdata import load_microdata

PERSON_DEFAULTS: dict[str, Any] = {
    "age": 40,
    "origin": "danish",
    "no_attachment_fraction": 0.0,
    "permanently_outside_labour_force": False,
    "in_education": False,
    "education": "vocational",
    "gross_income": 400_000.0,
    "disposable_income": 300_000.0,
    "taxpayer": True,
    "convicted": False,
}


def person_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Persons with defaults filled in and ids numbered when not given."""
    full = [{"person_id": i + 1, **PERSON_DEFAULTS, **row} for i, row in enumerate(rows)]
    frame = pd.DataFrame(full)
    return frame[["person_id", "year", "address_id", *PERSON_DEFAULTS]]


def write_microdata(
    folder: Path,
    persons: list[dict[str, Any]],
    addresses: list[dict[str, Any]],
    dwellings: list[dict[str, Any]],
    departments: list[dict[str, Any]] | None = None,
    municipalities: list[dict[str, Any]] | None = None,
    regions: list[dict[str, Any]] | None = None,
    suffix: str = ".parquet",
) -> Path:
    """Write a microdata folder; missing optional columns get neutral defaults."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "regions": pd.DataFrame(regions or [{"region_code": 1084, "name": "Hovedstaden"}]),
        "municipalities": pd.DataFrame(
            municipalities or [{"municipality_code": 101, "name": "København", "region_code": 1084}]
        ),
        "departments": pd.DataFrame(
            departments
            or [
                {
                    "department_id": "D1",
                    "organisation": "AAB",
                    "number": 1,
                    "name": "D1",
                    "leases": 10,
                    "area_id": "A",
                    "area_name": "Område A",
                }
            ]
        ),
        "addresses": pd.DataFrame(
            [
                {
                    "x": 724_050.0,
                    "y": 6_175_050.0,
                    "dkn_100m": None,
                    "screening_unit": None,
                    "municipality_code": 101,
                    **row,
                }
                for row in addresses
            ]
        ),
        "dwellings": pd.DataFrame(
            [
                {
                    "dwelling_id": row["address_id"],
                    "living_area_m2": 80.0,
                    "tenure": "andel",
                    "department_id": None,
                    **row,
                }
                for row in dwellings
            ]
        ),
        "persons": person_rows(persons),
    }
    for name, frame in tables.items():
        if suffix == ".csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def _small(folder: Path, suffix: str = ".parquet", **changes: Any) -> Path:
    persons = [{"year": 2021, "address_id": 1}, {"year": 2021, "address_id": 2}]
    addresses = [{"address_id": 1, "screening_unit": "U1"}, {"address_id": 2}]
    dwellings = [{"address_id": 1}, {"address_id": 2}]
    arguments: dict[str, Any] = {
        "persons": persons,
        "addresses": addresses,
        "dwellings": dwellings,
        **changes,
    }
    return write_microdata(folder, suffix=suffix, **arguments)


def test_valid_folder_loads_every_table(tmp_path: Path) -> None:
    microdata = load_microdata(_small(tmp_path))
    assert microdata.years() == [2021]
    assert microdata.persons.count().execute() == 2
    assert "file_row_number" not in microdata.persons.columns


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_bad_cells_name_file_row_and_column(tmp_path: Path, suffix: str) -> None:
    persons = [
        {"year": 2021, "address_id": 1},
        {"year": 2021, "address_id": 2, "age": -1},
        {"year": 2021, "address_id": 2, "origin": "martian"},
        {"year": 2021, "address_id": 2, "no_attachment_fraction": 1.5},
    ]
    with pytest.raises(InputError) as caught:
        load_microdata(_small(tmp_path, suffix, persons=persons))
    found = {(Path(p.file).name, p.row, p.column) for p in caught.value.problems}
    first = 1 if suffix == ".parquet" else 2  # Parquet: record number; CSV: line number
    name = f"persons{suffix}"
    assert {
        (name, first + 1, "age"),
        (name, first + 2, "origin"),
        (name, first + 3, "no_attachment_fraction"),
    } <= found


def test_duplicate_person_year_and_unknown_address(tmp_path: Path) -> None:
    persons = [
        {"person_id": 7, "year": 2021, "address_id": 1},
        {"person_id": 7, "year": 2021, "address_id": 99},
    ]
    with pytest.raises(InputError) as caught:
        load_microdata(_small(tmp_path, persons=persons))
    messages = [(p.row, p.column, p.text()) for p in caught.value.problems]
    assert (1, "person_id, year", "duplicate key: 7") in messages
    assert (2, "person_id, year", "duplicate key: 7") in messages
    # references are checked only once the tables themselves are clean
    persons[1]["person_id"] = 8
    with pytest.raises(InputError) as caught:
        load_microdata(_small(tmp_path / "b", persons=persons))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "address_id")
    assert problem.text() == "not a address_id in addresses: 99"


def test_missing_table_and_column(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    (folder / "regions.parquet").unlink()
    frame = pd.read_parquet(folder / "persons.parquet").drop(columns=["convicted"])
    frame.to_parquet(folder / "persons.parquet", index=False)
    with pytest.raises(InputError) as caught:
        load_microdata(folder)
    text = str(caught.value)
    assert "missing table 'regions'" in text
    assert "missing column 'convicted'" in text


def test_many_bad_rows_show_the_first_and_count_the_rest(tmp_path: Path) -> None:
    persons = [{"year": 2021, "address_id": 1, "age": 200} for _ in range(12)]
    for i, row in enumerate(persons):
        row["person_id"] = i + 1
    with pytest.raises(InputError) as caught:
        load_microdata(_small(tmp_path, persons=persons))
    rows = [p.row for p in caught.value.problems if p.column == "age"]
    assert rows == [1, 2, 3, 4, 5, None]
    assert "7 more rows" in caught.value.problems[-1].text()


def test_persons_folder_of_yearly_files(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    persons = pd.read_parquet(folder / "persons.parquet")
    (folder / "persons.parquet").unlink()
    (folder / "persons").mkdir()
    persons.to_parquet(folder / "persons" / "persons_2021.parquet", index=False)
    later = persons.assign(year=2022, age=[41, 200])
    later.to_parquet(folder / "persons" / "persons_2022.parquet", index=False)
    with pytest.raises(InputError) as caught:
        load_microdata(folder)
    [problem] = caught.value.problems
    assert (Path(problem.file).name, problem.row, problem.column) == (
        "persons_2022.parquet",
        2,
        "age",
    )


def test_every_column_is_documented() -> None:
    from boligmonitor.schema.microdata import MICRODATA_TABLES

    text = (Path(__file__).parents[1] / "docs" / "microdata.md").read_text(encoding="utf-8")
    for name, (columns, _) in MICRODATA_TABLES.items():
        assert f"### `{name}`" in text
        for column in columns:
            assert f"| `{column.name}` |" in text, (name, column.name)


def test_text_in_a_numeric_parquet_column(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    frame = pd.read_parquet(folder / "persons.parquet")
    frame["age"] = ["40", "fyrre"]
    frame.to_parquet(folder / "persons.parquet", index=False)
    with pytest.raises(InputError) as caught:
        load_microdata(folder)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "age")
    assert problem.text() == "not a valid integer: 'fyrre'"


def test_one_dwelling_per_address(tmp_path: Path) -> None:
    dwellings = [{"address_id": 1}, {"address_id": 2}, {"dwelling_id": 3, "address_id": 2}]
    with pytest.raises(InputError) as caught:
        load_microdata(_small(tmp_path, dwellings=dwellings))
    rows = [(p.row, p.column) for p in caught.value.problems]
    assert rows == [(2, "address_id"), (3, "address_id")]
    assert "more than one dwelling" in caught.value.problems[0].text()
