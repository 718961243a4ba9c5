"""Allocation-policy simulation: hand-built letting cases, conservation, determinism and the
segregation indices against a hand-computed value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boligmonitor.errors import InputError
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.simulation import load_policy, run_policy, shipped_policies
from boligmonitor.simulation.estimate import Donors, Observed, observe
from boligmonitor.simulation.households import City, Persons, group_mask
from boligmonitor.simulation.letting import AreaRules, let_vacancies
from boligmonitor.simulation.segregation_indices import segregation_indices
from boligmonitor.simulation.year import step

OUTSIDE = group_mask(["outside_labour", "benefits"])
EMPLOYED = group_mask(["employed"])


def _persons(n: int, outside: bool) -> Persons:
    def flags(value: bool) -> np.ndarray:  # type: ignore[type-arg]
        return np.full(n, value)

    return Persons(
        age=np.full(n, 40, dtype=np.int64),
        nonwestern=flags(False),
        no_attachment=np.full(n, 1.0 if outside else 0.0),
        permanently_outside=flags(False),
        in_education=flags(False),
        basic_education=flags(False),
        no_education=flags(False),
        gross_income=np.full(n, 1e5),
        disposable_income=np.full(n, 1e5),
        taxpayer=flags(True),
        convicted=flags(False),
    )


def _donors(strata: list[int], groups: list[int]) -> Donors:
    """One-person donor households: outside ones where the group has the outside bit."""
    outside = [bool(g & 1) for g in groups]
    persons = _persons(0, False)
    for flag in outside:
        persons = persons.append(_persons(1, flag))
    n = len(strata)
    return Donors(
        persons=persons,
        start=np.arange(n),
        size=np.ones(n, dtype=np.int64),
        stratum=np.array(strata),
        groups=np.array(groups),
        adults=np.ones(n),
        outside_fraction=np.array(outside, dtype=float),
    )


def _city(areas: list[int]) -> City:
    """Dwellings in the given areas (-1: outside areas, public housing market)."""
    area = np.array(areas, dtype=np.int64)
    n_areas = int(area.max()) + 1
    return City(
        area_ids=[f"A{i}" for i in range(n_areas)],
        area_names=[f"A{i}" for i in range(n_areas)],
        unit_ids=["U0"],
        dwelling_area=area,
        dwelling_unit=np.zeros(len(area), dtype=np.int64),
        dwelling_stratum=np.where(area >= 0, area, n_areas),
        dwelling_affordable=np.ones(len(area), dtype=bool),
        dwelling_m2=np.full(len(area), 60.0),
    )


def _rules(n: int, **changes: object) -> AreaRules:
    base: dict[str, object] = {
        "refuse_ordinary": np.zeros(n, dtype=np.int64),
        "refuse_anvisning": np.zeros(n, dtype=np.int64),
        "flex_priority": np.zeros(n, dtype=np.int64),
        "flex_share": 0.0,
        "anvisning_share": 0.0,
        "anvisning_groups": 0,
        "trappe_scope": np.zeros(n, dtype=bool),
        "trappe_group": 0,
        "trappe_threshold_pct": 100.0,
        "listed": np.zeros(n, dtype=bool),
    }
    base.update(changes)
    return AreaRules(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("outside", "adults", "allowed"),
    [(3.0, 10.0, 2), (3.9, 10.0, 1), (4.0, 10.0, 1), (4.1, 10.0, 0)],
)
def test_trappemodel_stops_exactly_when_the_share_exceeds_the_threshold(
    outside: float, adults: float, allowed: int
) -> None:
    # Targeted one-adult households arrive by anvisning. Starting at 3/10 = 30 %: the 1st makes
    # 4/11 = 36.4 %, the 2nd 5/12 = 41.7 % > 40 %, so the 3rd is refused: 2 allowed. From
    # 3.9/10 one is allowed (4.9/11 = 44.5 %); at exactly 40 % ("overstiger" is strict) one is
    # allowed; above 40 % none.
    city = _city([0] * 6 + [-1])
    donors = _donors(strata=[1, 0], groups=[OUTSIDE, EMPLOYED])
    rules = _rules(
        1,
        anvisning_share=1.0,
        anvisning_groups=OUTSIDE,
        trappe_scope=np.array([True]),
        trappe_group=group_mask(["outside_labour"]),
        trappe_threshold_pct=40.0,
    )
    letting = let_vacancies(
        np.arange(6),
        city,
        donors,
        rules,
        np.array([outside]),
        np.array([adults]),
        np.random.default_rng(1),
    )
    targeted_in_area = (letting.donor == 0) & (city.dwelling_area[letting.dwelling] == 0)
    assert int(targeted_in_area.sum()) == allowed
    assert len(letting.refused_from) == 6 - allowed
    assert (letting.refused_from == 0).all()


def test_a_refused_applicant_goes_to_the_next_eligible_area() -> None:
    city = _city([0, 1])
    donors = _donors(strata=[0, 1], groups=[OUTSIDE, EMPLOYED])
    rules = _rules(
        2, refuse_ordinary=np.array([OUTSIDE, 0]), refuse_anvisning=np.array([OUTSIDE, 0])
    )
    letting = let_vacancies(
        np.array([0, 1]), city, donors, rules, np.zeros(2), np.ones(2), np.random.default_rng(0)
    )
    assert letting.refused_from.tolist() == [0]
    assert letting.refused_to.tolist() == [1]  # landed in area 1
    assert dict(zip(letting.dwelling.tolist(), letting.donor.tolist(), strict=False)) == {1: 0}
    assert letting.empty.tolist() == [0]  # no eligible replacement: stays empty


def test_refused_with_nowhere_to_go_leaves_the_city_housing() -> None:
    city = _city([0, 1])
    donors = _donors(strata=[0, 1], groups=[OUTSIDE, EMPLOYED])
    refuse = np.array([OUTSIDE, OUTSIDE])
    rules = _rules(2, refuse_ordinary=refuse, refuse_anvisning=refuse)
    letting = let_vacancies(
        np.array([0, 1]), city, donors, rules, np.zeros(2), np.ones(2), np.random.default_rng(0)
    )
    assert letting.refused_to.tolist() == [-2]


def test_no_vacancies_no_change(observed: Observed) -> None:
    still = Observed(
        observed.city,
        observed.start,
        observed.start_year,
        observed.donors,
        _without_moves(observed),
        observed.unit_xy,
        {},
    )
    held = {
        name: np.zeros(still.city.n_areas, dtype=bool)
        for name in (
            "udsat_boligomraade",
            "parallelsamfund",
            "omdannelsesomraade",
            "forebyggelsesomraade",
            "kombineret_udlejning",
        )
    }
    state, letting, ledger = step(
        still.start,
        np.zeros(0, dtype=np.int64),
        still,
        load_policy("combined"),
        held,
        np.random.default_rng(3),
        10**9,
    )
    assert ledger["vacancies"] == 0 and len(letting.dwelling) == 0
    assert np.array_equal(state.household_id, still.start.household_id)
    assert np.array_equal(state.household_dwelling, still.start.household_dwelling)
    assert np.array_equal(state.person_household, still.start.person_household)


def _without_moves(observed: Observed) -> object:
    from dataclasses import replace

    return replace(observed.dynamics, move_out=np.zeros_like(observed.dynamics.move_out))


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> Observed:
    from boligmonitor.synth import generate

    folder = tmp_path_factory.mktemp("city")
    generate(folder, "city", years=range(2019, 2023), seed=5, persons=4000, progress=False)
    return observe(load_microdata(folder, validate=False))


@pytest.mark.parametrize("policy", ["baseline", "combined"])
def test_households_are_conserved(observed: Observed, policy: str) -> None:
    result = run_policy(observed, load_policy(policy), years=3, runs=2, seed=1, segregation=False)
    ledger = result.ledger
    assert (
        ledger["households_end"]
        == ledger["households_start"] - ledger["households_out"] + ledger["households_in"]
    ).all()
    assert (
        ledger["persons_end"]
        == ledger["persons_start"] - ledger["persons_out"] + ledger["persons_in"]
    ).all()
    assert (ledger["vacancies"] == ledger["households_in"] + ledger["left_empty"]).all()
    chained = ledger.sort_values(["run", "year"]).groupby("run")
    for _, rows in chained:
        assert (
            rows["households_start"].iloc[1:].to_numpy()
            == rows["households_end"].iloc[:-1].to_numpy()
        ).all()
    residents = result.areas.groupby(["run", "year"])["residents"].sum()
    assert residents.notna().all()


def test_same_seed_same_result(observed: Observed) -> None:
    policy = load_policy("trappemodel")
    a = run_policy(observed, policy, years=2, runs=2, seed=7, segregation=False)
    b = run_policy(observed, policy, years=2, runs=2, seed=7, segregation=False)
    c = run_policy(observed, policy, years=2, runs=2, seed=8, segregation=False)
    pd.testing.assert_frame_equal(a.areas, b.areas)
    pd.testing.assert_frame_equal(a.ledger, b.ledger)
    assert not a.ledger.equals(c.ledger)


def test_dissimilarity_equals_pysal_and_the_hand_computed_value() -> None:
    group = np.array([10.0, 0.0, 5.0, 5.0])
    total = np.array([20.0, 20.0, 10.0, 30.0])
    others = total - group
    # Duncan's D = ½ Σ |g_i/G − o_i/O| = ½ (|10/20 − 10/60| + |0 − 20/60| + |5/20 − 5/60|
    # + |5/20 − 25/60|) = ½ (1/3 + 1/3 + 1/6 + 1/6) = 0.5
    by_hand = 0.5 * np.abs(group / group.sum() - others / others.sum()).sum()
    assert by_hand == pytest.approx(0.5)
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    indices = segregation_indices(group, total, xy).set_index("index")["value"]
    assert indices["dissimilarity"] == pytest.approx(0.5)
    # isolation = Σ (g_i/G)(g_i/t_i) = 0.5·0.5 + 0 + 0.25·0.5 + 0.25·(1/6)
    assert indices["isolation"] == pytest.approx(0.25 + 0.125 + 0.25 / 6)
    assert set(indices.index) == {"dissimilarity", "isolation", "theil_h", "spatial_dissimilarity"}


def test_shipped_policies_include_a_baseline_with_no_tools() -> None:
    policies = shipped_policies()
    assert {
        "baseline",
        "anvisning",
        "trappemodel",
        "fleksibel",
        "kombineret",
        "statutory",
        "combined",
    } <= set(policies)
    base = policies["baseline"]
    assert (base.anvisning, base.trappemodel, base.kombineret, base.statutory) == (None,) * 4
    assert policies["trappemodel"].trappemodel.threshold_pct == 40  # type: ignore[union-attr]


def test_a_bad_policy_file_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine\nname_da: x\nname_en: x\ntrappemodel:\n  threshold_pct: 140\n")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    problem = caught.value.problems[0]
    assert problem.column == "trappemodel.threshold_pct" and problem.row == 5
