"""Checked text -> candidate records -> verified regions -> classified matches.

    fingerprint the text's passages (dense windows) -> LSH join in the index
    -> rank candidate records (candidates.py) -> align each with the text (align.py)
    -> count, per word, how many cases hold it (template text is in many);
       with CheckParams.context_words, in its context (a copied sequence of
       formulaic sentences is held by one record) (holders.py)
    -> weigh each word as details of another family (details.py)
    -> classify each region: cross_case, same_case or boilerplate (evidence.py)
    -> one match per passage of the text, with its most likely source.

This module runs that pipeline over a text (in windows, when long) and owns
what crosses the stages: initials facing names, short copies, pieces of a
copy placed apart (scattered.py), and joining matches.

Retrieval is deliberately loose (64 bands of 2 rows, overlapping windows);
verification decides. This is where recall on disguised copies comes from.
"""

from __future__ import annotations

import bisect
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

import numpy as np

from provenance.align import Region, SharedWords, align_sources, exact_runs
from provenance.arrays import distinct
from provenance.candidates import Candidates, find_candidates, index_params, words_shared
from provenance.config import WORDS_TAG, CheckParams
from provenance.details import (
    cases_holding,
    detail_weights,
    number_cases,
    rare_birth_dates,
    rare_places,
    rare_references,
)
from provenance.errors import CheckTimeoutError, NoTextError, UnknownCaseError
from provenance.evidence import (
    MAX_RUN_GAP,
    Evidence,
    copied_words,
    may_be_short_copy,
    narrow,
    wide_enough,
)
from provenance.holders import Holders
from provenance.models import CheckResult, Match, MatchStatus, SourceSpan, Verdict
from provenance.names import WordMarks, word_marks
from provenance.normalize import Words, split_words
from provenance.readings import other_readings
from provenance.scattered import Pieces, SentenceCuts, scattered_pieces
from provenance.shingle import UInt32Array, word_ids
from provenance.store import IndexStore, RecordWords, StoredRecord

_STATUS_RANK: dict[MatchStatus, int] = {"cross_case": 0, "same_case": 1, "boilerplate": 2}
_MIN_EVIDENCE_WORDS = 6  # regions this small still count towards "held by many cases"
_MIN_PIECE_WORDS = 8  # words each piece of a copy cut in two needs (scattered.py)
_MAX_SPLICES = 6  # pairs of pieces one window of a text may splice and judge
# A long text is checked in windows of this many words, each sharing the last
# _WINDOW_OVERLAP words of the one before: memory and candidates stay those of
# an ordinary document, and any copy up to _WINDOW_OVERLAP words long lies whole
# inside one window.
_WINDOW_WORDS = 6_000
_WINDOW_OVERLAP = 1_000


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
    store: IndexStore,
    text: str,
    document: str,
    case_id: str,
    params: CheckParams,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    deadline: float | None = None,
) -> CheckResult:
    """Check `text` (about to be sent to `case_id`) against every indexed record.

    `on_progress(done, total)` is called after each window of a long text
    (`classify_matches`): a 100,000-word bundle takes half a minute.
    `deadline` (a `time.monotonic()` value): past it, the check stops at the
    end of a window or reading, so a service's thread is not held for as
    long as a hostile text would take (a thread cannot be stopped from outside).

    A text a reader sees otherwise than its characters say (invisible
    characters for spaces, a right-to-left override, Markdown or HTML) is
    also read as shown (`readings.other_readings`), and a passage any reading
    finds is reported once, on `text`'s offsets.

    Raises:
        UnknownCaseError: the index holds no record of `case_id`.
        NoTextError: the text holds no words, so nothing can be cleared.
        CheckTimeoutError: the check ran past `deadline`.
    """
    if not store.case_exists(case_id):
        raise UnknownCaseError(
            f"Case {case_id!r} has no records in the index {store.path}. Check the case "
            "reference; a document for a case the index does not know cannot be cleared."
        )
    words = split_words(text)
    if len(words) == 0:
        raise NoTextError(f"{document} holds no words to check.")
    marks = _marks(text, words, params)
    progress = _until(deadline, on_progress)
    chosen = _matches_of_reading(store, text, words, marks, case_id, params, progress)
    others = other_readings(text)
    if others:
        # Read the text as shown too; a passage either reading finds is reported once.
        found = [*chosen]
        read = {_what_is_read(text, words, marks)}
        for shown, origin in others:
            shown_words = split_words(shown)
            if len(shown_words) == 0:
                continue
            marks = _marks(shown, shown_words, params)
            if (seen := _what_is_read(shown, shown_words, marks)) in read:
                continue  # the same words, marks and cuts: the same matches
            read.add(seen)
            for part, part_origin, part_words, part_marks in _parts_to_read(
                shown, origin, (words, shown_words), marks, params
            ):
                _stop_if_past(deadline, "the text as stored (not yet as a reader sees it)")
                matches = _matches_of_reading(
                    store, part, part_words, part_marks, case_id, params, _until(deadline, None)
                )
                found += [_in_text(match, part_origin, text) for match in matches]
        chosen = _join_adjacent(_one_match_per_passage(found), _query_of(store, words), text)
    verdict: Verdict = "leak" if any(m.status == "cross_case" for m in chosen) else "clean"
    return CheckResult(
        document=document,
        case_id=case_id,
        verdict=verdict,
        matches=chosen,
        warnings=_index_warnings(store),
    )


