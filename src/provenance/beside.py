"""Another family's sentences beside its copy: part of the copy; and whole
sentences only that family holds: a copy on their own
(`sentences_held_alone`).

A copier who takes a family's sentence with its child's date of birth takes
the sentences around it as well. "Zainab was detained under Section 2 of the
Mental Health Act on Thursday 15th January 2026 at the Meadowbank Centre" is a
frame every family's minutes fill, and its name, date and unit are each held
by several families, so on its own it is template text, and a copy shorter
than `CheckParams.min_words` is judged only when it names that family.
Word for word, with every detail in place, only that family's record holds
it. Beside that family's flagged copy it is part of the copy, and a reviewer
redacting the flagged passages must see it (a fifteenth blind generator's
merged copies, and its copies whose sentences were each cut after the main
clause).

A sentence of the checked text near a copy from case C (`REACH` words) is
C's copy too when all of these hold:
- one record of C holds it whole, and no other case's record does; the
  receiving family's own text is held by its own case;
- it is whole sentences of the text, at least `min_words_with_name` words:
  the receiving family's own sentence that ends like one of C's starts with
  its own child's name;
- it names someone or somewhere the receiving family's records never do, or
  holds a figure such as a date (`Judged.particulars`): a stock sentence of
  pooled observations ("the fridge held a pint of milk, a jar of mayonnaise
  and some yoghurts that were out of date") is anyone's, however few records
  hold it whole;
- standard sentences at either end that many cases hold whole are left out.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np

from provenance.arrays import contained_in, distinct
from provenance.candidates import Candidates
from provenance.holders import Holders
from provenance.judge import Judge, Judged
from provenance.models import Match
from provenance.normalize import word_stem
from provenance.passages import word_span
from provenance.shingle import word_ids
from provenance.sources import exact_run_match
from provenance.store import RecordWords
from provenance.together import sentence_numbers

# How far, in words, a sentence may lie from its family's copy and be taken as
# part of it: a sentence or two of the receiving family's own between.
# Farther away, a stock sentence that happens to carry a date of that
# family's is as likely the receiving family's own.
REACH = 50

Span = tuple[int, int]  # words [first, end) of the checked text


def beside_copies(
    matches: list[Match],
    copies_and_cleared: tuple[list[Match], list[Match]],
    judged: Judged,
    found: Candidates,
    words: RecordWords,
    judge: Judge,
) -> list[Match]:
    """`matches` (one window's), with the template ones that are sentences of
    a family's copy (the window's cross-case matches) made that family's
    copies, and a match for each sentence beside a copy that no match took
    in (see the module). Passages a second look cleared as template text
    (`match._confirmed_alone`, the `cleared` matches) stay so: the crowd of
    records holding them fell below the window's candidate cap."""
    copies, cleared = copies_and_cleared
    near: dict[str, list[Span]] = {}
    for copy in copies:
        near.setdefault(copy.source.case_id, []).append(word_span(words, copy.start, copy.end))
    sentence = sentence_numbers(judge.text, words.starts, words.ends)
    beside = _Beside(judged, sentence, judge, [word_span(words, m.start, m.end) for m in cleared])
    again = []
    for match in matches:
        case = match.source.case_id
        if match.status == "boilerplate" and case in near:
            first, end = word_span(words, match.start, match.end)
            held = beside.held_by(case, (first, end), near[case])
            if held is not None:
                match = _copy_of(match, held, (first, end), words, judge.text)
        again.append(match)
    taken = [word_span(words, m.start, m.end) for m in again if m.status == "cross_case"]
    return again + _sentences_beside(near, taken, beside, found, words)


