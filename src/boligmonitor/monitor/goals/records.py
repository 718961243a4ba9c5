"""Goal evaluations as flat records, for JSON, CSV, Excel and Parquet output."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from boligmonitor.i18n import Language
from boligmonitor.monitor.goals.evaluate import Evaluation
from boligmonitor.monitor.goals.explain import disagreement_text, indicator_text

__all__ = ["evaluation_frame", "evaluation_records"]


def evaluation_records(evaluation: Evaluation, lang: Language = "da") -> list[dict[str, Any]]:
    """One record per goal and indicator: the numbers, the verdicts and the reasons.

    Fields: ``goal, approach, goal_verdict, published_verdict, agrees, disagreement`` and the
    :class:`~boligmonitor.monitor.goals.evaluate.IndicatorEvaluation` fields (verdict values as
    strings, ``break_years`` as a list), plus ``gap_change`` and ``reason_text``.
    """
    catalogue = evaluation.catalogue
    records = []
    for goal in evaluation.goals:
        spec = catalogue.goal(goal.number)
        for result in goal.indicators:
            record = asdict(result)
            record.update(
                verdict=result.verdict.value,
                indication=result.indication.value if result.indication else None,
                indication_years=list(result.indication_years or ()) or None,
                break_years=list(result.break_years),
                gap_change=result.gap_change,
                reason_text=indicator_text(result, spec.indicator(result.indicator), lang),
                approach=goal.approach,
                goal_verdict=goal.verdict.value,
                published_verdict=goal.published.value if goal.published else None,
                agrees=goal.agrees,
                disagreement=disagreement_text(goal, catalogue, lang) or None,
            )
            records.append(record)
    return records


def evaluation_frame(evaluation: Evaluation, lang: Language = "da") -> pd.DataFrame:
    """The records as a table (lists joined with ``;``)."""
    frame = pd.DataFrame(evaluation_records(evaluation, lang))
    for column in ("break_years", "indication_years"):
        frame[column] = [";".join(map(str, v)) if v else "" for v in frame[column]]
    return frame
