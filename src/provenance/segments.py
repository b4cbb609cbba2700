"""Read files: sorted band keys and packed word ids beside the index, memory-mapped.

Owned by store.py (the only module that imports this one). A check at 1M
passages spends most of its time in two DuckDB scans: the band join reads all
64M band rows (a hash join cannot use an index), and fetching the candidates'
word blobs reads the whole blob column. Both are lookups in sorted arrays, so
the writer also writes them as plain numpy files that any reader maps into
memory: opening costs milliseconds, and a lookup touches only the pages it needs.

Layout: `<db>.segments/<name>/` holds one *segment*, the band rows and words of
the records with `after_rec < rec <= last_rec`, in eight .npy files:

    keys.npy, recs.npy          band key -> rec, sorted by key
    word_recs.npy               the segment's records (ascending), and for each
    word_offsets.npy            where its words start in
    word_ids.npy, word_starts.npy, word_ends.npy, word_initials.npy

A full build writes one segment; a nightly run adds one small segment for the
records it added (recs only grow: a changed record is deleted and inserted
under a new rec). Rows of deleted records stay in the files and are skipped:
a rec that is no longer in the `records` table is dead. When the added
segments or the dead rows grow past a share of the whole, the writer rebuilds
one segment (compaction).

Which segments belong to a database is recorded IN the database (param
`segments`: names, rec ranges, sizes and a digest of each file's ends), and
the writer publishes the segment folders before the database that names
them. So a reader that opens a database finds its segments complete, or (if
they were removed, damaged or never written) finds that they do not match
and falls back to SQL: slower, never a different answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.arrays import distinct, ranges

SEGMENT_FORMAT = 2  # 2: word_initials
_ARRAYS: dict[str, type[np.generic]] = {
    "keys": np.int64,
    "recs": np.int32,
    "word_recs": np.int32,
    "word_offsets": np.int64,
    "word_ids": np.uint32,
    "word_starts": np.uint32,
    "word_ends": np.uint32,
    "word_initials": np.uint8,
}
_TEMPORARY_SUFFIX = ".tmp"
BUCKET_ROWS = 8_000_000  # band rows sorted at once when a segment is built (~100 MB)


@dataclass(frozen=True)
class SegmentInfo:
    """What the database records about one segment."""

    name: str
    after_rec: int  # the segment holds recs in (after_rec, last_rec]
    last_rec: int
    band_rows: int
    records: int
    words: int
    digest: str  # of the arrays' shapes and first and last elements


@dataclass(frozen=True)
class Manifest:
    """The segments of one database, in rec order."""

    segments: tuple[SegmentInfo, ...]

    @property
    def last_rec(self) -> int:
        return self.segments[-1].last_rec if self.segments else 0

    def to_json(self) -> str:
        return json.dumps(
            {"format": SEGMENT_FORMAT, "segments": [s.__dict__ for s in self.segments]},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str | None) -> Manifest | None:
        """None when there is no manifest or it is not one this code can read."""
        if not raw:
            return None
        try:
            data = json.loads(raw)
            if data.get("format") != SEGMENT_FORMAT:
                return None
            return cls(tuple(SegmentInfo(**segment) for segment in data["segments"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


@dataclass(frozen=True)
class Segment:
    """One segment's arrays, memory-mapped read-only."""

    info: SegmentInfo
    keys: npt.NDArray[np.int64]
    recs: npt.NDArray[np.int32]
    word_recs: npt.NDArray[np.int32]
    word_offsets: npt.NDArray[np.int64]
    word_ids: npt.NDArray[np.uint32]
    word_starts: npt.NDArray[np.uint32]
    word_ends: npt.NDArray[np.uint32]
    word_initials: npt.NDArray[np.uint8]


# A record's words as the read files hold them: ids, starts, ends, initials.
WordArrays = tuple[
    npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.uint32], npt.NDArray[np.uint8]
]


