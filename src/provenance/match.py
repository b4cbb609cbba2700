"""Checked text -> candidate records -> verified regions -> classified matches.

    fingerprint the text's passages (dense windows) -> LSH join in the index
    -> rank candidate records -> align each with the text (align.py)
    -> count, per word, how many cases hold it (template text is in many);
       with CheckParams.context_words, in its context (a copied sequence of
       formulaic sentences is held by one record)
    -> classify each region: cross_case, same_case or boilerplate
    -> one match per passage of the text, with its most likely source.

Retrieval is deliberately loose (64 bands of 2 rows, overlapping windows);
verification decides. This is where recall on disguised copies comes from.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from provenance.align import ExactRuns, Region, SharedWords, align_sources, exact_runs
from provenance.arrays import batches, distinct, positions_in, ranges
from provenance.config import WORDS_TAG, CheckParams, IndexParams
from provenance.errors import NoTextError, UnknownCaseError
from provenance.fingerprint import band_keys, plan_windows, signatures
from provenance.models import CheckResult, Match, MatchStatus, SourceSpan, Verdict
from provenance.names import WordMarks, word_marks
from provenance.normalize import Words, split_words
from provenance.readings import other_readings
from provenance.scattered import Pieces, SentenceCuts, scattered_pieces
from provenance.shingle import UInt32Array, fmix64, shingle_hashes, word_ids
from provenance.store import IndexStore, RecordWords, StoredRecord

_STATUS_RANK: dict[MatchStatus, int] = {"cross_case": 0, "same_case": 1, "boilerplate": 2}
_MIN_EVIDENCE_WORDS = 6  # regions this small still count towards "held by many cases"
_MAX_RUN_GAP = 4  # unshared words in a row a copied passage may have (edits, a new name)
_MAX_TEMPLATE_STRETCH = 40  # template words in a row that still belong to one copied run
_SPREAD_BATCH_WORDS = 2_000_000  # candidate words looked up at once (_word_spread)
_DENSE_CELLS = 4_000_000  # part x word tables up to this size count windows (16 MB)
_WORD_FOR_WORD = 0.999  # a region this similar to its source is a verbatim copy
_TRUST_KGRAMS = 2  # exact runs shorter than this many k-grams at a region's edge are no sequence
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
) -> CheckResult:
    """Check `text` (about to be sent to `case_id`) against every indexed record.

    `on_progress(done, total)` is called after each window of a long text
    (`classify_matches`): a 100,000-word bundle takes half a minute.

    A text a reader sees otherwise than its characters say (invisible
    characters for spaces, a right-to-left override, Markdown or HTML) is
    also read as shown (`readings.other_readings`), and a passage any reading
    finds is reported once, on `text`'s offsets.

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
    chosen = _matches_of_reading(
        store, text, words, _marks(text, words, params), case_id, params, on_progress
    )
    others = other_readings(text)
    if others:
        # Read the text as shown too; a passage either reading finds is reported once.
        found = [*chosen]
        for shown, origin in others:
            shown_words = split_words(shown)
            if len(shown_words) == 0:
                continue
            marks = _marks(shown, shown_words, params)
            matches = _matches_of_reading(store, shown, shown_words, marks, case_id, params, None)
            found += [_in_text(match, origin, text) for match in matches]
        chosen = _join_adjacent(_one_match_per_passage(found), _query_of(store, words), text)
    verdict: Verdict = "leak" if any(m.status == "cross_case" for m in chosen) else "clean"
    return CheckResult(
        document=document,
        case_id=case_id,
        verdict=verdict,
        matches=chosen,
        warnings=_index_warnings(store),
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
    `_detail_weights` and `_rare_places`.

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
    found = _candidates(store, query.ids, params, exclude_rec)
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
    hashing_key: bytes  # the index's word-id key (`_rare_birth_dates`)


def _judged(
    found: _Candidates, query: RecordWords, marks: WordMarks | None, judge: _Judge
) -> tuple[list[Match], SharedWords, _Holders]:
    """The matches `query` makes with the candidates `found`, what every
    region of them shares (`_aligned`), and which cases hold it (`_Holders`)."""
    case_id, params, text, threshold = judge.case_id, judge.params, judge.text, judge.threshold
    hits, shared = _aligned(found, query.ids, list(range(len(found.records))), params)
    case_of_source, cases = _case_numbers([r.info.case_id for r in found.records], case_id)
    holders = _Holders.of(shared, case_of_source, cases, len(query.ids), found.shingle_words)
    boilerplate, own_case_text = holders.word_by_word(threshold)
    detail_weight, identifying, unfamiliar, familiar = _detail_weights(
        found, query.ids, (case_of_source, cases), None if marks is None else marks.names, params
    )
    identifying |= _rare_birth_dates(found, query.ids, (case_of_source, cases), judge.hashing_key)
    if marks is not None:
        identifying |= _rare_places(found, query.ids, (case_of_source, cases), marks.places)
    hits += _short_hits(found, query.ids, (identifying, unfamiliar & ~boilerplate), params)
    abbreviated = (
        _abbreviated_names(hits, found, marks.initials, (case_of_source, cases), case_id)
        if marks is not None
        else [None] * len(hits)
    )
    plain_weight = np.ones(len(query.ids), dtype=np.int64)
    no_names = np.zeros(len(query.ids), dtype=bool)
    not_others_content = boilerplate | familiar  # see _Evidence.no_content
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
        if _narrow(region, params) and not _may_be_short_copy(
            region, identifying | names_of_others, unfamiliar | unfamiliar_names
        ):
            continue  # cannot pass `_short_copy`: not worth judging in context
        evidence_kind: tuple[object, ...]
        shape: tuple[object, ...]
        word_by_word = from_own_case or not _wide_enough(region, params)
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
            evidence = _Evidence(
                common, template, no_content, weight, names_of_others, unfamiliar_names
            )
            copied = _copied_words(region, evidence, params)
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
    found: _Candidates,
    shared: SharedWords,
    holders: _Holders,
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
        max_joint=_MAX_RUN_GAP,
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
    found: _Candidates,
    initials: np.ndarray,
    case_numbers: tuple[list[int], int],
    case_id: str,
) -> list[np.ndarray | None]:
    """For each hit of another case than `case_id` (the text's), the words of
    the text that are a lone capital (`initials`: names.lone_initials)
    standing, in the region's alignment, where its record has a name with
    that initial (RecordWords.initials) that one other case's candidate
    records hold (the record's) and the text's own case's do not: another
    family's name (`_detail_weights`), cut to its initial. None if none.

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
    holds = _cases_holding(found, keys, case_numbers, lambda held: held)
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
    diagonal (as many words skipped on both sides, at most `_MAX_RUN_GAP`),
    and in the `_EDGE_WORDS` before the first run and after the last."""
    runs = sorted(region.runs)
    query_at: list[int] = []
    source_at: list[int] = []
    for (query_1, source_1, kgrams_1), (query_2, source_2, _) in itertools.pairwise(runs):
        query_end, source_end = query_1 + kgrams_1 - 1 + width, source_1 + kgrams_1 - 1 + width
        gap = query_2 - query_end
        if 0 < gap <= _MAX_RUN_GAP and source_2 - source_end == gap:
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
    found: _Candidates,
    ids: UInt32Array,
    names: tuple[np.ndarray, np.ndarray],
    params: CheckParams,
) -> list[SourceHit]:
    """Regions narrower than min_words that may be a short copy (`_short_copy`):
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
    return [hit for hit in hits if _narrow(hit.region, params)]


def _word_spread(
    found: _Candidates, ids: UInt32Array, case_numbers: tuple[list[int], int]
) -> tuple[np.ndarray, np.ndarray]:
    """For each word of the text: how many other cases' candidate records hold
    it, and whether a candidate record of the text's own case holds it.

    Candidates are the records most like the text, so formulaic wording
    ("was seen alone", "tearful", "the social worker") turns up in many of
    them, while another family's surname, a street or a time of arrest
    turns up in one case's records only. Words the text's own case holds are
    no news to its family, however rare. `case_numbers`: each candidate's
    case as a number, the text's own case 0, and how many (`_case_numbers`).
    """
    query = ids.astype(np.int64)
    if not found.words:
        return np.zeros(len(query), dtype=np.int64), np.zeros(len(query), dtype=bool)
    words = distinct(query)
    holds = _cases_holding(found, words, case_numbers, lambda held: held)
    word_of = np.searchsorted(words, query)
    return holds[1:].sum(axis=0)[word_of], holds[0][word_of]


def _cases_holding(
    found: _Candidates,
    keys: np.ndarray,
    case_numbers: tuple[list[int], int],
    keys_of: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """holds[case, k]: whether a candidate record of the case holds `keys[k]`
    (ascending, distinct), where `keys_of(word ids)` gives, for each word of
    the candidates' words run together, the key that starts there (the word
    itself, or the three words from it). The candidates' other words never
    matter. A batch of records at a time, as in exact_runs.
    """
    numbers, cases = case_numbers
    holds = np.zeros((cases, len(keys)), dtype=bool)
    sizes = [len(w.ids) for w in found.words]
    for batch in batches(sizes, _SPREAD_BATCH_WORDS):
        members = batch.tolist()
        held = keys_of(np.concatenate([found.words[n].ids for n in members]).astype(np.int64))
        holder = np.repeat(np.array(numbers, dtype=np.int64)[batch], [sizes[n] for n in members])
        at = positions_in(held, keys)
        holds[holder[: len(at)][at >= 0], at[at >= 0]] = True
    return holds


def _word_pairs(ids: np.ndarray) -> np.ndarray:
    """A key for each two words in a row (one per word, but the last)."""
    pairs: np.ndarray = ids[:-1] * 1_000_003 + ids[1:]
    return pairs


def _word_triples(ids: np.ndarray) -> np.ndarray:
    """A key for each run of three words (one per word, but the last two).
    Runs that cross from one candidate record to the next are keys as well;
    three words spanning two records are no one's date of birth in practice."""
    triples: np.ndarray = (ids[:-2] * 1_000_003 + ids[1:-1]) * 1_000_033 + ids[2:]
    return triples


