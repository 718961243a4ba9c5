"""Goal indicators derived from a small synthetic city, checked against pandas by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.i18n import as_language
from boligmonitor.indicators.copenhagen import unit_indicators
from boligmonitor.monitor.goals.catalogue import resolve_catalogue
from boligmonitor.monitor.goals.microdata import derive_catalogue
from boligmonitor.monitor.goals.model import Catalogue, Verdict
from boligmonitor.report import build_report
from boligmonitor.report.html import render_html
from boligmonitor.report.pdf import render_pdf
from boligmonitor.schema.microdata import load_microdata
from boligmonitor.synth import generate
from boligmonitor.workspace import Workspace

YEARS = [2017, 2018, 2019, 2020, 2021]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("synth")
    truth = generate(folder, persons=20_000, years=YEARS, progress=False)
    return folder, truth


@pytest.fixture(scope="module")
def frames(city: tuple[Path, dict[str, Any]]) -> dict[str, pd.DataFrame]:
    folder, _ = city
    persons = pd.concat(
        [pd.read_parquet(folder / "persons" / f"persons_{y}.parquet") for y in YEARS],
        ignore_index=True,
    )
    named = {
        n: pd.read_parquet(folder / f"{n}.parquet") for n in ("addresses", "dwellings", "units")
    }
    return {"persons": persons, **named}


@pytest.fixture(scope="module")
def designated(city: tuple[Path, dict[str, Any]]) -> list[str]:
    return list(city[1]["deprived_units"]["2017"])


@pytest.fixture(scope="module")
def derived(city: tuple[Path, dict[str, Any]], designated: list[str]) -> Catalogue:
    data = load_microdata(city[0], validate=False)
    return derive_catalogue(resolve_catalogue(), data.tables, designated)


def _located(frames: dict[str, pd.DataFrame], name: str, designated: list[str]) -> pd.DataFrame:
    located = frames[name].merge(
        frames["addresses"][["address_id", "screening_unit"]], on="address_id"
    )
    return located.assign(in_area=located["screening_unit"].isin(designated))


def _value(catalogue: Catalogue, goal: int, indicator: str, year: int) -> Any:
    return next(v for v in catalogue.goal(goal).indicator(indicator).values if v.year == year)


def test_residents_over_30_outside_the_labour_market(
    derived: Catalogue, frames: dict[str, pd.DataFrame], designated: list[str]
) -> None:
    persons = _located(frames, "persons", designated)
    for year in (2017, 2019, 2021):
        group = persons[
            (persons.year == year)
            & persons.age.between(30, 64)
            & ~persons.permanently_outside_labour_force
        ]
        value = _value(derived, 6, "midlertidig_forsoergelse_30", year)
        area = group[group.in_area]
        assert value.area == round(area.no_attachment_fraction.mean() * 100, 1)
        assert value.city == round(group.no_attachment_fraction.mean() * 100, 1)
        assert value.area_n == len(area) and value.city_n == len(group)


def test_youth_in_education(
    derived: Catalogue, frames: dict[str, pd.DataFrame], designated: list[str]
) -> None:
    persons = _located(frames, "persons", designated)
    group = persons[(persons.year == 2021) & persons.age.between(16, 17)]
    value = _value(derived, 9, "ungdomsuddannelse_15_mdr", 2021)
    assert value.area == round(group[group.in_area].in_education.mean() * 100, 1)
    assert value.city == round(group.in_education.mean() * 100, 1)


def test_mixed_tenure_counts(
    derived: Catalogue, frames: dict[str, pd.DataFrame], designated: list[str]
) -> None:
    dwellings = _located(frames, "dwellings", designated)
    area = dwellings[dwellings.in_area]
    private = area.tenure.isin(["owner_occupied", "private_rental", "andel"]).sum()
    value = _value(derived, 17, "private_boliger", 2019)
    assert value.area == private
    assert value.city == dwellings.tenure.isin(["owner_occupied", "private_rental", "andel"]).sum()
    assert value.area_pct == round(private / len(area) * 100, 1)
    almene = _value(derived, 17, "almene_boliger", 2021)
    assert almene.area == area.tenure.str.startswith("almen_").sum()


def test_unsupported_indicators_are_not_available(derived: Catalogue) -> None:
    for goal, indicator in (
        (7, "toaarige_i_dagtilbud"),
        (3, "middellevetid"),
        (12, "utrygge_nabolag"),
    ):
        values = derived.goal(goal).indicator(indicator).values
        assert [v.available for v in values] == [False, False, False]
        assert values[0].note_da == "Ikke tilgængelig i mikrodata"
    assert derived.goal(6).published_verdicts == {}


def test_evaluation_on_derived_values(derived: Catalogue) -> None:
    from boligmonitor.monitor.goals.evaluate import evaluate_catalogue

    evaluation = evaluate_catalogue(derived, 2021)
    assert evaluation.goal(7).verdict is Verdict.UNCERTAIN
    [result] = evaluation.goal(6).indicators
    assert result.p_value is not None  # sample sizes from the microdata: tested
    expected = Verdict.PROGRESS if result.area < result.baseline_area else Verdict.REGRESS
    assert result.verdict is (expected if result.p_value < 0.05 else Verdict.UNCERTAIN)
    assert evaluation.disagreements == ()


def test_disclosure_control_suppresses_small_groups(
    city: tuple[Path, dict[str, Any]], designated: list[str]
) -> None:
    data = load_microdata(city[0], validate=False)
    suppressed = derive_catalogue(resolve_catalogue(), data.tables, designated, min_persons=10**6)
    values = suppressed.goal(6).indicator("midlertidig_forsoergelse_30").values
    assert all(not v.available and v.area is None for v in values)
    assert values[0].note_da is not None and values[0].note_da.startswith("Diskretioneret")


def test_missing_tables_and_years_are_input_errors(city: tuple[Path, dict[str, Any]]) -> None:
    data = load_microdata(city[0], validate=False)
    with pytest.raises(InputError, match="missing table"):
        derive_catalogue(resolve_catalogue(), {"persons": data.tables["persons"]}, ["U0001"])
    with pytest.raises(InputError, match="no persons for the status years"):
        derive_catalogue(resolve_catalogue(), data.tables, ["U0001"], years=[1999])


@pytest.fixture(scope="module")
def workspace(city: tuple[Path, dict[str, Any]], frames: dict[str, pd.DataFrame]) -> Workspace:
    folder, truth = city
    ws = Workspace.memory()
    ws.load_microdata(folder, validate=False)
    ws.store.write("units", frames["units"])
    membership = pd.DataFrame(
        [
            {"area_id": "A", "round_year": int(year), "unit_id": unit, "status": "designated"}
            for year, units in truth["deprived_units"].items()
            for unit in units
        ]
    )
    ws.store.write("screening_areas", membership)
    ws.store.write("unit_statistics", unit_indicators(load_microdata(folder, validate=False)))
    return ws


def test_workspace_uses_microdata_when_present(workspace: Workspace, derived: Catalogue) -> None:
    auto = workspace.goals.catalogue()
    assert auto.goal(6).indicator("midlertidig_forsoergelse_30").values == (
        derived.goal(6).indicator("midlertidig_forsoergelse_30").values
    )
    published = workspace.goals.catalogue(source="published")
    assert published.goal(6).indicator("midlertidig_forsoergelse_30").values[0].area == 20.7
    with pytest.raises(InputError, match="unknown source"):
        workspace.goals.catalogue(source="guess")
    with pytest.raises(InputError, match="no microdata loaded"):
        Workspace.memory().goals.catalogue(source="microdata")


def test_microdata_loaded_into_the_session_is_used(
    city: tuple[Path, dict[str, Any]], workspace: Workspace, derived: Catalogue
) -> None:
    with Workspace.memory() as ws:
        ws.load_microdata(city[0], validate=False)
        ws.store.write("screening_areas", workspace.store.read("screening_areas"))
        catalogue = ws.goals.catalogue()
    assert catalogue.goal(9) == derived.goal(9)


def test_status_report_on_the_synthetic_workspace(workspace: Workspace, tmp_path: Path) -> None:
    data = yaml.safe_load(data_path("goals", "kk-2017-2025.yaml").read_text(encoding="utf-8"))
    data["goals"] = [g for g in data["goals"] if g["number"] in (6, 7, 17)]
    small = tmp_path / "small.yaml"
    small.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = build_report(workspace.reports.status_input(2021, str(small)))
    html = render_html(report)
    assert "Screeningsenheder" in html  # the map from the units' geometry
    assert html.count('<td class="num gap-now">') == 5  # gap computed from unit statistics
    assert "Ikke tilgængelig" in html  # goal 7: not in the microdata
    assert "afledt af mikrodata" in html
    assert render_pdf(report).startswith(b"%PDF")


def test_cli_evaluates_goals_from_microdata(
    city: tuple[Path, dict[str, Any]],
    workspace: Workspace,
    derived: Catalogue,
    tmp_path: Path,
    run_cli,
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ws"
    with Workspace.create(folder) as ws:
        ws.store.write("screening_areas", workspace.store.read("screening_areas"))
    out = tmp_path / "goals.json"
    args = ("goals", "evaluate", "--year", "2021", "--workspace", folder, "--microdata", city[0])
    result = run_cli(*args, "--out", out)
    assert result.code == 0, result.err
    records = {(r["goal"], r["indicator"]): r for r in json.loads(out.read_text(encoding="utf-8"))}
    expected = derived.goal(6).indicator("midlertidig_forsoergelse_30").series()
    record = records[(6, "midlertidig_forsoergelse_30")]
    assert (record["baseline_area"], record["area"]) == (expected[0].area, expected[-1].area)
    assert records[(7, "toaarige_i_dagtilbud")]["reason"] == "no_data"


def test_derived_notes_and_sources_come_from_the_catalogue_in_both_languages(
    derived: Catalogue,
) -> None:
    missing = derived.goal(7).indicator("toaarige_i_dagtilbud").values[0]
    assert missing.note_en == "Not available in the microdata"
    value = derived.goal(6).indicator("midlertidig_forsoergelse_30").values[0]
    assert value.note_da is not None and value.note_da.startswith("Afledt af mikrodata: helårs")
    assert value.note_en is not None and value.note_en.startswith("Derived from microdata: full")
    assert derived.goal(6).source == "Derived from microdata"
    assert derived.source == "Microdata (derived)"


def test_suppressed_note_in_english(
    city: tuple[Path, dict[str, Any]], designated: list[str]
) -> None:
    data = load_microdata(city[0], validate=False)
    suppressed = derive_catalogue(resolve_catalogue(), data.tables, designated, min_persons=50)
    values = suppressed.goal(5).indicators[0].values
    notes = {(v.note_da, v.note_en) for v in values if not v.available}
    assert (
        "Diskretioneret: færre end 50 personer eller boliger.",
        "Suppressed: fewer than 50 persons or dwellings.",
    ) in notes


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [
        ("da", "Afledt af mikrodata", "Derived from microdata"),
        ("en", "Derived from microdata", "Afledt af"),
    ],
)
def test_status_report_names_the_derived_source_in_its_language(
    workspace: Workspace, tmp_path: Path, lang: str, shown: str, hidden: str
) -> None:
    data = yaml.safe_load(data_path("goals", "kk-2017-2025.yaml").read_text(encoding="utf-8"))
    data["goals"] = [g for g in data["goals"] if g["number"] in (6, 17)]
    small = tmp_path / "small.yaml"
    small.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    chosen = as_language(lang)
    html = render_html(build_report(workspace.reports.status_input(2021, str(small), lang=chosen)))
    assert f"· {shown}" in html  # each goal's source line
    assert hidden not in html