@dataclass(frozen=True)
class ReadFiles:
    """The segments of the open database and which recs are still live."""

    segments: tuple[Segment, ...]
    alive: npt.NDArray[np.bool_]  # indexed by rec

    def words_of(self, recs: Sequence[int]) -> dict[int, WordArrays]:
        """(ids, starts, ends, initials) of each live record of `recs`; others are left out."""
        wanted = np.asarray(recs, dtype=np.int64)
        inside = (wanted >= 0) & (wanted < len(self.alive))
        wanted = wanted[inside][self.alive[wanted[inside]]]
        found = {}
        for segment in self.segments:
            mine = wanted[(wanted > segment.info.after_rec) & (wanted <= segment.info.last_rec)]
            if len(mine) == 0:
                continue
            slots = np.minimum(np.searchsorted(segment.word_recs, mine), len(segment.word_recs) - 1)
            held = segment.word_recs[slots] == mine
            starts = segment.word_offsets[slots[held]].tolist()
            ends = segment.word_offsets[slots[held] + 1].tolist()
            for rec, start, end in zip(mine[held].tolist(), starts, ends, strict=True):
                found[rec] = (
                    segment.word_ids[start:end],
                    segment.word_starts[start:end],
                    segment.word_ends[start:end],
                    segment.word_initials[start:end],
                )
        return found


def segments_folder(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".segments")


# -- reading ---------------------------------------------------------------------------------


def open_segments(db_path: Path, manifest: Manifest | None) -> tuple[Segment, ...] | None:
    """Map the manifest's segments, or None if any is missing, damaged or out of order."""
    if manifest is None or not manifest.segments:
        return None
    after = 0
    for info in manifest.segments:
        if info.after_rec != after or info.last_rec < info.after_rec:
            return None
        after = info.last_rec
    folder = segments_folder(db_path)
    opened: list[Segment] = []
    try:
        for info in manifest.segments:
            arrays = {
                name: np.load(folder / info.name / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                for name in _ARRAYS
            }
            if not _fits(info, arrays):
                return None
            # Plain ndarray views of the maps: numpy's memmap subclass adds a
            # Python-level cost to every slice.
            plain = {name: array.view(np.ndarray) for name, array in arrays.items()}
            opened.append(Segment(info=info, **plain))
    except (OSError, ValueError, EOFError):
        return None
    return tuple(opened)


def open_read_files(
    db_path: Path, manifest: Manifest | None, live_recs: npt.NDArray[np.int64]
) -> ReadFiles | None:
    """The manifest's segments ready for lookups, or None if they do not fit the database.

    `live_recs` are the recs of the database's `records` table: each must lie
    inside a segment, or the files are older than the database.
    """
    if manifest is None:
        return None
    if len(live_recs) and (int(live_recs.max()) > manifest.last_rec or int(live_recs.min()) < 1):
        return None
    segments = open_segments(db_path, manifest)
    if segments is None:
        return None
    alive = np.zeros(manifest.last_rec + 1, dtype=np.bool_)
    alive[live_recs] = True
    return ReadFiles(segments, alive)


def _fits(info: SegmentInfo, arrays: dict[str, Any]) -> bool:
    for name, dtype in _ARRAYS.items():
        if arrays[name].dtype != np.dtype(dtype) or arrays[name].ndim != 1:
            return False
    return _digest(arrays) == info.digest and (
        len(arrays["keys"]) == info.band_rows
        and len(arrays["word_recs"]) == info.records
        and len(arrays["word_ids"]) == info.words
    )


def _digest(arrays: dict[str, Any]) -> str:
    """Shapes and the first and last 64 elements of every array: catches a truncated,
    swapped or rewritten file cheaply (a few pages), not a flipped bit in the middle."""
    digest = hashlib.blake2b(digest_size=16)
    for name in _ARRAYS:
        values = arrays[name]
        digest.update(f"{name}:{len(values)}:{values.dtype.str};".encode())
        digest.update(np.ascontiguousarray(values[:64]).tobytes())
        digest.update(np.ascontiguousarray(values[-64:]).tobytes())
    return digest.hexdigest()


# -- looking up ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedCandidates:
    recs: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float64]
    passages_hit: npt.NDArray[np.int64]


