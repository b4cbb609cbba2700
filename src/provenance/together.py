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
from dataclasses import dataclass

import numpy as np

from provenance.arrays import distinct
from provenance.candidates import Candidates
from provenance.details import HOUSEHOLD_CASES, cases_holding
from provenance.sources import SourceHit

MIN_PEOPLE = 2  # people a region must name together
MAX_APART = 12  # words between two names of one group (about a sentence)
# Most cases expected to name the group together by chance (`_chance`).
# Measured on 19 kept stores (2,700 planted copies): 0.3 found 6 more copies
# and no false flag; 1.0 found 10 more and made 3 false flags; no limit 12
# and 4. The false flags' groups scored 0.45 to 1.2.
MAX_CHANCE = 0.3
# People in a group beyond which `_chance` takes no pair's joint share: with
# this many, the other people's shares alone make chance negligible, and a
# list of hundreds of names would otherwise cost tens of thousands of pairs.
_MAX_PAIRED = 8


@dataclass(frozen=True)
class _Group:
    """The names of one group: their positions in the checked text, and the
    people they name (each person's word ids)."""

    positions: np.ndarray
    people: list[tuple[int, ...]]


def names_together(
    hits: list[SourceHit],
    found: Candidates,
    ids: np.ndarray,
    names: tuple[np.ndarray, np.ndarray, np.ndarray],
    case_id: str,
) -> list[np.ndarray | None]:
    """For each hit of another case than `case_id` (the text's), the names
    its region covers (`names[0]`: names.name_like) of people the text's own
    case never names (with a name its records never write, `names[1]`:
    `details.detail_weights`), at most `MAX_APART` words apart, when they
    name at least `MIN_PEOPLE` people, the hit's case is one of at most
    `HOUSEHOLD_CASES` whose candidate records name them all (when more
    than one, not counting a street's name, `names[2]`: names.street_words),
    and the candidates' cases make it unlikely that a family names them
    together by chance (`_chance`): that family's people, together. None if
    none.

    Records, not cases: two families each with a Maisie and a Yvonne have
    never written both in one record unless one copied the other. A few
    cases, not one: a household's paragraph is in each sibling's case.
    """
    streets = names[2]
    close_of = [_close_names(hit, names[:2], case_id) for hit in hits]
    named = [ids[group].astype(np.int64) for close in close_of for group in close]
    if not named:
        return [None] * len(hits)
    keys = distinct(np.concatenate(named))
    holds, ordinary = _records_holding(found, keys)
    case_of_record = [record.info.case_id for record in found.records]
    case_number = {case: number for number, case in enumerate(sorted(set(case_of_record)))}
    record_case = np.array([case_number[case] for case in case_of_record], dtype=np.int64)
    marks: list[np.ndarray | None] = []

    def cases_naming(group: _Group) -> np.ndarray:
        columns = np.searchsorted(keys, distinct(ids[group.positions].astype(np.int64)))
        return np.unique(record_case[holds[:, columns].all(axis=1)])

    for hit, close in zip(hits, close_of, strict=True):
        mark = None
        for positions in close:
            group = _people(positions, ids, keys, ordinary)
            naming = cases_naming(group)
            if len(naming) > 1:
                # A household's? Neighbours share a street as siblings share a
                # home: only the people in it can tell.
                group = _people(positions[~streets[positions]], ids, keys, ordinary)
                naming = cases_naming(group)
            if len(group.people) < MIN_PEOPLE or len(naming) > HOUSEHOLD_CASES:
                continue
            if case_number[hit.record.info.case_id] not in naming:
                continue
            # A household's cases are one family: by chance, it names them once.
            one_family = np.where(np.isin(record_case, naming), naming[0], record_case)
            if _chance(group.people, keys, holds, one_family) >= MAX_CHANCE:
                continue
            mark = np.zeros(len(ids), dtype=bool) if mark is None else mark
            mark[group.positions] = True
        marks.append(mark)
    return marks


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


def may_name_people(positions: np.ndarray) -> bool:
    """Whether name positions (ascending, distinct) take in `MIN_PEOPLE`
    runs of names in a row or more."""
    return len(positions) > 0 and int((np.diff(positions) > 1).sum()) + 1 >= MIN_PEOPLE


