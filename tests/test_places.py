"""Addresses and postcodes: a neighbour's street, postcode and school are the
receiving family's too; the house number is the neighbours' own.

The incident this project exists for sent the neighbouring child's details to
a family. All names, streets and postcodes here are fictional.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import FILLER
from hypothesis import given, settings
from hypothesis import strategies as st
from test_match import cross_case, in_own_letter, index_family_notes, run_check

from provenance import details, judge
from provenance.names import place_starts, word_marks
from provenance.normalize import split_words

HOME_VISIT = (
    "Home visit to {home}. I was let in by {mother} after knocking for several minutes. The "
    "living room was clean and tidy and there was a strong smell of cannabis."
)
NEIGHBOURS = (  # two families on one street: the same postcode
    HOME_VISIT.format(home="58 Tinderbox Lane, Fictonbury FX1 6ZZ", mother="Nicole"),
    "The family live at 60 Tinderbox Lane, Fictonbury FX1 6ZZ. Shannon says the neighbours "
    "are noisy at night and she keeps the children in after dark.",
)
OTHER_HOMES = (  # the same stock note, other streets
    ("7 Larkspur Close, Fictonbury FX2 4QT", "Kirsty"),
    ("31 Larkspur Close, Fictonbury FX2 4QT", "Leanne"),
    ("9 Fixture Row, Fictonbury FX3 1AB", "Tracey"),
    ("22 Fixture Row, Fictonbury FX3 1AB", "Gemma"),
)


@pytest.fixture
def street_store(tmp_path: Path) -> Path:
    """Six families' notes: C-8100 and C-8101 are neighbours; the other four's
    home-visit notes are C-8100's stock wording on other streets."""
    notes = [*NEIGHBOURS, *(HOME_VISIT.format(home=h, mother=m) for h, m in OTHER_HOMES)]
    texts = [f"Home visit note. {note} {FILLER}" for note in notes]
    return index_family_notes(tmp_path, "streets", 81, "visit", 5, texts)


