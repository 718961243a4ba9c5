"""The demo: a synthetic Copenhagen-like city run through every part of Boligmonitor.

``boligmonitor demo DIR`` (and ``make demo``) generates the synthetic city, builds a workspace
in ``DIR`` from its microdata — statutory area statistics and designations for every year, the
areas' outlines for the overview map (:func:`~boligmonitor.geo.areas.area_outlines`), the city
screening rounds 2017, 2021 and 2025, the gap, the shipped helhedsplaner and goals, the published
record of the real areas (values 2010–2024 and the official list history), an example
udviklingsplan and next year's outlook — writes
the main results as files, and then serves the dashboard. Everything goes through the
:class:`~boligmonitor.workspace.Workspace`, exactly as an analyst's own script would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from boligmonitor.data import example_path
from boligmonitor.errors import InputError
from boligmonitor.i18n import translate
from boligmonitor.io.export import atomic_path, write_output
from boligmonitor.progress import Steps
from boligmonitor.rules.evaluate import AreaDesignation
from boligmonitor.rules.explain import explain_text
from boligmonitor.rules.tables import designations_frame
from boligmonitor.synth.generate import generate
from boligmonitor.workspace import Workspace

__all__ = ["DEMO_ROUNDS", "DemoSummary", "build_demo"]

#: Copenhagen re-designates its udsatte byområder every four years.
DEMO_ROUNDS = (2017, 2021, 2025)
MICRODATA_FOLDER = "mikrodata"
PUBLISHED_VALUES = "offentliggjorte_vaerdier.csv"
#: The dashboard's simulation page compares the statutory letting rules with no policy at all.
DEMO_POLICIES = ("statutory", "baseline")
DEMO_SIMULATION_YEARS, DEMO_SIMULATION_RUNS = 5, 10


@dataclass(frozen=True)
class DemoSummary:
    """What the demo built, for the closing message."""

    folder: Path
    persons: int
    years: list[int]
    designations: int
    designated_areas: dict[str, int]
    files: list[Path]


def build_demo(
    folder: str | Path, persons: int | None = None, seed: int = 2017, progress: bool = True
) -> DemoSummary:
    """Generate the synthetic city and build a complete demo workspace in ``folder``.

    Parameters
    ----------
    folder
        The workspace folder (created); the microdata goes to ``folder/mikrodata``.
    persons
        Residents of the synthetic city (default: the city preset, about 650 000).
    seed
        Random seed of the generator.
    progress
        Show progress bars.

    Raises
    ------
    InputError
        When ``folder`` holds something other than an earlier demo.
    """
    target = Path(folder)
    _refuse_foreign_folder(target)
    microdata = target / MICRODATA_FOLDER
    truth = generate(microdata, "city", seed=seed, persons=persons, progress=progress)
    with Workspace.create(target) as ws, Steps(9, progress, "Demo") as steps:
        years = _load_microdata(ws, steps, microdata)
        _load_area_statistics(ws, steps, target, years)
        steps.advance(translate("Designating every list year", steps.lang))
        results = ws.designate()
        _screen_the_city(ws, steps, microdata, years)
        _plan_and_outlook(ws, steps, persons is None, years)
        _simulate_policies(ws, steps)
        steps.advance(translate("Writing the result files", steps.lang))
        files = _write_results(ws, target, results)
        steps.advance(translate("Saving the workspace", steps.lang))
    latest = Counter(d for r in results if r.year == max(years) for d in r.designations)
    return DemoSummary(target, int(truth["persons"]), years, len(results), dict(latest), files)


def _load_microdata(ws: Workspace, steps: Steps, microdata: Path) -> list[int]:
    """Validate and register the city's microdata and store the areas' outlines; its years."""
    steps.advance(translate("Validating the microdata", steps.lang))
    ws.load_microdata(microdata)
    steps.advance(translate("Outlines of the areas", steps.lang))
    ws.microdata.store_area_outlines()  # the overview map
    return ws.microdata.tables().years()


def _load_area_statistics(ws: Workspace, steps: Steps, folder: Path, years: list[int]) -> None:
    """The synthetic areas' statistics, the example areas' and the real areas' published
    values with the official list history."""
    steps.advance(translate("Area statistics from the microdata", steps.lang))
    ws.area_statistics_from_microdata(years)
    ws.load_area_statistics(example_path("mimerskvarter_2020.csv"))
    ws.load_area_statistics(_published_values(ws, folder))
    ws.record.load_history("official")


def _screen_the_city(ws: Workspace, steps: Steps, microdata: Path, years: list[int]) -> None:
    """Screen the city's units in every round of :data:`DEMO_ROUNDS`, then the gap."""
    steps.advance(translate("Screening the city", steps.lang))
    ws.screening.load_units(microdata / "units.parquet")
    ws.screening.unit_statistics_from_microdata(years)
    for round_year in DEMO_ROUNDS:
        ws.screen(round_year)
    ws.gap()


def _plan_and_outlook(ws: Workspace, steps: Steps, full_city: bool, years: list[int]) -> None:
    """The example udviklingsplan (written for the full city's BO0005) and next year's outlook."""
    steps.advance(translate("Udviklingsplan and outlook", steps.lang))
    if full_city:
        ws.udviklingsplaner.load_example()
    ws.outlook.compute(max(years) + 1)


def _simulate_policies(ws: Workspace, steps: Steps) -> None:
    """Simulate each of :data:`DEMO_POLICIES` and store the runs for the simulation page."""
    steps.advance(translate("Simulating two letting policies", steps.lang))
    ws.simulation.save(
        *(
            ws.simulation.simulate(policy, DEMO_SIMULATION_YEARS, DEMO_SIMULATION_RUNS)
            for policy in DEMO_POLICIES
        )
    )


def _published_values(ws: Workspace, folder: Path) -> Path:
    """The published values of the real areas on the lists 2010–2024, as an area statistics
    file beside the workspace (the real areas' pages then show their values and history)."""
    frame = ws.record.published_statistics()
    path = folder / PUBLISHED_VALUES
    with atomic_path(path) as temporary:
        frame.to_csv(temporary, index=False)
    return path


def _refuse_foreign_folder(folder: Path) -> None:
    """Only an empty folder or an earlier demo may be (re)built into."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    if not (folder / MICRODATA_FOLDER).is_dir():
        raise InputError.single(folder, "folder is not empty and holds no earlier demo")


def _write_results(ws: Workspace, folder: Path, results: Sequence[AreaDesignation]) -> list[Path]:
    """The files an analyst opens first: designations, one explanation, the status report."""
    frame = designations_frame(results)
    files = [
        write_output(folder / "udpegninger.json", [r.as_record() for r in results], frame),
        write_output(folder / "udpegninger.xlsx", None, frame),
    ]
    mimer = ws.explain("VIBO 108", 2020, ["dk-2018"])[0]
    files.append(
        _write_text(
            folder / "forklaring_vibo_108.txt",
            explain_text(mimer, ws.designations.rule_set("dk-2018")) + "\n",
        )
    )
    report = ws.reports.status(2021, "html")
    with atomic_path(folder / "statusrapport_2021.html") as temporary:
        temporary.write_bytes(report)
    files.append(folder / "statusrapport_2021.html")
    return files


def _write_text(path: Path, text: str) -> Path:
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path
