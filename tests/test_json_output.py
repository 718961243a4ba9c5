"""Result files in JSON: valid (no NaN token), indented for people, each value as decided."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boligmonitor.data import example_path
from boligmonitor.indicators.exports import write_disclosed
from boligmonitor.io.export import json_bytes, write_output
from tests.conftest import CliResult


def _strict(data: bytes) -> object:
    """Parse as strict JSON: NaN and Infinity are refused."""

    def refuse(token: str) -> object:
        raise ValueError(f"not JSON: {token}")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


class Colour(enum.Enum):
    RED = "rød"


@dataclasses.dataclass(frozen=True)
class Point:
    x: int


def test_the_layout_is_the_standard_librarys_indented_json() -> None:
    payload = [
        {"area_id": "BO0001", "area_name": "Mjølnerparken", "year": 2021, "met": True},
        {"criteria": {"labour": {"value": 23.473147, "margin": -0.5}}, "list": [], "map": {}},
        {"none": None, "big": 10**15, "ratio": 0.1, "third": 1 / 3, "text": 'a "quote"\n'},
    ]
    expected = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    assert json_bytes(payload) == expected
    assert b"Mj\xc3\xb8lnerparken" in json_bytes(payload)  # letters as themselves, UTF-8
    assert json_bytes([1.5e-05, 1e16]) == b"[\n  0.000015,\n  1e+16\n]"  # same numbers


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (float("nan"), None),
        (float("inf"), None),
        (-float("inf"), None),
        (np.float64("nan"), None),
        (np.float32("nan"), None),
        (pd.NA, None),
        (pd.NaT, None),
        (np.float64(0.1), 0.1),
        (np.int64(7), 7),
        (np.bool_(True), True),
        (np.array([1.5, np.nan]), [1.5, None]),
        (np.array(["a", None], dtype=object), ["a", None]),
        (datetime.date(2021, 12, 1), "2021-12-01"),
        (datetime.datetime(2021, 12, 1, 8, 30), "2021-12-01 08:30:00"),
        (pd.Timestamp("2021-12-01"), "2021-12-01 00:00:00"),
        (Decimal("1.50"), "1.50"),
        (Fraction(1, 3), "1/3"),
        (Path("a/b.csv"), "a/b.csv"),
        (Point(3), "Point(x=3)"),
        (Colour.RED, "rød"),
        ((1, "x"), [1, "x"]),
        ({1, 2}, "{1, 2}"),
        (2**70, 2**70),
    ],
)
def test_each_kind_of_value_is_written_as_decided(value: object, written: object) -> None:
    assert _strict(json_bytes({"v": value})) == {"v": written}


def test_keys_that_are_not_text_are_written_as_the_standard_library_writes_them() -> None:
    payload = {1: "a", 2.5: "b", False: "c", None: "d", "e": "f"}
    assert json_bytes(payload) == json.dumps(payload, indent=2).encode("utf-8")


def test_what_the_fast_writer_cannot_hold_is_still_written_the_same_way() -> None:
    deep: list[object] = [float("nan")]
    for _ in range(300):  # deeper than orjson's 254 levels
        deep = [deep]
    nested = _strict(json_bytes({"deep": deep, "huge": 2**70, "nan": float("nan")}))
    assert isinstance(nested, dict) and nested["huge"] == 2**70 and nested["nan"] is None
    inner = nested["deep"]
    for _ in range(300):
        assert isinstance(inner, list)
        inner = inner[0]
    assert inner == [None]


def test_write_output_writes_json_bytes(tmp_path: Path) -> None:
    payload = {"year": np.int64(2021), "share": float("nan"), "day": datetime.date(2021, 12, 1)}
    path = write_output(tmp_path / "out.json", payload, pd.DataFrame())
    assert path.read_bytes() == json_bytes(payload)
    assert _strict(path.read_bytes()) == {"year": 2021, "share": None, "day": "2021-12-01"}


def test_disclosed_records_write_missing_and_suppressed_cells(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "area_id": ["A1", "A2"],
            "residents": pd.array([1200, None], dtype="Int64"),
            "labour_pct": pd.Series(["41.5", "diskretioneret"], dtype=object),
            "crime_pct": [1.25, np.nan],
        }
    )
    written = _strict(write_disclosed(frame, tmp_path / "a.json").read_bytes())
    assert written == [
        {"area_id": "A1", "residents": 1200, "labour_pct": "41.5", "crime_pct": 1.25},
        {"area_id": "A2", "residents": None, "labour_pct": "diskretioneret", "crime_pct": None},
    ]
    csv_text = write_disclosed(frame, tmp_path / "a.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[2] == "A2,,diskretioneret,"


def test_designate_writes_readable_valid_json(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "result.json"
    result = run_cli("designate", example_path("omraader_2014_2022.csv"), "--out", out)
    assert result.code == 0, result.err
    data = out.read_bytes()
    records = _strict(data)
    assert isinstance(records, list) and records
    assert data == json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")