class _Beside:
    """Whether a span of the checked text is one case's alone (`held_by`)."""

    def __init__(
        self, judged: Judged, sentence: np.ndarray, judge: Judge, cleared: list[Span]
    ) -> None:
        self.holders, self.case_number = judged.holders, judged.case_number
        self.particulars, self.sentence, self.cleared = judged.particulars, sentence, cleared
        self.threshold, self.text = judge.threshold, judge.text
        self.min_words = judge.params.min_words_with_name

    def held_by(self, case: str, span: Span, copies: list[Span]) -> Span | None:
        """The part of `span` that is `case`'s copy (see the module), or None."""
        if not _within_reach(span, copies):
            return None  # what is left of it after trimming is no nearer
        held = _held_by_one(
            span, self.sentence, self.holders, self.case_number[case], self.threshold
        )
        if (
            held is None
            or held[1] - held[0] < self.min_words
            or not self.particulars[held[0] : held[1]].any()
            or not _whole_sentences(held, self.sentence)
            or not _near(held, copies)
            or any(held[0] < end and start < held[1] for start, end in self.cleared)
        ):
            return None
        return held


def _sentences_beside(
    near: dict[str, list[Span]],
    taken: list[Span],
    beside: _Beside,
    found: Candidates,
    words: RecordWords,
) -> list[Match]:
    """A cross-case match for each sentence of the checked text near a copy
    (`near`, per case) that no cross-case match takes in (`taken`) and that
    is that case's (`_Beside.held_by`), taken word for word from one of its
    records: a sentence cut after its main clause aligns on its own, too
    short to be judged."""
    sentence = beside.sentence
    if len(sentence) == 0:
        return []
    bounds = np.flatnonzero(np.diff(sentence)) + 1
    firsts, ends = np.r_[0, bounds].tolist(), np.r_[bounds, len(sentence)].tolist()
    found_matches = []
    for first, end in zip(firsts, ends, strict=True):
        if any(first < stop and start < end for start, stop in taken):
            continue
        for case, copies in near.items():
            held = beside.held_by(case, (first, end), copies)
            if held is None:
                continue
            match = _word_for_word(found, words, case, held, beside.text)
            if match is not None:
                found_matches.append(match)
                break
    return found_matches


def _word_for_word(
    found: Candidates, words: RecordWords, case: str, span: Span, text: str
) -> Match | None:
    """A cross-case match of words `span` from the first record of `case`
    with an exact run (`Candidates.runs`) that takes them in; None if none."""
    runs = found.runs
    first, end = span
    whole = (runs.query_start <= first) & (runs.query_start + runs.words() >= end)
    for number in np.flatnonzero(whole).tolist():
        if found.records[int(runs.source[number])].info.case_id == case:
            return exact_run_match(found, words, text, number, span)
    return None


def _held_by_one(
    span: Span, sentence: np.ndarray, holders: Holders, case: int, threshold: int
) -> Span | None:
    """The words of `span` without whole sentences at either end that
    `threshold` cases or the checked text's own case hold whole
    (`_trimmed`), when one part of `case` alone holds what is left whole;
    else None."""
    first, end = _trimmed(span, sentence, holders, threshold)
    if first >= end or holders.cases_holding_whole(first, end).tolist() != [case]:
        return None
    return first, end


def _trimmed(span: Span, sentence: np.ndarray, holders: Holders, threshold: int) -> Span:
    """`span` without the whole sentences at either end that `threshold`
    cases or the checked text's own case hold whole: standard sentences."""
    first, end = span
    while first < end:
        last = first + int(np.searchsorted(sentence[first:end], sentence[first], "right"))
        if not holders.whole_span_held(first, last, threshold):
            break
        first = last
    while first < end:
        start = first + int(np.searchsorted(sentence[first:end], sentence[end - 1], "left"))
        if not holders.whole_span_held(start, end, threshold):
            break
        end = start
    return first, end


def _near(span: Span, copies: list[Span]) -> bool:
    """Whether words [first, end) lie within `REACH` words of one of
    `copies` without lying inside it: a passage inside a copy is already
    flagged with it."""
    first, end = span
    inside = any(start <= first and end <= stop for start, stop in copies)
    return not inside and _within_reach(span, copies)


def _within_reach(span: Span, copies: list[Span]) -> bool:
    """Whether words [first, end) lie within `REACH` words of one of `copies`."""
    first, end = span
    return any(first - REACH <= stop and start - REACH <= end for start, stop in copies)


