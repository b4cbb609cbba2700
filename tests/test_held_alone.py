"""Two whole sentences only one other family holds are its copy, though every
word and every frame is template text (beside.sentences_held_alone).

Twelve families' home-visit notes fill the same two stock sentences from
small pools: a child's first name, a count, a month, a brand of lager. Each
value, and each sentence's frame, is in several families' notes, so no
word of a note is one family's detail; only the way one family's note
fills both sentences, in its order, is its own. Copied word for word into
another family's letter, the pair was reported as template text from the
right record (a sixteenth blind generator's verbatim copies). So was a
copy cut inside a sentence and run on into the letter's own. One of them
alone, or the receiving family's own sentences in the same frames, stay
template text.

All names are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_match import cross_case, index_family_notes, run_check

CHILDREN = ["Freya", "Harvey"]  # by family number modulo 2
COUNTS = ["2", "5", "9"]  # modulo 3
MONTHS = ["July", "March", "November", "January"]  # modulo 4
DRINKS = ["Stella", "cider", "Carling", "Strongbow"]  # by (family number // 3) modulo 4
OPENING = (
    "The social worker visited the family home and spoke with the parent about routines, "
    "meals, bedtimes and school attendance, and the actions of the last meeting were reviewed."
)
OWN = "The family support worker will help with the school run from next week."
FAMILIES = 12
ANOTHER_FAMILY = "C-5203"
RECEIVING = "C-5200"


def lice(number: int) -> str:
    child = CHILDREN[number % 2]
    return (
        f"{child} arrived at school with head lice on {COUNTS[number % 3]} occasions in "
        f"{MONTHS[number % 4]}, and staff gave {child} a warm coat from the school store."
    )


def cans(number: int) -> str:
    return (
        f"There were {COUNTS[(number + 1) % 3]} empty cans of {DRINKS[number // 3 % 4]} in the "
        "living room and cigarette ends were on the carpet within reach of "
        f"{CHILDREN[number % 2]}."
    )


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [f"{OPENING} {lice(n)} {cans(n)} {OWN}" for n in range(FAMILIES)]
    return index_family_notes(tmp_path_factory.mktemp("alone"), "alone", 52, "visit", 4, texts)


def test_the_pools_make_every_sentence_template_on_its_own() -> None:
    # What the store is built to be: each filled frame other families share
    # in part, the pair filled this way by one family only.
    assert len({lice(n) for n in range(FAMILIES)}) == FAMILIES
    assert sum(CHILDREN[n % 2] == "Harvey" for n in range(FAMILIES)) == FAMILIES // 2


def test_two_whole_sentences_only_one_family_holds_are_its_copy(notes: Path) -> None:
    copied = f"{lice(3)} {cans(3)}"
    letter = f"{OPENING} {OWN} {copied} {OWN}"
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert flagged == [(ANOTHER_FAMILY, copied.rstrip("."))], flagged


def test_one_such_sentence_alone_stays_template_text(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {lice(3)} {OWN}"
    result = run_check(notes, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)


def test_the_receiving_familys_own_sentences_are_not_flagged(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {lice(0)} {cans(0)} {OWN}"
    result = run_check(notes, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)


def test_a_copy_cut_inside_its_last_sentence_is_flagged(notes: Path) -> None:
    # Cut out of the note inside a sentence and run on into the letter's own
    # next sentence (a copy of 25-40 words taken from a paragraph): the span
    # ends inside a sentence of the letter, and is held whole by one family.
    copied = " ".join(f"{lice(3)} {cans(3)}".split()[:-4])
    letter = f"{OPENING} {OWN} {copied} her grandmother will help on Saturdays."
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert flagged == [(ANOTHER_FAMILY, copied)], flagged


def test_the_two_sentences_reordered_are_flagged(notes: Path) -> None:
    # Each sentence is held whole by that family alone, though not in one part.
    letter = f"{OPENING} {OWN} {cans(3)} {lice(3)} {OWN}"
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert [case for case, _ in flagged] == [ANOTHER_FAMILY], flagged
    assert flagged[0][1] == f"{cans(3)} {lice(3)}".rstrip("."), flagged