def _close_names(
    hit: SourceHit, names: tuple[np.ndarray, np.ndarray], case_id: str
) -> list[np.ndarray]:
    """The names the hit's region covers that are someone the text's own
    case never names: runs of names in a row with an unfamiliar name in them
    ("Amy Okafor", though the family has a Mrs Okafor), in groups whose runs
    are at most `MAX_APART` words apart; none for the text's own case."""
    if hit.record.info.case_id == case_id:
        return []
    name_like, unfamiliar = names
    covered = hit.region.covered
    named = covered[name_like[covered]]
    runs = [
        run
        for run in np.split(named, np.flatnonzero(np.diff(named) > 1) + 1)
        if unfamiliar[run].any()
    ]
    if len(runs) < MIN_PEOPLE:
        return []
    at = np.concatenate(runs)
    cuts = np.flatnonzero(np.diff(at) > MAX_APART) + 1
    return [group for group in np.split(at, cuts) if may_name_people(group)]


def _records_holding(found: Candidates, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """holds[record, k]: whether candidate record `record` holds `keys[k]`;
    and ordinary[k]: whether a candidate writes it without a capital, so it
    is an ordinary word ("School", "Team", "Street"). A record indexed
    without initials (zeros, or none) tells no capitals: its words all count
    as ordinary, so it names no one together."""
    records = len(found.words)
    itself = lambda held: held  # noqa: E731
    written_plain = cases_holding(found, keys, ([0] * records, 1), itself, written_plain=True)
    return _records_naming(found, keys), written_plain[0]


def _records_naming(found: Candidates, keys: np.ndarray) -> np.ndarray:
    """holds[record, k]: whether candidate record `record` holds `keys[k]`."""
    records = len(found.words)
    return cases_holding(found, keys, (list(range(records)), records), lambda held: held)


def _people(
    positions: np.ndarray, ids: np.ndarray, keys: np.ndarray, ordinary: np.ndarray
) -> _Group:
    """The people a group's name positions (ascending) name: names in a row
    are one person ("Owen Mbeki"), a name on its own that is part of a full
    name in the group is that person, and a run with an ordinary word in it
    is a place or a service, no one ("Eastmere Clinic", "Harrowgate Lane
    Family Hub", "Wharf Street"): services and streets are shared by the
    families of a neighbourhood."""
    cuts = np.flatnonzero(np.diff(positions) > 1) + 1
    runs = [
        run
        for run in np.split(positions, cuts)
        if len(run) and not ordinary[np.searchsorted(keys, ids[run].astype(np.int64))].any()
    ]
    names = {tuple(ids[run].tolist()) for run in runs}
    in_full_names = {word for name in names if len(name) > 1 for word in name}
    people = [name for name in names if len(name) > 1 or name[0] not in in_full_names]
    kept = np.concatenate(runs) if runs else np.zeros(0, dtype=np.int64)
    return _Group(positions=kept, people=sorted(people))


def _naming(person: tuple[int, ...], keys: np.ndarray, holds: np.ndarray) -> np.ndarray:
    """Which candidate records name the person (hold every word of the name)."""
    columns = np.searchsorted(keys, np.array(person, dtype=np.int64))
    return np.asarray(holds[:, columns].all(axis=1))


def _chance(
    people: list[tuple[int, ...]], keys: np.ndarray, holds: np.ndarray, record_case: np.ndarray
) -> float:
    """How many of the candidates' cases would name these people together by
    chance: the number of cases times the share of cases that name them,
    person by person, as if names were given out independently; with three
    people or more, the largest such figure that takes the share naming two
    of them together instead (a couple or two siblings always named as a
    pair are one clue, not two). Pooled names make it large, so a stock
    sentence in which two families' children and parents happen to share
    first names is no evidence: a store of hundreds of families has many a
    Maisie and many a Mandy.

    >>> holds = np.array([[1, 1, 1], [1, 0, 0], [0, 1, 1], [0, 1, 1]], dtype=bool)
    >>> people = [(5,), (7,), (9,)]
    >>> _chance(people[:2], np.array([5, 7, 9]), holds, np.array([0, 1, 2, 3]))
    1.5
    >>> _chance(people, np.array([5, 7, 9]), holds, np.array([0, 1, 2, 3]))
    1.5
    """
    cases = len(np.unique(record_case))
    naming = [_naming(person, keys, holds) for person in people]

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
