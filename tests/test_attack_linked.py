"""The attacker's view of the linked and derived outputs: boligområder against the city
geographies, unions of hidden cells, polygon units cutting DKN cells, and the figures the
allocation simulation and the outlook derive from microdata.

A small synthetic city (5 000 persons, 2019-2021) with one area shrunk to two persons aged 18-64
in 2020 (as in ``test_attack_disclosure``). Every test is an attack that recovered a figure on
one or two persons before the fix (the recovered values are in ``docs/disclosure.md``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boligmonitor.disclosure import GEOGRAPHIES, MARK, TOTAL
from boligmonitor.disclosure.geography import coordinate
from boligmonitor.indicators.exports import disclosed_area_statistics, disclosed_unit_indicators
from boligmonitor.schema.microdata import Microdata, load_microdata
from boligmonitor.synth import generate
from tests.test_attack_disclosure import SHRUNK_AREA, SHRUNK_YEAR, _shrink

PERSONS = 5_000
YEARS = [2019, 2020, 2021]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("linked")
    generate(path, "city", YEARS, 2017, PERSONS, progress=False)
    _shrink(path)
    return path


@pytest.fixture(scope="module")
def city(folder: Path) -> Microdata:
    return load_microdata(folder)


def _number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.replace(MARK, None), errors="coerce")


def _published(city: Microdata, year: int) -> dict[str, dict[str, tuple[float, float]]]:
    """What a user downloads for ``year``: (residents, non-western persons) per cell."""
    shown: dict[str, dict[str, tuple[float, float]]] = {}
    for kind in GEOGRAPHIES:
        frame = disclosed_unit_indicators(city, [year], kind)
        frame = frame.set_index("unit_id")
        residents, nonwestern = _number(frame["residents"]), _number(frame["nonwestern_num"])
        shown[kind] = {
            str(u): (float(r), float(n))
            for u, r, n in zip(frame.index, residents, nonwestern, strict=True)
            if pd.notna(r)
        }
    areas = disclosed_area_statistics(city, [year]).set_index("area_id")
    residents, share = _number(areas["residents"]), _number(areas["nonwestern_pct"])
    shown["area"] = {
        str(a): (float(r), round(float(r) * float(s) / 100, 6))
        for a, r, s in zip(areas.index, residents, share, strict=True)
        if pd.notna(r) and pd.notna(s)
    }
    return shown


def _atoms(folder: Path, year: int) -> pd.DataFrame:
    """The truth: residents per atom (unit, DKN 100 m and 250 m cell, boligområde) from the
    files, computed independently of the code under attack."""
    addresses = pd.read_parquet(folder / "addresses.parquet")
    dwellings = pd.read_parquet(folder / "dwellings.parquet")
    departments = pd.read_parquet(folder / "departments.parquet")
    area_of = dwellings.merge(departments, on="department_id")[["address_id", "area_id"]]
    persons = pd.read_parquet(folder / "persons" / f"persons_{year}.parquet")
    located = persons.merge(addresses, on="address_id").merge(area_of, "left", "address_id")
    north, east = (located["y"] // 250).astype(int), (located["x"] // 250).astype(int)
    located["dkn250"] = "250m_" + north.astype(str) + "_" + east.astype(str)
    located["dkn100"] = located["dkn_100m"]
    located = located[located["screening_unit"].notna() | located["area_id"].notna()]
    keys = ["screening_unit", "dkn100", "dkn250", "area_id"]
    located[keys] = located[keys].astype(object).where(located[keys].notna(), None)
    located.loc[located["screening_unit"].isna(), ["dkn100", "dkn250"]] = None
    return located.groupby(keys, dropna=False).size().rename("residents").reset_index()


def test_an_area_minus_its_unit_is_no_figure_on_one_or_two_persons(
    city: Microdata, folder: Path
) -> None:
    """Each unit against each area inside it: unit − area must not rest on 1-2 persons."""
    recovered = []
    for year in YEARS:
        atoms = _atoms(folder, year)
        shown = _published(city, year)
        inside = atoms.dropna(subset=["area_id", "screening_unit"])
        for (unit, area), _ in inside.groupby(["screening_unit", "area_id"]):
            if unit not in shown["screening_unit"] or area not in shown["area"]:
                continue
            if set(atoms.loc[atoms["area_id"] == area, "screening_unit"]) != {unit}:
                continue  # the area reaches beyond the unit
            residents = shown["screening_unit"][unit][0] - shown["area"][area][0]
            nonwestern = shown["screening_unit"][unit][1] - shown["area"][area][1]
            if 0 < residents < 3:
                recovered.append(f"{year} {unit} − {area}: {residents:g} residents, {nonwestern:g}")
    assert recovered == []


def _span_contains(rows: list[np.ndarray], target: np.ndarray) -> bool:
    if not rows:
        return False
    matrix = np.vstack(rows)
    rank = np.linalg.matrix_rank(matrix)
    return bool(np.linalg.matrix_rank(np.vstack([matrix, target])) == rank)


def test_no_combination_of_units_cells_and_areas_isolates_one_or_two_persons(
    city: Microdata, folder: Path
) -> None:
    """The full linear attack on every unit with the areas inside it: every published unit,
    DKN cell and area is an equation; no atom or pair of atoms of 1-2 persons is solvable."""
    attacked, recovered = 0, []
    for year in YEARS:
        atoms = _atoms(folder, year)
        atoms = atoms[atoms["residents"] > 0].reset_index(drop=True)
        shown = _published(city, year)
        for unit, block in atoms.dropna(subset=["screening_unit"]).groupby("screening_unit"):
            areas = set(block["area_id"].dropna())
            rows = atoms[(atoms["screening_unit"] == unit) | atoms["area_id"].isin(areas)]
            if rows["screening_unit"].nunique() > 1:
                continue  # an area spanning units: attacked with the wider block elsewhere
            vectors = []
            for kind in (*GEOGRAPHIES, "area_id"):
                published = shown["area" if kind == "area_id" else kind]
                for cell in rows[kind].dropna().unique():
                    if str(cell) in published:
                        vectors.append((rows[kind] == cell).to_numpy(dtype=float))
            persons = rows["residents"].to_numpy()
            small = list(np.flatnonzero(persons < 3))
            targets = [[i] for i in small] + [
                [i, j] for i in small for j in small if i < j and persons[i] + persons[j] < 3
            ]
            for target in targets:
                attacked += 1
                vector = np.zeros(len(rows))
                vector[target] = 1.0
                if _span_contains(vectors, vector):
                    recovered.append(f"{year} {unit} atoms {target}: {persons[target].sum()}")
    assert attacked > 50
    assert recovered == []


def test_two_hidden_cells_do_not_add_up_to_the_unit_minus_the_rest() -> None:
    """A unit of three 100 m cells (3, 1 and 1 persons): hiding the two small ones and
    publishing the unit and the third gives their sum, a figure on two persons."""
    atoms = pd.DataFrame(
        {
            "screening_unit": ["U1", "U1", "U1", "U2", "U2"],
            "dkn100": ["a", "b", "c", "d", "e"],
            "dkn250": ["A", "A", "A", "D", "D"],
            "persons": [3, 1, 1, 20, 30],
        }
    )
    pattern = coordinate(atoms, 3)
    published = {
        "U1": "U1" not in pattern.cells["screening_unit"],
        "a": "a" not in pattern.cells["dkn100"],
        "A": "A" not in pattern.cells["dkn250"],
    }
    assert not (published["U1"] and published["a"])  # U1 − a = b + c, two persons
    assert not (published["A"] and published["a"])  # A − a = b + c


def test_a_dkn_cell_cut_by_two_polygon_units_is_coordinated() -> None:
    """DKN cell x lies in U1 (2 persons) and U2 (4): U1 − y would be U1's 2 persons of x."""
    atoms = pd.DataFrame(
        {
            "screening_unit": ["U1", "U1", "U2", "U2"],
            "dkn100": ["x", "y", "x", "z"],
            "dkn250": ["X", "Y", "X", "Z"],
            "persons": [2, 5, 4, 6],
        }
    )
    pattern = coordinate(atoms, 3)
    vectors = {
        ("screening_unit", "U1"): [1, 1, 0, 0],
        ("screening_unit", "U2"): [0, 0, 1, 1],
        ("dkn100", "x"): [1, 0, 1, 0],
        ("dkn100", "y"): [0, 1, 0, 0],
        ("dkn100", "z"): [0, 0, 0, 1],
        ("dkn250", "X"): [1, 0, 1, 0],
        ("dkn250", "Y"): [0, 1, 0, 0],
        ("dkn250", "Z"): [0, 0, 0, 1],
    }
    rows = [np.array(v, dtype=float) for (k, c), v in vectors.items() if c not in pattern.cells[k]]
    assert not _span_contains(rows, np.array([1.0, 0, 0, 0]))  # U1's 2 persons of cell x


