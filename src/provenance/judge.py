"""Judging one window of a checked text: which aligned regions are copies, and of whose case.

align the candidates (sources.py) -> which cases hold each word, in context
(holders.py) -> how much each word says about another family (details.py,
initials.py) -> the copied words of each region (evidence.py) -> a match
per region: cross_case, same_case or boilerplate (`classify_hit`);
then copies cut in two and placed apart (scattered.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from provenance.align import Region, SharedWords, exact_runs
from provenance.candidates import Candidates
from provenance.config import CheckParams
from provenance.details import (
    date_spans,
    detail_weights,
    held_by_other_cases,
    number_cases,
    rare_birth_dates,
    rare_places,
    rare_references,
    words_in,
)
from provenance.evidence import (
    MAX_RUN_GAP,
    Evidence,
    copied_words,
    may_be_short_copy,
    narrow,
    wide_enough,
)
from provenance.holders import Holders
from provenance.identity import identity_matches
from provenance.initials import abbreviated_names, with_initials
from provenance.models import Match, MatchStatus
from provenance.names import WordMarks
from provenance.passages import word_span, words_between
from provenance.scattered import Pieces, SentenceCuts, scattered_pieces
from provenance.shingle import UInt32Array
from provenance.sources import SourceHit, aligned_hits, source_span
from provenance.store import RecordWords
from provenance.together import (
    household_naming,
    names_together,
    pooled_words,
    sentence_numbers,
    sources_naming_people,
)

_MIN_PIECE_WORDS = 8  # words each piece of a copy cut in two needs (scattered.py)
_MAX_SPLICES = 6  # pairs of pieces one window of a text may splice and judge


@dataclass(frozen=True)
class Judge:
    """What judging a window's regions takes besides its candidates and words."""

    case_id: str  # the case the text is for
    params: CheckParams
    text: str  # quoted in matches ("" when auditing from word ids alone)
    threshold: int  # cases that make a word template (`boilerplate_threshold`)
    hashing_key: bytes  # the index's word-id key (`rare_birth_dates`)


def held_whole(
    found: Candidates,
    query: RecordWords,
    judge: Judge,
    spans: list[tuple[int, int]],
    people: list[np.ndarray | None],
) -> list[bool]:
    """Whether each word span of `query` is held whole, every word of it, by
    the text's own case or by `judge.threshold` cases among `found`
    (`Holders.every_word_held`): a standard paragraph, word for word in many
    families' records. A copy of a family's stock sentences keeps that
    family's names, dates or sums, which other records do not cover, and is
    held whole by its own case alone; a household's paragraph by its
    siblings' cases, which count as one: those that name the span's
    `people` (`Judged.people`) together, a household's few
    (`household_naming`)."""
    # Which cases hold which words is all it asks: no region is wide enough
    # to be kept as a hit, so none is compared word by word.
    no_hits = len(query.ids) + 1
    _, _, holders, (case_of_source, _) = _aligned_holders(found, query, judge, no_hits)
    number_of = _case_number(found, case_of_source)
    held = []
    for (start, end), named in zip(spans, people, strict=True):
        household = [] if named is None else household_naming(found, query.ids, named)
        numbers = np.array([number_of[case] for case in household], dtype=np.int64)
        held.append(holders.every_word_held(start, end, judge.threshold, numbers))
    return held


def _aligned_holders(
    found: Candidates, query: RecordWords, judge: Judge, hits_from: int | None = None
) -> tuple[list[SourceHit], SharedWords, Holders, tuple[list[int], int]]:
    """Every candidate aligned with `query`: its hits (regions of `hits_from`
    words or more; default min_words), what they share, which cases hold it
    (`Holders`), and each candidate's case as a number (`number_cases`)."""
    numbers = list(range(len(found.records)))
    hits, shared = aligned_hits(found, query.ids, numbers, judge.params, score_from=hits_from)
    case_of_source, cases = number_cases([r.info.case_id for r in found.records], judge.case_id)
    holders = Holders.of(shared, case_of_source, cases, len(query.ids), found.shingle_words)
    return hits, shared, holders, (case_of_source, cases)


