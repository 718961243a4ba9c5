"""CLI commands for state pools and initiative agreements.

``pool show|allocate`` and ``agreement show|finance|goal``: the pools of a pool file (default the
shipped example of seed 002), a pool divided between municipalities, an agreement's initiatives
and money, and the goal counted from the published lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table as RichTable

from boligmonitor.cli.common import (
    YEAR_MAX,
    YEAR_MIN,
    LangOption,
    OutOption,
    WorkspaceOption,
    console,
    language,
    open_workspace,
    save,
)
from boligmonitor.i18n import Language, translate

if TYPE_CHECKING:
    from boligmonitor.finance.pools import AgreementFinance, PoolShare
    from boligmonitor.finance.pools_facet import MembershipSource, PoolsFacet


__all__ = ["register"]

pool_app = typer.Typer(help="Statslige puljer og deres fordeling.", no_args_is_help=True)
agreement_app = typer.Typer(help="Initiativaftaler med staten.", no_args_is_help=True)

PoolsOption = Annotated[
    Path | None,
    typer.Option("--pools", help="Puljefil (YAML eller Excel). Uden: de gemte eller eksemplet."),
]
SourceOption = Annotated[
    str, typer.Option("--source", help="Listerne: published (offentliggjort) eller workspace.")
]


@contextmanager
def _facet(folder: Path | None, pools: Path | None) -> Iterator[PoolsFacet]:
    with open_workspace(folder, read_only=pools is None) as ws:
        if pools is not None:
            ws.pools.load(pools)
        yield ws.pools


def _source(value: str) -> MembershipSource:
    if value not in ("published", "workspace"):
        raise typer.BadParameter("use 'published' or 'workspace'", param_hint="--source")
    return "published" if value == "published" else "workspace"


def _table(title: str, headings: list[str], rows: list[list[str]]) -> RichTable:
    table = RichTable(title=title)
    for position, heading in enumerate(headings):
        table.add_column(heading, justify="left" if position == 0 else "right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


@pool_app.command("show")
def pool_show(
    pool_id: Annotated[str | None, typer.Argument(help="Puljens id; uden: alle puljer.")] = None,
    pools: PoolsOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis puljerne: beløb, periode, fordelingsnøgle og medfinansiering."""
    from boligmonitor.finance.pools_catalogue import find_pool
    from boligmonitor.finance.pools_text import pool_lines

    chosen = language(lang)
    with _facet(workspace, pools) as facet:
        catalogue = facet.catalogue()
    chosen_pools = [find_pool(catalogue, pool_id)] if pool_id else catalogue.pools
    for pool in chosen_pools:
        console.print("\n".join(pool_lines(pool, chosen)), highlight=False, markup=False)


@pool_app.command("allocate")
def pool_allocate(
    pool_id: Annotated[str, typer.Argument(help="Puljens id.")],
    pools: PoolsOption = None,
    source: SourceOption = "published",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Fordel en pulje på kommunerne efter nøglen, præcist i øre (største rest)."""
    import pandas as pd

    from boligmonitor.finance.pools_catalogue import find_pool
    from boligmonitor.finance.pools_text import share_rows

    chosen = language(lang)
    with _facet(workspace, pools) as facet:
        pool = find_pool(facet.catalogue(), pool_id)
        shares = facet.allocation(pool_id, _source(source))
    headings, rows = share_rows(shares, chosen)
    console.print(_table(pool.name, headings, rows))
    save(out, [_share_record(s) for s in shares], pd.DataFrame(map(_share_record, shares)))


def _share_record(share: PoolShare) -> dict[str, object]:
    from boligmonitor.finance.pools_text import kroner

    return {
        "municipality": share.municipality,
        "weight": str(share.weight),
        "amount_kr": kroner(share.amount),
        "published_kr": None if share.published is None else kroner(share.published),
        "difference_kr": None if share.difference is None else kroner(share.difference),
    }


@agreement_app.command("show")
def agreement_show(
    agreement_id: Annotated[str, typer.Argument(help="Aftalens id.")],
    pools: PoolsOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis en aftale: områder, initiativer, puljer og områder under andre indsatser."""
    from boligmonitor.finance.pools_catalogue import find_agreement
    from boligmonitor.finance.pools_text import agreement_lines

    chosen = language(lang)
    with _facet(workspace, pools) as facet:
        agreement = find_agreement(facet.catalogue(), agreement_id)
    text = "\n".join(agreement_lines(agreement, chosen))
    console.print(text, highlight=False, markup=False)


@agreement_app.command("finance")
def agreement_finance_command(
    agreement_id: Annotated[str, typer.Argument(help="Aftalens id.")],
    pools: PoolsOption = None,
    source: SourceOption = "published",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Vis en aftales beløb pr. år, kommunal medfinansiering og tjek mod puljerne."""
    import pandas as pd

    from boligmonitor.finance.pools_text import finance_rows

    chosen = language(lang)
    with _facet(workspace, pools) as facet:
        finance = facet.agreement_finance(agreement_id, _source(source))
    headings, rows, notes = finance_rows(finance, chosen)
    title = translate("Financing of {name}", chosen, name=finance.agreement.name)
    console.print(_table(title, headings, rows))
    console.print("\n".join(notes), highlight=False, markup=False)
    frame = pd.DataFrame(_finance_records(finance))
    save(out, frame.to_dict(orient="records"), frame)


def _finance_records(finance: AgreementFinance) -> list[dict[str, object]]:
    from boligmonitor.finance.pools_text import kroner

    return [
        {
            "initiative": item.initiative.id,
            "pool": item.pool.id,
            "year": year,
            "applied_kr": kroner(applied),
            "municipal_kr": kroner(item.municipal[year]),
        }
        for item in finance.initiatives
        for year, applied in item.applied.items()
    ]


@agreement_app.command("goal")
def agreement_goal(
    goals: Annotated[
        Path | None, typer.Option("--goals", help="Målkatalog (YAML); uden: halveringsmålet.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", min=YEAR_MIN, max=YEAR_MAX, help="Statusår; uden: målåret."),
    ] = None,
    source: SourceOption = "published",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = "da",
) -> None:
    """Tæl målet fra listerne: antal områder på hver liste, regelskift og vurdering."""
    import pandas as pd

    from boligmonitor.finance.pools_text import goal_rows

    chosen: Language = language(lang)
    with _facet(workspace, None) as facet:
        result = facet.list_goal(goals, year, _source(source))
    headings, rows, notes = goal_rows(result, chosen)
    console.print(_table(result.evaluation.catalogue.title_da, headings, rows))
    console.print("\n".join(notes), highlight=False, markup=False)
    frame = pd.DataFrame(
        [
            {
                "indicator": key,
                "list_date": r.list_date,
                "count": r.count,
                "rules": r.rules,
                "data_break": r.data_break,
                "areas": "; ".join(r.areas),
            }
            for key, counted in result.counts.items()
            for r in counted
        ]
    )
    save(out, frame.to_dict(orient="records"), frame)


def register(app: typer.Typer) -> None:
    """Add the pool and agreement commands to the main app."""
    app.add_typer(pool_app, name="pool")
    app.add_typer(agreement_app, name="agreement")