def test_the_simulation_start_year_publishes_nothing_on_two_persons(folder: Path) -> None:
    """The simulation's start year is the observed year: BO0003 in 2020 rests on two persons."""
    from boligmonitor.workspace import Workspace

    ws = Workspace.memory()
    ws.load_microdata(folder)
    result = ws.simulation.simulate("baseline", 1, 2, start_year=SHRUNK_YEAR, inference=0)
    summary = ws.simulation.summary(result)
    shrunk = summary[summary["area_id"] == SHRUNK_AREA]
    assert len(shrunk) > 0
    assert shrunk[["mean", "low", "high"]].isna().all().all(), shrunk.dropna(subset=["mean"])
    others = summary[(summary["area_id"] != SHRUNK_AREA) & (summary["measure"] == "labour_pct")]
    assert others["mean"].notna().any()  # the other areas are still published


def test_the_outlook_from_microdata_shows_no_small_population(folder: Path) -> None:
    """Without stored statistics the outlook read raw microdata: BO0003's 2 residents in 2020."""
    from boligmonitor.workspace import Workspace

    ws = Workspace.memory()
    ws.load_microdata(folder)
    frame = ws.outlook.outlook(SHRUNK_YEAR + 1, draws=20)
    residents = pd.to_numeric(frame.loc[frame["area_id"] == SHRUNK_AREA, "residents"])
    assert not ((residents > 0) & (residents < 3)).any(), residents.tolist()
    assert pd.to_numeric(frame["residents"]).notna().any()


def test_city_total_is_consistent_with_published_units(city: Microdata) -> None:
    """The unit export's total minus its published units never rests on 1-2 persons."""
    for year in YEARS:
        frame = disclosed_unit_indicators(city, [year]).set_index("unit_id")
        residents = _number(frame["residents"])
        total = residents.get(TOTAL)
        if pd.notna(total):
            rest = float(total) - float(residents.drop(TOTAL).sum())
            assert not 0 < rest < 3


@pytest.mark.parametrize("threshold", [0, 2])
def test_goals_from_microdata_refuse_a_threshold_below_three(
    city: Microdata, threshold: int
) -> None:
    """The goals' own threshold went unchecked: 0 published figures on one person."""
    from boligmonitor.errors import InputError
    from boligmonitor.monitor.goals import resolve_catalogue
    from boligmonitor.monitor.goals.microdata import derive_catalogue

    with pytest.raises(InputError, match="min-persons"):
        derive_catalogue(resolve_catalogue(), dict(city.tables), ["U0419"], min_persons=threshold)
