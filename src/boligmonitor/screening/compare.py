"""Comparing screening methods on the same units: who is designated under which method."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from boligmonitor.screening.screen import ScreeningResult

__all__ = ["MethodComparison", "compare_methods", "precision_recall"]


@dataclass(frozen=True)
class MethodComparison:
    """Per unit, designated or not under each method; and pairwise agreement.

    Attributes
    ----------
    units
        ``unit_id, residents`` and one boolean column per method id.
    agreement
        One row per pair of methods: units designated by both, only by the first, only by
        the second, and the Jaccard index (both / either).
    """

    units: pd.DataFrame
    agreement: pd.DataFrame

    def as_json(self) -> dict[str, Any]:
        """The comparison as JSON-ready data."""
        return {
            "units": self.units.to_dict(orient="records"),
            "agreement": self.agreement.to_dict(orient="records"),
        }


def compare_methods(results: Sequence[ScreeningResult]) -> MethodComparison:
    """Compare screening results of several methods (same units and year).

    Examples
    --------
    >>> comparison = compare_methods([default_result, berlin_result])  # doctest: +SKIP
    """
    base = results[0].units[["unit_id", "residents"]].copy()
    for result in results:
        base[result.method.id] = base["unit_id"].isin(result.designated_units())
    rows = []
    for i, first in enumerate(results):
        for second in results[i + 1 :]:
            a, b = first.designated_units(), second.designated_units()
            either = len(a | b)
            rows.append(
                {
                    "method_a": first.method.id,
                    "method_b": second.method.id,
                    "both": len(a & b),
                    "only_a": len(a - b),
                    "only_b": len(b - a),
                    "jaccard": len(a & b) / either if either else 1.0,
                }
            )
    columns = ["method_a", "method_b", "both", "only_a", "only_b", "jaccard"]
    return MethodComparison(base, pd.DataFrame(rows, columns=columns))


def precision_recall(found: set[str], truth: set[str]) -> tuple[float, float]:
    """Unit-level precision and recall of found units against known (planted) ones.

    Examples
    --------
    >>> precision_recall({"a", "b", "c"}, {"a", "b", "d", "e"})
    (0.6666666666666666, 0.5)
    """
    hits = len(found & truth)
    precision = hits / len(found) if found else (1.0 if not truth else 0.0)
    recall = hits / len(truth) if truth else 1.0
    return precision, recall
