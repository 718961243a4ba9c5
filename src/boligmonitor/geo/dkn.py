"""Det Danske Kvadratnet (DKN): grid cell ids, cells of points and cell polygons.

DKN cells are squares in ETRS89 / UTM zone 32N (EPSG:25832) named after their size and their
south-west corner divided by the size: ``100m_61765_7256`` is the 100 m cell whose corner is at
northing 6 176 500 m and easting 725 600 m; ``1km_6176_725`` the 1 km cell holding it. Danmarks
Statistik publishes grid statistics in this form (100 m, 250 m, 1 km, 10 km cells).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from boligmonitor.errors import Text

__all__ = [
    "CELL_SIZES",
    "DknCell",
    "cell_id",
    "cell_id_fault",
    "cell_of_point",
    "is_cell_id",
    "parse_cell_id",
]

#: Cell sizes in metres Boligmonitor accepts.
CELL_SIZES = (100, 250, 1000, 10000)
_ID = re.compile(r"^(?P<size>\d+)(?P<unit>m|km)_(?P<north>\d+)_(?P<east>\d+)$")


@dataclass(frozen=True, order=True)
class DknCell:
    """A grid cell: its size in metres and its row/column (corner coordinate / size)."""

    size: int
    north: int
    east: int

    @property
    def id(self) -> str:
        """The DKN id, e.g. ``100m_61765_7256``."""
        return cell_id(self.size, self.north, self.east)

    def bounds(self) -> tuple[float, float, float, float]:
        """``(min_easting, min_northing, max_easting, max_northing)`` in EPSG:25832."""
        x, y = self.east * self.size, self.north * self.size
        return (x, y, x + self.size, y + self.size)

    def wkt(self) -> str:
        """The cell as a WKT polygon in EPSG:25832."""
        x0, y0, x1, y1 = (f"{v:g}" for v in self.bounds())
        return f"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


def _size_text(size: int) -> str:
    return f"{size // 1000}km" if size % 1000 == 0 else f"{size}m"


def cell_id(size: int, north: int, east: int) -> str:
    """The DKN id of a cell given its size (m) and row/column.

    Examples
    --------
    >>> cell_id(100, 61765, 7256)
    '100m_61765_7256'
    >>> cell_id(1000, 6176, 725)
    '1km_6176_725'
    """
    if size not in CELL_SIZES:
        raise ValueError(f"cell size {size} m is not one of {CELL_SIZES}")
    return f"{_size_text(size)}_{north}_{east}"


def parse_cell_id(text: str) -> DknCell:
    """Parse a DKN id.

    Raises
    ------
    ValueError
        When the text is not a DKN id of a known size.

    Examples
    --------
    >>> parse_cell_id("250m_24706_2902")
    DknCell(size=250, north=24706, east=2902)
    """
    fault = cell_id_fault(text)
    if fault is not None:
        raise ValueError(str(fault))
    match = _ID.match(text.strip())
    assert match is not None
    return DknCell(_size(match), int(match["north"]), int(match["east"]))


def cell_id_fault(text: str) -> Text | None:
    """Why a text is not a DKN id of a known size, as a catalogue message (``None``: it is).

    Examples
    --------
    >>> cell_id_fault("100m_61765_7256") is None
    True
    >>> str(cell_id_fault("300m_1_2"))
    "'300m_1_2': cell size 300 m is not one of 100, 250, 1000, 10000"
    """
    match = _ID.match(text.strip())
    if match is None:
        return Text("'{id}' is not a DKN cell id such as 100m_61765_7256", {"id": text})
    if _size(match) not in CELL_SIZES:
        return Text(
            "'{id}': cell size {size} m is not one of {sizes}",
            {"id": text, "size": _size(match), "sizes": ", ".join(map(str, CELL_SIZES))},
        )
    return None


def _size(match: re.Match[str]) -> int:
    return int(match["size"]) * (1000 if match["unit"] == "km" else 1)


def is_cell_id(text: str) -> bool:
    """Whether a text is a DKN id."""
    return cell_id_fault(text) is None


def cell_of_point(easting: float, northing: float, size: int = 100) -> DknCell:
    """The cell holding a point (EPSG:25832); points on a border belong to the cell north/east.

    Examples
    --------
    >>> cell_of_point(725_650.0, 6_176_599.9).id
    '100m_61765_7256'
    """
    if size not in CELL_SIZES:
        raise ValueError(f"cell size {size} m is not one of {CELL_SIZES}")
    return DknCell(size, math.floor(northing / size), math.floor(easting / size))
