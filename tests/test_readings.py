"""The other ways a reader may see a text (`readings`): each found in a black-box
round hiding a copy the stored characters did not show."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import readings
from provenance.normalize import normalize_text, split_words
from provenance.readings import other_readings, rendered_markup, visual_order


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("**K**ayden was seen", "Kayden was seen"),
        ("Kay*den* ~~Marsh~~", "Kayden Marsh"),
        ("Kay<span class='x'></span>den", "Kayden"),
        ("Kay<!-- note -->den", "Kayden"),
        ("&#75;&#x61;yden &amp; Dean", "Kayden & Dean"),
        ("[Kayden](https://a.invalid/1) [Marsh](https://a.invalid/2)", "Kayden Marsh"),
        ("![Kayden Marsh](photo.png)", "Kayden Marsh"),
        ("seen<br>alone", "seen alone"),
    ],
)
def test_markup_is_read_as_it_renders(stored: str, shown: str) -> None:
    rendered = rendered_markup(stored)
    assert rendered is not None
    text, origin = rendered
    assert text == shown
    assert len(origin) == len(text) and all(0 <= at < len(stored) for at in origin.tolist())


@pytest.mark.parametrize(
    ("stored", "words"),
    [
        # Hangul fillers as the spaces, a zero-width space after every letter.
        ("K\u200ba\u200byden\u3164Marsh\u3164was\u3164seen", "kayden marsh was seen"),
        # Letter-spacing: hair spaces between letters, or spaced-out letters.
        ("K\u200aa\u200ay\u200ad\u200ae\u200an Marsh", "kayden marsh"),
        ("O n   t h e   e v e n i n g", "on the evening"),
        # A hyphen ending a line after every other word.
        ("On the-\nevening of-\nMarch", "on the evening of march"),
        # Reference-style links, one per word.
        ("[Kayden][r0] [Marsh][1] ![was][i]", "kayden marsh was"),
        # Words apart only by a style's margin.
        ('<span style="margin-right:.3em">On</span><span>the</span>', "on the"),
        # A line laid out right to left: Latin words shown in reverse order.
        ("\u202bseen was Marsh Kayden\u202c", "kayden marsh was seen"),
        ("\u200fseen\u200f \u200fwas\u200f \u200fKayden", "kayden was seen"),
    ],
)
def test_a_reading_shows_the_words_a_reader_sees(stored: str, words: str) -> None:
    shown = [" ".join(split_words(text).words) for text, _ in other_readings(stored)]
    assert normalize_text(words) in shown, shown


@pytest.mark.parametrize("plain", ["snake_case names", "5 * 3 = 15", "a plain sentence."])
def test_text_without_markup_has_no_rendered_reading(plain: str) -> None:
    assert rendered_markup(plain) is None
    assert other_readings(plain) == []


def test_a_bdo_in_markdown_is_rendered_then_shown_right_to_left() -> None:
    stored = "<bdo dir=rtl>nedyaK</bdo>"
    shown = [text.strip("\u202e\u202c") for text, _ in other_readings(stored)]
    assert "Kayden" in shown
    for text, origin in other_readings(stored):
        assert origin is not None
        assert [stored[at] for at in origin.tolist()][1:-1] == list(text[1:-1])


# Characters that start or stop a reading: overrides and pops, embeddings,
# invisible characters, markup and line ends, mixed with letters.
_PIECES = st.sampled_from(
    ["a", "Kay", "den", " ", "\n", "\u202e", "\u202c", "\u202b", "\u202d", "\u200b", "\u3164",
     "**", "*", "_", "<span>", "</b>", "<bdo dir=rtl>", "</bdo>", "&#75;", "&amp;", "<!--", "-->",
     "[", "](u)", "é", "\u00ad"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_every_reading_maps_back_inside_the_text(text: str) -> None:
    """Whatever the text, a reading's characters each come from a place in it, so
    a match found in a reading is reported on the text's own offsets."""
    for shown, origin in other_readings(text):
        if origin is None:
            assert len(shown) == len(text)
            continue
        assert len(origin) == len(shown)
        assert all(0 <= at < len(text) for at in origin.tolist())


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_shown_order_is_the_stored_characters_rearranged(text: str) -> None:
    visual = visual_order(text)
    if visual is None:
        assert "\u202e" not in text
        return
    shown, origin = visual
    assert sorted(origin.tolist()) == list(range(len(text)))
    assert "".join(text[at] for at in origin.tolist()) == shown


