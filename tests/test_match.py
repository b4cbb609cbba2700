"""The check finds copied passages, disguised or not, with exact spans, and
classifies them: cross_case (leak), same_case, boilerplate."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provenance import candidates, details, evidence, holders, index_store, judge, match, shingle
from provenance import windows as windowing
from provenance.config import CheckParams
from provenance.errors import UnknownCaseError
from provenance.match import check_text
from provenance.models import CheckResult, Match
from provenance.normalize import split_words
from provenance.origin import find_origin
from provenance.store import IndexStore
from tests.conftest import (
    CASE_STORIES,
    FILLER,
    LEAK_PARAGRAPH,
    STANDARD,
    TEMPLATE,
    write_store,
)

OWN_BEFORE = (
    "Ruby has a good relationship with her grandmother, who collects her from school on "
    "Tuesdays and Thursdays and has offered to have her stay during the holidays."
)
OWN_AFTER = (
    "The core group agreed that the youth worker will meet Ruby weekly at the community "
    "centre and that her mother will attend the online safety session for parents."
)


def run_check(
    db_path: Path, text: str, case_id: str = "C-1004", params: CheckParams | None = None
) -> CheckResult:
    with IndexStore.open_for_reading(db_path) as store:
        return check_text(store, text, "draft.txt", case_id, params or CheckParams())


def cross_case(result: CheckResult) -> list[tuple[str, str]]:
    return [(m.source.case_id, m.text) for m in result.matches if m.status == "cross_case"]


def in_own_letter(copied: str) -> str:
    """`copied` between two sentences of the receiving family's own, then filler:
    how the family-detail tests send a copied note or line."""
    return f"{OWN_BEFORE} {copied} {OWN_AFTER}\n\n{FILLER}"


def leak_inside_own_paragraph(copied: str) -> str:
    """The copy sits inside one paragraph of the receiving case's own text."""
    return "\n\n".join([TEMPLATE, f"{OWN_BEFORE} {copied} {OWN_AFTER}", CASE_STORIES["C-1004"]])


def index_notes(tmp_path: Path, name: str, notes: list[tuple[str, str, str, str]]) -> Path:
    """Index (case_id, kind, date, text) notes, one file each; the index's path."""
    records = [
        {
            "path": f"{case_id}/{kind}.txt",
            "case_id": case_id,
            "record_id": f"{case_id}-{kind}",
            "kind": kind,
            "date": date,
            "title": kind,
            "text": text,
        }
        for case_id, kind, date, text in notes
    ]
    index_store(write_store(tmp_path / name, records), tmp_path / f"{name}.duckdb")
    return tmp_path / f"{name}.duckdb"


def index_family_notes(
    tmp_path: Path, name: str, series: int, kind: str, month: int, texts: list[str]
) -> Path:
    """Index one note per family: case C-{series}00, C-{series}01, ..., dated in `month`."""
    notes = [
        (f"C-{series}{n:02d}", kind, f"2026-{month:02d}-{n + 10}", text)
        for n, text in enumerate(texts)
    ]
    return index_notes(tmp_path, name, notes)


# A 40-word slice of the leaked paragraph: enough to identify the other child.
SHORT_COPY = " ".join(LEAK_PARAGRAPH.split()[8:48])
DISGUISES = {
    "verbatim": LEAK_PARAGRAPH,
    "rewrapped": textwrap.fill(LEAK_PARAGRAPH, width=37),
    "punctuation and case": LEAK_PARAGRAPH.upper().replace(",", ";").replace("'", "’"),
    "name replaced": LEAK_PARAGRAPH.replace("Kayden", "Tyler").replace("Dean Holt", "Carl Webb"),
    "word inserted": LEAK_PARAGRAPH.replace("which he said", "which he later said"),
    "invisible characters": LEAK_PARAGRAPH.replace("Linnet", "Lin\u200bnet").replace(
        "Constabulary", "Consta\u00adbulary"
    ),
    "look-alike letters": LEAK_PARAGRAPH.replace("a", "\u0430").replace("o", "\u03bf"),
    "look-alike letters of other scripts": LEAK_PARAGRAPH.replace("o", "\u0585").replace(
        "s", "\uabaa"
    ),  # Armenian oh, Cherokee small du
    # Small capitals and letters drawn as symbols (text generators' "fonts").
    "small capitals": LEAK_PARAGRAPH.replace("a", "\u1d00").replace("r", "\u0280"),
    "circled and squared letters": LEAK_PARAGRAPH.replace("o", "\u24de").replace("e", "\U0001f134"),
    # Default-ignorable characters of other kinds inside every word: a
    # right-to-left override, a variation selector, a tag, a Hangul filler...
    "hidden format characters in every word": " ".join(
        word[:2] + "\u202e\ufe0f\U000e0041\u3164\u2066\u17b4\u180b"[n % 7] + word[2:]
        for n, word in enumerate(LEAK_PARAGRAPH.split())
    ),
    # The same characters put instead of the spaces: the reader sees the words
    # run together (zero-width space) or blanks (Hangul filler), the words
    # dropped them from one long word per sentence.
    "zero-width spaces instead of spaces": LEAK_PARAGRAPH.replace(" ", "\u200b"),
    "Hangul fillers instead of spaces": LEAK_PARAGRAPH.replace(" ", "\u3164"),
    # Markdown emphasis on each word's first letter: rendered, plain words.
    "Markdown emphasis inside words": " ".join(
        f"**{w[0]}**{w[1:]}" for w in LEAK_PARAGRAPH.split()
    ),
    # Stored backwards after a right-to-left override: shown forwards.
    "right-to-left override, stored backwards": f"\u202e{LEAK_PARAGRAPH[::-1]}\u202c",
    "short copy of 40 words": SHORT_COPY,
    # Two edits three words apart leave four words in a row unshared (every
    # 3-word shingle over them differs): still one copied passage, not two
    # halves too short to count.
    "short copy, two edits close together": SHORT_COPY.replace(
        "happened when his mother's", "occurred when his mum's"
    ),
}


@pytest.mark.parametrize("disguise", DISGUISES)
def test_disguised_copy_inside_a_paragraph_is_a_cross_case_leak(
    indexed_store: Path, disguise: str
) -> None:
    copied = DISGUISES[disguise]
    document = leak_inside_own_paragraph(copied)
    result = run_check(indexed_store, document)
    assert result.verdict == "leak"
    leaks = [m for m in result.matches if m.status == "cross_case"]
    assert len(leaks) == 1, "one copied passage is reported as one match"
    match = leaks[0]
    assert match.source.case_id == "C-1003"
    assert match.source.record_id == "C-1003-SM"
    # The reported span is exact text of the document, inside the copy.
    assert document[match.start : match.end] == match.text
    copy_start, copy_end = document.index(copied), document.index(copied) + len(copied)
    # Within one word of the copy's edges: a shared 3-word run may take in the
    # neighbouring word when it happens to be the same in both texts.
    slack = 12
    assert copy_start - slack <= match.start and match.end <= copy_end + slack
    overlap = min(match.end, copy_end) - max(match.start, copy_start)
    assert overlap >= 0.8 * len(copied)