_BIRTH_CUES = ("born", "dob", "birth")  # "born (on) 3 May 2016", "DOB 03/05/2016", "date of birth"


def _rare_birth_dates(
    found: _Candidates, ids: UInt32Array, case_numbers: tuple[list[int], int], key: bytes
) -> np.ndarray:
    """The words of a date of birth (the three words after "born", "DOB" or
    "birth", an "on" skipped) that one other case's candidate records hold,
    and the text's own case does not: that other family's child.

    Dates on their own are template ("7", "May", "2016" are in every
    record), so a copied sentence whose only detail of its family is a
    child's first name, which several families use, and a date of birth was
    cleared ("Health records for Rhys, born 14/02/2019, were reviewed ...").
    """
    marked = np.zeros(len(ids), dtype=bool)
    query = ids.astype(np.int64)
    cues = np.flatnonzero(np.isin(query[:-3], word_ids(_BIRTH_CUES, key).astype(np.int64)))
    if len(cues) == 0 or not found.words:
        return marked
    starts = cues + 1
    starts = starts + (query[starts] == int(word_ids(["on"], key)[0]))
    return _held_by_one_other_case(found, query, starts, _word_triples, case_numbers)


def _rare_places(
    found: _Candidates, ids: UInt32Array, case_numbers: tuple[list[int], int], places: np.ndarray
) -> np.ndarray:
    """The two words of an address key (a house number and its street's
    first word) or of a postcode (names.place_starts) that one other case's
    candidate records hold, and the text's own case does not: that other
    family's home.

    Streets, postcodes and schools are shared by neighbours, the families a
    leak like this project's first one goes to; each word of "58 Tinderbox
    Lane, FX1 6ZZ" was template or the receiving family's own, so a copied
    home-visit note with the names cut to initials was cleared.
    """
    starts = np.flatnonzero(places[:-1])
    if len(starts) == 0 or not found.words:
        return np.zeros(len(ids), dtype=bool)
    return _held_by_one_other_case(found, ids.astype(np.int64), starts, _word_pairs, case_numbers)


