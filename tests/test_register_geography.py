"""The ``geo/`` step of the register import: copies, the address index and the dwellings."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from boligmonitor.registers.background import Copies
from boligmonitor.registers.geography import Geography, open_geography, write_dwellings
from boligmonitor.registers.joining import index_of, keys_of, looked_up


def _geo(folder: Path, ids: list[int]) -> Path:
    geo = folder / "geo"
    geo.mkdir(parents=True)
    pq.write_table(
        pa.table({"region_code": [1084], "name": ["Hovedstaden"]}), geo / "regions.parquet"
    )
    municipalities = {"municipality_code": [101], "name": ["København"], "region_code": [1084]}
    pq.write_table(pa.table(municipalities), geo / "municipalities.parquet")
    departments = {"department_id": ["KAB-0001", "KAB-0002"], "name": ["Nord", "Syd"]}
    pq.write_table(pa.table(departments), geo / "departments.parquet")
    addresses = {
        "address_id": ids,
        "municipality_code": [101] * len(ids),
        "department_id": ["KAB-0001", None, "KAB-0002", "KAB-0001"][: len(ids)],
    }
    pq.write_table(pa.table(addresses), geo / "addresses.parquet")
    return geo


def _opened(tmp_path: Path, ids: list[int]) -> tuple[duckdb.DuckDBPyConnection, Geography, Path]:
    con = duckdb.connect()
    out = tmp_path / "out"
    out.mkdir()
    copies = Copies(con)
    geography, files = open_geography(con, _geo(tmp_path, ids), out, copies)
    copies.wait()
    copies.close()
    assert [f.stem for f in files] == ["regions", "municipalities", "departments", "addresses"]
    return con, geography, out


@pytest.mark.parametrize("spread", [1, 10**8])
def test_departments_by_index_and_by_join_are_the_same_rows(tmp_path: Path, spread: int) -> None:
    ids = [n * spread for n in (10, 11, 12, 13)]
    con, geography, out = _opened(tmp_path, ids)
    assert (geography.index is not None) == (spread == 1)  # sparse ids are left to joins
    dwellings = pa.table(
        {
            "address_id": pa.array([12 * spread, 99 * spread, 10 * spread, 11 * spread]),
            "living_area_m2": [60.0, 70.0, 80.0, 90.0],
            "tenure": ["almen_family", "owner", "almen_family", "private_rental"],
        }
    )
    indexed = write_dwellings(con, dwellings, geography, out / "indexed.parquet")
    joined = write_dwellings(
        con, dwellings, Geography(geography.keys, None), out / "joined.parquet"
    )
    assert indexed == joined == 4
    rows = pq.read_table(out / "indexed.parquet").sort_by("address_id")
    assert rows.equals(pq.read_table(out / "joined.parquet").sort_by("address_id"))
    assert rows.column("department_id").to_pylist() == ["KAB-0001", None, "KAB-0002", None]
    assert rows.column("dwelling_id").to_pylist() == [n * spread for n in (10, 11, 12, 99)]


def test_geo_tables_are_copied_and_addresses_lose_their_department(tmp_path: Path) -> None:
    _con, _geography, out = _opened(tmp_path, [1, 2, 3])
    for name in ("regions", "municipalities", "departments"):  # unchanged: copied as files
        source = (tmp_path / "geo" / f"{name}.parquet").read_bytes()
        assert (out / f"{name}.parquet").read_bytes() == source
    addresses = pq.read_table(out / "addresses.parquet")
    assert addresses.column_names == ["address_id", "municipality_code"]
    assert addresses.column("address_id").to_pylist() == [1, 2, 3]


def test_a_repeated_geo_address_repeats_its_dwelling_as_the_join_does(tmp_path: Path) -> None:
    con, geography, out = _opened(tmp_path, [10, 11, 10])
    assert geography.index is not None and geography.index.repeated
    dwellings = pa.table(
        {"address_id": pa.array([10, 11]), "living_area_m2": [60.0, 70.0], "tenure": ["a", "b"]}
    )
    assert write_dwellings(con, dwellings, geography, out / "d.parquet") == 3


def test_looked_up_gives_each_row_of_the_index_or_null() -> None:
    index = index_of(*keys_of(pa.array([5, 9, 7, None], type=pa.int64())))
    wanted = pa.chunked_array([[9, None], [4, 5, 7]], type=pa.int64())
    assert looked_up(index, wanted).to_pylist() == [1, None, None, 0, 2]