def test_source_span_points_at_the_copied_text_in_the_record(
    indexed_store: Path, small_store: Path
) -> None:
    result = run_check(indexed_store, leak_inside_own_paragraph(LEAK_PARAGRAPH))
    (match,) = [m for m in result.matches if m.status == "cross_case"]
    record_text = (small_store / match.source.path).read_text(encoding="utf-8")
    source_text = record_text[match.source.start : match.source.end]
    assert source_text.startswith(LEAK_PARAGRAPH.rstrip("."))
    assert len(source_text.split()) <= len(LEAK_PARAGRAPH.split()) + 1


def test_template_text_shared_by_many_cases_is_boilerplate_not_a_leak(indexed_store: Path) -> None:
    result = run_check(indexed_store, "\n\n".join([TEMPLATE, OWN_BEFORE, OWN_AFTER]))
    assert result.verdict == "clean"
    assert [m.status for m in result.matches] == ["boilerplate"]


def test_reuse_within_the_case_is_same_case(indexed_store: Path) -> None:
    result = run_check(indexed_store, "\n\n".join([OWN_BEFORE, CASE_STORIES["C-1004"]]))
    assert result.verdict == "clean"
    assert [(m.status, m.source.case_id) for m in result.matches] == [("same_case", "C-1004")]


def test_the_same_leak_sent_to_its_own_case_is_not_a_leak(indexed_store: Path) -> None:
    document = "\n\n".join([TEMPLATE, f"{OWN_BEFORE} {LEAK_PARAGRAPH} {OWN_AFTER}"])
    result = run_check(indexed_store, document, "C-1003")
    assert result.verdict == "clean"
    assert "same_case" in {m.status for m in result.matches}


def test_unrelated_text_has_no_matches(indexed_store: Path) -> None:
    result = run_check(indexed_store, OWN_BEFORE + " " + OWN_AFTER)
    assert result.matches == ()


def test_a_phrase_shorter_than_the_minimum_is_not_a_match(indexed_store: Path) -> None:
    phrase = "attended school with a bruise to his upper left arm"
    result = run_check(indexed_store, f"{OWN_BEFORE} {phrase} {OWN_AFTER}")
    assert cross_case(result) == []


# One sentence of C-1003's record, 22 words: another family's adult and the charge.
CHARGE_SENTENCE = (
    "Harrowfield Constabulary confirmed that Dean Holt was charged on 2 March 2026 with "
    "assault occasioning actual bodily harm against Kayden's mother"
)


def test_one_copied_sentence_naming_another_family_is_a_leak(indexed_store: Path) -> None:
    """Under min_words, yet the neighbours' names and a criminal charge: the
    incident this project exists for. min_words_with_name finds it; with that
    rule off the same document passes."""
    document = f"{OWN_BEFORE} {CHARGE_SENTENCE}. {OWN_AFTER}"
    assert len(CHARGE_SENTENCE.split()) < CheckParams().min_words
    result = run_check(indexed_store, document)
    assert result.verdict == "leak"
    assert [case for case, _ in cross_case(result)] == ["C-1003"]
    assert "Dean Holt was charged" in cross_case(result)[0][1]
    without = CheckParams(min_words_with_name=0)
    assert run_check(indexed_store, document, params=without).verdict == "clean"


def test_a_short_stock_sentence_with_another_familys_name_needs_more_than_the_name(
    stopped_store: Path,
) -> None:
    """14 words of a stock account every family's notes hold, ending in one
    other family's surname: the name is 3 details, the stock words none, and
    a copy under min_words needs min_details_with_name (12)."""
    sentence = stopped(STOPPED_FAMILIES[0]).split(". ")[2] + "."
    assert sentence.startswith("He gave no account") and "Dunridge" in sentence
    document = f"{OWN_BEFORE} {sentence} {OWN_AFTER}"
    assert run_check(stopped_store, document, "C-6005").verdict == "clean"


# Six families' notes in one stock wording. First names, streets and towns recur across
# families; each family's combination of them is its own. One family's notes hold a
# stock observation word for word, which names no one.
BEDROOM = (
    "{child} described her bedroom at {number} {street}, {town} as {state} and said that "
    "she {habit}."
)
BEDROOMS = (  # child, house, street, town, state of the room, habit
    ("Isla", "79", "Kiln Street", "Wendlebury", "full of broken toys", "goes to bed at midnight"),
    ("Isla", "12", "Orchard Rise", "Ravensholme", "cold and dark", "sleeps in her uniform"),
    ("Lacey", "79", "Orchard Rise", "Wendlebury", "shared with cousins", "goes to bed at midnight"),
    ("Lacey", "105", "Kiln Street", "Ravensholme", "full of broken toys", "wakes at the shouting"),
    ("Tilly", "31", "Foundry Yard", "Wendlebury", "cold and dark", "wakes at the shouting"),
    ("Tilly", "12", "Foundry Yard", "Ravensholme", "shared with cousins", "sleeps in her uniform"),
)  # fmt: skip
SOILED = (
    "The social worker noted that the landing carpet was soiled with dog mess and the smell "
    "was noticeable from the hall."
)


@pytest.fixture
def bedroom_store(tmp_path: Path) -> Path:
    notes = []
    for number, (child, house, street, town, state, habit) in enumerate(BEDROOMS):
        sentence = BEDROOM.format(
            child=child, number=house, street=street, town=town, state=state, habit=habit
        )
        observed = SOILED if number == 1 else "The social worker saw the children alone."
        notes.append((f"C-70{number:02d}", "visit", f"2026-06-{number + 10}",
                      f"{TEMPLATE}\n\n{sentence} {observed}\n\n{STANDARD}"))  # fmt: skip
    return index_notes(tmp_path, "bedroom", notes)


def test_one_sentence_taken_word_for_word_with_another_familys_details_is_a_leak(
    bedroom_store: Path,
) -> None:
    """Its first name, street and town each recur in other families' notes, so none
    of them says whose it is: the whole sentence does. Taken word for word, with a
    name the receiving family never uses and the details of a full-length copy."""
    copied = BEDROOM.format(
        child="Isla", number="79", street="Kiln Street", town="Wendlebury",
        state="full of broken toys", habit="goes to bed at midnight",
    )  # fmt: skip
    document = f"{OWN_BEFORE} {copied} {OWN_AFTER}"
    result = run_check(bedroom_store, document, "C-7005")
    assert [case for case, _ in cross_case(result)] == ["C-7000"]
    without = CheckParams(min_words_with_name=0)
    assert run_check(bedroom_store, document, "C-7005", without).verdict == "clean"


def test_a_stock_observation_another_record_holds_word_for_word_is_not_a_leak(
    bedroom_store: Path,
) -> None:
    """Rare words, taken word for word, from one other family's record: but no name."""
    document = f"{OWN_BEFORE} {SOILED} {OWN_AFTER}"
    assert run_check(bedroom_store, document, "C-7005").verdict == "clean"


def test_unknown_case_is_refused(indexed_store: Path) -> None:
    with pytest.raises(UnknownCaseError, match="C-9999") as caught:
        run_check(indexed_store, LEAK_PARAGRAPH, "C-9999")
    assert "did you mean" not in str(caught.value)
    # The same case written in another case or with spaces: still refused, with the
    # index's spelling offered.
    with pytest.raises(UnknownCaseError, match="The index has 'C-1004': did you mean that"):
        run_check(indexed_store, LEAK_PARAGRAPH, " c-1004")


