"""Fuzzing every input family through the command line.

A generator derives malformed variants from known-good inputs (the packaged examples, shipped
YAML files, a small synthetic microdata folder) and runs each through the CLI in-process. Every
variant must end with exit code 2 and a Danish message ("Fejl i input") that names the file and,
where the problem sits in a cell or a field, the row or line and the column or field; no
traceback (a crash), no exit 0 (a silent accept), no output file, and a workspace given with
``-w`` byte-identical afterwards. The good inputs themselves pass, so a case fails only because
of what was broken in it.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from boligmonitor.data import data_path, example_path
from tests.conftest import CliResult
from tests.test_screening_fixtures import grid_stats

SRC = Path(__file__).resolve().parents[1] / "src" / "boligmonitor"
MIMER = example_path("mimerskvarter_2020.csv")

#: How each input family reaches the CLI: the arguments around the file, ``{out}`` for the
#: output file and ``{base}`` for the shared good inputs' folder.
COMMANDS: dict[str, list[str]] = {
    "area_statistics": ["designate", "{file}", "--year", "2020", "--out", "{out}.json"],
    "history": [
        "designate",
        str(MIMER),
        "--year",
        "2020",
        "--history",
        "{file}",
        "--out",
        "{out}.json",
    ],
    "rule_set": [
        "designate",
        str(MIMER),
        "--year",
        "2020",
        "--rules",
        "{file}",
        "--out",
        "{out}.csv",
    ],
    "unit_statistics": ["screen", "{file}", "--year", "2021", "--out", "{out}.json"],
    "units": [
        "screen",
        "{base}/units_2021.csv",
        "--year",
        "2021",
        "--units",
        "{file}",
        "--out",
        "{out}.json",
    ],
    "screening_method": [
        "screen",
        "{base}/units_2021.csv",
        "--year",
        "2021",
        "--method",
        "{file}",
        "--out",
        "{out}.json",
    ],
    "goal_catalogue": ["goals", "list", "--catalogue", "{file}"],
    "plan_catalogue": ["plan", "list", "--plans", "{file}"],
    "pool_catalogue": ["pool", "show", "--pools", "{file}"],
    "udviklingsplan": [
        "udviklingsplan",
        "check",
        "--plan",
        "{file}",
        "--published",
        "--out",
        "{out}.json",
    ],
    "policy": [
        "simulate",
        "--policy",
        "{file}",
        "--microdata",
        "{base}/microdata",
        "--runs",
        "1",
        "--years",
        "1",
        "--out",
        "{out}.json",
    ],
    "mapping": [
        "registers",
        "import",
        "{base}/microdata",
        "--years",
        "2021-2021",
        "--mapping",
        "{file}",
        "--out",
        "{out}",
    ],
    "microdata": ["indicators", "--microdata", "{file}", "--year", "2021", "--out", "{out}.csv"],
}

#: The good file of each YAML family.
YAML_SOURCES: dict[str, Path] = {
    "rule_set": SRC / "data" / "rules" / "dk-2018.yaml",
    "screening_method": SRC / "data" / "screening" / "kk-default.yaml",
    "goal_catalogue": data_path("goals", "kk-2017-2025.yaml"),
    "plan_catalogue": data_path("plans", "copenhagen.yaml"),
    "pool_catalogue": data_path("pools", "copenhagen-2011.yaml"),
    "udviklingsplan": data_path("udviklingsplan", "examples", "mjoelnerparken.yaml"),
    "policy": SRC / "data" / "policies" / "trappemodel.yaml",
}


@dataclass(frozen=True)
class Case:
    """One malformed input: how to write it, and what its message must name."""

    family: str
    name: str
    write: Callable[[Path], Path]  # writes the bad file (or folder) under a folder, returns it
    row: bool = True
    column: bool = True
    named: bool = True  # the message names the bad file itself

    @property
    def id(self) -> str:
        return f"{self.family}-{self.name}"


# -- tables ----------------------------------------------------------------------------------

BAD_NUMBERS = {
    "text": "abc",
    "inf": "inf",
    "minus_inf": "-inf",
    "infinity": "Infinity",
    "huge": "1e30",
    "underscore": "4_0",
    "arabic_indic": "\u0664\u0660",
    "fullwidth": "\uff14\uff10",
    "two_points": "12..5",
    "hex": "0x10",
    "double_minus": "--5",
    "commas": "1,2,3",
}
BAD_WHOLE = {"fraction": "20.5", "beyond_int64": "99999999999999999999", "e_notation": "1e30"}
OUT_OF_RANGE = {"negative": "-5", "above_100": "155"}
BAD_TEXT = {"control": "Bad\x01name", "delete": "Bad\x7fname", "escape": "\x1b[31mred"}


def _table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _writer(frame: Callable[[], pd.DataFrame], fmt: str, name: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        target = folder / f"{name}.{fmt}"
        data = frame()
        if fmt == "csv":
            data.to_csv(target, index=False)
        elif fmt == "xlsx":
            data.to_excel(target, index=False)
        else:
            data.to_parquet(target, index=False)
        return target

    return write


def _with_cell(source: Callable[[], pd.DataFrame], column: str, value: str, row: int = 0):  # type: ignore[no-untyped-def]
    def frame() -> pd.DataFrame:
        data = source()
        data.loc[row, column] = value
        return data

    return frame


def _table_cases(
    family: str,
    source: Callable[[], pd.DataFrame],
    numbers: list[str],
    whole: list[str],
    percents: list[str],
    texts: list[str],
    formats: tuple[str, ...],
) -> Iterator[Case]:
    """Cell-level cases over the columns of a good table, in each format."""
    for fmt in formats:
        full = fmt == "csv"
        for column in numbers if full else numbers[:2]:
            for label, value in BAD_NUMBERS.items() if full else list(BAD_NUMBERS.items())[:4]:
                name = f"{fmt}-{column}-{label}"
                yield Case(family, name, _writer(_with_cell(source, column, value), fmt, name))
        for column in whole:
            for label, value in BAD_WHOLE.items():
                name = f"{fmt}-{column}-{label}"
                yield Case(family, name, _writer(_with_cell(source, column, value), fmt, name))
        for column in percents if full else percents[:1]:
            for label, value in OUT_OF_RANGE.items():
                name = f"{fmt}-{column}-{label}"
                yield Case(family, name, _writer(_with_cell(source, column, value), fmt, name))
        for column in texts if fmt != "xlsx" else []:  # xlsx cannot hold control characters
            for label, value in BAD_TEXT.items():
                name = f"{fmt}-{column}-{label}"
                yield Case(family, name, _writer(_with_cell(source, column, value), fmt, name))


def _structural_cases(family: str, source: Callable[[], pd.DataFrame], key: str) -> Iterator[Case]:
    """Whole-table cases: missing, unknown and doubled columns, duplicate keys, broken files."""

    def drop() -> pd.DataFrame:
        return source().drop(columns=[key])

    def unknown() -> pd.DataFrame:
        return source().assign(no_such_column="1")

    def doubled() -> pd.DataFrame:
        data = source()
        return pd.concat([data, data.iloc[:1]], ignore_index=True)

    yield Case(family, "missing-key-column", _writer(drop, "csv", "missing"), row=False)
    yield Case(family, "unknown-column", _writer(unknown, "csv", "unknown"), row=False)
    yield Case(family, "duplicate-row", _writer(doubled, "csv", "doubled"))

    def raw(name: str, content: bytes, suffix: str = "csv") -> Callable[[Path], Path]:
        def write(folder: Path) -> Path:
            target = folder / f"{name}.{suffix}"
            target.write_bytes(content)
            return target

        return write

    yield Case(family, "empty", raw("empty", b""), row=False, column=False)
    yield Case(family, "binary", raw("binary", bytes(range(256)) * 4), row=False, column=False)
    yield Case(
        family, "broken-xlsx", raw("broken", b"PK\x03\x04junk", "xlsx"), row=False, column=False
    )
    yield Case(
        family, "broken-parquet", raw("broken", b"PAR1junk", "parquet"), row=False, column=False
    )
    yield Case(family, "wrong-suffix", raw("table", b"a,b\n1,2\n", "txt"), row=False, column=False)


def area_statistics_cases() -> Iterator[Case]:
    def source() -> pd.DataFrame:
        return _table(MIMER)

    numbers = [
        "labour_pct",
        "crime_pct",
        "crime_threshold_pct",
        "education_pct",
        "income_pct_of_region",
        "nonwestern_pct",
        "residents",
    ]
    yield from _table_cases(
        "area_statistics",
        source,
        numbers,
        ["year", "residents"],
        [n for n in numbers if n.endswith("_pct")],  # income relative to the region may pass 100
        ["area_name", "area_id"],
        ("csv", "xlsx", "parquet"),
    )
    yield from _structural_cases("area_statistics", source, "area_id")


def unit_statistics_cases() -> Iterator[Case]:
    def source() -> pd.DataFrame:
        return _table(_STATE["base"] / "units_2021.csv")

    numbers = [
        "residents",
        "outside_labour_num",
        "outside_labour_den",
        "low_income_num",
        "nonwestern",
    ]
    yield from _table_cases(
        "unit_statistics", source, numbers, ["year"], ["nonwestern"], ["unit_id"], ("csv", "xlsx")
    )
    yield from _structural_cases("unit_statistics", source, "unit_id")


def history_cases() -> Iterator[Case]:
    def source() -> pd.DataFrame:
        return pd.DataFrame(
            {
                "area_id": ["VIBO 108", "VIBO 108"],
                "year": ["2018", "2019"],
                "designation": ["ghetto", "ghetto"],
            }
        )

    for label, value in BAD_WHOLE.items():
        yield Case(
            "history", f"year-{label}", _writer(_with_cell(source, "year", value), "csv", label)
        )
    for label in ("no_such_list", "\x01ghetto"):
        name = f"designation-{label.encode('unicode_escape').decode()}"
        yield Case("history", name, _writer(_with_cell(source, "designation", label), "csv", "d"))
    yield Case(
        "history",
        "missing-year",
        _writer(lambda: source().drop(columns=["year"]), "csv", "m"),
        row=False,
    )


def units_cases() -> Iterator[Case]:
    def source() -> pd.DataFrame:
        return _table(_STATE["base"] / "units.csv")

    for label, value in {
        "not_wkt": "not a polygon",
        "point": "POINT(1 2)",
        "open_ring": "POLYGON((0 0, 1 0, 1 1))",
        "infinite": "POLYGON((0 0, inf 0, 1 1, 0 0))",
        "control": "POLYGON((0 0,\x01 1 0, 1 1, 0 0))",
    }.items():
        yield Case("units", label, _writer(_with_cell(source, "geometry_wkt", value), "csv", label))
    yield Case("units", "name-control", _writer(_with_cell(source, "name", "Cell\x01"), "csv", "n"))
    yield Case(
        "units",
        "missing-id",
        _writer(lambda: source().drop(columns=["unit_id"]), "csv", "m"),
        row=False,
    )


# -- YAML ------------------------------------------------------------------------------------


def _yaml_writer(family: str, name: str, change: Callable[[str], bytes]) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        target = folder / f"{family}-{name}.yaml"
        target.write_bytes(change(YAML_SOURCES[family].read_text(encoding="utf-8")))
        return target

    return write


def _data_writer(
    family: str, name: str, change: Callable[[object], None]
) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        data = yaml.safe_load(YAML_SOURCES[family].read_text(encoding="utf-8"))
        change(data)
        target = folder / f"{family}-{name}.yaml"
        target.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return target

    return write


def _generic_yaml_cases(family: str) -> Iterator[Case]:
    """What breaks any YAML file: encoding, nesting, syntax, shape, unknown keys."""
    yield Case(
        family,
        "latin1",
        _yaml_writer(
            family, "latin1", lambda t: (t + "# kr\u00f8ller\n").encode("latin-1", "replace")
        ),
        column=False,
    )
    yield Case(
        family,
        "cp1252-value",
        _yaml_writer(
            family, "cp1252", lambda t: ("x_note: 'S\u00f8borg'\n" + t).encode("cp1252", "replace")
        ),
        column=False,
    )
    deep = "[" * 1200 + "]" * 1200
    yield Case(
        family,
        "deep",
        _yaml_writer(family, "deep", lambda t: f"{t}\nnested: {deep}\n".encode()),
        row=False,
        column=False,
    )
    yield Case(
        family,
        "syntax",
        _yaml_writer(family, "syntax", lambda t: (t + "\n  : - : [\n").encode()),
        column=False,
    )
    yield Case(
        family, "empty", _yaml_writer(family, "empty", lambda t: b""), row=False, column=False
    )
    yield Case(
        family,
        "list",
        _yaml_writer(family, "list", lambda t: b"- 1\n- 2\n"),
        row=False,
        column=False,
    )
    yield Case(
        family,
        "unknown-key",
        _yaml_writer(family, "unknown", lambda t: (t + "\nzz_unknown_key: 1\n").encode()),
    )
    yield Case(
        family,
        "bom-then-latin1",
        _yaml_writer(family, "bom", lambda t: b"\xef\xbb\xbf" + t.encode() + b"\n# \xff\n"),
        column=False,
    )


def _set(path: tuple[object, ...], value: object) -> Callable[[object], None]:
    def change(data: object) -> None:
        for part in path[:-1]:
            data = data[part]  # type: ignore[index]
        data[path[-1]] = value  # type: ignore[index]

    return change


#: Fields of each YAML family set to a malformed value: (path, label, value).
YAML_FIELDS: dict[str, list[tuple[tuple[object, ...], str, object]]] = {
    "rule_set": [
        (("criteria", 0, "threshold"), "inf", float("inf")),
        (("criteria", 0, "threshold"), "minus-inf", float("-inf")),
        (("criteria", 0, "threshold"), "nan", float("nan")),
        (("criteria", 0, "threshold"), "text", "fyrre"),
        (("criteria", 0, "indicator"), "no-column", "no_such_indicator"),
        (("criteria", 0, "comparison"), "comparison", "approximately"),
        (("population_minimum",), "huge", 10**30),
        (("population_minimum",), "negative", -1),
        (("criteria", 1, "id"), "duplicate-id", "__first__"),
        (("criteria",), "no-criteria", []),
    ],
    "screening_method": [
        (("criteria", 1), "twice", "__first__"),
        (("criteria", 0, "margin"), "inf", float("inf")),
        (("criteria", 0, "margin"), "nan", float("nan")),
        (("criteria", 0, "id"), "unknown", "no_such_criterion"),
        (("unit_min_residents",), "huge", 10**30),
        (("unit_min_residents",), "negative", -5),
        (("rule", "min_criteria"), "too-many", 99),
    ],
    "goal_catalogue": [
        (("goals", 0, "number"), "text", "first"),
        (("goals", 0, "indicators", 0, "target"), "inf", float("inf")),
        (("goals", 0, "zz_unknown"), "unknown", 1),
    ],
    "plan_catalogue": [
        (("departments", 0, "leases"), "inf", float("inf")),
        (("departments", 0, "leases"), "negative", -5),
        (("departments", 0, "leases"), "huge", 10**30),
        (("budget_notes", 0, "risk_margin"), "nan", float("nan")),
    ],
    "pool_catalogue": [
        (("pools", 0, "zz_unknown"), "unknown", 1),
        (("pools", 0, "id"), "id-list", [1, 2]),
    ],
    "udviklingsplan": [
        (("plans", 0, "measures", 0, "dwellings"), "inf", float("inf")),
        (("plans", 0, "measures", 0, "dwellings"), "huge", 10**30),
        (("plans", 0, "measures", 0, "dwellings"), "negative", -3),
        (("plans", 0, "measures", 0, "kind"), "unknown-kind", "teleport"),
        (("plans", 0, "measures", 0, "date"), "not-date", "soon"),
        (("plans", 0, "target", "share_pct"), "nan", float("nan")),
    ],
    "policy": [
        (("zz_unknown",), "unknown", 1),
    ],
}


#: Cases caught by a check over the whole document: the message gives the line, not a field.
WHOLE_DOCUMENT = {"duplicate-id", "twice", "unknown", "too-many"}


def _resolve(family: str, path: tuple[object, ...], value: object) -> Callable[[object], None]:
    if value != "__first__":
        return _set(path, value)

    def change(data: object) -> None:  # repeat the first item (or its field) at ``path``
        first = list(path)
        first[-1 if isinstance(path[-1], int) else -2] = 0
        source = data
        for part in first:
            source = source[part]  # type: ignore[index]
        _set(path, source)(data)

    return change


def yaml_cases() -> Iterator[Case]:
    for family in YAML_SOURCES:
        yield from _generic_yaml_cases(family)
        for path, label, value in YAML_FIELDS.get(family, []):
            write = _data_writer(family, label, _resolve(family, path, value))
            yield Case(family, label, write, column=label not in WHOLE_DOCUMENT)


def mapping_cases() -> Iterator[Case]:
    def write(name: str, text: str) -> Callable[[Path], Path]:
        def make(folder: Path) -> Path:
            target = folder / f"mapping-{name}.yaml"
            target.write_text(text, encoding="utf-8")
            return target

        return make

    yield Case("mapping", "no-base", write("nobase", "registers: {}\n"), row=False, column=False)
    yield Case(
        "mapping",
        "unknown-base",
        write("unknownbase", "base: nowhere\n"),
        row=False,
        column=False,
        named=False,  # names --mapping and the layout
    )
    yield Case(
        "mapping", "unknown-key", write("unknownkey", "base: dst\nzz_unknown: 1\n"), row=False
    )
    yield Case(
        "mapping",
        "deep",
        write("deep", "base: dst\nx: " + "[" * 1200 + "]" * 1200 + "\n"),
        row=False,
        column=False,
    )
    yield Case("mapping", "syntax", write("syntax", "base: dst\n  : - [\n"), column=False)

    def latin(folder: Path) -> Path:
        target = folder / "mapping-latin1.yaml"
        target.write_bytes("base: dst\n# S\u00f8borg\n".encode("latin-1"))
        return target

    yield Case("mapping", "latin1", latin, column=False)
    yield Case("mapping", "empty", write("empty", ""), row=False, column=False)


# -- microdata -------------------------------------------------------------------------------


def _microdata_case(
    name: str, change: Callable[[Path], None], row: bool = True, column: bool = True
) -> Case:
    def write(folder: Path) -> Path:
        target = folder / f"microdata-{name}"
        shutil.copytree(_STATE["base"] / "microdata", target)
        change(target)
        return target

    return Case("microdata", name, write, row, column)


def _parquet(table: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / f"{table}.parquet"
        if not path.exists():
            path = sorted((folder / table).glob("*.parquet"))[-1]
        change(pd.read_parquet(path)).to_parquet(path, index=False)

    return apply


def _cell(
    column: str, value: object, cast: str | None = None
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        if cast is not None:
            frame[column] = frame[column].astype(cast)
        frame.loc[frame.index[3], column] = value
        return frame

    return change


def microdata_cases() -> Iterator[Case]:
    inf = float("inf")
    yield _microdata_case("income-inf", _parquet("persons", _cell("gross_income", inf, "float64")))
    yield _microdata_case(
        "income-nan-minus-inf", _parquet("persons", _cell("disposable_income", -inf, "float64"))
    )
    yield _microdata_case("x-inf", _parquet("addresses", _cell("x", inf)))
    yield _microdata_case("y-nan", _parquet("addresses", _cell("y", float("nan"))))
    yield _microdata_case("age-negative", _parquet("persons", _cell("age", -4)))
    yield _microdata_case("age-text", _parquet("persons", _cell("age", "forty", "str")))
    yield _microdata_case("origin-unknown", _parquet("persons", _cell("origin", "martian")))
    yield _microdata_case("address-orphan", _parquet("persons", _cell("address_id", 10**12)))
    yield _microdata_case(
        "duplicate-person", _parquet("persons", lambda f: pd.concat([f, f.iloc[:1]]))
    )
    yield _microdata_case(
        "missing-column", _parquet("persons", lambda f: f.drop(columns=["age"])), row=False
    )

    def truncate(folder: Path) -> None:
        path = sorted((folder / "persons").glob("*.parquet"))[-1]
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    yield _microdata_case("truncated", truncate, row=False, column=False)

    def missing_table(folder: Path) -> None:
        (folder / "dwellings.parquet").unlink()

    yield _microdata_case("missing-table", missing_table, row=False, column=False)

    def garbage(folder: Path) -> None:
        (folder / "regions.parquet").write_bytes(b"not parquet at all")

    yield _microdata_case("garbage-table", garbage, row=False, column=False)

    def mixed_schema(folder: Path) -> None:
        path = sorted((folder / "persons").glob("*.parquet"))[-1]
        frame = pd.read_parquet(path)
        frame["age"] = frame["age"].astype(str)
        frame.loc[frame.index[2], "age"] = "old"
        frame.to_parquet(path, index=False)

    yield _microdata_case("mixed-schema-text", mixed_schema)


# -- command-line values ---------------------------------------------------------------------

#: (name, arguments): values the option parser or the command must refuse.
CLI_VALUES: list[tuple[str, list[str]]] = [
    ("year-huge", ["designate", str(MIMER), "--year", "99999999999999999999"]),
    ("year-negative", ["designate", str(MIMER), "--year", "-2020"]),
    ("year-text", ["designate", str(MIMER), "--year", "tyve"]),
    ("year-far", ["designate", str(MIMER), "--year", "99999"]),
    ("rules-unknown", ["designate", str(MIMER), "--year", "2020", "--rules", "dk-1999"]),
    ("out-suffix", ["designate", str(MIMER), "--year", "2020", "--out", "{out}.docx"]),
    ("out-folder", ["designate", str(MIMER), "--year", "2020", "--out", "{base}"]),
    ("out-under-file", ["designate", str(MIMER), "--year", "2020", "--out", f"{MIMER}/x.json"]),
    ("workspace-under-file", ["designate", str(MIMER), "--year", "2020", "-w", f"{MIMER}/ws"]),
    ("min-persons-zero", ["indicators", "--microdata", "{base}/microdata", "--min-persons", "0"]),
    (
        "min-persons-negative",
        ["indicators", "--microdata", "{base}/microdata", "--min-persons", "-3"],
    ),
    (
        "min-persons-huge",
        ["indicators", "--microdata", "{base}/microdata", "--min-persons", "99999999999999999999"],
    ),
    ("indicators-kind", ["indicators", "--microdata", "{base}/microdata", "--kind", "weird"]),
    (
        "indicators-unit",
        ["indicators", "--microdata", "{base}/microdata", "--kind", "city", "--unit", "dkn7"],
    ),
    (
        "indicators-year-huge",
        ["indicators", "--microdata", "{base}/microdata", "--year", "99999999999999999999"],
    ),
    ("screen-year-huge", ["screen", "{base}/units_2021.csv", "--year", "99999999999999999999"]),
    (
        "screen-method-unknown",
        ["screen", "{base}/units_2021.csv", "--year", "2021", "--method", "nope"],
    ),
    ("rounds-huge", ["rounds", "2017", "99999999999999999999", "-w", "{base}/no-workspace"]),
    ("synth-seed-negative", ["synth", "{out}", "--seed", "-1"]),
    ("synth-persons-zero", ["synth", "{out}", "--persons", "0"]),
    ("synth-years-reversed", ["synth", "{out}", "--years", "2025-2015"]),
    ("synth-years-text", ["synth", "{out}", "--years", "tyve"]),
    ("synth-scale", ["synth", "{out}", "--scale", "galaxy"]),
    ("lang-unknown", ["designate", str(MIMER), "--year", "2020", "--lang", "xx"]),
    ("report-format", ["report", "status", "--year", "2021", "--format", "docx"]),
    (
        "report-year-huge",
        ["report", "status", "--year", "99999999999999999999", "--format", "html"],
    ),
    ("lists-year-huge", ["lists", "--year", "99999999999999999999"]),
    ("simulate-seed", ["simulate", "--policy", "trappemodel", "--seed", "-1"]),
    ("outlook-year-huge", ["outlook", "--year", "99999999999999999999"]),
    ("gap-tracking", ["gap", "--tracking", "sideways"]),
]


def all_cases() -> list[Case]:
    cases = [
        *area_statistics_cases(),
        *unit_statistics_cases(),
        *history_cases(),
        *units_cases(),
        *yaml_cases(),
        *mapping_cases(),
        *microdata_cases(),
    ]
    return cases


# -- the shared good inputs ------------------------------------------------------------------


def _build_base(folder: Path) -> None:
    from boligmonitor.synth.generate import generate
    from tests.conftest import _square  # the WKT of a DKN test cell

    stats = grid_stats({(0, 1), (1, 1), (0, 2), (1, 2)}, year=2021)
    stats.to_csv(folder / "units_2021.csv", index=False)
    units = [
        {"unit_id": r, "name": f"Celle {n}-{e}", "geometry_wkt": _square(n, e)}
        for n in range(6)
        for e in range(6)
        for r in [f"100m_{61700 + n}_{7200 + e}"]
    ]
    pd.DataFrame(units).to_csv(folder / "units.csv", index=False)
    generate(folder / "microdata", "city", years=[2020, 2021], seed=5, persons=1500, progress=False)


def _hash_tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


#: The shared good inputs' folder, built once per session (cases read it when they write).
_STATE: dict[str, Path] = {}


def _base_folder(factory: pytest.TempPathFactory) -> Path:
    if "base" not in _STATE:
        root = factory.mktemp("fuzz")
        (root / "base").mkdir()
        _build_base(root / "base")
        _STATE["base"] = root / "base"
    return _STATE["base"]


CASES = all_cases()


@pytest.fixture(scope="session")
def fuzz_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _base_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def fuzz_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the example areas loaded, to check failures leave it untouched."""
    from boligmonitor.workspace import Workspace

    folder = tmp_path_factory.mktemp("fuzz-ws") / "ws"
    with Workspace.create(folder) as ws:
        ws.load_area_statistics(MIMER)
    return folder


