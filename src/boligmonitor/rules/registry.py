"""The rule sets Boligmonitor knows: the shipped Danish regimes and users' own files.

Regimes succeed each other by list date: each rule set states the first and last list dates it
governs (two lists share 2013: 1 October under the 2010 rules, 1 December under the 2013 rules).
Within a family the regimes may neither overlap nor leave a 1 December without a regime; an
open-ended regime ends where the next one begins, so a user's folder of rule sets can add a
regime (e.g. a changed 2026 regime) that becomes the default from its first list date.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from boligmonitor.data import shipped_yaml
from boligmonitor.errors import InputError, Problem
from boligmonitor.rules.model import RuleSet, december_first
from boligmonitor.schema.yamlfile import load_yaml_model

__all__ = [
    "DEFAULT_FAMILIES",
    "check_regimes",
    "load_rule_set_file",
    "load_rules_dir",
    "regime_for_date",
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
    return load_yaml_model(Path(path), RuleSet).with_source(str(path))


@cache
def shipped_rule_sets() -> tuple[RuleSet, ...]:
    """The rule sets shipped with Boligmonitor, ordered by family and first list date."""
    sets = [load_rule_set_file(path) for path in shipped_yaml("rules")]
    ordered = tuple(sorted(sets, key=lambda s: (s.family, s.first_list_date)))
    check_regimes(ordered)
    return ordered


def load_rules_dir(folder: str | Path) -> tuple[RuleSet, ...]:
    """Load a user's folder of rule-set files and check them with the shipped regimes.

    Returns
    -------
    tuple of RuleSet
        The user's rule sets followed by the shipped ones.

    Raises
    ------
    InputError
        When a file is invalid, or two regimes of a family overlap or leave a gap (naming both
        files).
    """
    path = Path(folder)
    if not path.is_dir():
        raise InputError.single(path, "not a folder of rule-set files")
    files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
    user = tuple(load_rule_set_file(f) for f in files)
    combined = (*user, *shipped_rule_sets())
    check_regimes(combined)
    return combined


def _by_family(rule_sets: Iterable[RuleSet]) -> dict[str, list[RuleSet]]:
    families: dict[str, list[RuleSet]] = {}
    for rule_set in rule_sets:
        if ":" in rule_set.id:  # a reading of another rule set, not a regime of its own
            continue
        families.setdefault(rule_set.family, []).append(rule_set)
    return {f: sorted(s, key=lambda r: r.first_list_date) for f, s in families.items()}


def _december_between(after: dt.date, before: dt.date) -> dt.date | None:
    """A 1 December strictly between two dates, if any."""
    for year in range(after.year, before.year + 1):
        candidate = december_first(year)
        if after < candidate < before:
            return candidate
    return None


def check_regimes(rule_sets: Sequence[RuleSet]) -> None:
    """Refuse overlapping or gapped regimes within each family.

    Raises
    ------
    InputError
        One problem per clash, naming both files and the list dates.
    """
    problems = []
    for family, regimes in _by_family(rule_sets).items():
        for earlier, later in itertools.pairwise(regimes):
            last = earlier.last_list_date
            first = later.first_list_date
            if first == earlier.first_list_date or (last is not None and last >= first):
                problems.append(
                    Problem(
                        later.source,
                        "regime '{id}' ({family}, from {value}) overlaps regime '{id2}' in "
                        "{source} ({value2}–{value3})",
                        params={
                            "id": later.id,
                            "family": family,
                            "value": first.isoformat(),
                            "id2": earlier.id,
                            "source": earlier.source,
                            "value2": earlier.first_list_date.isoformat(),
                            "value3": last.isoformat() if last else "",
                        },
                    )
                )
                continue
            gap = None if last is None else _december_between(last, first)
            if gap is not None:
                problems.append(
                    Problem(
                        later.source,
                        "no regime of {family} governs the list of {value}: '{id}' in {source} "
                        "ends {last} and '{id2}' begins {value2}",
                        params={
                            "family": family,
                            "value": gap.isoformat(),
                            "id": earlier.id,
                            "source": earlier.source,
                            "last": last,
                            "id2": later.id,
                            "value2": first.isoformat(),
                        },
                    )
                )
    if problems:
        raise InputError(problems)


def resolve_rule_set(id_or_path: str, extra: tuple[RuleSet, ...] = ()) -> RuleSet:
    """Find a rule set by id (shipped or in ``extra``) or load it from a YAML file path.

    ``<id>:<reading>`` chooses an alternative reading of a rule set (e.g.
    ``dk-2021:forebyggelse_overlap``).

    Raises
    ------
    InputError
        When no rule set has that id and no such file exists, or the file is invalid.
    """
    base, _, reading = id_or_path.partition(":")
    for rule_set in (*extra, *shipped_rule_sets()):
        if rule_set.id == id_or_path:
            return rule_set
        if reading and rule_set.id == base:
            try:
                return rule_set.reading(reading)
            except KeyError:
                known = ", ".join(r.id for r in rule_set.readings) or "none"
                raise InputError.single(
                    id_or_path,
                    "rule set '{base}' has no reading '{reading}' (known: {known})",
                    base=base,
                    reading=reading,
                    known=known,
                ) from None
    candidate = Path(id_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml"):
        return load_rule_set_file(candidate)
    known = ", ".join(s.id for s in shipped_rule_sets())
    raise InputError.single(
        id_or_path, "no rule set with this id (known: {known}) and not a YAML file", known=known
    )


def regime_for_date(
    date: dt.date, family: str, candidates: Sequence[RuleSet] | None = None
) -> RuleSet | None:
    """The rule set of ``family`` that governs the list of ``date``, or ``None``.

    Of the regimes whose list dates include ``date``, the one that began last governs: an
    open-ended regime ends where a later one begins.
    """
    pool = candidates if candidates is not None else shipped_rule_sets()
    governing = [r for r in pool if r.family == family and ":" not in r.id and r.governs(date)]
    return max(governing, key=lambda r: r.first_list_date, default=None)


def regime_in_force(
    year: int, family: str, candidates: Sequence[RuleSet] | None = None
) -> RuleSet | None:
    """The rule set of ``family`` that governs the list of 1 December ``year``, or ``None``."""
    return regime_for_date(december_first(year), family, candidates)
