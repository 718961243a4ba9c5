"""Regression tests for hostile input: crashes, silently wrong results and the web cache key.

Each test reproduces one way a malformed or unusual input used to crash with a traceback or
give a wrong answer without a word, and checks the input is now refused with exit code 2 and a
message naming the file, row/line and column/field (or, where the input is legitimate, that it
now gives the right answer).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from boligmonitor.data import example_path
from boligmonitor.errors import InputError
from boligmonitor.io.spreadsheet import write_frames
from boligmonitor.rules.registry import load_rule_set_file
from boligmonitor.schema.area_statistics import read_area_statistics
from boligmonitor.schema.columns import parse_number
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.schema.yamlfile import read_yaml
from boligmonitor.screening.method import load_method

MIMER = example_path("mimerskvarter_2020.csv")
METHODS = Path(__file__).resolve().parents[1] / "src" / "boligmonitor" / "data" / "screening"


def test_junk_query_parameters_do_not_grow_the_response_cache(web_client: TestClient) -> None:
    state = web_client.app.state.web  # type: ignore[attr-defined]
    web_client.cookies.clear()  # an earlier test's language cookie would key other entries
    assert web_client.get("/?year=2020").status_code == 200
    before = len(state._responses)
    for n in range(50):
        assert web_client.get(f"/?year=2020&junk{n}={'x' * n}").status_code == 200
        assert web_client.get(f"/?year=0{2020}&junk={n}").status_code == 200
    assert len(state._responses) == before
    other: Any = web_client.get("/?year=2016&rules=dk-2010")  # asked by no other test
    assert other.status_code == 200
    assert len(state._responses) == before + 1


# -- finding 5: crashes ----------------------------------------------------------------------

RULES = Path(__file__).resolve().parents[1] / "src" / "boligmonitor" / "data" / "rules"


def _rule_text() -> str:
    return (RULES / "dk-2018.yaml").read_text(encoding="utf-8")


def test_yaml_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"id: x\n# S\xf8borg\n")
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    assert (caught.value.problems[0].row, caught.value.problems[0].text()) == (
        2,
        "the file is not UTF-8 text; save it as UTF-8",
    )
    assert caught.value.render("da")[0].endswith(
        "linje 2: filen er ikke UTF-8-tekst; gem den som UTF-8"
    )


def test_yaml_nested_past_the_recursion_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        load_rule_set_file(path)


def test_whole_numbers_beyond_int64_are_refused(tmp_path: Path, run_cli: Any) -> None:
    table = tmp_path / "areas.csv"
    text = MIMER.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",2020,370,", ",2020,1e30,")
    table.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_area_statistics(table)
    assert [(p.row, p.column, p.text()) for p in caught.value.problems] == [
        (2, "residents", "'1e30' is too large for a whole number")
    ]
    result = run_cli("designate", MIMER, "--year", "99999999999999999999")
    assert result.code == 2 and "Traceback" not in result.err


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_non_finite_rule_thresholds_are_refused(tmp_path: Path, value: str) -> None:
    text = _rule_text()
    first = re.search(r"threshold: [0-9.]+", text)
    assert first is not None
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(first.group(0), f"threshold: {value}", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rule_set_file(path)
    problem = caught.value.problems[0]
    assert problem.column == "criteria.0.threshold" and problem.text() == "not a finite number"
    assert problem.row == text[: first.start()].count("\n") + 1


def test_a_screening_method_listing_a_criterion_twice_is_refused(tmp_path: Path) -> None:
    text = (METHODS / "kk-default.yaml").read_text(encoding="utf-8")
    path = tmp_path / "method.yaml"
    path.write_text(text.replace("{id: outside_labour,", "{id: living_area,"), "utf-8")
    with pytest.raises(InputError, match="criteria listed more than once: living_area"):
        load_method(path)


@pytest.fixture(scope="module")
def small_microdata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from boligmonitor.synth.generate import generate

    folder = tmp_path_factory.mktemp("md") / "microdata"
    generate(folder, "city", years=[2020, 2021], seed=3, persons=1200, progress=False)
    return folder


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_a_truncated_parquet_file_is_named(small_microdata: Path, tmp_path: Path) -> None:
    folder = _copy(small_microdata, tmp_path / "md")
    broken = folder / "persons" / "persons_2021.parquet"
    broken.write_bytes(broken.read_bytes()[:200])
    with pytest.raises(InputError) as caught:
        load_microdata(folder)
    assert caught.value.problems[0].file == str(broken)
    assert caught.value.problems[0].text().startswith("cannot read Parquet")


def test_infinite_coordinates_are_refused(small_microdata: Path, tmp_path: Path) -> None:
    folder = _copy(small_microdata, tmp_path / "md")
    addresses = pd.read_parquet(folder / "addresses.parquet")
    addresses.loc[4, "x"] = float("inf")
    addresses.to_parquet(folder / "addresses.parquet", index=False)
    with pytest.raises(InputError) as caught:
        load_microdata(folder)
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "x")]
    assert "not a finite number" in caught.value.problems[0].text()


def test_control_characters_never_crash_an_xlsx_export(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["Bad\x01name", "=1+1"], "n": [1, 2]})
    target = tmp_path / "x.xlsx"
    write_frames(target, {"Ark": frame})
    cells = pd.read_excel(target, dtype=str)["name"].tolist()
    assert cells == ["Bad\ufffdname", "=1+1"]


def test_control_characters_in_input_names_are_refused(tmp_path: Path, run_cli: Any) -> None:
    table = tmp_path / "areas.csv"
    table.write_text(
        MIMER.read_text(encoding="utf-8").replace("Bogtrykkergården", "Bog\x01"), "utf-8"
    )
    result = run_cli("designate", table, "--year", "2020", "--out", tmp_path / "out.xlsx")
    assert result.code == 2
    assert "række 2, kolonne 'area_name': 'Bog\\x01' indeholder et kontroltegn" in result.err
    assert not (tmp_path / "out.xlsx").exists()


def test_unwritable_output_is_refused_before_any_work(tmp_path: Path, run_cli: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("designate", MIMER, "--year", "2020", "--out", blocker / "out.json")
    assert result.code == 2 and "Traceback" not in result.err
    assert "kan ikke skrive i mappen" in result.err
    (tmp_path / "folder.json").mkdir()
    result = run_cli("designate", MIMER, "--year", "2020", "--out", tmp_path / "folder.json")
    assert result.code == 2 and "er en mappe, ikke en fil" in result.err


def test_unit_statistics_with_an_empty_group_read_as_unknown() -> None:
    from boligmonitor.screening.units import unit_statistics_from_frame
    from tests.test_screening_fixtures import grid_stats

    frame = grid_stats(set(), size=2)
    frame["nonwestern_num"] = frame["nonwestern_num"].astype(float)
    frame.loc[0, ["nonwestern_num", "nonwestern_den", "nonwestern"]] = [0.0, 0.0, float("nan")]
    frame.loc[1, "name"] = float("nan")  # pandas holds an empty text cell as NaN
    stats = unit_statistics_from_frame(frame)
    assert pd.isna(stats.loc[0, "nonwestern"])
    assert stats.loc[1, "name"] == stats.loc[1, "unit_id"]


def test_suppressed_round_figures_print_as_a_dash() -> None:
    from boligmonitor.cli.screening import _value

    assert _value(pd.NA, "da") == "–"
    assert _value(float("nan"), "da") == "–"
    assert _value(12.25, "da") == "12,3"


# -- finding 6: silently wrong ---------------------------------------------------------------


def test_an_infinite_income_is_refused_not_averaged(small_microdata: Path, tmp_path: Path) -> None:
    folder = _copy(small_microdata, tmp_path / "md")
    path = folder / "persons" / "persons_2021.parquet"
    persons = pd.read_parquet(path)
    persons["gross_income"] = persons["gross_income"].astype(float)
    persons.loc[2, "gross_income"] = float("inf")
    persons.to_parquet(path, index=False)
    with pytest.raises(InputError) as caught:
        load_microdata(folder)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        (str(path), 3, "gross_income")
    ]


def test_a_rule_indicator_that_names_no_column_is_an_error(tmp_path: Path) -> None:
    text = _rule_text()
    first = re.search(r"indicator: (\w+)", text)
    assert first is not None
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(first.group(0), "indicator: labor_pct", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rule_set_file(path)
    problem = caught.value.problems[0]
    assert problem.column == "criteria.0.indicator"
    assert problem.text().startswith("'labor_pct' names no column of the area statistics")


@pytest.mark.parametrize("text", ["4_0", "\u0664\u0660", "\uff14\uff10", "0x10", "1__0"])
def test_only_ascii_digits_are_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_a_cp1252_csv_from_danish_excel_loads(tmp_path: Path) -> None:
    text = MIMER.read_text(encoding="utf-8").replace(",", ";")
    path = tmp_path / "omraader.csv"
    path.write_bytes(text.replace(".", ",").encode("cp1252"))
    frame = read_area_statistics(path)
    assert frame.loc[0, "area_name"] == "Bogtrykkergården"
    assert frame.loc[0, "municipality"] == "København"
    assert frame.loc[0, "nonwestern_pct"] == pytest.approx(69.6)
