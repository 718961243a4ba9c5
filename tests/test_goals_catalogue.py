"""The goal-catalogue format and the shipped Copenhagen 2017-2025 catalogue (seed 003)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.monitor.goals.catalogue import load_catalogue, resolve_catalogue
from boligmonitor.monitor.goals.model import Catalogue, TargetKind, Verdict

SHIPPED = data_path("goals", "kk-2017-2025.yaml")


@pytest.fixture(scope="module")
def kk() -> Catalogue:
    return resolve_catalogue("kk-2017-2025")


def _values(kk: Catalogue, goal: int, indicator: str) -> dict[int, tuple[float | None, ...]]:
    series = kk.goal(goal).indicator(indicator).series()
    return {v.year: (v.area, v.city) for v in series}


def test_eighteen_goals_under_three_approaches_and_seven_administrations(kk: Catalogue) -> None:
    assert [g.number for g in kk.goals] == list(range(1, 19))
    by_approach = {a.id: [g.number for g in kk.goals if g.approach == a.id] for a in kk.approaches}
    assert by_approach == {
        "understoettende": list(range(1, 10)),
        "lokalt_organiserende": list(range(10, 16)),
        "strukturel": [16, 17, 18],
    }
    assert len(kk.administrations) == 7
    assert kk.goal(9).owners == ["BUF", "BIF"]


def test_values_transcribed_from_the_seed_tables(kk: Catalogue) -> None:
    # Tabel 4, 6, 9, 12, 15, 18 of the 2021 status (area, KK average) by status year.
    assert _values(kk, 1, "karaktergennemsnit") == {
        2017: (5.6, 6.8),
        2019: (6.2, 7.3),
        2021: (6.3, 7.5),
    }
    assert _values(kk, 3, "middellevetid") == {
        2017: (74.7, 78.6),
        2019: (75.0, 79.8),
        2021: (75.9, 79.8),
    }
    assert _values(kk, 6, "midlertidig_forsoergelse_30")[2021] == (17.2, 10.2)
    assert _values(kk, 9, "ungdomsuddannelse_15_mdr")[2021] == (85.8, 89.9)
    assert _values(kk, 12, "utrygge_nabolag")[2021] == (15.3, 8.55)
    assert _values(kk, 12, "utrygge_aften_nat") == {
        2017: (28, 22),
        2019: (26.7, 17.6),
        2021: (23.7, 16.1),
    }
    assert _values(kk, 14, "social_kontrol")[2021] == (6.17, 7.04)
    assert _values(kk, 15, "valgdeltagelse")[2017] == (56.4, 61.9)
    assert _values(kk, 18, "uden_toilet_bad") == {
        2017: (2921, 20438),
        2019: (2530, 18997),
        2021: (2434, 18182),
    }


def test_sample_sizes_and_data_years_of_goal_5(kk: Catalogue) -> None:
    series = kk.goal(5).indicator("mindreaarige_grundlovsforhoer").series()
    assert [(v.year, v.data_year, v.area, v.area_n) for v in series] == [
        (2017, 2016, 56, 50),
        (2019, 2018, 45, 60),
        (2021, 2020, 59, 34),
    ]
    # 28 of 50, 27 of 60 and 20 of 34 unique young people (Tabel 8)
    assert [round(28 / 50 * 100), round(27 / 60 * 100), round(20 / 34 * 100)] == [56, 45, 59]


def test_private_dwellings_are_the_sum_of_their_tenures_and_rose_by_987(kk: Catalogue) -> None:
    goal = kk.goal(17)
    private = goal.indicator("private_boliger")
    for year_value in private.values:
        parts = [
            next(
                v
                for v in goal.indicator(part).values
                if (v.year, v.area_set) == (year_value.year, year_value.area_set)
            )
            for part in private.sum_of
        ]
        assert year_value.area == sum(p.area for p in parts if p.area is not None)
        assert year_value.city == sum(p.city for p in parts if p.city is not None)
    values = _values(kk, 17, "private_boliger")
    assert values[2021][0] - values[2017][0] == 987  # "en stigning ... på 987 boliger"
    assert private.target.kind is TargetKind.REACH_COUNT and private.target.amount == 2500


def test_footnotes_mark_the_data_breaks(kk: Catalogue) -> None:
    assert kk.goal(1).indicator("karaktergennemsnit").break_years() == [2019, 2021]
    assert kk.goal(4).indicator("sprogscreening").break_years() == [2021]
    assert kk.goal(13).indicator("mulighed_for_at_involvere_sig").break_years() == [2019]
    revised = kk.goal(6).indicator("midlertidig_forsoergelse_30").notes[0]
    assert revised.kind == "revised_baseline" and not revised.breaks_series
    assert "over 30 år" in revised.text_da


def test_published_summary_is_recorded(kk: Catalogue) -> None:
    progress = [g.number for g in kk.goals if g.published_verdicts[2021] is Verdict.PROGRESS]
    assert progress == [2, 3, 4, 6, 7, 9, 12, 16, 17, 18]


def test_bilag_3_values_for_the_new_areas(kk: Catalogue) -> None:
    new = [v for v in kk.goal(6).indicator("midlertidig_forsoergelse_30").values if v.area_set]
    assert [(v.area_set, v.area, v.city) for v in new] == [("2021-2025", 17.1, 10.3)]


def _write(tmp_path: Path, edit: object) -> Path:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_errors_name_goal_indicator_and_field(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["goals"][3]["indicators"][0]["unit"] = "furlongs"
        del data["goals"][1]["indicators"][0]["target"]["amount"]

    with pytest.raises(InputError) as caught:
        load_catalogue(_write(tmp_path, edit))
    problems = {(p.text().split(":")[0], p.column) for p in caught.value.problems}
    assert ("goal 4, indicator 'sprogscreening'", "unit") in problems
    assert ("goal 2, indicator 'varslede_udsaettelser'", "target") in problems
    assert all(p.row is not None for p in caught.value.problems)
    assert any("needs an 'amount'" in p.text() for p in caught.value.problems)


def test_value_errors_name_the_value_field(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["goals"][4]["indicators"][0]["values"][1]["area_n"] = -3

    with pytest.raises(InputError) as caught:
        load_catalogue(_write(tmp_path, edit))
    [problem] = caught.value.problems
    assert problem.text().startswith("goal 5, indicator 'mindreaarige_grundlovsforhoer'")
    assert problem.column == "values.1.area_n"


def test_unknown_owner_is_named_with_its_goal(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["goals"][11]["owners"] = ["XYZ"]

    path = _write(tmp_path, edit)
    with pytest.raises(InputError) as caught:
        load_catalogue(path)
    [problem] = caught.value.problems
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "- XYZ")
    assert problem.render("en") == (
        f"{path}, line {line}, column 'owners.0': goal 12: unknown administration 'XYZ'"
    )
    assert problem.render("da") == (
        f"{path}, linje {line}, kolonne 'owners.0': mål 12: ukendt forvaltning 'XYZ'"
    )


def test_model_checks_read_danish_in_danish(tmp_path: Path) -> None:
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        del data["goals"][1]["indicators"][0]["target"]["amount"]

    with pytest.raises(InputError) as caught:
        load_catalogue(_write(tmp_path, edit))
    [problem] = caught.value.problems
    assert problem.column == "target" and problem.row is not None
    assert problem.render("da").endswith(
        ": mål 2, indikator 'varslede_udsaettelser': måltypen 'fall_pct' skal have et 'amount'"
    )
    assert problem.render("en").endswith(
        ": goal 2, indicator 'varslede_udsaettelser': target kind 'fall_pct' needs an 'amount'"
    )


def test_unknown_catalogue_name() -> None:
    with pytest.raises(InputError, match="unknown goal catalogue"):
        resolve_catalogue("kk-1999")


def test_cli_exits_2_on_a_bad_catalogue(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    def edit(data: dict) -> None:  # type: ignore[type-arg]
        data["goals"][0]["indicators"][0]["better"] = "sideways"

    result = run_cli("goals", "list", "--catalogue", _write(tmp_path, edit))
    assert result.code == 2
    assert "mål 1, indikator 'karaktergennemsnit'" in result.err
    assert "better" in result.err


def test_cli_lists_and_shows_goals(run_cli) -> None:  # type: ignore[no-untyped-def]
    listed = run_cli("goals", "list")
    assert listed.code == 0
    assert "Mere blandet boligmasse" in listed.out
    shown = run_cli("goals", "show", "17")
    assert shown.code == 0
    assert "34.665" in shown.out and "private_boliger" in shown.out