@dataclass(frozen=True)
class Judged:
    """A window's matches, and what judging them found besides."""

    matches: list[Match]
    # Per match: the words naming people only its family names together
    # (`names_together`), if any: with siblings' cases, a household's paragraph.
    people: list[np.ndarray | None]
    shared: SharedWords  # what every region shares (`aligned_hits`)
    holders: Holders  # which cases hold it
    case_number: dict[str, int]  # each candidate's case as `holders` numbers it
    # Per word: a name the text's own case never writes (`detail_weights`),
    # or a figure (a date, a sum, a reference: `WordMarks.figures`).
    particulars: np.ndarray
    # Per word: a full name (two name words in a row) that one other case's
    # candidate records write and the text's own case never does.
    named_by_one: np.ndarray | None = None


def judged_matches(
    found: Candidates, query: RecordWords, marks: WordMarks | None, judge: Judge
) -> Judged:
    """The matches `query` makes with the candidates `found` (`Judged`)."""
    case_id, params, text, threshold = judge.case_id, judge.params, judge.text, judge.threshold
    hits, shared, holders, (case_of_source, cases) = _aligned_holders(found, query, judge)
    boilerplate, own_case_text = holders.word_by_word(threshold)
    detail_weight, identifying, unfamiliar, familiar, other_cases = detail_weights(
        found, query.ids, (case_of_source, cases), marks, params
    )
    births = rare_birth_dates(found, query.ids, (case_of_source, cases), judge.hashing_key)
    identifying |= births
    has_births = bool(births.any())
    if marks is not None:
        identifying |= rare_places(
            found, query.ids, (case_of_source, cases), (marks.places, marks.measurements)
        )
    # Another family's date of birth, house number or child's weight is as much
    # its name as a surname only it uses, though each word alone is common.
    detail_weight = np.where(
        identifying, np.maximum(detail_weight, params.name_weight), detail_weight
    )
    if marks is not None:
        # A long number only one other family holds (a crime reference, an NHS
        # number) says whose the sentence is as much as a whole named sentence.
        reference = rare_references(
            found,
            query.ids,
            (case_of_source, cases),
            (marks.references, marks.grouped_numbers),
        )
        identifying |= reference
        detail_weight = np.where(
            reference, np.maximum(detail_weight, params.min_details_with_name), detail_weight
        )
    dates = date_spans(query.ids, judge.hashing_key)
    hits += short_hits(
        found, query.ids, (identifying, unfamiliar & ~boilerplate, unfamiliar), params
    )
    abbreviated, together = (
        (
            abbreviated_names(hits, found, marks.initials, (case_of_source, cases), case_id),
            names_together(
                hits,
                found,
                query.ids,
                (marks.names, unfamiliar, marks.streets),
                case_id,
                dates,
                (
                    pooled_words(other_cases, cases, marks.names),
                    sentence_numbers(text, query.starts, query.ends),
                ),
            ),
        )
        if marks is not None
        else ([None] * len(hits), [None] * len(hits))
    )
    plain_weight = np.ones(len(query.ids), dtype=np.int64)
    no_names = np.zeros(len(query.ids), dtype=bool)
    not_others_content = boilerplate | familiar  # see Evidence.no_content
    named_or_dated = no_names
    figures = no_names
    reach = max(found.shingle_words - 1, params.context_words)
    if marks is not None:
        named_or_dated = marks.names | words_in(dates, len(query.ids))
        # Not the stock words beside the family's own names either, when they
        # are no name or date themselves (`beside_names`).
        beside = beside_names(familiar, found.shingle_words - 1)
        not_others_content |= beside & ~named_or_dated
        figures = marks.figures
    # Words this case's own records hold are no news to its family: they are
    # not that other case's details or sequence (word by word, or in context).
    common_by_word = boilerplate | own_case_text
    # The same standard paragraph aligns with hundreds of records in one check:
    # its copied words are judged once per region shape and kind of evidence.
    copied_by_shape: dict[tuple[object, ...], np.ndarray | None] = {}
    matches: list[Match] = []
    people_named: list[np.ndarray | None] = []
    if marks is not None:
        # A name with its date of birth, a crime reference: a copy however short,
        # unless as many cases hold the reference as hold a template. The name
        # may be common: with the date of birth it is one child.
        matches = identity_matches(
            found,
            query,
            text,
            case_id,
            (reference & ~boilerplate, births, unfamiliar & marks.names),
        )
        people_named = [None] * len(matches)
    for hit, initials, people in zip(hits, abbreviated, together, strict=True):
        from_own_case = hit.record.info.case_id == case_id
        weight, names_of_others, unfamiliar_names, no_content = (
            (plain_weight, no_names, no_names, boilerplate)
            if from_own_case
            else (detail_weight, identifying, unfamiliar, not_others_content)
        )
        region = hit.region
        if not from_own_case and has_births:
            # Another child's birthday ("date of birth 8 May 2018" against the
            # copied "8 May 2025") is no date of birth of this record's family:
            # the region must take in the whole date.
            names_of_others = names_of_others & ~partly_covered(births, region.covered)
        # An initial facing another family's name counts as that name, shared;
        # so do people only that family names together, and the group of them
        # says whose the sentence is as a crime reference does.
        names_found = _either(initials, people)
        if initials is not None:
            region = with_initials(region, initials)
        if names_found is not None:
            weight = np.where(names_found, np.maximum(weight, params.name_weight), weight)
            if people is not None:
                lead = int(np.argmax(people))  # the group's first name stands for it
                weight[lead] = max(int(weight[lead]), params.min_details_with_name)
            names_of_others = names_of_others | names_found
            unfamiliar_names = unfamiliar_names | names_found
            no_content = no_content & ~names_found
        if narrow(region, params) and not may_be_short_copy(
            region, names_of_others, unfamiliar | unfamiliar_names
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
        if names_found is None and shape in copied_by_shape:
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
            if not from_own_case:
                common = common | _own_frame(
                    hit.region, (familiar, figures, named_or_dated), reach, common
                )
            if names_found is not None:
                template, common = template & ~names_found, common & ~names_found
            evidence = Evidence(
                common, template, no_content, weight, names_of_others, unfamiliar_names
            )
            copied = copied_words(region, evidence, params)
            if names_found is None:  # a hit with names found has evidence of its own
                copied_by_shape[shape] = copied
        match = classify_hit(
            hit if region is hit.region else replace(hit, region=region),
            case_id,
            query,
            text,
            copied,
            params,
        )
        if match is not None:
            matches.append(match)
            people_named.append(people)
    case_number = _case_number(found, case_of_source)
    named_by_one = None
    if marks is not None:
        pairs = np.flatnonzero(marks.names[:-1] & marks.names[1:] & ~marks.after_stop[1:])
        named_by_one = (
            held_by_other_cases(
                found, query.ids.astype(np.int64), pairs, 2, (case_of_source, cases), 1
            )
            & marks.names
        )
    return Judged(
        matches, people_named, shared, holders, case_number, unfamiliar | figures, named_by_one
    )


def _case_number(found: Candidates, case_of_source: list[int]) -> dict[str, int]:
    """Each candidate's case id and its number (`number_cases`)."""
    return {
        record.info.case_id: number
        for record, number in zip(found.records, case_of_source, strict=True)
    }


def partly_covered(marked: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """The words of each run of consecutive `marked` words that the word
    positions `covered` take in only in part.

    >>> marked = np.array([0, 1, 1, 1, 0, 1, 1], dtype=bool)
    >>> partly_covered(marked, np.array([1, 2, 3, 5])).astype(int).tolist()
    [0, 0, 0, 0, 0, 1, 1]
    """
    taken = np.zeros(len(marked), dtype=bool)
    taken[covered[covered < len(marked)]] = True
    starts = marked & ~np.r_[False, marked[:-1]]
    run = np.cumsum(starts)  # each marked word's run, numbered from 1
    short = np.unique(run[marked & ~taken])
    partly: np.ndarray = marked & np.isin(run, short)
    return partly


def beside_names(names: np.ndarray, reach: int) -> np.ndarray:
    """The words within `reach` of a word `names` marks, not those words.

    A name the receiving family writes that another family's record writes
    too (two families each with a Kacper) makes the stock words beside it
    look like that record's alone, for no record without a Kacper shares a
    shingle over them; so a stock plan sentence ("has Kacper every
    Saturday") was that record's content, and the family's own new plan,
    in the same stock sentences, was flagged as a copy of it. They are no
    content (`Evidence.no_content`), though they still count as details.

    >>> beside_names(np.array([0, 0, 1, 0, 0, 0, 1], dtype=bool), 2).astype(int).tolist()
    [1, 1, 0, 1, 1, 1, 0]
    """
    beside = np.zeros(len(names), dtype=bool)
    at = np.flatnonzero(names)
    for step in range(1, reach + 1):
        beside[np.clip(at - step, 0, None)] = True
        beside[np.clip(at + step, None, len(names) - 1)] = True
    near: np.ndarray = beside & ~names
    return near


def _own_frame(
    region: Region,
    marks: tuple[np.ndarray, np.ndarray, np.ndarray],
    reach: int,
    common: np.ndarray,
) -> np.ndarray:
    """Stock words beside the family's own names that the region shares with
    its record (two families each with a Kacper), when the region's figures
    differ from the record's (a figure of the text inside its span that it
    does not cover, and none it does cover but template, `common`): the
    family's own new text in stock sentences that another family with the
    same names has too, not a copy of it. `marks`: the family's names, the
    figures, and the words exempt (names, dates); `reach`: words either side
    of a name that only records with it hold in context."""
    familiar, figures, exempt = marks
    covered = region.covered
    none = np.zeros(len(familiar), dtype=bool)
    shared = covered[familiar[covered]]
    if len(shared) == 0:
        return none
    span = np.zeros(region.query_end - region.query_start, dtype=bool)
    span[covered - region.query_start] = True
    if not (figures[region.query_start : region.query_end] & ~span).any():
        return none  # the same figures: a copy, or no figures to tell
    if (figures[covered] & ~common[covered]).any():
        return none  # a date or a log number of the record's kept: a copy
    names = none.copy()
    names[shared] = True
    near: np.ndarray = beside_names(names, reach) & ~familiar & ~exempt
    return near


def _either(first: np.ndarray | None, second: np.ndarray | None) -> np.ndarray | None:
    """Words either mask marks; None if neither marks any."""
    if first is None or second is None:
        return second if first is None else first
    both: np.ndarray = first | second
    return both


def scattered_matches(
    found: Candidates,
    shared: SharedWords,
    holders: Holders,
    cuts: SentenceCuts,
    query: RecordWords,
    marks: WordMarks | None,
    matches: list[Match],
    judge: Judge,
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
    flagged = [word_span(query, m.start, m.end) for m in matches if m.status == "cross_case"]
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
        judged = judged_matches(replace(found, runs=runs), spliced, spliced_marks, judge).matches
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
    """A match of a spliced passage (`scattered_matches`) cut into one
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
    words = [words_between(query, start, end) for start, end in spans]
    if min(words) < _MIN_PIECE_WORDS:
        return []  # a few words over the joint: the record's next line, not a piece
    return [(start, end, count) for (start, end), count in zip(spans, words, strict=True)]


def short_hits(
    found: Candidates,
    ids: UInt32Array,
    names: tuple[np.ndarray, np.ndarray, np.ndarray],
    params: CheckParams,
) -> list[SourceHit]:
    """Regions narrower than min_words that may be a short copy (`short_copy`):
    those of the candidates whose exact runs take in another family's name
    (`names[0]`), or who share a run of min_words_with_name words or more,
    word for word, with an unfamiliar name in it that is not template text
    even on its own (`names[1]`), or with unfamiliar names of two people or
    more, template or not (`names[2]`; together.names_together decides).

    Aligned apart from the wide regions, and only for those candidates:
    keeping every candidate's narrow regions made a check a third slower.
    """
    shortest = params.shortest_match()
    identifying, unfamiliar, any_unfamiliar = names
    if shortest >= params.min_words or not (identifying.any() or any_unfamiliar.any()):
        return []
    sources, positions = found.runs.positions()
    long_sources, long_positions = found.runs.positions(min_words=shortest)
    named = any_unfamiliar[long_positions]
    numbers = np.union1d(
        np.union1d(sources[identifying[positions]], long_sources[unfamiliar[long_positions]]),
        sources_naming_people(long_sources[named], long_positions[named], len(ids)),
    ).tolist()
    if not numbers:
        return []
    hits, _ = aligned_hits(found, ids, numbers, params, score_from=shortest)
    return [hit for hit in hits if narrow(hit.region, params)]


def classify_hit(
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
        source=source_span(hit, source_start, source_end),
        matched_words=matched,
    )
