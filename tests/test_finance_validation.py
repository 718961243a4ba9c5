"""Plan files: every problem named with file, line and field; exit code 2; nothing stored."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from boligmonitor import Workspace
from boligmonitor.errors import InputError
from boligmonitor.finance.catalogue import load_plan_catalogue

BASE: dict[str, Any] = {
    "organisations": [{"id": "VIBO", "name": "VIBO"}, {"id": "AAB", "name": "AAB"}],
    "departments": [
        {"id": "VIBO 108", "name": "Bogtrykkergården", "organisation": "VIBO", "leases": 140},
        {"id": "AAB 58", "name": "Afd. 58", "organisation": "AAB", "leases": 232},
    ],
    "plans": [
        {
            "id": "plan-a",
            "name": "Plan A",
            "start": "2022-01-01",
            "end": "2025-12-31",
            "departments": [{"department": "VIBO 108"}, {"department": "AAB 58"}],
            "budget": [{"label": "Løn", "amount": 1000}],
        }
    ],
}


def write(tmp_path: Path, change: Callable[[dict[str, Any]], None] | None = None) -> Path:
    data = copy.deepcopy(BASE)
    if change is not None:
        change(data)
    path = tmp_path / "plans.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def add_plan_b(data: dict[str, Any]) -> None:
    data["plans"].append(
        {
            "id": "plan-b",
            "name": "Plan B",
            "start": "2025-01-01",
            "end": "2028-12-31",
            "departments": [{"department": "AAB 58"}],
        }
    )


def problems(path: Path) -> list[tuple[str | None, str]]:
    with pytest.raises(InputError) as caught:
        load_plan_catalogue(path)
    for problem in caught.value.problems:
        assert problem.file == str(path)
        assert problem.row is not None, problem
    return [(p.column, p.text()) for p in caught.value.problems]


def test_valid_file_loads(tmp_path: Path) -> None:
    catalogue = load_plan_catalogue(write(tmp_path))
    assert catalogue.source == "plans.yaml"
    assert [p.id for p in catalogue.plans] == ["plan-a"]


def test_plan_without_departments(tmp_path: Path) -> None:
    path = write(tmp_path, lambda d: d["plans"][0].update(departments=[]))
    assert problems(path) == [("plans.0.departments", "a plan needs at least one department")]


def test_department_in_two_plans_for_overlapping_periods(tmp_path: Path) -> None:
    path = write(tmp_path, add_plan_b)
    [(field, message)] = problems(path)
    assert field == "plans.1.departments.0.department"
    assert "'AAB 58' is already in plan 'plan-a'" in message
    with pytest.raises(InputError) as caught:
        load_plan_catalogue(path)
    # The line of the offending entry in the YAML file.
    line = caught.value.problems[0].row
    assert line is not None
    assert "AAB 58" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_leaving_before_the_other_plan_starts_is_no_overlap(tmp_path: Path) -> None:
    def second_plan(data: dict[str, Any]) -> None:
        data["plans"][0]["departments"][1]["exit"] = "2024-12-31"
        add_plan_b(data)

    assert len(load_plan_catalogue(write(tmp_path, second_plan)).plans) == 2


def test_an_extension_shares_departments_with_its_plan(tmp_path: Path) -> None:
    def extension(data: dict[str, Any]) -> None:
        data["plans"].append(
            {
                "id": "plan-a-ext",
                "name": "Udvidelse",
                "extends": "plan-a",
                "start": "2022-03-01",
                "end": "2024-12-31",
                "departments": [{"department": "VIBO 108", "entry": "2022-03-01"}],
            }
        )

    assert load_plan_catalogue(write(tmp_path, extension)).plans[1].extends == "plan-a"


def test_negative_amounts_and_leases(tmp_path: Path) -> None:
    def negative(data: dict[str, Any]) -> None:
        data["plans"][0]["budget"][0]["amount"] = -5
        data["departments"][0]["leases"] = -1

    found = problems(write(tmp_path, negative))
    fields = {field for field, _ in found}
    assert fields == {"plans.0.budget.0.amount", "departments.0.leases"}
    assert all("greater than or equal to 0" in message for _, message in found)


def test_local_cofinancing_under_25_percent(tmp_path: Path) -> None:
    path = write(tmp_path, lambda d: d["plans"][0].update(financing={"lbf_share": 0.8}))
    [(field, message)] = problems(path)
    assert field == "plans.0.financing.lbf_share"
    assert message == "local co-financing is 20 % (lbf_share 0.8); at least 25 % is required"


def test_unknown_references_and_bad_periods_are_all_reported(tmp_path: Path) -> None:
    def broken(data: dict[str, Any]) -> None:
        data["departments"][1]["organisation"] = "XYZ"
        data["plans"][0]["departments"].append({"department": "Nowhere 1"})
        data["plans"][0]["departments"][0]["entry"] = "2030-01-01"

    found = dict(problems(write(tmp_path, broken)))
    assert "unknown organisation 'XYZ'" in found["departments.1.organisation"]
    assert "unknown department 'Nowhere 1'" in found["plans.0.departments.2.department"]
    assert "outside the plan" in found["plans.0.departments.0"]
    assert len(found) == 3


def test_amounts_finer_than_one_ore(tmp_path: Path) -> None:
    path = write(
        tmp_path, lambda d: d["plans"][0]["budget"].append({"label": "x", "amount": "0.000001"})
    )
    [(field, message)] = problems(path)
    assert field == "plans.0.budget.1.amount"
    assert "5 decimal places" in message


def test_cli_exit_code_2_and_nothing_stored(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    bad = write(tmp_path, lambda d: d["plans"][0].update(departments=[]))
    folder = tmp_path / "ws"
    result = run_cli("plan", "load", bad, "--workspace", folder)
    assert result.code == 2
    assert "plans.0.departments" in result.err and "plan skal have mindst én afdeling" in result.err
    assert not folder.exists() or list(folder.iterdir()) == []  # the new workspace stays empty
    with Workspace.memory() as ws:
        assert [p.id for p in ws.plans.all()][2] == "mimerskvarter-2022"  # still the shipped plans
    result = run_cli("plan", "finance", "mimerskvarter-2022", "--plans", bad)
    assert result.code == 2


def test_unknown_plan_and_rounding_exit_2(run_cli: Callable[..., Any]) -> None:
    assert run_cli("plan", "finance", "no-such-plan").code == 2
    result = run_cli("plan", "finance", "mimerskvarter-2022", "--rounding", "banker")
    assert result.code == 2
    assert "largest-remainder" in result.err


def _line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of a file that contains ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if text in line]
    return found[occurrence - 1]


def test_cross_record_problems_read_danish_in_danish_and_english_in_english(
    tmp_path: Path,
) -> None:
    def broken(data: dict[str, Any]) -> None:
        data["departments"].append({"id": "VIBO 108", "name": "Igen", "leases": 1})
        data["plans"][0]["financing"] = {"lbf_share": 0.8}

    path = write(tmp_path, broken)
    with pytest.raises(InputError) as caught:
        load_plan_catalogue(path)
    duplicate, cofinancing = caught.value.problems
    at = f"{path}, linje {_line_of(path, 'id: VIBO 108', 2)}, kolonne 'departments.2.id'"
    assert (
        duplicate.render("da") == f"{at}: id'et 'VIBO 108' findes to gange; første gang på plads 0"
    )
    at = f"{path}, line {_line_of(path, 'id: VIBO 108', 2)}, column 'departments.2.id'"
    assert duplicate.render("en") == f"{at}: duplicate id 'VIBO 108'; first at 0"
    line = _line_of(path, "lbf_share: 0.8")
    assert cofinancing.render("da") == (
        f"{path}, linje {line}, kolonne 'plans.0.financing.lbf_share': den lokale "
        "medfinansiering er 20 % (lbf_share 0,8); der kræves mindst 25 %"
    )
    assert cofinancing.render("en") == (
        f"{path}, line {line}, column 'plans.0.financing.lbf_share': local co-financing is "
        "20 % (lbf_share 0.8); at least 25 % is required"
    )


def test_overlapping_departments_are_named_in_danish(tmp_path: Path) -> None:
    path = write(tmp_path, add_plan_b)
    with pytest.raises(InputError) as caught:
        load_plan_catalogue(path)
    [problem] = caught.value.problems
    line = _line_of(path, "department: AAB 58", 2)
    assert problem.render("da") == (
        f"{path}, linje {line}, kolonne 'plans.1.departments.0.department': afdelingen "
        "'AAB 58' er allerede med i planen 'plan-a' fra 2022-01-01 til 2025-12-31; perioderne "
        "overlapper (2025-01-01–2028-12-31)"
    )
    assert problem.render("en").endswith(
        ": department 'AAB 58' is already in plan 'plan-a' from 2022-01-01 to 2025-12-31; "
        "periods overlap (2025-01-01–2028-12-31)"
    )
