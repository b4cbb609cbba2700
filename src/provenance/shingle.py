"""Normalised words -> word ids -> hashed word k-grams (shingles).

Word ids are a keyed BLAKE2b hash of the normalised word, so the same word has
the same id in every process and every run (Python's `hash()` is salted per
process and would break a stored index). Shingle hashes are computed from word
ids with numpy, without a Python loop per shingle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

UInt32Array = npt.NDArray[np.uint32]
UInt64Array = npt.NDArray[np.uint64]

_KGRAM_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


_CACHE_LIMIT = 1_000_000
_id_caches: dict[bytes, dict[str, int]] = {}


def _keyed_id(word: str, key: bytes) -> int:
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=4, key=key).digest()
    return int.from_bytes(digest, "little")


def word_ids(words: Sequence[str], key: bytes = b"") -> UInt32Array:
    """Stable 32-bit ids of normalised words; equal words get equal ids.

    Each distinct word is hashed once per process (a dict per key remembers
    it): texts repeat their words, so most lookups are a dict hit rather than
    a BLAKE2b call, and the id stays the keyed hash whatever the cache holds.

    >>> ids = word_ids(["the", "plan", "the"])
    >>> bool(ids[0] == ids[2]) and bool(ids[0] != ids[1])
    True
    """
    cache = _id_caches.setdefault(key, {})
    try:
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint32, count=len(words))
    except KeyError:
        pass
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    for word in set(words).difference(cache):
        cache[word] = _keyed_id(word, key)
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint32, count=len(words))


_PACKED_BYTES = 16  # words up to this long are compared as two uint64s
# _BYTE_MASKS[n]: keeps the first n of 16 bytes.
_BYTE_MASKS = np.where(
    np.arange(_PACKED_BYTES)[None, :] < np.arange(_PACKED_BYTES + 1)[:, None], 0xFF, 0
).astype(np.uint8)


def ascii_word_ids(
    lowered: bytes, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64], key: bytes = b""
) -> UInt32Array:
    """`word_ids` of the words lowered[starts[i]:ends[i]] (lower-case ASCII letters and digits).

    The same ids as `word_ids` of the words as strings, without a Python
    string or dict lookup per word: each word of up to 16 bytes is packed,
    zero-padded, into two uint64s (exact: word bytes are never zero), the
    packed words are sorted to find the distinct ones, and only those go
    through `word_ids` (its cache and keyed BLAKE2b). Longer words, rare,
    take the string path. A batch of texts can be passed joined in one buffer.
    """
    count = len(starts)
    ids = np.empty(count, dtype=np.uint32)
    if count == 0:
        return ids
    lengths = ends - starts
    short = np.flatnonzero(lengths <= _PACKED_BYTES)
    long = np.flatnonzero(lengths > _PACKED_BYTES)
    if len(long):
        ids[long] = word_ids(
            [lowered[starts[i] : ends[i]].decode("ascii") for i in long.tolist()], key
        )
    if len(short) == 0:
        return ids
    padded = np.frombuffer(lowered + bytes(_PACKED_BYTES), dtype=np.uint8)
    from_each_byte = np.lib.stride_tricks.sliding_window_view(padded, _PACKED_BYTES)
    packed = (from_each_byte[starts[short]] & _BYTE_MASKS[lengths[short]]).view(np.uint64)
    # Sorted by a mix of both halves; a run of equal packed words is one word.
    # (Two words whose mixes collide may interleave: they then form more runs,
    # each still one word, so an id is never wrong.)
    with np.errstate(over="ignore"):
        order = np.argsort(packed[:, 0] * _KGRAM_MULTIPLIER ^ packed[:, 1])
    low, high = packed[:, 0][order], packed[:, 1][order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    distinct = short[order[first]]
    distinct_ids = word_ids(
        [lowered[starts[i] : ends[i]].decode("ascii") for i in distinct.tolist()], key
    )
    ids[short[order]] = distinct_ids[np.cumsum(first) - 1]
    return ids


def fmix64(values: UInt64Array) -> UInt64Array:
    """MurmurHash3's 64-bit finaliser: spreads k-gram sums over all bits."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def shingle_hashes(ids: UInt32Array, shingle_words: int) -> UInt32Array:
    """32-bit hash of every run of `shingle_words` consecutive word ids.

    Position i hashes words [i, i + shingle_words). A text shorter than one
    shingle yields one hash of all its words, so short texts still match.

    >>> ids = np.array([1, 2, 3, 4, 1, 2, 3], dtype=np.uint32)
    >>> hashes = shingle_hashes(ids, 3)
    >>> len(hashes), bool(hashes[0] == hashes[4])
    (5, True)
    """
    count = len(ids)
    if count == 0:
        return np.empty(0, dtype=np.uint32)
    width = min(shingle_words, count)
    wide = ids.astype(np.uint64)
    combined = np.zeros(count - width + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            combined = combined * _KGRAM_MULTIPLIER + wide[offset : count - width + 1 + offset]
        mixed = fmix64(combined)
    return (mixed >> np.uint64(32)).astype(np.uint32)