def _args(template: list[str], file: Path, out: Path, base: Path) -> list[str]:
    return [
        part.replace("{file}", str(file)).replace("{out}", str(out)).replace("{base}", str(base))
        for part in template
    ]


def _assert_refused(
    result: CliResult, case_id: str, named: str | None, row: bool, column: bool
) -> None:
    assert result.code != 0, f"{case_id}: silently accepted"
    assert "Traceback" not in result.err and result.code != 1, f"{case_id}: crashed\n{result.err}"
    assert result.code == 2, f"{case_id}: exit {result.code}\n{result.err}"
    assert "Fejl i input" in result.err, f"{case_id}: no Danish message\n{result.err}"
    if named is not None:
        assert named in result.err, f"{case_id}: file not named\n{result.err}"
    if row:
        assert ", række " in result.err or ", linje " in result.err, (
            f"{case_id}: no row\n{result.err}"
        )
    if column:
        assert ", kolonne '" in result.err, f"{case_id}: no column\n{result.err}"


def test_there_are_enough_cases() -> None:
    assert len(CASES) + len(CLI_VALUES) >= 300
    assert len({c.id for c in CASES}) == len(CASES)


def _good_history(folder: Path) -> Path:
    path = folder / "historik.csv"
    path.write_text(
        "area_id,year,designation\nVIBO 108,2018,ghettoomraade\nVIBO 108,2019,ghettoomraade\n",
        encoding="utf-8",
    )
    return path


