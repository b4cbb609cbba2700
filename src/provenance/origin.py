"""Where did this passage come from: every record holding a text, earliest first.

The reviewer's question (`provenance origin`, `POST /v1/origin`); unlike a
check it judges nothing, it lists the records that hold the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from provenance.candidates import find_candidates, index_params, words_shared
from provenance.config import CheckParams
from provenance.errors import NoTextError
from provenance.models import SourceSpan
from provenance.normalize import split_words
from provenance.shingle import word_ids
from provenance.sources import aligned_hits, source_span
from provenance.store import IndexStore
from provenance.windows import text_windows


@dataclass(frozen=True)
class OriginHit:
    """One record holding (part of) the queried text."""

    query_start: int
    query_end: int
    similarity: float
    matched_words: int
    source: SourceSpan


def find_origin(store: IndexStore, text: str, params: CheckParams) -> list[OriginHit]:
    """Every record holding the text (or a passage of it), earliest date first.

    A long text is looked up window by window, as a check is (`text_windows`).

    Raises:
        NoTextError: the text holds no words.
    """
    words = split_words(text)
    if len(words) == 0:
        raise NoTextError("The text to look up holds no words.")
    shingle_words = index_params(store).shingle_words
    floor = min(params.min_words, max(shingle_words + 1, int(0.6 * len(words))))
    ids = word_ids(words.words, store.hashing_key)
    found: list[OriginHit] = []
    for first, end in text_windows(len(ids)):
        candidates = find_candidates(store, ids[first:end], params, None)
        wide_enough = np.nonzero(words_shared(candidates, end - first) >= floor)[0].tolist()
        for hit in aligned_hits(candidates, ids[first:end], wide_enough, params, score_from=floor)[
            0
        ]:
            region = hit.region
            if region.matched_words < floor or region.similarity < params.min_similarity:
                continue
            start, stop = words.char_span(first + region.query_start, first + region.query_end)
            found.append(
                OriginHit(
                    query_start=start,
                    query_end=stop,
                    similarity=region.similarity,
                    matched_words=region.matched_words,
                    source=source_span(hit, region.source_start, region.source_end),
                )
            )
    return sorted(
        _merge_overlapping(found),
        key=lambda h: (h.source.date, -h.matched_words, h.source.record_id),
    )


def _merge_overlapping(hits: list[OriginHit]) -> list[OriginHit]:
    """One hit per record and passage: the overlapping windows of a long text
    find a passage in the overlap twice, once perhaps cut at a window's edge."""
    merged: list[OriginHit] = []
    for hit in sorted(hits, key=lambda h: (h.source.record_id, h.query_start, -h.query_end)):
        last = merged[-1] if merged else None
        if (
            last is None
            or last.source.record_id != hit.source.record_id
            or hit.query_start >= last.query_end
            or hit.source.start >= last.source.end
            or last.source.start >= hit.source.end
        ):
            merged.append(hit)
            continue
        source = replace(
            last.source,
            start=min(last.source.start, hit.source.start),
            end=max(last.source.end, hit.source.end),
        )
        merged[-1] = replace(
            last,
            query_end=max(last.query_end, hit.query_end),
            similarity=max(last.similarity, hit.similarity),
            matched_words=max(last.matched_words, hit.matched_words),
            source=source,
        )
    return merged
