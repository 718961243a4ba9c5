"""Which units touch: contiguity of polygons (libpysal) and adjacency of DKN grid cells.

The diagonal rule: by default contiguity is *rook* — two units are neighbours only when they
share a stretch of border (an edge); units that meet at a single corner point, such as
diagonal grid cells, are not. A method may choose *queen*, where a shared corner is enough.
Rook is the default because an area merged through corner points alone is not a coherent
neighbourhood, and on a grid queen contiguity chains diagonal cells into thin strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from boligmonitor.errors import InputError, Problem
from boligmonitor.geo.dkn import cell_id_fault, parse_cell_id

__all__ = [
    "Neighbours",
    "Rule",
    "connected_groups",
    "grid_neighbours",
    "polygon_neighbours",
]

Rule = Literal["rook", "queen"]
Neighbours = dict[str, set[str]]

_ROOK_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))
_QUEEN_STEPS = (*_ROOK_STEPS, (1, 1), (1, -1), (-1, 1), (-1, -1))


def grid_neighbours(cell_ids: Iterable[str], rule: Rule = "rook") -> Neighbours:
    """Neighbours among DKN grid cells of one size.

    Rook: the four cells sharing an edge; queen: also the four diagonal cells.

    Raises
    ------
    InputError
        When an id is not a DKN id or the cells have different sizes.

    Examples
    --------
    >>> sorted(grid_neighbours(["100m_1_1", "100m_1_2", "100m_2_2"])["100m_1_2"])
    ['100m_1_1', '100m_2_2']
    >>> grid_neighbours(["100m_1_1", "100m_2_2"])["100m_1_1"]
    set()
    """
    faults = [f for f in map(cell_id_fault, cell_ids) if f is not None]
    problems = [Problem("unit ids", f.msgid, None, "unit_id", f.params) for f in faults[:5]]
    if problems:
        raise InputError(problems)
    cells = {text: parse_cell_id(text) for text in cell_ids}
    sizes = sorted({c.size for c in cells.values()})
    if len(sizes) > 1:
        raise InputError.single(
            "unit ids",
            "grid cells of different sizes ({sizes} m) cannot be combined",
            column="unit_id",
            sizes=", ".join(map(str, sizes)),
        )
    by_position = {(c.north, c.east): text for text, c in cells.items()}
    steps = _ROOK_STEPS if rule == "rook" else _QUEEN_STEPS
    return {
        text: {
            by_position[(c.north + dn, c.east + de)]
            for dn, de in steps
            if (c.north + dn, c.east + de) in by_position
        }
        for text, c in cells.items()
    }


def polygon_neighbours(
    unit_ids: Sequence[str], wkt: Sequence[str], rule: Rule = "rook"
) -> Neighbours:
    """Neighbours among unit polygons by libpysal contiguity.

    Rook joins polygons sharing an edge (at least two consecutive vertices); queen joins
    polygons sharing any vertex. Polygons must be digitised with shared vertices (a common
    municipal boundary layer); polygons that only overlap are not joined.

    Raises
    ------
    InputError
        When a geometry is not valid WKT.
    """
    import geopandas as gpd
    from libpysal.graph import Graph
    from shapely import from_wkt
    from shapely.errors import ShapelyError

    try:
        shapes = from_wkt(list(wkt))
    except ShapelyError as error:
        raise InputError.single(
            "units", "invalid geometry: {error}", column="geometry_wkt", error=error
        ) from error
    series = gpd.GeoSeries(shapes, index=list(unit_ids))
    graph = Graph.build_contiguity(series, rook=rule == "rook")
    neighbours: Neighbours = {str(u): set() for u in unit_ids}
    for (focal, neighbour), weight in graph.adjacency.items():
        if weight > 0 and focal != neighbour:
            neighbours[str(focal)].add(str(neighbour))
    return neighbours


def connected_groups(members: Iterable[str], neighbours: Mapping[str, set[str]]) -> list[list[str]]:
    """Split units into groups connected through neighbours that are themselves members.

    Groups come sorted, each by unit id, and the groups by their first unit id.

    Examples
    --------
    >>> connected_groups(["a", "b", "d"], {"a": {"b"}, "b": {"a", "c"}, "c": {"b", "d"}})
    [['a', 'b'], ['d']]
    """
    remaining = set(members)
    groups = []
    while remaining:
        start = min(remaining)
        group, frontier = {start}, [start]
        while frontier:
            unit = frontier.pop()
            for other in neighbours.get(unit, set()) & remaining:
                if other not in group:
                    group.add(other)
                    frontier.append(other)
        remaining -= group
        groups.append(sorted(group))
    return sorted(groups, key=lambda g: g[0])
