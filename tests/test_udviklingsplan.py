"""Udviklingsplaner (§ 168 a): hand-computed counting rules, minimal what-ifs, plan validation,
obligations from the published lists, outputs."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from boligmonitor.errors import InputError
from boligmonitor.store import Store
from boligmonitor.udviklingsplan import (
    AreaPlan,
    Measure,
    Stock,
    calculate,
    default_rules,
    family_gap,
    minimal_amount,
    published_memberships,
)
from boligmonitor.udviklingsplan.counting import CountingRules
from boligmonitor.udviklingsplan.excel import write_status_workbook
from boligmonitor.udviklingsplan.facet import UdviklingsplanFacet
from boligmonitor.udviklingsplan.stock import stock_from_microdata

EXAMPLES = Path(__file__).resolve().parents[1] / "src/boligmonitor/data/udviklingsplan/examples"
RULES = default_rules()


def _rules(**changes: Any) -> CountingRules:
    """The shipped rules with one section changed."""
    data = RULES.model_dump()
    for section, values in changes.items():
        data[section] = {**data[section], **values}
    return CountingRules.model_validate(data)


def _kind(kind_id: str) -> Any:
    return RULES.kind(kind_id)


# -- counting rules, by hand --------------------------------------------------------------------


def test_exactly_40_percent_meets_the_requirement_and_one_more_does_not() -> None:
    at_limit = Stock({"almen_family": 40, "owner_occupied": 60})
    assert at_limit.share(RULES) == Fraction(2, 5)
    assert RULES.target.met(at_limit.share(RULES))
    assert family_gap(at_limit, RULES) == 0
    above = Stock({"almen_family": 41, "owner_occupied": 59})
    assert not RULES.target.met(above.share(RULES))
    assert family_gap(above, RULES) == 1


def test_commercial_floor_space_counts_one_dwelling_per_whole_75_m2() -> None:
    # 40 family + 40 private + 1 500 m² (= 20 dwellings) -> 40/100 = 40 % exactly
    stock = Stock({"almen_family": 40, "private_rental": 40}, commercial_m2=1_500)
    assert stock.total(RULES) == 100
    assert RULES.target.met(stock.share(RULES))
    # 1 499 m² is 19 whole dwellings: 40/99 > 40 %
    short = Stock({"almen_family": 40, "private_rental": 40}, commercial_m2=1_499)
    assert short.total(RULES) == 99
    assert not RULES.target.met(short.share(RULES))
    # read as fractions, 1 499 m² is 19 74/75 dwellings
    fraction = _rules(commercial={"rounding": "fraction"})
    assert short.total(fraction) == 80 + Fraction(1_499, 75)


def test_demolished_dwellings_stay_in_the_total_unless_replaced() -> None:
    # 61 family of 100: demolishing 21 leaves 40 family of 100 counted dwellings (40 %)
    stock = Stock({"almen_family": 61, "private_rental": 39})
    after = stock.moved("almen_family", "demolished", 21, RULES)
    assert (after.family(RULES), after.total(RULES)) == (40, 100)
    assert RULES.target.met(after.share(RULES))
    # 5 new almene familieboliger replace 5 demolished: 45 family of 100
    rebuilt = after.moved(None, "almen_family", 5, RULES)
    assert (rebuilt.family(RULES), rebuilt.demolished_not_replaced, rebuilt.total(RULES)) == (
        45,
        16,
        100,
    )
    # without the demolition rule the total shrinks: (61 - d) / (100 - d) <= 2/5 needs d = 35
    plain = _rules(demolished={"counted_in_total": False})
    assert minimal_amount(stock, _kind("demolish"), plain) == 35
    assert stock.moved("almen_family", "demolished", 35, plain).share(plain) == Fraction(26, 65)


def test_conversion_to_youth_or_elderly_dwellings_keeps_the_total() -> None:
    stock = Stock({"almen_family": 61, "almen_youth": 39})
    after = stock.moved("almen_family", "almen_elderly", 21, RULES)
    assert after.total(RULES) == 100
    assert after.share(RULES) == Fraction(2, 5)
    assert minimal_amount(stock, _kind("convert_youth"), RULES) == 21


def test_new_private_building_adds_to_the_total() -> None:
    # 61 / (100 + b) <= 2/5  <=>  b >= 52.5
    stock = Stock({"almen_family": 61, "private_rental": 39})
    assert minimal_amount(stock, _kind("build_private_rental"), RULES) == 53
    assert RULES.target.met(stock.moved(None, "owner_occupied", 53, RULES).share(RULES))
    assert not RULES.target.met(stock.moved(None, "owner_occupied", 52, RULES).share(RULES))
    assert minimal_amount(stock, _kind("build_almen_family"), RULES) is None


def test_the_issue_example_212_private_dwellings_or_141_demolitions() -> None:
    # 5F - 2T = 423: b = ceil(423 / 2) = 212; without counting demolished, d = ceil(423 / 3)
    stock = Stock({"almen_family": 501, "private_rental": 540})
    plain = _rules(demolished={"counted_in_total": False})
    assert minimal_amount(stock, _kind("build_private_rental"), plain) == 212
    assert minimal_amount(stock, _kind("demolish"), plain) == 141
    # commercial floor space: 212 dwellings = 212 * 75 m²
    assert minimal_amount(stock, _kind("add_commercial"), plain) == 212 * 75


@pytest.mark.parametrize(
    ("family", "others", "m2"), [(61, 39, 0), (1044, 145, 0), (501, 540, 74), (90, 10, 10)]
)
def test_what_if_answers_are_minimal(family: int, others: int, m2: int) -> None:
    stock = Stock({"almen_family": family, "private_rental": others}, commercial_m2=m2)
    for kind in RULES.measures:
        amount = minimal_amount(stock, kind, RULES)
        if amount is None:
            continue
        moved = stock.moved(kind.from_category, kind.to_category, amount, RULES)
        assert RULES.target.met(moved.share(RULES)), kind.id
        one_less = stock.moved(kind.from_category, kind.to_category, amount - 1, RULES)
        assert not RULES.target.met(one_less.share(RULES)), kind.id


def test_a_plan_counts_measures_from_the_next_1_january() -> None:
    plan = AreaPlan(
        area_id="A",
        measures=(
            Measure(kind="sell", date=dt.date(2024, 12, 31), dwellings=10),
            Measure(kind="convert_youth", date=dt.date(2026, 1, 1), dwellings=11, rehoused=4),
        ),
    )
    result = calculate(plan, 2024, Stock({"almen_family": 61, "owner_occupied": 39}), RULES)
    shares = {s.year: s.share for s in result.years}
    assert shares[2025] == shares[2024] - Fraction(10, 100)
    assert shares[2026] == Fraction(51, 100)
    assert shares[2027] == Fraction(40, 100)
    assert result.first_met_year == 2027
    assert result.met_at_deadline
    assert result.rehousing == {2024: 10, 2026: 4}
    assert result.additional == ()


def test_an_unmet_plan_lists_the_smallest_additional_measures() -> None:
    plan = AreaPlan(
        area_id="A", measures=(Measure(kind="sell", date=dt.date(2025, 1, 1), dwellings=1),)
    )
    result = calculate(plan, 2024, Stock({"almen_family": 61, "owner_occupied": 39}), RULES)
    assert not result.met_at_deadline
    amounts = {a.kind.id: a.amount for a in result.additional}
    assert amounts["sell"] == 20
    assert amounts["build_owner_occupied"] == 50  # 60 / (100 + 50) = 40 %
    assert amounts["build_almen_family"] is None


# -- plan files ---------------------------------------------------------------------------------


def _plan_file(tmp_path: Path, measures: str, baseline: str = "") -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "plans:\n  - area_id: A\n"
        + (baseline or "    baseline:\n      year: 2022\n      dwellings: {almen_family: 100}\n")
        + "    measures:\n"
        + measures,
        encoding="utf-8",
    )
    return path


def _problems(path: Path) -> list[Any]:
    with pytest.raises(InputError) as caught:
        UdviklingsplanFacet(Store.memory()).read_plans(path)
    return caught.value.problems


def test_a_measure_after_2030_is_refused_with_line_and_field(tmp_path: Path) -> None:
    path = _plan_file(tmp_path, "      - {kind: sell, date: 2030-03-01, dwellings: 5}\n")
    (problem,) = _problems(path)
    assert problem.file == str(path)
    assert problem.row == 7
    assert problem.column == "plans.0.measures.0.date"
    assert "deadline" in problem.text()


def test_negative_counts_are_refused(tmp_path: Path) -> None:
    path = _plan_file(tmp_path, "      - {kind: demolish, date: 2025-03-01, dwellings: -5}\n")
    (problem,) = _problems(path)
    assert (problem.row, problem.column) == (7, "plans.0.measures.0.dwellings")
    assert "greater than 0" in problem.text()


def test_selling_more_dwellings_than_exist_is_refused(tmp_path: Path) -> None:
    measures = (
        "      - {kind: demolish, date: 2024-03-01, dwellings: 30}\n"
        "      - {kind: sell, date: 2025-03-01, dwellings: 71}\n"
    )
    (problem,) = _problems(_plan_file(tmp_path, measures))
    assert (problem.row, problem.column) == (8, "plans.0.measures.1.dwellings")
    assert "only 70" in problem.text()


def test_plan_problems_read_danish_in_danish_and_english_in_english(tmp_path: Path) -> None:
    baseline = "    baseline:\n      year: 2022\n      dwellings: {almen_family: 1500}\n"
    measures = (
        "      - {kind: sell, date: 2025-03-01, dwellings: 2000}\n"
        "      - {kind: sell, date: 2030-03-01, dwellings: 5}\n"
        "      - {kind: add_commercial, date: 2024-03-01, dwellings: 3}\n"
    )
    path = _plan_file(tmp_path, measures, baseline)
    by_field = {p.column: p for p in _problems(path)}
    too_many = by_field["plans.0.measures.0.dwellings"]
    late = by_field["plans.0.measures.1.date"]
    unit = by_field["plans.0.measures.2.m2"]
    assert len(by_field) == 3
    assert too_many.render("da") == (
        f"{path}, linje 7, kolonne 'plans.0.measures.0.dwellings': sell af 2.000 boliger den "
        "2025-03-01, men området har da kun 1.500 i almen_family"
    )
    assert too_many.render("en") == (
        f"{path}, line 7, column 'plans.0.measures.0.dwellings': sell of 2,000 dwellings on "
        "2025-03-01, but the area then has only 1,500 in almen_family"
    )
    assert late.render("da") == (
        f"{path}, linje 8, kolonne 'plans.0.measures.1.date': tiltaget er dateret efter fristen "
        "(2030-01-01 er for sent)"
    )
    assert late.render("en") == (
        f"{path}, line 8, column 'plans.0.measures.1.date': measure dated after the deadline "
        "(2030-01-01 is too late)"
    )
    assert unit.render("da") == (
        f"{path}, linje 9, kolonne 'plans.0.measures.2.m2': add_commercial tælles kun i feltet 'm2'"
    )
    assert unit.render("en").endswith(": add_commercial is counted in the field 'm2' only")


def test_unknown_kinds_wrong_units_and_missing_stock_are_refused(tmp_path: Path) -> None:
    measures = (
        "      - {kind: bulldoze, date: 2024-03-01, dwellings: 3}\n"
        "      - {kind: add_commercial, date: 2024-03-01, dwellings: 3}\n"
    )
    problems = _problems(_plan_file(tmp_path, measures))
    assert [p.column for p in problems] == [
        "plans.0.measures.0.kind",
        "plans.0.measures.1.m2",
    ]
    no_stock = _plan_file(
        tmp_path, "      - {kind: sell, date: 2024-03-01, dwellings: 3}\n", "    notes: x\n"
    )
    (problem,) = _problems(no_stock)
    assert problem.column == "plans.0.area_id"


def test_excel_plans_name_sheet_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(
            [{"area_id": "A", "baseline_year": 2022, "almen_family": 100, "owner_occupied": 20}]
        ).to_excel(writer, sheet_name="plans", index=False)
        pd.DataFrame(
            [
                {"area_id": "A", "kind": "sell", "date": dt.date(2024, 1, 1), "dwellings": 50},
                {"area_id": "A", "kind": "sell", "date": dt.date(2031, 1, 1), "dwellings": 5},
            ]
        ).to_excel(writer, sheet_name="measures", index=False)
    (problem,) = _problems(path)
    assert (problem.row, problem.column) == (3, "measures: date")
    assert problem.render("da") == (
        f"{path}, række 3, kolonne 'measures: date': tiltaget er dateret efter fristen "
        "(2030-01-01 er for sent)"
    )
    ok = tmp_path / "ok.xlsx"
    with pd.ExcelWriter(ok) as writer:
        pd.read_excel(path, sheet_name="plans").to_excel(writer, sheet_name="plans", index=False)
        pd.read_excel(path, sheet_name="measures").head(1).to_excel(
            writer, sheet_name="measures", index=False
        )
    (plan,) = UdviklingsplanFacet(Store.memory()).read_plans(ok)
    assert plan.baseline is not None and plan.baseline.dwellings["owner_occupied"] == 20
    # 50 of 120 family after the sale: 5/12 > 40 %
    result = UdviklingsplanFacet(Store.memory()).result("A", plan)
    assert result.at_deadline.share == Fraction(50, 120)


# -- examples, obligations, outputs -------------------------------------------------------------


def test_the_public_mjoelnerparken_plan_meets_the_requirement_from_2025() -> None:
    facet = UdviklingsplanFacet(Store.memory())
    facet.load_plans(EXAMPLES / "mjoelnerparken.yaml")
    result = facet.result("Mjølnerparken")
    # 466 - 260 = 206 family of 466 + 34 + 41 = 541 dwellings
    assert result.at_deadline.share == Fraction(206, 541)
    assert result.first_met_year == 2025
    assert result.rehousing == {2023: 260}


def test_published_lists_give_the_obliged_areas_including_those_that_left() -> None:
    facet = UdviklingsplanFacet(Store.memory())
    facet.load_plans(EXAMPLES / "mjoelnerparken.yaml")
    frame = facet.obligations(published_memberships()).set_index("area_id")
    assert frame.loc["Mjølnerparken", "status"] == "left_list"  # last on a list in 2022
    assert frame.loc["Mjølnerparken", "flag"] == ""
    assert frame.loc["Vollsmose", "status"] == "on_list"
    assert frame.loc["Vollsmose", "flag"] == "missing_plan"
    assert frame.loc["Agervang", "first_year"] == 2018  # hårdt ghettoområde 2018
    stray = pd.DataFrame({"area_id": ["X"], "year": [2023], "designation": ["udsat_boligomraade"]})
    flagged = facet.obligations(pd.concat([published_memberships(), stray])).set_index("area_id")
    assert "X" not in flagged.index
    assert set(facet.obligations(stray)["flag"]) == {"plan_not_required"}


def test_stock_from_synthetic_microdata_counts_dwellings_by_tenure(tmp_path: Path) -> None:
    from boligmonitor.schema.microdata import load_microdata
    from boligmonitor.synth.generate import generate

    generate(tmp_path, "city", years=(2021,), seed=5, persons=20_000, progress=False)
    microdata = load_microdata(tmp_path, validate=False)
    frame = stock_from_microdata(microdata, 2022, RULES)
    dwellings = microdata.tables["dwellings"].to_pandas()
    departments = microdata.tables["departments"].to_pandas()
    joined = dwellings.merge(departments, on="department_id").dropna(subset=["area_id"])
    expected = joined.groupby("area_id")["tenure"].value_counts().unstack(fill_value=0)
    got = frame.set_index("area_id")
    for category in ("almen_family", "almen_elderly", "almen_youth"):
        assert got[category].to_dict() == expected[category].to_dict()
    assert (got["year"] == 2022).all()


def test_the_status_workbook_has_share_formulas_and_no_formula_from_names(tmp_path: Path) -> None:
    plan = AreaPlan(
        area_id="A",
        area_name='=HYPERLINK("http://x")',
        measures=(Measure(kind="sell", date=dt.date(2025, 1, 1), dwellings=21, note="-3 cmd"),),
    )
    result = calculate(plan, 2024, Stock({"almen_family": 61, "owner_occupied": 39}), RULES)
    path = write_status_workbook(tmp_path / "status.xlsx", [result], RULES, "da")
    book = openpyxl.load_workbook(path)
    assert book["Status"]["A4"].value == "Område-id"
    area = book["Område 1"]
    assert area["A1"].data_type == "s" and area["A1"].value.startswith("=HYPERLINK")
    header = [c.value for c in area[3]]
    share_col = header.index("Andel almene familieboliger") + 1
    formula = area.cell(row=4, column=share_col).value
    assert formula.startswith("=IF(") and area.cell(row=4, column=share_col).number_format == "0.0%"
    met_col = header.index("Højst 40 %") + 1
    assert "*5<=2*" in area.cell(row=5, column=met_col).value
    tiltag = book["Tiltag"]
    assert tiltag["G2"].value == "-3 cmd" and tiltag["G2"].data_type == "s"


def test_cli_show_what_if_and_bad_plan(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    plan = EXAMPLES / "mjoelnerparken.yaml"
    out = tmp_path / "m.json"
    shown = run_cli("udviklingsplan", "show", "Mjølnerparken", "--plan", plan, "--out", out)
    assert shown.code == 0, shown.err
    record = json.loads(out.read_text(encoding="utf-8"))[0]
    assert record["share_at_deadline_exact"] == "206/541"
    assert "Kravet er opfyldt fra 1. januar 2025" in shown.out
    what = run_cli(
        "udviklingsplan", "what-if", "Mjølnerparken", "--plan", plan,
        "--add", "build_almen_family=200@2026-01-01",
    )  # fmt: skip
    assert what.code == 0
    assert "Mindste yderligere tiltag" in what.out
    bad = _plan_file(tmp_path, "      - {kind: sell, date: 2024-03-01, dwellings: 500}\n")
    refused = run_cli("udviklingsplan", "check", "--plan", bad)
    assert refused.code == 2
    assert "men området har da kun 100 i almen_family" in refused.err


def test_dashboard_pages_and_api(tmp_path: Path) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from boligmonitor.web import udviklingsplan
    from boligmonitor.web.state import NotFound, WebState
    from boligmonitor.workspace import Workspace

    workspace = Workspace.memory()
    workspace.udviklingsplaner.load_plans(EXAMPLES / "mjoelnerparken.yaml")
    app = FastAPI()
    app.include_router(udviklingsplan.router)
    app.state.web = WebState(workspace)
    client = TestClient(app)
    page = client.get("/udviklingsplaner/Mjølnerparken")
    assert page.status_code == 200
    assert "share-chart-spec" in page.text and "38,1" in page.text
    overview = client.get("/udviklingsplaner")
    assert 'data-area-id="Vollsmose" data-flag="missing_plan"' in overview.text
    api = client.get("/api/v1/udviklingsplaner/Mjølnerparken").json()
    assert api["first_met_year"] == 2025
    with pytest.raises(NotFound):
        client.get("/api/v1/udviklingsplaner/Nowhere")


def test_the_demo_example_on_the_synthetic_city_is_met_from_2028(tmp_path: Path) -> None:
    """The worked example's figures; needs the demo city's BO0005 stock (1 044 / 83 / 62)."""
    facet = UdviklingsplanFacet(Store.memory())
    stock = pd.DataFrame(
        [{"area_id": "BO0005", "year": 2022, "almen_family": 1044, "almen_elderly": 83,
          "almen_youth": 62}]
    )  # fmt: skip
    path = tmp_path / "stock.csv"
    stock.to_csv(path, index=False)
    facet.load_stock(path)
    facet.load_example()
    result = facet.result("BO0005")
    assert [s.share for s in result.years][::2] == [
        Fraction(1044, 1189), Fraction(924, 1189), Fraction(574, 1189), Fraction(574, 1469),
        Fraction(574, 1469),
    ]  # fmt: skip
    assert result.first_met_year == 2028
    assert result.rehousing == {2023: 120, 2024: 138, 2025: 200}


def test_the_status_workbook_in_english(tmp_path: Path) -> None:
    plan = AreaPlan(
        area_id="A",
        area_name="Parken",
        measures=(Measure(kind="sell", date=dt.date(2025, 1, 1), dwellings=21),),
    )
    result = calculate(plan, 2024, Stock({"almen_family": 61, "owner_occupied": 39}), RULES)
    books = {
        lang: openpyxl.load_workbook(
            write_status_workbook(tmp_path / f"{lang}.xlsx", [result], RULES, lang)
        )
        for lang in ("da", "en")
    }
    assert books["da"].sheetnames == ["Status", "Område 1", "Tiltag"]
    assert books["en"].sheetnames == ["Status", "Area 1", "Measures"]
    for lang, words in (("da", '"Ja","Nej"'), ("en", '"Yes","No"')):
        area = books[lang].worksheets[1]
        met_col = len([c for c in area[3] if c.value is not None]) - 1
        assert area.cell(row=4, column=met_col).value.endswith(f",{words})")
