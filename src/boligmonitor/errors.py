"""Errors raised on bad input.

Every problem with an input names the file, the row and the column, so an analyst can open the
file and fix it. Validation collects *all* problems before raising, and nothing is written to a
workspace when any problem is found. The CLI turns :class:`InputError` into exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BoligmonitorError", "InputError", "Problem"]


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
        What is wrong, in plain words.
    row
        Row number as the user sees it in the file: for CSV and Excel the line or sheet row
        (the header is row 1, so the first data row is row 2); for Parquet the 1-based record
        number. ``None`` when the problem concerns the whole file or a column.
    column
        The column (or field) concerned, as named in the file, or ``None``.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


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

    @classmethod
    def single(
        cls, file: str | Path, message: str, row: int | None = None, column: str | None = None
    ) -> InputError:
        """Build an error with a single problem."""
        return cls([Problem(str(file), message, row, column)])
