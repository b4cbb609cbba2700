"""Which cases hold a span of the checked text word for word (holders.Holders).

A standard paragraph and the stock sentence after it are in many families'
records, each in its own order: every word is held by those families, though
no one aligned part covers both. A family's name or date in the span is not.
"""

from __future__ import annotations

import numpy as np

from provenance.align import SharedWords
from provenance.holders import Holders


def holders_of(parts: list[tuple[int, int, int, list[int]]], words: int) -> Holders:
    """Holders of (case, part start, part end, covered words) parts, one region each."""
    count = len(parts)
    covered = [np.array(c, dtype=np.int64) for *_, c in parts]
    shared = SharedWords(
        source=np.arange(count),
        part_region=np.arange(count),
        part_start=np.array([p[1] for p in parts]),
        part_end=np.array([p[2] for p in parts]),
        part_source_start=np.array([p[1] for p in parts]),
        part_source_end=np.array([p[2] for p in parts]),
        word_region=np.repeat(np.arange(count), [len(c) for c in covered]),
        word=np.concatenate(covered),
    )
    cases = [p[0] for p in parts]
    return Holders.of(shared, cases, cases=max(cases) + 1, words=words, width=3)


def test_a_span_held_in_two_parts_by_enough_cases_is_held_whole() -> None:
    """Cases 1-4 hold words 0-5 in one part and 6-9 in another."""
    parts = [(case, 0, 6, list(range(6))) for case in (1, 2, 3, 4)]
    parts += [(case, 6, 10, list(range(6, 10))) for case in (1, 2, 3, 4)]
    holding = holders_of(parts, 10)
    assert holding.every_word_held(0, 10, threshold=4)
    assert not holding.whole_span_held(0, 10, threshold=4)  # no one part covers it


def test_a_word_only_one_family_holds_keeps_the_span_that_familys() -> None:
    """Word 5 (a name, a date) is only case 1's: the span is not template."""
    parts = [(1, 0, 10, list(range(10)))]
    parts += [(case, 0, 10, [w for w in range(10) if w != 5]) for case in (2, 3, 4)]
    holding = holders_of(parts, 10)
    assert not holding.every_word_held(0, 10, threshold=4)
    assert holding.every_word_held(6, 10, threshold=4)
    own = holders_of([(0, 0, 10, list(range(10)))], 10)
    assert own.every_word_held(0, 10, threshold=4)  # the family's own words
    assert not own.every_word_held(4, 4, threshold=4)  # no words


def test_a_households_cases_hold_a_span_as_one() -> None:
    """Cases 1-3 are siblings' cases holding their household's paragraph:
    with the receiving case counting as one, four holders, yet one family's.
    With cases 4 and 5 holding it as well, as many families as a standard
    paragraph's."""
    parts = [(case, 0, 10, list(range(10))) for case in (1, 2, 3)]
    holding = holders_of(parts, 10)
    household = np.array([1, 2, 3])
    assert holding.every_word_held(0, 10, threshold=4)
    assert not holding.every_word_held(0, 10, threshold=4, household=household)
    more = holders_of([*parts, (4, 0, 10, list(range(10))), (5, 0, 10, list(range(10)))], 10)
    assert more.every_word_held(0, 10, threshold=4, household=household)
    own = holders_of([(0, 0, 10, list(range(10))), *parts], 10)
    assert own.every_word_held(0, 10, threshold=4, household=np.array([0, 1, 2, 3]))