def _whole_sentences(span: Span, sentence: np.ndarray) -> bool:
    """Whether words [first, end) start and end sentences (`sentence`
    numbers each word's): a copier takes sentences whole, while the
    receiving family's own sentence that ends like one of another
    family's starts with its own child's name."""
    first, end = span
    return (first == 0 or sentence[first - 1] != sentence[first]) and (
        end == len(sentence) or sentence[end] != sentence[end - 1]
    )


def sentences_held_alone(judged: Judged, words: RecordWords, judge: Judge) -> Judged:
    """`judged`, with each template match that takes in words of at least
    `CheckParams.min_sentences_alone` (2) sentences of the checked text,
    `min_words` words or more, held whole by one part of one other case's
    record (or sentence by sentence by its parts: sentences reordered) and
    by no other case, naming someone the receiving family never names or
    holding a figure (`Judged.particulars`), made that case's copy.

    A store written in stock sentences whose slots are filled from small
    pools (a child's first name, a count, a month, a brand of lager) has
    each word, and each sentence's frame, in many families' records, so a
    verbatim copy of two such sentences carries no detail only its record
    holds: every word is template text and the run's details are its
    sequence alone, under the bar (a sixteenth blind generator's "Freya
    arrived at school with head lice on 2 occasions in July ... There were
    14 empty cans of Stella ... within reach of Freya": template text from
    the right record at similarity 1.0). Filled as that record fills them,
    in its order, only that family holds the sentences. One sentence alone
    is not enough: the receiving family's own stock sentence with a date
    or a place another family's also has ("The next core group meeting
    will take place on 1 February 2026 at the Ravensholme children's
    centre") is held by one other case as often; across a sentence joint
    the coincidence must run on. Standard sentences at either end are
    trimmed off first, as for sentences beside a copy. The copy may start
    and end inside a sentence (a copy of 25 to 40 words cut from a
    paragraph): held whole by one family across a sentence joint, the cut
    does not make it the receiving family's own.

    One whole sentence of `min_words_with_name` words is enough when it
    names a person by a full name that only that case's records write
    (`Judged.named_by_one`): each name is in several families' notes, the
    person is one family's. And a span counts as held whole where the
    record differs from it only in the narrator's words and common
    abbreviations (`narration_words`): a first-person note re-told in a
    plan in the third person, "Mum" written "mother".
    """
    fewest = judge.params.min_sentences_alone
    sentence = sentence_numbers(judge.text, words.starts, words.ends)
    if fewest == 0 or len(sentence) == 0:
        return judged
    alone = _HeldAlone(judged, sentence, words, judge)
    again = []
    for match in judged.matches:
        case = match.source.case_id
        number = judged.case_number.get(case)
        if match.status == "boilerplate" and case != judge.case_id and number is not None:
            span = word_span(words, match.start, match.end)
            held = alone.held_by(span, number)
            if held is not None:
                match = _copy_of(match, held, span, words, judge.text)
        again.append(match)
    return replace(judged, matches=again)


# Words a copier changes without changing whose the account is; nothing else
# is excused (`_HeldAlone.held_by`). Who tells a note: a visit note in the
# first person ("I saw Tia alone") is re-told in a plan in the third ("The
# social worker saw Tia alone"). And the abbreviations case notes use and
# plans spell out, or the other way round ("Mum" / "mother", "the CP plan" /
# "the child protection plan", "SW", "HV", "GP" / "doctor", "DV" / "domestic
# abuse"). Not "he" or "she": a child's pronouns are the child's, and two
# families' stock sentences that differ only in them ("and that he shares a
# tin of beans with the younger children") are two children's.
_NARRATION = (
    "i", "me", "my", "myself", "we", "us", "our", "the", "a",
    "social", "worker", "workers", "sw", "writer",
)  # fmt: skip
_ABBREVIATIONS = (
    "mum", "mother", "mam", "cp", "child", "protection", "hv", "health", "visitor",
    "gp", "doctor", "dv", "domestic", "abuse", "violence",
)  # fmt: skip


@functools.lru_cache(maxsize=8)
def _narration_ids(key: bytes) -> np.ndarray:
    return distinct(
        np.asarray(
            word_ids([word_stem(w) for w in (*_NARRATION, *_ABBREVIATIONS)], key), dtype=np.int64
        )
    )