# The register mapping's good run needs DST-layout files: tests/test_registers.py runs it.
@pytest.mark.parametrize("family", sorted(set(COMMANDS) - {"mapping"}))
def test_the_good_input_of_each_family_passes(
    family: str, fuzz_base: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    good = {
        "area_statistics": MIMER,
        "unit_statistics": fuzz_base / "units_2021.csv",
        "units": fuzz_base / "units.csv",
        "microdata": fuzz_base / "microdata",
        "history": _good_history(tmp_path),
        **YAML_SOURCES,
    }[family]
    result = run_cli(*_args(COMMANDS[family], good, tmp_path / "out", fuzz_base))
    assert result.code == 0, result.err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_input_is_refused_and_nothing_is_written(
    case: Case, fuzz_base: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    (tmp_path / "cases").mkdir()
    bad = case.write(tmp_path / "cases")
    out = tmp_path / "out"
    result = run_cli(*_args(COMMANDS[case.family], bad, out, fuzz_base))
    _assert_refused(result, case.id, bad.name if case.named else None, case.row, case.column)
    assert not list(tmp_path.glob("out*")), f"{case.id}: output written"


@pytest.mark.parametrize("name,args", CLI_VALUES, ids=[n for n, _ in CLI_VALUES])
def test_bad_command_line_values_are_refused(
    name: str, args: list[str], fuzz_base: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "out"
    result = run_cli(*_args(args, Path("-"), out, fuzz_base))
    assert result.code == 2, f"{name}: exit {result.code}\n{result.err}"
    assert "Traceback" not in result.err
    assert not list(tmp_path.glob("out*")), f"{name}: output written"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.family == "area_statistics"][::6], ids=lambda c: c.id
)
def test_a_failing_load_leaves_the_workspace_byte_identical(
    case: Case, fuzz_workspace: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    bad = case.write(tmp_path)
    before = _hash_tree(fuzz_workspace)
    result = run_cli("designate", bad, "--year", "2020", "-w", fuzz_workspace)
    _assert_refused(result, case.id, bad.name, case.row, case.column)
    assert _hash_tree(fuzz_workspace) == before
