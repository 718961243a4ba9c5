"""The goals facet: the goal catalogue a workspace reports and its evaluation.

A workspace without microdata reports the shipped (published) catalogue. A workspace with
register-style microdata and a municipal screening reports the goal indicators derived from the
microdata (:mod:`.microdata`) for the units designated in the first round, followed over the
period as the 2021 status follows the areas of 2017.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from boligmonitor.errors import InputError
from boligmonitor.indicators.facet import MicrodataFacet
from boligmonitor.monitor.goals.catalogue import resolve_catalogue
from boligmonitor.monitor.goals.evaluate import Evaluation, evaluate_catalogue
from boligmonitor.monitor.goals.microdata import DEFAULT_MIN_PERSONS, derive_catalogue
from boligmonitor.monitor.goals.model import Catalogue
from boligmonitor.screening.facet import ScreeningFacet

__all__ = ["GoalsFacet", "Source", "parse_source"]

Source = Literal["auto", "published", "microdata"]


def parse_source(text: str) -> Source:
    """Validate a source name (``auto``, ``published`` or ``microdata``).

    Raises
    ------
    InputError
        For any other name.
    """
    for source in ("auto", "published", "microdata"):
        if text == source:
            return source
    raise InputError.single(
        "--source", "unknown source '{text}'; use auto, published or microdata", text=text
    )


class GoalsFacet:
    """The goals of a policy (Copenhagen 2017–2025 by default) as a workspace reports them.

    Parameters
    ----------
    microdata
        Where derived goal indicators come from.
    screening
        The designated units the derived indicators are computed for.
    """

    def __init__(self, microdata: MicrodataFacet, screening: ScreeningFacet) -> None:
        self.microdata = microdata
        self.screening = screening

    def derived(self, source: str) -> bool:
        """Whether ``source`` means figures derived from the workspace's microdata."""
        chosen = parse_source(source)
        return chosen == "microdata" or (chosen == "auto" and self.microdata.available())

    def catalogue(
        self,
        name_or_path: str | None = None,
        source: str = "auto",
        designated_units: Collection[str] | None = None,
        min_persons: int = DEFAULT_MIN_PERSONS,
    ) -> Catalogue:
        """The catalogue a workspace reports: published values, or values derived from microdata.

        Parameters
        ----------
        name_or_path
            Shipped catalogue id or YAML path (default ``kk-2017-2025``).
        source
            ``published`` (the catalogue's own values), ``microdata`` (derived) or ``auto``
            (microdata when the workspace holds it).
        designated_units
            Units of the designated areas; default those of the first screening round stored.

        Raises
        ------
        InputError
            When microdata are asked for but absent, or no designated units are known.
        """
        catalogue = resolve_catalogue(name_or_path)
        if not self.derived(source):
            return catalogue
        tables = dict(self.microdata.tables().tables)
        units = designated_units
        if units is None:
            rounds = self.screening.rounds()
            if not rounds:
                raise InputError.single(
                    "workspace", "no designated screening units; screen the city first"
                )
            units = rounds[min(rounds)]
        return derive_catalogue(catalogue, tables, units, min_persons=min_persons)

    def evaluate(self, year: int, catalogue: str | None = None, source: str = "auto") -> Evaluation:
        """Verdicts on every goal at a status year, with a summary per approach."""
        return evaluate_catalogue(self.catalogue(catalogue, source), year)
