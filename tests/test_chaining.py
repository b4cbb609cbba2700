"""Chaining exact runs into parts and regions: the array joins keep their rules."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.chaining import _components, chain, merge

WIDTH, GAP = 3, 4


def _union_find(count: int, edges: list[tuple[int, int]]) -> list[int]:
    """Smallest node of each node's component, the slow obvious way."""
    parent = list(range(count))

    def root(node: int) -> int:
        while parent[node] != node:
            node = parent[node]
        return node

    for a, b in edges:
        low, high = sorted((root(a), root(b)))
        parent[high] = low
    return [root(node) for node in range(count)]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60)
)))  # fmt: skip
def test_components_match_a_union_find(graph: tuple[int, list[tuple[int, int]]]) -> None:
    count, edges = graph
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    assert _components(count, a, b).tolist() == _union_find(count, edges)


runs_strategy = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 60), st.integers(0, 60), st.integers(1, 4)),
    min_size=1,
    max_size=40,
    unique_by=lambda run: (run[0], run[1], run[2]),
)


def _sorted_runs(runs: list[tuple[int, int, int, int]]) -> list[np.ndarray]:
    rows = sorted(runs)
    return [np.array([row[c] for row in rows], dtype=np.int64) for c in range(4)]


@settings(max_examples=200, deadline=None)
@given(runs_strategy)
def test_a_part_is_an_in_order_chain_of_runs_with_small_gaps(
    runs: list[tuple[int, int, int, int]],
) -> None:
    """Within a part, each run follows the one before it in both texts, by at
    most GAP words from its last shared k-gram; the part's spans hold its runs."""
    source, query, source_start, kgrams = _sorted_runs(runs)
    parts = chain(source, query, source_start, kgrams, WIDTH, GAP)
    for part in range(len(parts.source)):
        members = np.flatnonzero(parts.run_part == part)
        assert (source[members] == parts.source[part]).all()
        last_query = query[members] + kgrams[members] - 1
        last_source = source_start[members] + kgrams[members] - 1
        step_query = query[members][1:] - last_query[:-1]
        step_source = source_start[members][1:] - last_source[:-1]
        assert ((step_query > 0) & (step_query <= GAP)).all()
        assert ((step_source > 0) & (step_source <= GAP)).all()
        assert parts.query_start[part] == query[members].min()
        assert parts.query_end[part] == (last_query + WIDTH).max()
        assert parts.source_start[part] == source_start[members].min()
        assert parts.source_end[part] == (last_source + WIDTH).max()


@settings(max_examples=200, deadline=None)
@given(runs_strategy)
def test_regions_join_exactly_the_parts_near_each_other_in_both_texts(
    runs: list[tuple[int, int, int, int]],
) -> None:
    source, query, source_start, kgrams = _sorted_runs(runs)
    parts = chain(source, query, source_start, kgrams, WIDTH, GAP)
    count = len(parts.source)
    edges = [
        (a, b)
        for a in range(count)
        for b in range(count)
        if a != b
        and parts.source[a] == parts.source[b]
        and parts.query_start[a] <= parts.query_start[b]
        and parts.query_start[b] - parts.query_end[a] <= GAP
        and parts.source_start[b] - parts.source_end[a] <= GAP
        and parts.source_start[a] - parts.source_end[b] <= GAP
    ]
    assert merge(parts, GAP).tolist() == _union_find(count, edges)


def test_a_run_wanted_by_two_continues_into_the_first() -> None:
    """Two runs could continue run 0 (the same phrase twice in the source);
    the earlier in the checked text gets it, the other starts a part."""
    source, query, source_start, kgrams = (
        np.array(c) for c in ([0, 0, 0], [0, 5, 6], [10, 15, 15], [3, 1, 1])
    )
    parts = chain(source, query, source_start, kgrams, WIDTH, GAP)
    assert parts.run_part.tolist() == [0, 0, 1]
