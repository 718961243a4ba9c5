"""The microdata facet: register-style microdata and the indicators computed from it.

The microdata are registered in the store as views over the user's files (and recorded there,
so the dashboard and later commands reach them too). Statutory area statistics computed from them
pass disclosure control and then the same file route as an export, so designating them equals
designating the exported file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.indicators.base import UNIT_KINDS, UnitKind
from boligmonitor.indicators.statutory import needed_years
from boligmonitor.rules.facet import DesignationFacet
from boligmonitor.rules.model import RuleSet
from boligmonitor.rules.registry import shipped_rule_sets
from boligmonitor.schema.microdata import Microdata, persons_years
from boligmonitor.store import Store, Table

__all__ = ["MicrodataFacet", "unit_kind"]


def _designation_years(
    list_year: int, available: Sequence[int], rule_sets: Sequence[RuleSet] | None = None
) -> list[int]:
    """``list_year`` and the years before it that any consecutive-year designation spans."""
    spans = [
        d.consecutive.years
        for rs in (rule_sets or shipped_rule_sets())
        for d in rs.designations
        if d.consecutive is not None
    ]
    back = max(spans, default=1)
    return [y for y in available if list_year - back < y <= list_year]


def unit_kind(text: str) -> UnitKind:
    """Validate a unit name: ``screening_unit``, ``dkn100`` or ``dkn250``."""
    for kind in UNIT_KINDS:
        if text == kind:
            return kind
    raise InputError.single(
        "--unit", "unknown unit '{text}'; use one of {UNIT_KINDS}", text=text, UNIT_KINDS=UNIT_KINDS
    )


class MicrodataFacet:
    """Register-style microdata of a workspace and the indicators computed from them.

    Parameters
    ----------
    store
        The workspace database (where the microdata are registered).
    designations
        Receives the area statistics computed from the microdata.
    """

    def __init__(self, store: Store, designations: DesignationFacet) -> None:
        self.store = store
        self.designations = designations

    def load(
        self,
        folder: str | Path,
        validate: bool = True,
        layout: str = "native",
        years: Sequence[int] | None = None,
        list_year: int | None = None,
    ) -> Microdata:
        """Validate a microdata folder and register it in the workspace.

        Parameters
        ----------
        folder
            Microdata in the documented schema (``layout="native"``), or register files in a
            register layout (``"dst"`` or a mapping YAML file, see ``docs/registers.md``), which
            are imported first — into ``<workspace>/mikrodata-<layout>`` in a workspace folder.
        years
            With a register layout: the years to import (default: every year with a
            population file).
        list_year
            Check only the persons the designation of this list year needs
            (:meth:`designation_years` and their averaging windows); default: every year.

        Raises
        ------
        InputError
            Listing every problem (file, row, column); nothing is registered then.
        """
        if layout != "native":
            folder = self._imported(Path(folder), layout, years)
        checked = None
        available = persons_years(folder) if list_year is not None and validate else None
        if list_year is not None and available is not None:
            list_years = _designation_years(list_year, available)
            checked = needed_years(list_years, available, self.designations.rule_sets())
        return self.store.register_microdata(folder, validate=validate, years=checked)

    def designation_years(self, list_year: int | None) -> list[int]:
        """The list years whose statistics designating ``list_year`` needs: the list year and
        the earlier years its consecutive-year designations look back to (every year when
        ``None``)."""
        available = self.years()
        if list_year is None:
            return available
        return _designation_years(list_year, available, self.designations.rule_sets())

    def _imported(self, folder: Path, layout: str, years: Sequence[int] | None) -> Path:
        from boligmonitor.registers.importer import import_registers, register_years

        chosen = list(years) if years is not None else register_years(folder, layout)
        if self.store.folder is not None:
            out = self.store.folder / f"mikrodata-{Path(layout).stem}"
        else:
            out = Path(tempfile.mkdtemp(prefix="boligmonitor-registers-")) / "microdata"
        return import_registers(folder, chosen, layout, out).out

    def tables(self) -> Microdata:
        """The registered microdata (Ibis tables); :class:`InputError` when there are none."""
        return self.store.microdata()

    def available(self) -> bool:
        """Whether the workspace has microdata."""
        return self.store.has_microdata()

    def years(self) -> list[int]:
        """The years in the persons table."""
        return self.tables().years()

    def area_statistics(
        self, years: Sequence[int] | None = None, min_persons: int = 3
    ) -> pd.DataFrame:
        """Compute statutory area statistics and store them as the workspace's statistics.

        The statistics pass disclosure control and then the same file route as an export
        (written, read and validated), so designating them equals designating the export.
        """
        from boligmonitor.indicators.exports import disclosed_area_statistics, write_disclosed

        frame = disclosed_area_statistics(self.tables(), years, min_persons)
        with tempfile.TemporaryDirectory() as folder:
            path = write_disclosed(frame, Path(folder) / "area_statistics_from_microdata.csv")
            return self.designations.load_area_statistics(path)

    def store_area_outlines(self) -> pd.DataFrame:
        """Derive each statutory area's outline from its addresses and store it (the overview
        map; see :func:`boligmonitor.geo.areas.area_outlines`)."""
        from boligmonitor.geo.areas import area_outlines

        outlines = area_outlines(self.tables())
        with self.store.run("area_outlines"):
            self.store.write(Table.AREA_GEOMETRY, outlines)
        return outlines

    def disclosed_area_statistics(
        self, years: Sequence[int] | None = None, min_persons: int = 3
    ) -> pd.DataFrame:
        """Statutory area statistics as an export holds them: suppressed figures marked
        ``diskretioneret`` (see ``docs/disclosure.md``); nothing is stored."""
        from boligmonitor.indicators.exports import disclosed_area_statistics

        return disclosed_area_statistics(self.tables(), years, min_persons)

    def disclosed_unit_indicators(
        self,
        years: Sequence[int] | None = None,
        unit: str = "screening_unit",
        min_persons: int = 3,
    ) -> pd.DataFrame:
        """Copenhagen's five criteria per unit with one suppression pattern coordinated over
        every geography and year (see ``docs/disclosure.md``); nothing is stored."""
        from boligmonitor.indicators.exports import disclosed_unit_indicators

        return disclosed_unit_indicators(self.tables(), years, unit_kind(unit), min_persons)

    def unit_indicators(
        self, year: int | Sequence[int] | None = None, unit: str = "screening_unit"
    ) -> pd.DataFrame:
        """Copenhagen's five criteria per unit and year (undisclosed: for computation; exports
        go through :mod:`boligmonitor.disclosure`)."""
        from boligmonitor.indicators.copenhagen import unit_indicators

        return unit_indicators(self.tables(), year, unit_kind(unit))