def test_an_unknown_case_filed_one_folder_down_is_pointed_out(tmp_path: Path) -> None:
    for case in ("C-1", "C-2"):
        (tmp_path / "store" / "Cases" / case).mkdir(parents=True)
        (tmp_path / "store" / "Cases" / case / "note.txt").write_text(LEAK_PARAGRAPH, "utf-8")
    index_store(tmp_path / "store", tmp_path / "i.duckdb")
    with pytest.raises(UnknownCaseError, match="filed under case 'Cases': was the store"):
        run_check(tmp_path / "i.duckdb", LEAK_PARAGRAPH, "C-1")


def test_origin_lists_holders_earliest_first(indexed_store: Path) -> None:
    with IndexStore.open_for_reading(indexed_store) as store:
        hits = find_origin(store, TEMPLATE, CheckParams())
    dates = [hit.source.date for hit in hits]
    assert len(hits) == 10
    assert dates == sorted(dates)
    with IndexStore.open_for_reading(indexed_store) as store:
        # 16 words: a 10-word phrase is missed by MinHash about once in 200 indexes.
        (hit,) = find_origin(
            store,
            "Dean Holt was charged on 2 March 2026 with assault occasioning actual bodily harm "
            "against Kayden's mother",
            CheckParams(),
        )
    assert hit.source.record_id == "C-1003-SM"


# --- formulaic case notes: every sentence is shared, the sequence is not ---------------------

FRAMES = (
    "{child} told {his} class teacher on a Monday morning that there is often no food in the "
    "house at the weekend and that {he} goes to {friend}'s house to be fed.",
    "During the home visit the social worker noted dog mess on the kitchen floor and a "
    "mattress on the floor of the children's room, and {mother} said that the landlord had "
    "not fixed anything.",
    "{mother} disclosed that {partner} checks her phone every evening and keeps her bank "
    "card, and that she has not been allowed to see her friends since the spring.",
    "Neighbours rang the police late at night after hearing shouting and a child screaming, "
    "and officers found {mother} with a cut lip and {child} hiding under the stairs.",
    "{child} has missed eleven sessions at school this term and {his} grandmother says that "
    "{he} stays at home to care for a younger brother.",
    "When the plan was discussed with {him} at school, {child} became very upset and said "
    "that {he} wants to live with {his} nan and is scared of going home.",
)
FAMILIES = (  # child, he/his/him, mother, partner, friend: all fictional
    ("Kayla", "she", "her", "her", "Dawn Pilling", "Gavin Hirst", "Esme"),
    ("Jonah", "he", "his", "him", "Tanya Clegg", "Shane Yeadon", "Corey"),
    ("Poppy", "she", "her", "her", "Vicky Lumb", "Neil Thwaite", "Skye"),
    ("Reece", "he", "his", "him", "Gemma Uttley", "Craig Dobson", "Logan"),
    ("Isla", "she", "her", "her", "Leanne Hollis", "Wayne Garside", "Tilly"),
    ("Dylan", "he", "his", "him", "Kirsty Nuttall", "Darren Fawcett", "Owen"),
    ("Freya", "she", "her", "her", "Hayley Crowther", "Scott Ackroyd", "Leah"),
    ("Callum", "he", "his", "him", "Joanne Ormerod", "Kyle Entwistle", "Rhys"),
)
# Each family's notes tell the six events in their own order.
ORDERS = (
    (0, 1, 2, 3, 4, 5), (3, 1, 5, 0, 4, 2), (5, 2, 3, 4, 0, 1), (0, 1, 2, 3, 4, 5),
    (5, 2, 0, 1, 3, 4), (1, 4, 5, 2, 3, 0), (5, 2, 1, 4, 3, 0), (2, 0, 1, 4, 3, 5),
)  # fmt: skip
# Orders in which no two sentences follow each other as in any family's notes.
NEW_ORDERS = ((1, 0, 3, 2, 5, 4), (4, 1, 0, 2, 5, 3))
FORMULAIC_CASES = [f"C-20{n:02d}" for n in range(1, len(FAMILIES) + 1)]


def formulaic(order: tuple[int, ...], family: tuple[str, ...]) -> str:
    child, he, his, him, mother, partner, friend = family
    slots = {"child": child, "he": he, "his": his, "him": him, "mother": mother,
             "partner": partner, "friend": friend}  # fmt: skip
    return " ".join(FRAMES[n].format(**slots) for n in order)


def formulaic_notes() -> list[tuple[str, str, str, str]]:
    """Eight cases whose notes are the same six formulaic sentences, in each case's order."""
    return [
        (case_id, kind, f"2026-05-{number + 10}", text)
        for number, case_id in enumerate(FORMULAIC_CASES)
        for kind, text in (
            ("visit", formulaic(ORDERS[number], FAMILIES[number])),
            ("plan", f"{TEMPLATE}\n\n{STANDARD}"),
        )
    ]


@pytest.fixture
def formulaic_store(tmp_path: Path) -> Path:
    return index_notes(tmp_path, "formulaic", formulaic_notes())


# The context rule (CheckParams.context_words, on by default), at the looser end of
# the README's trade-off table, and the rule off (every word counted on its own).
IN_CONTEXT = CheckParams(context_words=4, min_distinctive_words=14)
WORD_BY_WORD = CheckParams(context_words=0, min_distinctive_words=6)
NEW_FAMILY = ("Lacey", "she", "her", "her", "Chantelle Rowntree", "Marcus Tebbutt", "Zara")


def test_formulaic_paragraph_copied_with_names_replaced_is_a_leak(formulaic_store: Path) -> None:
    """Every sentence is template text on its own; the other family's sequence is not."""
    copied = formulaic(ORDERS[1], NEW_FAMILY)  # C-2002's notes, names replaced
    document = f"{OWN_BEFORE}\n\n{copied}\n\n{OWN_AFTER}"
    result = run_check(formulaic_store, document, "C-2001", IN_CONTEXT)
    assert result.verdict == "leak"
    assert {case for case, _ in cross_case(result)} == {"C-2002"}
    # Counted word by word, every word of it is template text.
    assert run_check(formulaic_store, document, "C-2001", WORD_BY_WORD).verdict == "clean"


def test_formulaic_sentences_in_a_new_order_are_not_a_leak(formulaic_store: Path) -> None:
    """The same sentences with other details, in an order no record has, are template."""
    for order in NEW_ORDERS:
        text = formulaic(order, NEW_FAMILY)
        result = run_check(formulaic_store, f"{OWN_BEFORE}\n\n{text}", "C-2001", IN_CONTEXT)
        assert result.verdict == "clean", cross_case(result)


