"""Reports: the biennial status report of a goal catalogue in HTML and PDF, with charts."""

from __future__ import annotations

from boligmonitor.report.status import FORMATS, Report, ReportInput, build_report, render

__all__ = ["FORMATS", "Report", "ReportInput", "build_report", "render"]
