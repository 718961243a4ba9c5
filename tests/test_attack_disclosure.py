"""The attacker's view: difference everything published and try to recover suppressed values.

On the synthetic city at several sizes: every pair and triple of published city geographies
(screening units, DKN 250 m and 100 m cells, the city total), a full linear attack on each
screening unit's cells, every year combination of the statutory averages, numerators against
denominators, and the stored workspace statistics (what the API serves) against the export.
A value counts as recovered when an estimate lands within ±0.5 person of the truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boligmonitor.disclosure import (
    GEOGRAPHIES,
    MARK,
    TOTAL,
    UNIT_INDICATOR_FIGURES,
    disclose_area_statistics,
    disclose_city,
    disclose_unit_indicators,
    with_city_total,
)
from boligmonitor.indicators.copenhagen import indicators_by
from boligmonitor.indicators.exports import disclosed_area_statistics
from boligmonitor.indicators.statutory import area_statistics
from boligmonitor.schema.microdata import Microdata, load_microdata
from boligmonitor.synth import generate

SIZES = (3_000, 8_000)
YEARS = [2019, 2020, 2021]
SHRUNK_AREA, SHRUNK_YEAR = "BO0003", 2020


@dataclass
class Score:
    """Suppressed values attacked and recovered."""

    attacked: int = 0
    recovered: list[str] = field(default_factory=list)

    def check(self, what: str, estimate: float, truth: float) -> None:
        self.attacked += 1
        if abs(estimate - truth) <= 0.5:
            self.recovered.append(f"{what}: {estimate} ≈ {truth}")


def _shrink(folder: Path) -> None:
    """Leave two persons aged 18-64 in one area in one year: a year that must stay hidden."""
    addresses = pd.read_parquet(folder / "addresses.parquet")
    dwellings = pd.read_parquet(folder / "dwellings.parquet")
    departments = pd.read_parquet(folder / "departments.parquet")
    area_departments = departments.loc[departments["area_id"] == SHRUNK_AREA, "department_id"]
    inside = set(dwellings.loc[dwellings["department_id"].isin(area_departments), "address_id"])
    assert inside and len(addresses)
    path = folder / "persons" / f"persons_{SHRUNK_YEAR}.parquet"
    persons = pd.read_parquet(path)
    there = persons["address_id"].isin(inside)
    keep = persons[there & persons["age"].between(18, 64)].index[:2]
    persons = persons[~there | persons.index.isin(keep)]
    persons.to_parquet(path, index=False)


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}_persons")
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Microdata:
    folder = tmp_path_factory.mktemp(f"city{request.param}")
    generate(folder, "city", YEARS, 2017, request.param)
    _shrink(folder)
    return load_microdata(folder)


@pytest.fixture(scope="module")
def published(city: Microdata) -> dict[str, pd.DataFrame]:
    return disclose_city(city, [2021], 3)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def atoms(city: Microdata) -> pd.DataFrame:
    frame = indicators_by(city, [2021], "atom")
    parts = frame["unit_id"].str.split("|", expand=True)
    return frame.assign(screening_unit=parts[0], dkn100=parts[1], dkn250=parts[2])


def _columns() -> Iterator[tuple[str, str]]:
    for figure in UNIT_INDICATOR_FIGURES:
        for column in figure.columns:
            if column.endswith(("_num", "_den")) or column == "residents":
                yield column, str(figure.base)


def _cells(atoms: pd.DataFrame, kind: str, column: str) -> dict[str, set[int]]:
    return {str(k): set(v) for k, v in atoms.groupby(kind).groups.items()}


def _pieces(atoms: pd.DataFrame) -> dict[str, dict[str, set[int]]]:
    return {kind: _cells(atoms, kind, "") for kind in GEOGRAPHIES}


def _attack_geographies(
    atoms: pd.DataFrame, published: dict[str, pd.DataFrame], score: Score
) -> None:
    """Coarse minus published finer cells, for every pair and triple of geographies."""
    pieces = _pieces(atoms)
    everything = set(atoms.index)
    for column, _ in _columns():
        truth_atoms = atoms[column].astype(float)
        shown = {
            kind: frame.set_index("unit_id")[column].astype("Float64")
            for kind, frame in published.items()
        }
        known: dict[str, dict[str, float]] = {
            kind: {u: float(v) for u, v in shown[kind].items() if u != TOTAL and pd.notna(v)}
            for kind in GEOGRAPHIES
        }
        hidden = {
            kind: [u for u, v in shown[kind].items() if u != TOTAL and pd.isna(v)]
            for kind in GEOGRAPHIES
        }
        total = shown["screening_unit"].get(TOTAL)
        regions: list[tuple[set[int], float]] = []
        if pd.notna(total):
            regions.append((everything, float(total)))
        regions += [(pieces["screening_unit"][u], v) for u, v in known["screening_unit"].items()]
        regions += [(pieces["dkn250"][u], v) for u, v in known["dkn250"].items()]
        for region, value in regions:  # pairs: one coarse cell, one finer geography
            for fine in GEOGRAPHIES:
                _subtract(region, value, [fine], pieces, known, hidden, truth_atoms, score, column)
            for pair in combinations(GEOGRAPHIES, 2):  # triples: coarse, then two finer
                _subtract(
                    region, value, list(pair), pieces, known, hidden, truth_atoms, score, column
                )


def _subtract(
    region: set[int],
    value: float,
    kinds: list[str],
    pieces: dict[str, dict[str, set[int]]],
    known: dict[str, dict[str, float]],
    hidden: dict[str, list[str]],
    truth: pd.Series,
    score: Score,
    column: str,
) -> None:
    rest, remaining = set(region), value
    for kind in kinds:
        for cell, amount in known[kind].items():
            atoms = pieces[kind][cell]
            if atoms <= rest and atoms != region:
                rest -= atoms
                remaining -= amount
    if not rest:
        return
    for kind in GEOGRAPHIES:
        for cell in hidden[kind]:
            if pieces[kind][cell] == rest:
                score.check(f"{column} {kind} {cell}", remaining, float(truth[list(rest)].sum()))


def _rank(rows: list[np.ndarray]) -> int:
    return int(np.linalg.matrix_rank(np.vstack(rows))) if rows else 0


def _attack_linear(atoms: pd.DataFrame, published: dict[str, pd.DataFrame], score: Score) -> None:
    """Every linear combination of a screening unit's published cells (and the city total)."""
    for column, base in _columns():
        if not column.endswith("_den"):
            continue  # numerators share their denominator's pattern
        shown = {k: f.set_index("unit_id")[column] for k, f in published.items()}
        used = atoms[atoms[base] > 0]
        for _, block in used.groupby("screening_unit"):
            rows, secrets = [], []
            for kind in GEOGRAPHIES:
                for cell, index in block.groupby(kind).groups.items():
                    vector = block.index.isin(index).astype(float)
                    (rows if pd.notna(shown[kind].get(cell)) else secrets).append(
                        (f"{kind} {cell}", vector)
                    )
            published_rows = [v for _, v in rows]
            rank = _rank(published_rows)
            for name, vector in secrets:
                score.attacked += 1
                if rows and _rank([*published_rows, vector]) == rank:
                    score.recovered.append(f"{column} {name} (linear)")
        hidden_units = [u for u, v in shown["screening_unit"].items() if u != TOTAL and pd.isna(v)]
        if pd.notna(shown["screening_unit"].get(TOTAL)) and len(hidden_units) == 1:
            score.recovered.append(f"{column} {hidden_units[0]} = total − the other units")


