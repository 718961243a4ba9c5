"""Rule sets are data: shipped YAML, users' own files and clear errors for broken ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from boligmonitor.errors import InputError
from boligmonitor.rules.registry import load_rule_set_file, regime_in_force, shipped_rule_sets
from tests.conftest import CliResult

DESIGNATION_IDS = {
    "ghettoomraade",
    "udsat_boligomraade",
    "haardt_ghettoomraade",
    "parallelsamfund",
    "omdannelsesomraade",
    "forebyggelsesomraade",
    "kombineret_udlejning",
}


def test_shipped_rule_sets_cover_every_regime_and_designation() -> None:
    ids = {s.id for s in shipped_rule_sets()}
    assert ids == {"dk-2010", "dk-2013", "dk-2018", "dk-2021", "dk-51b"}
    designations = {d.id for s in shipped_rule_sets() for d in s.designations}
    assert designations == DESIGNATION_IDS
    for year, expected in (
        (2010, "dk-2010"),
        (2013, "dk-2013"),
        (2017, "dk-2013"),
        (2018, "dk-2018"),
        (2020, "dk-2018"),
        (2021, "dk-2021"),
        (2030, "dk-2021"),
    ):
        regime = regime_in_force(year, "almenboligloven-61a")
        assert regime is not None and regime.id == expected
    assert regime_in_force(2009, "almenboligloven-61a") is None


def test_comparisons_follow_the_law_s_words() -> None:
    by_id = {s.id: s for s in shipped_rule_sets()}
    rules_2021 = by_id["dk-2021"]
    assert rules_2021.criterion("labour").comparison.value == "gt"  # "overstiger"
    assert rules_2021.criterion("crime").comparison.value == "ge"  # "udgør mindst"
    assert rules_2021.criterion("income").comparison.value == "lt"  # "mindre end"
    assert rules_2021.criterion("crime").threshold_relative is not None
    assert rules_2021.criterion("crime_forebyggelse").threshold_relative.factor == 2  # type: ignore[union-attr]
    assert by_id["dk-51b"].criterion("outside_labour").comparison.value == "ge"
    assert by_id["dk-2010"].criterion("labour").averaging_years == 4
    assert by_id["dk-2018"].criterion("labour").averaging_years == 2


def _user_rules(tmp_path: Path, **changes: object) -> Path:
    source = next(s for s in shipped_rule_sets() if s.id == "dk-2021")
    data = source.model_dump(mode="json", exclude_none=True)
    data.update({"id": "min-kommune", "version": "1", **changes})
    path = tmp_path / "min-kommune.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_users_rule_file_is_used(
    tmp_path: Path, run_cli: Callable[..., CliResult], mimerskvarter_csv: Path
) -> None:
    data = yaml.safe_load(_user_rules(tmp_path).read_text(encoding="utf-8"))
    data["population_minimum"] = 300  # a municipality's own, lower floor
    path = tmp_path / "lav-graense.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_cli("designate", mimerskvarter_csv, "--rules", path, "--out", out)
    assert result.code == 0, result.err
    records = {r["area_id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert records["VIBO 108"]["rule_set"] == "min-kommune"
    # 2021 rules: crime ≥ 3 × and income < 55 % with 69.6 % non-western; an udsat area is not
    # also listed as a forebyggelsesområde (the ministry's practice, kept in the copied file).
    assert records["VIBO 108"]["designations"] == ["udsat_boligomraade", "parallelsamfund"]
    assert records["VIBO 142"]["below_population_minimum"] is True


def test_malformed_rule_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = _user_rules(tmp_path)
    text = path.read_text(encoding="utf-8").replace("comparison: gt", "comparison: more", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rule_set_file(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.column == "criteria.0.comparison"
    assert problem.row == next(
        i for i, line in enumerate(text.splitlines(), 1) if "comparison: more" in line
    )
    assert problem.text("da") == "skal være en af 'gt', 'ge', 'lt' eller 'le'"
    assert problem.text("en") == "must be one of 'gt', 'ge', 'lt' or 'le'"


def test_rule_file_referring_to_unknown_criterion(tmp_path: Path) -> None:
    path = _user_rules(
        tmp_path,
        designations=[
            {
                "id": "udsat_boligomraade",
                "label_da": "x",
                "label_en": "x",
                "at_least": {"n": 2, "of": ["labour", "noise"]},
            }
        ],
    )
    with pytest.raises(InputError, match="unknown criteria: noise") as caught:
        load_rule_set_file(path)
    [problem] = caught.value.problems
    assert problem.file == str(path) and problem.row is not None
    assert problem.render("da").endswith(
        ": betegnelsen 'udsat_boligomraade' henviser til ukendte kriterier: noise"
    )
    assert problem.render("en").endswith(
        ": designation 'udsat_boligomraade' refers to unknown criteria: noise"
    )


def test_rule_file_that_is_not_yaml(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    result = run_cli("rules", "show", path)
    assert result.code == 2
    assert "ikke gyldig YAML" in result.err and str(path) in result.err


def test_rules_list_and_show(run_cli: Callable[..., CliResult]) -> None:
    listing = run_cli("rules", "list")
    assert listing.code == 0
    for rule_set_id in ("dk-2010", "dk-2013", "dk-2018", "dk-2021", "dk-51b"):
        assert rule_set_id in listing.out
    shown = run_cli("rules", "show", "dk-2018")
    assert shown.code == 0
    assert yaml.safe_load(shown.out)["designations"][2]["id"] == "haardt_ghettoomraade"
    assert run_cli("rules", "show", "dk-1999").code == 2
