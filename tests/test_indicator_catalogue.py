"""The indicator catalogue is the one source of every statutory indicator's consumers.

Each consumer (schema, measure registry, disclosure, synthetic targets, CLI preview, outlook,
table headings, rule sets) must carry exactly the catalogue's indicators: an entry added to the
catalogue without its measure function or synthetic target fails loudly, and so does a measure
or target the catalogue does not name.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from boligmonitor.errors import InputError
from boligmonitor.schema import indicators as catalogue_module
from boligmonitor.schema.indicators import Indicator, IndicatorCatalogue, statutory_indicators
from boligmonitor.schema.yamlfile import load_yaml_model

CATALOGUE = statutory_indicators()
SHIPPED = Path(catalogue_module.__file__).parents[1] / "data" / "indicators" / "statutory.yaml"


def _with(monkeypatch: pytest.MonkeyPatch, changed: IndicatorCatalogue) -> IndicatorCatalogue:
    monkeypatch.setattr(catalogue_module, "statutory_indicators", lambda: changed)
    return changed


def _extra_measured() -> IndicatorCatalogue:
    """The shipped catalogue plus one indicator with a measure of its own."""
    extra = Indicator(
        id="overcrowding",
        column="overcrowding_pct",
        label_da="Trangboede",
        label_en="Overcrowded",
        description="Share of residents in overcrowded dwellings.",
        measure="overcrowding",
        population="residents",
        disclosure_base="residents",
        law="(test)",
    )
    return CATALOGUE.model_copy(update={"indicators": (*CATALOGUE.indicators, extra)})


def test_the_shipped_catalogue_names_the_known_measures_and_populations() -> None:
    assert [m.id for m in CATALOGUE.measures()] == [
        "labour", "crime", "education", "education_2013", "income", "ethnicity",
    ]  # fmt: skip
    assert CATALOGUE.averaged() == ("labour", "crime")
    assert CATALOGUE.population_columns() == (
        "residents", "pop_18_64", "pop_18_plus", "pop_30_59", "pop_15_64_taxpayers",
    )  # fmt: skip
    assert CATALOGUE.by_column()["nonwestern_pct"].id == "ethnicity"


def test_the_measure_registry_is_the_catalogues_measures() -> None:
    from boligmonitor.indicators import REGISTRY
    from boligmonitor.indicators.statutory import MEASURES, STATUTORY_INDICATORS

    assert [i.id for i in STATUTORY_INDICATORS] == [m.id for m in CATALOGUE.measures()]
    assert set(MEASURES) == {m.id for m in CATALOGUE.measures()}
    for measure, registered in zip(CATALOGUE.measures(), STATUTORY_INDICATORS, strict=True):
        assert (registered.label_da, registered.label_en) == (measure.label_da, measure.label_en)
        assert registered.reference == measure.law and registered.scale == 100
        assert REGISTRY[f"dk_{measure.id}"] is registered
    old = REGISTRY["dk_education_2013"]
    assert old.label_da == "Kun grundskole, 30-59 år (2013-reglerne)"
    assert old.reference == "Almenboligloven § 61 a, stk. 1, nr. 3 (L 45, 2013-14)"


def test_an_indicator_without_its_measure_or_target_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from boligmonitor.indicators import statutory
    from boligmonitor.synth import targets

    _with(monkeypatch, _extra_measured())
    monkeypatch.setattr(statutory, "statutory_indicators", catalogue_module.statutory_indicators)
    monkeypatch.setattr(targets, "statutory_indicators", catalogue_module.statutory_indicators)
    with pytest.raises(LookupError, match="overcrowding"):
        statutory.statutory_measures()
    with pytest.raises(LookupError, match="overcrowding"):
        targets.planted()


def test_a_measure_or_target_the_catalogue_lacks_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from boligmonitor.indicators import statutory
    from boligmonitor.synth import targets

    monkeypatch.setitem(statutory.MEASURES, "overcrowding", statutory.share_convicted)
    monkeypatch.setitem(targets.PLANTED, "overcrowding", (10.0, (1.0, 2.0, 0.0)))
    with pytest.raises(LookupError, match="overcrowding"):
        statutory.statutory_measures()
    with pytest.raises(LookupError, match="overcrowding"):
        targets.planted()


def test_synthetic_targets_are_keyed_by_the_measured_ids() -> None:
    from boligmonitor.synth.targets import planted

    assert set(planted()) == {i.id for i in CATALOGUE.measured()}


def test_disclosure_figures_and_bases_come_from_the_catalogue() -> None:
    from boligmonitor.disclosure import AREA_STATISTICS_FIGURES
    from boligmonitor.disclosure.years import year_offsets
    from boligmonitor.indicators.statutory import BASES

    based = {f.columns[0]: f.base for f in AREA_STATISTICS_FIGURES}
    expected = {p: p for p in CATALOGUE.population_columns()}
    for entry in CATALOGUE.indicators:
        if entry.disclosure_base is not None:
            previous = entry.period == "previous_year"
            expected[entry.column] = None if previous else entry.disclosure_base
    assert based == expected
    assert based["outside_labour_pct"] is None  # rests on the year before: masks only
    assert "crime_national_pct" not in based  # the nation's figure has no area base
    assert BASES == {
        "residents": "ethnicity_den",
        "pop_18_64": "labour_den",
        "pop_18_plus": "crime_den",
        "pop_30_59": "education_den",
        "pop_15_64_taxpayers": "income_den",
    }
    spans = {"labour": 4, "crime": 2}
    assert year_offsets("labour_pct", spans) == ("pop_18_64", range(4))
    assert year_offsets("crime_pct", spans) == ("pop_18_plus", range(2))
    assert year_offsets("outside_labour_pct", spans) == ("pop_18_64", range(1, 2))
    assert year_offsets("education_pct", spans) == ("pop_30_59", range(1))
    assert year_offsets("pop_30_59", spans) == ("pop_30_59", range(1))


def test_windows_carry_each_averaged_measure() -> None:
    from boligmonitor.indicators.statutory import windows

    frame = windows([2012, 2017, 2021]).set_index("list_year")
    assert list(frame.columns) == ["labour_years", "crime_years", "old_education"]
    assert frame.loc[2012, "labour_years"] == 4  # the 2010 rules average four years
    assert frame.loc[2021, "crime_years"] == 2
    assert list(frame["old_education"]) == [True, True, False]  # education_2013 until 2018


def test_schema_outlook_and_headings_carry_every_entry() -> None:
    from boligmonitor.io.danish import heading
    from boligmonitor.outlook.forecast import INDICATOR_POPULATIONS, relative_to_region
    from boligmonitor.schema.area_statistics import AREA_STATISTICS, POPULATION_COLUMNS
    from boligmonitor.web.text import indicator_label

    names = [c.name for c in AREA_STATISTICS]
    assert {i.column for i in CATALOGUE.indicators} | set(CATALOGUE.population_columns()) <= set(
        names
    )
    assert CATALOGUE.population_columns()[1:] == POPULATION_COLUMNS
    assert set(INDICATOR_POPULATIONS) == {
        i.column for i in CATALOGUE.indicators if i.population is not None
    }
    assert [c for c in names if relative_to_region(c)] == ["income_pct_of_region"]
    for entry in CATALOGUE.indicators:
        assert indicator_label(entry.column, "en") == entry.label_en
        if entry.short_da is not None:
            assert heading(f"{entry.id}_value", "da") == f"{entry.short_da} – værdi"
    assert heading("ethnicity_met", "en") == "Non-western origin – met"


def test_every_rule_criterion_agrees_with_its_catalogue_entry() -> None:
    from boligmonitor.rules.registry import shipped_rule_sets

    by_column = CATALOGUE.by_column()
    for rule_set in shipped_rule_sets():
        for criterion in rule_set.criteria:
            entry = by_column[criterion.indicator]
            assert criterion.unit == entry.unit, (rule_set.id, criterion.id)
            if criterion.population is not None:
                assert criterion.population == entry.population, (rule_set.id, criterion.id)
                assert criterion.population_share == entry.population_share


def _preview_headings(kind: str, lang: str) -> str:
    from boligmonitor.cli.microdata import _preview

    frame = pd.DataFrame(
        [{"area_id": "A", "unit_id": "U", "year": 2021, "residents": 1200}],
    )
    for column in (*CATALOGUE.by_column(), "living_area", "outside_labour", "low_income",
                   "nonwestern", "no_education"):  # fmt: skip
        frame[column] = 12.5
    console = Console(record=True, width=400)
    console.print(_preview(frame, kind, "da" if lang == "da" else "en"))
    return console.export_text()


def test_the_cli_preview_shows_the_catalogues_labels() -> None:
    shown = _preview_headings("statutory", "da")
    for entry in CATALOGUE.measured():
        assert entry.label_da in shown
    assert "Beboere" in shown and "Område-id" in shown
    assert "Ikke-vestlig herkomst" in shown and "nonwestern_pct" not in shown
    assert "Outside work and education, 18-64" in _preview_headings("statutory", "en")


def test_a_label_changed_in_the_catalogue_changes_the_cli_preview(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    relabelled = tuple(
        i.model_copy(update={"label_da": "Dømte (prøveetiket)"}) if i.id == "crime" else i
        for i in CATALOGUE.indicators
    )
    _with(monkeypatch, CATALOGUE.model_copy(update={"indicators": relabelled}))
    shown = _preview_headings("statutory", "da")
    assert "Dømte (prøveetiket)" in shown
    assert "Dømte, 18+ år" not in shown


def test_an_inconsistent_catalogue_file_is_refused_with_its_field(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    bad = tmp_path / "statutory.yaml"
    bad.write_text(text.replace("disclosure_base: pop_30_59", "disclosure_base: pop_30_60"))
    with pytest.raises(InputError, match="pop_30_60"):
        load_yaml_model(bad, IndicatorCatalogue)
    bad.write_text(text.replace("    measure: income\n", "    measure: wealth\n"))
    with pytest.raises(InputError, match="wealth"):
        load_yaml_model(bad, IndicatorCatalogue)
    assert load_yaml_model(SHIPPED, IndicatorCatalogue) == CATALOGUE