def test_a_neighbours_house_number_makes_a_stock_note_theirs(
    street_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The neighbours' note with the mother's name cut to an initial: the
    stock sentences are in four other families' notes, the street and the
    postcode are the receiving family's own; the house number is not."""
    copied = NEIGHBOURS[0].replace("Nicole", "N.")
    document = in_own_letter(copied)
    assert [case for case, _ in cross_case(run_check(street_store, document, "C-8101"))] == [
        "C-8100"
    ]
    own = document.replace("58 Tinderbox", "60 Tinderbox")  # the family's own address
    assert run_check(street_store, own, "C-8101").verdict == "clean"
    no_places = lambda found, ids, cases, places: np.zeros(len(ids), dtype=bool)  # noqa: E731
    monkeypatch.setattr(judge, "rare_places", no_places)
    # The initial facing "Nicole" is a clue of its own (test_initials.py): off here.
    no_initials = lambda hits, found, initials, cases, case_id: [None] * len(hits)  # noqa: E731
    monkeypatch.setattr(judge, "abbreviated_names", no_initials)
    assert run_check(street_store, document, "C-8101").verdict == "clean"


MORE_HOMES = (  # more families' stock notes, so that four cases make text template
    ("12 Brindle Walk, Fictonbury FX4 2CD", "Shannon"),
    ("40 Brindle Walk, Fictonbury FX4 2CD", "Donna"),
    ("3 Coldwater Rise, Fictonbury FX5 7EF", "Jade"),
    ("17 Coldwater Rise, Fictonbury FX5 7EF", "Kelly"),
)


@pytest.fixture
def sibling_street_store(tmp_path: Path) -> Path:
    """Eleven cases: C-8100's note about its home is in C-8110 too, its
    sibling's case; C-8101 is the neighbours'; the rest are other streets."""
    homes = OTHER_HOMES + MORE_HOMES
    notes = [*NEIGHBOURS, *(HOME_VISIT.format(home=h, mother=m) for h, m in homes)]
    notes.append(NEIGHBOURS[0])
    texts = [f"Home visit note. {note} {FILLER}" for note in notes]
    return index_family_notes(tmp_path, "siblings", 81, "visit", 5, texts)


def test_a_house_number_the_siblings_cases_hold_is_their_households(
    sibling_street_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two cases hold the neighbours' house number, both of one household
    (details.HOUSEHOLD_CASES): still that family's home, not the street's."""
    document = in_own_letter(NEIGHBOURS[0].replace("Nicole", "N."))
    found = {case for case, _ in cross_case(run_check(sibling_street_store, document, "C-8101"))}
    assert found and found <= {"C-8100", "C-8110"}
    monkeypatch.setattr(details, "HOUSEHOLD_CASES", 1)
    no_initials = lambda hits, found, initials, cases, case_id: [None] * len(hits)  # noqa: E731
    monkeypatch.setattr(judge, "abbreviated_names", no_initials)
    assert run_check(sibling_street_store, document, "C-8101").verdict == "clean"


def places_in(text: str) -> list[str]:
    words = split_words(text)
    marks = word_marks(text, words.starts, words.ends)
    flags = place_starts(text, words.starts, words.ends, marks.names)
    assert np.array_equal(flags, marks.places)
    return [
        text[start:end]
        for start, end, flag in zip(words.starts, words.ends, flags, strict=True)
        if flag
    ]


def test_what_starts_an_address() -> None:
    assert places_in("At 14 Kiln Street, Wendlebury FX1 6ZZ and 3a Upper Heron Court.") == [
        "14",
        "FX1",
        "3a",
    ]
    # A year before a name, a number of things, a street with no number, a split postcode.
    assert places_in("On 3 May 2026 Rhys saw 4 Police Officers on Kiln Street. FX1, 6ZZ") == []
    assert places_in("In 2026. Kiln Street") == []
    assert places_in("") == []
    # A hyphen or an apostrophe inside a street's name, never before it.
    assert places_in(
        "Visits to 181 Stand-in Grove and 3 St Mary\u2019s Road, 7 Bishop's Walk."
    ) == [
        "181",
        "3",
        "7",
    ]
    assert places_in("Seen 12-Kiln Street and 5 times-Road.") == []


def test_a_streets_name_is_no_one() -> None:
    """The words of a street's name, after a house number or "on", "at",
    "in", are a place: together.py must not count "Tanner's Row" as two
    more people named with another family's. A surname that is a street
    word ("Sarah Green") is still a person's."""
    text = (
        "He took a bag to 30 Tanner's Row for Spencer. She was found on Weaver's Green at "
        "8am, then walked to St Mary's Road with Sarah Green and Mrs Hill. Old Mill Lane "
        "was closed."
    )
    words = split_words(text)
    streets = word_marks(text, words.starts, words.ends).streets
    marked = [text[s:e] for s, e, hit in zip(words.starts, words.ends, streets, strict=True) if hit]
    assert marked == ["Tanner", "s", "Row", "Weaver", "s", "Green", "St", "Mary", "s", "Road"]


STREETISH = st.lists(
    st.sampled_from(
        ["30", "on", "at", "Tanner", "'", "s", "Row", "Green", "Sarah", " ", ".", "7b"]
    ),
    max_size=30,
).map("".join) | st.text(max_size=60)


@settings(max_examples=200, deadline=None)
@given(STREETISH)
def test_street_words_of_any_text_are_name_words_or_an_apostrophes_s(text: str) -> None:
    words = split_words(text)
    marks = word_marks(text, words.starts, words.ends)
    assert marks.streets.shape == (len(words),) and marks.streets.dtype == np.bool_
    for start, end, street, name in zip(
        words.starts, words.ends, marks.streets, marks.names, strict=True
    ):
        assert not street or name or text[start:end] == "s"
