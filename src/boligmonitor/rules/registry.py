"""The rule sets Boligmonitor knows: the shipped Danish regimes and users' own files."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from boligmonitor.errors import InputError
from boligmonitor.rules.model import RuleSet
from boligmonitor.schema.yamlfile import load_yaml_model

__all__ = [
    "DEFAULT_FAMILIES",
    "load_rule_set_file",
    "regime_in_force",
    "resolve_rule_set",
    "shipped_rule_sets",
]

#: By default a list year is evaluated under the § 61 a/§ 61 b regime in force and under § 51 b.
DEFAULT_FAMILIES = ("almenboligloven-61a", "almenboligloven-51b")


def load_rule_set_file(path: str | Path) -> RuleSet:
    """Load and validate a rule-set YAML file.

    Raises
    ------
    InputError
        Naming the file and the field of every problem.
    """
    return load_yaml_model(Path(path), RuleSet)


@cache
def shipped_rule_sets() -> tuple[RuleSet, ...]:
    """The rule sets shipped with Boligmonitor, ordered by family and first list year."""
    folder = resources.files("boligmonitor.rules") / "sets"
    sets = [
        load_rule_set_file(Path(str(entry)))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    ]
    return tuple(sorted(sets, key=lambda s: (s.family, s.list_years[0])))


def resolve_rule_set(id_or_path: str, extra: tuple[RuleSet, ...] = ()) -> RuleSet:
    """Find a rule set by id (shipped or in ``extra``) or load it from a YAML file path.

    Raises
    ------
    InputError
        When no rule set has that id and no such file exists, or the file is invalid.
    """
    for rule_set in (*extra, *shipped_rule_sets()):
        if rule_set.id == id_or_path:
            return rule_set
    candidate = Path(id_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml"):
        return load_rule_set_file(candidate)
    known = ", ".join(s.id for s in shipped_rule_sets())
    raise InputError.single(
        id_or_path, f"no rule set with this id (known: {known}) and not a YAML file"
    )


def regime_in_force(
    year: int, family: str, candidates: tuple[RuleSet, ...] | None = None
) -> RuleSet | None:
    """The rule set of ``family`` that governs the list of ``year``, or ``None``."""
    for rule_set in candidates if candidates is not None else shipped_rule_sets():
        if rule_set.family == family and rule_set.in_force(year):
            return rule_set
    return None
