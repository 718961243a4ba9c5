"""Unit statistics: the five city criteria per small unit and year, with numerators/denominators.

One row per unit (a socio-economic map unit or a DKN grid cell) and year. For every criterion
``c`` of the reference dataset (``living_area``, ``outside_labour``, ``low_income``,
``nonwestern``, ``no_education``) the file gives ``c_num`` and ``c_den`` (e.g. persons outside
the labour market and persons aged 16-66; m² of living area and residents) and may give the
value ``c`` (shares 0-100, m² per resident); a missing value is computed as
``scale × c_num / c_den``. This is exactly what
``boligmonitor.indicators.copenhagen.unit_indicators`` returns, so screening can run on microdata
or on a user's own unit statistics file. Definitions: seed ``003_534e4863dd0b7c41.txt``, Bilag 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from boligmonitor.errors import Problem
from boligmonitor.io.tables import RawTable, read_raw_table
from boligmonitor.monitor.reference import CityCriterion, load_reference
from boligmonitor.schema.columns import Column, Kind, validate_table

__all__ = [
    "criterion_columns",
    "read_unit_statistics",
    "unit_statistics_columns",
    "unit_statistics_from_frame",
    "validate_unit_statistics",
]

#: A given value may differ from ``scale × num / den`` by rounding to one decimal.
VALUE_TOLERANCE = 0.051


def criterion_columns(criterion: CityCriterion) -> tuple[Column, Column, Column]:
    """The numerator, denominator and value columns of one criterion."""
    maximum = 100.0 if criterion.unit == "pct" else None
    return (
        Column(
            f"{criterion.id}_num",
            Kind.NUMBER,
            minimum=0,
            description=f"Numerator of '{criterion.label_en}'.",
        ),
        Column(
            f"{criterion.id}_den",
            Kind.NUMBER,
            minimum=0,
            description=f"Denominator of '{criterion.label_en}'.",
        ),
        Column(
            criterion.id,
            Kind.NUMBER,
            required=False,
            minimum=0,
            maximum=maximum,
            aliases=(criterion.label_da,),
            description=f"{criterion.label_en} ({criterion.unit}).",
        ),
    )


def unit_statistics_columns(reference: str = "kk-2021") -> tuple[Column, ...]:
    """The unit-statistics schema for the criteria of a reference dataset."""
    base = (
        Column("unit_id", Kind.TEXT, nullable=False, aliases=("enhed", "celle", "cell_id", "id")),
        Column("year", Kind.INTEGER, nullable=False, minimum=1990, maximum=2100, aliases=("år",)),
        Column(
            "residents", Kind.INTEGER, nullable=False, minimum=0, aliases=("beboere", "indbyggere")
        ),
        Column("name", Kind.TEXT, required=False, aliases=("navn",)),
    )
    criteria = load_reference(reference).criteria
    return base + tuple(col for c in criteria for col in criterion_columns(c))


Check = Callable[[pd.DataFrame, RawTable], list[Problem]]


def _consistency(criteria: list[CityCriterion]) -> Check:
    def check(frame: pd.DataFrame, raw: RawTable) -> list[Problem]:
        problems = []
        for c in criteria:
            cells = zip(
                frame["source_row"],
                frame[f"{c.id}_num"],
                frame[f"{c.id}_den"],
                frame[c.id],
                strict=True,
            )
            for row, num, den, value in cells:
                where = (str(raw.path), int(row))
                problems.extend(_row_problems(where, c, _float(num), _float(den), _float(value)))
        return problems

    return check


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[call-overload, arg-type]


def _row_problems(
    where: tuple[str, int],
    c: CityCriterion,
    num: float | None,
    den: float | None,
    value: float | None,
) -> list[Problem]:
    file, row = where
    if num is None and den is None:
        return []
    if num is None or den is None:
        missing = f"{c.id}_num" if num is None else f"{c.id}_den"
        return [
            Problem(
                file,
                "{id}_num and {id}_den must be given together",
                row,
                missing,
                params={"id": c.id},
            )
        ]
    if den == 0 and num == 0:
        return []  # nobody in the group: the value is unknown
    if den == 0:
        return [Problem(file, "denominator is 0 but a numerator is given", row, f"{c.id}_den")]
    if c.unit == "pct" and num > den:
        return [
            Problem(
                file,
                "numerator {num:g} exceeds denominator {den:g}",
                row,
                f"{c.id}_num",
                params={"num": num, "den": den},
            )
        ]
    computed = c.scale * num / den
    if value is not None and abs(value - computed) > VALUE_TOLERANCE:
        return [
            Problem(
                file,
                "value {value:g} is not num/den ({computed:.2f})",
                row,
                c.id,
                params={"value": value, "computed": computed},
            )
        ]
    return []


def validate_unit_statistics(raw: RawTable, reference: str = "kk-2021") -> pd.DataFrame:
    """Validate raw unit statistics and fill missing values from numerator/denominator.

    Raises
    ------
    InputError
        Listing every problem (file, row, column): unknown or missing columns, bad numbers,
        duplicate ``(unit_id, year)``, numerator above denominator, a value that does not match
        its numerator/denominator.
    """
    criteria = load_reference(reference).criteria
    frame = validate_table(
        raw,
        unit_statistics_columns(reference),
        key=("unit_id", "year"),
        checks=[_consistency(criteria)],
    )
    for c in criteria:
        den = frame[f"{c.id}_den"]
        computed = frame[f"{c.id}_num"] / den.where(den != 0) * c.scale
        frame[c.id] = frame[c.id].fillna(computed.round(10))
    frame["name"] = frame["name"].fillna(frame["unit_id"])
    return frame


def read_unit_statistics(path: str | Path, reference: str = "kk-2021") -> pd.DataFrame:
    """Read and validate a unit statistics file (CSV, Parquet or Excel).

    Examples
    --------
    >>> stats = read_unit_statistics("units_2021.csv")  # doctest: +SKIP
    """
    return validate_unit_statistics(read_raw_table(path), reference).drop(columns=["source_row"])


def _as_text(value: object) -> str | None:
    """A cell as text the validator reads back exactly: floats with a decimal comma, because
    ``28.125`` has the shape of a Danish thousands number."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def unit_statistics_from_frame(
    frame: pd.DataFrame, label: str = "unit statistics", reference: str = "kk-2021"
) -> pd.DataFrame:
    """Validate unit statistics given as a pandas frame (e.g. from the indicator engine)."""
    # Column by column into object series: ``DataFrame.map`` would turn ``None`` back into NaN.
    text = pd.DataFrame(
        {name: pd.Series([_as_text(v) for v in frame[name]], dtype=object) for name in frame},
        index=range(len(frame)),
    )
    raw = RawTable(Path(label), text, 1)
    return validate_unit_statistics(raw, reference).drop(columns=["source_row"])
