"""Loading goal catalogues: the shipped Copenhagen 2017–2025 catalogue and users' own files.

Every validation problem names the file, the line, the goal (by its number), the indicator (by
its id) and the field, e.g. ``goal 4, indicator 'sprogscreening': ... (field target.amount)``.
"""

from __future__ import annotations

from pathlib import Path

from boligmonitor.data import resolve_yaml, shipped_ids
from boligmonitor.errors import InputError, Problem, Text
from boligmonitor.monitor.goals.model import Catalogue
from boligmonitor.schema.yamlfile import Finding, load_checked_yaml, read_yaml

__all__ = [
    "DEFAULT_CATALOGUE",
    "load_catalogue",
    "reference_problems",
    "resolve_catalogue",
    "shipped_catalogues",
]

#: The catalogue used when none is named.
DEFAULT_CATALOGUE = "kk-2017-2025"


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a goal-catalogue YAML file.

    Parameters
    ----------
    path
        A YAML file in the format of ``data/goals/kk-2017-2025.yaml`` (see ``docs/goals.md``).

    Raises
    ------
    InputError
        Listing every problem with file, line, goal number, indicator id and field.
    """
    file = Path(path)
    try:
        return load_checked_yaml(file, Catalogue, reference_problems)
    except InputError as error:
        data, _ = read_yaml(file)
        raise InputError([_name_goal(p, data) for p in error.problems]) from error


def reference_problems(catalogue: Catalogue) -> list[Finding]:
    """Goals naming an unknown approach or administration, and goal numbers used twice."""
    approaches = {a.id for a in catalogue.approaches}
    found = []
    first: dict[int, int] = {}
    for index, goal in enumerate(catalogue.goals):
        if goal.approach not in approaches:
            found.append(
                Finding(
                    ("goals", index, "approach"),
                    "unknown approach '{approach}'",
                    {"approach": goal.approach},
                )
            )
        found.extend(
            Finding(
                ("goals", index, "owners", position),
                "unknown administration '{owner}'",
                {"owner": owner},
            )
            for position, owner in enumerate(goal.owners)
            if owner not in catalogue.administrations
        )
        if goal.number in first:
            found.append(
                Finding(
                    ("goals", index, "number"),
                    "goal number {number} is used twice; first at {first}",
                    {"number": goal.number, "first": first[goal.number]},
                )
            )
        first.setdefault(goal.number, index)
    return found


def _name_goal(problem: Problem, data: object) -> Problem:
    """Rewrite ``goals.3.indicators.0.target`` into goal number and indicator id."""
    parts = (problem.column or "").split(".")
    if len(parts) < 2 or parts[0] != "goals" or not parts[1].isdigit():
        return problem
    goal = _item(data, "goals", int(parts[1]))
    where = Text("goal {number}", {"number": goal.get("number", "?")})
    rest = parts[2:]
    if len(rest) >= 2 and rest[0] == "indicators" and rest[1].isdigit():
        indicator = _item(goal, "indicators", int(rest[1]))
        where = Text(
            "goal {number}, indicator '{indicator}'",
            {"number": goal.get("number", "?"), "indicator": indicator.get("id", "?")},
        )
        rest = rest[2:]
    field = ".".join(rest) or None
    return Problem(
        problem.file,
        "{where}: {message}",
        problem.row,
        field,
        {"where": where, "message": Text(problem.message, problem.params)},
    )


def _item(container: object, key: str, index: int) -> dict[str, object]:
    """``container[key][index]`` when it is a mapping, else an empty mapping."""
    items = container.get(key) if isinstance(container, dict) else None
    item = items[index] if isinstance(items, list) and index < len(items) else None
    return {str(k): v for k, v in item.items()} if isinstance(item, dict) else {}


def shipped_catalogues() -> tuple[Catalogue, ...]:
    """The goal catalogues shipped with Boligmonitor (``data/goals/*.yaml``)."""
    return tuple(resolve_catalogue(name) for name in shipped_ids("goals"))


def resolve_catalogue(name_or_path: str | Path | None = None) -> Catalogue:
    """A shipped catalogue by id, or one loaded from a YAML file.

    Raises
    ------
    InputError
        When no shipped catalogue has that id and it is not a YAML file, or the file is invalid.
    """
    return resolve_yaml(
        "goals", name_or_path or DEFAULT_CATALOGUE, load_catalogue, "goal catalogue"
    )
