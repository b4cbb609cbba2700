"""Names cut to initials: a lone capital facing another family's name in a copied sequence.

Used when judging a window's regions (`judge.judged_matches`): the initial
is the name's trace, and counts as that name where the record's name faces it.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from provenance.align import Region
from provenance.arrays import distinct
from provenance.candidates import Candidates
from provenance.details import cases_holding
from provenance.evidence import MAX_RUN_GAP
from provenance.sources import SourceHit


def abbreviated_names(
    hits: list[SourceHit],
    found: Candidates,
    initials: np.ndarray,
    case_numbers: tuple[list[int], int],
    case_id: str,
) -> list[np.ndarray | None]:
    """For each hit of another case than `case_id` (the text's), the words of
    the text that are a lone capital (`initials`: names.lone_initials)
    standing, in the region's alignment, where its record has a name with
    that initial (RecordWords.initials) that one other case's candidate
    records hold (the record's) and the text's own case's do not: another
    family's name (`detail_weights`), cut to its initial. None if none.

    "Mr Vance at Sampleford Junior School rang to say that E. had arrived
    late and hungry" is stock wording but for the names, so with "Evie" cut
    to "E." no word of it was that family's: the copy was cleared. The
    initial is the name's trace. Alone it is a weak clue (a receiving
    family's Ella is an E. too), so it counts only where the record's name
    faces it in a copied sequence, and the region still needs its details
    (`with_initials`, `classify_hit`). Counting names that up to three other
    cases hold found 2 more of 120 blind planted copies, but cleared
    documents whose own names were all cut to initials were then flagged
    (1 of 120; 7 of 60 with no limit): "E. R. I." faced a hospital's name.
    """
    if not initials.any():
        return [None] * len(hits)
    # Initials up to each word: a region with none in or beside it is skipped at once.
    before = np.concatenate([[0], np.cumsum(initials != 0)])
    faced: list[tuple[np.ndarray, np.ndarray] | None] = []
    for hit in hits:
        letters = hit.record_words.initials
        low = max(0, hit.region.query_start - _EDGE_WORDS)
        high = min(len(initials), hit.region.query_end + _EDGE_WORDS)
        own_case = hit.record.info.case_id == case_id
        if letters is None or own_case or before[high] == before[low]:
            faced.append(None)
            continue
        query_at, source_at = _facing_words(
            hit.region, found.shingle_words, len(initials), len(letters)
        )
        same = (initials[query_at] != 0) & (letters[source_at] == initials[query_at])
        ids = hit.record_words.ids[source_at[same]].astype(np.int64)
        faced.append((query_at[same], ids) if same.any() else None)
    named = [pair[1] for pair in faced if pair is not None]
    if not named:
        return [None] * len(hits)
    keys = distinct(np.concatenate(named))
    holds = cases_holding(found, keys, case_numbers)
    one_other = (holds[1:].sum(axis=0) == 1) & ~holds[0]
    marks: list[np.ndarray | None] = []
    for pair in faced:
        mark = None
        if pair is not None:
            query_at, ids = pair
            kept = query_at[one_other[np.searchsorted(keys, ids)]]
            if len(kept):
                mark = np.zeros(len(initials), dtype=bool)
                mark[kept] = True
        marks.append(mark)
    return marks


def with_initials(region: Region, initials: np.ndarray) -> Region:
    """The region with the initials `abbreviated_names` found taken as shared
    words, its bounds widened to an initial just before or after it."""
    covered = np.union1d(region.covered, np.flatnonzero(initials)).astype(region.covered.dtype)
    before = max(0, region.query_start - int(covered[0]))
    after = max(0, int(covered[-1]) + 1 - region.query_end)
    return replace(
        region,
        query_start=region.query_start - before,
        query_end=region.query_end + after,
        source_start=max(0, region.source_start - before),
        source_end=region.source_end + after,
        covered=covered,
        matched_words=region.matched_words + len(covered) - len(region.covered),
    )


_EDGE_WORDS = 2  # words before a region's first run (after its last) that face the record's


def _facing_words(
    region: Region, width: int, query_words: int, source_words: int
) -> tuple[np.ndarray, np.ndarray]:
    """Query and record word positions that face each other where words were
    replaced one for one: in each gap between two exact runs on the same
    diagonal (as many words skipped on both sides, at most `MAX_RUN_GAP`),
    and in the `_EDGE_WORDS` before the first run and after the last."""
    runs = sorted(region.runs)
    query_at: list[int] = []
    source_at: list[int] = []
    for (query_1, source_1, kgrams_1), (query_2, source_2, _) in itertools.pairwise(runs):
        query_end, source_end = query_1 + kgrams_1 - 1 + width, source_1 + kgrams_1 - 1 + width
        gap = query_2 - query_end
        if 0 < gap <= MAX_RUN_GAP and source_2 - source_end == gap:
            query_at += range(query_end, query_2)
            source_at += range(source_end, source_2)
    if runs:
        first_query, first_source, _ = runs[0]
        last_query, last_source, last_kgrams = runs[-1]
        last_query += last_kgrams - 1 + width
        last_source += last_kgrams - 1 + width
        for step in range(1, _EDGE_WORDS + 1):
            if first_query - step >= 0 and first_source - step >= 0:
                query_at.append(first_query - step)
                source_at.append(first_source - step)
            if last_query + step - 1 < query_words and last_source + step - 1 < source_words:
                query_at.append(last_query + step - 1)
                source_at.append(last_source + step - 1)
    return np.array(query_at, dtype=np.int64), np.array(source_at, dtype=np.int64)
