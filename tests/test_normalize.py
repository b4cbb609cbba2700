"""Normalisation: offsets map back to the original; disguises do not change words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.normalize import INVISIBLE_CHARS, normalize_text, split_words

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # no lone surrogates
    max_size=300,
)


def test_offsets_point_at_the_raw_words() -> None:
    text = "Kayden’s  PLAN:\nre-\nviewed on 3/4/2026 by the so\u00adcial worker."
    words = split_words(text)
    assert words.words == (
        "kayden", "s", "plan", "reviewed", "on", "3", "4", "2026", "by", "the", "social", "worker",
    )  # fmt: skip
    assert [text[s:e] for s, e in zip(words.starts, words.ends, strict=True)][3] == "re-\nviewed"
    assert words.char_span(0, 3) == (0, text.index(":"))


def test_quotes_dashes_case_and_wrapping_do_not_matter() -> None:
    original = 'The mother said "he\'s fine" - and left.'
    disguised = "THE MOTHER\nSAID “HE’S FINE” — AND\n  LEFT"
    assert normalize_text(original) == normalize_text(disguised)


def test_ligatures_fullwidth_accents_and_lookalikes_fold() -> None:
    assert normalize_text("ﬁnal ｒｅｖｉｅｗ Zoë") == "final review zoe"
    assert normalize_text("Сlоsе") == "close"  # Cyrillic С, о, е


@given(TEXT)
def test_every_word_maps_back_inside_the_original(text: str) -> None:
    words = split_words(text)
    previous_end = 0
    for start, end in zip(words.starts.tolist(), words.ends.tolist(), strict=True):
        assert previous_end <= start < end <= len(text)
        previous_end = end


@given(TEXT)
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=200)
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


@given(st.text(alphabet=st.sampled_from(list("ab Z9_-\t\r\n.,'\"x")), max_size=80))
def test_ascii_fast_path_equals_general_path(text: str) -> None:
    """Plain ASCII text takes a numpy fast path; it must cut exactly like the regex."""
    from provenance.normalize import _WORD_PATTERN, normalize_word

    general = [
        (normalize_word(found.group()), found.start(), found.end())
        for found in _WORD_PATTERN.finditer(text)
        if normalize_word(found.group())
    ]
    fast = split_words(text)
    assert list(zip(fast.words, fast.starts.tolist(), fast.ends.tolist(), strict=True)) == general
