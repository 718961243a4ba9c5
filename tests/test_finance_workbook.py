"""Plans from an Excel workbook: same checks as YAML, problems placed at sheet, row, column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from boligmonitor.errors import InputError
from boligmonitor.finance.catalogue import load_plan_catalogue
from boligmonitor.finance.financing import plan_finance

SHEETS: dict[str, list[list[Any]]] = {
    "organisationer": [["id", "name"], ["VIBO", "VIBO"], ["AAB", "AAB"], ["3B", "3B"]],
    "afdelinger": [
        ["id", "name", "organisation", "streets", "leases"],
        ["VIBO 108", "Bogtrykkergården", "VIBO", "Heimdalsgade; Fenrisgade", 140],
        ["VIBO 127", "Runddelen I-II", "VIBO", "Jagtvejen", 369],
        ["AAB 58", "Afd. 58", "AAB", "Tagensvej", 232],
        ["3B 24", "Rådmandsbo", "3B", "Rådmandsgade", 54],
    ],
    "planer": [
        ["id", "name", "start", "end", "focus_areas", "lbf_share"],
        [
            "mimers",
            "Mimerskvarter",
            dt.datetime(2022, 3, 1),
            dt.datetime(2024, 12, 31),
            "beskaeftigelse",
            0.75,
        ],
    ],
    "medlemmer": [
        ["plan", "department"],
        ["mimers", "VIBO 108"],
        ["mimers", "VIBO 127"],
        ["mimers", "AAB 58"],
        ["mimers", "3B 24"],
    ],
    "budget": [["plan", "label", "amount"], ["mimers", "Løn", 2957], ["mimers", "Øvrigt", 1043]],
}


def workbook(
    tmp_path: Path, change: Callable[[dict[str, list[list[Any]]]], None] | None = None
) -> Path:
    sheets = {name: [list(row) for row in rows] for name, rows in SHEETS.items()}
    if change is not None:
        change(sheets)
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "planer.xlsx"
    book.save(path)
    return path


def test_workbook_gives_the_seed_split(tmp_path: Path) -> None:
    catalogue = load_plan_catalogue(workbook(tmp_path))
    plan = catalogue.plan("mimers")
    assert plan is not None
    assert plan.start == dt.date(2022, 3, 1) and len(plan.departments) == 4
    assert catalogue.departments[0].streets == ["Heimdalsgade", "Fenrisgade"]
    shown = plan_finance(catalogue, "mimers").shown_payers()
    assert shown == {
        "Landsbyggefonden": 3000,
        "Københavns Kommune": 500,
        "VIBO": 320,
        "AAB": 146,
        "3B": 34,
    }
    whole = plan_finance(catalogue, "mimers", "whole-percent").shown_payers()
    assert (whole["VIBO"], whole["AAB"], whole["3B"]) == (320, 145, 35)


def _problems(path: Path) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(InputError) as caught:
        load_plan_catalogue(path)
    return [(p.file, p.row, p.column, p.text()) for p in caught.value.problems]


def test_negative_amount_is_placed_at_its_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path, lambda s: s["budget"][2].__setitem__(2, -10))
    [(file, row, column, message)] = _problems(path)
    assert (file, row, column) == (f"{path} [budget]", 3, "amount")
    assert "greater than or equal to 0" in message


def test_a_cell_problem_is_worded_in_the_users_language(tmp_path: Path) -> None:
    path = workbook(tmp_path, lambda s: s["budget"][2].__setitem__(2, "mange"))
    with pytest.raises(InputError) as caught:
        load_plan_catalogue(path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "amount")
    assert problem.render("da").endswith(": ikke et tal")
    assert problem.render("en").endswith(": not a number")


def test_low_cofinancing_is_placed_at_its_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path, lambda s: s["planer"][1].__setitem__(5, 0.9))
    [(file, row, column, message)] = _problems(path)
    assert (file, row, column) == (f"{path} [planer]", 2, "lbf_share")
    assert "local co-financing is 10 %" in message


def test_a_cross_record_problem_is_worded_in_the_users_language(tmp_path: Path) -> None:
    path = workbook(tmp_path, lambda s: s["planer"][1].__setitem__(5, 0.9))
    with pytest.raises(InputError) as caught:
        load_plan_catalogue(path)
    [problem] = caught.value.problems
    assert problem.render("da") == (
        f"{path} [planer], række 2, kolonne 'lbf_share': den lokale medfinansiering er 10 % "
        "(lbf_share 0,9); der kræves mindst 25 %"
    )
    assert problem.render("en") == (
        f"{path} [planer], row 2, column 'lbf_share': local co-financing is 10 % "
        "(lbf_share 0.9); at least 25 % is required"
    )


def test_plan_without_departments_and_unknown_plan(tmp_path: Path) -> None:
    def bad(sheets: dict[str, list[list[Any]]]) -> None:
        sheets["medlemmer"] = [["plan", "department"], ["other", "VIBO 108"]]

    path = workbook(tmp_path, bad)
    [(file, row, column, message)] = _problems(path)
    assert (file, row, column, message) == (
        f"{path} [medlemmer]",
        2,
        "plan",
        "unknown plan 'other'",
    )
    path = workbook(tmp_path, lambda s: s.__setitem__("medlemmer", [["plan", "department"]]))
    [(file, row, column, message)] = _problems(path)
    assert (file, row, column) == (f"{path} [planer]", 2, "departments")
    assert message == "a plan needs at least one department"


def test_unknown_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path, lambda s: s.__setitem__("noter", [["x"], [1]]))
    [(_, _, _, message)] = _problems(path)
    assert "unknown sheet 'noter'" in message


def test_cli_uses_a_workbook(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("plan", "finance", "mimers", "--plans", workbook(tmp_path))
    assert result.code == 0 and "Mimerskvarter" in result.out
