"""Alignment: shared regions survive edits, reordering and batching."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import align
from provenance.align import align_sources, exact_runs, shared_regions
from provenance.shingle import word_ids

VOCABULARY = [f"w{number}" for number in range(400)]


def _ids(words: list[str]) -> np.ndarray:
    return word_ids(words)


def _text(rng: random.Random, length: int) -> list[str]:
    return [rng.choice(VOCABULARY) for _ in range(length)]


def test_a_copy_with_substituted_words_is_one_region_at_the_right_place() -> None:
    rng = random.Random(3)
    source = _text(rng, 200)
    copy = source[50:110]
    for position in (10, 25, 40):
        copy[position] = "edited"
    query = _text(rng, 30) + copy + _text(rng, 30)
    regions = shared_regions(_ids(query), _ids(source), 3, 10)
    best = regions[0]
    assert (best.query_start, best.query_end) == (30, 90)
    assert (best.source_start, best.source_end) == (50, 110)
    assert 0.9 < best.similarity < 1.0
    assert best.source_span_for(41, 50, 3) == (61, 72)  # query word 40 was edited


def test_reordered_sentences_of_one_passage_merge_into_one_region() -> None:
    rng = random.Random(4)
    source = _text(rng, 120)
    query = source[60:90] + source[30:60]
    regions = shared_regions(_ids(query), _ids(source), 3, 10)
    assert len(regions) == 1
    assert regions[0].matched_words == 60


def test_unrelated_texts_share_nothing() -> None:
    rng = random.Random(5)
    assert shared_regions(_ids(_text(rng, 80)), _ids(["other"] * 5 + ["words"]), 3, 10) == []


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 6))
def test_aligning_many_sources_at_once_equals_one_by_one(seed: int, count: int) -> None:
    """The batched path a check uses gives each source the regions it would get alone."""
    rng = random.Random(seed)
    vocabulary = VOCABULARY[: rng.choice((20, 400))]  # few words: many repeated k-grams
    sources = [[rng.choice(vocabulary) for _ in range(rng.randrange(2, 150))] for _ in range(count)]
    query = [rng.choice(vocabulary) for _ in range(rng.randrange(3, 150))]
    for source in sources:
        start = rng.randrange(len(source))
        query[rng.randrange(len(query)) :] = source[start : start + 40]
    query_ids, source_ids = _ids(query), [_ids(s) for s in sources]
    runs = exact_runs(query_ids, source_ids, 3)
    together = align_sources(runs, query_ids, source_ids, range(count), 10, 6, 0, 6).regions
    for number, ids in enumerate(source_ids):
        alone = shared_regions(query_ids, ids, 3, 10, 6, 0) if len(ids) >= 3 else []
        assert [(r.query_start, r.query_end, r.source_start, r.matched_words) for r in alone] == [
            (r.query_start, r.query_end, r.source_start, r.matched_words)
            for r in together.get(number, [])
        ]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8), st.integers(1, 300))
def test_seeding_candidates_in_batches_finds_the_same_runs(
    seed: int, count: int, batch_words: int
) -> None:
    """exact_runs seeds a few candidates at a time (memory); the runs are the same."""
    rng = random.Random(seed)
    vocabulary = VOCABULARY[: rng.choice((20, 400))]
    sources = [[rng.choice(vocabulary) for _ in range(rng.randrange(1, 150))] for _ in range(count)]
    query_ids = _ids([rng.choice(vocabulary) for _ in range(rng.randrange(3, 150))])
    source_ids = [_ids(s) for s in sources]
    at_once = exact_runs(query_ids, source_ids, 3)
    original = align._SEED_BATCH_WORDS
    align._SEED_BATCH_WORDS = batch_words
    try:
        batched = exact_runs(query_ids, source_ids, 3)
    finally:
        align._SEED_BATCH_WORDS = original
    for column in ("source", "query_start", "source_start", "kgrams"):
        assert getattr(batched, column).tolist() == getattr(at_once, column).tolist()
