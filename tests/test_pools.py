"""State pools and initiative agreements (seed 002): exact shares, the seed's amounts, checks."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from boligmonitor.data import data_path
from boligmonitor.errors import InputError
from boligmonitor.finance.pools import agreement_finance, area_funding, pool_allocation
from boligmonitor.finance.pools_catalogue import SHIPPED_POOLS, load_pool_catalogue, shipped_pools
from boligmonitor.finance.pools_facet import PoolsFacet
from boligmonitor.finance.pools_model import Pool
from boligmonitor.monitor.goals.lists import published_memberships
from boligmonitor.store import Store, Table

AGREEMENT = "kk-initiativaftale-2011"
POOL = "strategisk-samarbejde-2011"
MIO = 100_000_000  # øre


@pytest.fixture(scope="module")
def finance() -> Any:
    return agreement_finance(shipped_pools(), AGREEMENT, published_memberships())


def test_pool_of_80_mio_adds_up_exactly_over_the_17_municipalities() -> None:
    pool = shipped_pools().pool(POOL)
    assert pool is not None
    shares = pool_allocation(pool, published_memberships())
    assert len(shares) == 17
    assert sum(s.amount for s in shares) == 80 * MIO
    copenhagen = next(s for s in shares if s.municipality == "København")
    # 80 mio. × 20 524 / 67 846 residents = 24 200 689,797… kr.; rounded up by largest remainder
    assert copenhagen.weight == 20_524
    assert copenhagen.amount == 2_420_068_980
    assert copenhagen.published == 2_347_600_000
    assert copenhagen.difference == 72_468_980  # 724 689,80 kr. above the seed's 23,476 mio.


def test_fixed_shares_split_by_largest_remainder() -> None:
    pool = Pool.model_validate(
        {
            "id": "p",
            "name": "P",
            "total": "0.001",
            "start_year": 2011,
            "end_year": 2011,
            "key": {"kind": "fixed_shares", "shares": {"A": "0.5", "B": "0.25", "C": "0.25"}},
        }
    )
    shares = {s.municipality: s.amount for s in pool_allocation(pool, published_memberships())}
    assert shares == {"A": 50, "B": 25, "C": 25}


def test_the_seeds_yearly_amounts(finance: Any) -> None:
    items = {i.initiative.id: i for i in finance.initiatives}
    north_west = items["arbejdsmarked-nordvest"]
    assert north_west.applied == dict.fromkeys(range(2011, 2015), 195 * MIO // 100)
    assert north_west.applied_total == 780 * MIO // 100 and north_west.municipal_total == 0
    assert len(north_west.initiative.areas) == 6
    south_west = items["profilinstitutioner-sydvest"]
    assert south_west.applied == dict.fromkeys(range(2011, 2015), 3_925 * MIO // 1000)
    assert south_west.applied_total == 1_570 * MIO // 100
    assert south_west.initiative.areas == ["Sjælør Boulevard"]


def test_tv_surveillance_co_financing(finance: Any) -> None:
    tv = finance.by_pool("tv-overvaagning-2011")
    assert {i.initiative.id: i.applied_total // 100 for i in tv} == {
        "tv-tingbjerg": 280_000,
        "tv-aldersrogade": 63_000,
        "tv-hothers-plads": 50_000,
    }
    assert all(i.municipal_total == i.applied_total for i in tv)  # 50 % co-financing
    cost, municipal = finance.by_cofinancing_source()["Kickstart 2011"]
    assert (cost, municipal) == (66 * MIO // 100, 33 * MIO // 100)  # 0,66 and 0,33 mio. kr.


def test_seven_of_ten_areas_covered(finance: Any) -> None:
    assert len(finance.agreement.areas) == 10
    assert len(finance.covered_areas) == 7
    assert finance.uncovered_areas == ["Akacieparken", "Blågården", "Hørgården"]
    assert set(finance.agreement.other_efforts) == set(finance.uncovered_areas)


def test_applications_checked_against_the_shares(finance: Any) -> None:
    checks = {c.pool.id: c for c in finance.checks}
    strategic = checks[POOL]
    assert strategic.applied == 2_350_000_000  # 7,8 + 15,7 mio. kr.
    assert strategic.within and strategic.limit == 2_420_068_980
    assert strategic.within_published is False  # 24 000 kr. above the printed 23,476 mio.
    assert strategic.applied - (strategic.published_limit or 0) == 2_400_000
    assert checks["tv-overvaagning-2011"].within


def test_area_funding() -> None:
    funded = area_funding(shipped_pools(), "Mjølnerparken")
    assert [f.initiative for f in funded] == ["arbejdsmarked-nordvest", "tv-hothers-plads"]
    other = area_funding(shipped_pools(), "Hørgården")
    assert len(other) == 1 and other[0].pool is None
    assert area_funding(shipped_pools(), "Gellerupparken/Toveshøj") == []


def _write(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load(data_path(*SHIPPED_POOLS).read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    change(data)
    path = tmp_path / "pools.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as caught:
        load_pool_catalogue(path)
    return [(p.row, p.column, p.text()) for p in caught.value.problems]


def test_unknown_pool_and_foreign_area_are_named_with_line(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["agreements"][0]["initiatives"][1]["pool"] = "nope"
        data["agreements"][0]["initiatives"][0]["areas"].append("Gellerupparken")

    problems = _problems(_write(tmp_path, change))
    fields = {column: (row, message) for row, column, message in problems}
    assert "unknown pool 'nope'" in fields["agreements.0.initiatives.1.pool"][1]
    assert "Gellerupparken" in fields["agreements.0.initiatives.0.areas.6"][1]
    assert all(row is not None for row, _, _ in problems)


def test_period_shares_and_negative_amounts(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["agreements"][0]["initiatives"][0]["yearly"][2016] = 10
        data["pools"][0]["key"] = {"kind": "fixed_shares", "shares": {"København": 0.5}}
        data["agreements"][0]["initiatives"][2]["yearly"][2011] = -1

    problems = _problems(_write(tmp_path, change))
    assert len(problems) == 1 and "greater than or equal to 0" in problems[0][2]
    problems = _problems(_write(tmp_path, lambda d: change(d) or _fix_negative(d)))
    messages = " | ".join(m for _, _, m in problems)
    assert "year 2016 is outside" in messages and "add up to 0.5, not 1" in messages


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_cross_record_problems_read_danish_in_danish_and_english_in_english(
    tmp_path: Path,
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["pools"][0]["key"] = {"kind": "fixed_shares", "shares": {"København": 0.5}}
        data["pools"][1]["cofinancing_rate"] = 0.3
        data["agreements"][0]["initiatives"][2]["yearly"] = {2011: 1234.5}

    path = _write(tmp_path, change)
    with pytest.raises(InputError) as caught:
        load_pool_catalogue(path)
    by_field = {p.column: p for p in caught.value.problems}
    shares = by_field["pools.0.key.shares"]
    line = _line_of(path, "København: 0.5")
    assert shares.render("da") == (
        f"{path}, linje {line}, kolonne 'pools.0.key.shares': de faste andele summerer til 0,5, "
        "ikke 1"
    )
    assert shares.render("en") == (
        f"{path}, line {line}, column 'pools.0.key.shares': fixed shares add up to 0.5, not 1"
    )
    ore = by_field["agreements.0.initiatives.2.yearly.2011"]
    line = _line_of(path, "2011: 1234.5")
    assert ore.render("da") == (
        f"{path}, linje {line}, kolonne 'agreements.0.initiatives.2.yearly.2011': "
        "medfinansieringen af 1.234,5 tusind kr. med satsen 0,3 giver ikke et helt antal øre"
    )
    assert ore.render("en") == (
        f"{path}, line {line}, column 'agreements.0.initiatives.2.yearly.2011': "
        "the co-financing of 1,234.5 thousand kr. at the rate 0.3 is not a whole number of øre"
    )


def _fix_negative(data: dict[str, Any]) -> None:
    data["agreements"][0]["initiatives"][2]["yearly"][2011] = 280


def test_facet_stores_a_valid_file_and_nothing_on_error(tmp_path: Path) -> None:
    store = Store.memory()
    facet = PoolsFacet(store)
    assert facet.catalogue() == shipped_pools()
    bad = _write(tmp_path, lambda d: d["agreements"][0]["initiatives"][0].update(pool="x"))
    with pytest.raises(InputError):
        facet.load(bad)
    assert not store.has(Table.POOL_CATALOGUE)
    good = _write(tmp_path, lambda d: d["pools"][1].update(total=12000))
    facet.load(good)
    assert facet.catalogue().pools[1].total == 12000
    assert sum(s.amount for s in facet.allocation(POOL)) == 80 * MIO
    store.close()


def test_workbook_input_with_sheet_and_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    pools = book.active
    pools.title = "puljer"
    pools.append(["id", "name", "total", "start_year", "end_year", "key", "cofinancing_rate"])
    pools.append(["tv", "TV", 10000, 2011, 2014, "applications", 0.5])
    agreements = book.create_sheet("aftaler")
    agreements.append(["id", "name", "municipality", "start_year", "end_year", "areas"])
    agreements.append(["kk", "KK", "København", 2011, 2014, "Tingbjerg; Aldersrogade"])
    initiatives = book.create_sheet("initiativer")
    initiatives.append(["agreement", "id", "name", "pool", "areas", 2011, 2012])
    initiatives.append(["kk", "tv-t", "TV Tingbjerg", "tv", "Tingbjerg", 280, None])
    initiatives.append(["kk", "tv-a", "TV Aldersrogade", "tvx", "Aldersrogade", 63, 10])
    path = tmp_path / "pools.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_pool_catalogue(path)
    [problem] = caught.value.problems
    assert "[initiativer]" in problem.file and problem.row == 3 and problem.column == "pool"
    assert (
        problem.render("da") == f"{path} [initiativer], række 3, kolonne 'pool': ukendt pulje 'tvx'"
    )
    assert problem.render("en") == f"{path} [initiativer], row 3, column 'pool': unknown pool 'tvx'"
    initiatives.cell(row=3, column=4, value="tv")
    book.save(path)
    catalogue = load_pool_catalogue(path)
    finance = agreement_finance(catalogue, "kk", published_memberships())
    assert [i.municipal_total for i in finance.initiatives] == [28_000_000, 7_300_000]


def test_cli_allocate_and_finance(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "shares.json"
    result = run_cli("pool", "allocate", POOL, "--out", out)
    assert result.code == 0 and "80,000" in result.out and "724.689,80" in result.out
    shares = json.loads(out.read_text(encoding="utf-8"))
    assert len(shares) == 17
    result = run_cli("agreement", "finance", AGREEMENT)
    assert result.code == 0 and "0,66 mio. kr." in result.out and "0,33 mio. kr." in result.out
    assert run_cli("agreement", "show", AGREEMENT).code == 0
    assert run_cli("pool", "show").code == 0
    bad = _write(tmp_path, lambda d: d["pools"][0].update(end_year=2000))
    result = run_cli("pool", "show", "--pools", bad)
    assert result.code == 2 and "end_year" in result.err


def test_dashboard_page(web_client: Any) -> None:
    response = web_client.get("/pools?lang=da")
    assert response.status_code == 200
    text = response.text
    assert "Puljer og aftaler" in text and "24,201" in text and "23,476" in text
    assert "Initiativer i 7 af 10 områder" in text and "usikker" in text
    english = web_client.get("/pools?lang=en").text
    assert "Pools and agreements" in english and "24.201" in english
