"""People named together: another family's people, where no one name gives them away.

Used when judging a window's regions (`judge.judged_matches`). In a store of
hundreds of families first names recur, and stock sentences recur with
them: "Maisie completed a three houses exercise with me, placing Yvonne and
Mandy in her house of good things" has each name in several families'
records, in that very frame, so word by word and in context it is template
text. What only one family's records hold is the three of them together.

One family, not always one case: a trust opens a case for each child, and a
household's paragraph (the police call-out to the family home, the mother's
prescriptions) is in each sibling's case. Counted case by case, three
siblings and the receiving family were as many holders as a standard
paragraph has; the few cases that alone name the people in it are one
household, and count as one.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np

from provenance.arrays import distinct
from provenance.candidates import Candidates
from provenance.details import HOUSEHOLD_CASES, cases_holding, phrases_at, words_in
from provenance.sources import SourceHit

MIN_PEOPLE = 2  # people a region must name together
MAX_APART = 12  # words between two names of one group (about a sentence)
# Most cases expected to name the group together by chance (`_chance`).
# Measured on 19 kept stores (2,700 planted copies): 0.3 found 6 more copies
# and no false flag; 1.0 found 10 more and made 3 false flags; no limit 12
# and 4. The false flags' groups scored 0.45 to 1.2.
MAX_CHANCE = 0.3
# The most for a date and one other detail alone: a worker visits two families on
# one day and writes both visits in the same frame ("Unannounced home visit by
# Rhiannon Kettlewell" on 3 July), so a worker's name and a date are a weak pair.
# Measured on 19 kept stores and the eleventh generator: dates at 0.3 found 9 and 7
# more copies and flagged a clean health summary ("Dr Chaudhry", in 15 of 119
# cases, and a date one other case holds: 0.13); at 0.1, 5 and 4, and no flag.
MAX_CHANCE_DATED_PAIR = 0.1
# People in a group beyond which `_chance` takes no pair's joint share: with
# this many, the other people's shares alone make chance negligible, and a
# list of hundreds of names would otherwise cost tens of thousands of pairs.
_MAX_PAIRED = 8
_NAME, _WORDS = -1, -2  # kinds of detail in a group besides dates (`_close_details`)
# Plain words count as a detail when at most this share of the candidates' other
# cases hold them: "piles of unwashed clothes on the landing" from a pool of such.
POOLED_SHARE = 0.25
# Two units are one clue when this share of the cases holding the rarer hold both.
_ONE_CLUE = 0.8


@dataclass(frozen=True)
class _Group:
    """The details of one group: their positions in the checked text, and
    the people and dates they are, each as its columns of the candidates'
    holdings (`_Holdings`: a person's words, or a date)."""

    positions: np.ndarray
    people: list[tuple[int, ...]]
    words: list[tuple[int, ...]] = field(default_factory=list)  # pooled words' runs

    def units(self) -> list[tuple[int, ...]]:
        return self.people + self.words


@dataclass(frozen=True)
class _Holdings:
    """Which candidate records hold each name word and each date of the text.

    Columns: the name words' ids (`keys`, ascending), then one per date
    (`dates`: start, words) of the text, so that a person is the columns of
    their words and a date is one column."""

    keys: np.ndarray
    ordinary: np.ndarray  # per key: a candidate writes it without a capital
    dates: np.ndarray
    holds: np.ndarray  # holds[record, column]

    def person(self, ids: np.ndarray, run: np.ndarray) -> tuple[int, ...]:
        return tuple(np.searchsorted(self.keys, ids[run].astype(np.int64)).tolist())

    def date(self, number: int) -> tuple[int, ...]:
        return (len(self.keys) + number,)


def names_together(
    hits: list[SourceHit],
    found: Candidates,
    ids: np.ndarray,
    names: tuple[np.ndarray, np.ndarray, np.ndarray],
    case_id: str,
    dates: np.ndarray | None = None,
    pooled: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[np.ndarray | None]:
    """For each hit of another case than `case_id` (the text's), the names
    its region covers (`names[0]`: names.name_like) of people the text's own
    case never names (with a name its records never write, `names[1]`:
    `details.detail_weights`), and the dates (`dates`: start and words,
    details.date_spans) no record of the text's own case writes, at most
    `MAX_APART` words apart, when they are at least `MIN_PEOPLE` people or
    dates, the hit's case is one of at most `HOUSEHOLD_CASES` whose
    candidate records hold them all (when more than one, not counting a
    street's name, `names[2]`: names.street_words), and the candidates'
    cases make it unlikely that a family holds them together by chance
    (`_chance`): that family's people and days, together. None if none.
    With a date, the group also takes in the runs of pooled words
    (`pooled[0]`: `pooled_words`) in the date's sentence (`pooled[1]`:
    `sentence_numbers`), runs that go together counting as one
    (`_one_clue_each`): what was seen on that day ("dog mess on the kitchen
    floor and piles of unwashed clothes on the landing"), each observation
    from a pool, and the day and the observations one family's together.

    Records, not cases: two families each with a Maisie and a Yvonne have
    never written both in one record unless one copied the other; nor has a
    family whose child is a Reece written "Reece was released on bail on 21
    September 2023" unless it was that family's day. A few cases, not one: a
    household's paragraph is in each sibling's case.
    """
    streets = names[2]
    case_of_record = [record.info.case_id for record in found.records]
    case_number = {case: number for number, case in enumerate(sorted(set(case_of_record)))}
    record_case = np.array([case_number[case] for case in case_of_record], dtype=np.int64)
    spans = _covered_dates(hits, dates, case_id)
    date_holds = _records_holding_dates(found, ids, spans)
    if case_id in case_number and len(spans):
        unheard = ~date_holds[record_case == case_number[case_id]].any(axis=0)
        spans, date_holds = spans[unheard], date_holds[:, unheard]
    plain = np.zeros(len(ids), dtype=bool) if pooled is None else pooled[0].copy()
    sentences = np.zeros(len(ids), dtype=np.int64) if pooled is None else pooled[1]
    if dates is not None:
        plain &= ~words_in(dates, len(ids))  # a date is a detail of its own
    # The same standard paragraph aligns with hundreds of records: one look per shape.
    close_by_shape: dict[bytes, list[tuple[np.ndarray, list[int], list[np.ndarray]]]] = {}
    close_of: list[list[tuple[np.ndarray, list[int], list[np.ndarray]]]] = []
    for hit in hits:
        shape = hit.region.covered.tobytes()
        if hit.record.info.case_id == case_id:
            close_of.append([])
            continue
        if shape not in close_by_shape:
            close_by_shape[shape] = _close_details(
                hit, names[:2], spans, (plain, sentences), case_id
            )
        close_of.append(close_by_shape[shape])
    named = [ids[group].astype(np.int64) for close in close_of for group, _, _ in close]
    named += [
        ids[run].astype(np.int64) for close in close_of for _, _, runs in close for run in runs
    ]
    if not any(close_of):
        return [None] * len(hits)
    keys = distinct(np.concatenate(named)) if named else np.zeros(0, dtype=np.int64)
    name_holds, ordinary = _records_holding(found, keys)
    held = _Holdings(keys, ordinary, spans, np.hstack([name_holds, date_holds]))
    marks: list[np.ndarray | None] = []

    def cases_naming(group: _Group) -> np.ndarray:
        columns = [column for unit in group.units() for column in unit]
        return np.unique(record_case[held.holds[:, columns].all(axis=1)])

    for hit, close in zip(hits, close_of, strict=True):
        mark = None
        for positions, days, words in close:
            group = _people(positions, ids, held, days, words)
            naming = cases_naming(group)
            if len(naming) > 1:
                # A household's? Neighbours share a street as siblings share a
                # home: only the people in it can tell.
                group = _people(positions[~streets[positions]], ids, held, days, words)
                naming = cases_naming(group)
            if not group.people or len(naming) > HOUSEHOLD_CASES:
                continue
            units = group.people + _one_clue_each(group.words, held.holds, record_case)
            if len(units) < MIN_PEOPLE:
                continue
            if case_number[hit.record.info.case_id] not in naming:
                continue
            # A household's cases are one family: by chance, it names them once.
            one_family = np.where(np.isin(record_case, naming), naming[0], record_case)
            dated_pair = len(units) == MIN_PEOPLE and bool(days)  # pooled words come with one
            most = MAX_CHANCE_DATED_PAIR if dated_pair else MAX_CHANCE
            if _chance(units, held.holds, one_family) >= most:
                continue
            mark = np.zeros(len(ids), dtype=bool) if mark is None else mark
            mark[group.positions] = True
        marks.append(mark)
    return marks


def _covered_dates(hits: list[SourceHit], dates: np.ndarray | None, case_id: str) -> np.ndarray:
    """The dates (start, words) that a region of another case's hit covers,
    every word of them."""
    if dates is None or len(dates) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    covered = np.zeros(int((dates[:, 0] + dates[:, 1]).max()) + 1, dtype=bool)
    for hit in hits:
        if hit.record.info.case_id != case_id:
            inside = hit.region.covered[hit.region.covered < len(covered)]
            covered[inside] = True
    whole = np.array([covered[start : start + words].all() for start, words in dates.tolist()])
    chosen: np.ndarray = dates[whole.astype(bool)]
    return chosen


def _records_holding_dates(found: Candidates, ids: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """holds[record, d]: whether candidate record `record` writes the text's
    date `dates[d]` (start, words), its words in that order."""
    records = len(found.words)
    holds = np.zeros((records, len(dates)), dtype=bool)
    query = ids.astype(np.int64)
    for words in (2, 3):
        chosen = np.flatnonzero(dates[:, 1] == words)
        if len(chosen) == 0:
            continue
        phrases = phrases_at(query, dates[chosen, 0], words)
        holds[:, chosen] = cases_holding(found, phrases, (list(range(records)), records))
    return holds


def household_naming(found: Candidates, ids: np.ndarray, named: np.ndarray) -> list[str]:
    """The cases whose candidate records name every word `named` marks (of
    the text with word ids `ids`: people `names_together` found), when at
    most `HOUSEHOLD_CASES` do: the household whose paragraph it is, each
    sibling's case holding it; none when more do."""
    if not named.any():
        return []
    holds = _records_naming(found, distinct(ids[named].astype(np.int64)))
    naming = sorted({found.records[n].info.case_id for n in np.flatnonzero(holds.all(axis=1))})
    return naming if len(naming) <= HOUSEHOLD_CASES else []


def sources_naming_people(sources: np.ndarray, positions: np.ndarray, words: int) -> np.ndarray:
    """The sources whose (source, name position) pairs (of a text of `words`
    words; pairs may repeat) take in `MIN_PEOPLE` runs of names in a row or
    more: those that might name people together. A cheap first test
    (`judge.short_hits`); `names_together` decides.

    >>> sources_naming_people(np.array([0, 0, 1, 1, 2]), np.array([3, 4, 3, 7, 9]), 10).tolist()
    [1]
    """
    pairs = distinct(sources.astype(np.int64) * (words + 1) + positions)
    source, position = pairs // (words + 1), pairs % (words + 1)
    new_run = np.ones(len(pairs), dtype=bool)
    new_run[1:] = (source[1:] != source[:-1]) | (np.diff(position) > 1)
    numbers, runs = np.unique(source[new_run], return_counts=True)
    naming: np.ndarray = numbers[runs >= MIN_PEOPLE]
    return naming


def _close_details(
    hit: SourceHit,
    names: tuple[np.ndarray, np.ndarray],
    dates: np.ndarray,
    pooled: tuple[np.ndarray, np.ndarray],
    case_id: str,
) -> list[tuple[np.ndarray, list[int], list[np.ndarray]]]:
    """The names the hit's region covers that are someone the text's own
    case never names: runs of names in a row with an unfamiliar name in them
    ("Amy Okafor", though the family has a Mrs Okafor); and the dates
    (`dates`: start, words; the text's own case never writes them) the
    region covers whole. In groups whose runs and dates are at most
    `MAX_APART` words apart, each group as its names' positions and its
    dates' numbers; none for the text's own case, and no group of fewer
    than `MIN_PEOPLE` runs and dates."""
    if hit.record.info.case_id == case_id:
        return []
    name_like, unfamiliar = names
    covered = hit.region.covered
    named = covered[name_like[covered]]
    units = [
        (int(run[0]), int(run[-1]), _NAME)
        for run in np.split(named, np.flatnonzero(np.diff(named) > 1) + 1)
        if len(run) and unfamiliar[run].any()
    ]
    if len(dates) and len(covered):
        firsts, lasts = dates[:, 0], dates[:, 0] + dates[:, 1] - 1
        at = np.minimum(np.searchsorted(covered, firsts), len(covered) - 1)
        to = np.minimum(at + dates[:, 1] - 1, len(covered) - 1)
        whole = (covered[at] == firsts) & (covered[to] == lasts)  # every word between too
        units += [(int(firsts[n]), int(lasts[n]), int(n)) for n in np.flatnonzero(whole)]
    if any(kind >= 0 for _, _, kind in units):  # pooled words count only with a date
        plain = covered[pooled[0][covered]]
        apart = (np.diff(plain) > 1) | (np.diff(pooled[1][plain]) != 0)  # or a sentence apart
        units += [
            (int(run[0]), int(run[-1]), _WORDS)
            for run in np.split(plain, np.flatnonzero(apart) + 1)
            if len(run)
        ]
    return _grouped(units, pooled[1]) if len(units) >= MIN_PEOPLE else []


def _grouped(
    units: list[tuple[int, int, int]], sentences: np.ndarray
) -> list[tuple[np.ndarray, list[int], list[np.ndarray]]]:
    """Units (first, last, kind) in groups at most `MAX_APART` words apart
    (`_close_details`)."""
    units.sort()
    groups: list[list[tuple[int, int, int]]] = [[units[0]]]
    for unit in units[1:]:
        if unit[0] - groups[-1][-1][1] > MAX_APART:
            groups.append([])
        groups[-1].append(unit)
    close = []
    for group in groups:
        # People and dates as they are; and, when pooled words count, each
        # date's sentence and the next: pooled words say what happened on a
        # day, told from the date on ("... on 8 November after an overdose.
        # She was assessed the following morning"), and the sentence before
        # the date is another account.
        people = [unit for unit in group if unit[2] != _WORDS]
        days = sorted({int(sentences[first]) for first, _, kind in group if kind >= 0})
        sentence_groups = [
            [unit for unit in group if day <= sentences[unit[0]] and sentences[unit[1]] <= day + 1]
            for day in days
        ]
        pooled_days = [units for units in sentence_groups if any(u[2] == _WORDS for u in units)]
        for units in [people, *pooled_days]:
            if len(units) < MIN_PEOPLE or all(kind == _WORDS for _, _, kind in units):
                continue
            runs = [np.arange(first, last + 1) for first, last, kind in units if kind == _NAME]
            positions = np.concatenate(runs) if runs else np.zeros(0, dtype=np.int64)
            words = [np.arange(first, last + 1) for first, last, kind in units if kind == _WORDS]
            close.append((positions, [kind for _, _, kind in units if kind >= 0], words))
    return close


def _records_holding(found: Candidates, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """holds[record, k]: whether candidate record `record` holds `keys[k]`;
    and ordinary[k]: whether a candidate writes it without a capital, so it
    is an ordinary word ("School", "Team", "Street"). A record indexed
    without initials (zeros, or none) tells no capitals: its words all count
    as ordinary, so it names no one together."""
    records = len(found.words)
    written_plain = cases_holding(found, keys, ([0] * records, 1), written_plain=True)
    return _records_naming(found, keys), written_plain[0]


def _records_naming(found: Candidates, keys: np.ndarray) -> np.ndarray:
    """holds[record, k]: whether candidate record `record` holds `keys[k]`."""
    records = len(found.words)
    return cases_holding(found, keys, (list(range(records)), records))


def _people(
    positions: np.ndarray,
    ids: np.ndarray,
    held: _Holdings,
    dates: list[int],
    words: list[np.ndarray] | None = None,
) -> _Group:
    """The people a group's name positions (ascending) name, and its dates:
    names in a row are one person ("Owen Mbeki"), a name on its own that is
    part of a full name in the group is that person, and a run with an
    ordinary word in it is a place or a service, no one ("Eastmere Clinic",
    "Harrowgate Lane Family Hub", "Wharf Street"): services and streets are
    shared by the families of a neighbourhood. Each as its columns of
    `held`; a date written twice is one."""
    cuts = np.flatnonzero(np.diff(positions) > 1) + 1
    runs = [
        run
        for run in np.split(positions, cuts)
        if len(run)
        and not held.ordinary[np.searchsorted(held.keys, ids[run].astype(np.int64))].any()
    ]
    names = {tuple(ids[run].tolist()) for run in runs}
    in_full_names = {word for name in names if len(name) > 1 for word in name}
    people = [
        held.person(ids, run)
        for run in runs
        if len(run) > 1 or int(ids[run[0]]) not in in_full_names
    ]
    kept = [*runs]
    days: dict[tuple[int, ...], tuple[int, ...]] = {}
    for number in dates:
        start, width = held.dates[number].tolist()
        days.setdefault(tuple(ids[start : start + width].tolist()), held.date(number))
        kept.append(np.arange(start, start + width))
    units = sorted(set(people)) + sorted(set(days.values()))
    pooled = sorted({held.person(ids, run) for run in words or []} - set(people))
    kept += list(words or [])
    return _Group(
        positions=np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64),
        people=units,
        words=pooled,
    )


def _one_clue_each(
    units: list[tuple[int, ...]], holds: np.ndarray, record_case: np.ndarray
) -> list[tuple[int, ...]]:
    """Pooled words' runs merged where they go together: runs that almost
    every case holding the rarer also holds ("dog mess" and "kitchen
    floor", one filler of a stock sentence) are one clue, not two."""
    merged = [tuple(unit) for unit in units]

    def cases(unit: tuple[int, ...]) -> int:
        return len(np.unique(record_case[holds[:, list(unit)].all(axis=1)]))

    changed = True
    while changed and len(merged) > 1:
        changed = False
        for first, second in itertools.combinations(range(len(merged)), 2):
            both = cases(merged[first] + merged[second])
            if both >= _ONE_CLUE * min(cases(merged[first]), cases(merged[second])):
                merged[first] = merged[first] + merged[second]
                del merged[second]
                changed = True
                break
    return merged


def _chance(people: list[tuple[int, ...]], holds: np.ndarray, record_case: np.ndarray) -> float:
    """How many of the candidates' cases would name these people (or write
    these dates) together by chance: the number of cases times the share
    of cases that name them, person by person, as if names were given out
    independently; with three people or more, the largest such figure that
    takes the share naming two of them together instead (a couple or two
    siblings always named as a pair are one clue, not two). Pooled names
    make it large, so a stock sentence in which two families' children and
    parents happen to share first names is no evidence: a store of hundreds
    of families has many a Maisie and many a Mandy. Each person is their
    columns of `holds` (holds[record, column]).

    >>> holds = np.array([[1, 1, 1], [1, 0, 0], [0, 1, 1], [0, 1, 1]], dtype=bool)
    >>> people = [(0,), (1,), (2,)]
    >>> _chance(people[:2], holds, np.array([0, 1, 2, 3]))
    1.5
    >>> _chance(people, holds, np.array([0, 1, 2, 3]))
    1.5
    """
    cases = len(np.unique(record_case))
    naming = [np.asarray(holds[:, list(person)].all(axis=1)) for person in people]

    def share(records: np.ndarray) -> float:
        return len(np.unique(record_case[records])) / cases

    shares = [share(records) for records in naming]
    expected = cases * float(np.prod(shares))
    if 3 <= len(people) <= _MAX_PAIRED:
        for first, second in itertools.combinations(range(len(people)), 2):
            rest = [value for n, value in enumerate(shares) if n not in (first, second)]
            joint = share(naming[first] & naming[second])
            expected = max(expected, cases * joint * float(np.prod(rest)))
    return expected


def pooled_words(other_cases: np.ndarray, cases: int, names: np.ndarray) -> np.ndarray:
    """Plain words (not `names`) that at least one and at most `POOLED_SHARE`
    of the candidates' other cases hold (`other_cases`, of `cases` counting
    the text's own): a filler from a pool of observations, no frame word."""
    others = max(1, cases - 1)
    pooled: np.ndarray = (other_cases >= 1) & (other_cases <= POOLED_SHARE * others) & ~names
    return pooled


_SENTENCE_END = re.compile(r"[.!?;]|\n\s*\n")


def sentence_numbers(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which sentence each word of `text` (at `starts`, `ends`) is in,
    counted from 0: a full stop, "!", "?", ";" or a blank line between two
    words starts a new one. All one sentence when there is no text.

    >>> text = "Seen on 4 May. Dog mess; piles"
    >>> starts, ends = np.array([0, 5, 8, 10, 15, 19, 25]), np.array([4, 7, 9, 13, 18, 23, 30])
    >>> sentence_numbers(text, starts, ends).tolist()
    [0, 0, 0, 0, 1, 1, 2]
    """
    numbers = np.zeros(len(starts), dtype=np.int64)
    if not text or len(starts) < 2:
        return numbers
    stops = np.array([found.start() for found in _SENTENCE_END.finditer(text)], dtype=np.int64)
    between = np.searchsorted(stops, starts[1:]) - np.searchsorted(stops, ends[:-1])
    numbers[1:] = np.cumsum(between > 0)
    return numbers
