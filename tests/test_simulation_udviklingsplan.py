"""Udviklingsplaner in the allocation simulation: hand-built plans with known answers
(demolition removes exactly its dwellings and re-houses exactly their households, other areas
untouched, conservation), sale/conversion/new dwellings let to the right markets, the § 168 a
share, and bit-identical results without plans or with the policy key off."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boligmonitor.errors import InputError
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.simulation import load_policy, run_policy
from boligmonitor.simulation.development import (
    ELDERLY,
    FAMILY,
    GONE,
    YOUTH,
    apply_works,
    development,
)
from boligmonitor.simulation.estimate import Observed, observe
from boligmonitor.simulation.households import TENURES
from boligmonitor.simulation.rules import DESIGNATIONS
from boligmonitor.simulation.stock import housing
from boligmonitor.simulation.year import step
from boligmonitor.udviklingsplan.counting import default_rules
from boligmonitor.udviklingsplan.plan import AreaPlan, Measure
from boligmonitor.udviklingsplan.stock import Stock

FRAMES = ("areas", "flows", "ledger", "segregation")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from boligmonitor.synth import generate

    folder = tmp_path_factory.mktemp("city")
    generate(folder, "city", years=range(2019, 2023), seed=5, persons=4000, progress=False)
    return folder


@pytest.fixture(scope="module")
def observed(city: Path) -> Observed:
    return observe(load_microdata(city, validate=False))


def _largest(observed: Observed) -> int:
    """The area with the most family dwellings (the one the plans act on)."""
    city = observed.city
    counts = np.bincount(city.dwelling_area[(city.dwelling_area >= 0)
                                            & (city.dwelling_tenure == FAMILY)])  # fmt: skip
    return int(np.argmax(counts))


def _plan(observed: Observed, *measures: tuple[str, int]) -> AreaPlan:
    """A plan for the largest area whose measures count from the first simulated year."""
    day = dt.date(observed.start_year, 6, 30)
    return AreaPlan(
        area_id=observed.city.area_ids[_largest(observed)],
        measures=tuple(Measure(kind=k, date=day, dwellings=n) for k, n in measures),
    )


def _family(observed: Observed, area: int) -> int:
    city = observed.city
    return int(((city.dwelling_area == area) & (city.dwelling_tenure == FAMILY)).sum())


def _no_lists(observed: Observed) -> dict[str, np.ndarray]:  # type: ignore[type-arg]
    return {name: np.zeros(observed.city.n_areas, dtype=bool) for name in DESIGNATIONS}


def _still(observed: Observed) -> Observed:
    """The city without move-outs: the only vacancies are the ones a test hands in."""
    dynamics = replace(observed.dynamics, move_out=np.zeros_like(observed.dynamics.move_out))
    return replace(observed, dynamics=dynamics)


def test_demolition_rehouses_exactly_the_households_of_the_demolished_dwellings(
    observed: Observed,
) -> None:
    still = _still(observed)
    plan = development(still, [_plan(still, ("demolish", 20))], default_rules())
    works = apply_works(
        still.city, plan.in_year(still.start_year + 1), plan, np.random.default_rng(4)
    )
    state = still.start
    demolished = np.flatnonzero(works.gone)
    area = _largest(still)
    assert len(demolished) == 20 and (still.city.dwelling_area[demolished] == area).all()
    displaced = np.isin(state.household_dwelling, demolished)
    occupied = np.zeros(len(works.city.dwelling_area), dtype=bool)
    occupied[state.household_dwelling] = True
    empty = np.flatnonzero(~occupied & works.city.dwelling_affordable & ~works.affected)
    new_state, letting, ledger = step(
        state,
        empty[:100],
        plan.observed,
        load_policy("baseline"),
        _no_lists(still),
        np.random.default_rng(9),
        10**9,
        city=works.city,
        works=works,
    )
    n = int(displaced.sum())
    assert 0 < n <= len(empty[:100]) and ledger["households_displaced"] == n
    assert ledger["households_rehoused"] == n and ledger["households_rehoused_out"] == 0
    # the displaced households keep their id and persons and now live in one of the vacancies
    moved = pd.Series(new_state.household_dwelling, index=new_state.household_id)
    landed = moved[state.household_id[displaced]].to_numpy()
    assert np.isin(landed, empty[:100]).all() and len(np.unique(landed)) == n
    assert letting.rehousing is not None
    assert (letting.rehousing.from_area == area).all()
    # everybody else stays; nobody lives in a demolished dwelling; households are conserved
    stayers = state.household_id[~displaced]
    assert (moved[stayers].to_numpy() == state.household_dwelling[~displaced]).all()
    assert not np.isin(new_state.household_dwelling, demolished).any()
    assert ledger["households_out"] == 0
    assert ledger["households_end"] == ledger["households_start"] + ledger["households_in"]
    assert ledger["vacancies"] == len(empty[:100])
    assert ledger["vacancies"] == n + ledger["households_in"] + ledger["left_empty"]


def test_displaced_households_without_a_vacancy_leave_the_city_housing(
    observed: Observed,
) -> None:
    still = _still(observed)
    plan = development(still, [_plan(still, ("demolish", 15))], default_rules())
    works = apply_works(
        still.city, plan.in_year(still.start_year + 1), plan, np.random.default_rng(1)
    )
    displaced = np.isin(still.start.household_dwelling, np.flatnonzero(works.gone))
    persons = int(np.isin(still.start.person_household, np.flatnonzero(displaced)).sum())
    new_state, letting, ledger = step(
        still.start,
        np.zeros(0, dtype=np.int64),
        plan.observed,
        load_policy("baseline"),
        _no_lists(still),
        np.random.default_rng(2),
        10**9,
        city=works.city,
        works=works,
    )
    assert ledger["households_rehoused_out"] == int(displaced.sum()) > 0
    assert ledger["persons_rehoused_out"] == persons
    assert ledger["households_end"] == ledger["households_start"] - int(displaced.sum())
    assert ledger["persons_end"] == ledger["persons_start"] - persons
    assert letting.rehousing is not None and (letting.rehousing.to_area == -2).all()
    assert not np.isin(new_state.household_dwelling, np.flatnonzero(works.gone)).any()


@pytest.fixture(scope="module")
def demolished_run(observed: Observed) -> tuple[pd.DataFrame, object]:
    plan = development(observed, [_plan(observed, ("demolish", 25))], default_rules())
    result = run_policy(
        observed, load_policy("combined"), years=3, runs=2, seed=5, segregation=False,
        development=plan,
    )  # fmt: skip
    return plan.planned, result


def test_a_planned_demolition_removes_exactly_its_dwellings_and_nothing_else(
    observed: Observed,
    demolished_run: tuple[np.ndarray, object],  # type: ignore[type-arg]
) -> None:
    _, result = demolished_run
    stock = result.housing.set_index(["run", "year", "area_id"])  # type: ignore[attr-defined]
    start, first = observed.start_year, observed.start_year + 1
    index = _largest(observed)
    area = observed.city.area_ids[index]
    for run in (0, 1):
        before = stock.loc[(run, start, area)]
        assert before["family_dwellings"] == _family(observed, index)
        for year in range(first, start + 4):
            after = stock.loc[(run, year, area)]
            assert after["family_dwellings"] == before["family_dwellings"] - 25
            assert after["dwellings"] == before["dwellings"] - 25
        for other in set(observed.city.area_ids) - {area}:
            counts = stock.xs(other, level="area_id").loc[run]
            assert counts["family_dwellings"].nunique() == 1 and counts["dwellings"].nunique() == 1
    ledger = result.ledger.set_index(["run", "year"])  # type: ignore[attr-defined]
    assert (ledger.xs(first, level="year")["dwellings_demolished"] == 25).all()
    assert ledger["dwellings_demolished"].sum() == 2 * 25


def test_conservation_holds_with_rehousing(
    observed: Observed, demolished_run: tuple[object, object]
) -> None:
    _, result = demolished_run
    ledger = result.ledger  # type: ignore[attr-defined]
    assert (
        ledger["households_end"]
        == ledger["households_start"]
        - ledger["households_out"]
        - ledger["households_rehoused_out"]
        + ledger["households_in"]
    ).all()
    assert (
        ledger["persons_end"]
        == ledger["persons_start"]
        - ledger["persons_out"]
        - ledger["persons_rehoused_out"]
        + ledger["persons_in"]
    ).all()
    assert (
        ledger["vacancies"]
        == ledger["households_in"] + ledger["left_empty"] + ledger["households_rehoused"]
    ).all()
    assert (
        ledger["households_displaced"]
        == ledger["households_rehoused"] + ledger["households_rehoused_out"]
    ).all()
    assert ledger["households_displaced"].sum() > 0
    # every displaced household appears once in the re-housing flows, from the planned area
    moved = result.rehousing.groupby(["run", "year"])["households"].sum()  # type: ignore[attr-defined]
    displaced = ledger.set_index(["run", "year"])["households_displaced"]
    assert moved.reindex(displaced.index, fill_value=0).equals(displaced)
    assert (result.rehousing["from_area"] == _largest(observed)).all()  # type: ignore[attr-defined]


def test_the_family_share_counts_demolished_dwellings_in_the_total(
    observed: Observed,
    demolished_run: tuple[np.ndarray, object],  # type: ignore[type-arg]
) -> None:
    # 168 a: demolished dwellings (after 2010, not replaced) stay in the total, so the share
    # after demolishing d of F family dwellings among D is (F - d) / D.
    planned, result = demolished_run
    area = _largest(observed)
    family, total = _family(observed, area), int((observed.city.dwelling_area == area).sum())
    row = result.housing[  # type: ignore[attr-defined]
        (result.housing["year"] == observed.start_year + 1)  # type: ignore[attr-defined]
        & (result.housing["area_id"] == observed.city.area_ids[area])  # type: ignore[attr-defined]
    ].iloc[0]
    assert row["family_share_pct"] == pytest.approx(100 * (family - 25) / total)
    assert bool(row["family_share_met"]) == ((family - 25) * 5 <= 2 * total)
    assert np.flatnonzero(planned).tolist() == [area]


def test_the_share_meets_40_percent_exactly_by_the_counting_rules(observed: Observed) -> None:
    # F family dwellings among D; selling F - floor(2D/5) of them leaves exactly the most
    # family dwellings 40 % allows (met); one fewer sold is not enough.
    area = _largest(observed)
    family, total = _family(observed, area), int((observed.city.dwelling_area == area).sum())
    allowed = 2 * total // 5
    for sold, met in ((family - allowed, True), (family - allowed - 1, False)):
        plan = development(observed, [_plan(observed, ("sell", sold))], default_rules())
        works = apply_works(
            observed.city, plan.in_year(observed.start_year + 1), plan, np.random.default_rng(0)
        )
        stock = housing(works.city, plan, plan.demolished_base, observed.start_year + 1, 0)
        assert stock["family_dwellings"].iloc[area] == family - sold
        assert bool(stock["family_share_met"].iloc[area]) is met


def test_commercial_floor_space_and_stored_demolitions_count_in_the_total(
    observed: Observed,
) -> None:
    area = _largest(observed)
    family, total = _family(observed, area), int((observed.city.dwelling_area == area).sum())
    day = dt.date(observed.start_year, 3, 1)
    plan = AreaPlan(
        area_id=observed.city.area_ids[area],
        measures=(Measure(kind="add_commercial", date=day, m2=1499),),
    )
    base = {plan.area_id: Stock({}, commercial_m2=150, demolished_not_replaced=7)}
    prepared = development(observed, [plan], default_rules(), base)
    year = observed.start_year + 1
    stock = housing(observed.city, prepared, prepared.demolished_base, year, 0)
    # 150 + 1 499 = 1 649 m² = 21 whole dwellings of 75 m²; 7 demolished
    expected = 100 * family / (total + 7 + 21)
    assert stock["family_share_pct"].iloc[area] == pytest.approx(expected)
    before = housing(observed.city, prepared, prepared.demolished_base, year - 1, 0)
    assert before["family_share_pct"].iloc[area] == pytest.approx(100 * family / (total + 7 + 2))


def test_sold_converted_and_new_dwellings_are_let_to_their_markets(observed: Observed) -> None:
    still = _still(observed)
    measures = (("sell", 12), ("convert_youth", 8), ("convert_elderly", 6),
                ("build_private_rental", 15))  # fmt: skip
    plan = development(still, [_plan(still, *measures)], default_rules())
    works = apply_works(
        still.city, plan.in_year(still.start_year + 1), plan, np.random.default_rng(3)
    )
    city, n, area = works.city, still.city.n_areas, _largest(still)
    changed = np.flatnonzero(works.affected & ~works.gone)
    assert len(changed) == 12 + 8 + 6 and len(works.new) == 15
    assert _family(replace(still, city=city), area) == _family(still, area) - 26
    assert (city.dwelling_area[works.new] == area).all()  # new dwellings stay in the area
    assert (city.rule_area[np.concatenate([changed, works.new])] == -1).all()
    _, letting, ledger = step(
        still.start,
        np.zeros(0, dtype=np.int64),
        plan.observed,
        load_policy("combined"),
        _no_lists(still),
        np.random.default_rng(5),
        10**9,
        city=city,
        works=works,
    )
    assert ledger["dwellings_changed"] == 26 and ledger["dwellings_built"] == 15
    donors = plan.observed.donors
    let = dict(zip(letting.dwelling.tolist(), letting.donor.tolist(), strict=True))
    tenure_of = still.city.dwelling_tenure
    for dwelling in [*changed, *works.new]:
        if dwelling not in let:
            continue
        donor = let[dwelling]
        assert donors.stratum[donor] == city.dwelling_stratum[dwelling]
        if city.dwelling_tenure[dwelling] == TENURES.index("private_rental"):
            assert donors.stratum[donor] == n + 1  # observed in-movers to private rental
        else:
            wanted = YOUTH if city.dwelling_tenure[dwelling] == YOUTH else ELDERLY
            assert tenure_of[donors.dwelling[donor]] == wanted
    assert len(set(let) & {*changed, *works.new}) > 0.8 * (26 + 15)
    # nobody is re-housed into a dwelling of the plan or into a youth/elderly dwelling
    assert letting.rehousing is not None and (letting.rehousing.to_area == -2).all()
    assert GONE not in city.dwelling_tenure


def test_without_plans_or_with_the_key_off_the_results_are_unchanged(observed: Observed) -> None:
    policy = load_policy("combined")
    kwargs = {"years": 2, "runs": 2, "seed": 3, "inference": 0}
    today = run_policy(observed, policy, **kwargs)  # type: ignore[arg-type]
    plan = development(observed, [_plan(observed, ("demolish", 30))], default_rules())
    off = run_policy(
        observed, policy.model_copy(update={"udviklingsplaner": False}), development=plan,
        **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip
    empty = development(observed, [], default_rules())
    none = run_policy(observed, policy, development=empty, **kwargs)  # type: ignore[arg-type]
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(today, name), getattr(off, name), check_exact=True)
    assert off.housing.empty and off.rehousing.empty
    for name in ("areas", "flows", "segregation"):
        pd.testing.assert_frame_equal(getattr(today, name), getattr(none, name), check_exact=True)
    columns = list(today.ledger.columns)
    pd.testing.assert_frame_equal(today.ledger, none.ledger[columns], check_exact=True)
    assert (none.ledger.drop(columns=columns) == 0).all().all()


def test_same_seed_same_result_with_plans(observed: Observed) -> None:
    plan = development(observed, [_plan(observed, ("demolish", 20), ("sell", 10))], default_rules())
    policy = load_policy("statutory")

    def run(seed: int) -> object:
        return run_policy(
            observed, policy, years=2, runs=2, seed=seed, segregation=False, development=plan
        )

    a, b, c = run(4), run(4), run(5)
    for name in ("areas", "flows", "ledger", "housing", "rehousing"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert not a.ledger.equals(c.ledger)  # type: ignore[attr-defined]


def test_plans_outside_the_city_are_skipped_and_past_measures_ignored(
    observed: Observed,
) -> None:
    past = AreaPlan(
        area_id=observed.city.area_ids[0],
        measures=(Measure(kind="demolish", date=dt.date(observed.start_year - 1, 5, 1),
                          dwellings=5),),
    )  # fmt: skip
    plan = development(observed, [past, AreaPlan(area_id="ZZ9999")], default_rules())
    assert plan.skipped == ("ZZ9999",) and plan.works == ()


def test_the_policy_key_is_validated(tmp_path: Path) -> None:
    assert load_policy("baseline").udviklingsplaner is True
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine\nname_da: x\nname_en: x\nudviklingsplaner: sometimes\n")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    problem = caught.value.problems[0]
    assert problem.column == "udviklingsplaner" and problem.row == 4


def test_the_workspace_plans_reach_the_cli_payload_and_the_report(
    city: Path, observed: Observed, tmp_path: Path
) -> None:
    import json

    from typer.testing import CliRunner

    from boligmonitor.cli import app
    from boligmonitor.simulation.report import simulation_section
    from boligmonitor.workspace import Workspace

    area = observed.city.area_ids[_largest(observed)]
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(
        f"plans:\n  - area_id: {area}\n    measures:\n"
        f"      - {{kind: demolish, date: {observed.start_year}-05-01, dwellings: 10}}\n"
        f"      - {{kind: sell, date: {observed.start_year}-09-30, dwellings: 5}}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "ws"
    with Workspace.create(folder) as ws:
        ws.microdata.load(city)
        ws.udviklingsplaner.stock_from_microdata(observed.start_year)
        ws.udviklingsplaner.load_plans(plan_file)
    out = tmp_path / "result.json"
    args = ["simulate", "-w", str(folder), "--policy", "baseline", "--compare", "statutory",
            "--years", "2", "--runs", "2", "--inference", "0", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "almene familieboliger" in result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    shares = [
        row
        for row in payload["statutory"]["housing"]
        if row["measure"] == "family_dwellings" and row["year"] == observed.start_year + 1
    ]
    assert [row["mean"] for row in shares] == [_family(observed, _largest(observed)) - 15]
    with Workspace.open(folder) as ws:
        a = ws.simulation.simulate("baseline", years=1, runs=2, inference=0, workers=1)
        off = load_policy("baseline").model_copy(update={"udviklingsplaner": False})
        b = ws.simulation.simulate(off, years=1, runs=2, inference=0, workers=1)
    assert not a.housing.empty and b.housing.empty
    fragment = simulation_section(a, a, "da")
    assert "Udviklingsplaner: andel almene familieboliger" in fragment


def test_the_simulated_stock_equals_the_plan_calculator_year_by_year(observed: Observed) -> None:
    # The same plan through the udviklingsplan calculator (exact fractions, from the area's
    # stock counted from the microdata) and through the simulation: the same family dwellings,
    # share and verdict at every 1 January.
    from boligmonitor.udviklingsplan.calculate import calculate

    rules = default_rules()
    area, year = _largest(observed), observed.start_year
    city = observed.city
    tenures = city.dwelling_tenure[city.dwelling_area == area]
    counts: dict[str, int] = {}
    for code, n in zip(*np.unique(tenures, return_counts=True), strict=True):
        category = rules.microdata_tenure[TENURES[int(code)]]
        counts[category] = counts.get(category, 0) + int(n)

    def on(offset: int, month: int) -> dt.date:
        return dt.date(year + offset, month, 15)

    plan = AreaPlan(
        area_id=city.area_ids[area],
        measures=(
            Measure(kind="convert_youth", date=on(0, 5), dwellings=10),
            Measure(kind="demolish", date=on(1, 2), dwellings=12),
            Measure(kind="sell", date=on(1, 8), dwellings=15),
            Measure(kind="build_private_rental", date=on(2, 3), dwellings=20),
            Measure(kind="build_owner_occupied", date=on(2, 9), dwellings=5),
            Measure(kind="add_commercial", date=on(2, 11), m2=1500),
        ),
    )
    expected = {s.year: s for s in calculate(plan, year, Stock(counts), rules).years}
    prepared = development(observed, [plan], rules, {plan.area_id: Stock(counts)})
    result = run_policy(
        observed, load_policy("statutory"), years=4, runs=1, seed=2, segregation=False,
        development=prepared,
    )  # fmt: skip
    rows = result.housing[result.housing["area_id"] == plan.area_id].set_index("year")
    assert list(rows.index) == list(range(year, year + 5))
    for at, row in rows.iterrows():
        status = expected[int(at)]  # type: ignore[call-overload]
        assert row["family_dwellings"] == status.family
        assert row["family_share_pct"] == pytest.approx(100 * float(status.share))
        assert bool(row["family_share_met"]) == status.met
    assert rows["family_dwellings"].iloc[-1] == counts["almen_family"] - 37
