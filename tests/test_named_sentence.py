"""One sentence naming a person only one other family's records name, by
full name, is that family's copy (beside.sentences_held_alone, `_named`).

Twelve families' health-visitor notes fill the same stock sentence with the
mother's full name. First names and surnames come from small pools, so each
word of a name is in several families' notes, and everything after the
name is the same stock wording: word by word and in context, the copied
sentence was template text from the right record (the labelled benchmark's
"Kirsty Barraclough told the health visitor ..." partial copy). What only
one family holds is the person: her first name and surname together. A
full name two families' notes hold, or the receiving family's own
sentence, stays template text.

All names are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_match import cross_case, index_family_notes, run_check

from provenance.config import CheckParams

FIRST_NAMES = ["Kirsty", "Leanne", "Gemma", "Tanya"]  # by family number modulo 4
SURNAMES = ["Barraclough", "Ashdown", "Entwistle"]  # by family number // 4
OPENING = (
    "The social worker visited the family home and spoke with the parent about routines, "
    "meals, bedtimes and school attendance, and the actions of the last meeting were reviewed."
)
OWN = "The family support worker will help with the school run from next week."
FAMILIES = 12
RECEIVING = "C-5400"
SHARED_NAME = 11  # family 11's mother has family 10's name: two families hold it


def mother(number: int) -> str:
    number = number - 1 if number == SHARED_NAME else number
    return f"{FIRST_NAMES[number % 4]} {SURNAMES[number // 4 % 3]}"


def low(number: int) -> str:
    return (
        f"{mother(number)} told the health visitor that she feels low most days and has not "
        "left the flat for two weeks; her GP at Canal Street Medical Centre has offered "
        "weekly appointments."
    )


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [f"{OPENING} {low(n)} {OWN}" for n in range(FAMILIES)]
    return index_family_notes(tmp_path_factory.mktemp("named"), "named", 54, "visit", 5, texts)


def test_each_name_is_several_families_and_each_full_name_one() -> None:
    # What the store is built to be.
    assert len({mother(n) for n in range(FAMILIES)}) == FAMILIES - 1
    assert sum(mother(n).startswith("Leanne") for n in range(FAMILIES)) == 3


def test_a_sentence_naming_another_familys_mother_is_its_copy(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {low(5)} {OWN}"
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert [case for case, _ in flagged] == ["C-5405"], flagged
    # The stock words after the semicolon, every family's, are not part of it.
    assert flagged[0][1] == low(5).split(";")[0], flagged


def test_without_the_rule_it_was_template_text(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {low(5)} {OWN}"
    result = run_check(notes, letter, RECEIVING, CheckParams(min_sentences_alone=0))
    assert result.verdict == "clean", cross_case(result)


def test_a_full_name_two_families_hold_stays_template_text(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {low(10)} {OWN}"
    result = run_check(notes, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)


def test_the_receiving_familys_own_sentence_is_not_flagged(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {low(0)} {OWN}"
    result = run_check(notes, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)


def test_the_name_without_its_sentence_is_not_enough(notes: Path) -> None:
    # The name in the receiving family's own wording: no sentence of another
    # family's held whole.
    letter = f"{OPENING} {OWN} {mother(5)} rang the duty line about the school run. {OWN}"
    result = run_check(notes, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)