def test_differencing_geographies_recovers_nothing(
    atoms: pd.DataFrame, published: dict[str, pd.DataFrame]
) -> None:
    score = Score()
    _attack_geographies(atoms, published, score)
    _attack_linear(atoms, published, score)
    print(f"geographies: recovered {len(score.recovered)} of {score.attacked} attacks")
    assert score.attacked > 1000
    assert score.recovered == []


def test_naive_single_exports_do_leak(city: Microdata, atoms: pd.DataFrame) -> None:
    """Finding 1: each geography suppressed on its own leaks through the others."""
    naive = {k: disclose_unit_indicators(indicators_by(city, [2021], k)) for k in GEOGRAPHIES}
    score = Score()
    _attack_geographies(atoms, naive, score)
    assert len(score.recovered) > 0


def _yearly_shares(city: Microdata) -> pd.DataFrame:
    raw = area_statistics(city, YEARS)
    return raw.set_index(["area_id", "year"])


def test_differencing_years_recovers_nothing(city: Microdata) -> None:
    """Finding 2: outside_labour_pct is last year's share, labour_pct the mean of two years."""
    raw = _yearly_shares(city)
    shown = disclosed_area_statistics(city, YEARS).set_index(["area_id", "year"])
    number = {c: pd.to_numeric(shown[c].replace(MARK, None), errors="coerce") for c in shown}
    small = (SHRUNK_AREA, SHRUNK_YEAR)
    assert 0 < raw.loc[small, "pop_18_64"] < 3
    truth = float(raw.loc[(SHRUNK_AREA, SHRUNK_YEAR + 1), "outside_labour_pct"])  # its share
    score = Score()
    persons = float(raw.loc[small, "pop_18_64"]) / 100
    estimates = []
    for year in YEARS:
        outside, labour = number["outside_labour_pct"], number["labour_pct"]
        key = (SHRUNK_AREA, year)
        if key not in labour.index:
            continue
        if year == SHRUNK_YEAR + 1:
            estimates.append(outside[key])  # last year's share, as published
            estimates.append(2 * labour[key] - outside.get((SHRUNK_AREA, year + 1), np.nan))
        if year == SHRUNK_YEAR:
            estimates.append(2 * labour[key] - outside[key])
    for estimate in estimates:
        if pd.notna(estimate):
            score.check("labour share 2020", estimate * persons, truth * persons)
        else:
            score.attacked += 1
    # the full linear attack: yearly shares s_t as unknowns, every published value an equation
    equations = []
    for year in YEARS:
        key = (SHRUNK_AREA, year)
        if key in number["labour_pct"].index and pd.notna(number["labour_pct"][key]):
            present = [t for t in (year - 1, year) if (SHRUNK_AREA, t) in raw.index]
            equations.append([1.0 if t in present else 0.0 for t in YEARS])
        if key in number["outside_labour_pct"].index and pd.notna(
            number["outside_labour_pct"][key]
        ):
            equations.append([1.0 if t == year - 1 else 0.0 for t in YEARS])
    target = [1.0 if t == SHRUNK_YEAR else 0.0 for t in YEARS]
    score.attacked += 1
    if equations and _rank([np.array(e) for e in equations]) == _rank(
        [np.array(e) for e in (*equations, target)]
    ):
        score.recovered.append("labour share 2020 (linear)")
    assert score.recovered == [], score.recovered


