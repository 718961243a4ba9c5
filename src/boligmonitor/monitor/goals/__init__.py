"""Policy goals as data: catalogues, evaluation with verdicts, and goals from microdata.

Copenhagen's *Politik for Udsatte Byområder* (2017–2025) follows 18 goals under three
approaches; the shipped catalogue ``kk-2017-2025`` transcribes the 2021 status report. See
``docs/goals.md``.
"""

from __future__ import annotations

from boligmonitor.monitor.goals.catalogue import (
    DEFAULT_CATALOGUE,
    load_catalogue,
    resolve_catalogue,
    shipped_catalogues,
)
from boligmonitor.monitor.goals.evaluate import (
    ApproachSummary,
    Evaluation,
    GoalEvaluation,
    IndicatorEvaluation,
    evaluate_catalogue,
    evaluate_goal,
    evaluate_indicator,
    two_proportion_p_value,
)
from boligmonitor.monitor.goals.model import Catalogue, Goal, Indicator, Verdict

__all__ = [
    "DEFAULT_CATALOGUE",
    "ApproachSummary",
    "Catalogue",
    "Evaluation",
    "Goal",
    "GoalEvaluation",
    "Indicator",
    "IndicatorEvaluation",
    "Verdict",
    "evaluate_catalogue",
    "evaluate_goal",
    "evaluate_indicator",
    "load_catalogue",
    "resolve_catalogue",
    "shipped_catalogues",
    "two_proportion_p_value",
]
