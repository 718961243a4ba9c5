"""The ``designate`` table fits an 80-column terminal, in Danish, with a legend."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from boligmonitor.cli.designations import _compact_tables, _wide_table
from boligmonitor.data import example_path
from boligmonitor.workspace import Workspace


def _render(parts: list[object], width: int) -> list[str]:
    console = Console(width=width, record=True, force_terminal=False, color_system=None)
    for part in parts:
        console.print(part)
    return console.export_text().splitlines()


def test_compact_table_fits_80_columns_with_danish_headings_and_legend() -> None:
    with Workspace.memory() as ws:
        ws.load_area_statistics(example_path("omraader_2014_2022.csv"))
        results = ws.designate(year=2021, store=False)
        lines = _render(list(_compact_tables(results, ws, "da")), 80)
        wide = _render([_wide_table(results, ws, "da")], 200)
    assert max(len(line) for line in lines) <= 80
    text = "\n".join(lines)
    for heading in ("Område", "Beboere", "Kriterier", "Udpegninger"):
        assert heading in text
    assert "labour" not in text  # no English criterion ids
    assert "✔ opfyldt" in text and "· ikke opfyldt" in text and "? ukendt" in text
    assert "1. 18-64-årige uden tilknytning" in text
    # EX-04 meets everything but has 980 residents: the reason is in the table
    ex04 = next(line for line in lines if "EX-04" in line)
    assert "✔✔✔✔✔✔✔✔✔" in ex04 and "< 1.000" in ex04
    assert any("labour" in line for line in wide)  # --wide keeps one column per criterion


def test_designate_without_input_says_what_to_give(run_cli: Any) -> None:
    result = run_cli("designate", "--year", "2020")
    assert result.code == 2
    message = " ".join((result.out + result.err).split())
    assert "ingen områdestatistik" in message and "omraader_2014_2022.csv" in message
