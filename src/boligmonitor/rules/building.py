"""Building the per-area result objects of a columnar evaluation, for the rows asked for.

:class:`~boligmonitor.rules.evaluate.AreaDesignation` objects with their criteria and
consecutive-year histories are what an explanation shows; building them costs far more than
computing the columns (:mod:`boligmonitor.rules.vectorised`), so
:class:`~boligmonitor.rules.evaluation.Evaluation` builds them only when a caller reads them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from boligmonitor.rules.columnar import population_at_least
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.vectorised import ACTUAL, LIFTED, Earlier, VectorisedEvaluator

__all__ = ["Builder", "ints", "texts"]


def _made(cls: type, fields: dict[str, object]) -> Any:
    """A frozen dataclass instance holding ``fields`` as its attributes (no per-field
    ``__setattr__``; the dictionary becomes the instance's)."""
    made: Any = object.__new__(cls)
    object.__setattr__(made, "__dict__", fields)
    return made


def _lists(ids: list[str], flags: list[np.ndarray]) -> tuple[list[tuple[str, ...]], ...]:
    """Per row, the ids whose three-valued flag is true, and those whose flag is unknown (one
    tuple per distinct pattern of flags, shared between rows)."""
    size = len(flags[0]) if flags else 0
    true, unknown = np.zeros(size, np.int64), np.zeros(size, np.int64)
    for bit, flag in enumerate(flags):
        true |= (flag == 1).astype(np.int64) << bit
        unknown |= (flag == -1).astype(np.int64) << bit
    words: dict[int, tuple[str, ...]] = {}
    for pattern in np.unique(np.concatenate([true, unknown])).tolist():
        words[pattern] = tuple(d for bit, d in enumerate(ids) if pattern >> bit & 1)
    return [words[p] for p in true.tolist()], [words[p] for p in unknown.tolist()]


class Builder:
    """The :class:`AreaDesignation` objects of chosen rows under one rule set."""

    def __init__(self, evaluator: VectorisedEvaluator, rule_set: RuleSet, rows: np.ndarray):
        self.ev, self.rule_set, self.rows = evaluator, rule_set, rows

    def build(self) -> list[Any]:
        """One :class:`AreaDesignation` per row, in the order of ``rows``."""
        from boligmonitor.rules.evaluate import AreaDesignation

        ev, rs, rows = self.ev, self.rule_set, self.rows
        frame = ev.columns.frame
        criteria = {cid: c.results(rows) for cid, c in ev.criteria(rs).items()}
        ids = [d.id for d in rs.designations]
        held, unknown = _lists(ids, [ev.designation(rs, d)[rows] for d in ids])
        if_met, _ = _lists(ids, [ev.designation(rs, d, LIFTED)[rows] for d in ids])
        minimum = rs.population_minimum
        below = population_at_least(ev.residents[rows], ev.lower_bound[rows], minimum).tolist()
        history = self._histories()
        names = texts(frame, "area_name", len(rows), rows)
        municipalities = texts(frame, "municipality", len(rows), rows)
        residents = ints(ev.columns.number("residents")[rows])
        lower = ints(ev.columns.number("residents_min")[rows])
        areas = ev.columns.area[rows].tolist()
        years = ev.columns.year[rows].tolist()
        by_criterion = list(criteria.items())
        by_designation = list(history.items())
        out = []
        for i in range(len(rows)):
            out.append(
                _made(
                    AreaDesignation,
                    {
                        "area_id": areas[i],
                        "area_name": names[i] or areas[i],
                        "municipality": municipalities[i],
                        "year": years[i],
                        "rule_set": rs.id,
                        "rule_set_version": rs.version,
                        "residents": residents[i],
                        "designations": list(held[i]),
                        "designations_unknown": list(unknown[i]),
                        "below_population_minimum": None if below[i] == -1 else below[i] == 0,
                        "designations_if_population_met": list(if_met[i]),
                        "criteria": {cid: results[i] for cid, results in by_criterion},
                        "history": {d: statuses[i] for d, statuses in by_designation},
                        "residents_at_least": lower[i] if residents[i] is None else None,
                    },
                )
            )
        return out

    def _histories(self) -> dict[str, list[list[Any]]]:
        from boligmonitor.rules.evaluate import YearStatus

        ev, rs, rows = self.ev, self.rule_set, self.rows
        found: dict[str, list[list[Any]]] = {}
        for spec in rs.designations:
            if spec.consecutive is None:
                continue
            columns = [self._statuses(e) for e in ev.earlier(rs, spec)]
            now = ev.current(rs, spec, ACTUAL)[rows].tolist()
            years = ev.columns.year[rows].tolist()
            current = [
                _made(
                    YearStatus,
                    {
                        "year": y,
                        "rule_set": rs.id,
                        "held": _TRI[v],
                        "origin": "computed",
                        "source": None,
                        "computed": None,
                    },
                )
                for y, v in zip(years, now, strict=True)
            ]
            found[spec.id] = [list(s) for s in zip(*columns, current, strict=True)]
        return found

    def _statuses(self, earlier: Earlier) -> list[Any]:
        from boligmonitor.rules.evaluate import YearStatus

        rows = self.rows
        out = []
        for y, computed, missing, membership in zip(
            earlier.year[rows].tolist(),
            earlier.computed[rows].tolist(),
            earlier.missing[rows].tolist(),
            [earlier.membership[i] for i in rows.tolist()],
            strict=True,
        ):
            regime = earlier.regime[y]
            rid = regime.id if regime else None
            value = None if missing else _TRI[computed]
            if membership is not None:
                fields = (membership.held, membership.origin, membership.source, value)
            elif missing:
                fields = (None, None, None, None)
            else:
                fields = (value, "computed", None, None)
            held, origin, source, computed_value = fields
            out.append(
                _made(
                    YearStatus,
                    {
                        "year": y,
                        "rule_set": rid,
                        "held": held,
                        "origin": origin,
                        "source": source,
                        "computed": computed_value,
                    },
                )
            )
        return out


_TRI: dict[int, bool | None] = {1: True, 0: False, -1: None}


def ints(values: np.ndarray) -> list[int | None]:
    """Floats as Python ints, ``None`` for NaN."""
    return [None if v != v else int(v) for v in values.tolist()]


def texts(frame: pd.DataFrame, column: str, size: int, rows: np.ndarray) -> list[str | None]:
    """A text column at ``rows`` as Python strings, ``None`` where missing or absent."""
    if column not in frame.columns:
        return [None] * size
    values = frame[column].to_numpy(object)[rows].tolist()
    return [None if v is None or v is pd.NA or v != v else str(v) for v in values]