# The markup patterns as first written: one regex, correct but quadratic on
# hostile text (an unclosed "<!--", "[" or tag scanned to the end from each
# opening). The linear scan must find exactly what it found.
_MARKUP_AS_FIRST_WRITTEN = re.compile(
    r"(?P<comment><!--.*?-->)"
    r"|(?P<bdo><bdo\b[^<>]*\bdir\s*=\s*[\"']?rtl\b[^<>]*>)"
    r"|(?P<bdo_end></bdo\s*>)"
    r"|(?P<break></?(?:br|p|div|li|tr|td|th|h[1-6])\b[^<>]*>)"
    r"|(?P<gap><[A-Za-z][\w-]*\s[^<>]*(?:margin|padding)[^<>]*>)"
    r"|(?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,31});)"
    r"|(?P<link>\]\([^()\s]*\)|\]\[[^\[\]\n]*\]|!?\[(?=[^\]\n]*\][(\[]))"
    r"|(?P<emphasis>(?<=[^\W_])[*~]+|[*~]+(?=[^\W_])|(?<![^\W_])_+(?=[^\W_])|(?<=[^\W_])_+(?![^\W_]))",
    re.DOTALL,
)
_STYLED_GAP_AS_FIRST_WRITTEN = re.compile(
    r"<[A-Za-z][^<>]*(?:margin|padding)[^<>]*>", re.IGNORECASE
)
_MARKUP_PIECES = st.sampled_from(
    ["a", "Kay", "7", " ", "\n", "*", "**", "~", "_", "__", "<", ">", "/", "-", "!", "[", "]",
     "(", ")", "=", "'", "<!--", "-->", "<bdo", " dir=rtl", "</bdo>", "<br>", "<p", "<span",
     " style='margin:1em'", " PADDING", "<b>", "</b>", "&#75;", "&amp;", "&zz", ";", "](u)",
     "][r]", "é", "\u202e"]
)  # fmt: skip


def _rendered_as_first_written(text: str, tags_as_spaces: bool) -> tuple[str, list[int]] | None:
    if _MARKUP_AS_FIRST_WRITTEN.search(text) is None:
        return None
    shown, origin, done = "", list[int](), 0
    for found in _MARKUP_AS_FIRST_WRITTEN.finditer(text):
        kind = found.lastgroup
        shown += text[done : found.start()]
        origin += range(done, found.start())
        piece = {"bdo": "\u202e", "bdo_end": "\u202c", "break": " ", "gap": " "}.get(kind or "", "")
        piece = html.unescape(found.group()) if kind == "entity" else piece
        piece = " " if tags_as_spaces and kind == "tag" else piece
        shown += piece
        origin += [found.start()] * len(piece)
        done = found.end()
    return shown + text[done:], origin + list(range(done, len(text)))


@settings(max_examples=400, deadline=None)
@given(st.lists(_MARKUP_PIECES, max_size=30).map("".join), st.booleans())
def test_the_linear_markup_scan_finds_what_the_first_patterns_found(
    text: str, tags_as_spaces: bool
) -> None:
    rendered = rendered_markup(text, tags_as_spaces=tags_as_spaces)
    expected = _rendered_as_first_written(text, tags_as_spaces)
    got = None if rendered is None else (rendered[0], rendered[1].tolist())
    assert got == expected
    assert readings._styled_gaps(text) == (_STYLED_GAP_AS_FIRST_WRITTEN.search(text) is not None)
