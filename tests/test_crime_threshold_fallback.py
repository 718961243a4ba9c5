"""A file with the published heading "Dømte > 2,03 pct." and no national average column: the
record's national average is used with a warning naming year and source; where the record has
none the threshold (not the value) is unknown."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from boligmonitor.rules.explain import explain_text
from boligmonitor.workspace import Workspace

HEADER = (
    "Områdeid;Boligområde;År;Beboere;Uden for arbejdsmarkedet;Dømte > 2,03 pct.;"
    "Grundskole højeste fuldførte udd.;Gennemsnitsindkomst ift. regionen;"
    "Andel indvandrere og efterkommere"
)


def test_crime_threshold_from_the_record_or_named_unknown(tmp_path: Path) -> None:
    path = tmp_path / "omraader.csv"
    rows = [
        "X-1;Testparken;2019;1500;45,0;2,5;62,0;50,0;60,0",
        "X-1;Testparken;2021;1500;45,0;2,5;62,0;50,0;60,0",
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    with Workspace.memory() as ws, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ws.load_area_statistics(path)
        found = {r.year: r for r in ws.explain("X-1", 2019, ["dk-2018"])}
        later = ws.explain("X-1", 2021, ["dk-2021"])[0]
        text_2021 = explain_text(later, ws.designations.rule_set("dk-2021"), "da")
    messages = " ".join(str(w.message) for w in caught)
    assert "2019" in messages and "source" in messages
    crime = found[2019].criteria["crime"]
    assert crime.value == 2.5
    assert crime.threshold == pytest.approx(3 * 0.66)
    assert crime.met is True
    assert later.criteria["crime"].value == 2.5 and later.criteria["crime"].threshold is None
    assert "grænseværdi ukendt" in text_2021
    assert "ukendt værdi" not in text_2021.split("Dømte")[1].splitlines()[0]
