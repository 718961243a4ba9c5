"""The published record: reproduction of 2010-2017, history as input, regimes, reconciliation."""

from __future__ import annotations

import csv
import datetime as dt
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from boligmonitor.errors import InputError
from boligmonitor.record.data import official_lists
from boligmonitor.record.facet import RecordFacet
from boligmonitor.record.identity import AreaCatalogue
from boligmonitor.record.reconcile import published_members, reconcile, record_statistics
from boligmonitor.rules.evaluate import evaluate
from boligmonitor.rules.registry import (
    load_rules_dir,
    regime_for_date,
    regime_in_force,
    resolve_rule_set,
    shipped_rule_sets,
)
from boligmonitor.schema.area_statistics import read_area_statistics
from boligmonitor.store import Store
from boligmonitor.workspace import Workspace
from tests.conftest import CliResult

FAMILY = "almenboligloven-61a"


@pytest.fixture(scope="module")
def catalogue() -> AreaCatalogue:
    return AreaCatalogue.packaged()


def _lists_with_values() -> list[tuple[int, str]]:
    frame = official_lists()
    frame = frame[(frame["list_year"] <= 2017) & frame["labour_pct"].notna()]
    return sorted(
        {(int(y), str(d)) for y, d in zip(frame["list_year"], frame["list_date"], strict=False)}
    )


def test_every_2010_2017_list_is_reproduced_under_the_regime_of_its_date(
    catalogue: AreaCatalogue,
) -> None:
    lists = _lists_with_values()
    assert ("2013", "2013-12-01") not in lists  # derived membership, no values: not testable
    disagreements = {}
    for year, date in lists:
        regime = regime_for_date(dt.date.fromisoformat(date), FAMILY)
        assert regime is not None
        statistics = record_statistics(catalogue, year, date)
        results = evaluate(statistics, year, [regime])
        members, _ = published_members(catalogue, year, date)
        rows = reconcile(results, members, ["ghettoomraade"], {regime.id: regime})
        for row in rows:
            if row.verdict != "agree" and row.causes != ("no statistics for the area",):
                disagreements[(date, row.area_id)] = row
        agreed = sum(r.verdict == "agree" for r in rows)
        assert agreed >= len(members) - 1, date
        if date == "2013-10-01":
            assert regime.id == "dk-2010"  # the October 2013 list is under the 2010 rules
    # 2012 Ringparken is the one known disagreement of the source: 1 of 3 criteria met.
    assert list(disagreements) == [("2012-10-01", "ringparken-slagelse")]
    ringparken = disagreements[("2012-10-01", "ringparken-slagelse")]
    assert ringparken.verdict == "only_published"
    assert any("crime: not met (2.64 vs 2.7" in c for c in ringparken.causes)
    assert any("ethnicity: not met" in c for c in ringparken.causes)


def test_areas_that_left_a_list_are_computed_off_it(catalogue: AreaCatalogue) -> None:
    regime = resolve_rule_set("dk-2013")
    statistics = record_statistics(catalogue, 2015, "2015-12-01")
    results = {r.area_id: r for r in evaluate(statistics, 2015, [regime])}
    assert results["trigeparken-aarhus"].designations == []  # left the 2015 list
    assert "ghettoomraade" in results["ringparken-slagelse"].designations


def _one_area(facet: RecordFacet, year: int, area_id: str) -> pd.DataFrame:
    statistics = facet.record_statistics(year)
    return statistics[statistics["area_id"] == area_id]


def test_published_history_gives_haardt_ghettoomraade_and_omdannelse() -> None:
    facet = RecordFacet(Store.memory())
    ringparken = _one_area(facet, 2019, "ringparken-slagelse")
    taastrup = _one_area(facet, 2023, "taastrupgaard-hoeje-taastrup")
    assert pd.isna(ringparken["residents"].iloc[0])  # only "at least 1 000" is known
    without = facet.designate(ringparken, 2019)[0]
    assert "haardt_ghettoomraade" in without.designations_unknown
    assert "omdannelsesomraade" in facet.designate(taastrup, 2023)[0].designations_unknown
    facet.load_history("official")
    hard = facet.designate(ringparken, 2019)[0]
    assert "haardt_ghettoomraade" in hard.designations
    statuses = hard.history["haardt_ghettoomraade"]
    assert [(s.year, s.held, s.origin) for s in statuses] == [
        (2015, True, "published"),
        (2016, True, "published"),
        (2017, True, "published"),
        (2018, True, "derived"),  # the 2018 membership is derived from counts: said so
        (2019, True, "computed"),
    ]
    transformed = facet.designate(taastrup, 2023)[0]
    assert "omdannelsesomraade" in transformed.designations
    assert [s.year for s in transformed.history["omdannelsesomraade"]] == list(range(2019, 2024))


