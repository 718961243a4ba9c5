"""The web app's refusals, in the reader's language.

An unknown id gives :class:`NotFound` (HTTP 404) and a well-formed but unusable query
parameter :class:`BadParameter` (HTTP 422). Both carry a catalogue msgid and its parameters,
rendered in the request's language by the app's error handlers: the pages' language comes from
``?lang=`` or the cookie (:func:`~boligmonitor.web.text.request_language`), the JSON API's from
its ``lang`` query parameter alone (:func:`api_language`), Danish otherwise. ``str()`` of an
error is English, for logs and tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from fastapi import Request
from pydantic_core import ErrorDetails

from boligmonitor.errors import Alternatives, Problem, Text
from boligmonitor.i18n import LANGUAGES, N_, Language, as_language, translate
from boligmonitor.schema.yamlfile import validation_problem

__all__ = [
    "BadParameter",
    "NotFound",
    "api_language",
    "choices",
    "parameter_message",
    "parameter_name",
    "validation_message",
]


class NotFound(Exception):
    """An id in the path names nothing in the workspace (HTTP 404).

    The message is a catalogue msgid with its parameters (or a :class:`Text`, or an input
    :class:`Problem`), shown in the reader's language by :meth:`render`; ``str()`` is English,
    for logs and tests.

    Examples
    --------
    >>> error = NotFound("no area with id '{area_id}'", area_id="X")
    >>> str(error), error.render("da")
    ("no area with id 'X'", "intet boligområde med id'et 'X'")
    """

    def __init__(self, message: str | Text | Problem, /, **params: object) -> None:
        self.text = _text(message, params)
        super().__init__(str(self.text))

    def render(self, lang: Language = "da") -> str:
        """The message in ``lang``."""
        return self.text.render(lang)


class BadParameter(Exception):
    """A query parameter is well-formed but not allowed (HTTP 422).

    ``message`` is the English text of the catalogue msgid (or :class:`Text`, or input
    :class:`Problem`) that :meth:`render` gives in the reader's language.

    Examples
    --------
    >>> error = BadParameter("area_id", "value is required")
    >>> str(error), error.render("da")
    ('area_id: value is required', 'værdien skal udfyldes')
    """

    def __init__(self, parameter: str, message: str | Text | Problem, /, **params: object) -> None:
        self.parameter = parameter
        self.text = _text(message, params)
        self.message = str(self.text)
        super().__init__(f"{parameter}: {self.message}")

    def render(self, lang: Language = "da") -> str:
        """The message (without the parameter's name) in ``lang``."""
        return self.text.render(lang)


def _text(message: str | Text | Problem, params: Mapping[str, object]) -> Text | Problem:
    return Text(message, params) if isinstance(message, str) else message


def choices(values: Iterable[object]) -> Alternatives:
    """The values a parameter may take, for a message: texts quoted, numbers (years) as they
    are, joined the reader's way.

    Examples
    --------
    >>> choices(["workspace", "reference"]).render("da"), choices([2017, 2021]).render("en")
    ("'workspace' eller 'reference'", '2017 or 2021')
    """
    return Alternatives(tuple(f"'{v}'" if isinstance(v, str) else str(v) for v in values))


def api_language(request: Request) -> Language:
    """The JSON API's language: its ``lang`` query parameter when valid, else Danish.

    The API's labels follow ``?lang=`` only (the page cookie does not apply), so its errors do
    too.
    """
    candidate = request.query_params.get("lang")
    return as_language(candidate) if candidate in LANGUAGES else "da"


def parameter_message(parameter: str, problem: str, lang: Language = "da") -> str:
    """One sentence naming a query parameter and what is wrong with it.

    Examples
    --------
    >>> parameter_message("year", "ikke et helt tal")
    "Parameteren 'year': ikke et helt tal"
    """
    return translate(
        N_("Parameter '{parameter}': {problem}"), lang, parameter=parameter, problem=problem
    )


#: A ``Query(pattern=...)`` that only chooses between words: ``^(da|en)$``.
_WORD_CHOICE = re.compile(r"\^\(([\w-]+(?:\|[\w-]+)+)\)\$")


def validation_message(error: Mapping[str, object], lang: Language = "da") -> str:
    """What pydantic found wrong with one request parameter, in ``lang`` (without its name).

    The error's type is worded by the catalogue messages of input validation
    (:func:`~boligmonitor.schema.yamlfile.validation_problem`).

    Examples
    --------
    >>> validation_message({"type": "int_parsing", "loc": ("query", "year"), "msg": "x"})
    'ikke et helt tal'
    >>> validation_message({"type": "string_pattern_mismatch", "ctx": {"pattern": "^(da|en)$"}})
    "skal være en af 'da' eller 'en'"
    """
    details: ErrorDetails = {
        "type": str(error.get("type", "")),
        "loc": tuple(_loc(error)),
        "msg": str(error.get("msg", "")),
        "input": error.get("input"),
    }
    ctx = error.get("ctx")
    if isinstance(ctx, Mapping):
        details["ctx"] = dict(ctx)
        _word_choice(details)
    return validation_problem("", details, None, None).text(lang)


def _word_choice(details: ErrorDetails) -> None:
    """A pattern ``^(csv|xlsx)$`` that chooses between words, worded as that choice."""
    words = _WORD_CHOICE.fullmatch(str((details.get("ctx") or {}).get("pattern", "")))
    if details["type"] == "string_pattern_mismatch" and words is not None:
        expected = [repr(w) for w in words[1].split("|")]
        details["type"] = "literal_error"
        details["ctx"] = {"expected": f"{', '.join(expected[:-1])} or {expected[-1]}"}


def parameter_name(error: Mapping[str, object]) -> str:
    """The parameter a request validation error concerns (its ``loc`` without ``query``)."""
    return ".".join(str(part) for part in _loc(error)[1:])


def _loc(error: Mapping[str, object]) -> Sequence[str | int]:
    loc = error.get("loc")
    return (
        tuple(p for p in loc if isinstance(p, str | int)) if isinstance(loc, tuple | list) else ()
    )
