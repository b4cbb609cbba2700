"""Verify candidate records against the checked text: exact shared regions.

Seed and extend, as in PAN text-alignment systems:
1. seeds: positions where the two word sequences share a word k-gram, found
   for all candidate records in one numpy pass and grouped into exact runs
   (consecutive seeds on one diagonal: identical stretches of text);
2. parts: runs close to each other in both texts chain into one in-order part
   (gaps of a few words absorb substituted, inserted or deleted words);
3. regions: parts adjacent in the checked text whose source parts are also
   close merge, so reordered sentences of one copied paragraph are one match.
   Steps 2 and 3 are joins of sorted arrays over all sources (`chaining`).

Each part is scored with rapidfuzz's Indel similarity over word ids (1.0 = the
same words in the same order); a region's similarity is the length-weighted
mean of its parts, so reordering sentences costs nothing but edits do.
The only importer of rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel

from provenance import chaining
from provenance.arrays import batches, contained_in, distinct, lex_order, ranges
from provenance.shingle import UInt32Array, shingle_hashes

IntArray = npt.NDArray[np.int64]
_MAX_SOURCE_REPEATS = 16  # a k-gram repeated more often than this in a record seeds nothing
_SEED_BATCH_WORDS = 2_000_000  # candidate words seeded at once (exact_runs)


@dataclass(frozen=True)
class Region:
    """Words [query_start, query_end) of the checked text correspond to words
    [source_start, source_end) of the record. Word indexes, not characters."""

    query_start: int
    query_end: int
    source_start: int
    source_end: int
    matched_words: int  # checked-text words inside shared k-grams
    similarity: float
    covered: IntArray  # sorted query word indexes inside shared k-grams
    runs: tuple[tuple[int, int, int], ...]  # (query start, source start, k-grams) in a row
    # (query start, query end) of each in-order part, in query order: where the
    # region holds the checked text's words in the same order as the source.
    parts: tuple[tuple[int, int], ...] = ()
    # Per part, its word-by-word similarity with the source (empty when the
    # region was too narrow to be compared).
    part_similarity: tuple[float, ...] = ()

    def source_span_for(self, query_start: int, query_end: int, width: int) -> tuple[int, int]:
        """Source words matching the query words [query_start, query_end)."""
        first, last = -1, -1
        for run_query, run_source, length in self.runs:
            # Shared k-grams of this run that start inside [query_start, query_end).
            low = max(run_query, query_start)
            high = min(run_query + length, query_end)
            if low >= high:
                continue
            shift = run_source - run_query
            first = low + shift if first < 0 else min(first, low + shift)
            last = max(last, high - 1 + shift)
        if first < 0:
            return self.source_start, self.source_end
        return first, last + width


@dataclass(frozen=True)
class ExactRuns:
    """Stretches of identical words shared by the checked text and each source.

    Run i: source `source[i]` has, from word `source_start[i]`, the same
    `kgrams[i] - 1 + width` words as the checked text from `query_start[i]`.
    Sorted by source, then query start. Cheap to compute for hundreds of
    sources at once; a check uses them to find template text and to choose
    which sources are worth aligning.
    """

    width: int
    source: IntArray
    query_start: IntArray
    source_start: IntArray
    kgrams: IntArray

    def words(self) -> IntArray:
        """Words each run covers."""
        return self.kgrams - 1 + self.width

    def positions(self, min_words: int = 1) -> tuple[IntArray, IntArray]:
        """(source, checked-text word) of every word inside a run of at least
        `min_words` words; a pair may repeat when runs overlap."""
        lengths = self.words()
        wide = lengths >= min_words
        starts = self.query_start[wide]
        run, word = ranges(starts, starts + lengths[wide])
        return self.source[wide][run], word


def exact_runs(
    query_ids: UInt32Array, sources: Sequence[UInt32Array], shingle_words: int
) -> ExactRuns:
    """The exact shared runs of the checked text with every source, in one pass.

    Sources shorter than a k-gram (and a checked text shorter than one) share
    nothing here; `shared_regions` compares such short texts whole.
    """
    width = shingle_words
    usable = [n for n, ids in enumerate(sources) if len(ids) >= width]
    empty = np.empty(0, dtype=np.int64)
    if len(query_ids) < width or not usable:
        return ExactRuns(width, empty, empty, empty, empty)
    # Candidates a few at a time: hashing every k-gram of 400 long records (a
    # chronology, a court bundle) at once held ~40 bytes per word of all of them.
    found = []
    for batch in batches([len(sources[n]) for n in usable], _SEED_BATCH_WORDS):
        seeds = _seeds_many(query_ids, [sources[usable[n]] for n in batch], width)
        if len(seeds):
            runs = _diagonal_runs(seeds)
            runs[:, 0] = np.asarray(usable, dtype=np.int64)[batch[runs[:, 0]]]
            found.append(runs)
    if not found:
        return ExactRuns(width, empty, empty, empty, empty)
    runs = np.concatenate(found)
    return ExactRuns(
        width=width,
        source=runs[:, 0],
        query_start=runs[:, 1],
        source_start=runs[:, 2],
        kgrams=runs[:, 3],
    )


def shared_regions(
    query_ids: UInt32Array,
    source_ids: UInt32Array,
    shingle_words: int,
    max_gap: int,
    min_matched: int = 1,
    score_from: int = 0,
) -> list[Region]:
    """All regions where the two word-id sequences share text, widest first.

    Only regions of at least `score_from` shared words get a similarity;
    narrower ones report 0.0.
    """
    width = min(shingle_words, len(query_ids), len(source_ids))
    if width == 0:
        return []
    runs = exact_runs(query_ids, [source_ids], width)
    aligned = align_sources(
        runs, query_ids, [source_ids], [0], max_gap, min_matched, score_from, min_matched
    )
    return aligned.regions.get(0, [])


@dataclass(frozen=True)
class SharedWords:
    """Every region of at least `min_matched` shared words, as columns.

    A check on formulaic text finds thousands of narrow regions (a stock
    phrase shared with hundreds of records); all it needs of them is which
    source holds which words of the checked text, and in which in-order part,
    to tell template text from a copy. Columns cost a few arrays; a Region
    object each cost most of a check's time.
    """

    source: IntArray  # per region: the source number it aligns with
    part_region: IntArray  # per in-order part: its region (ascending)
    part_start: IntArray  # per part: first checked-text word of its span
    part_end: IntArray  # per part: end of its span
    part_source_start: IntArray  # per part: first source word of its span
    part_source_end: IntArray  # per part: end of its source span
    word_region: IntArray  # per covered word: its region (ascending)
    word: IntArray  # per covered word: the checked-text word, ascending within a region


@dataclass(frozen=True)
class Alignment:
    """What aligning the checked text with its candidate sources found."""

    regions: dict[int, list[Region]]  # per source number: regions of >= keep_from words
    shared: SharedWords


def align_sources(
    runs: ExactRuns,
    query_ids: UInt32Array,
    sources: Sequence[UInt32Array],
    numbers: Sequence[int],
    max_gap: int,
    min_matched: int = 1,
    score_from: int = 0,
    keep_from: int = 0,
) -> Alignment:
    """Shared regions of the checked text with the sources `numbers`.

    Exact runs close to each other in both texts chain into parts and parts
    into regions (`chaining`). Regions with fewer than `min_matched` shared
    words are left out; the rest are all in `shared`. Only regions of at
    least `keep_from` words become Region objects (widest first per source),
    and only those of at least `score_from` words are compared word by word
    for their similarity (narrower ones report 0.0).
    """
    width = runs.width
    wanted = np.zeros(len(sources) + 1, dtype=bool)
    wanted[list(numbers)] = True
    rows = np.flatnonzero(wanted[runs.source])
    source, query_start = runs.source[rows], runs.query_start[rows]
    source_start, kgrams = runs.source_start[rows], runs.kgrams[rows]
    parts = chaining.chain(source, query_start, source_start, kgrams, width, max_gap)
    part_region = chaining.merge(parts, max_gap)
    run_region = part_region[parts.run_part]
    word_region, word = _covered_words(query_start, kgrams, width, run_region)
    matched = np.bincount(word_region, minlength=len(parts.source))
    kept = np.flatnonzero(matched >= min_matched)
    renumber = np.full(len(parts.source), -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    covered_enough = matched[word_region] >= min_matched
    word_region, word = renumber[word_region[covered_enough]], word[covered_enough]
    word_bounds = np.searchsorted(word_region, np.arange(len(kept) + 1)).tolist()
    part_kept = renumber[part_region]
    part_order, part_bounds = _grouped(part_kept, len(kept), parts.query_end, parts.query_start)
    run_order, run_bounds = _grouped(renumber[run_region], len(kept))
    region_source = parts.source[kept]
    query_words = query_ids.tolist()
    part_spans = np.column_stack(
        [parts.query_start, parts.query_end, parts.source_start, parts.source_end]
    )
    run_rows = np.column_stack([query_start, source_start, kgrams])
    # A standard paragraph aligns with hundreds of records, its parts the same
    # words in each: each distinct part is compared word by word once.
    similarities: dict[tuple[int, int, bytes], float] = {}
    regions: dict[int, list[Region]] = {}
    for new in np.flatnonzero(matched[kept] >= keep_from).tolist():
        number = int(region_source[new])
        region = _region(
            part_spans[part_order[part_bounds[new] : part_bounds[new + 1]]].tolist(),
            word[word_bounds[new] : word_bounds[new + 1]],
            run_rows[run_order[run_bounds[new] : run_bounds[new + 1]]].tolist(),
            query_words,
            sources[number],
            width,
            score_from,
            similarities,
        )
        regions.setdefault(number, []).append(region)
    for found in regions.values():
        found.sort(key=lambda region: -region.matched_words)
    shared = SharedWords(
        source=region_source,
        part_region=part_kept[part_order],
        part_start=parts.query_start[part_order],
        part_end=parts.query_end[part_order],
        part_source_start=parts.source_start[part_order],
        part_source_end=parts.source_end[part_order],
        word_region=word_region,
        word=word,
    )
    return Alignment(regions, shared)


def _grouped(group: IntArray, count: int, *tiebreaks: IntArray) -> tuple[IntArray, list[int]]:
    """Indexes of the rows in a group (`group` >= 0; -1 is none), grouped in
    order 0..count-1 (within one, by `tiebreaks` as np.lexsort takes them, last
    first), and where each group starts and ends in them.

    >>> order, bounds = _grouped(np.array([1, -1, 0, 1]), 2)
    >>> order.tolist(), bounds
    ([2, 0, 3], [0, 1, 3])
    """
    order = np.lexsort((*tiebreaks, group)) if tiebreaks else np.argsort(group, kind="stable")
    order = order[group[order] >= 0]
    return order, np.searchsorted(group[order], np.arange(count + 1)).tolist()


def _covered_words(
    query_start: IntArray, kgrams: IntArray, width: int, group: IntArray
) -> tuple[IntArray, IntArray]:
    """(group, checked-text word) of every word the runs cover, once each,
    sorted; run i starts at `query_start[i]` and belongs to `group[i]`."""
    if len(query_start) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    run, words = ranges(query_start, query_start + kgrams - 1 + width)
    stride = int(words.max()) + 1
    keys = distinct(group[run] * stride + words)
    return keys // stride, keys % stride


def _seeds_many(query_ids: UInt32Array, sources: Sequence[UInt32Array], width: int) -> IntArray:
    """(source number, query position, source position) of every shared k-gram.

    A k-gram found more than `_MAX_SOURCE_REPEATS` times in one source seeds
    nothing in that source (a repeated heading or list marker is no evidence).
    """
    query_hashes = shingle_hashes(query_ids, width)
    lengths = np.array([len(ids) for ids in sources], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    hashes = shingle_hashes(np.concatenate(sources), width)
    # Only k-grams the checked text has can seed: keep those first (a check
    # aligns hundreds of records, most of their k-grams shared with nothing),
    # so the sorts below work on a few thousand k-grams, not half a million.
    # Every occurrence of a kept k-gram is kept, so the repeat counts are exact.
    positions = np.flatnonzero(contained_in(hashes, distinct(query_hashes)))
    owner = np.searchsorted(offsets, positions, side="right") - 1
    local = positions - offsets[owner]
    # Only k-grams inside one source: per source, the first len - width + 1.
    inside = local <= lengths[owner] - width
    owner, local, source_hashes = owner[inside], local[inside], hashes[positions[inside]]
    # Drop k-grams repeated too often within their own source.
    order = np.lexsort((source_hashes, owner))
    ordered_owner, ordered_hash = owner[order], source_hashes[order]
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = (ordered_owner[1:] != ordered_owner[:-1]) | (
        ordered_hash[1:] != ordered_hash[:-1]
    )
    group_ids = np.cumsum(new_group) - 1
    keep = order[np.bincount(group_ids)[group_ids] <= _MAX_SOURCE_REPEATS]
    owner, local, source_hashes = owner[keep], local[keep], source_hashes[keep]
    # Join the checked text's k-grams with them.
    order = np.argsort(source_hashes, kind="stable")
    sorted_source = source_hashes[order]
    query_positions, at = ranges(
        np.searchsorted(sorted_source, query_hashes, side="left"),
        np.searchsorted(sorted_source, query_hashes, side="right"),
    )
    matched = order[at]
    return np.stack([owner[matched], query_positions, local[matched]], axis=1).astype(np.int64)


def _diagonal_runs(seeds: IntArray) -> IntArray:
    """Seeds grouped into exact runs: (source number, query start, source
    start, k-grams) rows, sorted by source, query start and source start.

    Consecutive seeds on one diagonal are one stretch of identical text; the
    chaining below works on these runs instead of single seeds, which is most
    of its speed (a formulaic sentence is one run, not ten seeds).

    >>> seeds = np.array([[0, 0, 5], [0, 1, 6], [0, 2, 7], [0, 2, 20], [1, 9, 9]])
    >>> _diagonal_runs(seeds).tolist()
    [[0, 0, 5, 3], [0, 2, 20, 1], [1, 9, 9, 1]]
    """
    diagonals = seeds[:, 2] - seeds[:, 1]
    order = lex_order(seeds[:, 1], diagonals - diagonals.min(), seeds[:, 0])
    ordered, ordered_diagonals = seeds[order], diagonals[order]
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = (
        (ordered[1:, 0] != ordered[:-1, 0])
        | (ordered_diagonals[1:] != ordered_diagonals[:-1])
        | (ordered[1:, 1] != ordered[:-1, 1] + 1)
    )
    first = np.nonzero(starts)[0]
    lengths = np.diff(np.append(first, len(ordered)))
    runs = np.column_stack([ordered[first], lengths])
    return runs[lex_order(runs[:, 2], runs[:, 1], runs[:, 0])]


def _region(
    parts: list[list[int]],
    covered: IntArray,
    runs: list[list[int]],
    query_words: list[int],
    source_ids: UInt32Array,
    width: int,
    score_from: int,
    similarities: dict[tuple[int, int, bytes], float],
) -> Region:
    """The Region of one group of `parts` ((query start, query end, source
    start, source end) rows) and its exact `runs` ((query start, source start,
    k-grams) rows); `covered` are the query words the runs cover.
    `similarities` keeps each part's word-by-word similarity by its words."""
    weighted_similarity = 0.0
    weight = 0
    part_similarity: list[float] = []
    if len(covered) >= score_from:
        for query_start, query_end, source_start, source_end in parts:
            source_part = source_ids[source_start:source_end]
            key = (query_start, query_end, source_part.tobytes())
            if key not in similarities:
                similarities[key] = Indel.normalized_similarity(
                    query_words[query_start:query_end], source_part.tolist()
                )
            part_similarity.append(similarities[key])
            part_weight = query_end - query_start + len(source_part)
            weighted_similarity += similarities[key] * part_weight
            weight += part_weight
    return Region(
        query_start=min(part[0] for part in parts),
        query_end=max(part[1] for part in parts),
        source_start=min(part[2] for part in parts),
        source_end=max(part[3] for part in parts),
        matched_words=len(covered),
        similarity=round(weighted_similarity / weight, 3) if weight else 0.0,
        covered=covered,
        runs=tuple((q, s, k) for q, s, k in runs),
        parts=tuple((part[0], part[1]) for part in parts),
        part_similarity=tuple(part_similarity),
    )
