"""DST-layout registers: each code translation on hand-built rows, the round trip from the
synthetic city, and one malformed file per failure class (exit 2, nothing written)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from boligmonitor.errors import InputError
from boligmonitor.registers import import_registers, load_mapping
from boligmonitor.schema.microdata import load_microdata

YEAR = 2021
WEEKS = [f"y_21{w:02d}" for w in range(1, 53)]
# person -> (IE_TYPE, OPR_LAND, HFAUDD, HF_KILDE, SOCIO13, benefit weeks, AFG_GER7 codes)
PEOPLE: dict[int, tuple[int, int, int | None, int | None, int, int, list[str]]] = {
    1: (1, 5100, 1008, 15, 134, 0, []),  # Danish, basic school
    2: (
        2,
        5180,
        1001,
        15,
        321,
        52,
        ["1252000"],
    ),  # western immigrant (Tyskland), unknown; straffeloven
    3: (
        2,
        5172,
        3510,
        18,
        330,
        13,
        ["3210000"],
    ),  # non-western immigrant (Tyrkiet), imputed: not approved; euf. stoffer
    4: (
        3,
        5110,
        3510,
        11,
        134,
        26,
        ["3410000"],
    ),  # western descendant (Norge), approved: vocational; våbenloven
    5: (
        3,
        5436,
        None,
        None,
        310,
        0,
        ["2200000"],
    ),  # non-western descendant (Irak), no UDDF row; færdselslov only
    6: (1, 5100, 6510, 15, 322, 0, []),  # long tertiary, folkepension
}
TENURES = {  # address -> (ENH_ANVENDELSEKODE, DST_ENH_EJERFORHOLDSKODE, ENH_UDLEJNINGSFORHOLD)
    1: ((140, 20, 1), "almen_family"),
    2: ((150, 20, 1), "almen_youth"),
    3: ((160, 20, 1), "almen_elderly"),
    4: ((120, 10, 2), "owner_occupied"),
    5: ((140, 10, 1), "private_rental"),
    6: ((140, 41, 2), "andel"),
    7: ((140, 50, 1), "public"),
}
KEY = 101 * 100_000_000


def _write(frame: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False, sep=";")
    else:
        frame.to_parquet(path, index=False)


def build_registers(folder: Path, bef_suffix: str = ".parquet") -> Path:
    """A hand-built DST folder: 6 persons in 7 dwellings of municipality 101."""
    geo = folder / "geo"
    geo.mkdir(parents=True)
    pd.DataFrame({"region_code": [1084], "name": ["Hovedstaden"]}).to_parquet(
        geo / "regions.parquet"
    )
    pd.DataFrame(
        {"municipality_code": [101], "name": ["København"], "region_code": [1084]}
    ).to_parquet(geo / "municipalities.parquet")
    pd.DataFrame(
        {
            "department_id": ["A-1"],
            "organisation": ["A"],
            "number": [1],
            "name": ["Afd"],
            "leases": [3],
            "area_id": ["O-1"],
        }
    ).to_parquet(geo / "departments.parquet")
    pd.DataFrame(
        {
            "address_id": [KEY + a for a in TENURES],
            "x": [720_000.0 + a for a in TENURES],
            "y": [6_170_000.0] * len(TENURES),
            "municipality_code": [101] * len(TENURES),
            "department_id": ["A-1", "A-1", "A-1", None, None, None, None],
        }
    ).to_parquet(geo / "addresses.parquet")
    ids = list(PEOPLE)
    _write(
        pd.DataFrame(
            {
                "PNR": ids,
                "FOED_DAG": pd.to_datetime(
                    [
                        "1980-07-01",
                        "1950-01-01",
                        "1990-03-05",
                        "2003-12-31",
                        "1999-01-02",
                        "1940-06-06",
                    ]
                ),
                "IE_TYPE": [PEOPLE[p][0] for p in ids],
                "OPR_LAND": [PEOPLE[p][1] for p in ids],
                "KOM": [101] * 6,
                "BOPIKOM": [1, 1, 2, 3, 5, 7],
            }
        ),
        folder / f"bef{YEAR}{bef_suffix}",
    )
    educated = [p for p in ids if PEOPLE[p][2] is not None]
    pd.DataFrame(
        {
            "PNR": educated,
            "HFAUDD": [PEOPLE[p][2] for p in educated],
            "HF_KILDE": [PEOPLE[p][3] for p in educated],
            "IGFSP": [None, None, "H40", None, None],
        }
    ).to_parquet(folder / f"uddf{YEAR}.parquet")
    pd.DataFrame(
        {
            "PNR": ids,
            "PERINDKIALT_13": [300e3, 120e3, 90e3, 250e3, 20e3, 150e3],
            "DISPON_13": [200e3] * 6,
            "FULD_SKATTEPLIGTIG": [1, 1, 1, 1, 0, 1],
        }
    ).to_parquet(folder / f"ind{YEAR}.parquet")
    pd.DataFrame({"PNR": ids, "SOCIO13": [PEOPLE[p][4] for p in ids]}).to_parquet(
        folder / f"akm{YEAR}.parquet"
    )
    dream = {"PNR": ids} | {
        w: [("130" if i < PEOPLE[p][5] else ("651" if p == 5 else None)) for p in ids]
        for i, w in enumerate(WEEKS)
    }
    pd.DataFrame(dream).to_parquet(folder / f"dream{YEAR}.parquet")
    crimes = [(p, code) for p in ids for code in PEOPLE[p][6]]
    pd.DataFrame({"PNR": [p for p, _ in crimes], "AFG_GER7": [c for _, c in crimes]}).to_parquet(
        folder / f"kraf{YEAR}.parquet"
    )
    pd.DataFrame(
        {
            "KOM": [101] * len(TENURES),
            "BOPIKOM": list(TENURES),
            "ENH_ANVENDELSEKODE": [t[0][0] for t in TENURES.values()],
            "DST_ENH_EJERFORHOLDSKODE": [t[0][1] for t in TENURES.values()],
            "ENH_UDLEJNINGSFORHOLD": [t[0][2] for t in TENURES.values()],
            "ENH_BOLIGAREAL": [70.0] * len(TENURES),
        }
    ).to_parquet(folder / f"bol{YEAR}.parquet")
    return folder


@pytest.fixture
def imported(tmp_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = build_registers(tmp_path / "dst", bef_suffix=".csv")
    report = import_registers(folder, [YEAR], "dst", tmp_path / "out")
    assert report.fallbacks == {"BEF.OPR_LAND": {"5172": 1, "5436": 1}}  # counted, not dropped
    persons = pd.read_parquet(tmp_path / "out" / "persons" / f"persons_{YEAR}.parquet").set_index(
        "person_id"
    )
    dwellings = pd.read_parquet(tmp_path / "out" / "dwellings.parquet").set_index("address_id")
    load_microdata(tmp_path / "out")  # the result passes the microdata validation
    return persons, dwellings


def test_origin_western_nonwestern_and_descendants(
    imported: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    origin = imported[0]["origin"].to_dict()
    assert origin == {
        1: "danish", 2: "western_immigrant", 3: "nonwestern_immigrant",
        4: "western_descendant", 5: "nonwestern_descendant", 6: "danish",
    }  # fmt: skip


def test_each_education_case(imported: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    education = imported[0]["education"].to_dict()
    assert education == {
        1: "basic", 2: "unknown", 3: "foreign_not_approved",
        4: "vocational", 5: "unknown", 6: "long_tertiary",
    }  # fmt: skip
    assert imported[0]["in_education"].to_dict() == {
        1: False,
        2: False,
        3: True,
        4: False,
        5: False,
        6: False,
    }


def test_benefit_weeks_are_full_time_persons(imported: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    fraction = imported[0]["no_attachment_fraction"].to_dict()
    assert fraction == {
        1: 0.0,
        2: 1.0,
        3: 0.25,
        4: 0.5,
        5: 0.0,
        6: 0.0,
    }  # SU weeks (651) do not count
    permanent = imported[0]["permanently_outside_labour_force"].to_dict()
    assert permanent == {1: False, 2: True, 3: False, 4: False, 5: False, 6: True}


def test_each_conviction_law(imported: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    convicted = imported[0]["convicted"].to_dict()
    assert convicted == {1: False, 2: True, 3: True, 4: True, 5: False, 6: False}


def test_age_address_income_and_tenure(imported: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    persons, dwellings = imported
    assert persons["age"].to_dict() == {1: 40, 2: 71, 3: 30, 4: 17, 5: 21, 6: 80}
    assert persons.loc[3, "address_id"] == KEY + 2
    assert persons.loc[5, "taxpayer"] == False  # noqa: E712
    assert persons.loc[1, "gross_income"] == 300e3
    assert {a - KEY: t for a, t in dwellings["tenure"].items()} == {
        a: t for a, (_, t) in TENURES.items()
    }
    assert dwellings.loc[KEY + 1, "department_id"] == "A-1"
    assert pd.isna(dwellings.loc[KEY + 4, "department_id"])


def test_a_user_file_overrides_one_entry(tmp_path: Path) -> None:
    folder = build_registers(tmp_path / "dst")
    ind = pd.read_parquet(folder / f"ind{YEAR}.parquet").rename(
        columns={"FULD_SKATTEPLIGTIG": "SKAT"}
    )
    ind.to_parquet(folder / f"ind{YEAR}.parquet")
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "base: dst\ncolumns:\n  taxpayer:\n    kind: codes\n    register: IND\n    variable: SKAT\n"
        "    codes: {'0': false, '1': true}\n",
        encoding="utf-8",
    )
    import_registers(folder, [YEAR], mine, tmp_path / "out")
    persons = pd.read_parquet(tmp_path / "out" / "persons" / f"persons_{YEAR}.parquet")
    assert persons["taxpayer"].sum() == 5
    mine.write_text(
        "base: dst\ncolumns:\n  tenure:\n    kind: rules\n    register: BOL\n    rules: []\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        load_mapping(mine)
    assert error.value.problems[0].row == 6 and error.value.problems[0].file == str(mine)


def _break(folder: Path, register: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    path = folder / f"{register}{YEAR}.parquet"
    change(pd.read_parquet(path)).to_parquet(path, index=False)


def _set(column: str, row: int, value: object) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.astype({column: "object"})
        frame.loc[row, column] = value
        return frame

    return change


FAILURES = {  # row: 1-based Parquet record number
    "unknown code": ("bef", _set("IE_TYPE", 1, 7), "IE_TYPE", 2, "code not in the mapping"),
    "unknown SOCIO13": ("akm", _set("SOCIO13", 4, 12345), "SOCIO13", 5, "code not in the mapping"),
    "unknown HFAUDD": ("uddf", _set("HFAUDD", 0, 7777), "HFAUDD", 1, "code not in the mapping"),
    "missing variable": (
        "uddf",
        lambda f: f.drop(columns="HFAUDD"),
        "HFAUDD",
        None,
        "missing variable",
    ),
    "duplicate person-year": (
        "ind",
        lambda f: pd.concat([f, f.iloc[[2]]]),
        "PNR",
        3,
        "duplicate person-year",
    ),
    "person without address": (
        "bef",
        _set("BOPIKOM", 2, None),
        "KOM + BOPIKOM",
        3,
        "without an address",
    ),
    "unknown tenure": ("bol", _set("DST_ENH_EJERFORHOLDSKODE", 0, 99), None, 1, "no rule matches"),
    "address not in geo": ("bef", _set("BOPIKOM", 3, 99), "KOM + BOPIKOM", 4, "not in geo/addr"),
    "dwelling not in geo": ("bol", _set("BOPIKOM", 6, 99), "KOM + BOPIKOM", 7, "not in geo/addr"),
    "duplicate dwelling": (
        "bol",
        lambda f: pd.concat([f, f.iloc[[1]]]),
        "KOM, BOPIKOM",
        2,
        "duplicate key",
    ),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_malformed_register_exits_2_and_writes_nothing(
    failure: str, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    folder = build_registers(tmp_path / "dst")
    register, change, variable, row, message = FAILURES[failure]
    _break(folder, register, change)
    out = tmp_path / "out"
    result = run_cli("registers", "import", folder, "--years", str(YEAR), "--out", out)
    assert result.code == 2, result.err
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["dst"]
    with pytest.raises(InputError) as error:
        import_registers(folder, [YEAR], "dst", out)
    problem = error.value.problems[0]
    assert problem.file.endswith(f"{register}{YEAR}.parquet") and message in problem.text()
    assert register.upper() in problem.text()
    assert problem.row == row
    if variable is not None:
        assert problem.column == variable


@pytest.mark.parametrize("failure", ["address not in geo", "dwelling not in geo"])
def test_addresses_missing_from_geo_are_found_without_the_address_index(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from boligmonitor.registers import geography

    monkeypatch.setattr(geography, "_dense_index", lambda ids: None)  # as for sparse ids
    folder = build_registers(tmp_path / "dst")
    register, change, variable, row, message = FAILURES[failure]
    _break(folder, register, change)
    with pytest.raises(InputError) as error:
        import_registers(folder, [YEAR], "dst", tmp_path / "out")
    problem = error.value.problems[0]
    assert problem.file.endswith(f"{register}{YEAR}.parquet") and message in problem.text()
    assert (problem.row, problem.column) == (row, variable)
    assert [p.name for p in tmp_path.iterdir()] == ["dst"]


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from boligmonitor.registers.synthetic import write_dst_layout
    from boligmonitor.synth import generate

    root = tmp_path_factory.mktemp("roundtrip")
    generate(
        root / "native", "city", range(2019, 2022), seed=5, persons=40_000, progress=False
    )  # as test_indicators_statutory: areas designated in 2021
    write_dst_layout(root / "native", root / "dst", range(2019, 2022))
    import_registers(root / "dst", range(2019, 2022), "dst", root / "imported")
    return root / "native", root / "imported"


def test_round_trip_gives_the_same_indicators(round_trip: tuple[Path, Path]) -> None:
    from boligmonitor.indicators.copenhagen import unit_indicators
    from boligmonitor.indicators.statutory import area_statistics

    native, imported = (load_microdata(p) for p in round_trip)
    years = [2019, 2020, 2021]
    pd.testing.assert_frame_equal(area_statistics(native, years), area_statistics(imported, years))
    pd.testing.assert_frame_equal(unit_indicators(native, years), unit_indicators(imported, years))


def test_round_trip_gives_the_same_designations(
    round_trip: tuple[Path, Path], tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    results = []
    for name, folder in zip(("native", "imported"), round_trip, strict=True):
        out = tmp_path / f"{name}.json"
        result = run_cli("designate", "--microdata", folder, "--year", "2021", "--out", out)
        assert result.code == 0, result.err
        results.append(json.loads(out.read_text(encoding="utf-8")))
    assert results[0] == results[1]
    assert any(r["designations"] for r in results[0])


def test_synth_writes_the_dst_layout(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    out = tmp_path / "dst"
    result = run_cli("synth", "--persons", "3000", "--years", "2021", "--layout", "dst", out)
    assert result.code == 0, result.err
    assert {p.name for p in out.glob("*2021.parquet")} == {
        f"{r}2021.parquet" for r in ("bef", "uddf", "ind", "akm", "dream", "kraf", "bol")
    }
    imported = run_cli(
        "registers", "import", out, "--years", "2021", "--out", tmp_path / "md", "--lang", "en"
    )
    assert imported.code == 0, imported.err
    assert "3.000" not in imported.out and "3,000 person-years" in imported.out


def test_designate_reads_the_dst_layout_directly(
    round_trip: tuple[Path, Path], tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    native, imported = round_trip
    dst = imported.parent / "dst"
    outputs = []
    for name, args in (("native", [native]), ("dst", [dst, "--layout", "dst"])):
        out = tmp_path / f"{name}.json"
        result = run_cli("designate", "--microdata", *args, "--year", "2021", "--out", out)
        assert result.code == 0, result.err
        outputs.append(json.loads(out.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]
    assert any(r["designations"] for r in outputs[0])


def test_sql_helpers_quote_names_and_match_codes_like_in() -> None:
    import duckdb

    from boligmonitor.registers.sql import ident, literal, one_of

    assert ident('a"b') == '"a""b"' and literal("it's") == "'it''s'" and literal(None) == "NULL"
    con = duckdb.connect()
    values = ["130", " 130", "651", "it's", "", None]
    for codes in ([], ["130"], ["130", "it's", "783", ""]):
        for value in values:
            (found,) = con.execute(f"SELECT {one_of(literal(value), codes)}").fetchone() or ()
            assert found is (value in codes), (value, codes)
    (found,) = con.execute(
        f"SELECT {one_of(ident('c'), ['1', '2'])} FROM (SELECT 2 AS c)"
    ).fetchone()
    assert found is False  # a number is not its text: codes are compared as text


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_code_tests_match_the_code_text_for_every_column_type(tmp_path: Path, suffix: str) -> None:
    import duckdb

    from boligmonitor.registers.files import open_file
    from boligmonitor.registers.translate import code_sql, empty_sql, is_code

    con = duckdb.connect()
    path = tmp_path / f"t{suffix}"
    rows = (
        "SELECT * FROM (VALUES (5, 5.0, ' 130 '), (NULL, NULL, NULL), (130, 130.4, ''),"
        " (-1, -1.0, '05'), (7, 7.6, 'x')) v(i, d, t)"
    )
    options = "(FORMAT csv, HEADER true)" if suffix == ".csv" else "(FORMAT parquet)"
    con.execute(f"COPY ({rows}) TO '{path}' {options}")
    file = open_file(con, path, "T", 2021, tmp_path)
    assert file.dictionary is (suffix == ".parquet")
    lists = (
        [],
        ["5"],
        ["05", "+130", " 7"],
        ["5", "05", "130", "-1", "x", "8", "", "99999999999999999999"],
    )
    for variable in ("I", "D", "T"):
        for codes in lists:
            query = (
                f"SELECT {code_sql(file, variable)}, {is_code(file, variable, codes)}, "
                f"{empty_sql(file, variable)} FROM {file.view} ORDER BY _row"
            )
            for text, found, empty in con.execute(query).fetchall():
                assert found is (text in codes), (variable, codes, text)
                assert empty is (text is None), (variable, text)
