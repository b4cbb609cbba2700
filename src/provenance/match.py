"""Checked text -> candidate records -> verified regions -> classified matches.

    fingerprint the text's passages (dense windows) -> LSH join in the index
    -> rank candidate records (candidates.py) -> align each with the text (align.py)
    -> count, per word, how many cases hold it (template text is in many);
       with CheckParams.context_words, in its context (a copied sequence of
       formulaic sentences is held by one record) (holders.py)
    -> weigh each word as details of another family (details.py)
    -> classify each region: cross_case, same_case or boilerplate (evidence.py)
    -> one match per passage of the text, with its most likely source.

This module runs that pipeline over a text: in windows when it is long
(windows.py), once more for each way a reader may see it otherwise
(readings.py). Judging one window's regions is judge.py's; collapsing its
matches into one per passage is passages.py's.

Retrieval is deliberately loose (64 bands of 2 rows, overlapping windows);
verification decides. This is where recall on disguised copies comes from.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

import numpy as np

from provenance.beside import beside_copies, sentences_held_alone
from provenance.candidates import Candidates, find_candidates
from provenance.config import WORDS_TAG, CheckParams
from provenance.errors import CheckTimeoutError, NoTextError, UnknownCaseError
from provenance.families import Families, told_apart
from provenance.judge import Judge, Judged, held_whole, judged_matches, scattered_matches
from provenance.models import CheckResult, Match, Verdict
from provenance.names import WordMarks, word_marks
from provenance.normalize import Words, split_words
from provenance.passages import join_adjacent, one_match_per_passage, word_span
from provenance.readings import other_readings
from provenance.scattered import SentenceCuts
from provenance.shingle import word_ids
from provenance.store import IndexStore, RecordWords
from provenance.windows import text_windows


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
            + _case_hint(store, case_id)
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
        chosen = join_adjacent(one_match_per_passage(found), _query_of(store, words), text)
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


def _case_hint(store: IndexStore, case_id: str) -> str:
    """What an unknown case id may have meant (`IndexStore.cases_like`)."""
    spelled, folder = store.cases_like(case_id)
    if spelled:
        return f" The index has {', '.join(map(repr, spelled))}: did you mean that?"
    if folder:
        return (
            f" Records under a folder named {case_id!r} are filed under case "
            f"{', '.join(map(repr, folder))}: was the store indexed from the folder above "
            "its case folders?"
        )
    return ""


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

    A text longer than `WINDOW_WORDS` (a court bundle, a chronology) is
    checked window by window (`text_windows`): without that, a 100,000-word
    bundle took 3 GB, and its candidates, capped per check, were spread so
    thin over its length that a copy in it could go unchecked.
    """
    matches: list[Match] = []
    windows = text_windows(len(query.ids))
    cuts = SentenceCuts.of(text, query.starts, query.ends)
    checking = _Checking(store, case_id, params, text, exclude_rec, store.case_families(), {})
    whole = _Stretch(query, cuts, marks)
    for done, (start, end) in enumerate(windows, 1):
        matches += _window_matches(checking, whole.part(start, end))
        if on_progress is not None:
            on_progress(done, len(windows))
    return join_adjacent(one_match_per_passage(matches), query, text)


@dataclass(frozen=True)
class _Checking:
    """What every window of one check shares."""

    store: IndexStore
    case_id: str  # the case the text is for
    params: CheckParams
    text: str  # quoted in matches ("" when auditing from word ids alone)
    exclude_rec: int | None  # the record audited, kept from matching itself
    families: Families  # cases linked as one family, judged as one (families.py)
    # Each candidate record's own case, by record id, as `_candidates` found it
    # before judging it by family (`_told_apart` tells it again); filled as it goes.
    real_cases: dict[str, str]


@dataclass(frozen=True)
class _Stretch:
    """Consecutive words of the checked text and what was read from them."""

    words: RecordWords
    cuts: SentenceCuts  # where a sentence shows as cut short (`scattered_matches`)
    marks: WordMarks | None  # names, places, figures (names.word_marks)

    def part(self, start: int, end: int) -> _Stretch:
        """Words [start, end) of this stretch."""
        words = self.words
        return _Stretch(
            RecordWords(
                rec=words.rec,
                ids=words.ids[start:end],
                starts=words.starts[start:end],
                ends=words.ends[start:end],
            ),
            self.cuts.window(start, end),
            None if self.marks is None else self.marks.window(start, end),
        )


def _window_matches(checking: _Checking, window: _Stretch) -> list[Match]:
    """Every match of one window of the text (`classify_matches`), overlapping
    ones included. A cross-case match must hold when its passage is checked
    on its own (`_confirmed_alone`); pieces of a copy placed apart are judged
    spliced, and were never held whole by many cases. Whole sentences only
    one other family holds are its copy (`sentences_held_alone`), and that
    family's sentences beside its copy are part of it (`beside_copies`)."""
    judged, apart, found = _judged_window(checking, window)
    judged = sentences_held_alone(judged, window.words, _judge(checking, checking.params))
    matches = judged.matches
    if found.capped and any(match.status == "cross_case" for match in matches):
        matches = _confirmed_alone(checking, window, judged)
    copies = [match for match in [*matches, *apart] if match.status == "cross_case"]
    if copies:
        # Passages a second look found template text stay so.
        cleared = [m for m, j in zip(matches, judged.matches, strict=True) if m.status != j.status]
        judge = _judge(checking, checking.params)
        matches = beside_copies(matches, (copies, cleared), judged, found, window.words, judge)
    return _told_apart(checking, matches + apart)


