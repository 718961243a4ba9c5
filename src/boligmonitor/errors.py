"""Errors raised on bad input.

Every problem with an input names the file, the row and the column, so an analyst can open the
file and fix it. Validation collects *all* problems before raising, and nothing is written to a
workspace when any problem is found. The CLI turns :class:`InputError` into exit code 2.

A problem's message is a msgid of the one gettext catalogue (English, with ``{name}``
placeholders) and its parameters; :meth:`Problem.render` gives it in the user's language (the
CLI and the web pages show Danish by default). ``str()`` of a problem or an error is English,
for logs and tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from boligmonitor.i18n import N_, Language, fmt_alternatives, fmt_number, fmt_pct, translate

__all__ = [
    "Alternatives",
    "BoligmonitorError",
    "InputError",
    "InputWarning",
    "Number",
    "Problem",
    "Text",
]


@dataclass(frozen=True)
class Number:
    """A number in a message, written the reader's way when the message is rendered.

    ``decimals`` fixes the decimals; ``None`` shows as many as the value has (``0.775`` stays
    three). ``percent`` reads a share (0–1) as a percentage.

    Examples
    --------
    >>> Number(Decimal("1234.5")).render("da"), Number(Decimal("1234.5")).render("en")
    ('1.234,5', '1,234.5')
    >>> Number(Decimal("0.2"), 0, percent=True).render("da")
    '20 %'
    """

    value: int | float | Decimal
    decimals: int | None = None
    percent: bool = False

    def render(self, lang: Language = "da") -> str:
        """The number in ``lang``."""
        value = Decimal(str(self.value)) * (100 if self.percent else 1)
        decimals = self.decimals
        if decimals is None:
            exponent = value.normalize().as_tuple().exponent
            decimals = max(0, -exponent) if isinstance(exponent, int) else 0
        if self.percent:
            return fmt_pct(float(value), decimals, lang)
        return fmt_number(value, decimals, lang)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class Alternatives:
    """The values one of which was expected, joined the reader's way when rendered.

    Examples
    --------
    >>> Alternatives(("'a'", "'b'", "'c'")).render("da")
    "'a', 'b' eller 'c'"
    """

    items: tuple[str, ...]

    def render(self, lang: Language = "da") -> str:
        """The alternatives in ``lang``."""
        return fmt_alternatives(self.items, lang)

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class Text:
    """A msgid with parameters, rendered later: a part of a problem's message.

    Examples
    --------
    >>> Text("below the minimum {minimum:g}", {"minimum": 0}).render("en")
    'below the minimum 0'
    """

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def render(self, lang: Language = "da") -> str:
        """The text in ``lang``; parameters that are texts or numbers are rendered in it too."""
        text = translate(self.msgid, lang)
        if not self.params:
            return text
        values = {
            k: v.render(lang) if isinstance(v, Text | Number | Alternatives) else v
            for k, v in self.params.items()
        }
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError):  # a message that is not a template
            return self.msgid

    def __str__(self) -> str:
        return self.render("en")


class BoligmonitorError(Exception):
    """Base class of the errors Boligmonitor raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Parameters
    ----------
    file
        The file's path as the user gave it (or its name for packaged data).
    message
        What is wrong, in plain words: a catalogue msgid with ``{name}`` placeholders.
    row
        Row number as the user sees it in the file: for CSV and Excel the line or sheet row
        (the header is row 1, so the first data row is row 2); for Parquet the 1-based record
        number; for YAML the line. ``None`` when the problem concerns the whole file or a
        column.
    column
        The column (or field) concerned, as named in the file, or ``None``.
    params
        The values of the message's placeholders.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def text(self, lang: Language = "en") -> str:
        """The message alone, in ``lang``, with its parameters filled in."""
        return Text(self.message, self.params).render(lang)

    def render(self, lang: Language = "da") -> str:
        """Where and what, in ``lang``: ``fil, række 3, kolonne 'x': besked``."""
        where = self.file
        if self.row is not None:
            line = self.file.lower().endswith((".yaml", ".yml"))
            where += translate(
                N_(", line {row}") if line else N_(", row {row}"), lang, row=self.row
            )
        if self.column is not None:
            where += translate(N_(", column '{column}'"), lang, column=self.column)
        return f"{where}: {self.text(lang)}"

    def __str__(self) -> str:
        return self.render("en")


class InputError(BoligmonitorError):
    """Raised when an input has one or more problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self._summary())

    def _summary(self) -> str:
        lines = [f"{len(self.problems)} problem(s) in input:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)

    def render(self, lang: Language = "da") -> list[str]:
        """Every problem in ``lang``, one line each."""
        return [problem.render(lang) for problem in self.problems]

    @classmethod
    def single(
        cls,
        file: str | Path,
        message: str,
        /,
        row: int | None = None,
        column: str | None = None,
        **params: object,
    ) -> InputError:
        """Build an error with a single problem.

        Examples
        --------
        >>> error = InputError.single("x.yaml", "unknown source '{source}'", source="s")
        >>> str(error.problems[0])
        "x.yaml: unknown source 's'"
        """
        return cls([Problem(str(file), message, row, column, params)])


class InputWarning(UserWarning):
    """A warning about an input that was accepted with a stated assumption.

    It carries a :class:`Problem` (file and catalogue msgid), so the CLI shows it in the user's
    language; ``str()`` is English, as for :class:`InputError`.

    Examples
    --------
    >>> warning = InputWarning(Problem("a.csv", "value is required"))
    >>> str(warning)
    'a.csv: value is required'
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))

    def render(self, lang: Language = "da") -> str:
        """The warning in ``lang``."""
        return self.problem.render(lang)