def test_history_file_with_danish_headings_and_published_deciding(tmp_path: Path) -> None:
    facet = RecordFacet(Store.memory())
    path = tmp_path / "historik.csv"
    rows = [("Tåstrupgård", year, "Parallelsamfund") for year in (2021, 2022)]
    rows += [("Tåstrupgård", year, "ghettoområde") for year in (2019, 2020)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Område", "År", "Udpegning"])
        writer.writerows(rows)
    facet.load_history(path)
    result = facet.designate(_one_area(facet, 2023, "taastrupgaard-hoeje-taastrup"), 2023)[0]
    assert "omdannelsesomraade" in result.designations
    assert {s.origin for s in result.history["omdannelsesomraade"][:-1]} == {"file"}
    bad = tmp_path / "bad.csv"
    bad.write_text("område;udpegning\nTåstrupgård;hård\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        facet.load_history(bad)
    fields = {p.column for p in caught.value.problems}
    assert fields == {"designation", "year"}


def _regime_file(folder: Path, name: str, first: str, last: str | None) -> Path:
    source = next(s for s in shipped_rule_sets() if s.id == "dk-2021")
    data = source.model_dump(mode="json", exclude_none=True)
    year = int(first[:4])
    data.update(
        {"id": name, "version": "1", "list_years": [year, None], "list_dates": [first, last]}
    )
    data["criteria"][0]["threshold"] = 35  # a changed labour criterion
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_user_regime_becomes_the_default_from_its_first_list_date(tmp_path: Path) -> None:
    _regime_file(tmp_path / "rules", "dk-2026", "2026-12-01", None)
    known = load_rules_dir(tmp_path / "rules")
    assert regime_in_force(2026, FAMILY, known).id == "dk-2026"  # type: ignore[union-attr]
    assert regime_in_force(2030, FAMILY, known).id == "dk-2026"  # type: ignore[union-attr]
    assert regime_in_force(2025, FAMILY, known).id == "dk-2021"  # type: ignore[union-attr]


def test_overlapping_regime_files_are_refused_naming_both(tmp_path: Path) -> None:
    first = _regime_file(tmp_path / "rules", "a-2026", "2026-12-01", "2028-12-01")
    second = _regime_file(tmp_path / "rules", "b-2027", "2027-12-01", None)
    with pytest.raises(InputError) as caught:
        load_rules_dir(tmp_path / "rules")
    text = str(caught.value)
    assert str(first) in text and str(second) in text and "overlaps" in text


def test_a_gap_between_regimes_is_refused(tmp_path: Path) -> None:
    _regime_file(tmp_path / "rules", "a-2026", "2026-12-01", "2026-12-01")
    _regime_file(tmp_path / "rules", "b-2028", "2028-12-01", None)
    with pytest.raises(InputError, match="governs the list of 2027-12-01"):
        load_rules_dir(tmp_path / "rules")


def _statistics(tmp_path: Path, **values: object) -> pd.DataFrame:
    row = {
        "area_id": "A",
        "year": 2022,
        "residents": 2000,
        "labour_pct": 45.0,
        "crime_pct": 0.5,
        "crime_national_pct": 0.7,
        "education_pct": 20.0,
        "income_pct_of_region": 50.0,
        "nonwestern_pct": 55.0,
        "outside_labour_pct": 10.0,
        **values,
    }
    path = tmp_path / "a.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return read_area_statistics(path)


def test_forebyggelse_practice_is_the_default_and_the_other_reading_an_option(
    tmp_path: Path,
) -> None:
    frame = _statistics(tmp_path)
    default = evaluate(frame, 2022, [resolve_rule_set("dk-2021")])[0]
    assert default.designations == ["udsat_boligomraade", "parallelsamfund"]
    overlap = evaluate(frame, 2022, [resolve_rule_set("dk-2021:forebyggelse_overlap")])[0]
    assert overlap.designations == ["udsat_boligomraade", "parallelsamfund", "forebyggelsesomraade"]
    rule_file = Path(next(s for s in shipped_rule_sets() if s.id == "dk-2021").source)
    assert "mondaq.com" in rule_file.read_text(encoding="utf-8")  # the practice's source


def test_residents_known_only_as_a_lower_bound(tmp_path: Path) -> None:
    at_least = _statistics(tmp_path, residents="", residents_min=1000)
    result = evaluate(at_least, 2022, [resolve_rule_set("dk-2021")])[0]
    assert result.designations == ["udsat_boligomraade", "parallelsamfund"]
    assert result.residents_at_least == 1000 and result.below_population_minimum is False
    unknown = _statistics(tmp_path, residents="")
    result = evaluate(unknown, 2022, [resolve_rule_set("dk-2021")])[0]
    assert "parallelsamfund" in result.designations_unknown


def test_record_national_crime_average_fills_a_file_without_crime_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "area_id,year,residents,labour_pct,crime_pct,education_pct,income_pct_of_region,"
        "nonwestern_pct\nA,2023,1500,45,2.35,20,90,55\nB,2021,1500,45,2.35,20,90,55\n",
        encoding="utf-8",
    )
    with pytest.warns(UserWarning, match=r"2023 list is used: 0.783 %.*dingeo"):
        frame = read_area_statistics(path)
    result = evaluate(frame, 2023, [resolve_rule_set("dk-2021")])[0]
    assert result.criteria["crime"].threshold == pytest.approx(2.349)
    # 2021: the record has no threshold; it stays unknown.
    assert pd.isna(frame.loc[frame["year"] == 2021, "crime_national_pct"]).all()


def test_explain_says_threshold_unknown_and_where_history_came_from(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "area_id,area_name,year,residents,labour_pct,crime_pct,education_pct,"
        "income_pct_of_region,nonwestern_pct\n"
        "T,Tåstrupgård,2023,1587,26.7,1.62,77.3,54.2,66.4\n"
        "T,Tåstrupgård,2021,1587,26.7,1.62,77.3,54.2,66.4\n",
        encoding="utf-8",
    )
    result = run_cli("explain", "T", path, "--year", "2021", "--history", "official")
    assert result.code == 0, result.err
    assert "grænseværdi ukendt" in result.out
    result = run_cli("explain", "T", path, "--year", "2023", "--history", "official")
    assert "Forløb for omdannelsesområde: 2019 ja (offentliggjort" in result.out
    assert "2021 ja (afledt af de offentliggjorte lister; beregnet: ja)" in result.out
    assert "Hvor der findes en offentliggjort liste" in result.out


def test_lists_history_follows_a_rename(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("lists", "history", "Grønneparken")
    assert result.code == 0, result.err
    assert "agervang-holbaek" in result.out
    assert "Agervang mv." in result.out and "Agervang (Grønneparken)" in result.out
    kvaglund = run_cli("lists", "history", "Kvaglund")
    assert "Hedelundgårdparken" in kvaglund.out and "Kvaglund" in kvaglund.out
    split = run_cli("lists", "history", "Hybenhaven, Slåenhaven og Tjørnehaven")
    assert "via vollsmose-odense" in split.out


def test_lists_filters_and_marks_derived(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    out = tmp_path / "lists.csv"
    result = run_cli("lists", "--year", "2021", "--designation", "parallelsamfund", "--out", out)
    assert result.code == 0, result.err
    frame = pd.read_csv(out)
    assert len(frame) == 12 and set(frame["designation"]) == {"parallelsamfund"}
    assert "12 af 12" in result.out
    assert (~frame.loc[frame["evidence"].str.startswith("derived"), "published"]).all()


def test_reconcile_lists_every_kind_of_disagreement_with_its_cause(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    # Hand-built 2019 statistics: Ringparken agrees (ghetto), Agervang only published
    # (labour 39), a made-up area only computed, Ringparken hårdt needs history.
    header = (
        "area_id,area_name,year,residents,labour_pct,crime_pct,crime_national_pct,"
        "education_pct,income_pct_of_region,nonwestern_pct,outside_labour_pct\n"
    )
    path = tmp_path / "s.csv"
    path.write_text(
        header
        + 'R,"Ringparken, Slagelse",2019,1900,41.2,2.07,0.66,70.2,57.7,57,10\n'
        + "AG,Agervang,2019,1450,39,1.0,0.66,50,60,60,10\n"
        + "X,Nyparken,2019,1200,45,2.5,0.66,65,50,60,10\n",
        encoding="utf-8",
    )
    listed = tmp_path / "liste.csv"
    listed.write_text(
        "område,år,udpegning\nRingparken,2019,ghettoområde\nAgervang,2019,ghettoområde\n"
        "Ringparken,2019,hårdt ghettoområde\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    result = run_cli("reconcile", path, "--year", "2019", "--list", listed, "--out", out)
    assert result.code == 0, result.err
    import json

    rows = {(r["area_id"], r["designation"]): r for r in json.loads(out.read_text())}
    assert rows[("R", "ghettoomraade")]["verdict"] == "agree"
    assert rows[("AG", "ghettoomraade")]["verdict"] == "only_published"
    assert any("labour: not met" in c for c in rows[("AG", "ghettoomraade")]["causes"])
    assert rows[("X", "ghettoomraade")]["verdict"] == "only_computed"
    assert any("crime: met" in c for c in rows[("X", "ghettoomraade")]["causes"])
    hard = rows[("R", "haardt_ghettoomraade")]
    assert hard["verdict"] == "only_published"
    assert any(c.startswith("history 2015: unknown") for c in hard["causes"])


def test_a_users_names_file_extends_area_identity(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    names = tmp_path / "navne.yaml"
    names.write_text(
        "areas:\n"
        "  - id: mit-omraade\n"
        "    municipality: Testrup\n"
        "    names:\n"
        "      - {name: Gamle Gård, years: [2010, 2019]}\n"
        "      - {name: Nye Gård, years: [2020, null]}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "ws"
    result = run_cli("lists", "names", names, "-w", folder)
    assert result.code == 0, result.err
    with Workspace.open(folder, read_only=True) as ws:
        assert ws.record.resolve("Gamle Gård") == ws.record.resolve("Nye Gård") == "mit-omraade"
