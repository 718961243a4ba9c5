"""Hand-made unit statistics shared by the screening, contiguity and gap tests."""

from __future__ import annotations

import pandas as pd

#: Values of an ordinary unit and a deprived unit (m², then shares in percent).
ORDINARY = {
    "living_area": 42.0,
    "outside_labour": 12.0,
    "low_income": 30.0,
    "nonwestern": 9.0,
    "no_education": 10.0,
}
DEPRIVED = {
    "living_area": 33.0,
    "outside_labour": 25.0,
    "low_income": 45.0,
    "nonwestern": 35.0,
    "no_education": 22.0,
}


def unit_row(
    unit_id: str, year: int, residents: int, values: dict[str, float]
) -> dict[str, object]:
    """One unit-statistics row whose denominators are the residents (exact numerators)."""
    row: dict[str, object] = {"unit_id": unit_id, "year": year, "residents": residents}
    for criterion, value in values.items():
        scale = 1.0 if criterion == "living_area" else 100.0
        row[f"{criterion}_num"] = value * residents / scale
        row[f"{criterion}_den"] = float(residents)
        row[criterion] = value
    return row


def grid_stats(
    deprived: set[tuple[int, int]],
    size: int = 6,
    residents: int = 400,
    year: int = 2021,
    overrides: dict[tuple[int, int], int] | None = None,
) -> pd.DataFrame:
    """A ``size × size`` block of 100 m DKN cells; ``deprived`` cells get the deprived values."""
    rows = []
    for north in range(size):
        for east in range(size):
            values = DEPRIVED if (north, east) in deprived else ORDINARY
            count = (overrides or {}).get((north, east), residents)
            rows.append(unit_row(cell(north, east), year, count, values))
    return pd.DataFrame(rows)


def cell(north: int, east: int) -> str:
    """The DKN id of a test cell (offset into Copenhagen's range)."""
    return f"100m_{61700 + north}_{7200 + east}"


def test_fixture_rows_validate_as_unit_statistics() -> None:
    from boligmonitor.screening.units import unit_statistics_from_frame

    stats = unit_statistics_from_frame(grid_stats({(0, 0)}, size=2))
    assert len(stats) == 4
    first = stats[stats["unit_id"] == cell(0, 0)].iloc[0]
    assert first["outside_labour_num"] == 100.0  # 25 % of 400
    assert first["living_area_num"] == 33.0 * 400
