"""Checked text -> candidate records -> verified regions -> classified matches.

    fingerprint the text's passages (dense windows) -> LSH join in the index
    -> rank candidate records -> align each with the text (align.py)
    -> count, per word, how many cases hold it (template text is in many)
    -> classify each region: cross_case, same_case or boilerplate
    -> one match per passage of the text, with its most likely source.

Retrieval is deliberately loose (64 bands of 2 rows, overlapping windows);
verification decides. This is where recall on disguised copies comes from.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from provenance.align import Region, shared_regions
from provenance.config import CheckParams, IndexParams
from provenance.errors import NoTextError, UnknownCaseError
from provenance.fingerprint import band_keys, plan_windows, signatures
from provenance.models import CheckResult, Match, MatchStatus, SourceSpan, Verdict
from provenance.normalize import split_words
from provenance.shingle import UInt32Array, shingle_hashes, word_ids
from provenance.store import IndexStore, RecordWords, StoredRecord

_STATUS_RANK: dict[MatchStatus, int] = {"cross_case": 0, "same_case": 1, "boilerplate": 2}
_MIN_EVIDENCE_WORDS = 6  # regions this small still count towards "held by many cases"
_MAX_RUN_GAP = 2  # unshared words in a row a copied passage may have (a replaced name)
_MAX_TEMPLATE_STRETCH = 40  # template words in a row that still belong to one copied run


@dataclass(frozen=True)
class SourceHit:
    """A verified region of one record, with the record it belongs to."""

    record: StoredRecord
    region: Region
    record_words: RecordWords


@dataclass(frozen=True)
class OriginHit:
    """One record holding (part of) the queried text."""

    query_start: int
    query_end: int
    similarity: float
    matched_words: int
    source: SourceSpan


def check_text(
    store: IndexStore, text: str, document: str, case_id: str, params: CheckParams
) -> CheckResult:
    """Check `text` (about to be sent to `case_id`) against every indexed record.

    Raises:
        UnknownCaseError: the index holds no record of `case_id`.
        NoTextError: the text holds no words, so nothing can be cleared.
    """
    if not store.case_exists(case_id):
        raise UnknownCaseError(
            f"Case {case_id!r} has no records in the index {store.path}. Check the case "
            "reference; a document for a case the index does not know cannot be cleared."
        )
    words = split_words(text)
    if len(words) == 0:
        raise NoTextError(f"{document} holds no words to check.")
    query = RecordWords(
        rec=0, ids=word_ids(words.words, store.hashing_key), starts=words.starts, ends=words.ends
    )
    chosen = classify_matches(store, query, case_id, params, text=text)
    verdict: Verdict = "leak" if any(m.status == "cross_case" for m in chosen) else "clean"
    return CheckResult(document=document, case_id=case_id, verdict=verdict, matches=chosen)


def classify_matches(
    store: IndexStore,
    query: RecordWords,
    case_id: str,
    params: CheckParams,
    *,
    text: str = "",
    exclude_rec: int | None = None,
) -> tuple[Match, ...]:
    """Matches of the words `query` (of a text belonging to `case_id`), one per passage.

    Works from word ids and offsets alone, so an indexed record can be audited
    without its text (`exclude_rec` keeps it from matching itself); `text`,
    when given, fills each match's quoted text.
    """
    hits = _verified_hits(store, query.ids, params, exclude_rec)
    threshold = boilerplate_threshold(params.boilerplate_cases, store.case_count())
    boilerplate = _cases_per_word(hits, len(query.ids), case_id) >= threshold
    own_case_text = _covered_by_case(hits, len(query.ids), case_id)
    matches = [
        match
        for hit in hits
        if (
            match := _classify(
                hit, case_id, query, text, boilerplate | own_case_text, boilerplate, params
            )
        )
        is not None
    ]
    return _one_match_per_passage(matches)


def find_origin(store: IndexStore, text: str, params: CheckParams) -> list[OriginHit]:
    """Every record holding the text (or a passage of it), earliest date first.

    Raises:
        NoTextError: the text holds no words.
    """
    words = split_words(text)
    if len(words) == 0:
        raise NoTextError("The text to look up holds no words.")
    shingle_words = _index_params(store).shingle_words
    floor = min(params.min_words, max(shingle_words + 1, int(0.6 * len(words))))
    found: list[OriginHit] = []
    for hit in _verified_hits(store, word_ids(words.words, store.hashing_key), params, None):
        region = hit.region
        if region.matched_words < floor or region.similarity < params.min_similarity:
            continue
        start, end = words.char_span(region.query_start, region.query_end)
        found.append(
            OriginHit(
                query_start=start,
                query_end=end,
                similarity=region.similarity,
                matched_words=region.matched_words,
                source=_source_span(hit, region.source_start, region.source_end),
            )
        )
    return sorted(found, key=lambda h: (h.source.date, -h.matched_words, h.source.record_id))


def boilerplate_threshold(boilerplate_cases: int, case_count: int) -> int:
    """Cases that must hold a passage for it to count as template text.

    `boilerplate_cases`, but never more than 30% of the store's cases: in a
    store of 7 cases, text held by 3 of them is as much a template as text held
    by 4 of 40. Never below 3 either: the checked text's own case always counts
    as a holder, so 2 would make every copy from one other case "template".

    >>> boilerplate_threshold(4, 7), boilerplate_threshold(4, 40), boilerplate_threshold(4, 3)
    (3, 4, 3)
    """
    floor = min(3, boilerplate_cases)
    return min(boilerplate_cases, max(floor, math.ceil(0.3 * case_count)))


def _index_params(store: IndexStore) -> IndexParams:
    params = store.read_params()
    if params is None:
        raise UnknownCaseError(f"The index {store.path} is empty: run `provenance index` first.")
    return params


def _verified_hits(
    store: IndexStore, ids: UInt32Array, params: CheckParams, exclude_rec: int | None
) -> list[SourceHit]:
    """Retrieve candidate records through LSH, then align each with the text."""
    index_params = _index_params(store)
    keys, passage_numbers = _query_band_keys(ids, index_params, store, params.query_stride)
    candidates = store.candidate_records(keys, passage_numbers, params.max_candidate_records)
    recs = [candidate.rec for candidate in candidates if candidate.rec != exclude_rec]
    records = store.records_by_rec(recs)
    record_words = store.record_words(recs)
    hits: list[SourceHit] = []
    for rec in recs:
        if rec not in records or rec not in record_words:
            continue
        source = record_words[rec]
        for region in shared_regions(
            ids, source.ids, index_params.shingle_words, params.max_gap_words
        ):
            if region.matched_words >= _MIN_EVIDENCE_WORDS:
                hits.append(SourceHit(records[rec], region, source))
    return hits


def _query_band_keys(
    ids: UInt32Array, index_params: IndexParams, store: IndexStore, stride: int
) -> tuple[np.ndarray, np.ndarray]:
    windows = plan_windows(len(ids), index_params.window_words, stride)
    shingles = shingle_hashes(ids, index_params.shingle_words)
    rows = signatures(shingles, windows, index_params.shingle_words, store.read_permutations())
    keys = band_keys(rows, index_params)
    passage_numbers = np.repeat(np.arange(len(windows), dtype=np.int32), index_params.bands)
    return keys.reshape(-1), passage_numbers


def _cases_per_word(hits: list[SourceHit], word_count: int, own_case: str) -> np.ndarray:
    """For each word of the checked text, how many different cases hold it.

    The text's own case counts as one holder: the text is one of its records
    (or about to be), so the check of an outgoing document and the scan's audit
    of the same text once it is filed reach the same verdict.
    """
    cases_by_word: list[set[str]] = [{own_case} for _ in range(word_count)]
    for hit in hits:
        for position in hit.region.covered.tolist():
            cases_by_word[position].add(hit.record.info.case_id)
    return np.array([len(cases) for cases in cases_by_word], dtype=np.int64)


def _covered_by_case(hits: list[SourceHit], word_count: int, case_id: str) -> np.ndarray:
    """Which words of the text the records of `case_id` hold."""
    covered = np.zeros(word_count, dtype=bool)
    for hit in hits:
        if hit.record.info.case_id == case_id:
            covered[hit.region.covered] = True
    return covered


def _classify(
    hit: SourceHit,
    case_id: str,
    query: RecordWords,
    text: str,
    common_for_others: np.ndarray,
    boilerplate: np.ndarray,
    params: CheckParams,
) -> Match | None:
    """A region is a match if it holds a dense run of shared words that carries details.

    Copied text, even disguised, is a dense run of shared words: a replaced
    name or an inserted word leaves a gap of a word or two. Runs break at more
    than `_MAX_RUN_GAP` unshared words in a row, and at more than
    `_MAX_TEMPLATE_STRETCH` template words in a row. A run qualifies when it
    spans at least `min_words` words (edited words included) and at least
    `min_distinctive_words` of its words are not template text and, for
    another case's record, not held by this case's own records either.
    Case notes are written in formulaic sentences, so a copied passage is
    mostly template skeleton plus the other child's details (names, ages,
    places, dates); a template sentence with other details shares only the
    skeleton and never runs through the details, so it has none.
    """
    region = hit.region
    if region.matched_words < params.min_words or region.similarity < params.min_similarity:
        return None
    # For another case's record, words this case's own records also hold are no
    # news to its family: they are not that other case's details.
    common = boilerplate if hit.record.info.case_id == case_id else common_for_others
    qualifying = [
        run
        for dense in _dense_runs(region.covered)
        for run in _split_at_template(dense, boilerplate)
        if int(run[-1] - run[0]) + 1 >= params.min_words
        and int((~common[run]).sum()) >= params.min_distinctive_words
    ]
    if qualifying:
        shared = np.concatenate(qualifying)
        status: MatchStatus = "same_case" if hit.record.info.case_id == case_id else "cross_case"
        query_start, query_end = int(shared.min()), int(shared.max()) + 1
        matched = len(shared)
    else:
        status = "boilerplate"
        query_start, query_end = region.query_start, region.query_end
        matched = region.matched_words
    width = min(3, query_end - query_start)
    source_start, source_end = region.source_span_for(query_start, query_end, width)
    start, end = int(query.starts[query_start]), int(query.ends[query_end - 1])
    return Match(
        start=start,
        end=end,
        text=text[start:end],
        similarity=region.similarity,
        status=status,
        source=_source_span(hit, source_start, source_end),
        matched_words=matched,
    )


def _dense_runs(covered: np.ndarray) -> list[np.ndarray]:
    """Split sorted word positions where more than `_MAX_RUN_GAP` words are missing.

    >>> [run.tolist() for run in _dense_runs(np.array([1, 2, 3, 6, 7, 20, 21]))]
    [[1, 2, 3, 6, 7], [20, 21]]
    """
    if len(covered) == 0:
        return []
    breaks = np.nonzero(np.diff(covered) > _MAX_RUN_GAP + 1)[0] + 1
    return np.split(covered, breaks)


def _split_at_template(run: np.ndarray, boilerplate: np.ndarray) -> list[np.ndarray]:
    """Cut a run where more than `_MAX_TEMPLATE_STRETCH` template words come in a row.

    Template words between details belong to a copied formulaic sentence; a
    whole standard paragraph is not part of a copy, even next to one.

    >>> template = np.zeros(120, dtype=bool); template[10:60] = True
    >>> [(int(r[0]), int(r[-1])) for r in _split_at_template(np.arange(120), template)]
    [(0, 9), (60, 119)]
    """
    pieces: list[np.ndarray] = []
    start = 0
    stretch_start = -1
    for index, position in enumerate(run.tolist()):
        if boilerplate[position]:
            if stretch_start < 0:
                stretch_start = index
            continue
        if stretch_start >= 0 and index - stretch_start > _MAX_TEMPLATE_STRETCH:
            if stretch_start > start:
                pieces.append(run[start:stretch_start])
            start = index
        stretch_start = -1
    end = (
        stretch_start
        if stretch_start >= 0 and len(run) - stretch_start > _MAX_TEMPLATE_STRETCH
        else len(run)
    )
    if end > start:
        pieces.append(run[start:end])
    return pieces


def _source_span(hit: SourceHit, first_word: int, end_word: int) -> SourceSpan:
    info = hit.record.info
    last_word = min(end_word, len(hit.record_words.ends)) - 1
    return SourceSpan(
        record_id=info.record_id,
        case_id=info.case_id,
        path=info.path,
        kind=info.kind,
        date=info.date,
        start=int(hit.record_words.starts[first_word]),
        end=int(hit.record_words.ends[last_word]),
    )


def _one_match_per_passage(matches: list[Match]) -> tuple[Match, ...]:
    """Overlapping matches of one passage collapse to the most serious one.

    Cross-case beats same-case beats boilerplate; then more shared words, then
    higher similarity, then the earliest record (the likely origin). Other
    records holding the same passage are kept as `other_sources`.
    """
    ordered = sorted(
        matches,
        key=lambda m: (_STATUS_RANK[m.status], -m.matched_words, -m.similarity, m.source.date),
    )
    chosen: list[Match] = []
    others: dict[int, list[SourceSpan]] = defaultdict(list)
    for match in ordered:
        overlapping = [
            index
            for index, kept in enumerate(chosen)
            if match.start < kept.end and kept.start < match.end
        ]
        if overlapping:
            if chosen[overlapping[0]].status == match.status:
                others[overlapping[0]].append(match.source)
            continue
        chosen.append(match)
    result = [
        Match(**{**kept.__dict__, "other_sources": tuple(others[index])})
        for index, kept in enumerate(chosen)
    ]
    return tuple(sorted(result, key=lambda m: m.start))
