"""Contiguity edge cases: diagonal cells, islands below the minimum, clusters meeting at a corner.

The rule under test: by default (rook) units are neighbours only when they share an edge; a
shared corner is not enough. Queen contiguity (a method option) also joins corners.
"""

from __future__ import annotations

import pytest

from boligmonitor.errors import InputError
from boligmonitor.geo.dkn import cell_of_point, parse_cell_id
from boligmonitor.screening.contiguity import connected_groups, grid_neighbours, polygon_neighbours
from boligmonitor.screening.method import load_method
from boligmonitor.screening.screen import screen_units
from boligmonitor.screening.units import unit_statistics_from_frame
from tests.test_screening_fixtures import cell, grid_stats


def _square(x: int, y: int) -> str:
    return f"POLYGON (({x} {y}, {x + 1} {y}, {x + 1} {y + 1}, {x} {y + 1}, {x} {y}))"


def test_grid_rook_excludes_diagonals_queen_includes_them() -> None:
    ids = [cell(0, 0), cell(0, 1), cell(1, 1), cell(3, 3)]
    rook = grid_neighbours(ids, "rook")
    queen = grid_neighbours(ids, "queen")
    assert rook[cell(0, 0)] == {cell(0, 1)}
    assert queen[cell(0, 0)] == {cell(0, 1), cell(1, 1)}
    assert rook[cell(3, 3)] == set() == queen[cell(3, 3)]


def test_grid_of_mixed_sizes_is_rejected() -> None:
    with pytest.raises(InputError, match="different sizes") as caught:
        grid_neighbours(["100m_1_1", "250m_1_2"])
    (problem,) = caught.value.problems
    assert problem.render("da") == (
        "unit ids, kolonne 'unit_id': gitterceller af forskellig størrelse (100, 250 m) kan ikke "
        "kombineres"
    )


def test_ids_that_are_not_dkn_cells_are_each_named_in_danish() -> None:
    with pytest.raises(InputError) as caught:
        grid_neighbours(["100m_1_1", "cell-7", "300m_1_2"])
    assert [p.text("da") for p in caught.value.problems] == [
        "'cell-7' er ikke et DKN-celle-id som 100m_61765_7256",
        "'300m_1_2': cellestørrelsen 300 m er ikke en af 100, 250, 1000, 10000",
    ]


def test_polygons_touching_at_a_corner() -> None:
    ids = ["a", "b", "c"]
    wkt = [_square(0, 0), _square(1, 0), _square(2, 1)]  # c meets b only at (2, 1)
    assert polygon_neighbours(ids, wkt, "rook") == {"a": {"b"}, "b": {"a"}, "c": set()}
    assert polygon_neighbours(ids, wkt, "queen")["c"] == {"b"}


def test_connected_groups_only_through_members() -> None:
    neighbours = grid_neighbours([cell(0, e) for e in range(3)])
    groups = connected_groups([cell(0, 0), cell(0, 2)], neighbours)
    assert groups == [[cell(0, 0)], [cell(0, 2)]]  # the middle cell is not a candidate


def _screen(frame, method="kk-default", geometry=None):  # type: ignore[no-untyped-def]
    stats = unit_statistics_from_frame(frame)
    return screen_units(stats, 2021, load_method(method), geometry)


def test_diagonal_cells_form_two_groups_under_the_default() -> None:
    # two deprived 2 × 2 blocks of 400 residents meeting only at a corner
    block_a = {(0, 0), (0, 1), (1, 0), (1, 1)}
    block_b = {(2, 2), (2, 3), (3, 2), (3, 3)}
    result = _screen(grid_stats(block_a | block_b, size=8))
    designated = result.designated_areas()
    assert len(designated) == 2
    assert sorted(designated["residents"]) == [1600, 1600]
    assert designated["unit_ids"].iloc[0].split(";") == sorted(cell(n, e) for n, e in block_a)


def test_diagonal_cells_join_under_queen(tmp_path) -> None:  # type: ignore[no-untyped-def]
    method = load_method("kk-default").model_dump()
    method.update(id="kk-queen", contiguity="queen")
    import yaml

    path = tmp_path / "queen.yaml"
    path.write_text(yaml.safe_dump(method, allow_unicode=True), encoding="utf-8")
    single = {(0, 0), (1, 1)}  # 2 diagonal units of 600 residents: 1 200 together
    result = _screen(grid_stats(single, size=6, residents=600), str(path))
    assert list(result.designated_areas()["n_units"]) == [2]
    rook = _screen(grid_stats(single, size=6, residents=600))
    assert rook.designated_areas().empty
    assert list(rook.areas["status"]) == ["below_minimum", "below_minimum"]
    assert rook.areas["isolated"].all()


def test_island_below_minimum_is_reported_not_dropped() -> None:
    cluster = {(0, 0), (0, 1), (1, 0)}  # 3 × 400 = 1 200 residents
    island = {(4, 4)}  # 400 residents alone
    result = _screen(grid_stats(cluster | island, size=6))
    assert list(result.areas["status"]) == ["designated", "below_minimum"]
    small = result.areas.iloc[1]
    assert (small["isolated"], small["residents"], small["unit_ids"]) == (True, 400, cell(4, 4))
    assert small["area_id"] == "S2021-01"
    assert result.designated_units() == {cell(n, e) for n, e in cluster}
    unit = result.units.set_index("unit_id").loc[cell(4, 4)]
    assert unit["candidate"] and unit["area_status"] == "below_minimum"


def test_group_exactly_at_the_minimum_is_designated() -> None:
    result = _screen(grid_stats({(0, 0), (0, 1)}, size=5, residents=500))
    assert list(result.designated_areas()["residents"]) == [1000]


def test_polygon_units_need_geometry() -> None:
    frame = grid_stats({(0, 0)}, size=2)
    frame["unit_id"] = ["u1", "u2", "u3", "u4"]
    with pytest.raises(InputError, match="no unit geometry"):
        _screen(frame)


def test_polygon_units_screened_with_corner_rule() -> None:
    frame = grid_stats({(0, 0), (1, 1)}, size=2, residents=600)
    frame["unit_id"] = ["u00", "u01", "u10", "u11"]
    import pandas as pd

    geometry = pd.DataFrame(
        {
            "unit_id": ["u00", "u01", "u10", "u11"],
            "geometry_wkt": [_square(0, 0), _square(1, 0), _square(0, 1), _square(1, 1)],
        }
    )
    result = _screen(frame, geometry=geometry)
    assert list(result.areas["status"]) == ["below_minimum", "below_minimum"]


def test_dkn_cell_ids() -> None:
    cell_100 = cell_of_point(725_650.0, 6_176_599.9)
    assert cell_100.id == "100m_61765_7256"
    assert cell_100.bounds() == (725_600, 6_176_500, 725_700, 6_176_600)
    assert parse_cell_id("1km_6176_725").bounds() == (725_000, 6_176_000, 726_000, 6_177_000)
    assert cell_of_point(725_650.0, 6_176_599.9, 250).id == "250m_24706_2902"
    with pytest.raises(ValueError, match="not a DKN"):
        parse_cell_id("cell-1")
