"""What a status report is made from and what building it gives: the report's model.

:mod:`.status` builds a :class:`Report` from a :class:`ReportInput`; :mod:`.html` and :mod:`.pdf`
render a :class:`Report`. Neither renderer imports the builder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from boligmonitor.i18n import Language
from boligmonitor.monitor.gap import GapReport
from boligmonitor.monitor.goals.evaluate import Evaluation
from boligmonitor.monitor.reference import ReferenceDataset

__all__ = ["Report", "ReportInput"]


@dataclass(frozen=True)
class ReportInput:
    """What a status report is made from.

    Parameters
    ----------
    evaluation
        The goals evaluated at the report's status year.
    gap
        The gap report (published reference or computed from a workspace); ``None`` leaves the
        criteria section out with a note.
    reference
        The reference dataset giving the criteria's data definitions and Tabel 2's printed
        progress.
    geometry
        GeoJSON of screening units with a boolean ``designated`` property, for the map.
    origin
        One sentence on where the figures come from.
    generated
        The date printed on the report.
    sections
        Optional sections of other capabilities (the outlook for the next list, a simulated
        allocation policy) as ready HTML fragments, shown after the map in the HTML report.
    """

    evaluation: Evaluation
    gap: GapReport | None = None
    reference: ReferenceDataset | None = None
    geometry: dict[str, Any] | None = None
    origin: str = ""
    generated: dt.date = field(default_factory=dt.date.today)
    lang: Language = "da"
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """A built report: the formatted context and the rendered SVG charts by name."""

    context: dict[str, Any]
    svgs: dict[str, str]
