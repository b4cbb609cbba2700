"""A visit note re-told in the third person is still its family's
(beside.sentences_held_alone, `Holders.cases_holding_but`, normalize.word_stem).

Twelve families' visit notes are written in the first person from the same
stock sentences, filled from small pools: a child's first name, a count, a
month, a brand of lager. Every word, and each sentence's frame, is in
several families' notes; only the way one family's note fills them, in its
order, is its own. A plan quoting the note re-tells it: "I saw" becomes
"The social worker saw", "I observe" becomes "the social worker observed".
Word for word the copy is then held whole by no record at all, so it was
template text from the right record (a seventeenth blind generator lost 17
of 40 copies to this edit). Held whole but for the narration words, it is
that family's; a note with one of its fillers changed, or the receiving
family's own note re-told, stays template text.

All names are fictional.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_match import cross_case, index_family_notes, run_check

CHILDREN = ["Tia", "Callum"]  # by family number modulo 2
COUNTS = ["two", "five", "nine"]  # modulo 3
MONTHS = ["July", "March", "November", "January"]  # modulo 4
DRINKS = ["Stella", "cider", "Carling", "Strongbow"]  # by (family number // 3) modulo 4
OPENING = (
    "Unannounced home visit. The family home was visited as agreed at the last core group "
    "meeting, and the actions of the plan were discussed with the parent."
)
OWN = "The family support worker will help with the school run from next week."
FAMILIES = 12
RECEIVING = "C-5500"


def note(number: int, month: str | None = None) -> str:
    child = CHILDREN[number % 2]
    return (
        f"I saw {child} alone in the bedroom and {child} tells me that the heating has been "
        f"off for {COUNTS[number % 3]} days since {month or MONTHS[number % 4]}, and that "
        "Mum has not paid the bill. I observe "
        f"that there are {COUNTS[(number + 1) % 3]} empty cans of {DRINKS[number // 3 % 4]} "
        f"in the living room, and I ask Mum to keep them out of the reach of {child}."
    )


def retold(text: str) -> str:
    """`text` as a plan quotes it: in the third person, in the past tense."""
    for first, third in (
        ("I saw", "The social worker saw"),
        ("tells me", "told the social worker"),
        ("has been", "had been"),
        ("I observe that there are", "The social worker observed that there were"),
        ("and I ask", "and the social worker asked"),
    ):
        text = text.replace(first, third)
    return text


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [f"{OPENING} {note(n)} {OWN}" for n in range(FAMILIES)]
    return index_family_notes(tmp_path_factory.mktemp("retold"), "retold", 55, "visit", 6, texts)


def test_the_pools_make_each_note_one_familys_and_each_word_several() -> None:
    assert len({note(n) for n in range(FAMILIES)}) == FAMILIES
    assert retold(note(3)) != note(3)
    assert "I " not in retold(note(3))


def test_a_note_retold_in_the_third_person_is_its_familys_copy(notes: Path) -> None:
    copied = retold(note(3))
    letter = f"{OPENING} {OWN} {copied} {OWN}"
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert [case for case, _ in flagged] == ["C-5503"], flagged
    assert flagged[0][1].endswith(f"the reach of {CHILDREN[1]}"), flagged


def test_the_note_word_for_word_is_flagged_too(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {note(3)} {OWN}"
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert [case for case, _ in flagged] == ["C-5503"], flagged


def test_a_retold_note_with_another_month_stays_template_text(notes: Path) -> None:
    # A filler changed is no narration: no family's note holds this one.
    letter = f"{OPENING} {OWN} {retold(note(3, month='October'))} {OWN}"
    result = run_check(notes, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)


def test_the_receiving_familys_own_note_retold_is_not_flagged(notes: Path) -> None:
    letter = f"{OPENING} {OWN} {retold(note(0))} {OWN}"
    result = run_check(notes, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)


def test_a_note_retold_with_its_abbreviations_spelt_out_is_its_familys(notes: Path) -> None:
    # Case notes write "Mum"; a plan writes "the mother".
    copied = retold(note(3)).replace("Mum has", "the mother has")
    letter = f"{OPENING} {OWN} {copied} {OWN}"
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert [case for case, _ in flagged] == ["C-5503"], flagged


def test_a_word_between_two_changed_stretches_is_excused_too(notes: Path) -> None:
    # "I ask Mum to keep them" -> "the social worker asked the mother to keep
    # them": "asked" stands alone between two changed stretches, in no run of
    # shared words.
    copied = retold(note(3)).replace("asked Mum", "asked the mother")
    assert "the social worker asked the mother to keep" in copied
    letter = f"{OPENING} {OWN} {copied} {OWN}"
    flagged = cross_case(run_check(notes, letter, RECEIVING))
    assert [case for case, _ in flagged] == ["C-5503"], flagged
