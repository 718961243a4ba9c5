"""Flat tables of designation results, for CSV, Excel, Parquet and screen tables."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from boligmonitor.rules.evaluate import AreaDesignation

__all__ = ["designations_frame"]

_CRITERION_FIELDS = ("value", "threshold", "comparison", "met", "margin", "flip_persons")


def designations_frame(results: Sequence[AreaDesignation]) -> pd.DataFrame:
    """One row per area, year and rule set; criteria spread as ``<criterion>_<field>`` columns.

    List columns (designations) are joined with ``;`` so the table opens cleanly in Excel.
    """
    rows = []
    for result in results:
        row: dict[str, object] = {
            "area_id": result.area_id,
            "area_name": result.area_name,
            "municipality": result.municipality,
            "year": result.year,
            "rule_set": result.rule_set,
            "rule_set_version": result.rule_set_version,
            "residents": result.residents,
            "designations": ";".join(result.designations),
            "designations_unknown": ";".join(result.designations_unknown),
            "below_population_minimum": result.below_population_minimum,
            "designations_if_population_met": ";".join(result.designations_if_population_met),
        }
        for criterion_id, criterion in result.criteria.items():
            for name in _CRITERION_FIELDS:  # the record's fields are the result's attributes
                row[f"{criterion_id}_{name}"] = getattr(criterion, name)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if column.endswith("_flip_persons") or column == "residents":
            frame[column] = frame[column].astype("Int64")
        elif (column.endswith("_met") and column != "designations_if_population_met") or (
            column == "below_population_minimum"
        ):
            frame[column] = frame[column].astype("boolean")
    return frame
