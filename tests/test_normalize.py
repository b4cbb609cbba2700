"""Normalisation: offsets map back to the original; disguises do not change words."""

from __future__ import annotations

import re
import string
import unicodedata

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.normalize import (
    INVISIBLE_CHARS,
    date_words,
    normalize_text,
    normalize_word,
    split_words,
    word_stem,
)
from provenance.readings import spaced_invisibles, visual_order
from provenance.shingle import shingle_hashes, word_ids

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # no lone surrogates
    max_size=300,
)


def test_offsets_point_at_the_raw_words() -> None:
    text = "Kayden’s  PLAN:\nre-\nviewed on 3/4/2026 by the so\u00adcial worker."
    words = split_words(text)
    assert words.words == (
        "kayden",
        "s",
        "plan",
        "review",
        "on",
        "3",
        "april",
        "2026",
        "by",
        "the",
        "social",
        "worker",
    )  # fmt: skip  (a date's month as a word: "3 April 2026" reads the same; a stem)
    assert [text[s:e] for s, e in zip(words.starts, words.ends, strict=True)][6] == "4"
    assert [text[s:e] for s, e in zip(words.starts, words.ends, strict=True)][3] == "re-\nviewed"
    assert words.char_span(0, 3) == (0, text.index(":"))


def test_a_date_reads_the_same_in_any_of_its_forms() -> None:
    forms = [
        "04/05/2026",
        "4.5.2026",
        "4-5-26",
        "4 May 2026",
        "4th May 2026",
        "04 MAY 2026",
        "2026-05-04",
    ]
    for form in forms:
        assert split_words(f"Seen on {form}.").words == ("see", "on", "4", "may", "2026"), form
    # Not a date: a day or month out of range, mixed separators, a month name alone.
    assert split_words("13/13/2026 4/5-2026").words == ("13", "13", "2026", "4", "5", "2026")
    assert split_words("in Mar and Dec, the decision").words == (
        "in", "mar", "and", "dec", "the", "decision",
    )  # fmt: skip
    assert split_words("Mar 3, 2026").words == ("march", "3", "2026")


def test_quotes_dashes_case_and_wrapping_do_not_matter() -> None:
    original = 'The mother said "he\'s fine" - and left.'
    disguised = "THE MOTHER\nSAID “HE’S FINE” — AND\n  LEFT"
    assert normalize_text(original) == normalize_text(disguised)


def test_ligatures_fullwidth_accents_and_lookalikes_fold() -> None:
    assert normalize_text("ﬁnal ｒｅｖｉｅｗ Zoë") == "final review zoe"
    assert normalize_text("Сlоsе") == "clos"  # Cyrillic С, о, е


@settings(deadline=None)
@given(TEXT)
def test_every_word_maps_back_inside_the_original(text: str) -> None:
    words = split_words(text)
    previous_end = 0
    for start, end in zip(words.starts.tolist(), words.ends.tolist(), strict=True):
        assert previous_end <= start < end <= len(text)
        previous_end = end


