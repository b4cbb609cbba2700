"""A stock sentence carrying another family's details, beside that family's
copy, is part of the copy (beside.beside_copies).

Eight families' plans fill one frame ("... was detained under Section 2 of
the Mental Health Act on ... at the ...") from small pools of mothers'
names, dates and units, so the frame with one family's details is template
text on its own: each detail is held by several families. Only the family
whose plan it is holds it whole. Copied with that family's child's name and
date of birth (a copy by the identity rule), it is that family's too (a
fifteenth blind generator's merged copies: the mother's detention was
reported as template text beside a flagged date of birth; and its copies
cut after each main clause, too short to be judged on their own). A stock
observation naming no one, a sentence that only ends like the other
family's, and one far from the copy are left alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_match import cross_case, index_family_notes, run_check

MOTHERS_AND_DATES = [  # by family number modulo 3
    ("Zainab", "15 January 2026"),
    ("Shannon", "3 February 2026"),
    ("Leanne", "20 March 2026"),
]
UNITS = ["Meadowbank Centre", "Hawthorn Unit"]  # by family number modulo 2
FOODS = ["a pint of milk", "half a loaf", "a jar of mayonnaise"]  # modulo 3
DRINKS = ["some yoghurts", "two cans of cola"]  # modulo 2
FAMILIES = [  # (child, surname, date of birth, address); mother etc. by number
    ("Evie", "Chowdhury", "19 July 2019", "88 Wharf Street"),
    ("Leo", "Marsh", "2 May 2018", "14 Quarry Bank"),
    ("Mia", "Pryor", "9 June 2020", "7 Garside Road"),
    ("Omar", "Haddad", "30 April 2017", "52 Mill Lane"),
    ("Tyler", "Booth", "11 March 2019", "3 Canal Row"),
    ("Ruby", "Hollis", "25 August 2021", "61 Station Road"),
    ("Adam", "Rahman", "8 October 2016", "19 Elm Court"),
    ("Kai", "Webster", "17 December 2018", "40 Bridge End"),
]
OPENING = (
    "The core group met to review the child protection plan. Everyone named in the plan is "
    "expected to do what they have agreed, and the core group will meet at least every six "
    "weeks to check progress and review the plan."
)
OWN = (
    "The family support worker will help with the school run, and the nursery has offered "
    "two extra sessions a week from the start of next month."
)
ANOTHER_FAMILY = "C-4103"  # the one family with Zainab, 15 January 2026 and the Hawthorn Unit
RECEIVING = "C-4101"


def detention(number: int) -> str:
    mother, date = MOTHERS_AND_DATES[number % 3]
    return (
        f"{mother} was detained under Section 2 of the Mental Health Act on {date} at the "
        f"{UNITS[number % 2]}, after she was found on the railway bridge at Brackwell, and "
        "the children went to live with their maternal aunt."
    )


def fridge(number: int) -> str:
    """A stock observation naming no one and holding no figure."""
    return (
        f"It was evident that the fridge held {FOODS[number % 3]}, a bag of carrots and "
        f"{DRINKS[number % 2]} that were out of date."
    )


def registration(number: int) -> str:
    child, surname, born, address = FAMILIES[number]
    return (
        f"{child} {surname}, date of birth {born}, is registered with Larkfield Medical "
        f"Centre and lives at {address}, Harrowby."
    )


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [
        f"{OPENING} {detention(n)} {registration(n)} {fridge(n)} The social worker will "
        "visit every two weeks."
        for n in range(len(FAMILIES))
    ]
    return index_family_notes(tmp_path_factory.mktemp("plans"), "plans", 41, "plan", 3, texts)


def test_the_stock_sentence_beside_another_familys_copy_is_flagged_with_it(plans: Path) -> None:
    letter = f"{OPENING} {detention(3)} {OWN} {registration(3)}"
    flagged = cross_case(run_check(plans, letter, RECEIVING))
    assert [case for case, _ in flagged] == [ANOTHER_FAMILY, ANOTHER_FAMILY], flagged
    # The standard paragraph before it, which every family's plan holds, is not.
    assert flagged[0][1] == detention(3).rstrip("."), flagged
    assert flagged[1][1].startswith("Omar Haddad, date of birth"), flagged


def test_the_stock_sentence_alone_is_still_template_text(plans: Path) -> None:
    letter = f"{OPENING} {detention(3)} {OWN}"
    result = run_check(plans, letter, RECEIVING)
    assert result.verdict == "clean", cross_case(result)


def test_the_receiving_familys_own_stock_sentence_beside_a_copy_is_not_flagged(
    plans: Path,
) -> None:
    letter = f"{OPENING} {detention(1)} {OWN} {registration(3)}"
    flagged = cross_case(run_check(plans, letter, RECEIVING))
    assert len(flagged) == 1 and flagged[0][1].startswith("Omar Haddad"), flagged


def test_the_stock_sentence_far_from_the_copy_is_left_as_template_text(plans: Path) -> None:
    far_apart = " ".join([OWN] * 3)  # 72 words of the family's own between
    letter = f"{OPENING} {detention(3)} {far_apart} {registration(3)}"
    flagged = cross_case(run_check(plans, letter, RECEIVING))
    assert len(flagged) == 1 and flagged[0][1].startswith("Omar Haddad"), flagged


def test_a_sentence_that_only_ends_like_the_other_familys_is_not_flagged(plans: Path) -> None:
    # From "was detained" on, word for word the other family's sentence; its
    # subject is the receiving family's own, and a copier takes sentences whole.
    own_sentence = "Their grandmother " + detention(3).split(" ", 1)[1]
    letter = f"{OWN} {own_sentence} {OWN} {registration(3)}"
    flagged = cross_case(run_check(plans, letter, RECEIVING))
    assert len(flagged) == 1 and flagged[0][1].startswith("Omar Haddad"), flagged


def test_a_sentence_cut_short_beside_the_copy_is_flagged(plans: Path) -> None:
    # Cut after its main clause, the sentence aligns on its own, too short to
    # be judged as a copy of its own.
    cut = detention(3).split(",", 1)[0] + "."
    letter = f"{OPENING} {OWN} {cut} {registration(3)}"
    flagged = cross_case(run_check(plans, letter, RECEIVING))
    # One passage: adjacent copies from one case are joined (passages.join_adjacent).
    assert flagged == [(ANOTHER_FAMILY, f"{cut} {registration(3).rstrip('.')}")], flagged


def test_a_stock_observation_beside_the_copy_is_not_flagged(plans: Path) -> None:
    # Only that family's record has this fridge, but it names no one and
    # holds no figure: anyone's.
    letter = f"{OPENING} {OWN} {registration(3)} {OWN} {fridge(3)} {OWN}"
    flagged = cross_case(run_check(plans, letter, RECEIVING))
    assert flagged == [(ANOTHER_FAMILY, registration(3).rstrip("."))], flagged
