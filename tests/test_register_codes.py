"""Translations per combination of codes equal the same SQL evaluated on every row."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from boligmonitor.registers import codes
from boligmonitor.registers.codes import CodeColumns, encode, gather

_COLUMNS = {
    "value": (
        'CASE WHEN "KIND" = 1 THEN \'one\' WHEN "KIND" = 2 THEN \'two-\' || "LAND" '
        "WHEN \"KIND\" IS NULL THEN NULL ELSE 'other' END"
    ),
    "flag": 'coalesce("KIND" = 2 AND "LAND" IS NULL, FALSE)',
    "taken": 'CASE WHEN "KIND" = 3 THEN coalesce("LAND", \'None\') END',
}


def _rows(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    kind = rng.integers(-1, 4, n)
    land = rng.choice(np.array(["dk", "se", " de", "", "x"], dtype=object), n)
    return pa.table(
        {
            "KIND": pa.array(kind, pa.int32(), mask=kind < 0),
            "LAND": pa.array(land, pa.string(), mask=rng.random(n) < 0.1),
        }
    )


def _per_row(table: pa.Table) -> pa.Table:
    con = duckdb.connect()
    con.register("t", table)
    selects = ", ".join(f"{sql} AS {name}" for name, sql in _COLUMNS.items())
    return con.execute(f"SELECT {selects} FROM t").to_arrow_table()


@pytest.mark.parametrize("grid", [codes.GRID, 1])
def test_gather_equals_per_row_sql(grid: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codes, "GRID", grid)  # 1: only the combinations seen (np.unique)
    table = _rows(5_000, seed=7)
    part = CodeColumns(["KIND", "LAND"], dict(_COLUMNS))
    encoded = [encode(table.column(name)) for name in ("KIND", "LAND")]
    got = gather(duckdb.connect(), part, ["KIND", "LAND"], encoded)
    expected = _per_row(table)
    assert isinstance(got["value"].type, pa.DictionaryType)
    for name in _COLUMNS:
        assert got[name].to_pylist() == expected.column(name).to_pylist(), name
    assert got["value"].null_count == expected.column("value").null_count > 0


def test_encode_integers_by_offset_and_nulls() -> None:
    column = pa.chunked_array([pa.array([5, 3, None], pa.int32()), pa.array([7], pa.int32())])
    encoded = encode(column)
    decoded = encoded.values.take(pa.array(encoded.indices)).to_pylist()
    assert decoded == [5, 3, None, 7]
    assert encoded.values.to_pylist() == [3, 4, 5, 6, 7, None]


def test_encode_wide_integers_and_text_by_hash() -> None:
    wide = pa.chunked_array([pa.array([10**9, 1, None, 1], pa.int64())])
    text = pa.chunked_array([pa.array(["a", None, "b", "a"])])
    for column in (wide, text):
        encoded = encode(column)
        assert encoded.values.take(pa.array(encoded.indices)).to_pylist() == column.to_pylist()
        assert len(encoded.values) == 3
