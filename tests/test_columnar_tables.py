"""Reading a table a whole column at once gives the frames and problems of reading cell by cell.

Each table is read twice: as the product reads it (columns screened at once, the per-cell rule
deciding only the cells the screen is unsure of) and with the per-cell rule alone (the reader
before the screen). Frames, problems (row, column, Danish and English text) and warnings must
be identical, in CSV, Parquet and Excel.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boligmonitor.errors import InputError
from boligmonitor.io import tables
from boligmonitor.schema import columnar
from boligmonitor.schema.area_statistics import read_area_statistics
from boligmonitor.schema.columns import Column, Kind

HEADER = (
    "area_id,area_name,year,residents,labour_pct,crime_pct,crime_national_pct,"
    "education_pct,income_pct_of_region,nonwestern_pct,outside_labour_pct"
)
GOOD = "A1,Alfa,2021,1500,41.0,1.0,0.7,30.0,60.0,55.0,41.0"

#: Tables of area statistics, good and bad: (name, lines after the header).
TABLES: dict[str, list[str]] = {
    "good": [GOOD, "A2,Beta,2021,980,12.25,0.5,0.7,10,99.5,5,12.5"],
    "danish decimal commas": ['A1,Alfa,2021,"1.500","41,5","1,0","0,677",30,60,55,"41,0"'],
    "thousands and decimals": ['A1,Alfa,2021,"1.500",41,1,0.7,30,"0.234,5",55,41'],
    "signs and bare points": ["A1,Alfa,2021,+1500,+41.,.5,0.70,30,60.,055,41"],
    "spaces and per cent": ['A1,Alfa,2021,"1 500","41 %", 1.0 ,0.7,30,60,55,41.0 '],
    "suppressed and unknown": [
        "A1,Alfa,2021,1500,diskretioneret,-,..,30,NA,Diskretioneret,ukendt",
        "A2,,2021,,,,,,,,",
        "A3,-,2021,1500,41,1,0.7,30,60,55, ukendt ",
    ],
    "kelvin sign in ukendt": ["A1,Alfa,2021,1500,u\u212aendt,1,0.7,30,60,55,41"],
    "required cells empty": [",Alfa,2021,1500,41,1,0.7,30,60,55,41", "A2,Beta,,1,1,1,1,1,1,1,1"],
    "required cells diskretioneret": ["diskretioneret,Alfa,diskretioneret,1,1,1,1,1,1,1,1"],
    "bad numbers": [
        "A1,Alfa,2021,1500,fyrre,4_0,\u0664\u0660,1e3,inf,nan,1e999",
        "A2,Beta,2021,1500,--5,5-,1.2.3,'3,=1+1,+,.",
    ],
    "out of range": [
        "A1,Alfa,1980,-3,155,1,0.7,30,60,-0.5,100.0001",
        "A2,Beta,2101,1500,100,0,0,0,0,0,0",
    ],
    "not whole numbers": ["A1,Alfa,2021.5,10.5,41,1,0.7,30,60,55,41"],
    "whole numbers too large": [
        "A1,Alfa,2021,99999999999999999999,41,1,0.7,30,60,55,41",
        "A2,Alfa,2021,1234567890123456,41,1,0.7,30,60,55,41",
        "A3,Alfa,2021,9007199254740994,41,1,0.7,30,60,55,41",
    ],
    "many digits": ["A1,Alfa,2021,000001500,41.00000000000000000001,1,0.7,30,60,55," + "4" * 400],
    "control characters and formulas": [
        "A1,Al\x01fa,2021,1500,41,1,0.7,30,60,55,41",
        "=HYPERLINK(1),@SUM(A1),2021,1500,41,1,0.7,30,60,55,41",
    ],
    "duplicates": [GOOD, GOOD.replace("A1", "A2"), GOOD, GOOD.replace("41.0,1.0", "x,1.0")],
    "duplicate with a bad key": [GOOD, GOOD.replace("2021", "1900"), GOOD.replace("2021", "1900")],
    "header only": [],
}


def _outcome(path: Path) -> tuple[str, object, list[str]]:
    """The frame or the problems (both languages) and the warnings of reading ``path``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: tuple[str, object] = ("frame", read_area_statistics(path))
        except InputError as error:
            result = (
                "problems",
                [(p.file, p.row, p.column, p.text("en"), p.text("da")) for p in error.problems],
            )
    return (*result, [str(w.message) for w in caught])