def _told_apart(checking: _Checking, matches: list[Match]) -> list[Match]:
    """`matches`, judged by family, with each source's own case told again
    (`families.told_apart`, from `_Checking.real_cases`)."""
    if not checking.families:
        return matches
    return told_apart(matches, checking.families, checking.real_cases, checking.case_id)


def _candidates(checking: _Checking, ids: np.ndarray, params: CheckParams) -> Candidates:
    """The candidates of words `ids` (`find_candidates`), each record's case
    replaced by its family's key (`Families.of`), so that a family's cases
    are one holder in every rule of the judgement."""
    found = find_candidates(checking.store, ids, params, checking.exclude_rec)
    families = checking.families
    if not families:
        return found
    checking.real_cases.update((r.info.record_id, r.info.case_id) for r in found.records)
    records = [
        replace(record, info=replace(record.info, case_id=families.of(record.info.case_id)))
        for record in found.records
    ]
    return replace(found, records=records)


def _judged_window(checking: _Checking, window: _Stretch) -> tuple[Judged, list[Match], Candidates]:
    """The matches of a window against its own candidates (`Judged`), those
    of pieces of a copy the window holds apart (`scattered_matches`), and
    the candidates, which tell whether they were capped
    (`Candidates.capped`): when not, every record sharing a band with the
    window was judged, and a second look at a passage finds no holder the
    first did not."""
    params = checking.params
    query, marks = window.words, window.marks
    found = _candidates(checking, query.ids, params)
    judge = _judge(checking, params)
    judged = judged_matches(found, query, marks, judge)
    apart = scattered_matches(
        found, judged.shared, judged.holders, window.cuts, query, marks, judged.matches, judge
    )
    return judged, apart, found


def _judge(checking: _Checking, params: CheckParams) -> Judge:
    store = checking.store
    return Judge(
        case_id=checking.families.of(checking.case_id),
        params=params,
        text=checking.text,
        threshold=boilerplate_threshold(params.boilerplate_cases, store.case_count()),
        hashing_key=store.hashing_key,
    )


_CONFIRM_MARGIN = 12  # words either side of a flagged passage looked up again with it
# Flagged passages of one window looked up again, at most: past these the rest stay
# flagged (the second look can only clear), so a text made of many families' records
# costs one more look-up of a short passage for each of the first few, not of all.
_MAX_CONFIRMED = 24
_CONFIRM_CANDIDATES = 100  # a passage's own candidates, at least (`_confirm_cap`)


def _confirmed_alone(checking: _Checking, window: _Stretch, judged: Judged) -> list[Match]:
    """The window's matches with each cross-case match that, looked up on
    its own, is a standard paragraph made template text (boilerplate).

    A check's candidates are capped (CheckParams.max_candidate_records) and
    ranked by the rare bands they share with the text, so in a document with
    much that is distinctive the records that share only a standard
    paragraph fall below the cap, and the few that are left made it look
    like one case's text: a ninth blind generator's MARAC paragraph, which
    79 cases' records hold, was flagged at similarity 1.0 in 9 of the 66
    documents that had it. Each flagged passage (with `_CONFIRM_MARGIN` words
    either side) is looked up as a text of its own, whose candidates are the
    records that share it, and a match it holds is template text if that
    many cases hold it word for word (`held_whole`; a household's cases
    counting as one). Judging the passage
    again among those candidates by every rule cleared real copies as well
    (a tenth generator's stock sentences with a family's names and dates:
    the closest records to a passage share its frames and its commonest
    names), so only a passage held whole is cleared.
    """
    matches = judged.matches
    starts = window.words.starts
    flagged = sorted(
        (*word_span(window.words, m.start, m.end), n)
        for n, m in enumerate(matches)
        if m.status == "cross_case"
    )
    passages: list[tuple[int, int, list[tuple[int, int, int]]]] = []
    for first, end, number in flagged:
        if passages and first <= passages[-1][1] + _CONFIRM_MARGIN:
            low, high, members = passages[-1]
            passages[-1] = (low, max(high, end), [*members, (first, end, number)])
        else:
            passages.append((first, end, [(first, end, number)]))
    params = checking.params
    alone = replace(params, max_candidate_records=_confirm_cap(params))
    template: set[int] = set()
    for first, end, members in passages[:_MAX_CONFIRMED]:
        low, high = max(0, first - _CONFIRM_MARGIN), min(len(starts), end + _CONFIRM_MARGIN)
        if low == 0 and high == len(starts):
            continue  # the passage is the whole window: looked up alone already
        part = window.part(low, high).words
        found = _candidates(checking, part.ids, alone)
        spans = [(start - low, stop - low) for start, stop, _ in members]
        people = [judged.people[number] for _, _, number in members]
        named = [None if marks is None else marks[low:high] for marks in people]
        held = held_whole(found, part, _judge(checking, params), spans, named)
        template.update(
            number for (_, _, number), whole in zip(members, held, strict=True) if whole
        )
    return [
        replace(match, status="boilerplate") if number in template else match
        for number, match in enumerate(matches)
    ]


def _confirm_cap(params: CheckParams) -> int:
    """Candidates of a passage looked up on its own (`_confirmed_alone`).

    >>> _confirm_cap(CheckParams()), _confirm_cap(CheckParams(max_candidate_records=40))
    (100, 40)
    """
    cap = params.max_candidate_records
    return min(cap, max(_CONFIRM_CANDIDATES, cap // 4))


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
