"""Verify a candidate record against the checked text: exact shared regions.

Seed and extend, as in PAN text-alignment systems:
1. seeds: positions where the two word sequences share a word k-gram;
2. parts: seeds close to each other in both texts chain into one in-order part
   (gaps of a few words absorb substituted, inserted or deleted words);
3. regions: parts adjacent in the checked text whose source parts are also
   close merge, so reordered sentences of one copied paragraph are one match.

Each part is scored with rapidfuzz's Indel similarity over word ids (1.0 = the
same words in the same order); a region's similarity is the length-weighted
mean of its parts, so reordering sentences costs nothing but edits do.
The only importer of rapidfuzz.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel

from provenance.shingle import UInt32Array, shingle_hashes

IntArray = npt.NDArray[np.int64]
_MAX_SOURCE_REPEATS = 16  # a k-gram repeated more often than this in a record seeds nothing


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
    seed_pairs: IntArray  # (query position, source position) of each shared k-gram

    def source_span_for(self, query_start: int, query_end: int, width: int) -> tuple[int, int]:
        """Source words matching the query words [query_start, query_end)."""
        inside = (self.seed_pairs[:, 0] >= query_start) & (self.seed_pairs[:, 0] < query_end)
        if not inside.any():
            return self.source_start, self.source_end
        source_positions = self.seed_pairs[inside, 1]
        return int(source_positions.min()), int(source_positions.max()) + width


def shared_regions(
    query_ids: UInt32Array, source_ids: UInt32Array, shingle_words: int, max_gap: int
) -> list[Region]:
    """All regions where the two word-id sequences share text, widest first."""
    width = min(shingle_words, len(query_ids), len(source_ids))
    if width == 0:
        return []
    seeds = _seeds(shingle_hashes(query_ids, width), shingle_hashes(source_ids, width))
    if len(seeds) == 0:
        return []
    parts = _chain(seeds, width, max_gap)
    regions = [_score(group, query_ids, source_ids, width) for group in _merge(parts, max_gap)]
    return sorted(regions, key=lambda region: -region.matched_words)


def _seeds(query_hashes: UInt32Array, source_hashes: UInt32Array) -> IntArray:
    """(query position, source position) pairs with equal k-gram hashes, sorted."""
    order = np.argsort(source_hashes, kind="stable")
    sorted_source = source_hashes[order]
    lows = np.searchsorted(sorted_source, query_hashes, side="left")
    highs = np.searchsorted(sorted_source, query_hashes, side="right")
    counts = highs - lows
    usable = (counts > 0) & (counts <= _MAX_SOURCE_REPEATS)
    query_positions = np.repeat(np.nonzero(usable)[0], counts[usable])
    offsets = np.concatenate(
        [np.arange(low, high) for low, high in zip(lows[usable], highs[usable], strict=True)]
        or [np.empty(0, dtype=np.int64)]
    )
    pairs = np.stack([query_positions, order[offsets]], axis=1).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


@dataclass
class _Part:
    query_start: int
    query_end: int
    source_start: int
    source_end: int
    seeds: list[tuple[int, int]]


def _chain(seeds: IntArray, width: int, max_gap: int) -> list[_Part]:
    """Group seeds into in-order parts: each seed joins the part whose last seed
    is within `max_gap` words in both texts and keeps the diagonal closest."""
    open_parts: list[_Part] = []
    closed: list[_Part] = []
    for query_pos, source_pos in seeds.tolist():
        best: _Part | None = None
        best_drift = max_gap + 1
        still_open: list[_Part] = []
        for part in open_parts:
            if query_pos - (part.query_end - width) > max_gap:
                closed.append(part)
                continue
            still_open.append(part)
            last_query, last_source = part.seeds[-1]
            step_query = query_pos - last_query
            step_source = source_pos - last_source
            if 0 < step_query <= max_gap and 0 < step_source <= max_gap:
                drift = abs(step_query - step_source)
                if drift < best_drift:
                    best, best_drift = part, drift
        open_parts = still_open
        if best is None:
            open_parts.append(
                _Part(query_pos, query_pos + width, source_pos, source_pos + width, [])
            )
            best = open_parts[-1]
        best.seeds.append((query_pos, source_pos))
        best.query_end = max(best.query_end, query_pos + width)
        best.source_start = min(best.source_start, source_pos)
        best.source_end = max(best.source_end, source_pos + width)
    return closed + open_parts


def _merge(parts: list[_Part], max_gap: int) -> list[list[_Part]]:
    """Join parts that sit side by side in the checked text and near each
    other in the source: sentences of one passage copied in another order.

    A part may join any group still open, not only the latest: a stray part
    (a formulaic phrase matching elsewhere in the record) sorted between two
    halves of a copy must not keep them apart.
    """
    groups: list[list[_Part]] = []
    bounds: list[list[int]] = []  # per group: query_end, source_start, source_end
    for part in sorted(parts, key=lambda p: (p.query_start, p.source_start)):
        for group, (query_end, source_start, source_end) in zip(groups, bounds, strict=True):
            near_in_query = part.query_start - query_end <= max_gap
            near_in_source = (
                part.source_start - source_end <= max_gap
                and source_start - part.source_end <= max_gap
            )
            if near_in_query and near_in_source:
                group.append(part)
                index = groups.index(group)
                bounds[index] = [
                    max(query_end, part.query_end),
                    min(source_start, part.source_start),
                    max(source_end, part.source_end),
                ]
                break
        else:
            groups.append([part])
            bounds.append([part.query_end, part.source_start, part.source_end])
    return groups


def _score(
    group: list[_Part], query_ids: UInt32Array, source_ids: UInt32Array, width: int
) -> Region:
    covered_query: set[int] = set()
    pairs = [pair for part in group for pair in part.seeds]
    weighted_similarity = 0.0
    weight = 0
    for part in group:
        for query_pos, _ in part.seeds:
            covered_query.update(range(query_pos, query_pos + width))
        query_words = query_ids[part.query_start : part.query_end].tolist()
        source_words = source_ids[part.source_start : part.source_end].tolist()
        part_weight = len(query_words) + len(source_words)
        weighted_similarity += Indel.normalized_similarity(query_words, source_words) * part_weight
        weight += part_weight
    covered = np.array(sorted(covered_query), dtype=np.int64)
    return Region(
        query_start=min(p.query_start for p in group),
        query_end=max(p.query_end for p in group),
        source_start=min(p.source_start for p in group),
        source_end=max(p.source_end for p in group),
        matched_words=len(covered),
        similarity=round(weighted_similarity / weight, 3) if weight else 0.0,
        covered=covered,
        seed_pairs=np.array(pairs, dtype=np.int64).reshape(-1, 2),
    )
