"""The sort- and bitmap-based set operations give numpy's answers, for any integers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.arrays import (
    _TABLE_FROM,
    contained_in,
    distinct,
    distinct_counts,
    lex_order,
    positions_in,
    ranges,
)

int64s = st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=200)
uint32s = st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=200)


@given(int64s)
def test_distinct_is_numpy_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    assert distinct(array).tolist() == np.unique(array).tolist()
    kept, counts = distinct_counts(array)
    expected, expected_counts = np.unique(array, return_counts=True)
    assert kept.tolist() == expected.tolist() and counts.tolist() == expected_counts.tolist()


@given(int64s)
def test_distinct_of_sorted_input_is_numpy_unique_and_a_copy(values: list[int]) -> None:
    """Sorted input skips the sort; the answer is the same, and never the input itself."""
    array = np.sort(np.array(values, dtype=np.int64))
    found = distinct(array)
    assert found.tolist() == np.unique(array).tolist()
    assert not np.shares_memory(found, array)
    assert distinct_counts(array)[1].tolist() == np.unique(array, return_counts=True)[1].tolist()


@given(uint32s, uint32s)
def test_contained_in_is_numpy_isin(values: list[int], members: list[int]) -> None:
    array, members_array = np.array(values, dtype=np.uint32), np.array(members, dtype=np.uint32)
    assert (
        contained_in(array, distinct(members_array)).tolist()
        == np.isin(array, members_array).tolist()
    )


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from([np.int64, np.uint64]))
def test_contained_in_through_the_slot_table(seed: int, dtype: type) -> None:
    """Enough values to take the slot-table path; members collide in their low bits."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**62, _TABLE_FROM + 1000).astype(dtype)
    low_bit_twins = (values[:50] ^ (1 << 40)).astype(dtype)  # same low 20 bits, not members
    members = distinct(
        np.concatenate([rng.choice(values, 300), rng.integers(0, 2**62, 50).astype(dtype)])
    )
    probe = np.concatenate([values, low_bit_twins])
    assert contained_in(probe, members).tolist() == np.isin(probe, members).tolist()
    where = positions_in(probe, members)
    inside = where >= 0
    assert (members[where[inside]] == probe[inside]).all()
    assert not np.isin(probe[~inside], members).any()


@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(0, 6)), max_size=30))
def test_ranges_list_every_index_of_every_range_in_order(spans: list[tuple[int, int]]) -> None:
    low = np.array([start for start, _ in spans], dtype=np.int64)
    high = np.array([start + length for start, length in spans], dtype=np.int64)
    owner, index = ranges(low, high)
    expected = [
        (n, i) for n, (start, length) in enumerate(spans) for i in range(start, start + length)
    ]
    assert list(zip(owner.tolist(), index.tolist(), strict=True)) == expected


@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda width: st.lists(
            st.tuples(*[st.integers(min_value=0, max_value=2**40)] * width), max_size=200
        )
    )
)
def test_lex_order_is_numpy_lexsort(rows: list[tuple[int, ...]]) -> None:
    """One packed sort where the keys fit in 62 bits, numpy's lexsort where they do not
    (three keys up to 2**40 overflow): the same order either way, ties in input order."""
    if not rows:
        return
    keys = tuple(np.array(column, dtype=np.int64) for column in zip(*rows, strict=True))
    assert lex_order(*keys).tolist() == np.lexsort(keys).tolist()
    small = tuple(key % 7 for key in keys)  # many ties
    assert lex_order(*small).tolist() == np.lexsort(small).tolist()
