"""Reports: the biennial status report of a goal catalogue in HTML and PDF, with charts."""

from __future__ import annotations

from boligmonitor.report.model import Report, ReportInput
from boligmonitor.report.status import FORMATS, build_report, render

__all__ = ["FORMATS", "Report", "ReportInput", "build_report", "render"]
