"""The other ways a reader may see a text (`readings`): each found in a black-box
round hiding a copy the stored characters did not show."""

from __future__ import annotations

import pytest

from provenance.readings import other_readings, rendered_markup


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
