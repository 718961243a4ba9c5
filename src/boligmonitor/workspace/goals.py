"""Workspace methods for the goal catalogue, its evaluation and the status report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from boligmonitor.workspace.base import WorkspaceBase

if TYPE_CHECKING:  # imported lazily: they load scipy and altair
    from boligmonitor.monitor.goals.evaluate import Evaluation as GoalEvaluation
    from boligmonitor.monitor.goals.model import Catalogue as GoalCatalogue


class GoalMethods(WorkspaceBase):
    """Workspace methods for the goal catalogue, its evaluation and the status report."""

    def goal_catalogue(
        self, name_or_path: str | None = None, source: str = "auto"
    ) -> GoalCatalogue:
        """The goal catalogue this workspace reports (default ``kk-2017-2025``).

        ``source``: ``published`` (the catalogue's values), ``microdata`` (derived from the
        workspace's microdata for the designated units) or ``auto`` (microdata when present).
        See ``docs/goals.md``.
        """
        from boligmonitor.monitor.goals.sources import parse_source, workspace_catalogue

        return workspace_catalogue(self, name_or_path, parse_source(source))

    def evaluate_goals(
        self, year: int, catalogue: str | None = None, source: str = "auto"
    ) -> GoalEvaluation:
        """Verdicts on every goal at a status year, with a summary per approach."""
        from boligmonitor.monitor.goals.evaluate import evaluate_catalogue

        return evaluate_catalogue(self.goal_catalogue(catalogue, source), year)

    def status_report(
        self,
        year: int,
        format: str = "html",
        catalogue: str | None = None,
        source: str = "auto",
        lang: str = "da",
    ) -> bytes:
        """The status report for a status year as HTML (UTF-8) or PDF bytes."""
        from boligmonitor.report.inputs import workspace_status_report

        return workspace_status_report(self, year, format, catalogue, source, lang)
