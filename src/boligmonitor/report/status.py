"""The biennial status report of a goal catalogue, in HTML and PDF.

:func:`build_report` gathers everything (summary, the five criteria and the gap, a map when
geometry exists, one section per goal, an appendix with data definitions) into one formatted
context and renders the charts once; :func:`render_html` places it in Jinja2 templates and
:func:`render_pdf` in a generated Typst source compiled with the ``typst`` package. No internet
is needed. Modelled on Københavns Kommune, *Status på Politik for Udsatte Byområder* 2021.
"""

from __future__ import annotations

from typing import Any, Literal

from markupsafe import Markup

from boligmonitor.charts import render_svg
from boligmonitor.charts import report as charts
from boligmonitor.i18n import Language, fmt_date, localized, translate
from boligmonitor.monitor.goals.evaluate import Evaluation
from boligmonitor.monitor.goals.explain import verdict_label
from boligmonitor.monitor.goals.model import Better, Verdict
from boligmonitor.report.gap_section import definition_rows, gap_chart_rows, gap_section
from boligmonitor.report.goal_sections import approach_sections, new_area_rows, status_years
from boligmonitor.report.model import Report, ReportInput

__all__ = ["FORMATS", "build_report", "render"]

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")


def _overview(evaluation: Evaluation, lang: Language) -> list[dict[str, Any]]:
    catalogue = evaluation.catalogue
    return [
        {
            "number": g.number,
            "title": localized(
                catalogue.goal(g.number).title_da, catalogue.goal(g.number).title_en, lang
            ),
            "verdict": verdict_label(g.verdict, lang),
            "verdict_id": g.verdict.value,
            "published": verdict_label(g.published, lang) if g.published else "–",
            "agrees": g.agrees,
        }
        for g in evaluation.goals
    ]


def _counts(evaluation: Evaluation, lang: Language) -> list[dict[str, Any]]:
    return [
        {
            "verdict": verdict_label(v, lang),
            "verdict_id": v.value,
            "goals": ", ".join(str(g.number) for g in evaluation.goals if g.verdict is v),
            "count": sum(g.verdict is v for g in evaluation.goals),
        }
        for v in Verdict
    ]


def _charts(data: ReportInput) -> dict[str, str]:
    """Every chart's SVG by name: ``gap``, ``map`` and ``goal-N`` (when there is data)."""
    specs: dict[str, dict[str, Any] | None] = {}
    if data.gap is not None:
        specs["gap"] = charts.gap_chart(gap_chart_rows(data.gap, data.evaluation.year, data.lang))
    if data.geometry is not None:
        specs["map"] = charts.map_chart(data.geometry, data.lang)
    for goal in data.evaluation.catalogue.goals:
        judged = [i for i in goal.indicators if i.better is not Better.NEUTRAL]
        specs[f"goal-{goal.number}"] = charts.goal_chart(judged, lang=data.lang)
    return {
        name: render_svg(spec, name, data.lang) for name, spec in specs.items() if spec is not None
    }


def build_report(data: ReportInput) -> Report:
    """Format everything the report shows and render its charts once."""
    evaluation, lang = data.evaluation, data.lang
    catalogue = evaluation.catalogue
    sections = approach_sections(evaluation, lang)
    context = {
        "lang": lang,
        "title": translate(
            "Status of {catalogue}",
            lang,
            catalogue=localized(catalogue.title_da, catalogue.title_en, lang),
        ),
        "year": evaluation.year,
        "municipality": catalogue.municipality,
        "generated": fmt_date(data.generated, lang),
        "catalogue": f"{catalogue.id} (version {catalogue.version})",
        # A derived catalogue's source is a msgid; a published one's (a document) stays as is.
        "source": translate(catalogue.source, lang),
        "vision": localized(catalogue.vision_da, catalogue.vision_en, lang),
        "origin": data.origin,
        "goal_count": len(catalogue.goals),
        "target_year": catalogue.target_year,
        "year_columns": status_years(catalogue, evaluation.year),
        "overview": _overview(evaluation, lang),
        "counts": _counts(evaluation, lang),
        "disagreements": [g for s in sections for g in s["goals"] if g["agrees"] is False],
        "gap": gap_section(data.gap, evaluation.year, data.reference, lang)
        if data.gap is not None
        else None,
        "has_map": data.geometry is not None,
        "approaches": sections,
        "definitions": definition_rows(data.reference, lang),
        "new_areas": new_area_rows(catalogue, lang),
        "extra_sections": [Markup(section) for section in data.sections],  # noqa: S704
    }
    return Report(context, _charts(data))


def render(data: ReportInput, format: Format) -> bytes:
    """The report as HTML (UTF-8 bytes) or PDF bytes.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    from boligmonitor.report.html import render_html
    from boligmonitor.report.pdf import render_pdf

    report = build_report(data)
    if format == "html":
        return render_html(report).encode("utf-8")
    if format == "pdf":
        return render_pdf(report)
    raise ValueError(f"unknown report format '{format}'; use html or pdf")