def test_workspace_and_designations_serve_the_same_suppression(
    city: Microdata, tmp_path: Path
) -> None:
    """The stored statistics (what the API and the designation output read) equal the export."""
    from boligmonitor.workspace import Workspace

    ws = Workspace.memory()
    ws.load_microdata(city.folder)
    ws.area_statistics_from_microdata(YEARS)
    stored = ws.designations.area_statistics()
    exported = disclosed_area_statistics(city, YEARS)
    row = stored[(stored["area_id"] == SHRUNK_AREA) & (stored["year"] == SHRUNK_YEAR + 1)]
    assert row["outside_labour_pct"].isna().all() and row["labour_pct"].isna().all()
    shown = exported[(exported["area_id"] == SHRUNK_AREA) & (exported["year"] == SHRUNK_YEAR + 1)]
    assert (shown["outside_labour_pct"] == MARK).all()
    for designation in ws.designate(SHRUNK_YEAR + 1, store=False):  # the designation output
        if designation.area_id == SHRUNK_AREA:
            labour = designation.criteria.get("labour")
            assert labour is None or labour.value is None


def _published_cells(frame: pd.DataFrame, figures: object) -> int:
    count = 0
    for figure in figures:  # type: ignore[attr-defined]
        for column in figure.columns:
            count += int(frame[column].notna().sum())
    return count


def test_still_publishes_most_cells(city: Microdata, published: dict[str, pd.DataFrame]) -> None:
    """At least 80 % of what the single-export rule published is still published."""
    before = after = 0
    for kind in GEOGRAPHIES:
        naive = disclose_unit_indicators(indicators_by(city, [2021], kind))
        before += _published_cells(naive, UNIT_INDICATOR_FIGURES)
        after += _published_cells(published[kind], UNIT_INDICATOR_FIGURES)
    stats = area_statistics(city, YEARS)
    from boligmonitor.disclosure import AREA_STATISTICS_FIGURES

    naive_area = disclose_area_statistics(stats)
    before += _published_cells(naive_area, AREA_STATISTICS_FIGURES)
    shown = disclosed_area_statistics(city, YEARS).replace(MARK, None)
    after += _published_cells(shown, AREA_STATISTICS_FIGURES)
    share = after / before
    print(f"published {after} of {before} cells the single-export rule published: {share:.1%}")
    assert share >= 0.8
    assert after < before  # the coordinated pattern does suppress more than the naive one


def test_city_totals_of_every_geography_agree(city: Microdata) -> None:
    totals = [with_city_total(indicators_by(city, [2021], k)).iloc[-1] for k in GEOGRAPHIES]
    assert len({float(t["residents"]) for t in totals}) == 1
