"""Shingle hashes -> MinHash signatures of passages -> LSH band keys.

Signatures are bit-identical to datasketch 2.0's `MinHash(scheme="affine32")`
fed the same 32-bit shingle hashes with an identity hash function (a test
holds this). datasketch is used for what it owns, the permutation parameters,
and only when an index is created: they are stored in the database, so the
check path never imports datasketch (whose import alone costs ~0.85 s) and
never loops per passage in Python over shingles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.config import IndexParams
from provenance.shingle import UInt32Array

Int64Array = npt.NDArray[np.int64]
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_BAND_MULTIPLIER = np.uint64(0x100000001B3)
_WINDOWS_PER_BATCH = 2048


@dataclass(frozen=True)
class Permutations:
    """The affine32 permutation parameters: h -> a*h + b (mod 2^32), a odd."""

    a: UInt32Array
    b: UInt32Array


@dataclass(frozen=True)
class Windows:
    """Passages of a word sequence: word ranges [starts[i], ends[i])."""

    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.starts)


def make_permutations(num_perm: int, seed: int) -> Permutations:
    """datasketch's own affine32 permutations for (num_perm, seed)."""
    from datasketch import MinHash

    sketch = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
    a, b = sketch.permutations
    return Permutations(a=np.asarray(a, dtype=np.uint32), b=np.asarray(b, dtype=np.uint32))


def plan_windows(word_count: int, window_words: int, stride: int) -> Windows:
    """Windows of `window_words` words every `stride` words, the tail always covered.

    >>> w = plan_windows(40, 16, 8)
    >>> list(zip(w.starts.tolist(), w.ends.tolist()))
    [(0, 16), (8, 24), (16, 32), (24, 40)]
    >>> short = plan_windows(5, 16, 8)
    >>> short.starts.tolist(), short.ends.tolist()
    ([0], [5])
    """
    if word_count == 0:
        empty = np.empty(0, dtype=np.int64)
        return Windows(starts=empty, ends=empty)
    if word_count <= window_words:
        return Windows(starts=np.array([0], dtype=np.int64), ends=np.array([word_count]))
    starts = np.arange(0, word_count - window_words + 1, stride, dtype=np.int64)
    if starts[-1] + window_words < word_count:
        starts = np.append(starts, word_count - window_words)
    return Windows(starts=starts, ends=starts + window_words)


def _fmix32(values: UInt32Array) -> UInt32Array:
    shift1, mult1, shift2, mult2 = _FMIX32
    values = values ^ (values >> shift1)
    values = values * mult1
    values = values ^ (values >> shift2)
    values = values * mult2
    return values ^ (values >> shift1)


def signatures(
    shingles: UInt32Array, windows: Windows, shingle_words: int, permutations: Permutations
) -> UInt32Array:
    """MinHash signature (num_perm uint32 values) of each window's shingles.

    Window [start, end) of words holds shingles [start, end - shingle_words + 1),
    at least one.
    """
    shingle_ends = np.maximum(windows.ends - shingle_words + 1, windows.starts + 1)
    shingle_ends = np.minimum(shingle_ends, len(shingles))
    return range_signatures(shingles, windows.starts, shingle_ends, permutations)


def range_signatures(
    shingles: UInt32Array,
    firsts: npt.NDArray[np.int64],
    lasts: npt.NDArray[np.int64],
    permutations: Permutations,
) -> UInt32Array:
    """MinHash signature of shingles[firsts[i]:lasts[i]] for every i (each range non-empty).

    The ranges may come from many records whose shingles were concatenated,
    so one call fingerprints a whole batch of records. Windows overlap, so the
    minimum is not taken per window: the shingles are cut at every window
    start and end, one `np.minimum.reduceat` pass gives each piece's minimum,
    and a window's signature is the minimum of its few pieces (three for
    regular windows). No Python loop per window; work goes in batches of
    windows, so memory stays bounded by the batch, not by the record.
    """
    num_perm = len(permutations.a)
    count = len(firsts)
    result = np.empty((count, num_perm), dtype=np.uint32)
    if count == 0:
        return result
    if int((lasts - firsts).min()) < 1:
        raise ValueError("every window must hold at least one shingle")
    with np.errstate(over="ignore"):
        mixed = _fmix32(shingles)
        for batch_first in range(0, count, _WINDOWS_PER_BATCH):
            batch = slice(batch_first, min(batch_first + _WINDOWS_PER_BATCH, count))
            low = int(firsts[batch].min())
            high = int(lasts[batch].max())
            # (num_perm, shingles): each permutation's values contiguous, which
            # makes the reduceat below several times faster than on rows.
            permuted = np.multiply(permutations.a[:, None], mixed[None, low:high])
            permuted += permutations.b[:, None]
            starts, ends = firsts[batch] - low, lasts[batch] - low
            cuts = np.sort(np.concatenate([starts, ends]))
            cuts = cuts[(cuts < high - low) & np.append(True, cuts[1:] != cuts[:-1])]
            pieces = np.minimum.reduceat(permuted, cuts, axis=1)
            first_piece = np.searchsorted(cuts, starts)
            piece_counts = np.searchsorted(cuts, ends) - first_piece
            out = pieces[:, first_piece]
            for extra in range(1, int(piece_counts.max())):
                longer = np.nonzero(piece_counts > extra)[0]
                out[:, longer] = np.minimum(out[:, longer], pieces[:, first_piece[longer] + extra])
            result[batch] = out.T
    return result


def band_keys(signature_rows: UInt32Array, params: IndexParams) -> Int64Array:
    """One 64-bit key per (window, band); equal keys mean an identical band.

    The band number is mixed in, so equal values in different bands never
    collide: a single key column can be joined without a band column.
    """
    window_count = signature_rows.shape[0]
    rows = params.rows_per_band
    wide = signature_rows[:, : params.bands * rows].astype(np.uint64)
    with np.errstate(over="ignore"):
        keys = np.broadcast_to(
            np.arange(1, params.bands + 1, dtype=np.uint64), (window_count, params.bands)
        ).copy()
        for row in range(rows):
            keys *= _BAND_MULTIPLIER
            keys += wide[:, row::rows]
        keys ^= keys >> np.uint64(29)
        keys *= np.uint64(0xBF58476D1CE4E5B9)
        keys ^= keys >> np.uint64(32)
    return keys.view(np.int64)