@settings(deadline=None)
@given(TEXT)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=200, deadline=None)  # slow to draw on a busy machine
@given(
    st.lists(
        st.sampled_from(["the", "child", "plan", "was", "seen", "alone", "by", "social", "worker"]),
        max_size=30,
    ),
    st.data(),
)
def test_invisible_characters_never_change_the_words(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    polluted = []
    for char in text:
        polluted.append(char)
        if data.draw(st.booleans()):
            polluted.append(data.draw(st.sampled_from(INVISIBLE_CHARS)))
    assert split_words("".join(polluted)).words == split_words(text).words


def test_invisible_characters_between_letters_give_a_second_reading_with_spaces() -> None:
    glued = "the\u200bchild\u3164was\U000e0020seen, protec\u00adtion by the\u200dteam"
    spaced = spaced_invisibles(glued)
    assert spaced is not None and len(spaced) == len(glued)
    # A soft hyphen is a hyphenation point and a joiner joins: neither separates.
    assert (
        split_words(spaced).words == split_words("the child was seen protection by theteam").words
    )
    assert split_words(glued).words[:2] == ("thechildwasseen", "protection")
    for plain in ("plain ascii", "Ondine’s protec\u00adtion", "a\u200db\u200cc", "\ufeffstart"):
        assert spaced_invisibles(plain) is None


def test_a_right_to_left_override_is_read_in_the_order_it_is_shown() -> None:
    stored = "Plan. \u202e" + "Kayden Holt was seen."[::-1] + "\u202c Then ok.\nnext \u202eenil"
    visual = visual_order(stored)
    assert visual is not None
    shown, origin = visual
    assert (
        split_words(shown).words == split_words("plan kayden holt was seen then ok next line").words
    )
    assert "".join(stored[int(at)] for at in origin) == shown
    assert visual_order("no override here") is None


# Latin letters and the letters of other scripts drawn to look like them.
LOOKALIKES = {
    "a": "аα", "b": "Ьβ", "c": "сϲ", "e": "еε", "h": "һ", "i": "іι", "j": "јϳ", "k": "κ",
    "o": "оο", "p": "рρ", "s": "ѕ", "x": "хχ", "y": "у",
    "A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "J": "Ј", "K": "КΚ",
    "M": "МΜ", "N": "Ν", "O": "ОΟ", "P": "РΡ", "S": "Ѕ", "T": "ТΤ", "X": "ХΧ", "Y": "ΥҮ",
    "Z": "Ζ",
}  # fmt: skip
WORDS = st.lists(
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=9
    ),
    min_size=1,
    max_size=20,
)


