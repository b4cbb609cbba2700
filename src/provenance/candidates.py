"""A check's candidate records: the records LSH offers for the text, and the exact runs they share.

Retrieval is deliberately loose (many bands of few rows, overlapping windows);
verification (align.py, then the judgement in judge.py) decides.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from provenance.align import ExactRuns, exact_runs
from provenance.arrays import distinct
from provenance.config import CheckParams, IndexParams
from provenance.errors import UnknownCaseError
from provenance.fingerprint import band_keys, plan_windows, signatures
from provenance.shingle import UInt32Array, shingle_hashes
from provenance.store import IndexStore, RecordWords, StoredRecord


def index_params(store: IndexStore) -> IndexParams:
    params = store.read_params()
    if params is None:
        raise UnknownCaseError(f"The index {store.path} is empty: run `provenance index` first.")
    return params


@dataclass(frozen=True)
class Candidates:
    """Candidate records of a check, their words, and the exact runs they share."""

    records: list[StoredRecord]
    words: list[RecordWords]
    runs: ExactRuns
    shingle_words: int
    # Retrieval reached CheckParams.max_candidate_records: records sharing less
    # with the text than the last one kept were left out.
    capped: bool = False

    @functools.cached_property
    def joined(self) -> JoinedWords:
        """The candidates' words run together (`JoinedWords`), made on first
        use: a check asks a dozen times which records hold some words."""
        return JoinedWords.of(self.words)


@dataclass(frozen=True)
class JoinedWords:
    """Candidate records' words run together, in candidate order."""

    ids: np.ndarray  # uint32 word ids
    record: np.ndarray  # int32: the candidate each word is of
    words: list[RecordWords]  # what was joined

    @staticmethod
    def of(words: list[RecordWords]) -> JoinedWords:
        if not words:
            return JoinedWords(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int32), words)
        sizes = [len(w.ids) for w in words]
        return JoinedWords(
            ids=np.concatenate([w.ids for w in words]).astype(np.uint32, copy=False),
            record=np.repeat(np.arange(len(words), dtype=np.int32), sizes),
            words=words,
        )

    @functools.cached_property
    def plain(self) -> np.ndarray:
        """Whether each word is written without a capital (RecordWords.initials
        0); every word of a record indexed without initials, which tells no
        capitals."""
        if not self.words:
            return np.zeros(0, dtype=bool)
        return np.concatenate(
            [
                np.ones(len(w.ids), dtype=bool) if w.initials is None else w.initials == 0
                for w in self.words
            ]
        )


def find_candidates(
    store: IndexStore, ids: UInt32Array, params: CheckParams, exclude_rec: int | None
) -> Candidates:
    """Retrieve candidate records through LSH and find the exact runs they share."""
    stored = index_params(store)
    keys, passage_numbers = _query_band_keys(ids, stored, store, params.query_stride)
    candidates = store.candidate_records(keys, passage_numbers, params.max_candidate_records)
    recs = [candidate.rec for candidate in candidates if candidate.rec != exclude_rec]
    records = store.records_by_rec(recs)
    record_words = store.record_words(recs)
    recs = [rec for rec in recs if rec in records and rec in record_words]
    words = [record_words[rec] for rec in recs]
    return Candidates(
        records=[records[rec] for rec in recs],
        words=words,
        runs=exact_runs(ids, [w.ids for w in words], stored.shingle_words),
        shingle_words=stored.shingle_words,
        capped=len(candidates) >= params.max_candidate_records,
    )


def words_shared(found: Candidates, word_count: int) -> np.ndarray:
    """For each candidate, how many words of the text its exact runs cover."""
    sources, positions = found.runs.positions()
    pairs = distinct(sources * word_count + positions)
    return np.bincount(pairs // max(word_count, 1), minlength=len(found.records))


def _query_band_keys(
    ids: UInt32Array, index_params: IndexParams, store: IndexStore, stride: int
) -> tuple[np.ndarray, np.ndarray]:
    windows = plan_windows(len(ids), index_params.window_words, stride)
    shingles = shingle_hashes(ids, index_params.shingle_words)
    rows = signatures(shingles, windows, index_params.shingle_words, store.read_permutations())
    keys = band_keys(rows, index_params)
    passage_numbers = np.repeat(np.arange(len(windows), dtype=np.int32), index_params.bands)
    return keys.reshape(-1), passage_numbers
