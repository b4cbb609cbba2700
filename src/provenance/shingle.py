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


def _fmix64(values: UInt64Array) -> UInt64Array:
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
        mixed = _fmix64(combined)
    return (mixed >> np.uint64(32)).astype(np.uint32)
