"""The result of a columnar evaluation: every chosen area-year under its rule sets, as columns.

:func:`boligmonitor.rules.evaluate.evaluate` returns an :class:`Evaluation`. Every criterion
(values, thresholds, margins, exact ``flip_persons``) and every designation, with the earlier
years of the consecutive-year designations, is computed over whole columns when it is made.
It is a sequence of :class:`~boligmonitor.rules.evaluate.AreaDesignation` objects, but one
is built only when a caller reads it (an explanation reads a few; a caller that iterates over
all of them gets them built in bulk). Callers that need only who is designated read
:meth:`Evaluation.table` instead, which builds no per-area objects.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from boligmonitor.rules.building import Builder, ints, texts
from boligmonitor.rules.history import ListHistory
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.vectorised import ACTUAL, LIFTED, VectorisedEvaluator

if TYPE_CHECKING:
    from boligmonitor.rules.evaluate import AreaDesignation

__all__ = ["Evaluation", "evaluate_vectorised"]

_TABLE = ["area_id", "area_name", "municipality", "year", "rule_set", "rule_set_version"]


class Evaluation(Sequence["AreaDesignation"]):
    """Designations of area-years, one entry per area, year and rule set, in result order.

    Parameters
    ----------
    evaluator
        The columnar evaluator holding the statistics (``None`` for an empty result).
    rows
        Per entry, its row in the evaluator's statistics.
    codes
        Per entry, the position of its rule set in ``rule_sets``.
    rule_sets
        The rule sets the entries are evaluated under.
    """

    def __init__(
        self,
        evaluator: VectorisedEvaluator | None,
        rows: np.ndarray,
        codes: np.ndarray,
        rule_sets: Sequence[RuleSet],
    ) -> None:
        self._ev = evaluator
        self._rows = np.asarray(rows, dtype=np.int64)
        self._codes = np.asarray(codes, dtype=np.int64)
        self.rule_sets = list(rule_sets)
        self._built: list[AreaDesignation] | None = None
        self._building = threading.Lock()
        self._single: dict[int, AreaDesignation] = {}
        if evaluator is not None:
            for rule_set in self.rule_sets:
                _compute(evaluator, rule_set)

    @classmethod
    def empty(cls) -> Evaluation:
        """An evaluation of no rows."""
        return cls(None, np.empty(0, np.int64), np.empty(0, np.int64), [])

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> AreaDesignation: ...

    @overload
    def __getitem__(self, index: slice) -> list[AreaDesignation]: ...

    def __getitem__(self, index: int | slice) -> AreaDesignation | list[AreaDesignation]:
        if isinstance(index, slice):
            return self.objects()[index]
        if self._built is not None:
            return self._built[index]
        position = range(len(self))[index]  # IndexError as a list gives it
        found = self._single.get(position)
        if found is None:
            assert self._ev is not None
            rule_set = self.rule_sets[int(self._codes[position])]
            rows = self._rows[position : position + 1]
            found = Builder(self._ev, rule_set, rows).build()[0]
            self._single[position] = found
        return found

    def __iter__(self) -> Iterator[AreaDesignation]:
        return iter(self.objects())

    def __repr__(self) -> str:
        return f"Evaluation({len(self)} area-years)"

    def objects(self) -> list[AreaDesignation]:
        """Every entry as an :class:`AreaDesignation`, built once (per rule set, in bulk)."""
        with self._building:
            if self._built is None:
                self._built = self._build()
            return self._built

    def _build(self) -> list[AreaDesignation]:
        built: list[Any] = [None] * len(self)
        for code, rule_set in enumerate(self.rule_sets):
            positions = np.flatnonzero(self._codes == code)
            if len(positions) == 0 or self._ev is None:
                continue
            made = Builder(self._ev, rule_set, self._rows[positions]).build()
            for position, result in zip(positions.tolist(), made, strict=True):
                built[position] = self._single.get(position, result)
        return built

    def subset(self, positions: Sequence[int] | np.ndarray) -> Evaluation:
        """The entries at ``positions`` (in that order), sharing this evaluation's columns and
        the objects already built."""
        chosen = np.asarray(positions, dtype=np.int64)
        part = Evaluation(None, self._rows[chosen], self._codes[chosen], self.rule_sets)
        part._ev = self._ev
        built = self._built
        for new, old in enumerate(chosen.tolist()):
            found = built[old] if built is not None else self._single.get(old)
            if found is not None:
                part._single[new] = found
        return part

    def groups(self, *columns: str) -> dict[tuple[Any, ...], Evaluation]:
        """The entries grouped by columns of :meth:`table` (in order of first appearance),
        each group an :class:`Evaluation` whose objects are built when it is read."""
        table = self.table()
        if table.empty:
            return {}
        found = table.groupby(list(columns), sort=False).indices
        return {_key(key): self.subset(np.asarray(rows)) for key, rows in found.items()}

    def designations(self) -> list[list[str]]:
        """Per entry, the designations held (as :attr:`AreaDesignation.designations`)."""
        return [text.split(";") if text else [] for text in self._joined()]

    def table(self) -> pd.DataFrame:
        """One row per entry: ``area_id, area_name, municipality, year, rule_set,
        rule_set_version, residents`` (Int64) and ``designations`` (held ones, ``;``-joined),
        with the values of the per-entry objects but without building them."""
        if self._ev is None:
            frame = pd.DataFrame({c: pd.Series(dtype=object) for c in _TABLE})
            frame["residents"] = pd.array([], dtype="Int64")
            frame["designations"] = pd.Series(dtype=object)
            return frame
        columns, rows = self._ev.columns, self._rows
        areas = columns.area[rows]
        names = texts(columns.frame, "area_name", len(rows), rows)
        sets = self.rule_sets
        return pd.DataFrame(
            {
                "area_id": areas,
                "area_name": [n or a for n, a in zip(names, areas.tolist(), strict=True)],
                "municipality": texts(columns.frame, "municipality", len(rows), rows),
                "year": columns.year[rows],
                "rule_set": np.array([r.id for r in sets], dtype=object)[self._codes],
                "rule_set_version": np.array([r.version for r in sets], dtype=object)[self._codes],
                "residents": pd.array(ints(columns.number("residents")[rows]), dtype="Int64"),
                "designations": self._joined(),
            }
        )

    def _joined(self) -> np.ndarray:
        """Per entry, the held designations ``;``-joined (one string per distinct pattern)."""
        out = np.full(len(self), "", dtype=object)
        if self._ev is None:
            return out
        for code, rule_set in enumerate(self.rule_sets):
            positions = np.flatnonzero(self._codes == code)
            if len(positions) == 0:
                continue
            rows = self._rows[positions]
            ids = [d.id for d in rule_set.designations]
            pattern = np.zeros(len(rows), np.int64)
            for bit, designation in enumerate(ids):
                held = self._ev.designation(rule_set, designation)[rows] == 1
                pattern |= held.astype(np.int64) << bit
            distinct, inverse = np.unique(pattern, return_inverse=True)
            words = [";".join(d for b, d in enumerate(ids) if p >> b & 1) for p in distinct]
            out[positions] = np.array(words, dtype=object)[inverse.reshape(-1)]
        return out


def _key(key: object) -> tuple[Any, ...]:
    """A group key as a tuple of Python values."""
    parts = key if isinstance(key, tuple) else (key,)
    return tuple(k.item() if isinstance(k, np.generic) else k for k in parts)


def _compute(evaluator: VectorisedEvaluator, rule_set: RuleSet) -> None:
    """Every column an entry under ``rule_set`` reads, computed now (the evaluator keeps them)."""
    evaluator.criteria(rule_set)
    for spec in rule_set.designations:
        evaluator.designation(rule_set, spec.id)
        evaluator.designation(rule_set, spec.id, LIFTED)
        if spec.consecutive is not None:
            evaluator.earlier(rule_set, spec)
            evaluator.current(rule_set, spec, ACTUAL)


def evaluate_vectorised(
    statistics: pd.DataFrame,
    year: int | None,
    rule_sets: Sequence[RuleSet] | None,
    known: Sequence[RuleSet],
    history: ListHistory | None,
) -> Evaluation:
    """Designate the rows of ``year`` (every year when ``None``); see :func:`evaluate`."""
    if statistics.empty:
        return Evaluation.empty()
    ev = VectorisedEvaluator(statistics, known, history)
    rows = ev.rows_of(year)
    if rule_sets:
        chosen, key = [list(rule_sets)], np.zeros(len(rows), np.int64)
    else:
        chosen, key = _default_rule_sets(ev, rows)
    used: dict[str, int] = {}
    sets: list[RuleSet] = []
    for group in chosen:
        for rule_set in group:
            if rule_set.id not in used:
                used[rule_set.id] = len(sets)
                sets.append(rule_set)
    width = max((len(g) for g in chosen), default=0)
    table = np.full((len(chosen), max(width, 1)), -1, np.int64)
    for k, group in enumerate(chosen):
        table[k, : len(group)] = [used[r.id] for r in group]
    counts = np.array([len(g) for g in chosen], np.int64)[key]
    entries = np.repeat(rows, counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    offsets = np.arange(len(entries)) - starts
    codes = table[np.repeat(key, counts), offsets]
    return Evaluation(ev, entries, codes, sets)


def _default_rule_sets(
    ev: VectorisedEvaluator, rows: np.ndarray
) -> tuple[list[list[RuleSet]], np.ndarray]:
    """The regimes in force for each distinct (year, list date) of ``rows``, and each row's."""
    from boligmonitor.rules.evaluate import _as_date

    years = ev.columns.year[rows]
    if "list_date" not in ev.columns.frame.columns:
        distinct, key = np.unique(years, return_inverse=True)
        return [ev.default_rule_sets(int(y)) for y in distinct], key.reshape(-1)
    dates = ev.list_dates()
    pairs = list(zip(years.tolist(), [dates[r] for r in rows.tolist()], strict=True))
    codes, uniques = pd.factorize(pd.Series(pairs, dtype=object))
    chosen = [ev.default_rule_sets(int(y), _as_date(d)) for y, d in uniques]
    return chosen, np.asarray(codes, np.int64)
