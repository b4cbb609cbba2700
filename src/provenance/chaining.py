"""Exact runs -> in-order parts -> regions, for every candidate source at once.

A check on formulaic case notes shares ~28,000 exact runs (stretches of
identical words) with its few hundred candidate records. Chaining them one
run at a time in Python was a third of a check; here each step is a join of
sorted arrays:

1. parts: a run continues an earlier run of the same source whose last
   shared k-gram ends at most `max_gap` words before it in both texts (the
   gap absorbs substituted, inserted or deleted words), the one on the
   closest diagonal. A run is continued by at most one run; when several
   want it, the first in the checked text gets it, as a left-to-right pass
   would decide, and the others try their next choice.
2. regions: parts of one source within `max_gap` words of each other in the
   checked text whose source spans are also within `max_gap` words join
   (connected components): sentences of one passage copied in another order.

Runs come as `align.ExactRuns`: sorted by source, then query start, then
source start, so a run's index is its place in a left-to-right pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.arrays import ranges

IntArray = npt.NDArray[np.int64]
_ROUNDS = 3  # passes over runs that lost the run they wanted to an earlier one


@dataclass(frozen=True)
class Parts:
    """In-order parts: runs chained along (nearly) one diagonal.

    Per run: `run_part`. Per part: its source and its spans in both texts
    (end exclusive, in words).
    """

    run_part: IntArray
    source: IntArray
    query_start: IntArray
    query_end: IntArray
    source_start: IntArray
    source_end: IntArray


def chain(
    source: IntArray, query_start: IntArray, source_start: IntArray, kgrams: IntArray,
    width: int, max_gap: int,
) -> Parts:  # fmt: skip
    """Chain exact runs (sorted by source, query start, source start) into parts.

    >>> p = chain(*(np.array(c) for c in ([0, 0, 0], [0, 5, 40], [10, 15, 90], [3, 2, 3])), 3, 4)
    >>> p.run_part.tolist(), p.query_end.tolist(), p.source_end.tolist()
    ([0, 0, 1], [9, 45], [19, 95])
    """
    count = len(kgrams)
    if count == 0:
        empty = np.empty(0, dtype=np.int64)
        return Parts(empty, empty, empty, empty, empty, empty)
    last_query = query_start + kgrams - 1
    last_source = source_start + kgrams - 1
    stride = int(last_query.max()) + max_gap + 2
    run_ends = source * stride + last_query
    by_end = np.argsort(run_ends, kind="stable")
    sorted_ends = run_ends[by_end]
    run_starts = source * stride + query_start
    later, at = ranges(
        np.searchsorted(sorted_ends, run_starts - max_gap, "left"),
        np.searchsorted(sorted_ends, run_starts, "left"),
    )
    earlier = by_end[at]
    step_query = query_start[later] - last_query[earlier]  # 1..max_gap by construction
    step_source = source_start[later] - last_source[earlier]
    fits = (step_source > 0) & (step_source <= max_gap)
    later, earlier = later[fits], earlier[fits]
    drift = np.abs(step_query[fits] - step_source[fits])
    order = np.lexsort((earlier, drift, later))  # per run, its choices best first
    previous = _pick_previous(count, later[order], earlier[order])
    head = np.where(previous < 0, np.arange(count), previous)
    while True:  # pointer jumping: every run to the first run of its part
        jumped = head[head]
        if np.array_equal(jumped, head):
            break
        head = jumped
    return _part_table(head, source, query_start, source_start, kgrams, width)


def merge(parts: Parts, max_gap: int) -> IntArray:
    """Region of every part: parts of one source near each other in both texts.

    Numbered by the region's first part, so regions come in order of source
    and checked-text position.

    >>> p = chain(*(np.array(c) for c in ([0, 0], [0, 12], [10, 0], [8, 8])), 3, 4)
    >>> merge(p, 4).tolist()  # the second sentence copied before the first
    [0, 0]
    """
    count = len(parts.source)
    if count == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((parts.source_start, parts.query_start, parts.source))
    stride = int(parts.query_end.max()) + max_gap + 1
    keys = parts.source[order] * stride + parts.query_start[order]
    ends = parts.source[order] * stride + parts.query_end[order] + max_gap
    # Each part meets the parts after it that start inside its span (plus the
    # gap): as many pairs as parts overlap, whatever the longest part's length.
    earlier, later = ranges(np.arange(1, count + 1), np.searchsorted(keys, ends, "right"))
    b, a = order[later], order[earlier]
    near = (
        (parts.query_start[b] - parts.query_end[a] <= max_gap)
        & (parts.source_start[b] - parts.source_end[a] <= max_gap)
        & (parts.source_start[a] - parts.source_end[b] <= max_gap)
    )
    return _components(count, a[near], b[near])


def _pick_previous(count: int, later: IntArray, earlier: IntArray) -> IntArray:
    """The run each run continues (-1: none), from (later, earlier) choices
    sorted best first per later run; each earlier run is continued once."""
    previous = np.full(count, -1, dtype=np.int64)
    taken = np.zeros(count, dtype=bool)
    for _ in range(_ROUNDS):
        still = (previous[later] < 0) & ~taken[earlier]
        later, earlier = later[still], earlier[still]
        if len(later) == 0:
            break
        best = np.ones(len(later), dtype=bool)
        best[1:] = later[1:] != later[:-1]
        wanted_by, wanted = later[best], earlier[best]
        order = np.lexsort((wanted_by, wanted))
        wanted_by, wanted = wanted_by[order], wanted[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = wanted[1:] != wanted[:-1]
        previous[wanted_by[first]] = wanted[first]
        taken[wanted[first]] = True
    return previous


def _part_table(
    head: IntArray, source: IntArray, query_start: IntArray, source_start: IntArray,
    kgrams: IntArray, width: int,
) -> Parts:  # fmt: skip
    """Parts from each run's first run of its part (`head`), numbered by that run."""
    order = np.argsort(head, kind="stable")
    ordered_head = head[order]
    first = np.flatnonzero(np.append(True, ordered_head[1:] != ordered_head[:-1]))
    run_part = np.empty(len(head), dtype=np.int64)
    run_part[order] = np.repeat(np.arange(len(first)), np.diff(np.append(first, len(head))))
    query, src, ends = query_start[order], source_start[order], kgrams[order] - 1 + width
    return Parts(
        run_part=run_part,
        source=source[order][first],
        query_start=np.minimum.reduceat(query, first),
        query_end=np.maximum.reduceat(query + ends, first),
        source_start=np.minimum.reduceat(src, first),
        source_end=np.maximum.reduceat(src + ends, first),
    )


def _components(count: int, a: IntArray, b: IntArray) -> IntArray:
    """Connected components of the graph with edges (a[i], b[i]), each node
    labelled by the smallest node of its component (hook and jump).

    >>> _components(5, np.array([3, 1]), np.array([4, 3])).tolist()
    [0, 1, 2, 1, 1]
    """
    label = np.arange(count, dtype=np.int64)
    while True:
        label_a, label_b = label[a], label[b]
        differ = label_a != label_b
        if not differ.any():
            return label
        low = np.minimum(label_a[differ], label_b[differ])
        high = np.maximum(label_a[differ], label_b[differ])
        np.minimum.at(label, high, low)  # every label is a root here: hook it lower
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
