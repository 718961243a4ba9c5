"""CLI command ``simulate``: test an allocation policy on the workspace's microdata."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from boligmonitor.cli.common import (
    SEED_MAX,
    YEAR_MAX,
    YEAR_MIN,
    LangOption,
    OutOption,
    console,
    console_err,
    language,
    open_workspace,
    wrote,
)
from boligmonitor.errors import InputError
from boligmonitor.i18n import Language, fmt_number, translate

if TYPE_CHECKING:
    import pandas as pd

    from boligmonitor.simulation import SimulationFacet, SimulationResult
    from boligmonitor.workspace import Workspace


__all__ = ["register"]

_SUFFIXES = (".xlsx", ".json", ".parquet", ".csv")


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on a terminal; plain log lines (every 10 %) otherwise."""
    if console_err.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console_err) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)
        return
    done = [0]

    def log(n: int) -> None:
        done[0] += n
        if done[0] == total or done[0] % max(total // 10, 1) == 0:
            console_err.print(f"{label}: {done[0]}/{total}", highlight=False)

    yield log


def _run(
    facet: SimulationFacet,
    ref: str,
    years: int,
    runs: int,
    seed: int,
    start_year: int | None,
    inference: int,
    lang: Language,
) -> SimulationResult:
    policy = facet.policy(ref)
    label = translate("Simulating {policy}", lang, policy=policy.name(lang))
    with _progress(years * runs, label) as progress:
        return facet.simulate(policy, years, runs, seed, start_year, inference, progress)


def _table(facet: SimulationFacet, results: list[SimulationResult], lang: Language) -> Table:
    last = results[0].start_year + results[0].years
    table = Table(
        title=translate(
            "Simulated {year}: share outside the labour market (90 % band)", lang, year=last
        )
    )
    table.add_column(translate("Area", lang))
    for result in results:
        table.add_column(result.policy.name(lang), justify="right")
    summaries = [facet.summary(r) for r in results]
    rows = [
        s[(s["year"] == last) & (s["measure"] == "labour_pct")].set_index("area_id")
        for s in summaries
    ]
    for area in rows[0].index:
        cells = [
            f"{fmt_number(r.loc[area, 'mean'], 1, lang)} "
            f"({fmt_number(r.loc[area, 'low'], 1, lang)}–"
            f"{fmt_number(r.loc[area, 'high'], 1, lang)})"
            for r in rows
        ]
        table.add_row(str(rows[0].loc[area, "area_name"]), *cells)
    return table


def _frame(facet: SimulationFacet, results: list[SimulationResult]) -> pd.DataFrame:
    import pandas as pd

    frames = [facet.summary(r).assign(policy_id=r.policy.id) for r in results]
    if len(results) == 2:
        diff = facet.compare(*results).rename(columns={"difference": "mean"})
        frames.append(diff.assign(policy_id=f"{results[1].policy.id}-minus-{results[0].policy.id}"))
    return pd.concat(frames, ignore_index=True)


def _print_housing(facet: SimulationFacet, result: SimulationResult, lang: Language) -> None:
    """One line per udviklingsplan area: the share of almene familieboliger in the last
    simulated year (90 % band) and how often it meets 40 %."""
    from boligmonitor.simulation.montecarlo import reconcentration_share

    summary = facet.housing(result)
    if summary.empty:
        return
    last = summary[summary["year"] == summary["year"].max()].set_index(["area_id", "measure"])
    for area_id in sorted(last.index.get_level_values("area_id").unique()):
        share, met = (
            last.loc[(area_id, "family_share_pct")],
            last.loc[(area_id, "family_share_met")],
        )
        console.print(
            translate(
                "{policy}, {area}: almene familieboliger {year}: {share} % ({low}–{high}); "
                "at most 40 % in {met} of runs",
                lang,
                policy=result.policy.name(lang),
                area=share["area_name"],
                year=int(summary["year"].max()),
                share=fmt_number(share["mean"], 1, lang),
                low=fmt_number(share["low"], 1, lang),
                high=fmt_number(share["high"], 1, lang),
                met=fmt_number(100 * met["mean"], 0, lang) + " %",
            )
        )
    moved = reconcentration_share(result, "rehoused")
    console.print(
        translate(
            "{policy}: share of re-housed households landing in another listed area: {share}",
            lang,
            policy=result.policy.name(lang),
            share="–" if moved != moved else fmt_number(100 * moved, 1, lang) + " %",
        )
    )


def _payload(facet: SimulationFacet, results: list[SimulationResult]) -> dict[str, object]:
    from boligmonitor.simulation.montecarlo import reconcentration_share

    def records(frame: pd.DataFrame) -> list[dict[str, object]]:
        return frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[return-value]

    payload: dict[str, object] = {
        r.policy.id: {
            "policy": r.policy.model_dump(),
            "areas": records(facet.summary(r)),
            "segregation": records(facet.segregation(r)),
            "flows": records(facet.flows(r)),
            "reconcentration_share": reconcentration_share(r),
            "housing": records(facet.housing(r)),
            "rehousing_reconcentration_share": reconcentration_share(r, "rehoused"),
            "ledger": records(r.ledger),
        }
        for r in results
    }
    if len(results) == 2:
        payload["comparison"] = records(facet.compare(*results))
        payload["segregation_comparison"] = records(facet.compare_segregation(*results))
    return payload


def simulate(
    policy: Annotated[str, typer.Option("--policy", help="Politik: id eller YAML-fil.")],
    microdata: Annotated[
        Path | None,
        typer.Option("--microdata", "-m", help="Mikrodata (mappe); uden: arbejdsområdets."),
    ] = None,
    compare: Annotated[
        str | None, typer.Option("--compare", help="Sammenlign med politik.")
    ] = None,
    years: Annotated[int, typer.Option("--years", min=1, max=50, help="Simulerede år.")] = 10,
    runs: Annotated[int, typer.Option("--runs", min=1, max=1000, help="Monte Carlo-kørsler.")] = 50,
    seed: Annotated[
        int, typer.Option("--seed", min=0, max=SEED_MAX, help="Tilfældighedsfrø.")
    ] = 2017,
    start_year: Annotated[
        int | None, typer.Option("--start-year", min=YEAR_MIN, max=YEAR_MAX, help="Startår.")
    ] = None,
    inference: Annotated[
        int,
        typer.Option("--inference", min=0, help="Nulsimuleringer for segregationens p-værdier."),
    ] = 39,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", help="Arbejdsområde; resultaterne gemmes der."),
    ] = None,
    out: OutOption = None,
    lang: LangOption = "da",
) -> None:
    """Simulér en udlejningspolitik: kriterier, lister, fortrængte husstande og segregation."""
    from boligmonitor.io.export import check_output

    chosen = language(lang)
    check_output(out, _SUFFIXES)
    ws = _workspace_with_microdata(workspace, microdata)
    facet = ws.simulation
    refs = [policy, *([compare] if compare else [])]
    results = [_run(facet, r, years, runs, seed, start_year, inference, chosen) for r in refs]
    console.print(_table(facet, results, chosen))
    for result in results:
        _print_reconcentration(result, chosen)
        _print_housing(facet, result, chosen)
    if workspace is not None:
        facet.save(*results)
    if out is not None:
        _write_results(out, facet, results)


def _workspace_with_microdata(workspace: Path | None, microdata: Path | None) -> Workspace:
    """The workspace, with ``--microdata`` loaded if given; it must have microdata."""
    ws = open_workspace(workspace)
    if microdata is not None:
        ws.microdata.load(microdata)
    if not ws.microdata.available():
        raise InputError.single("--microdata", "no microdata: give --microdata DIR")
    return ws


def _print_reconcentration(result: SimulationResult, lang: Language) -> None:
    """The share of refused households that land in another listed area."""
    from boligmonitor.simulation.montecarlo import reconcentration_share

    share = reconcentration_share(result)
    console.print(
        translate(
            "{policy}: share of refused households landing in another listed area: {share}",
            lang,
            policy=result.policy.name(lang),
            share="–" if share != share else fmt_number(100 * share, 1, lang) + " %",
        )
    )


def _write_results(out: Path, facet: SimulationFacet, results: list[SimulationResult]) -> None:
    """Write the results and their summaries to ``--out``."""
    from boligmonitor.io.export import write_output

    written = write_output(out, _payload(facet, results), _frame(facet, results))
    wrote(written)


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to the CLI."""
    app.command("simulate")(simulate)
