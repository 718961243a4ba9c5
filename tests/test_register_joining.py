"""The person-key index of the register import: dense slots and sorted keys agree."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from boligmonitor.registers import joining
from boligmonitor.registers.joining import index_of, keys_of, matched_rows


def _index(keys: list[int | None], dense: bool) -> joining.Keyed:
    values, valid = keys_of(pa.array(keys, type=pa.int64()))
    index = index_of(values, valid)
    assert (index.slots is not None) == dense
    return index


@pytest.mark.parametrize("spread", [1, 1000])
def test_left_join_finds_each_row_and_null_for_the_missing(spread: int) -> None:
    register = [7 * spread, 3 * spread, None, 5 * spread, 4 * spread]
    bef = [3 * spread, 4 * spread, 6 * spread, None, 7 * spread, 5 * spread]
    index = _index(register, dense=spread == 1)
    rows = matched_rows(index, _index(bef, dense=spread == 1), len(bef))
    assert rows.to_pylist() == [1, 4, None, None, 0, 3]
    assert not index.repeated


@pytest.mark.parametrize("spread", [1, 1000])
def test_repeated_keys_and_repeated_empty_keys_are_found(spread: int) -> None:
    assert _index([2 * spread, 9 * spread, 2 * spread], dense=spread == 1).repeated
    assert _index([2 * spread, None, 9 * spread, None], dense=spread == 1).repeated
    assert not _index([2 * spread, None, 9 * spread], dense=spread == 1).repeated


def test_dense_and_sorted_index_give_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    generator = np.random.default_rng(5)
    register = generator.permutation(np.arange(1_000, 3_000))[:1_500]
    bef = generator.permutation(np.arange(500, 3_500))
    wanted = index_of(bef, np.ones(len(bef), dtype=bool))
    dense = matched_rows(index_of(register, np.ones(len(register), dtype=bool)), wanted, len(bef))
    monkeypatch.setattr(joining, "DENSE", 0)
    wanted = index_of(bef, np.ones(len(bef), dtype=bool))
    index = index_of(register, np.ones(len(register), dtype=bool))
    assert index.slots is None
    assert dense.equals(matched_rows(index, wanted, len(bef)))
    found = dense.to_numpy(zero_copy_only=False)
    hit = ~np.isnan(found)
    assert (register[found[hit].astype(int)] == bef[hit]).all()
    assert hit.sum() == 1_500


def test_no_keys_at_all_join_to_nothing() -> None:
    index = _index([None], dense=False)
    assert matched_rows(index, _index([1, 2], dense=True), 2).to_pylist() == [None, None]


def test_a_sparse_register_is_joined_onto_dense_keys_without_sorting_them() -> None:
    register = _index([9_000, 1, 4_000], dense=False)
    bef = _index(list(range(1, 9_001)), dense=True)
    rows = matched_rows(register, bef, 9_000).to_pylist()
    assert bef._sorted is None
    assert (rows[0], rows[3_999], rows[8_999]) == (1, 2, 0)
    assert sum(row is not None for row in rows) == 3


def test_a_key_of_several_integer_columns_repeats_only_when_a_pair_does() -> None:
    from boligmonitor.registers.joining import combined_repeated

    kom = pa.chunked_array([[101, 101, 851], [101]], type=pa.int32())
    address = pa.chunked_array([[1, 2, 1], [3]], type=pa.int64())
    assert combined_repeated([kom, address]) is False
    again = pa.chunked_array([[1, 2, 1], [2]], type=pa.int64())
    assert combined_repeated([kom, again]) is True  # (101, 2) twice
    # not combined (the hash aggregate decides): text, an empty value, too wide a range
    assert combined_repeated([kom, pa.chunked_array([["1", "2", "1", "3"]])]) is None
    assert combined_repeated([kom, pa.chunked_array([[1, None, 1, 3]])]) is None
    wide = pa.chunked_array([[0, 2**40, 5, 7]], type=pa.int64())
    assert combined_repeated([wide, pa.chunked_array([[0, 2**30, 1, 2]])]) is None
