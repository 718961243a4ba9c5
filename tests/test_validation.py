"""Every validation problem names file, row and column; the CLI exits 2 and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from boligmonitor.errors import InputError
from boligmonitor.schema.area_statistics import read_area_statistics
from boligmonitor.workspace import Workspace
from tests.conftest import CliResult

HEADER = (
    "area_id,area_name,year,residents,labour_pct,crime_pct,crime_national_pct,"
    "education_pct,income_pct_of_region,nonwestern_pct,outside_labour_pct"
)
GOOD = "A1,Alfa,2021,1500,41.0,1.0,0.7,30.0,60.0,55.0,41.0"


def _write(tmp_path: Path, *lines: str, name: str = "areas.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as caught:
        read_area_statistics(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return [(p.row, p.column, p.text()) for p in caught.value.problems]


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "area_id,year,residents,labour,crime_pct", "A1,2021,10,1,1")
    problems = _problems(path)
    assert (
        None,
        "labour",
        "unknown column; known columns: " + problems[0][2].split(": ")[1],
    ) == problems[0]
    missing = {column for row, column, message in problems if message.startswith("required")}
    assert missing == {"labour_pct", "education_pct", "income_pct_of_region", "nonwestern_pct"}


def test_non_numeric_value(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, GOOD, "A2,Beta,2021,1500,fyrre,1.0,0.7,30.0,60.0,55.0,41.0")
    assert _problems(path) == [(3, "labour_pct", "'fyrre' is not a number")]


def test_percentage_outside_0_100(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER,
        "A1,Alfa,2021,1500,41.0,1.0,0.7,30.0,60.0,155.0,41.0",
        "A2,Beta,2021,1500,-0.5,1.0,0.7,30.0,60.0,55.0,41.0",
    )
    assert _problems(path) == [
        (2, "nonwestern_pct", "155 is above the maximum 100"),
        (3, "labour_pct", "-0.5 is below the minimum 0"),
    ]


def test_negative_and_fractional_residents(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER,
        "A1,Alfa,2021,-3,41.0,1.0,0.7,30.0,60.0,55.0,41.0",
        "A2,Beta,2021,10.5,41.0,1.0,0.7,30.0,60.0,55.0,41.0",
    )
    assert _problems(path) == [
        (2, "residents", "-3 is below the minimum 0"),
        (3, "residents", "'10.5' is not a whole number"),
    ]


def test_duplicate_area_and_year(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, GOOD, GOOD.replace("A1", "A2"), GOOD)
    assert _problems(path) == [
        (4, "area_id, year", "duplicate area_id=A1, year=2021; first at row 2")
    ]


def test_unreadable_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a zip file")
    assert _problems(broken)[0][2].startswith("cannot read file")
    assert _problems(tmp_path / "missing.csv") == [(None, None, "file not found")]
    assert _problems(_write(tmp_path, "", name="empty.csv")) == [(None, None, "file is empty")]
    assert _problems(_write(tmp_path, "x", name="areas.txt"))[0][2].startswith("unsupported")


def test_parquet_and_excel_rows_are_numbered_as_the_user_sees_them(tmp_path: Path) -> None:
    second = GOOD.replace("A1", "A2").replace("1500", "-1")
    frame = pd.read_csv(_write(tmp_path, HEADER, GOOD, second))
    frame.to_parquet(tmp_path / "areas.parquet")
    frame.to_excel(tmp_path / "areas.xlsx", index=False)
    assert _problems(tmp_path / "areas.parquet") == [(2, "residents", "-1 is below the minimum 0")]
    assert _problems(tmp_path / "areas.xlsx") == [(3, "residents", "-1 is below the minimum 0")]


def test_all_three_formats_give_the_same_frame(tmp_path: Path) -> None:
    csv_path = _write(tmp_path, HEADER, GOOD)
    frame = pd.read_csv(csv_path)
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    columns = ["area_id", "year", "residents", "labour_pct", "nonwestern_pct"]
    expected = read_area_statistics(csv_path)[columns]
    for other in ("a.parquet", "a.xlsx"):
        pd.testing.assert_frame_equal(read_area_statistics(tmp_path / other)[columns], expected)


def test_missing_outside_labour_falls_back_with_a_warning(tmp_path: Path) -> None:
    header = HEADER.rsplit(",", 1)[0]
    path = _write(tmp_path, header, GOOD.rsplit(",", 1)[0])
    with pytest.warns(UserWarning, match="outside_labour_pct"):
        frame = read_area_statistics(path)
    assert frame["outside_labour_pct"].tolist() == [41.0]


def test_cli_shows_the_fallback_warning_in_the_users_language(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    header = HEADER.rsplit(",", 1)[0]
    path = _write(tmp_path, header, GOOD.rsplit(",", 1)[0])
    danish = run_cli("designate", path, "--out", tmp_path / "da.json")
    english = run_cli("designate", path, "--out", tmp_path / "en.json", "--lang", "en")
    assert danish.code == english.code == 0
    assert "Advarsel:" in danish.err
    assert "kombineret udlejning (§ 51 b) bruger labour_pct i stedet" in danish.err
    assert "Warning:" in english.err and "uses labour_pct instead" in english.err


def test_cli_exits_2_and_writes_nothing(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    bad = _write(tmp_path, HEADER, GOOD, "A2,Beta,2021,1500,41.0,1.0,0.7,30.0,60.0,155.0,41.0")
    out = tmp_path / "result.json"
    workspace = tmp_path / "ws"
    result = run_cli("designate", bad, "--out", out, "--workspace", workspace)
    assert result.code == 2
    assert f"{bad}, række 3, kolonne 'nonwestern_pct': 155 er over maksimum 100" in result.err
    assert not out.exists()
    assert not workspace.exists() or list(workspace.iterdir()) == []


def test_bad_input_keeps_earlier_workspace_content(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as ws:
        ws.load_area_statistics(_write(tmp_path, HEADER, GOOD))
        with pytest.raises(InputError):
            ws.load_area_statistics(_write(tmp_path, HEADER, GOOD, GOOD, name="dup.csv"))
        assert len(ws.designations.area_statistics()) == 1
        assert ws.runs()["kind"].tolist() == ["load_area_statistics"]


def test_three_decimals_are_decimals_not_danish_thousands(tmp_path: Path) -> None:
    line = "A1,Alfa,2021,1500,41.0,1.0,0.677,30.0,50.125,55.0,41.0"
    csv_path = _write(tmp_path, HEADER, line)
    frame = pd.read_csv(csv_path)
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    for path in (csv_path, tmp_path / "a.parquet", tmp_path / "a.xlsx"):
        row = read_area_statistics(path).iloc[0]
        assert (row["crime_national_pct"], row["income_pct_of_region"]) == (0.677, 50.125)


def test_danish_numbers_with_thousands_and_decimal_commas(tmp_path: Path) -> None:
    header = HEADER.replace(",", ";")
    path = _write(tmp_path, header, "A1;Alfa;2021;1.500;41,0;1,0;0,677;30,0;50,125;55,0;41,0")
    row = read_area_statistics(path).iloc[0]
    assert (row["residents"], row["crime_national_pct"], row["labour_pct"]) == (1500, 0.677, 41)


def test_duplicates_are_reported_alongside_cell_errors(tmp_path: Path) -> None:
    bad_cell = GOOD.replace("A1", "A2").replace("41.0,1.0", "x,1.0")
    path = _write(tmp_path, HEADER, GOOD, bad_cell, GOOD)
    assert _problems(path) == [
        (3, "labour_pct", "'x' is not a number"),
        (4, "area_id, year", "duplicate area_id=A1, year=2021; first at row 2"),
    ]