def test_context_counts_the_same_with_the_table_and_with_sorted_keys(
    formulaic_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """_Holders._covers_window counts windows in a part x word table when it is
    small enough, else over sorted keys: both must give every match the same."""
    documents = [
        f"{OWN_BEFORE}\n\n{formulaic(order, family)}\n\n{OWN_AFTER}"
        for order, family in ((ORDERS[1], NEW_FAMILY), (NEW_ORDERS[0], NEW_FAMILY))
    ] + [f"{formulaic(ORDERS[2], FAMILIES[2])}\n\n{formulaic(ORDERS[4], FAMILIES[4])}"]
    with_table = [run_check(formulaic_store, d, "C-2001", IN_CONTEXT) for d in documents]
    monkeypatch.setattr(holders, "_DENSE_CELLS", 0)
    with_keys = [run_check(formulaic_store, d, "C-2001", IN_CONTEXT) for d in documents]
    assert with_table == with_keys
    assert {m.status for r in with_table for m in r.matches} >= {"cross_case", "boilerplate"}


def test_dropping_parts_that_repeat_another_of_their_case_changes_no_match(
    indexed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """_Holders keeps one of each set of parts with the same case, span and
    covered words (holders.distinct_parts; here every case's two records
    repeat the template and the family's story): only which cases hold a
    word counts, so keeping them all must give every match the same."""
    documents = [
        leak_inside_own_paragraph(LEAK_PARAGRAPH),
        leak_inside_own_paragraph(DISGUISES["name replaced"]),
        "\n\n".join([TEMPLATE, CASE_STORIES["C-1002"], STANDARD]),
    ]
    dropped: list[int] = []
    distinct_parts = holders.distinct_parts

    def counting(*arrays: np.ndarray) -> np.ndarray:
        kept = distinct_parts(*arrays)
        dropped.append(int((~kept).sum()))
        return kept

    monkeypatch.setattr(holders, "distinct_parts", counting)
    distinct = [run_check(indexed_store, d) for d in documents]
    assert sum(dropped) > 0
    monkeypatch.setattr(holders, "distinct_parts", lambda part, *_: np.ones(len(part), dtype=bool))
    every_part = [run_check(indexed_store, d) for d in documents]
    assert distinct == every_part
    assert {m.status for r in distinct for m in r.matches} >= {
        "cross_case",
        "same_case",
        "boilerplate",
    }


def test_distinct_parts_keeps_the_first_of_each_case_span_and_coverage() -> None:
    # Parts 0-1 repeat each other; 2 is another case's; 3 covers other words;
    # 4 spans further; 5 repeats 0 again.
    covered = [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 4], [1, 2, 3], [1, 2, 3]]
    part = np.repeat(np.arange(6), [len(words) for words in covered])
    position = np.concatenate([np.array(words) for words in covered])
    case = np.array([1, 1, 2, 1, 1, 1])
    start = np.array([0, 0, 0, 0, 0, 0])
    end = np.array([5, 5, 5, 5, 6, 5])
    kept = holders.distinct_parts(part, position, case, start, end)
    assert sorted(set(part[kept].tolist())) == [0, 2, 3, 4]


def test_looking_up_candidates_words_in_batches_changes_no_match(
    formulaic_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cases_holding and exact_runs take candidates' words a batch at a time
    (memory, for stores of long records); small batches, some ending inside a
    phrase, give the same matches."""
    documents = [
        f"{OWN_BEFORE}\n\n{formulaic(ORDERS[1], NEW_FAMILY)}\n\n{OWN_AFTER}",
        f"{formulaic(ORDERS[2], FAMILIES[2])}\n\n{formulaic(ORDERS[4], FAMILIES[4])}",
    ]
    at_once = [run_check(formulaic_store, d, "C-2001", IN_CONTEXT) for d in documents]
    monkeypatch.setattr(details, "_LOOKUP_BATCH_WORDS", 7)
    monkeypatch.setattr("provenance.align._SEED_BATCH_WORDS", 1)
    batched = [run_check(formulaic_store, d, "C-2001", IN_CONTEXT) for d in documents]
    assert batched == at_once
    assert any(r.verdict == "leak" for r in at_once)


def test_a_formulaic_sentence_beside_new_text_is_not_a_leak(formulaic_store: Path) -> None:
    sentence = FRAMES[3].format(mother="Chantelle Rowntree", child="Lacey")
    for document in (f"{OWN_BEFORE} {sentence} {OWN_AFTER}", f"{sentence} {FILLER}"):
        result = run_check(formulaic_store, document, "C-2001", IN_CONTEXT)
        assert result.verdict == "clean", cross_case(result)


# A ninth family with the same first names as C-2005's child, mother and friend.
NAMESAKES = ("Isla", "she", "her", "her", "Leanne Birtwhistle", "Dean Sowerby", "Tilly")


def test_stock_sentences_sharing_only_the_receiving_familys_own_names_are_clean(
    tmp_path: Path,
) -> None:
    """Two families can each have an Isla with a friend Tilly. The receiving
    family's own names in stock sentences, in an order another family's notes
    also use, are no content of that family's record; its surnames are."""
    own_note = (
        f"{OWN_BEFORE} Isla lives with her mother Leanne Birtwhistle. Her best friend "
        f"Tilly often stays for tea, and Dean Sowerby is not allowed to visit. {OWN_AFTER}"
    )
    notes = [*formulaic_notes(), ("C-2099", "visit", "2026-05-30", own_note)]
    db_path = index_notes(tmp_path, "namesakes", notes)
    first_two = ORDERS[4][2:4]  # two of C-2005's sentences, in its order (and three others')
    own = formulaic(first_two, NAMESAKES)
    result = run_check(db_path, f"{OWN_BEFORE}\n\n{own}\n\n{OWN_AFTER}", "C-2099")
    assert result.verdict == "clean", cross_case(result)
    copied = formulaic(first_two, FAMILIES[4])  # Leanne Hollis, C-2005's own mother
    result = run_check(db_path, f"{OWN_BEFORE}\n\n{copied}\n\n{OWN_AFTER}", "C-2099")
    assert {case for case, _ in cross_case(result)} == {"C-2005"}


def _name_weights(db_path: Path, document: str, case_id: str) -> dict[str, tuple[int, bool]]:
    """Each name of `document`: its weight and whether it is familiar to
    `case_id`'s family, as a check of it judges them (details.detail_weights)."""
    params = CheckParams()
    words = split_words(document)
    marks = match._marks(document, words, params)
    assert marks is not None
    with IndexStore.open_for_reading(db_path) as store:
        ids = match._query_of(store, words).ids
        found = candidates.find_candidates(store, ids, params, None)
        numbers = details.number_cases([r.info.case_id for r in found.records], case_id)
        weight, _, _, familiar, _ = details.detail_weights(found, ids, numbers, marks, params)
    return {
        document[start:end]: (int(weight[n]), bool(familiar[n]))
        for n, (start, end) in enumerate(
            zip(words.starts.tolist(), words.ends.tolist(), strict=True)
        )
        if marks.names[n]
    }


def test_a_full_name_the_family_never_writes_is_another_familys_person(tmp_path: Path) -> None:
    """The receiving family has a Leanne (the mother) and a Hollis (a health
    visitor), never a "Leanne Hollis": C-2005's mother is not theirs, though
    each of her names is familiar to them. Found by the labelled benchmark: a
    stock sentence copied with such a name was cleared as template text."""
    own_note = (
        f"{OWN_BEFORE} Isla lives with her mother Leanne Birtwhistle. Her best friend "
        f"Tilly often stays for tea, and the health visitor, Mrs Hollis, calls on "
        f"Fridays. {OWN_AFTER}"
    )
    notes = [*formulaic_notes(), ("C-2099", "visit", "2026-05-30", own_note)]
    copied = formulaic(ORDERS[4][2:4], FAMILIES[4])  # two of C-2005's sentences: Leanne Hollis
    document = f"{OWN_BEFORE}\n\n{copied}\n\n{OWN_AFTER}"
    weights = _name_weights(index_notes(tmp_path, "full_names", notes), document, "C-2099")
    assert weights["Leanne"] == weights["Hollis"] == (3, False)  # another family's person
    assert weights["Isla"] == weights["Tilly"] == (1, True)  # the family's own names
    # Once the family's own notes write "Leanne Hollis" too, she may be theirs.
    notes[-1] = ("C-2099", "visit", "2026-05-30", f"{own_note} Leanne Hollis was there.")
    weights = _name_weights(index_notes(tmp_path, "full_names_own", notes), document, "C-2099")
    assert weights["Leanne"] == weights["Hollis"] == (1, True)


HEALTH_REVIEW = (
    "Health records for Rhys, born 14/02/2019, were reviewed by Lisa Dunworth on Thursday "
    "4 December."
)


@pytest.fixture
def health_store(tmp_path: Path) -> Path:
    """Six families' health updates; three boys are Rhys, one of them born 14/02/2019."""
    updates = [
        HEALTH_REVIEW,
        "Health records for Rhys, born 02/11/2017, were reviewed by Lisa Dunworth on Monday 8 "
        "December.",
        "Rhys started at Brook Lane nursery in September and settled well.",
        "Health records for Ellie, born 21/07/2016, were reviewed by Lisa Dunworth on Friday 5 "
        "December.",
        "Mia has been seen by the school nurse about her asthma plan.",
        "Health records for Jack, born 30/01/2020, were reviewed by Lisa Dunworth on Tuesday 9 "
        "December.",
    ]
    texts = [f"Health update. {update} {FILLER}" for update in updates]
    return index_family_notes(tmp_path, "health", 72, "health", 4, texts)


def test_a_date_of_birth_only_one_other_family_holds_is_that_familys_detail(
    health_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first name three families use and a health worker many see: the date
    of birth is what makes the sentence one family's child.

    The draft carries the standard visit paragraph every family's note has, so
    every note is a candidate whatever the index's key: a first name counts as
    many families' only where those families' notes are looked at.
    """
    document = in_own_letter(HEALTH_REVIEW)
    assert [case for case, _ in cross_case(run_check(health_store, document, "C-7204"))] == [
        "C-7200"
    ]
    own_birthday = HEALTH_REVIEW.replace("14/02/2019", "02/11/2017")  # C-7201's own Rhys
    assert (
        run_check(health_store, document.replace(HEALTH_REVIEW, own_birthday), "C-7201").verdict
        == "clean"
    )
    # Reworded, so not a copy taken word for word: the date of birth alone
    # says whose child this is (word for word, its rare figures say so too).
    reworded = document.replace("were reviewed by", "were looked at by")
    assert [case for case, _ in cross_case(run_check(health_store, reworded, "C-7204"))] == [
        "C-7200"
    ]
    no_birth_dates = lambda found, ids, cases, key: np.zeros(len(ids), dtype=bool)  # noqa: E731
    monkeypatch.setattr(judge, "rare_birth_dates", no_birth_dates)
    assert run_check(health_store, reworded, "C-7204").verdict == "clean"


def test_only_a_date_after_a_birth_cue_is_a_date_of_birth(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "After the birth of Sophie" is no date of birth: the three words after
    a cue are looked up only when a month or a year is among them."""
    key = b"\x07" * 32
    looked_up: list[list[int]] = []

    def spy(found: Any, query: np.ndarray, starts: np.ndarray, *rest: Any) -> np.ndarray:
        looked_up.append(starts.tolist())
        return np.zeros(len(query), dtype=bool)

    monkeypatch.setattr(details, "held_by_other_cases", spy)
    text = "Low mood after the birth of Sophie. Rhys, born 14/02/2019, and Ava, born 2018 in May."
    words = split_words(text).words
    ids = shingle.word_ids(words, key)
    one_candidate = SimpleNamespace(words=[None])
    details.rare_birth_dates(one_candidate, ids, ([0], 1), key)  # type: ignore[arg-type]
    assert [[words[start] for start in starts] for starts in looked_up] == [["14", "2018"]]


ARREST = (
    "At ten past five on a Saturday {child} was stopped by officers on the footpath behind "
    "the bus station and later released to {gran}. {child} had been in the company of two "
    "older males, was found with a large sum of cash and a second phone, gave no account in "
    "interview and was arrested for possession with intent to supply."
)
# First names repeat across families; each grandmother's name is the family's own.
ARREST_FAMILIES = (
    ("Freya", "Ottoline Stenshaw"), ("Freya", "Marigold Quarrender"),
    ("Isla", "Perpetua Hollingbrook"), ("Isla", "Winifred Asquell"),
    ("Freya", "Henrietta Brackwater"), ("Isla", "Clementina Furzedale"),
)  # fmt: skip


@pytest.fixture
def arrest_store(tmp_path: Path) -> Path:
    """Six cases whose police notes are one template filled with the family's details."""
    texts = [ARREST.format(child=c, gran=g) for c, g in ARREST_FAMILIES]
    return index_family_notes(tmp_path, "arrest", 30, "police", 6, texts)


def test_a_filled_template_with_another_familys_rare_names_is_a_leak(arrest_store: Path) -> None:
    """Few details, but a grandmother's full name only one other case holds: a leak.

    Word by word the copy has three details (a common first name, and the
    grandmother's two names); weighed as rare, the names carry it over the bar.
    """
    copied = ARREST.format(child="Freya", gran="Ottoline Stenshaw")  # C-3000's notes
    document = f"{OWN_BEFORE}\n\n{copied}\n\n{OWN_AFTER}"
    result = run_check(arrest_store, document, "C-3003", WORD_BY_WORD)
    assert result.verdict == "leak"
    assert {case for case, _ in cross_case(result)} == {"C-3000"}
    # Without the weights (and without the rule for sentences naming a person
    # one other family names, which catches this copy on its own), clean.
    unweighted = CheckParams(
        context_words=0,
        min_distinctive_words=6,
        rare_word_weight=1,
        name_weight=1,
        min_sentences_alone=0,
    )
    assert run_check(arrest_store, document, "C-3003", unweighted).verdict == "clean"


def test_the_same_template_with_the_receiving_familys_names_is_clean(arrest_store: Path) -> None:
    own = ARREST.format(child="Isla", gran="Winifred Asquell")  # C-3003's own details
    for params in (WORD_BY_WORD, CheckParams()):
        result = run_check(arrest_store, f"{OWN_BEFORE}\n\n{own}\n\n{OWN_AFTER}", "C-3003", params)
        assert result.verdict == "clean"


# --- names: another family's people and places, written as names ----------------------------

DISCLOSURE = (
    "{child} said that when {father} is angry he throws things at the wall, and that "
    "{she} goes to {friend}'s house two doors down until it is quiet again, sometimes for "
    "{hours} hours."
)
# Every first name and surname is used by two or three families, as in a real town:
# none is rare among the candidates, so only its being a name can make it a detail.
DISCLOSURE_FAMILIES = (
    ("Tilly", "Ashley Barraclough", "she", "Maisie", "seven"),
    ("Tilly", "Liam Ormerod", "she", "Skye", "two"),
    ("Corey", "Ashley Ormerod", "he", "Maisie", "three"),
    ("Corey", "Paul Barraclough", "he", "Skye", "four"),
    ("Tilly", "Paul Ormerod", "she", "Owen", "five"),
    ("Corey", "Liam Barraclough", "he", "Owen", "six"),
)


STRICT = CheckParams(min_distinctive_words=25)


def disclosure(family: tuple[str, ...]) -> str:
    child, father, she, friend, hours = family
    return DISCLOSURE.format(child=child, father=father, she=she, friend=friend, hours=hours)


@pytest.fixture
def disclosure_store(tmp_path: Path) -> Path:
    """Six cases whose notes fill one disclosure sentence with names other cases share."""
    texts = [f"{TEMPLATE}\n\n{disclosure(family)}" for family in DISCLOSURE_FAMILIES]
    return index_family_notes(tmp_path, "disclosure", 40, "visit", 7, texts)


def test_another_familys_names_in_a_copied_template_sentence_make_it_a_leak(
    disclosure_store: Path,
) -> None:
    """The skeleton is shared by every case; the names, in that order, are C-4000's.

    Most names are not rare (each is used by two or three families), so it is
    their being names, absent from the receiving family's own records, that
    carries the copy over a bar its other details (22 of them) do not reach.
    """
    copied = disclosure(DISCLOSURE_FAMILIES[0])
    document = f"{OWN_BEFORE}\n\n{copied}\n\n{OWN_AFTER}"
    result = run_check(disclosure_store, document, "C-4005", STRICT)
    assert result.verdict == "leak"
    assert {case for case, _ in cross_case(result)} == {"C-4000"}
    # (Taken word for word, the copy would also clear the verbatim bar, and its
    # father's full name, one family's, the rule for such sentences: off here.)
    unweighted = CheckParams(
        min_distinctive_words=25,
        name_weight=1,
        min_details_word_for_word=25,
        min_sentences_alone=0,
    )
    assert run_check(disclosure_store, document, "C-4005", unweighted).verdict == "clean"


def test_names_the_receiving_family_uses_are_no_news_to_it(disclosure_store: Path) -> None:
    """The same sentence with names the receiving family's own records hold is clean."""
    own_names = ("Corey", "Liam Barraclough", "he", "Owen", "six")  # C-4005's own details
    document = f"{OWN_BEFORE}\n\n{disclosure(own_names)}\n\n{OWN_AFTER}"
    for params in (STRICT, CheckParams()):
        assert run_check(disclosure_store, document, "C-4005", params).verdict == "clean"


# --- a detailed opening, then text every case holds -------------------------------------------

CALLOUT = (
    "Police were called to {address} at {time} on {date} after {caller} heard a man "
    "kicking the front door."
)
CALLOUT_FAMILIES = (
    ("27 Wharfside Terrace, Ollerby", "23:20", "24 April 2025", "Bernadette Quayle"),
    ("3 Tanners Row, Hebbleden", "01:45", "2 June 2025", "Ottilie Marchbank"),
    ("88 Coldharbour Lane, Ollerby", "22:05", "9 July 2025", "Leopold Fairweather"),
    ("5 Pikestone Court, Hebbleden", "19:30", "14 May 2025", "Rosalind Etherington"),
    ("61 Gallowgate, Ollerby", "02:10", "30 March 2025", "Cornelius Brightwater"),
    ("12 Saltmarsh Walk, Hebbleden", "21:50", "18 August 2025", "Philippa Wintergreen"),
)
POLICE_STANDARD = (
    "Officers spoke to both adults separately, checked on the children, who were in bed and "
    "had no visible injuries, and completed a domestic abuse risk assessment. A protecting "
    "people notification was submitted and shared with children's social care the same day, "
    "and the family were given the details of local support services."
)


def callout(family: tuple[str, ...]) -> str:
    address, time, date, caller = family
    return CALLOUT.format(address=address, time=time, date=date, caller=caller)


@pytest.fixture
def callout_store(tmp_path: Path) -> Path:
    """Six cases whose police notes open with their own call-out, then standard text."""
    texts = [f"{callout(family)} {POLICE_STANDARD}" for family in CALLOUT_FAMILIES]
    return index_family_notes(tmp_path, "callout", 50, "police", 8, texts)


def test_a_short_detailed_copy_before_standard_text_is_a_leak(callout_store: Path) -> None:
    """Another family's address, time, date and neighbour, copied with the standard
    text after it: the details are fewer than min_words words, but the copy is not."""
    document = f"{OWN_BEFORE}\n\n{callout(CALLOUT_FAMILIES[0])} {POLICE_STANDARD}\n\n{OWN_AFTER}"
    result = run_check(callout_store, document, "C-5005")
    assert result.verdict == "leak"
    assert {case for case, _ in cross_case(result)} == {"C-5000"}
    (flagged,) = cross_case(result)
    assert "Wharfside Terrace" in flagged[1]


def test_the_receiving_familys_own_call_out_before_standard_text_is_clean(
    callout_store: Path,
) -> None:
    document = f"{OWN_BEFORE}\n\n{callout(CALLOUT_FAMILIES[5])} {POLICE_STANDARD}\n\n{OWN_AFTER}"
    assert run_check(callout_store, document, "C-5005").verdict == "clean"


# --- a short copy of stock sentences that names another family's adult -----------------------

STOPPED = (
    "At {time} on {date} {child} was stopped by officers behind the bus station in the company "
    "of two older males. He was found with a large sum of cash and a second phone, and was "
    "arrested for possession of {offence}. He gave no account in interview and was released "
    "under investigation to {adult}. A risk assessment was completed and graded medium."
)
# Offences and first names repeat across families; each adult's surname is the family's own.
STOPPED_FAMILIES = (
    ("21:05", "25/12/2025", "Corey", "a knife", "Mrs Dunridge"),
    ("19:40", "3/1/2026", "Jayden", "a bladed article", "Mrs Kettlewick"),
    ("22:15", "14/2/2026", "Corey", "cannabis", "Mr Tenterden"),
    ("20:30", "9/3/2026", "Jayden", "cannabis", "Mrs Pellingham"),
    ("23:50", "30/3/2026", "Corey", "a bladed article", "Mr Quillfeather"),
    ("18:25", "2/4/2026", "Jayden", "cannabis", "Mrs Lowdham"),
)  # fmt: skip


def stopped(family: tuple[str, ...]) -> str:
    time, date, child, offence, adult = family
    return STOPPED.format(time=time, date=date, child=child, offence=offence, adult=adult)


def stopped_middle(family: tuple[str, ...]) -> str:
    """The two sentences a short copy takes: the charge and whom he was released to."""
    return ". ".join(stopped(family).split(". ")[1:3]) + "."


@pytest.fixture
def stopped_store(tmp_path: Path) -> Path:
    """Six cases whose police notes fill one stock account with the family's details."""
    texts = [f"{TEMPLATE}\n\n{stopped(family)}" for family in STOPPED_FAMILIES]
    return index_family_notes(tmp_path, "stopped", 60, "police", 9, texts)


def test_a_short_stock_copy_naming_another_familys_adult_is_a_leak(stopped_store: Path) -> None:
    """36 words of stock sentences held by every case, but ending in the name of an
    adult only C-6000's records hold: whose account it is shows in that name alone.

    Its details fall short of min_distinctive_words; min_details_with_name is
    what flags it, so with that rule off the same document passes.
    """
    copied = stopped_middle(STOPPED_FAMILIES[0])
    document = f"{OWN_BEFORE} {copied} {OWN_AFTER}"
    result = run_check(stopped_store, document, "C-6005")
    assert result.verdict == "leak"
    assert {case for case, _ in cross_case(result)} == {"C-6000"}
    assert "Mrs Dunridge" in cross_case(result)[0][1]
    # (The verbatim bar, 14 details, would find it too, and so would its two whole
    # sentences only C-6000 holds (`min_sentences_alone`): off here.)
    without = CheckParams(
        min_details_with_name=0, min_details_word_for_word=20, min_sentences_alone=0
    )
    assert run_check(stopped_store, document, "C-6005", without).verdict == "clean"


def test_the_same_stock_sentences_with_the_receiving_familys_adult_are_clean(
    stopped_store: Path,
) -> None:
    own = stopped_middle(STOPPED_FAMILIES[5])  # C-6005's own adult
    assert run_check(stopped_store, f"{OWN_BEFORE} {own} {OWN_AFTER}", "C-6005").verdict == "clean"


def own_words(count: int, seed: int) -> str:
    """`count` words of text no record holds, in sentences of twelve."""
    rng = random.Random(seed)
    words = [f"{rng.choice('bdfgklmnprstvz')}{rng.choice('aeiou')}{n}" for n in range(count)]
    return " ".join(" ".join(words[at : at + 12]).capitalize() + "." for at in range(0, count, 12))


def test_a_copy_in_a_long_document_is_found_in_its_window(
    indexed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 14,000-word bundle is checked window by window (memory stays that of
    an ordinary document); the copy near its end is found from the right record."""
    windows = []
    whole = match._window_matches

    def spy(checking: Any, window: Any) -> list[Match]:
        windows.append(len(window.words.ids))
        return whole(checking, window)

    monkeypatch.setattr(match, "_window_matches", spy)
    document = f"{own_words(13_000, 1)}\n\n{LEAK_PARAGRAPH}\n\n{own_words(900, 2)}"
    progress: list[tuple[int, int]] = []
    with IndexStore.open_for_reading(indexed_store) as store:
        result = check_text(
            store,
            document,
            "bundle.txt",
            "C-1004",
            CheckParams(),
            on_progress=lambda done, total: progress.append((done, total)),
        )
    assert cross_case(result) == [("C-1003", LEAK_PARAGRAPH.rstrip("."))]
    assert len(windows) == 3 and max(windows) == windowing.WINDOW_WORDS
    assert progress == [(1, 3), (2, 3), (3, 3)]


def test_a_copy_across_a_window_boundary_is_one_whole_match(
    indexed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows overlap by more than the copy, so it lies whole in one of them:
    reported once, whole, with no record listed twice."""
    monkeypatch.setattr(windowing, "WINDOW_WORDS", 200)
    monkeypatch.setattr(windowing, "WINDOW_OVERLAP", 100)
    assert len(LEAK_PARAGRAPH.split()) < 100
    document = f"{own_words(160, 3)} {LEAK_PARAGRAPH} {own_words(300, 4)}"
    copy_start = document.index(LEAK_PARAGRAPH)
    assert (
        len(document[:copy_start].split())
        < 200
        < len(document[: copy_start + len(LEAK_PARAGRAPH)].split())
    ), "the copy straddles the end of the first window"
    result = run_check(indexed_store, document)
    (leak,) = [m for m in result.matches if m.status == "cross_case"]
    assert leak.source.record_id == "C-1003-SM"
    assert leak.start <= copy_start + 8 and leak.end >= copy_start + len(LEAK_PARAGRAPH) - 8
    listed = [leak.source.record_id, *(s.record_id for s in leak.other_sources)]
    assert len(listed) == len(set(listed))


def test_origin_of_a_long_text_lists_a_passage_in_two_windows_once(
    indexed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(windowing, "WINDOW_WORDS", 200)
    monkeypatch.setattr(windowing, "WINDOW_OVERLAP", 100)
    text = f"{own_words(120, 5)} {LEAK_PARAGRAPH} {own_words(300, 6)}"
    with IndexStore.open_for_reading(indexed_store) as store:
        hits = find_origin(store, text, CheckParams())
    (hit,) = [h for h in hits if h.source.record_id == "C-1003-SM"]
    assert text[hit.query_start : hit.query_end].startswith("Summary of concerns")
    assert text[hit.query_start : hit.query_end].endswith("attend the address")


SECOND_PARAGRAPH = (
    "At the core group on 9 April 2026 Jodie Marsh said that Dean Holt had moved back into "
    "14 Linnet Close against the bail conditions, and that Kayden had been kept off Linnet "
    "Primary School for four days so that the bruising would not be seen."
)


@pytest.fixture
def two_paragraph_store(tmp_path: Path) -> Path:
    """C-4001's note holds two detailed paragraphs far apart; C-4002 has a note of its own."""
    notes = [
        (
            "C-4001",
            "strategy",
            "2026-04-10",
            f"{LEAK_PARAGRAPH}\n\n{own_words(300, 11)}\n\n{SECOND_PARAGRAPH}",
        ),
        ("C-4002", "plan", "2026-04-11", f"{OWN_BEFORE}\n\n{own_words(200, 12)}"),
    ]
    return index_notes(tmp_path, "two", notes)


def test_two_copied_paragraphs_side_by_side_are_one_match(two_paragraph_store: Path) -> None:
    """Copied in the other order, nothing of the document's own between them:
    the reviewer sees one passage from C-4001's note, spanning both."""
    document = f"{OWN_BEFORE}\n\n{SECOND_PARAGRAPH}\n\n{LEAK_PARAGRAPH}\n\n{OWN_AFTER}"
    result = run_check(two_paragraph_store, document, "C-4002")
    (leak,) = [m for m in result.matches if m.status == "cross_case"]
    assert leak.text.startswith("At the core group") and leak.text.endswith("the address")
    assert leak.source.record_id == "C-4001-strategy"
    note_words = len(LEAK_PARAGRAPH.split()) + 300 + len(SECOND_PARAGRAPH.split())
    assert leak.matched_words > 0.8 * (note_words - 300)
    assert leak.source.end - leak.source.start > len(LEAK_PARAGRAPH) + len(SECOND_PARAGRAPH)


def test_a_sentence_of_the_documents_own_keeps_two_copies_apart(two_paragraph_store: Path) -> None:
    document = f"{SECOND_PARAGRAPH}\n\n{OWN_BEFORE}\n\n{LEAK_PARAGRAPH}"
    result = run_check(two_paragraph_store, document, "C-4002")
    assert len(cross_case(result)) == 2


def _run_of(
    details: list[int],
    content: list[int],
    named: list[bool] | None = None,
    *,
    verbatim: bool = False,
) -> bool:
    """`_enough_details` for one run of words with these details, content details
    (the part of each word's details that is not template even on its own) and
    names, in a region that matches its source word for word or not."""
    import numpy as np

    run = np.arange(len(details))
    identifying = np.array(named if named is not None else [False] * len(details))
    bar = evidence.Bar.of(CheckParams(), verbatim=verbatim)
    return evidence.enough_details(run, np.array(details), np.array(content), identifying, bar)


def test_a_run_of_stock_wording_in_another_records_order_needs_more_details() -> None:
    """20 details pass when 3 are content (a name, a place, a date); 20 or 22
    details that are all sequence do not; 23 do (CheckParams defaults)."""
    defaults = CheckParams()
    assert (defaults.min_distinctive_words, defaults.min_content_details) == (20, 3)
    assert defaults.min_sequence_only_details == 23
    assert _run_of([1] * 20, [1] * 3 + [0] * 17)
    assert not _run_of([1] * 20, [1] * 2 + [0] * 18)
    assert not _run_of([1] * 22, [0] * 22)
    assert _run_of([1] * 23, [0] * 23)
    # Another family's name still lowers the bar, content or not.
    assert _run_of([3] + [1] * 9, [0] * 10, [True] + [False] * 9)
    assert not _run_of([1] * 19, [1] * 19)


def test_a_copy_taken_word_for_word_needs_14_details_with_content() -> None:
    assert CheckParams().min_details_word_for_word == 14
    assert _run_of([1] * 14, [1] * 3 + [0] * 11, verbatim=True)
    assert not _run_of([1] * 14, [1] * 3 + [0] * 11)  # an edited region: 20 as ever
    assert not _run_of([1] * 13, [1] * 13, verbatim=True)
    assert not _run_of([1] * 19, [1] * 2 + [0] * 17, verbatim=True)  # content still needed


def _short_of(
    details: list[int],
    content: list[int],
    names: tuple[list[bool], list[bool]] | None = None,
    *,
    verbatim: bool = False,
) -> bool:
    """`_short_copy` for one run of words shorter than min_words: details,
    content details, and which words are (another family's, unfamiliar) names."""
    import numpy as np

    none = [False] * len(details)
    identifying, unfamiliar = names if names is not None else (none, none)
    return evidence.short_copy(
        np.arange(len(details)),
        np.array(details),
        np.array(content),
        (np.array(identifying), np.array(unfamiliar)),
        evidence.Bar.of(CheckParams(), verbatim=verbatim),
        verbatim,
    )


def test_a_run_under_min_words_is_a_copy_only_with_a_name() -> None:
    """12-24 words: another family's name and 12 details; or taken word for word,
    a name the receiving family never uses, and a full-length copy's 20 details
    with 3 of content (CheckParams.min_words_with_name)."""
    defaults = CheckParams()
    assert (defaults.min_words_with_name, defaults.min_details_with_name) == (12, 12)
    nobody = [False] * 12
    first = [True] + [False] * 11
    # Another family's name (the first word) and 12 details, edited or not.
    assert _short_of([3] + [1] * 9 + [0] * 2, [0] * 12, (first, first))
    assert not _short_of([3] + [1] * 8 + [0] * 3, [0] * 12, (first, first))  # 11
    assert not _short_of([3] + [1] * 9, [0] * 10, (first[:10], first[:10]))  # 10 words
    # Word for word, with an unfamiliar name (the first word): 22 details, 3 content.
    details = [3] + [2] * 8 + [1] * 3
    assert _short_of(details, [3] + [0] * 11, (nobody, first), verbatim=True)
    assert not _short_of(details, [3] + [0] * 11, (nobody, first))  # edited
    assert not _short_of(details, [2] + [0] * 11, (nobody, first), verbatim=True)  # content
    assert not _short_of(details, details, (nobody, nobody), verbatim=True)  # no name
    nineteen = [3] + [2] * 5 + [1] * 6
    assert not _short_of(nineteen, [3] + [0] * 11, (nobody, first), verbatim=True)


def test_a_lower_min_words_lowers_the_bar_for_sequence_too() -> None:
    bar = evidence.Bar.of(CheckParams(min_words=10), verbatim=False)
    assert (bar.with_content, bar.sequence_only) == (10, 10)
    assert evidence.Bar.of(CheckParams(min_words=10), verbatim=True).with_content == 10
    bar = evidence.Bar.of(CheckParams(min_sequence_only_details=5), verbatim=False)
    assert bar.sequence_only == bar.with_content == 20  # never below the main bar


_HOSTILE_PIECES = st.sampled_from(
    ["\u202e", "\u202c", "\u200b", "\u3164", "**", "<span>", "&#75;", "<bdo dir=rtl>", "\n"]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 600), _HOSTILE_PIECES), max_size=12))
def test_every_match_quotes_the_checked_text_at_its_offsets(
    indexed_store: Path, insertions: list[tuple[int, str]]
) -> None:
    """Whatever is put into a copy (overrides, invisible characters, markup), each
    match is a span of the checked text itself, so reports can highlight it."""
    document = leak_inside_own_paragraph(LEAK_PARAGRAPH)
    for at, piece in sorted(insertions, reverse=True):
        document = document[:at] + piece + document[at:]
    for found in run_check(indexed_store, document).matches:
        assert 0 <= found.start < found.end <= len(document)
        assert document[found.start : found.end] == found.text


def test_a_reading_with_the_same_words_is_not_checked_again(
    indexed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Markup between whole words changes no word, mark or sentence cut, so the
    rendered reading would find exactly what the stored text did; markup
    inside a word changes the words, and that reading is checked."""
    readings_checked: list[str] = []
    real = match._matches_of_reading

    def counting(store: Any, text: str, *args: Any) -> tuple[Match, ...]:
        readings_checked.append(text)
        return real(store, text, *args)

    monkeypatch.setattr(match, "_matches_of_reading", counting)
    between = leak_inside_own_paragraph(LEAK_PARAGRAPH.replace("Kayden", "**Kayden**"))
    inside = leak_inside_own_paragraph(LEAK_PARAGRAPH.replace("Kayden", "**K**ayden"))
    for document, readings in ((between, 1), (inside, 2)):
        readings_checked.clear()
        result = run_check(indexed_store, document)
        assert len(readings_checked) == readings
        assert [case for case, _ in cross_case(result)] == ["C-1003"]


def test_a_reading_is_checked_only_where_its_words_differ(
    indexed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long letter whose copied paragraph is glued by zero-width spaces put
    for its spaces: the reading with them as spaces is checked around that
    paragraph, not the whole letter again, and the copy is found."""
    words_checked: list[int] = []
    real = match._matches_of_reading

    def counting(store: Any, text: str, words: Any, *args: Any) -> tuple[Match, ...]:
        words_checked.append(len(words))
        return real(store, text, words, *args)

    monkeypatch.setattr(match, "_matches_of_reading", counting)
    glued = LEAK_PARAGRAPH.replace(" ", "\u200b")
    own = " ".join([CASE_STORIES["C-1004"]] * 40)  # the family's own text, ~2,000 words
    document = f"{own}\n\n{OWN_BEFORE} {glued} {OWN_AFTER}\n\n{own}"
    result = run_check(indexed_store, document)
    assert [case for case, _ in cross_case(result)] == ["C-1003"]
    stored, *readings = words_checked
    assert readings and all(read < stored / 2 for read in readings), words_checked
