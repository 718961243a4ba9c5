"""Jinja2 templates with the catalogue's words and Danish-first number and date filters.

Templates say every word through the one gettext catalogue (``{{ _("Areas") }}`` reads
*Områder* on Danish pages; ``{{ rule_set | local("title") }}`` picks a data item's own
``title_da``/``title_en``) and format every figure through :mod:`boligmonitor.i18n`
(``{{ x | num(1) }}`` gives ``1.234,5``), so the dashboard reads like the Danish reports it
replaces.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from boligmonitor.i18n import (
    LANGUAGES,
    Language,
    fmt_date,
    fmt_number,
    fmt_pct,
    fmt_pp,
    localized,
    template_translate,
)
from boligmonitor.web.text import LANG_COOKIE, request_language

__all__ = ["json_script_text", "page_url", "remember_language", "render", "templates"]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _lang(context: Context) -> Language:
    lang: Language = context.get("lang", "da")
    return lang


# Babel formatting costs tens of microseconds a call and a national list has thousands of
# figures per page; the same values recur across pages and years, so results are memoised.
_cached_number = lru_cache(maxsize=65_536)(fmt_number)
_cached_pct = lru_cache(maxsize=65_536)(fmt_pct)
_cached_pp = lru_cache(maxsize=65_536)(fmt_pp)


@pass_context
def _num(context: Context, value: float | None, decimals: int = 1) -> str:
    return _cached_number(_none_if_nan(value), decimals, _lang(context))


@pass_context
def _pct(context: Context, value: float | None, decimals: int = 1) -> str:
    return _cached_pct(_none_if_nan(value), decimals, _lang(context))


@pass_context
def _pp(context: Context, value: float | None, decimals: int = 1) -> str:
    return _cached_pp(_none_if_nan(value), decimals, _lang(context))


@pass_context
def _amount(context: Context, value: str | Decimal | None, decimals: int = 0) -> str:
    """An amount given as a decimal string (thousand kr.), in the page's number format."""
    return fmt_number(None if value is None else Decimal(value), decimals, _lang(context))


@pass_context
def _date(context: Context, value: dt.date) -> str:
    return fmt_date(value, _lang(context))


@pass_context
def _local(context: Context, item: object, field: str) -> str:
    """``{{ item | local("title") }}``: the item's ``title_da`` or ``title_en``."""
    da, en = (str(getattr(item, f"{field}_{lang}")) for lang in LANGUAGES)
    return localized(da, en, _lang(context))


def _none_if_nan(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def json_script_text(value: object) -> Markup:
    """JSON safe inside ``<script type="application/json">`` (the ``json_script`` filter
    passes it through unchanged, so a page can keep it from one request to the next)."""
    if isinstance(value, Markup):
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704


templates.env.filters.update(
    num=_num,
    pct=_pct,
    pp=_pp,
    amount=_amount,
    date=_date,
    json_script=json_script_text,
    local=_local,
)
templates.env.globals["_"] = template_translate


def page_url(request: Request, **changes: object) -> str:
    """The current page's URL with some query parameters changed (``None`` removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page in the request's language; remember an explicit ``?lang=`` in a cookie."""
    lang = request_language(request)
    other = next(code for code in LANGUAGES if code != lang)
    full = {
        "lang": lang,
        "other_lang": other,
        "switch_url": page_url(request, lang=other),
        "page_url": lambda **changes: page_url(request, **changes),
        "today": dt.date.today(),
        **context,
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    remember_language(request, response)
    return response


def remember_language(request: Request, response: Response) -> None:
    """Remember an explicit ``?lang=`` in a cookie (pages served from the cache too)."""
    lang = request_language(request)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