# Band rows one check may read. A text repeating one passage hundreds of times,
# against a store where thousands of records hold it at the same offset, would
# otherwise pair every window with every holder: 6,000 words of one repeated
# word took 6.7 GB here. 3M hits is ~50 MB of arrays; ordinary checks stay far
# below it (up to ~1M on the labelled benchmark's store).
MAX_BAND_HITS = 3_000_000
_MIN_HOLDERS_PER_KEY = 16  # a capped key still reads this many of its holders


def band_hits(
    tables: Sequence[tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]],
    alive: npt.NDArray[np.bool_] | None,
    query_keys: npt.NDArray[np.int64],
    max_hits: int | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(query row, rec) of every stored band row whose key equals a query key.

    `tables` are (sorted keys, recs) pairs; rows of recs not `alive` are dropped.
    When the hits would pass `max_hits` (default MAX_BAND_HITS), each of the
    most widely held keys reads only an even spread of its holders
    (`_holders_cap`): those keys are template text, their holders many cases'
    records, and a key's weight in ranking is 1 / its holders, tiny either way.
    """
    budget = MAX_BAND_HITS if max_hits is None else max_hits
    # Distinct keys, sorted: a query repeats many keys (overlapping windows), and
    # numpy's binary search walks ascending needles with fewer cache misses.
    distinct_keys = distinct(query_keys)
    position = np.searchsorted(distinct_keys, query_keys)
    found: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int32]]] = []
    for keys, recs in tables:
        if len(keys) == 0:
            continue
        first = np.searchsorted(keys, distinct_keys, side="left")
        last = first.copy()
        # Most query keys are held by no record: search the end of a run only
        # for keys that are there (half the binary searches into 64M keys).
        present = keys[np.minimum(first, len(keys) - 1)] == distinct_keys
        last[present] = np.searchsorted(keys, distinct_keys[present], side="right")
        found.append((first, last - first, recs))
    if not found:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    held = np.sum([count for _, count, _ in found], axis=0)
    cap = _holders_cap(held, np.bincount(position, minlength=len(distinct_keys)), budget)
    rows_parts: list[npt.NDArray[np.int64]] = []
    recs_parts: list[npt.NDArray[np.int64]] = []
    for first, count, recs in found:
        if cap is None:
            rows, at = ranges(first[position], first[position] + count[position])
        else:
            # An even spread over each capped key's run, so the holders kept span many cases.
            row_count = count[position]
            take = np.minimum(row_count, cap)
            rows, step = ranges(np.zeros(len(take), dtype=np.int64), take)
            at = first[position][rows] + step * row_count[rows] // np.maximum(take[rows], 1)
        if len(rows) == 0:
            continue
        rows_parts.append(rows)
        recs_parts.append(np.asarray(recs[at], dtype=np.int64))
    if not rows_parts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    query_rows, hit_recs = np.concatenate(rows_parts), np.concatenate(recs_parts)
    if alive is not None:
        keep = alive[np.minimum(hit_recs, len(alive) - 1)] & (hit_recs < len(alive))
        query_rows, hit_recs = query_rows[keep], hit_recs[keep]
    return query_rows, hit_recs


def _holders_cap(
    held: npt.NDArray[np.int64], repeats: npt.NDArray[np.int64], budget: int
) -> int | None:
    """The most holders any one key may contribute so that the hits, each
    key's holders once per query row holding it (`repeats`), stay within
    `budget`; None when every holder fits.

    >>> _holders_cap(np.array([5, 100]), np.array([2, 10]), 2_000) is None
    True
    >>> int(_holders_cap(np.array([5, 1000]), np.array([2, 10]), 2_000))
    199
    """
    if int((held * repeats).sum()) <= budget:
        return None
    low, high = _MIN_HOLDERS_PER_KEY, int(held.max())
    while low < high:  # the largest cap whose hits fit
        middle = (low + high + 1) // 2
        if int((np.minimum(held, middle) * repeats).sum()) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def rank_candidates(
    query_rows: npt.NDArray[np.int64],
    hit_recs: npt.NDArray[np.int64],
    query_passages: npt.NDArray[np.int32],
    query_count: int,
    limit: int,
) -> RankedCandidates:
    """The SQL join's scoring on (query row, rec) hits.

    A key's spread is the number of records holding it; each (record, query
    passage) pair scores 1 / its smallest spread; a record's score is the sum.
    Ordered by score (rounded to 9 places), ties by rec, as the SQL orders.
    """
    if len(query_rows) == 0:
        empty = np.empty(0, dtype=np.int64)
        return RankedCandidates(empty, np.empty(0, dtype=np.float64), empty)
    distinct_row_recs = distinct((query_rows << 32) | hit_recs)
    spread = np.bincount(distinct_row_recs >> 32, minlength=query_count)
    pair_codes = (hit_recs << 32) | query_passages[query_rows].astype(np.int64)
    order = np.argsort(pair_codes, kind="stable")
    sorted_codes = pair_codes[order]
    firsts = np.flatnonzero(np.append(True, sorted_codes[1:] != sorted_codes[:-1]))
    pair_spread = np.minimum.reduceat(spread[query_rows[order]], firsts)
    pair_recs = sorted_codes[firsts] >> 32
    rec_firsts = np.flatnonzero(np.append(True, pair_recs[1:] != pair_recs[:-1]))
    scores = np.add.reduceat(1.0 / pair_spread, rec_firsts)
    hits = np.diff(np.append(rec_firsts, len(pair_recs)))
    recs = pair_recs[rec_firsts]
    ranked = np.lexsort((recs, -np.round(scores, 9)))[:limit]
    return RankedCandidates(recs[ranked], scores[ranked], hits[ranked])


# -- writing ---------------------------------------------------------------------------------

BandSource = Callable[[int, int | None], tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]]
"""(low key inclusive, high key exclusive or None) -> unsorted keys and recs in that range."""


@dataclass(frozen=True)
class WordRows:
    """Records' words, packed: recs ascending, offsets into the four word arrays,
    and `column(name)` fetching one of word_ids / word_starts / word_ends /
    word_initials (one at a time, so only one is in memory)."""

    recs: npt.NDArray[np.int32]
    offsets: npt.NDArray[np.int64]
    column: Callable[[str], npt.NDArray[Any]]


def write_segment(
    db_path: Path,
    after_rec: int,
    last_rec: int,
    band_rows: int,
    bands: BandSource,
    words: WordRows,
) -> SegmentInfo:
    """Write one segment's folder durably (fsynced, renamed into place); returns its info.

    Band rows are fetched and sorted in key ranges of about BUCKET_ROWS rows
    (keys are hashes, so ranges of equal width hold about equal counts), so
    sorting 64M rows never holds more than one range in memory.
    """
    folder = segments_folder(db_path)
    folder.mkdir(mode=0o750, exist_ok=True)
    name = f"{last_rec:010d}-{secrets.token_hex(8)}"
    temporary = folder / (name + _TEMPORARY_SUFFIX)
    temporary.mkdir(mode=0o750)
    buckets = max(1, -(-band_rows // BUCKET_ROWS))
    width = (1 << 64) // buckets
    with (
        _NpyWriter(temporary / "keys.npy", np.int64, band_rows) as keys_out,
        _NpyWriter(temporary / "recs.npy", np.int32, band_rows) as recs_out,
    ):
        for bucket in range(buckets):
            low = -(1 << 63) + bucket * width
            high = None if bucket == buckets - 1 else low + width
            keys, recs = bands(low, high)
            order = key_order(keys)
            keys_out.write(keys[order])
            recs_out.write(recs[order])
    np.save(temporary / "word_recs.npy", words.recs.astype(np.int32, copy=False))
    np.save(temporary / "word_offsets.npy", words.offsets.astype(np.int64, copy=False))
    for column in ("word_ids", "word_starts", "word_ends", "word_initials"):
        values = words.column(column)
        if len(values) != int(words.offsets[-1]):
            raise ValueError(f"{column}: {len(values)} words, the offsets say {words.offsets[-1]}")
        np.save(temporary / f"{column}.npy", values.astype(_ARRAYS[column], copy=False))
        del values
    arrays = {
        array: np.load(temporary / f"{array}.npy", mmap_mode="r", allow_pickle=False)
        for array in _ARRAYS
    }
    info = SegmentInfo(
        name=name,
        after_rec=after_rec,
        last_rec=last_rec,
        band_rows=len(arrays["keys"]),
        records=len(arrays["word_recs"]),
        words=len(arrays["word_ids"]),
        digest=_digest(arrays),
    )
    del arrays
    for array in _ARRAYS:
        (temporary / f"{array}.npy").chmod(0o640)
        _fsync(temporary / f"{array}.npy")
    _fsync(temporary, directory=True)
    temporary.rename(folder / name)
    _fsync(folder, directory=True)
    return info


_INDEX_BITS = 24


def key_order(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The permutation that sorts `keys` (ties in any order), ~2x faster than argsort.

    numpy sorts plain 64-bit values with SIMD but argsorts them far more slowly.
    So each key's low 24 bits are replaced by its position and the packed values
    are sorted: that orders by the key's top 40 bits and gives the permutation.
    Keys are hashes, so different keys sharing their top 40 bits are rare; those
    few groups are put in full-key order afterwards.
    """
    if len(keys) >= 1 << _INDEX_BITS:
        return np.argsort(keys, kind="stable").astype(np.int64)
    low_bits = np.uint64((1 << _INDEX_BITS) - 1)
    flipped = keys.view(np.uint64) ^ np.uint64(1 << 63)  # signed order as unsigned order
    packed = (flipped & ~low_bits) | np.arange(len(keys), dtype=np.uint64)
    packed.sort()
    order = (packed & low_bits).astype(np.int64)
    ordered = keys[order]
    unsorted = np.flatnonzero(ordered[1:] < ordered[:-1])
    if len(unsorted):
        prefixes = packed >> np.uint64(_INDEX_BITS)
        starts = np.flatnonzero(np.append(True, prefixes[1:] != prefixes[:-1]))
        ends = np.append(starts[1:], len(keys))
        for group in np.unique(np.searchsorted(starts, unsorted, side="right") - 1).tolist():
            start, end = int(starts[group]), int(ends[group])
            local = np.argsort(ordered[start:end], kind="stable")
            order[start:end] = order[start:end][local]
    return order


