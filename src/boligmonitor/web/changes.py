"""The list-year change view: which areas came on a statutory list, left it or stayed, and the
criteria that crossed their threshold between the two list years."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boligmonitor.i18n import Language, localized
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.explain import designation_label
from boligmonitor.rules.model import RuleSet
from boligmonitor.web.views import area_url

__all__ = ["AreaChange", "list_changes"]


@dataclass(frozen=True)
class AreaChange:
    """One area's move between two list years."""

    area_id: str
    area_name: str
    url: str
    kind: str  # "new", "left" or "stayed"
    before: list[str]
    after: list[str]
    now_met: list[str]
    no_longer_met: list[str]


def _criterion_label(rule_set: RuleSet, criterion_id: str, lang: Language) -> str:
    criterion = rule_set.criterion(criterion_id)
    return localized(criterion.label_da, criterion.label_en, lang)


def list_changes(
    current: Sequence[AreaDesignation],
    previous: Sequence[AreaDesignation],
    rule_set: RuleSet,
    previous_rule_set: RuleSet,
    lang: Language,
) -> list[AreaChange]:
    """Areas designated in either year, ordered new, left, stayed (then by name).

    Criteria are compared by id; a criterion the earlier regime did not have is not a move.
    """
    before = {r.area_id: r for r in previous}
    present = {r.area_id for r in current}
    changes = [
        _change(now, before.get(now.area_id), rule_set, previous_rule_set, lang)
        for now in current
        if now.designations or _held(before.get(now.area_id))
    ]
    changes += [
        _left_without_statistics(then, previous_rule_set, lang)
        for then in previous
        if then.area_id not in present and then.designations
    ]
    return sorted(changes, key=lambda c: (_ORDER[c.kind], c.area_name))


_ORDER = {"new": 0, "left": 1, "stayed": 2}


def _held(result: AreaDesignation | None) -> list[str]:
    """The designations an area held (none when it had no result)."""
    return result.designations if result is not None else []


def _change(
    now: AreaDesignation,
    then: AreaDesignation | None,
    rule_set: RuleSet,
    previous_rule_set: RuleSet,
    lang: Language,
) -> AreaChange:
    """An area with results in the current year that is designated in either year."""
    held_then = _held(then)
    kind = "stayed" if now.designations and held_then else ("new" if now.designations else "left")
    moved_in, moved_out = _crossed(now, then, rule_set, lang)
    return AreaChange(
        area_id=now.area_id,
        area_name=now.area_name,
        url=area_url(now.area_id, now.year),
        kind=kind,
        before=[designation_label(previous_rule_set, d, lang) for d in held_then],
        after=[designation_label(rule_set, d, lang) for d in now.designations],
        now_met=moved_in,
        no_longer_met=moved_out,
    )


def _crossed(
    now: AreaDesignation, then: AreaDesignation | None, rule_set: RuleSet, lang: Language
) -> tuple[list[str], list[str]]:
    """Labels of the criteria met now but not then, and met then but not now (known in both)."""
    moved_in, moved_out = [], []
    for criterion_id, outcome in now.criteria.items():
        earlier = then.criteria.get(criterion_id) if then is not None else None
        if earlier is None or earlier.met is None or outcome.met is None:
            continue
        if outcome.met and not earlier.met:
            moved_in.append(_criterion_label(rule_set, criterion_id, lang))
        elif earlier.met and not outcome.met:
            moved_out.append(_criterion_label(rule_set, criterion_id, lang))
    return moved_in, moved_out


def _left_without_statistics(
    then: AreaDesignation, previous_rule_set: RuleSet, lang: Language
) -> AreaChange:
    """An area designated the year before that has no statistics this year."""
    return AreaChange(
        area_id=then.area_id,
        area_name=then.area_name,
        url=area_url(then.area_id, then.year),
        kind="left",
        before=[designation_label(previous_rule_set, d, lang) for d in then.designations],
        after=[],
        now_met=[],
        no_longer_met=[],
    )
