"""Set operations on integer arrays, by sorting.

numpy 2.3+ answers a plain `np.unique` (and `np.isin`, which calls it) with a
hash table: on 300k int64 values that took ~150 ms here, against ~8 ms for a
sort and a neighbour comparison. A check calls these on every candidate hit,
so they live here, sort-based, with the same results as numpy's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, cast

import numpy as np
import numpy.typing as npt

Values = TypeVar("Values", bound=npt.NDArray[np.integer])


def distinct(values: Values) -> Values:
    """The distinct values, ascending (as `np.unique(values)`).

    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = _sorted(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return cast(Values, ordered[keep])


def distinct_counts(values: Values) -> tuple[Values, npt.NDArray[np.int64]]:
    """The distinct values, ascending, and how often each occurs.

    >>> [a.tolist() for a in distinct_counts(np.array([3, 1, 3]))]
    [[1, 3], [1, 2]]
    """
    ordered = _sorted(values)
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    firsts = np.flatnonzero(np.append(True, ordered[1:] != ordered[:-1]))
    counts = np.diff(np.append(firsts, len(ordered))).astype(np.int64)
    return cast(Values, ordered[firsts]), counts


def _sorted(values: Values) -> Values:
    """`values` ascending. Often they already are (hits read off sorted tables):
    checking costs a fraction of a millisecond per million values, where numpy's
    sort takes tens of milliseconds even on sorted input."""
    if len(values) < 2 or bool((values[1:] >= values[:-1]).all()):
        return values.copy()  # a copy, as np.sort gives: callers may write to it
    return cast(Values, np.sort(values))  # numpy's stubs lose the array type here


def ranges(
    low: npt.NDArray[np.integer], high: npt.NDArray[np.integer]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(owner, index) for every index in [low[owner], high[owner]), in order:
    the rows a batch of binary searches found, or the words a batch of runs
    covers, without a Python loop.

    >>> [a.tolist() for a in ranges(np.array([0, 5, 2]), np.array([2, 5, 4]))]
    [[0, 0, 2, 2], [0, 1, 2, 3]]
    """
    counts = np.maximum(np.asarray(high, dtype=np.int64) - low, 0)
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    steps = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    return owner, np.repeat(np.asarray(low, dtype=np.int64), counts) + steps


def contained_in(
    values: npt.NDArray[np.integer], sorted_set: npt.NDArray[np.integer]
) -> npt.NDArray[np.bool_]:
    """Whether each value is in `sorted_set` (ascending, distinct), as `np.isin`.

    >>> contained_in(np.array([5, 2, 9]), np.array([1, 2, 5])).tolist()
    [True, True, False]
    """
    found: npt.NDArray[np.bool_] = positions_in(values, sorted_set) >= 0
    return found


def positions_in(
    values: npt.NDArray[np.integer], sorted_set: npt.NDArray[np.integer]
) -> npt.NDArray[np.int64]:
    """Where each value sits in `sorted_set` (ascending, distinct), -1 where absent.

    Many values against a small set (a check's hundreds of thousands of
    candidate words against the words of one document) go through a table
    indexed by the values' low bits: one gather and one comparison per value,
    and a binary search only for values whose slot two members share.

    >>> positions_in(np.array([5, 2, 9]), np.array([1, 2, 5])).tolist()
    [2, 1, -1]
    """
    if len(sorted_set) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    if len(values) < _TABLE_FROM or len(sorted_set) * 8 > len(values):
        return _search(values, sorted_set)
    # Slots: a power of two, 64 per member, so that few members share one and
    # the table (int32) stays small enough to sit in the CPU's cache.
    size = 1 << max(12, int(64 * len(sorted_set) - 1).bit_length())
    slots = (sorted_set & (size - 1)).astype(np.int64)
    used, uses = distinct_counts(slots)
    table = np.zeros(size, dtype=np.int32)  # member number + 1; -1: shared slot
    alone = uses[np.searchsorted(used, slots)] == 1
    table[slots[alone]] = np.flatnonzero(alone).astype(np.int32) + 1
    table[used[uses > 1]] = -1
    member = table[values & (size - 1)]
    # The slot's member, right unless the value only shares its low bits:
    # one array, corrected where it is wrong (fewer passes over 400k values
    # than filling -1 and scattering hits took: 4x faster at a check's sizes).
    found: npt.NDArray[np.int64] = member.astype(np.int64) - 1
    single = np.flatnonzero(member > 0)
    found[single[sorted_set[found[single]] != values[single]]] = -1
    shared = np.flatnonzero(member < 0)
    found[shared] = _search(values[shared], sorted_set)
    return found


_TABLE_FROM = 20_000  # fewer values: binary search them all


def _search(
    values: npt.NDArray[np.integer], sorted_set: npt.NDArray[np.integer]
) -> npt.NDArray[np.int64]:
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return np.where(sorted_set[at] == values, at, -1).astype(np.int64)


def batches(sizes: Sequence[int], limit: int) -> list[npt.NDArray[np.int64]]:
    """Consecutive indexes of `sizes` grouped so each group's sizes add up to
    at most `limit` (an item larger than `limit` is a group of its own).

    >>> [b.tolist() for b in batches([3, 4, 5, 9, 1], 8)]
    [[0, 1], [2], [3], [4]]
    """
    groups: list[npt.NDArray[np.int64]] = []
    start, total = 0, 0
    for index, size in enumerate(sizes):
        if total and total + size > limit:
            groups.append(np.arange(start, index, dtype=np.int64))
            start, total = index, 0
        total += size
    if start < len(sizes):
        groups.append(np.arange(start, len(sizes), dtype=np.int64))
    return groups


def lex_order(*keys: npt.NDArray[np.integer]) -> npt.NDArray[np.intp]:
    """The order `np.lexsort(keys)` gives (the last key primary), for
    non-negative integer keys: packed into one int64 when their ranges fit,
    so one stable sort does the work of one per key (a third of the time on
    the seeds of a check).

    >>> lex_order(np.array([1, 0, 1]), np.array([2, 2, 1])).tolist()
    [2, 1, 0]
    """
    if len(keys[0]) == 0:
        return np.empty(0, dtype=np.intp)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    span = 1
    for key in keys:
        low, high = int(key.min()), int(key.max())
        if low < 0 or span * (high + 1) >= 1 << 62:
            return np.lexsort(keys)
        packed += key.astype(np.int64) * span
        span *= high + 1
    return np.argsort(packed, kind="stable")
