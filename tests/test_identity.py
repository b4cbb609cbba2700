"""A piece of another family's identity, copied word for word, however short (identity.py).

Forty families' health summaries, each with its child's name, date of birth,
condition and police reference. Pieces of seven to nine words of one of them,
inside the receiving family's own letter, are far under the twelve words a
copy of stock prose needs, yet they are another child's name with its date of
birth, or another family's police reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import FILLER
from hypothesis import given, settings
from hypothesis import strategies as st
from test_match import cross_case, in_own_letter, index_family_notes, run_check

from provenance import identity
from provenance.identity import _holds_whole

FIRSTS = (
    "Arthur",
    "Ebony",
    "Kian",
    "Lacey",
    "Mason",
    "Nevaeh",
    "Ollie",
    "Priya",
    "Reuben",
    "Sadie",
)
SURNAMES = ("Wardle", "Heap", "Crabtree", "Lumb", "Sutcliffe", "Greenwood", "Pickles", "Holt")
CONDITIONS = ("suspected ADHD", "type 1 diabetes", "asthma", "eczema", "a heart murmur")
FAMILIES = 40  # C-8600 ... C-8639
SOURCE, RECEIVING = "C-8600", "C-8605"


def _child(family: int) -> str:
    return f"{FIRSTS[family % 10]} {SURNAMES[family % 8]}"


def _birth(family: int) -> str:
    return f"{family % 28 + 1:02d}/{family % 12 + 1:02d}/{2012 + family % 9}"


def _reference(family: int) -> str:
    return f"PPN/24/{604113 + 7919 * family}"


def _summary(family: int) -> str:
    """Family n's health line and police line: every word of them but its
    details is in every family's notes."""
    return (
        f"Health summary. {_child(family)} (DOB {_birth(family)}) has "
        f"{CONDITIONS[family % 5]}. Police were called to the home and Public Protection "
        f"Notice reference {_reference(family)} was raised."
    )


@pytest.fixture(scope="module")
def summaries_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [f"{_summary(n)} {FILLER}" for n in range(FAMILIES)]
    return index_family_notes(tmp_path_factory.mktemp("ids"), "ids", 86, "health", 6, texts)


def test_the_fixture_shares_every_other_word() -> None:
    """Every family's name words and conditions are in several families' lines."""
    assert len({_child(n) for n in range(FAMILIES)}) == FAMILIES
    assert len({_birth(n) for n in range(FAMILIES)}) == FAMILIES
    assert all(
        sum(f"{FIRSTS[n % 10]} " in _summary(m) for m in range(FAMILIES)) == 4 for n in range(10)
    )


def test_a_name_with_its_date_of_birth_is_that_childs(
    summaries_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piece = f"{_child(0)} (DOB {_birth(0)}) has {CONDITIONS[0]}."
    assert len(piece.split()) == 7
    found = cross_case(run_check(summaries_store, in_own_letter(piece), RECEIVING))
    assert [case for case, _ in found] == [SOURCE]
    assert _birth(0) in found[0][1]
    # Without this rule the piece is far too short to be judged at all.
    monkeypatch.setattr(identity, "MIN_IDENTITY_WORDS", 10_000)
    assert run_check(summaries_store, in_own_letter(piece), RECEIVING).verdict == "clean"


def test_a_police_reference_is_that_familys(summaries_store: Path) -> None:
    piece = f"Public Protection Notice reference {_reference(0)} was raised."
    found = cross_case(run_check(summaries_store, in_own_letter(piece), RECEIVING))
    assert [case for case, _ in found] == [SOURCE]
    assert _reference(0) in found[0][1]


def test_the_same_date_of_birth_for_a_child_of_the_family_is_no_ones(
    summaries_store: Path,
) -> None:
    """A new baby born on another child's birthday: the date alone is no one's."""
    piece = f"Baby Skye Ormerod (DOB {_birth(0)}) has {CONDITIONS[0]}."
    assert run_check(summaries_store, in_own_letter(piece), RECEIVING).verdict == "clean"


def test_the_receiving_familys_own_details_are_its_own(summaries_store: Path) -> None:
    own = f"{_child(5)} (DOB {_birth(5)}) has {CONDITIONS[0]}. Reference {_reference(5)}."
    assert cross_case(run_check(summaries_store, in_own_letter(own), RECEIVING)) == []


def test_a_date_of_birth_with_fewer_words_around_it_is_too_little(
    summaries_store: Path,
) -> None:
    """ "(DOB 01/01/2012)" and a word of the family's own: under MIN_IDENTITY_WORDS."""
    piece = f"Arthur's friend (DOB {_birth(0)}) came."
    assert run_check(summaries_store, in_own_letter(piece), RECEIVING).verdict == "clean"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.booleans(), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=10),
)
def test_a_span_holds_a_stretch_whole_as_counted_word_by_word(
    marks: list[bool], spans: list[tuple[int, int]]
) -> None:
    """`_holds_whole` against the definition: some stretch of marked words
    (with no marked word just before or after it) lies inside the span."""
    marked = np.array(marks, dtype=bool)
    size = len(marks)
    spans = [(min(a, b, size), min(max(a, b), size)) for a, b in spans]
    stretches = []
    for start in range(size):
        if marked[start] and (start == 0 or not marked[start - 1]):
            end = start
            while end < size and marked[end]:
                end += 1
            stretches.append((start, end))
    expected = [any(start <= a and b <= end for a, b in stretches) for start, end in spans]
    starts = np.array([a for a, _ in spans], dtype=np.int64)
    ends = np.array([b for _, b in spans], dtype=np.int64)
    assert _holds_whole(marked, starts, ends).tolist() == expected