def _same(fast: tuple[str, object, list[str]], slow: tuple[str, object, list[str]]) -> None:
    assert fast[0] == slow[0]
    if fast[0] == "frame":
        assert isinstance(fast[1], pd.DataFrame) and isinstance(slow[1], pd.DataFrame)
        pd.testing.assert_frame_equal(fast[1], slow[1], check_exact=True)
    else:
        assert fast[1] == slow[1]
    assert fast[2] == slow[2]


def _files(tmp_path: Path, name: str, lines: list[str]) -> list[Path]:
    """The table as CSV, and as Parquet and Excel written from its text cells."""
    stem = name.replace(" ", "_")
    csv_path = tmp_path / f"{stem}.csv"
    csv_path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    text = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    text.to_parquet(tmp_path / f"{stem}.parquet")
    if "\x01" not in "".join(lines):  # Excel cannot hold control characters
        text.map(_excel_cell).to_excel(tmp_path / f"{stem}.xlsx", index=False)
    return sorted(tmp_path.glob(f"{stem}.*"))


def _excel_cell(text: str) -> object:
    """A number cell where Python reads the text as a finite number, else a text cell."""
    try:
        number = float(text)
    except ValueError:
        return text
    return number if np.isfinite(number) else text


@pytest.mark.parametrize("name", sorted(TABLES))
def test_whole_columns_read_as_cell_by_cell(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in _files(tmp_path, name, TABLES[name]):
        fast = _outcome(path)
        with monkeypatch.context() as patched:
            patched.setattr(columnar, "typed_column", columnar.typed_column_by_cell)
            patched.setattr(tables, "_column_as_text", tables._cells_as_text)
            slow = _outcome(path)
        _same(fast, slow)


def test_the_bad_tables_are_refused_and_the_good_ones_read(tmp_path: Path) -> None:
    """The cases above exercise both outcomes, with values the rule is known to give."""
    outcomes = {name: _outcome(_files(tmp_path, name, lines)[0]) for name, lines in TABLES.items()}
    read = {name for name, outcome in outcomes.items() if outcome[0] == "frame"}
    assert read == {
        "good",
        "danish decimal commas",
        "thousands and decimals",
        "signs and bare points",
        "spaces and per cent",
        "suppressed and unknown",
        "kelvin sign in ukendt",
        "header only",
    }
    danish = outcomes["danish decimal commas"][1]
    assert isinstance(danish, pd.DataFrame)
    assert danish.loc[0, ["residents", "labour_pct", "crime_national_pct"]].tolist() == [
        1500,
        41.5,
        0.677,
    ]
    thousands = outcomes["thousands and decimals"][1]
    assert isinstance(thousands, pd.DataFrame)
    assert thousands.loc[0, ["residents", "income_pct_of_region"]].tolist() == [1500, 234.5]
    suppressed = outcomes["suppressed and unknown"][1]
    assert isinstance(suppressed, pd.DataFrame)
    assert suppressed["labour_pct"].isna().tolist() == [True, True, False]
    assert suppressed["area_name"].tolist() == ["Alfa", "A2", "A3"]
    assert _where(outcomes["whole numbers too large"]) == [
        (2, "residents", "'99999999999999999999' is too large for a whole number"),
        (4, "residents", "'9007199254740994' is too large for a whole number"),
    ]
    assert _where(outcomes["out of range"]) == [
        (2, "year", "1980 is below the minimum 1990"),
        (2, "residents", "-3 is below the minimum 0"),
        (2, "labour_pct", "155 is above the maximum 100"),
        (2, "nonwestern_pct", "-0.5 is below the minimum 0"),
        (2, "outside_labour_pct", "100 is above the maximum 100"),
        (3, "year", "2101 is above the maximum 2100"),
    ]


def _where(outcome: tuple[str, object, list[str]]) -> list[tuple[object, ...]]:
    """Row, column and English text of each problem of a refused table."""
    assert outcome[0] == "problems" and isinstance(outcome[1], list)
    return [(row, column, english) for _, row, column, english, _ in outcome[1]]


def test_plain_numbers_never_reach_the_per_cell_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only text, suppressed and unusual cells are read by the rule, once per distinct text."""
    lines = [
        f"A{i},Navn {i % 3},2021,{1000 + i},{i % 90}.5,1,0.7,30,60,55,"
        + ("diskretioneret" if i % 2 else "41")
        for i in range(40)
    ]
    path = _files(tmp_path, "many", lines)[0]
    read: list[tuple[str, object]] = []
    rule = columnar.typed_cell

    def counted(column: Column, cell: object) -> tuple[object, object]:
        read.append((column.name, cell))
        return rule(column, cell)

    monkeypatch.setattr(columnar, "typed_cell", counted)
    frame = read_area_statistics(path)
    assert frame["residents"].tolist() == list(range(1000, 1040))
    assert sorted(read, key=str) == sorted(
        [("area_id", f"A{i}") for i in range(40)]
        + [("area_name", f"Navn {i}") for i in range(3)]
        + [("outside_labour_pct", "diskretioneret")],
        key=str,
    )


#: Cell texts built from the characters that matter to the rule.
_CELLS = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.text(alphabet="0123456789.,+-e %\u00a0 \t\u2003\u212aindkaswr\x01\u0660_", max_size=8),
    st.sampled_from(sorted(["diskretioneret", "-", "..", "na", "1.234", "1.234,5", "ja", "nej"])),
)
_COLUMNS = st.builds(
    Column,
    name=st.just("x"),
    kind=st.sampled_from(list(Kind)),
    nullable=st.booleans(),
    minimum=st.sampled_from([None, 0.0, 1990.0]),
    maximum=st.sampled_from([None, 100.0, 2100.0]),
    choices=st.sampled_from([(), ("ja", "-")]),
)


@settings(max_examples=400, deadline=None)
@given(column=_COLUMNS, cells=st.lists(_CELLS, max_size=12))
def test_typed_column_equals_the_rule_on_any_cells(column: Column, cells: list[object]) -> None:
    fast, fast_problems = columnar.typed_column(column, cells)
    slow, slow_problems = columnar.typed_column_by_cell(column, cells)
    pd.testing.assert_series_equal(fast, slow, check_exact=True)
    if column.kind is Kind.NUMBER:  # -0 stays -0.0
        signs = [np.signbit(s.to_numpy(float, na_value=0.0)) for s in (fast, slow)]
        assert np.array_equal(*signs)
    assert fast_problems == slow_problems


_RAW = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(pd.NA),
    st.text(
        alphabet=" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u3000\ufeffab1,.",
        max_size=6,
    ),
)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_RAW, max_size=10), as_string=st.booleans())
def test_text_cells_are_stripped_as_python_strips_them(
    cells: list[object], as_string: bool
) -> None:
    series = pd.Series(cells, dtype=object)
    if as_string:
        series = series.astype("str")
    fast = tables._column_as_text(series)
    slow = tables._cells_as_text(series)
    pd.testing.assert_series_equal(fast, slow)
    assert [type(v) for v in fast] == [type(v) for v in slow]


def test_cells_that_are_not_text_are_read_one_by_one() -> None:
    series = pd.Series([1, 2.5, None, " x ", pd.Timestamp("2021-12-01"), b"y"], dtype=object)
    assert tables._column_as_text(series).tolist() == [
        "1",
        "2.5",
        None,
        "x",
        "2021-12-01 00:00:00",
        "b'y'",
    ]
    typed, problems = columnar.typed_column(Column("x", Kind.NUMBER), [1, "2,5", True, None])
    assert typed.tolist() == [1.0, 2.5, pd.NA, pd.NA]
    assert problems == [(2, ("'{text}' is not a number", {"text": "True"}))]
