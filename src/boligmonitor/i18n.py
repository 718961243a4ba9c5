"""Danish-first formatting of numbers, percentages and dates (Babel), English available.

Every user-facing number goes through these functions so Danish output reads ``1.234,5`` and
``5. marts 2024`` and English output ``1,234.5`` and ``5 March 2024``.

Babel and Jinja are imported on first use: the command line imports this module to print its
help, which needs neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from babel import Locale
    from babel.numbers import NumberPattern
    from jinja2.runtime import Context

__all__ = [
    "LANGUAGES",
    "N_",
    "Language",
    "as_language",
    "catalogue",
    "fmt_date",
    "fmt_number",
    "fmt_pct",
    "fmt_pp",
    "locale_of",
    "localized",
    "template_translate",
    "translate",
]

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
_LOCALES = {"da": "da_DK", "en": "en_GB"}


def locale_of(lang: Language) -> str:
    """The Babel locale used for a language."""
    return _LOCALES[lang]


def fmt_number(
    value: float | int | Decimal | None, decimals: int = 1, lang: Language = "da"
) -> str:
    """Format a number with a fixed number of decimals; ``None`` becomes "–".

    Examples
    --------
    >>> fmt_number(1234.5)
    '1.234,5'
    >>> fmt_number(1234.5, lang="en")
    '1,234.5'
    >>> fmt_number(11.85)
    '11,9'
    """
    if value is None:
        return "–"
    # Round half up as published tables do (11,85 → 11,9); Babel would round half to even.
    rounded = Decimal(str(value)).quantize(_quantum(decimals), rounding=ROUND_HALF_UP)
    text: str = _pattern(decimals).apply(rounded, _locale(lang))
    return text


@cache
def _locale(lang: Language) -> Locale:
    """The parsed Babel locale of a language (parsing it costs more than the formatting)."""
    from babel import Locale

    return Locale.parse(_LOCALES[lang])


@cache
def _pattern(decimals: int) -> NumberPattern:
    """The parsed number pattern with ``decimals`` fixed decimals: ``#,##0.0`` for one."""
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@cache
def _quantum(decimals: int) -> Decimal:
    """``Decimal("0.1")`` for one decimal, ``Decimal("1")`` for none."""
    return Decimal(1).scaleb(-decimals)


def fmt_pct(value: float | None, decimals: int = 1, lang: Language = "da") -> str:
    """Format a percentage given on the 0–100 scale: ``69,6 %``."""
    return "–" if value is None else f"{fmt_number(value, decimals, lang)} %"


def fmt_pp(value: float | None, decimals: int = 1, lang: Language = "da") -> str:
    """Format a difference in percentage points: ``1,5 procentpoint`` / ``1.5 pp``."""
    if value is None:
        return "–"
    return f"{fmt_number(value, decimals, lang)} {translate('pp', lang)}"


def fmt_alternatives(items: Sequence[str], lang: Language = "da") -> str:
    """Join alternatives the language's way: ``'a', 'b' eller 'c'`` / ``'a', 'b' or 'c'``.

    Examples
    --------
    >>> fmt_alternatives(["'a'", "'b'", "'c'"])
    "'a', 'b' eller 'c'"
    """
    from babel.lists import format_list

    return str(format_list(list(items), style="or", locale=_locale(lang)))


def fmt_date(value: dt.date, lang: Language = "da") -> str:
    """Format a date in long form: ``5. marts 2024`` / ``5 March 2024``."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=_LOCALES[lang])


@cache
def catalogue(lang: Language) -> dict[str, str]:
    """The message catalogue of a language: English msgid -> text (``locale/<lang>/*.po``)."""
    from importlib.resources import files

    from babel.messages.pofile import read_po

    path = files("boligmonitor") / "locale" / lang / "LC_MESSAGES" / "boligmonitor.po"
    with path.open("rb") as handle:
        messages = read_po(handle, locale=_LOCALES[lang])
    return {_key(m.context, str(m.id)): str(m.string) for m in messages if m.id and m.string}


def _key(context: str | None, msgid: str) -> str:
    """A catalogue key: the msgid, prefixed by its context as GNU gettext does (``ctx\x04id``)."""
    return msgid if not context else f"{context}\x04{msgid}"


def translate(
    msgid: str, lang: Language = "da", /, *, msgctxt: str | None = None, **params: object
) -> str:
    """A user-facing text in ``lang`` from the one gettext catalogue, with ``{name}`` filled.

    The msgid is the English text; ``msgctxt`` tells apart one English text that reads
    differently in Danish (``unknown``: *ukendt* of one value, *ukendte* of criteria). A
    missing translation falls back to the msgid (the test suite fails on any msgid without a
    translation in both languages).

    Examples
    --------
    >>> translate("unknown")
    'ukendt'
    >>> translate("unknown", "da", msgctxt="criteria")
    'ukendte'
    """
    text = catalogue(lang).get(_key(msgctxt, msgid), msgid)
    return text.format(**params) if params else text


def N_(msgid: str) -> str:
    """Mark a msgid kept in a table for :func:`translate` later (``gettext_noop``)."""
    return msgid


def localized(da: str, en: str, lang: str) -> str:
    """One of a data item's own two texts (``title_da``/``title_en`` in a YAML file) by language.

    Texts in shipped or user data carry both languages themselves; code texts go through
    :func:`translate`. An unknown language gets the Danish text.
    """
    return en if as_language(lang) == "en" else da


def as_language(value: object) -> Language:
    """A supported language from a request or option value: ``"en"`` or else Danish."""
    return "en" if value == "en" else "da"


def _template_translate(
    context: Context, msgid: str, msgctxt: str | None = None, **params: object
) -> str:
    """The ``_`` of every Jinja template: ``{{ _("Areas") }}`` in the context's ``lang``."""
    return translate(msgid, as_language(context.get("lang")), msgctxt=msgctxt, **params)


if TYPE_CHECKING:
    template_translate: Callable[..., str] = _template_translate


def __getattr__(name: str) -> object:
    """``template_translate``, marked for Jinja, imports Jinja on first use (PEP 562)."""
    if name != "template_translate":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from jinja2 import pass_context

    value = pass_context(_template_translate)
    globals()[name] = value
    return value