def _until(
    deadline: float | None, on_progress: Callable[[int, int], None] | None
) -> Callable[[int, int], None] | None:
    """`on_progress`, which also stops the check before its next window once
    `deadline` has passed."""
    if deadline is None:
        return on_progress

    def progress(done: int, total: int) -> None:
        if done < total:
            _stop_if_past(deadline, f"{done} of {total} parts of the text")
        if on_progress is not None:
            on_progress(done, total)

    return progress


def _stop_if_past(deadline: float | None, checked: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise CheckTimeoutError(
            f"the check ran past the time allowed, with {checked} checked; it cannot be cleared"
        )


def _index_warnings(store: IndexStore) -> tuple[str, ...]:
    """What the reader must know about the index itself: records an older
    version read, whose words this check reads otherwise (WORDS_TAG)."""
    older = store.records_without_tag(WORDS_TAG)
    if older == 0:
        return ()
    return (
        f"{older} records in the index were read by an older version of provenance, which "
        "cut words differently: copies of them may be missed. Run `provenance index` on the "
        "store once to read them again.",
    )


def _query_of(store: IndexStore, words: Words) -> RecordWords:
    return RecordWords(
        rec=0, ids=word_ids(words.words, store.hashing_key), starts=words.starts, ends=words.ends
    )


def _marks(text: str, words: Words, params: CheckParams) -> WordMarks | None:
    return word_marks(text, words.starts, words.ends) if params.reads_names() else None


_READING_MARGIN = 400  # words read either side of where a reading's words differ


def _parts_to_read(
    shown: str,
    origin: np.ndarray | None,
    words: tuple[Words, Words],
    marks: WordMarks | None,
    params: CheckParams,
) -> list[tuple[str, np.ndarray | None, Words, WordMarks | None]]:
    """The parts of the reading `shown` (its words `words[1]`) worth checking:
    each stretch where its words differ from the stored text's (`words[0]`),
    with `_READING_MARGIN` words either side, and each part's text, offsets
    in the stored text, words and marks. One invisible character or one line
    laid out right to left in a long letter made a second check of all of it;
    the rest of the reading is the stored text's own words, already checked.
    The whole reading when it differs nearly everywhere, or only in its marks
    or sentence cuts."""
    stored, read = words
    whole = [(shown, origin, read, marks)]
    at = read.starts if origin is None else origin[read.starts]
    nearest = np.minimum(np.searchsorted(stored.starts, at), len(stored) - 1)
    same = (stored.starts[nearest] == at) & (
        np.asarray(stored.words, dtype=object)[nearest] == np.asarray(read.words, dtype=object)
    )
    same[1:] &= np.diff(nearest) == 1  # and in the stored order, nothing dropped between
    differs = np.flatnonzero(~same)
    if len(differs) == 0:
        return whole
    apart = np.flatnonzero(np.diff(differs) > 2 * _READING_MARGIN)
    firsts = [int(differs[0]), *differs[apart + 1].tolist()]
    lasts = [*differs[apart].tolist(), int(differs[-1])]
    stretches = [
        (max(0, first - _READING_MARGIN), min(len(read), last + _READING_MARGIN + 1))
        for first, last in zip(firsts, lasts, strict=True)
    ]
    if sum(end - start for start, end in stretches) > 0.8 * len(read):
        return whole
    parts: list[tuple[str, np.ndarray | None, Words, WordMarks | None]] = []
    for first, end in stretches:
        start_char, end_char = int(read.starts[first]), int(read.ends[end - 1])
        part = shown[start_char:end_char]
        offsets = np.arange(start_char, end_char) if origin is None else origin[start_char:end_char]
        part_words = split_words(part)
        parts.append((part, offsets, part_words, _marks(part, part_words, params)))
    return parts


def _what_is_read(text: str, words: Words, marks: WordMarks | None) -> tuple[object, ...]:
    """All a check of `text` depends on but offsets, which a reading maps
    back: its words, what their capitals and digits say (`word_marks`) and
    where its sentences are cut (`SentenceCuts`). Markdown emphasis or HTML
    between words changes none of them, and most texts with a reading have
    a few such: each reading costs a whole check, and a few hundred bytes
    of markup, invisible characters and direction marks made twenty."""
    cuts = SentenceCuts.of(text, words.starts, words.ends)
    marked = () if marks is None else tuple(getattr(marks, f.name).tobytes() for f in fields(marks))
    return (words.words, marked, cuts.open_end.tobytes(), cuts.lower_start.tobytes())


def _in_text(match: Match, origin: np.ndarray | None, text: str) -> Match:
    """A match found in another reading (`readings.other_readings`), placed in `text`:
    its span there runs from the lowest offset of its characters to the
    highest, and it quotes `text` there, as every match does (reports
    highlight a match by its offsets)."""
    start, end = match.start, match.end
    if origin is not None:
        taken = origin[start:end]
        start, end = int(taken.min()), int(taken.max()) + 1
    return replace(match, start=start, end=end, text=text[start:end])


def _matches_of_reading(
    store: IndexStore,
    text: str,
    words: Words,
    marks: WordMarks | None,
    case_id: str,
    params: CheckParams,
    on_progress: Callable[[int, int], None] | None,
) -> tuple[Match, ...]:
    """The matches of `text` cut into `words` (one reading of it: `check_text`)."""
    return classify_matches(
        store,
        _query_of(store, words),
        case_id,
        params,
        text=text,
        marks=marks,
        on_progress=on_progress,
    )


def classify_matches(
    store: IndexStore,
    query: RecordWords,
    case_id: str,
    params: CheckParams,
    *,
    text: str = "",
    exclude_rec: int | None = None,
    marks: WordMarks | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[Match, ...]:
    """Matches of the words `query` (of a text belonging to `case_id`), one per passage.

    Works from word ids and offsets alone, so an indexed record can be audited
    without its text (`exclude_rec` keeps it from matching itself); `text`,
    when given, fills each match's quoted text. `marks` tells the words that
    read as names and where addresses start (names.word_marks); see
    `detail_weights` and `rare_places`.

    A text longer than `_WINDOW_WORDS` (a court bundle, a chronology) is
    checked window by window (`_windows`): without that, a 100,000-word
    bundle took 3 GB, and its candidates, capped per check, were spread so
    thin over its length that a copy in it could go unchecked.
    """
    matches: list[Match] = []
    windows = _windows(len(query.ids))
    cuts = SentenceCuts.of(text, query.starts, query.ends)
    for done, (start, end) in enumerate(windows, 1):
        window = RecordWords(
            rec=query.rec,
            ids=query.ids[start:end],
            starts=query.starts[start:end],
            ends=query.ends[start:end],
        )
        window_marks = None if marks is None else marks.window(start, end)
        window_cuts = cuts.window(start, end)
        matches += _window_matches(
            store, window, case_id, params, text, window_cuts, exclude_rec, window_marks
        )
        if on_progress is not None:
            on_progress(done, len(windows))
    return _join_adjacent(_one_match_per_passage(matches), query, text)


def _windows(word_count: int) -> list[tuple[int, int]]:
    """(start, end) word ranges covering a text of `word_count` words, each
    overlapping the one before by `_WINDOW_OVERLAP` words.

    >>> _windows(100)
    [(0, 100)]
    >>> _windows(13_000)
    [(0, 6000), (5000, 11000), (10000, 13000)]
    """
    step = _WINDOW_WORDS - _WINDOW_OVERLAP
    windows = [(0, min(word_count, _WINDOW_WORDS))]
    while windows[-1][1] < word_count:
        start = windows[-1][0] + step
        windows.append((start, min(word_count, start + _WINDOW_WORDS)))
    return windows


def _window_matches(
    store: IndexStore,
    query: RecordWords,
    case_id: str,
    params: CheckParams,
    text: str,
    cuts: SentenceCuts,
    exclude_rec: int | None,
    marks: WordMarks | None,
) -> list[Match]:
    """Every match of one window of the text (`classify_matches`), overlapping ones
    included; `cuts`: where the window's words show a sentence cut short
    (`_scattered_matches`)."""
    found = find_candidates(store, query.ids, params, exclude_rec)
    judge = _Judge(
        case_id=case_id,
        params=params,
        text=text,
        threshold=boilerplate_threshold(params.boilerplate_cases, store.case_count()),
        hashing_key=store.hashing_key,
    )
    matches, shared, holders = _judged(found, query, marks, judge)
    return matches + _scattered_matches(found, shared, holders, cuts, query, marks, matches, judge)


@dataclass(frozen=True)
class _Judge:
    """What judging a window's regions takes besides its candidates and words."""

    case_id: str  # the case the text is for
    params: CheckParams
    text: str  # quoted in matches ("" when auditing from word ids alone)
    threshold: int  # cases that make a word template (`boilerplate_threshold`)
    hashing_key: bytes  # the index's word-id key (`rare_birth_dates`)


def _judged(
    found: Candidates, query: RecordWords, marks: WordMarks | None, judge: _Judge
) -> tuple[list[Match], SharedWords, Holders]:
    """The matches `query` makes with the candidates `found`, what every
    region of them shares (`_aligned`), and which cases hold it (`Holders`)."""
    case_id, params, text, threshold = judge.case_id, judge.params, judge.text, judge.threshold
    hits, shared = _aligned(found, query.ids, list(range(len(found.records))), params)
    case_of_source, cases = number_cases([r.info.case_id for r in found.records], case_id)
    holders = Holders.of(shared, case_of_source, cases, len(query.ids), found.shingle_words)
    boilerplate, own_case_text = holders.word_by_word(threshold)
    detail_weight, identifying, unfamiliar, familiar = detail_weights(
        found, query.ids, (case_of_source, cases), marks, params
    )
    identifying |= rare_birth_dates(found, query.ids, (case_of_source, cases), judge.hashing_key)
    if marks is not None:
        identifying |= rare_places(found, query.ids, (case_of_source, cases), marks.places)
    # Another family's date of birth, house number or child's weight is as much
    # its name as a surname only it uses, though each word alone is common.
    detail_weight = np.where(
        identifying, np.maximum(detail_weight, params.name_weight), detail_weight
    )
    if marks is not None:
        # A long number only one other family holds (a crime reference, a phone
        # number) says whose the sentence is as much as a whole named sentence.
        reference = rare_references(found, query.ids, (case_of_source, cases), marks.references)
        identifying |= reference
        detail_weight = np.where(
            reference, np.maximum(detail_weight, params.min_details_with_name), detail_weight
        )
    hits += _short_hits(found, query.ids, (identifying, unfamiliar & ~boilerplate), params)
    abbreviated = (
        _abbreviated_names(hits, found, marks.initials, (case_of_source, cases), case_id)
        if marks is not None
        else [None] * len(hits)
    )
    plain_weight = np.ones(len(query.ids), dtype=np.int64)
    no_names = np.zeros(len(query.ids), dtype=bool)
    not_others_content = boilerplate | familiar  # see Evidence.no_content
    # Words this case's own records hold are no news to its family: they are
    # not that other case's details or sequence (word by word, or in context).
    common_by_word = boilerplate | own_case_text
    # The same standard paragraph aligns with hundreds of records in one check:
    # its copied words are judged once per region shape and kind of evidence.
    copied_by_shape: dict[tuple[object, ...], np.ndarray | None] = {}
    matches = []
    for hit, initials in zip(hits, abbreviated, strict=True):
        from_own_case = hit.record.info.case_id == case_id
        weight, names_of_others, unfamiliar_names, no_content = (
            (plain_weight, no_names, no_names, boilerplate)
            if from_own_case
            else (detail_weight, identifying, unfamiliar, not_others_content)
        )
        region = hit.region
        if initials is not None:
            # An initial facing another family's name counts as that name, shared.
            region = _with_initials(region, initials)
            weight = np.where(initials, np.maximum(weight, params.name_weight), weight)
            names_of_others = names_of_others | initials
            unfamiliar_names = unfamiliar_names | initials
            no_content = no_content & ~initials
        if narrow(region, params) and not may_be_short_copy(
            region, identifying | names_of_others, unfamiliar | unfamiliar_names
        ):
            continue  # cannot pass `short_copy`: not worth judging in context
        evidence_kind: tuple[object, ...]
        shape: tuple[object, ...]
        word_by_word = from_own_case or not wide_enough(region, params)
        if word_by_word:
            evidence_kind = ("word by word", from_own_case)
        elif params.context_words == 0:
            evidence_kind = ("word by word, own case's words",)
        else:
            # In the aligned words' context: no other record holds an initial.
            evidence_kind = holders.context_key(hit.region, threshold)
        shape = (evidence_kind, region.query_start, region.query_end, region.parts)
        shape += (region.similarity, region.covered.tobytes())
        if initials is None and shape in copied_by_shape:
            copied = copied_by_shape[shape]
        else:
            if word_by_word:
                template, common = boilerplate, boilerplate
            elif params.context_words == 0:
                template, common = boilerplate, common_by_word
            else:
                template, common = holders.in_context(
                    hit.region, threshold, params.context_words, evidence_kind
                )
            if initials is not None:
                template, common = template & ~initials, common & ~initials
            evidence = Evidence(
                common, template, no_content, weight, names_of_others, unfamiliar_names
            )
            copied = copied_words(region, evidence, params)
            if initials is None:  # a hit with initials has evidence of its own
                copied_by_shape[shape] = copied
        match = _classify(
            hit if region is hit.region else replace(hit, region=region),
            case_id,
            query,
            text,
            copied,
            params,
        )
        if match is not None:
            matches.append(match)
    return matches, shared, holders


def _scattered_matches(
    found: Candidates,
    shared: SharedWords,
    holders: Holders,
    cuts: SentenceCuts,
    query: RecordWords,
    marks: WordMarks | None,
    matches: list[Match],
    judge: _Judge,
) -> list[Match]:
    """Copies cut in two and held apart by the text (scattered.py): each pair
    of pieces that abut in a record is spliced back into the passage it was
    and judged as one text, against the same candidates (the crowd that tells
    template text). A cross-case match across the joint is reported as two
    matches, one per piece, both naming the record. At most `_MAX_SPLICES`
    pairs, in `scattered_pieces`' order, and none with a piece that overlaps
    a cross-case match already: that document is held either way. `shared`
    and `holders`: what the window's alignment shares and which cases hold
    it; `cuts`: where the text shows a sentence cut short.
    """
    pairs = scattered_pieces(
        shared,
        cuts,
        min_piece=_MIN_PIECE_WORDS,
        min_words=judge.params.min_words,
        max_joint=MAX_RUN_GAP,
    )
    starts, ends = query.starts, query.ends
    flagged = [
        (int(np.searchsorted(starts, m.start)), int(np.searchsorted(ends, m.end, "right")))
        for m in matches
        if m.status == "cross_case"
    ]
    found_apart: list[Match] = []
    tried = 0
    for pair in pairs:
        if tried == _MAX_SPLICES:
            break
        spans = (pair.first, pair.second)
        if any(any(s < b and a < e for a, b in flagged) for s, e in spans):
            continue
        if any(holders.whole_span_held(s, e, judge.threshold) for s, e in spans):
            continue  # template text, or the family's own: no piece of that record's
        tried += 1
        positions = pair.positions()
        spliced = RecordWords(
            rec=query.rec,
            ids=query.ids[positions],
            starts=query.starts[positions],
            ends=query.ends[positions],
        )
        runs = exact_runs(spliced.ids, [w.ids for w in found.words], found.shingle_words)
        spliced_marks = None if marks is None else marks.taken(positions)
        judged, _, _ = _judged(replace(found, runs=runs), spliced, spliced_marks, judge)
        for match in judged:
            if match.status == "cross_case" and (pieces := _cut_at_joint(match, pair, query)):
                found_apart += [
                    replace(
                        match, start=start, end=end, text=judge.text[start:end], matched_words=words
                    )
                    for start, end, words in pieces
                ]
                flagged += [spans[0], spans[1]]
    return found_apart


def _cut_at_joint(match: Match, pair: Pieces, query: RecordWords) -> list[tuple[int, int, int]]:
    """A match of a spliced passage (`_scattered_matches`) cut into one
    (start, end, words) per piece, on the text's offsets; none if it does not
    take in both pieces (a match inside one piece is the plain check's to
    find) or takes in only a few words over the joint."""
    first_chars = (int(query.starts[pair.first[0]]), int(query.ends[pair.first[1] - 1]))
    second_chars = (int(query.starts[pair.second[0]]), int(query.ends[pair.second[1] - 1]))
    if not (first_chars[0] <= match.start < first_chars[1]):
        return []
    if not (second_chars[0] < match.end <= second_chars[1]):
        return []
    spans = ((match.start, first_chars[1]), (second_chars[0], match.end))
    words = [_words_between(query, start, end) for start, end in spans]
    if min(words) < _MIN_PIECE_WORDS:
        return []  # a few words over the joint: the record's next line, not a piece
    return [(start, end, count) for (start, end), count in zip(spans, words, strict=True)]


def _abbreviated_names(
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
    (`_with_initials`, `_classify`). Counting names that up to three other
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
    holds = cases_holding(found, keys, case_numbers, lambda held: held)
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


def _with_initials(region: Region, initials: np.ndarray) -> Region:
    """The region with the initials `_abbreviated_names` found taken as shared
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


def _short_hits(
    found: Candidates,
    ids: UInt32Array,
    names: tuple[np.ndarray, np.ndarray],
    params: CheckParams,
) -> list[SourceHit]:
    """Regions narrower than min_words that may be a short copy (`short_copy`):
    those of the candidates whose exact runs take in another family's name
    (`names[0]`), or who share a run of min_words_with_name words or more,
    word for word, with an unfamiliar name in it that is not template text
    even on its own (`names[1]`).

    Aligned apart from the wide regions, and only for those candidates:
    keeping every candidate's narrow regions made a check a third slower.
    """
    shortest = params.shortest_match()
    identifying, unfamiliar = names
    if shortest >= params.min_words or not (identifying.any() or unfamiliar.any()):
        return []
    sources, positions = found.runs.positions()
    long_sources, long_positions = found.runs.positions(min_words=shortest)
    numbers = np.union1d(
        sources[identifying[positions]], long_sources[unfamiliar[long_positions]]
    ).tolist()
    if not numbers:
        return []
    hits, _ = _aligned(found, ids, numbers, params, score_from=shortest)
    return [hit for hit in hits if narrow(hit.region, params)]


def find_origin(store: IndexStore, text: str, params: CheckParams) -> list[OriginHit]:
    """Every record holding the text (or a passage of it), earliest date first.

    A long text is looked up window by window, as a check is (`_windows`).

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
    for first, end in _windows(len(ids)):
        candidates = find_candidates(store, ids[first:end], params, None)
        wide_enough = np.nonzero(words_shared(candidates, end - first) >= floor)[0].tolist()
        for hit in _aligned(candidates, ids[first:end], wide_enough, params, score_from=floor)[0]:
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
                    source=_source_span(hit, region.source_start, region.source_end),
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


def _aligned(
    found: Candidates,
    ids: UInt32Array,
    numbers: list[int],
    params: CheckParams,
    score_from: int | None = None,
) -> tuple[list[SourceHit], SharedWords]:
    """Align the candidates `numbers` with the text: the regions wide enough to
    be a match (at least `score_from` words, default: min_words), and what
    every region of `_MIN_EVIDENCE_WORDS` or more shares (for `Holders`).
    """
    wide = params.min_words if score_from is None else score_from
    aligned = align_sources(
        found.runs,
        ids,
        [w.ids for w in found.words],
        numbers,
        params.max_gap_words,
        min_matched=_MIN_EVIDENCE_WORDS,
        score_from=wide,
        keep_from=wide,
    )
    hits = [
        SourceHit(found.records[number], region, found.words[number])
        for number, regions in aligned.regions.items()
        for region in regions
    ]
    return hits, aligned.shared


def _classify(
    hit: SourceHit,
    case_id: str,
    query: RecordWords,
    text: str,
    copied: np.ndarray | None,
    params: CheckParams,
) -> Match | None:
    """The match a region of `hit` makes: its `copied` words (`copied_words`)
    as a copy, from the text's own case or another; else, if the region is
    wide enough to be a match at all, the whole region as template text."""
    region = hit.region
    if not wide_enough(region, params):
        return None
    if copied is not None:
        status: MatchStatus = "same_case" if hit.record.info.case_id == case_id else "cross_case"
        query_start, query_end = int(copied.min()), int(copied.max()) + 1
        matched = len(copied)
    elif narrow(region, params):
        return None
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


def _join_adjacent(matches: tuple[Match, ...], query: RecordWords, text: str) -> tuple[Match, ...]:
    """Cross-case matches from one case with no word between them become one.

    A copy whose sentences were reordered aligns sentence by sentence, and a
    copied paragraph split in two aligns as two; the reviewer should see one
    passage from that family's record, not three pieces of it. Only nothing
    but spaces and punctuation may lie between: a sentence of the document's
    own between two copied ones keeps them apart.
    """
    joined: list[Match] = []
    for match in matches:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.status == match.status == "cross_case"
            and last.source.case_id == match.source.case_id
            and _words_between(query, last.end, match.start) == 0
        ):
            joined[-1] = _joined(last, match, text)
        else:
            joined.append(match)
    return tuple(joined)


def _words_between(query: RecordWords, start: int, end: int) -> int:
    """Words of the text starting at character `start` or later and ending by `end`."""
    first = int(np.searchsorted(query.starts, start, side="left"))
    after = int(np.searchsorted(query.ends, end, side="right"))
    return max(0, after - first)


def _joined(first: Match, second: Match, text: str) -> Match:
    """One match spanning two adjacent ones (`_join_adjacent`)."""
    main, other = (second, first) if second.matched_words > first.matched_words else (first, second)
    source = main.source
    if other.source.record_id == source.record_id:
        source = replace(
            source,
            start=min(source.start, other.source.start),
            end=max(source.end, other.source.end),
        )
    others: dict[str, SourceSpan] = {}
    for held in (other.source, *main.other_sources, *other.other_sources):
        if held.record_id != source.record_id:
            others.setdefault(held.record_id, held)
    words = first.matched_words + second.matched_words
    similarity = first.similarity * first.matched_words + second.similarity * second.matched_words
    return Match(
        start=first.start,
        end=second.end,
        text=text[first.start : second.end],
        similarity=round(similarity / words, 3) if words else first.similarity,
        status=first.status,
        source=source,
        matched_words=words,
        other_sources=tuple(others.values()),
    )


def _one_match_per_passage(matches: list[Match]) -> tuple[Match, ...]:
    """Overlapping matches of one passage collapse to the most serious one.

    Cross-case beats same-case beats boilerplate; then more shared words, then
    higher similarity, then the earliest record (the likely origin). Other
    records holding the same passage are kept as `other_sources`.

    A match overlapping several chosen ones joins the one chosen first. The
    chosen never overlap each other, so in order of start they are in order
    of end too, and those a match overlaps are found by bisection: a text
    the size of the whole store gives ~50,000 raw matches per window, and a
    scan of every chosen match for each was quadratic.
    """
    ordered = sorted(
        matches,
        key=lambda m: (_STATUS_RANK[m.status], -m.matched_words, -m.similarity, m.source.date),
    )
    chosen: list[Match] = []
    # Per chosen match: its other sources by record, each record once (the
    # overlapping windows of a long text find the same copy twice).
    others: list[dict[str, SourceSpan]] = []
    by_start: list[tuple[int, int]] = []  # (start, index in chosen), sorted
    ends: list[int] = []  # the end of each entry of by_start
    for match in ordered:
        first = bisect.bisect_right(ends, match.start)  # the first ending after it starts
        last = bisect.bisect_left(by_start, (match.end, -1))  # those starting before it ends
        if first >= last:
            at = bisect.bisect_left(by_start, (match.start, -1))
            by_start.insert(at, (match.start, len(chosen)))
            ends.insert(at, match.end)
            chosen.append(match)
            others.append({s.record_id: s for s in match.other_sources})
            continue
        overlapping = min(index for _, index in by_start[first:last])
        if chosen[overlapping].status == match.status:
            held = others[overlapping]
            for source in (match.source, *match.other_sources):
                if source.record_id != chosen[overlapping].source.record_id:
                    held.setdefault(source.record_id, source)
    result = [
        Match(**{**kept.__dict__, "other_sources": tuple(others[index].values())})
        for index, kept in enumerate(chosen)
    ]
    return tuple(sorted(result, key=lambda m: m.start))
