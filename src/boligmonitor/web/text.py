"""The request's language (Danish first, English available) and indicator chart labels.

The language comes from ``?lang=`` (remembered in a cookie) or the cookie; Danish otherwise.
"""

from __future__ import annotations

from fastapi import Request

from boligmonitor.i18n import LANGUAGES, N_, Language, as_language, translate

__all__ = ["LANG_COOKIE", "indicator_label", "request_language"]

LANG_COOKIE = "boligmonitor_lang"

#: Short chart-header labels of indicator columns (msgids of the catalogue).
_INDICATOR_LABELS: dict[str, str] = {
    "labour_pct": N_("Outside work and education, 18-64"),
    "crime_pct": N_("Convicted, 18+"),
    "education_pct": N_("Basic schooling only, 30-59"),
    "income_pct_of_region": N_("Income, % of region"),
    "nonwestern_pct": N_("Non-western origin"),
    "outside_labour_pct": N_("Outside the labour market (§ 51 b)"),
}


def indicator_label(indicator: str, lang: Language) -> str:
    """A short label of an indicator column for chart headers (the column name if unknown)."""
    msgid = _INDICATOR_LABELS.get(indicator)
    return indicator if msgid is None else translate(msgid, lang)


def request_language(request: Request) -> Language:
    """The language of a request: ``?lang=``, then the cookie, then Danish."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return as_language(candidate)
    return "da"
