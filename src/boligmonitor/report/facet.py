"""The reports facet: a workspace's status report (published figures or microdata).

The report's inputs are gathered from the goals and screening facets handed in at composition;
rendering (:mod:`.status`) knows nothing of the workspace.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from boligmonitor.errors import InputError
from boligmonitor.i18n import LANGUAGES, Language, as_language, translate
from boligmonitor.monitor.gap import GapReport
from boligmonitor.monitor.goals.evaluate import evaluate_catalogue
from boligmonitor.monitor.goals.facet import GoalsFacet
from boligmonitor.monitor.reference import load_reference
from boligmonitor.monitor.reference_gap import reference_gap
from boligmonitor.report.model import ReportInput
from boligmonitor.report.status import render
from boligmonitor.screening.facet import ScreeningFacet

if TYPE_CHECKING:
    from boligmonitor.outlook.facet import OutlookFacet
    from boligmonitor.simulation.montecarlo import SimulationResult

__all__ = ["REFERENCE", "ReportsFacet"]

#: The published reference dataset used for the gap of the shipped catalogue.
REFERENCE = "kk-2021"

_ORIGIN = {
    "published": "The goals' figures, the criteria's levels (Tabel 1) and the 2017 gap "
    "(Tabel 2) are as published in the status report; gaps, milestones and progress are "
    "recomputed from them, beside the report's own figures.",
    "microdata": "Figures derived from the workspace's microdata for the units designated "
    "in the first round; indicators the microdata do not support are marked not available, and "
    "small numbers are suppressed.",
}


def _published_gap(year: int) -> GapReport:
    reference = load_reference(REFERENCE)
    years = [y for y in reference.tabel_1.years() if y <= year]
    return reference_gap(REFERENCE, years or None)


def _language(lang: str) -> Language:
    if lang not in LANGUAGES:
        raise InputError.single(
            "--lang", "unknown language '{language}'; use da or en", language=lang
        )
    return as_language(lang)


class ReportsFacet:
    """Status reports of one workspace.

    Parameters
    ----------
    goals
        The goal catalogue and its evaluation.
    screening
        The gap and the unit geometry of the map.
    """

    def __init__(
        self,
        goals: GoalsFacet,
        screening: ScreeningFacet,
        outlook: OutlookFacet | None = None,
    ) -> None:
        self.goals = goals
        self.screening = screening
        self.outlook = outlook

    def _sections(
        self, lang: Language, simulation: tuple[SimulationResult, SimulationResult] | None
    ) -> tuple[str, ...]:
        """The optional sections: the stored outlook, and a simulated policy comparison."""
        from boligmonitor.outlook.facet import watch_list
        from boligmonitor.outlook.views import status_section
        from boligmonitor.simulation.report import simulation_section

        sections: list[str] = []
        stored = self.outlook.stored() if self.outlook is not None else None
        if stored is not None and not stored.empty:
            latest = stored[stored["year"] == stored["year"].max()]
            sections.append(str(status_section(latest, watch_list(latest), lang)))
        if simulation is not None:
            sections.append(simulation_section(simulation[0], simulation[1], lang))
        return tuple(sections)

    def _computed_gap(self) -> GapReport | None:
        """The gap from the workspace's unit statistics and screening rounds (fixed tracking)."""
        try:
            return self.screening.gap(store=False)
        except InputError:
            return None  # no unit statistics or no screening stored

    def status_input(
        self,
        year: int,
        catalogue: str | None = None,
        source: str = "auto",
        lang: Language = "da",
        simulation: tuple[SimulationResult, SimulationResult] | None = None,
    ) -> ReportInput:
        """The inputs of the status report for a status year.

        With ``source="published"`` (or ``auto`` and no microdata) the shipped catalogue's
        values and the published gap are used; otherwise the microdata-derived values and,
        when the workspace has unit statistics, the gap computed from them. The map shows the
        workspace's screening units whenever it has them. A stored outlook adds its section;
        ``simulation`` (policy A and policy B) adds a comparison of the two.
        """
        derived = self.goals.derived(source)
        cat = self.goals.catalogue(catalogue, "microdata" if derived else "published")
        evaluation = evaluate_catalogue(cat, year)
        reference = load_reference(REFERENCE)
        kind = "microdata" if derived else "published"
        origin = translate(_ORIGIN[kind], lang)
        rounds = self.screening.rounds()
        baseline_units = rounds[min(rounds)] if rounds else set()
        return ReportInput(
            evaluation,
            self._computed_gap() if derived else _published_gap(year),
            reference,
            geometry=self._unit_geometry(baseline_units),
            origin=origin,
            lang=lang,
            sections=self._sections(lang, simulation),
        )

    def status(
        self,
        year: int,
        format: str = "html",
        catalogue: str | None = None,
        source: str = "auto",
        lang: str = "da",
        simulation: tuple[SimulationResult, SimulationResult] | None = None,
    ) -> bytes:
        """The status report as HTML (UTF-8) or PDF bytes.

        Raises
        ------
        InputError
            For an unknown format, language or source (before anything is computed).
        """
        if format not in ("html", "pdf"):
            raise InputError.single(
                "--format", "unknown format '{format}'; use html or pdf", format=format
            )
        data = self.status_input(year, catalogue, source, _language(lang), simulation)
        return render(data, "pdf" if format == "pdf" else "html")

    def _unit_geometry(self, designated: Collection[str]) -> dict[str, Any] | None:
        """GeoJSON of the screening units with a ``designated`` flag, if any geometry."""
        frame = self.screening.units()
        if frame is None or "geometry_wkt" not in frame.columns:
            return None
        import shapely

        chosen = set(designated)
        features = [
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(shapely.from_wkt(wkt)),
                "properties": {"unit_id": str(unit), "designated": str(unit) in chosen},
            }
            for unit, wkt in zip(frame["unit_id"], frame["geometry_wkt"], strict=True)
            if isinstance(wkt, str)
        ]
        return {"type": "FeatureCollection", "features": features} if features else None