def remove_unused(db_path: Path, keep: set[str]) -> None:
    """Delete segment folders no manifest in `keep` names (and unfinished ones).

    Only a writer (holding the writer lock) calls this. A reader still using a
    removed segment keeps its mapping (Linux keeps unlinked files for their
    holders); one that had not opened it yet falls back to SQL.
    """
    folder = segments_folder(db_path)
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


class _NpyWriter:
    """A .npy file of known length written in pieces (so it is never all in memory)."""

    def __init__(self, path: Path, dtype: type[np.generic], length: int) -> None:
        self._path, self._dtype, self._length, self._written = path, np.dtype(dtype), length, 0
        self._handle = path.open("wb")
        header = {
            "descr": np.lib.format.dtype_to_descr(self._dtype),
            "fortran_order": False,
            "shape": (length,),
        }
        np.lib.format.write_array_header_1_0(self._handle, header)

    def write(self, values: npt.NDArray[Any]) -> None:
        self._handle.write(np.ascontiguousarray(values, dtype=self._dtype).tobytes())
        self._written += len(values)

    def __enter__(self) -> _NpyWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self._handle.close()
        if exc_type is None and self._written != self._length:
            raise ValueError(
                f"{self._path}: wrote {self._written} rows of {self._length}; the index changed?"
            )


def _fsync(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if directory else 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