def narration_words(ids: np.ndarray, key: bytes) -> np.ndarray:
    """Per word of a text (word ids): whether a copier may have changed it
    without changing whose the text is (`_NARRATION`, `_ABBREVIATIONS`)."""
    return contained_in(ids.astype(np.int64), _narration_ids(key))


def _with_words_between(excused: np.ndarray, particulars: np.ndarray) -> np.ndarray:
    """`excused`, with each word that stands between two excused words and is
    no name or figure (`particulars`): "asked" in "the social worker asked the
    mother to", which the note wrote "I asked Mum to". Alone between two
    changed stretches it is in no run of shared words, so no part covers it.

    >>> _with_words_between(np.array([1, 0, 1, 0, 0], bool), np.zeros(5, bool)).tolist()
    [True, True, True, False, False]
    """
    between = np.zeros(len(excused), dtype=bool)
    between[1:-1] = excused[:-2] & excused[2:] & ~particulars[1:-1]
    widened: np.ndarray = excused | between
    return widened


class _HeldAlone:
    """The part of a span that one case alone holds (`sentences_held_alone`).

    A standard paragraph aligns with hundreds of records in one window, each
    a template match over the same span: each span is trimmed, and each
    stretch's holders looked up, once (it made a check 40% slower)."""

    def __init__(
        self, judged: Judged, sentence: np.ndarray, words: RecordWords, judge: Judge
    ) -> None:
        self.holders, self.sentence, self.threshold = judged.holders, sentence, judge.threshold
        self.particulars = judged.particulars
        self.named_by_one = judged.named_by_one
        self.narration = _with_words_between(
            narration_words(words.ids, judge.hashing_key), judged.particulars
        )
        self.min_words, self.fewest = judge.params.min_words, judge.params.min_sentences_alone
        self.min_named_words = judge.params.min_words_with_name
        self.trimmed: dict[Span, Span] = {}
        self.holding: dict[Span, list[int]] = {}

    def held_by(self, span: Span, case: int) -> Span | None:
        """`span` without standard sentences at either end (`_trimmed`), when
        `case` alone holds it whole (in one part, in one part but for
        narration words, or sentence by sentence), and it is long enough, of
        enough sentences and has a particular, or is a sentence naming a
        person only `case` names (`_named`)."""
        first, end = span
        if end - first < self.min_words or not bool(self.particulars[first:end].any()):
            return None
        if span not in self.trimmed:
            self.trimmed[span] = _trimmed(span, self.sentence, self.holders, self.threshold)
        held = self.trimmed[span]
        if not (self._may_be(held) or self._named(held)):
            return None
        if self._holders(held) == [case]:
            return held
        if self.holders.cases_holding_but(*held, self.narration).tolist() == [case]:
            return held
        first, end = held
        sentence = self.sentence
        while first < end:
            stop = first + int(np.searchsorted(sentence[first:end], sentence[first], "right"))
            if self._holders((first, stop)) != [case]:
                return None
            first = stop
        return held

    def _may_be(self, span: Span) -> bool:
        first, end = span
        return (
            end - first >= self.min_words
            and bool(self.particulars[first:end].any())
            and len(np.unique(self.sentence[first:end])) >= self.fewest
        )

    def _named(self, span: Span) -> bool:
        first, end = span
        return (
            self.named_by_one is not None
            and end - first >= self.min_named_words
            and bool(self.named_by_one[first:end].any())
            and _whole_sentences(span, self.sentence)
        )

    def _holders(self, span: Span) -> list[int]:
        if span not in self.holding:
            self.holding[span] = self.holders.cases_holding_whole(*span).tolist()
        return self.holding[span]


def _copy_of(match: Match, held: Span, span: Span, words: RecordWords, text: str) -> Match:
    """Template `match` over words `span`, made a copy of the words `held` of it."""
    start, stop = int(words.starts[held[0]]), int(words.ends[held[1] - 1])
    share = (held[1] - held[0]) / max(1, span[1] - span[0])
    return replace(
        match,
        start=start,
        end=stop,
        text=text[start:stop] if text else "",
        status="cross_case",
        matched_words=max(1, round(match.matched_words * share)),
    )
