"""Which words read as names: capitalised inside a sentence, and nothing else."""

from __future__ import annotations

import re

import numpy as np

from provenance.names import name_like
from provenance.normalize import split_words


def names_in(text: str) -> list[str]:
    words = split_words(text)
    flags = name_like(text, words.starts, words.ends)
    return [text[s:e] for s, e, hit in zip(words.starts, words.ends, flags, strict=True) if hit]


def test_capitalised_words_inside_a_sentence_are_names() -> None:
    text = "The school nurse, Stuart Lumb, saw Niamh's brother at 14 Kiln Street."
    assert names_in(text) == ["Stuart", "Lumb", "Niamh", "Kiln", "Street"]


def test_the_first_word_of_a_sentence_is_a_name_only_if_never_written_in_lower_case() -> None:
    """Capitals at the start of a sentence, line or item are not evidence, unless the
    document never uses the word in lower case and it is no English function word."""
    text = (
        "Tilly was seen at school. Later the school called. She said the home visit went "
        "well\nSchool called later\n- Home visit next week. During the visit she was calm."
    )
    assert names_in(text) == ["Tilly"]


def test_capitals_months_weekdays_and_words_with_digits_are_not_names() -> None:
    text = "She saw the GP and the MMR nurse on Monday 3 May, and again in September at 10Am."
    assert names_in(text) == []
    # A child's "I hate Sundays" names no one.
    assert names_in("Noah said I hate Sundays and Mondays are worse.") == ["Noah"]


def test_family_roles_and_titles_are_not_names() -> None:
    """Every family has a Mum; the name after a title is caught on its own."""
    text = "She said Mum and Nan were out, and Ms Talcroft and Dr Okafor agreed."
    assert names_in(text) == ["Talcroft", "Okafor"]


def test_spans_from_any_text_are_safe() -> None:
    """Odd text (invisible characters, other scripts, empty) never raises."""
    for text in ("", "  ", "a\u200bB c", "ｆｕｌｌ Ｗｉｄｔｈ name", "x ΑΒΓ Δέλτα"):
        words = split_words(text)
        flags = name_like(text, words.starts, words.ends)
        assert flags.shape == (len(words),) and flags.dtype == np.bool_


def test_doc_example_spans_agree_with_split_words() -> None:
    text = "Tilly said that Ashley Barraclough was seen in May by the GP."
    starts = np.array([m.start() for m in re.finditer(r"\w+", text)])
    ends = np.array([m.end() for m in re.finditer(r"\w+", text)])
    words = split_words(text)
    assert starts.tolist() == words.starts.tolist() and ends.tolist() == words.ends.tolist()


def test_surnames_in_capitals_are_names_as_police_write_them() -> None:
    """Two or more words in capitals in a row, or one after a name, on a line
    that is not a heading; never a lone acronym or an ordinary word."""
    text = "Children present: BROOKE CROWTHER (15), WREN CROWTHER (4). Spencer SUTCLIFFE (30)."
    expected = ["Children", "BROOKE", "CROWTHER", "WREN", "CROWTHER", "Spencer", "SUTCLIFFE"]
    assert names_in(text) == expected
    assert names_in("She saw the GP, the MMR nurse and CAMHS. DASH: STANDARD.") == []
    assert names_in("CHILD PROTECTION PLAN\nThe review of the plan") == []
    # Words the text writes in lower case are ordinary, in capitals too. (Others,
    # "RISK LEVEL" in a text that never writes them, read as a name: the receiving
    # family's records hold such words, so they count as its own, no content.)
    assert names_in("The risk level was standard. RISK LEVEL STANDARD") == []
