"""A check's candidate records aligned with its text: each region as a hit with its record.

align.py finds the regions; this module pairs them with the records they
belong to (`SourceHit`) and says where in a record a region lies (`source_span`).
"""

from __future__ import annotations

from dataclasses import dataclass

from provenance.align import Region, SharedWords, align_sources
from provenance.candidates import Candidates
from provenance.config import CheckParams
from provenance.models import Match, SourceSpan
from provenance.shingle import UInt32Array
from provenance.store import RecordWords, StoredRecord

MIN_EVIDENCE_WORDS = 6  # regions this small still count towards "held by many cases"


@dataclass(frozen=True)
class SourceHit:
    """A verified region of one record, with the record it belongs to."""

    record: StoredRecord
    region: Region
    record_words: RecordWords


def aligned_hits(
    found: Candidates,
    ids: UInt32Array,
    numbers: list[int],
    params: CheckParams,
    score_from: int | None = None,
) -> tuple[list[SourceHit], SharedWords]:
    """Align the candidates `numbers` with the text: the regions wide enough to
    be a match (at least `score_from` words, default: min_words), and what
    every region of `MIN_EVIDENCE_WORDS` or more shares (for `Holders`).
    """
    wide = params.min_words if score_from is None else score_from
    aligned = align_sources(
        found.runs,
        ids,
        [w.ids for w in found.words],
        numbers,
        params.max_gap_words,
        min_matched=MIN_EVIDENCE_WORDS,
        score_from=wide,
        keep_from=wide,
    )
    hits = [
        SourceHit(found.records[number], region, found.words[number])
        for number, regions in aligned.regions.items()
        for region in regions
    ]
    return hits, aligned.shared


def source_span(hit: SourceHit, first_word: int, end_word: int) -> SourceSpan:
    """Where words [first_word, end_word) of a hit's record lie in it."""
    return source_span_of_words(hit.record, hit.record_words, first_word, end_word)


def source_span_of_words(
    record: StoredRecord, record_words: RecordWords, first_word: int, end_word: int
) -> SourceSpan:
    """Where words [first_word, end_word) of `record` lie in it."""
    info = record.info
    last_word = min(end_word, len(record_words.ends)) - 1
    return SourceSpan(
        record_id=info.record_id,
        case_id=info.case_id,
        path=info.path,
        kind=info.kind,
        date=info.date,
        start=int(record_words.starts[first_word]),
        end=int(record_words.ends[last_word]),
    )


def exact_run_match(
    found: Candidates, query: RecordWords, text: str, run: int, span: tuple[int, int]
) -> Match:
    """The cross-case match of words `span` [first, end) of the text, taken
    word for word from the record of exact run `run` of `found`, which
    takes them in (`Candidates.runs`)."""
    runs = found.runs
    first, end = span
    source = int(runs.source[run])
    source_first = int(runs.source_start[run]) + first - int(runs.query_start[run])
    start, stop = int(query.starts[first]), int(query.ends[end - 1])
    return Match(
        start=start,
        end=stop,
        text=text[start:stop],
        similarity=1.0,
        status="cross_case",
        source=source_span_of_words(
            found.records[source], found.words[source], source_first, source_first + end - first
        ),
        matched_words=end - first,
    )
