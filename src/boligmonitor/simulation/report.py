"""A report section (HTML fragment) on a simulated policy comparison, for the lead's reports."""

from __future__ import annotations

import html

import pandas as pd

from boligmonitor.i18n import Language, fmt_number, translate
from boligmonitor.simulation.compare import compare_policies
from boligmonitor.simulation.montecarlo import (
    SimulationResult,
    housing_summary,
    reconcentration_share,
    segregation_summary,
    summarise,
)

__all__ = ["simulation_section"]

_MEASURES = ("labour_pct", "poor_households_pct")
_GALSTER = {
    "below": "Galster: below 15 %",
    "rising": "Galster: 15 % or more (harm rising)",
    "levelled": "Galster: 40 % or more (harm levelled off)",
    "unknown": "Galster: unknown",
}


def _band(mean: float, low: float, high: float, lang: Language) -> str:
    return f"{fmt_number(mean, 1, lang)} ({fmt_number(low, 1, lang)}–{fmt_number(high, 1, lang)})"


def _area_rows(a: SimulationResult, b: SimulationResult, lang: Language) -> list[str]:
    year = a.start_year + a.years
    diff = compare_policies(a, b)
    diff = diff[(diff["year"] == year) & diff["measure"].isin(_MEASURES)]
    galster = summarise(b)
    galster = galster[(galster["year"] == year) & (galster["measure"] == "poor_households_pct")]
    band = dict(zip(galster["area_id"], galster["galster"], strict=True))
    rows = []
    for area_id, group in diff.groupby("area_id", sort=True):
        cells = [html.escape(a.area_names.get(str(area_id), str(area_id)))]
        for measure in _MEASURES:
            row = group[group["measure"] == measure].iloc[0]
            cells += [
                fmt_number(row["a"], 1, lang),
                fmt_number(row["b"], 1, lang),
                _band(row["difference"], row["low"], row["high"], lang),
            ]
        cells.append(html.escape(translate(_GALSTER[band.get(str(area_id), "unknown")], lang)))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return rows


def _segregation_rows(result: SimulationResult, lang: Language) -> list[str]:
    seg = segregation_summary(result)
    if seg.empty:
        return []
    rows = []
    for r in seg[seg["year"] == seg["year"].max()].to_dict("records"):
        p_value = "" if pd.isna(r["p_value"]) else fmt_number(r["p_value"], 3, lang)
        band = _band(r["mean"], r["low"], r["high"], lang)
        rows.append(
            f"<tr><td>{html.escape(str(r['index']))}</td><td>{band}</td><td>{p_value}</td></tr>"
        )
    return rows


def _percent(share: float, lang: Language) -> str:
    return "–" if share != share else fmt_number(100 * share, 1, lang) + " %"


_HEADINGS = (
    "Area",
    "Outside labour, A",
    "Outside labour, B",
    "Difference (90 % band)",
    "Poor households, A",
    "Poor households, B",
    "Difference (90 % band)",
    "Galster",
)


_HOUSING_HEADINGS = ("Area", "Start", "Policy A", "Policy B", "Meets 40 %, share of runs (B)")


def _housing_rows(a: SimulationResult, b: SimulationResult, lang: Language) -> list[str]:
    """Per plan area: the share of almene familieboliger at the start and in the last
    simulated year under A and B (mean and band), and how often B meets 40 %."""
    first, last = a.start_year, a.start_year + a.years
    frames = [housing_summary(r) for r in (a, b)]
    if any(f.empty for f in frames):
        return []
    share = [f[f["measure"] == "family_share_pct"].set_index(["area_id", "year"]) for f in frames]
    met = frames[1][frames[1]["measure"] == "family_share_met"].set_index(["area_id", "year"])
    rows = []
    for area_id in sorted(share[0].index.get_level_values("area_id").unique()):
        start = share[0].loc[(area_id, first)]
        cells = [html.escape(a.area_names.get(str(area_id), str(area_id))),
                 fmt_number(start["mean"], 1, lang)]  # fmt: skip
        for frame in share:
            r = frame.loc[(area_id, last)]
            cells.append(_band(r["mean"], r["low"], r["high"], lang))
        cells.append(_percent(float(met.loc[(area_id, last), "mean"]), lang))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return rows


def _housing_part(a: SimulationResult, b: SimulationResult, lang: Language) -> list[str]:
    rows = _housing_rows(a, b, lang)
    if not rows:
        return []
    head = "".join(f"<th>{html.escape(translate(t, lang))}</th>" for t in _HOUSING_HEADINGS)
    moved = translate(
        "Share of re-housed households landing in another listed area: {share}",
        lang,
        share=_percent(reconcentration_share(b, "rehoused"), lang),
    )
    title = translate("Udviklingsplaner: share of almene familieboliger (§ 168 a)", lang)
    return [
        f"<h3>{html.escape(title)}</h3>",
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        f"<p>{html.escape(moved)}</p>",
    ]


def simulation_section(a: SimulationResult, b: SimulationResult, lang: Language = "da") -> str:
    """An HTML fragment comparing policy ``b`` with ``a``: per area the share outside the
    labour market and of poor households in the last simulated year (A, B, B − A with its 90 %
    band), Galster's band, segregation indices and the re-concentration share; with
    udviklingsplaner the share of almene familieboliger per plan area (start, A and B in the
    last year with bands, how often B meets 40 %) and where re-housed households landed."""
    intro = translate(
        "{b} compared with {a}: {runs} runs, {year}.",
        lang,
        a=a.policy.name(lang),
        b=b.policy.name(lang),
        runs=a.runs,
        year=a.start_year + a.years,
    )
    landing = translate(
        "Share of refused households landing in another listed area: {share}",
        lang,
        share=_percent(reconcentration_share(b), lang),
    )
    head = "".join(f"<th>{html.escape(translate(t, lang))}</th>" for t in _HEADINGS)
    body = "".join(_area_rows(a, b, lang))
    parts = [
        '<section class="simulation">',
        f"<h2>{html.escape(translate('Allocation policy simulation', lang))}</h2>",
        f"<p>{html.escape(intro)}</p>",
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        f"<h3>{html.escape(translate('Segregation of poor households', lang))}</h3>",
        f"<table><tbody>{''.join(_segregation_rows(b, lang))}</tbody></table>",
        f"<p>{html.escape(landing)}</p>",
        *_housing_part(a, b, lang),
        "</section>",
    ]
    return "\n".join(parts)