def _disguise(text: str, choices: list[int], invisible: bool) -> str:
    """Swap letters for look-alikes and (optionally) hide invisible characters
    inside words, as `choices` (one number per character) say."""
    pieces = []
    for char, choice in zip(text, choices, strict=True):
        options = LOOKALIKES.get(char, "")
        if options and choice % 2:
            char = options[choice // 2 % len(options)]
        pieces.append(char)
        if invisible and char != " " and choice % 3 == 0:
            pieces.append(INVISIBLE_CHARS[choice * len(INVISIBLE_CHARS) // 30])
    return "".join(pieces)


def _choices(text: str) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, 29), min_size=len(text), max_size=len(text))


@settings(max_examples=60, deadline=None)
@given(WORDS.map(" ".join).flatmap(lambda text: st.tuples(st.just(text), _choices(text))))
def test_lookalike_letters_never_change_the_words(case: tuple[str, list[int]]) -> None:
    text, choices = case
    assert split_words(_disguise(text, choices, False)).words == split_words(text).words


@settings(max_examples=60, deadline=None)
@given(WORDS.map(" ".join).flatmap(lambda text: st.tuples(st.just(text), _choices(text))))
def test_disguises_keep_the_shingles_and_the_offsets(case: tuple[str, list[int]]) -> None:
    """Invisible characters and look-alikes anywhere inside words: same word ids
    (so the same shingles), and every offset still points into the disguised text."""
    text, choices = case
    disguised = _disguise(text, choices, True)
    plain, hidden = split_words(text), split_words(disguised)
    assert list(shingle_hashes(word_ids(hidden.words), 3)) == list(
        shingle_hashes(word_ids(plain.words), 3)
    )
    for start, end in zip(hidden.starts.tolist(), hidden.ends.tolist(), strict=True):
        assert 0 <= start < end <= len(disguised)
        assert normalize_text(disguised[start:end]) != ""


@settings(max_examples=60, deadline=None)
@given(WORDS, st.sampled_from(["-\n", "-\r\n", "- \n  ", "\u00ad\n", "\u2010\n", "\u2011\n"]))
def test_line_end_hyphenation_joins_the_word(words: list[str], line_end: str) -> None:
    """Hyphen-minus, or the soft, true or non-breaking hyphen a word processor
    or PDF puts at a line end."""
    long_words = [w for w in words if len(w) >= 2]
    text = " ".join(long_words)
    hyphenated = " ".join(f"{w[:1]}{line_end}{w[1:]}" for w in long_words)
    assert split_words(hyphenated).words == split_words(text).words


def test_ligatures_and_full_width_forms_fold() -> None:
    assert normalize_text("ﬀ ﬁ ﬂ ﬃ ﬄ ﬆ") == "ff fi fl ffi ffl st"
    assert normalize_text("ｓｏｃｉａｌ ｗｏｒｋｅｒ") == "social worker"


@settings(deadline=None)
@given(TEXT)
def test_normalising_the_normalised_words_changes_nothing(text: str) -> None:
    words = split_words(text).words
    assert tuple(normalize_word(word) for word in words) == words


@given(st.text(alphabet=st.sampled_from(list("ab Z9_-\t\r\n.,'\"x/1Mayjun")), max_size=80))
def test_ascii_fast_path_equals_general_path(text: str) -> None:
    """Plain ASCII text takes a numpy fast path; it must cut exactly like the regex."""
    from provenance.normalize import _word_pattern, normalize_word

    general = [
        (normalize_word(found.group()), found.start(), found.end())
        for found in _word_pattern().finditer(text)
        if normalize_word(found.group())
    ]
    if general:  # dates written as the general path writes them ("9.9.99": 9 september 1999)
        starts, ends = (np.array(side) for side in list(zip(*general, strict=True))[1:])
        lowered = [word for word, _, _ in general]
        dates = date_words(text, starts, ends, lowered)
        for index, word in enumerate(lowered):  # and the other words' stems
            general[index] = (dates.get(index, word_stem(word)), *general[index][1:])
    fast = split_words(text)
    assert list(zip(fast.words, fast.starts.tolist(), fast.ends.tolist(), strict=True)) == general


def _unicode_lookalikes() -> dict[str, list[str]]:
    """ASCII letter -> the letters of Unicode's confusables data that imitate it,
    leaving out the few the hand-made tables read otherwise (they win)."""
    from provenance.normalize import _CAPITAL_CONFUSABLES, _CONFUSABLES, _unicode_confusables

    hand = _CAPITAL_CONFUSABLES.keys() | _CONFUSABLES.keys()
    pool: dict[str, list[str]] = {}
    for code, target in _unicode_confusables().items():
        if code not in hand and target.isalpha():
            pool.setdefault(target, []).append(chr(code))
    return pool


UNICODE_LOOKALIKES = _unicode_lookalikes()


@settings(max_examples=100, deadline=None)
@given(WORDS.map(" ".join).flatmap(lambda text: st.tuples(st.just(text), _choices(text))))
def test_any_script_lookalike_letters_never_change_the_words(case: tuple[str, list[int]]) -> None:
    """Armenian, Cherokee, Lisu, small capitals...: any letter Unicode lists as
    looking like a Latin one, anywhere in the words."""
    text, choices = case
    pieces = []
    for char, choice in zip(text, choices, strict=True):
        options = UNICODE_LOOKALIKES.get(char, [])
        pieces.append(options[choice * len(options) // 30] if options and choice % 2 else char)
    assert split_words("".join(pieces)).words == split_words(text).words


def test_unicode_lookalikes_reach_scripts_the_hand_made_tables_do_not() -> None:
    assert len(UNICODE_LOOKALIKES.keys() & set(string.ascii_letters)) >= 48
    assert normalize_word("\uabaach\u0585\u0585l") == "school"  # Cherokee du, Armenian oh
    assert normalize_word("\ua4d0\u13aa\ua4d0Y") == "baby"  # Lisu ba, Cherokee go


def _styled(letter: str, style: int) -> str:
    """`letter` drawn in one of the "fonts" text generators offer, by its Unicode name."""
    small, capital = letter.lower(), letter.upper()
    names = [
        f"LATIN LETTER SMALL CAPITAL {capital}",
        f"CIRCLED LATIN {'SMALL' if letter.islower() else 'CAPITAL'} LETTER {capital}",
        f"SQUARED LATIN CAPITAL LETTER {capital}",
        f"NEGATIVE CIRCLED LATIN CAPITAL LETTER {capital}",
        f"NEGATIVE SQUARED LATIN CAPITAL LETTER {capital}",
        f"PARENTHESIZED LATIN SMALL LETTER {capital}",
        f"REGIONAL INDICATOR SYMBOL LETTER {capital}",
    ]
    try:
        return unicodedata.lookup(names[style % len(names)])
    except KeyError:  # no small capital X (or Q in some Unicode versions): a plain letter
        return small


@settings(max_examples=100, deadline=None)
@given(WORDS.map(" ".join).flatmap(lambda text: st.tuples(st.just(text), _choices(text))))
def test_small_capitals_and_letters_drawn_as_symbols_never_change_the_words(
    case: tuple[str, list[int]],
) -> None:
    """ᴊᴀʏᴅᴇɴ, Ⓙⓐⓨⓓⓔⓝ, 🅹🅰🆈🅳🅴🅽: a reader sees the name, so the check must too."""
    text, choices = case
    styled = "".join(
        _styled(char, choice) if char != " " and choice % 2 else char
        for char, choice in zip(text, choices, strict=True)
    )
    assert split_words(styled).words == split_words(text).words


def test_styled_letters_are_read_as_the_letters() -> None:
    assert normalize_text("ᴊᴀʏᴅᴇɴ ⓞⓡⓜⓔⓡⓞⓓ 🅱🆄🆁🅶🅻🅰🆁🆈 🄻🄰🅁🄲🄷") == "jayden ormerod burglari larch"
    # Only what is named as a letter: no other symbol joins a word.
    assert normalize_text("plan✓ 10€ a→b") == "plan 10 a b"


# Combining marks from every block: accents, overlays, marks for symbols, half
# marks, Cyrillic titlo, Indic signs.
MARKS = [chr(code) for code in range(0x20000) if unicodedata.category(chr(code))[0] == "M"]


@settings(max_examples=100, deadline=None)
@given(WORDS.map(" ".join), st.data())
def test_combining_marks_inside_words_never_split_them(text: str, data: st.DataObject) -> None:
    marked = []
    for char in text:
        marked.append(char)
        if char != " " and data.draw(st.booleans()):
            marked.append(data.draw(st.sampled_from(MARKS)))
    disguised = "".join(marked)
    assert split_words(disguised).words == split_words(text).words


# Characters that end, continue or sit inside words, for the oracle test below.
TRICKY = [*"abcXYZ019 _-.,;\n\t'\"()“”", "-\n", "\u00ad\n", "\u2010\n", "- \n ", "\u0301", "\u20d2",
          "\u1dc4", "\u200b", "\u202e", "\ufe0f", "\U000e0041", "\u3164", "\u17b4", "\u0915",
          "\u093f", "\u05d0", "\u0591", "\U0001d173", "\U0001e2ec", "\U00011001", "\u24bf",
          "\U0001f170", "\U0001f1e6", "\u1d00", "\u2713"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TRICKY), max_size=40).map("".join))
def test_the_fast_word_pattern_reads_the_words_the_plain_one_does(text: str) -> None:
    """`_word_pattern` takes letter runs whole and tries marks, letter symbols,
    hyphens and invisible characters only away from spaces and punctuation, for speed.
    The plain pattern (any of them after any word character) is the oracle."""
    from provenance.normalize import (
        _INVISIBLE,
        _LINE_END_HYPHEN,
        _char_class,
        _ranges_in,
        _ranges_of,
        _styled_symbols,
        normalize_word,
    )

    marks = _char_class(
        _ranges_of(lambda char: unicodedata.category(char)[0] == "M", 0x20000)
        + _ranges_in(_styled_symbols())
    )
    piece = rf"[^\W_]|{marks}"
    plain = re.compile(rf"(?:{piece})(?:{piece}|(?<=[^\W\d_]){_LINE_END_HYPHEN}|{_INVISIBLE})*")
    # split_words also writes each word as its stem (word_stem: "aaaby" is "aaabi").
    expected = [word_stem(word) for word in map(normalize_word, plain.findall(text)) if word]
    assert list(split_words(text).words) == expected


def test_a_copy_retold_in_another_tense_or_number_keeps_its_words() -> None:
    """Minutes in the present ("Charlie is on the 9th centile; Jade attends the clinic")
    retold in a report's past tense keep their words; offsets still point at the
    words as written."""
    minutes = "Charlie is on the 9th centile; Jade attends the baby clinic but misses appointments."
    report = "Charlie was on the 9th centile; Jade attended the baby clinic but missed appointment."
    assert split_words(minutes).words == split_words(report).words
    words = split_words(report)
    assert [report[s:e] for s, e in zip(words.starts, words.ends, strict=True)][1] == "was"
    # Short words, words with digits and words ending in "ss" are left as they are.
    assert split_words("bus news address 1990s").words == ("bus", "news", "address", "1990s")