def _held_by_one_other_case(
    found: _Candidates,
    query: np.ndarray,
    starts: np.ndarray,
    keys_of: Callable[[np.ndarray], np.ndarray],
    case_numbers: tuple[list[int], int],
) -> np.ndarray:
    """Marks the words of each key starting at `starts` (`keys_of`: word
    pairs or triples) that one other case's candidate records hold and the
    text's own case does not."""
    marked = np.zeros(len(query), dtype=bool)
    if len(starts) == 0 or not found.words:
        return marked  # nothing to look up: no pass over the candidates' words
    every_key = keys_of(query)
    width = len(query) - len(every_key)  # words after a key's first
    starts = starts[starts + width < len(query)]
    keys_at = every_key[starts]
    keys = distinct(keys_at)
    holds = _cases_holding(found, keys, case_numbers, keys_of)
    one_other = (holds[1:].sum(axis=0) == 1) & ~holds[0]
    for start in starts[one_other[np.searchsorted(keys, keys_at)]]:
        marked[start : start + width + 1] = True
    return marked


def _detail_weights(
    found: _Candidates,
    ids: UInt32Array,
    case_numbers: tuple[list[int], int],
    names: np.ndarray | None,
    params: CheckParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """How many details each word of the text counts as, shared with another case.

    A word at most one other case holds (a surname, a street, a time of
    arrest) is strong evidence that the passage is that case's own account:
    it weighs `rare_word_weight`. A word written as a name (`names`) that the
    text's own case never uses weighs `name_weight`: the family would be
    reading another family's people and places. Everything else weighs 1.

    Also returns which words are another family's name: written as a name,
    held by one other case only, never by the text's own case (see
    CheckParams.min_details_with_name); which are unfamiliar names:
    written as a name, never by the text's own case (others may hold them);
    and which are familiar names: written as a name that the text's own
    case holds too. A familiar name is no content of another family's
    record (`_classify`): it is the receiving family's own child or parent,
    put in by the writer (names replaced) or shared by chance (two families
    with a Kirsty), so a run of stock sentences that shares only such names
    with another record needs the sequence-only bar.
    """
    other_cases, own_case_holds = _word_spread(found, ids, case_numbers)
    rare = (other_cases <= 1) & ~own_case_holds
    weight = np.where(rare, params.rare_word_weight, 1)
    identifying = np.zeros(len(ids), dtype=bool)
    unfamiliar = np.zeros(len(ids), dtype=bool)
    familiar = np.zeros(len(ids), dtype=bool)
    if names is not None:
        # "Leanne Haworth": a full name the family never writes, though it has
        # a Leanne and a Haworth of its own, is another family's person.
        familiar_pairs = np.flatnonzero(
            names[:-1] & names[1:] & own_case_holds[:-1] & own_case_holds[1:]
        )
        new_pair = (
            _held_by_one_other_case(
                found, ids.astype(np.int64), familiar_pairs, _word_pairs, case_numbers
            )
            & names
        )
        unfamiliar = names & (~own_case_holds | new_pair)
        familiar = names & own_case_holds & ~new_pair
        weight = np.maximum(weight, np.where(unfamiliar, params.name_weight, 1))
        identifying = names & rare
    return weight.astype(np.int64), identifying, unfamiliar, familiar


def _case_numbers(case_ids: list[str], own_case: str) -> tuple[list[int], int]:
    """Each case id as a small number, the checked text's own case as 0; and how many.

    >>> _case_numbers(["C-2", "C-1", "C-2"], "C-1")
    ([1, 0, 1], 2)
    """
    numbers: dict[str, int] = {own_case: 0}
    return [numbers.setdefault(case, len(numbers)) for case in case_ids], len(numbers)


def find_origin(store: IndexStore, text: str, params: CheckParams) -> list[OriginHit]:
    """Every record holding the text (or a passage of it), earliest date first.

    A long text is looked up window by window, as a check is (`_windows`).

    Raises:
        NoTextError: the text holds no words.
    """
    words = split_words(text)
    if len(words) == 0:
        raise NoTextError("The text to look up holds no words.")
    shingle_words = _index_params(store).shingle_words
    floor = min(params.min_words, max(shingle_words + 1, int(0.6 * len(words))))
    ids = word_ids(words.words, store.hashing_key)
    found: list[OriginHit] = []
    for first, end in _windows(len(ids)):
        candidates = _candidates(store, ids[first:end], params, None)
        wide_enough = np.nonzero(_words_shared(candidates, end - first) >= floor)[0].tolist()
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


def _index_params(store: IndexStore) -> IndexParams:
    params = store.read_params()
    if params is None:
        raise UnknownCaseError(f"The index {store.path} is empty: run `provenance index` first.")
    return params


@dataclass(frozen=True)
class _Candidates:
    """Candidate records of a check, their words, and the exact runs they share."""

    records: list[StoredRecord]
    words: list[RecordWords]
    runs: ExactRuns
    shingle_words: int


def _candidates(
    store: IndexStore, ids: UInt32Array, params: CheckParams, exclude_rec: int | None
) -> _Candidates:
    """Retrieve candidate records through LSH and find the exact runs they share."""
    index_params = _index_params(store)
    keys, passage_numbers = _query_band_keys(ids, index_params, store, params.query_stride)
    candidates = store.candidate_records(keys, passage_numbers, params.max_candidate_records)
    recs = [candidate.rec for candidate in candidates if candidate.rec != exclude_rec]
    records = store.records_by_rec(recs)
    record_words = store.record_words(recs)
    recs = [rec for rec in recs if rec in records and rec in record_words]
    words = [record_words[rec] for rec in recs]
    return _Candidates(
        records=[records[rec] for rec in recs],
        words=words,
        runs=exact_runs(ids, [w.ids for w in words], index_params.shingle_words),
        shingle_words=index_params.shingle_words,
    )


def _aligned(
    found: _Candidates,
    ids: UInt32Array,
    numbers: list[int],
    params: CheckParams,
    score_from: int | None = None,
) -> tuple[list[SourceHit], SharedWords]:
    """Align the candidates `numbers` with the text: the regions wide enough to
    be a match (at least `score_from` words, default: min_words), and what
    every region of `_MIN_EVIDENCE_WORDS` or more shares (for `_Holders`).
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


def _words_shared(found: _Candidates, word_count: int) -> np.ndarray:
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


def _wide_enough(region: Region, params: CheckParams) -> bool:
    """Whether the region is wide and similar enough to be reported at all."""
    return (
        region.matched_words >= params.shortest_match()
        and region.similarity >= params.min_similarity
    )


def _narrow(region: Region, params: CheckParams) -> bool:
    """Narrower than min_words: a match only as a short copy (`_short_copy`,
    CheckParams.min_words_with_name), and otherwise not reported at all."""
    return region.matched_words < params.min_words


@dataclass
class _Holders:
    """Which cases hold which words of the checked text, and in which context.

    Every in-order part of every verified region (align.Region.parts),
    flattened: its covered words sorted by position, and per part its case
    and query span. A word of a region counts as template text when enough
    cases hold it in the context the region gives it, not merely somewhere:
    a copied paragraph of formulaic sentences with the names replaced is
    template word by word, yet the order of its sentences, which shows at
    the joints between them, is held by the one record it was copied from.
    Results are kept per region shape: the same standard paragraph aligns
    with hundreds of records in one check.
    """

    position: np.ndarray  # a word of the checked text a part covers
    part: np.ndarray  # the part covering it
    case: np.ndarray  # per part: case number, 0 = the checked text's own case
    start: np.ndarray  # per part: first word of its query span
    end: np.ndarray  # per part: end of its query span
    cases: int
    words: int
    width: int
    memo: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]]

    @staticmethod
    def of(
        shared: SharedWords, case_of_source: list[int], cases: int, words: int, width: int
    ) -> _Holders:
        """From every region's parts and covered words; `case_of_source` numbers
        each source's case (0 = the checked text's own, `_case_numbers`)."""
        flat, flat_region = shared.word, shared.word_region
        part_region = shared.part_region
        # Every covered word of a region, once for each of its parts whose span
        # takes it in (a stray part may sit inside a long one).
        stride = words + 1
        keys = flat_region * stride + flat
        low = np.searchsorted(keys, part_region * stride + shared.part_start, "left")
        high = np.searchsorted(keys, part_region * stride + shared.part_end, "left")
        part, entry = ranges(low, high)
        position = flat[entry]
        region_case = np.array(case_of_source, dtype=np.int64)[shared.source]
        part_case = region_case[part_region]
        kept = _distinct_parts(part, position, part_case, shared.part_start, shared.part_end)
        part, position = part[kept], position[kept]
        order = np.argsort(position, kind="stable")
        return _Holders(
            position=position[order],
            part=part[order],
            case=part_case,
            start=shared.part_start,
            end=shared.part_end,
            cases=cases,
            words=words,
            width=width,
            memo={},
        )

    def context_key(self, region: Region, threshold: int) -> tuple[object, ...]:
        """What `in_context` depends on (its `key`, when the caller has it):
        the region's parts, bounds and trusted span, and the threshold."""
        trusted = _trusted_span(region, self.width)
        return (region.parts, trusted, region.query_start, region.query_end, threshold)

    def in_context(
        self,
        region: Region,
        threshold: int,
        context: int,
        key: tuple[object, ...] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(template, common): words held in the region's context by at least
        `threshold` cases (the checked text's own case always counts as one),
        and those words with the words held in that context by the checked
        text's own case (no news to its family).

        A part holds word p in context when it covers p and every word the
        region covers in the window of `context` words either side of p, clipped to
        the part of `region` around p (the region's sequence) and to its
        trusted span (`_trusted_span`). Outside that span a word is held
        wherever it is covered, as before context counted.
        """
        key = self.context_key(region, threshold) if key is None else key
        if key in self.memo:
            return self.memo[key]
        bounds = _part_bounds(region)
        trusted = _trusted_span(region, self.width)
        low = np.searchsorted(self.position, region.query_start, side="left")
        high = np.searchsorted(self.position, region.query_end, side="left")
        positions, parts = self.position[low:high], self.part[low:high]
        # The widest in-order part of the region around each word is its sequence.
        part_start = np.full(len(positions), region.query_start)
        part_end = np.full(len(positions), region.query_start)
        for first, end in sorted(bounds.tolist(), key=lambda b: b[1] - b[0]):
            inside = (positions >= first) & (positions < end)
            part_start[inside], part_end[inside] = first, end
        clip_start = np.maximum(part_start, trusted[0])
        clip_end = np.minimum(part_end, trusted[1])
        outside = (positions < clip_start) | (positions >= clip_end)
        window_start = np.where(outside, positions, np.maximum(positions - context, clip_start))
        window_end = np.where(outside, positions + 1, np.minimum(positions + context + 1, clip_end))
        held = self._covers_window(region, positions, parts, window_start, window_end)
        template, own = self._count(positions[held], self.case[parts[held]], threshold)
        result = (template, template | own)
        self.memo[key] = result
        return result

    def _covers_window(
        self,
        region: Region,
        positions: np.ndarray,
        parts: np.ndarray,
        window_start: np.ndarray,
        window_end: np.ndarray,
    ) -> np.ndarray:
        """Whether each (word, part) entry's part also covers every word the
        region covers in the word's window."""
        base = region.query_start
        in_region = np.zeros(region.query_end - base + 1, dtype=np.int64)
        in_region[region.covered - base + 1] = 1
        before = np.cumsum(in_region)
        need = before[window_end - base] - before[window_start - base]
        mine = in_region[positions - base + 1] == 1
        width = region.query_end - base
        present = np.zeros(len(self.case), dtype=bool)
        present[parts] = True
        part_index = (np.cumsum(present) - 1)[parts]  # parts numbered 0.. without a sort
        if int(present.sum()) * (width + 1) <= _DENSE_CELLS:
            # Which part covers which word of the region, as a table: counting a
            # window is then two lookups in its running sum.
            table = np.zeros((int(present.sum()), width + 1), dtype=np.int32)
            table[part_index[mine], positions[mine] - base + 1] = 1
            running = np.cumsum(table, axis=1)
            have = running[part_index, window_end - base] - running[part_index, window_start - base]
        else:
            stride = self.words + 1
            keys = np.sort(parts[mine] * stride + positions[mine])
            have = np.searchsorted(keys, parts * stride + window_end, "left") - np.searchsorted(
                keys, parts * stride + window_start, "left"
            )
        covers: np.ndarray = have >= need
        return covers

    def whole_span_held(self, start: int, end: int, threshold: int) -> bool:
        """Whether words [start, end) are held whole, every word of them
        covered by one part, by the checked text's own case or by
        `threshold` cases (the own case counting as one): a standard
        paragraph, or the family's own words. A stock sentence with a
        family's names in it is held whole by that family only (another
        name leaves a word uncovered)."""
        low, high = np.searchsorted(self.position, (start, end))
        covering = np.bincount(self.part[low:high], minlength=len(self.case))
        holding = np.unique(self.case[covering >= end - start])
        return bool(len(holding) and (holding[0] == 0 or len(holding) + 1 >= threshold))

    def word_by_word(self, threshold: int) -> tuple[np.ndarray, np.ndarray]:
        """(template, own): words of the text at least `threshold` cases hold,
        and words the checked text's own case holds, each word on its own.

        A case holds a word when a verified region of one of its records (at
        least `_MIN_EVIDENCE_WORDS` shared words) covers it. Regions, not exact
        runs: a template sentence filled with other details shares its skeleton
        in pieces between the details, and only chained pieces show it is held.
        The text's own case counts as one holder: the text is one of its
        records (or about to be), so the check of an outgoing document and the
        scan's audit of the same text once it is filed reach the same verdict.
        Used for same-case regions; another case's region is judged in its
        context (`in_context`).
        """
        return self._count(self.position, self.case[self.part], threshold)

    def _count(
        self, positions: np.ndarray, cases: np.ndarray, threshold: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(template, own) from the (word, case) pairs that hold a word.

        The checked text's own case (0) always counts as one holder.
        """
        template = np.zeros(self.words, dtype=bool)
        own = np.zeros(self.words, dtype=bool)
        if len(positions) == 0:
            template[:] = threshold <= 1
            return template, own
        low, high = int(positions.min()), int(positions.max()) + 1
        held = np.zeros((high - low, self.cases), dtype=bool)
        held[positions - low, cases] = True
        template[:] = threshold <= 1
        template[low:high] = held[:, 1:].sum(axis=1) + 1 >= threshold
        own[low:high] = held[:, 0]
        return template, own


def _distinct_parts(
    part: np.ndarray, position: np.ndarray, case: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Which (part, covered word) entries to keep (`_Holders.of`): those of the
    first part of each set of parts with the same case, span and covered words.

    A standard paragraph aligns alike with most records of every case, and
    only which cases hold a word counts: the duplicates' entries were two
    thirds of all (labelled store), each one looked at by every in-context
    judgement. `part` is ascending; parts compare by one 64-bit hash of their
    case, span, number of covered words and the sum of those words' mixed
    positions (two different parts agree by chance about once in 2**64).
    """
    parts = len(case)
    if parts == 0:
        return np.ones(len(part), dtype=bool)
    counts = np.bincount(part, minlength=parts)
    mixed = fmix64(position.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    sums = np.zeros(parts, dtype=np.uint64)
    holding = np.flatnonzero(counts)
    if len(holding):
        firsts = (np.cumsum(counts) - counts)[holding]
        sums[holding] = np.add.reduceat(mixed, firsts)
    bound = np.uint64(int(end.max()) + 1)  # no word position reaches it
    span = (case.astype(np.uint64) * bound + start.astype(np.uint64)) * bound
    span += end.astype(np.uint64)
    shape = sums + fmix64(span * bound + counts.astype(np.uint64))
    _, first = np.unique(shape, return_index=True)
    is_first = np.zeros(parts, dtype=bool)
    is_first[first] = True
    kept: np.ndarray = is_first[part]
    return kept


def _part_bounds(region: Region) -> np.ndarray:
    """(query start, query end) rows of the region's in-order parts."""
    if region.parts:
        return np.array(region.parts, dtype=np.int64).reshape(-1, 2)
    return np.array([[region.query_start, region.query_end]], dtype=np.int64)


def _trusted_span(region: Region, width: int) -> tuple[int, int]:
    """From the first to the end of the last exact run of `_TRUST_KGRAMS` k-grams or more.

    A lone k-gram at a region's edge ("the social worker" after a template
    sentence) is a coincidence as often as not: it must not make the words
    before it a sequence only this record holds.
    """
    strong = [(q, q + k - 1 + width) for q, _, k in region.runs if k >= _TRUST_KGRAMS]
    if not strong:
        return region.query_start, region.query_start
    return min(a for a, _ in strong), max(b for _, b in strong)


@dataclass(frozen=True)
class _Evidence:
    """Per word of the checked text, what a region of one source shows (`_classify`)."""

    common: np.ndarray  # template in this region's context, or held by the text's own case
    template: np.ndarray  # template in this region's context (where long runs are cut)
    no_content: np.ndarray  # template as a word whatever its context, or a familiar name
    weight: np.ndarray  # details each word counts as (`_detail_weights`)
    identifying: np.ndarray  # another family's name (`_detail_weights`)
    unfamiliar: np.ndarray  # a name the receiving family never uses (`_detail_weights`)


@dataclass(frozen=True)
class _Bar:
    """How many details a run needs (CheckParams), given what kind they are."""

    named: int  # when one of them is another family's name
    content: int  # content details that make `with_content` the bar
    with_content: int  # when at least `content` of them are content
    sequence_only: int  # otherwise
    shortest: int  # words a run under min_words needs (CheckParams.shortest_match)
    short_verbatim: int  # details of such a run taken word for word, with an unfamiliar name

    @staticmethod
    def of(params: CheckParams, *, verbatim: bool) -> _Bar:
        """The bar for a region that matches its source word for word (`verbatim`)
        or not. Never more than min_words is asked for, so a lower --min-words
        still finds shorter copies."""
        needed = min(params.min_distinctive_words, params.min_words)
        return _Bar(
            named=min(params.min_details_with_name or needed, needed),
            content=params.min_content_details,
            with_content=min(params.min_details_word_for_word, needed) if verbatim else needed,
            sequence_only=max(needed, min(params.min_sequence_only_details, params.min_words)),
            shortest=params.shortest_match(),
            short_verbatim=needed,
        )


def _classify(
    hit: SourceHit,
    case_id: str,
    query: RecordWords,
    text: str,
    copied: np.ndarray | None,
    params: CheckParams,
) -> Match | None:
    """The match a region of `hit` makes: its `copied` words (`_copied_words`)
    as a copy, from the text's own case or another; else, if the region is
    wide enough to be a match at all, the whole region as template text."""
    region = hit.region
    if not _wide_enough(region, params):
        return None
    if copied is not None:
        status: MatchStatus = "same_case" if hit.record.info.case_id == case_id else "cross_case"
        query_start, query_end = int(copied.min()), int(copied.max()) + 1
        matched = len(copied)
    elif _narrow(region, params):
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


def _copied_words(region: Region, evidence: _Evidence, params: CheckParams) -> np.ndarray | None:
    """The words of a region that are a copy, None if none: a region is a
    match if it holds a dense run of shared words that carries details.

    Copied text, even disguised, is a dense run of shared words: a replaced
    name or an inserted word leaves a gap of a word or two, two edits three
    words apart a gap of four (no 3-word shingle over them is shared). Runs
    break at more than `_MAX_RUN_GAP` unshared words in a row. A run counts
    when it spans at least `min_words` words (edited words included); cut
    where more than `_MAX_TEMPLATE_STRETCH` template words come in a row, a
    piece of it qualifies when at least `min_distinctive_words` of its words
    are not common (an address, a time and a neighbour's name copied before
    a standard paragraph are a short piece of a long copy): for another case's
    record, `common` marks the words that enough cases hold, or that the
    checked text's own case holds (with `context_words`, in this region's
    context: `_Holders.in_context`). Case notes are written in formulaic sentences, so
    a copied passage is template skeleton plus the other child's details
    (names, ages, places, dates) in that record's order; with the names
    replaced, the details left are the sequence: the joints between
    sentences that only that record holds in that order, which only the
    context rule sees. A template sentence
    with other details shares only the skeleton, one sentence at a time with
    many records, and has neither. A run whose details are all sequence (no
    name, place, date or rare word of that record's: `min_content_details`)
    needs more of them (`min_sequence_only_details`): two families' notes can
    string the same stock sentences together by chance, and with a child or
    parent of the same name too (a name the receiving family also uses is
    no content: `_detail_weights`). A region that matches
    its source word for word (a partial or short copy taken verbatim) needs
    fewer (`min_details_word_for_word`, with content).
    """
    if not _wide_enough(region, params):
        return None
    # Only the region's words matter: positions below are from its first word.
    low, high = region.query_start, region.query_end
    covered = region.covered - low
    common = evidence.common[low:high]
    # Rare details and names weigh more (`_detail_weights`).
    details = np.where(common, 0, evidence.weight[low:high])
    content = np.where(evidence.no_content[low:high], 0, details)
    identifying = evidence.identifying[low:high] & ~common
    unfamiliar = evidence.unfamiliar[low:high] & ~common
    template = evidence.template[low:high]

    def qualifying(words: np.ndarray, verbatim: bool) -> list[np.ndarray]:
        """The runs of `words` (covered, from the region's first word) that are a copy."""
        narrow = len(words) < params.min_words  # only ever a short copy
        bar = _Bar.of(params, verbatim=verbatim)
        if int(details[words].sum()) < min(bar.named, bar.with_content):
            return []
        return [
            run
            for dense in _dense_runs(words)
            if _span(dense) >= bar.shortest
            for run in _split_at_template(dense, template)
            if (
                _enough_details(run, details, content, identifying, bar)
                if _span(dense) >= params.min_words and not narrow
                else _short_copy(run, details, content, (identifying, unfamiliar), bar, verbatim)
            )
        ]

    verbatim = region.similarity >= _WORD_FOR_WORD
    copied = qualifying(covered, verbatim)
    if not copied and not verbatim:
        # A part taken word for word is a verbatim copy on its own, though the
        # region chains it on to other text: a copied paragraph of stock
        # sentences and a shared name, next to the receiving family's own
        # paragraph of the same sentences, was one region, no longer word for
        # word, and cleared.
        for (start, end), similarity in zip(region.parts, region.part_similarity, strict=False):
            if similarity >= _WORD_FOR_WORD:
                inside = covered[(covered >= start - low) & (covered < end - low)]
                copied += qualifying(inside, verbatim=True)
        if copied:
            return distinct(np.concatenate(copied)) + low
    return np.concatenate(copied) + low if copied else None


def _enough_details(
    run: np.ndarray, details: np.ndarray, content: np.ndarray, identifying: np.ndarray, bar: _Bar
) -> bool:
    """Whether a run's details clear the bar (`_Bar`): `named` when one of its
    words is another family's name (`identifying`), `with_content` when at
    least `bar.content` of them are content, else `sequence_only`."""
    score = int(details[run].sum())
    if score >= bar.named and bool(identifying[run].any()):
        return True
    if score >= bar.with_content and int(content[run].sum()) >= bar.content:
        return True
    return score >= bar.sequence_only


def _may_be_short_copy(region: Region, identifying: np.ndarray, unfamiliar: np.ndarray) -> bool:
    """What `_short_copy` asks of a region that needs no counting: another
    family's name, or an unfamiliar name in a region taken word for word."""
    covered = region.covered
    return bool(identifying[covered].any()) or (
        region.similarity >= _WORD_FOR_WORD and bool(unfamiliar[covered].any())
    )


def _short_copy(
    run: np.ndarray,
    details: np.ndarray,
    content: np.ndarray,
    names: tuple[np.ndarray, np.ndarray],
    bar: _Bar,
    verbatim: bool,
) -> bool:
    """Whether a run shorter than min_words (of at least `min_words_with_name`
    words) is still a copy: it holds another family's name and `bar.named`
    details; or it was taken word for word, names someone the receiving
    family never mentions, and has the details and content a full-length
    copy needs (`bar.short_verbatim`, `bar.content`).

    The second finds a copied sentence whose names several families use
    ("Isla described her bedroom at 79 Kiln Street, Wendlebury as ..."):
    only the sentence, not any one word of it, is that family's. The name
    keeps out stock observations two records share word for word ("the
    landing carpet was soiled with dog mess"), which carry no one's details.
    """
    if _span(run) < bar.shortest:
        return False
    identifying, unfamiliar = names
    score = int(details[run].sum())
    if score >= bar.named and bool(identifying[run].any()):
        return True
    return (
        verbatim
        and bool(unfamiliar[run].any())
        and score >= bar.short_verbatim
        and int(content[run].sum()) >= bar.content
    )


def _span(run: np.ndarray) -> int:
    """Words from the first to the last position of a sorted run, gaps included."""
    return int(run[-1] - run[0]) + 1


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
    """
    ordered = sorted(
        matches,
        key=lambda m: (_STATUS_RANK[m.status], -m.matched_words, -m.similarity, m.source.date),
    )
    chosen: list[Match] = []
    # Per chosen match: its other sources by record, each record once (the
    # overlapping windows of a long text find the same copy twice).
    others: list[dict[str, SourceSpan]] = []
    for match in ordered:
        overlapping = next(
            (
                index
                for index, kept in enumerate(chosen)
                if match.start < kept.end and kept.start < match.end
            ),
            None,
        )
        if overlapping is None:
            chosen.append(match)
            others.append({s.record_id: s for s in match.other_sources})
        elif chosen[overlapping].status == match.status:
            held = others[overlapping]
            for source in (match.source, *match.other_sources):
                if source.record_id != chosen[overlapping].source.record_id:
                    held.setdefault(source.record_id, source)
    result = [
        Match(**{**kept.__dict__, "other_sources": tuple(others[index].values())})
        for index, kept in enumerate(chosen)
    ]
    return tuple(sorted(result, key=lambda m: m.start))
