"""The request's language (Danish first, English available) and indicator chart labels.

The language comes from ``?lang=`` (remembered in a cookie) or the cookie; Danish otherwise.
"""

from __future__ import annotations

from fastapi import Request

from boligmonitor.i18n import LANGUAGES, Language, as_language
from boligmonitor.schema.indicators import statutory_indicators

__all__ = ["LANG_COOKIE", "indicator_label", "request_language"]

LANG_COOKIE = "boligmonitor_lang"


def indicator_label(indicator: str, lang: Language) -> str:
    """A short label of an indicator column for chart headers (the column name if unknown),
    from the indicator catalogue."""
    entry = statutory_indicators().by_column().get(indicator)
    return indicator if entry is None else entry.label(lang)


def request_language(request: Request) -> Language:
    """The language of a request: ``?lang=``, then the cookie, then Danish."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return as_language(candidate)
    return "da"
