"""The HTML report: a plain-words verdict, highlighted passages, escaped text, no
network references, on real checks against a real index."""

from __future__ import annotations

import html
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance.api import check_file
from provenance.html_report import _Claimed, render_check_html
from provenance.models import CheckResult, Match, SourceSpan
from provenance.report import LineNumbers
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE

OWN_STORY = CASE_STORIES["C-1004"]
HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)">'


def checked_html(
    tmp_path: Path,
    db_path: Path,
    text: str,
    name: str = "plan.txt",
    source_texts: dict[str, str] | None = None,
) -> tuple[str, CheckResult]:
    document = tmp_path / name
    document.write_text(text, encoding="utf-8")
    checked = check_file(document, "C-1004", db_path)
    page = render_check_html(checked.result, checked.extracted.text, source_texts)
    return page, checked.result


def mark_contents(page: str) -> list[str]:
    """The text inside each <mark> of the document, with its label removed."""
    document = page.split('id="document"', 1)[1]
    return [
        re.sub(r'<a class="tag"[^>]*>.*?</a>', "", inner)
        for inner in re.findall(r"<mark[^>]*>(.*?)</mark>", document, flags=re.S)
    ]


class MarkNesting(HTMLParser):
    """Counts <mark> depth, to prove highlights never nest or overlap."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.max_depth = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
            self.ids += [value or "" for name, value in attrs if name == "id"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.depth -= 1


def test_leak_page_says_do_not_send_and_marks_the_passage(
    tmp_path: Path, indexed_store: Path
) -> None:
    page, result = checked_html(
        tmp_path, indexed_store, "\n\n".join([TEMPLATE, OWN_STORY, LEAK_PARAGRAPH])
    )
    assert result.verdict == "leak"
    banner = page.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "banner-leak" in banner
    assert "DO NOT SEND" in banner and "C-1003" in banner
    middle = html.escape(LEAK_PARAGRAPH[40:200], quote=True)
    assert any(middle in inner for inner in mark_contents(page))
    assert "From another case — do not send" in page
    assert 'class="tag" href="#card-' in page and ">LEAK " in page
    assert '<html lang="en">' in page and '<meta charset="utf-8">' in page
    assert 'href="#document"' in page and 'id="document"' in page


def test_clean_page_says_clear_to_send(tmp_path: Path, indexed_store: Path) -> None:
    page, result = checked_html(tmp_path, indexed_store, "\n\n".join([TEMPLATE, OWN_STORY]))
    assert result.verdict == "clean"
    banner = page.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "banner-clean" in banner and "Clear to send" in banner
    assert "card card-leak" not in page and ">LEAK " not in page
    assert "From this case&#x27;s own records" in page


def test_hostile_text_is_shown_as_text(tmp_path: Path, indexed_store: Path) -> None:
    text = "\n\n".join([HOSTILE, OWN_STORY, LEAK_PARAGRAPH.replace("Close,", f"Close {HOSTILE},")])
    sources = {"C-1003-SM": HOSTILE * 200}
    page, result = checked_html(
        tmp_path, indexed_store, text, name="plan<script>.txt", source_texts=sources
    )
    assert result.verdict == "leak"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "onerror=" not in page.replace("onerror=&quot;", "")


def test_page_is_self_contained(tmp_path: Path, indexed_store: Path) -> None:
    page, _ = checked_html(tmp_path, indexed_store, "\n\n".join([OWN_STORY, LEAK_PARAGRAPH]))
    for reference in ("http://", "https://", "<link", "@import", "url(", "<script", "src="):
        assert reference not in page


def test_source_passage_shown_side_by_side(
    tmp_path: Path, indexed_store: Path, small_store: Path
) -> None:
    record_text = (small_store / "C-1003" / "strategy.txt").read_text(encoding="utf-8")
    text = "\n\n".join([OWN_STORY, LEAK_PARAGRAPH])
    page, result = checked_html(
        tmp_path, indexed_store, text, source_texts={"C-1003-SM": record_text}
    )
    (leak,) = [m for m in result.matches if m.status == "cross_case"]
    quoted = html.escape(record_text[leak.source.start : leak.source.end], quote=True)
    assert f"<blockquote>{quoted}</blockquote>" in page
    assert "In record C-1003-SM" in page
    without, _ = checked_html(tmp_path, indexed_store, text)
    assert "source text not available" in without


def _match(start: int, end: int, status: str, case_id: str, text: str) -> Match:
    """A hand-made match, for layouts a real check rarely produces."""
    source = SourceSpan(f"{case_id}-SM", case_id, "x.txt", "strategy_meeting", "2026-03-01", 0, 5)
    return Match(start, end, text[start:end], 0.9, status, source)  # type: ignore[arg-type]


@pytest.mark.parametrize("leak_first", [True, False])
def test_overlapping_passages_never_nest_and_leaks_win(leak_first: bool) -> None:
    text = "aaaa bbbb cccc dddd eeee ffff gggg"
    matches = [
        _match(0, 24, "boilerplate", "C-1001", text),
        _match(10, 19, "cross_case", "C-1003", text),
        _match(15, 34, "cross_case", "C-1005", text),
        _match(5, 9, "same_case", "C-1004", text),
    ]
    ordered = tuple(matches if leak_first else reversed(matches))
    page = render_check_html(CheckResult("d.txt", "C-1004", "leak", ordered), text)
    parser = MarkNesting()
    parser.feed(page.split('id="document"', 1)[1])
    assert parser.max_depth == 1 and parser.depth == 0
    # Every passage still gets a card; the leak keeps its whole span highlighted.
    assert page.count('<article class="card') == 4
    assert "cccc ddd" in "".join(mark_contents(page))
    assert "colour-case-0" in page and "colour-case-1" in page
    # The document text survives the highlighting unchanged.
    assert _document_text(page) == text


def _document_text(page: str) -> str:
    document = page.split('id="document" tabindex="-1">', 1)[1].split("</div>", 1)[0]
    return html.unescape(re.sub(r'<a class="tag"[^>]*>.*?</a>|</?mark[^>]*>', "", document))


@given(
    text=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60),
    spans=st.lists(
        st.tuples(
            st.integers(0, 70),
            st.integers(0, 30),
            st.sampled_from(["cross_case", "same_case", "boilerplate"]),
        ),
        max_size=6,
    ),
)
def test_any_layout_of_passages_keeps_the_text_and_never_nests(
    text: str, spans: list[tuple[int, int, str]]
) -> None:
    matches = tuple(
        _match(min(start, len(text)), min(start + length, len(text)), status, "C-1003", text)
        for start, length, status in spans
    )
    page = render_check_html(CheckResult("d.txt", "C-1004", "leak", matches), text)
    parser = MarkNesting()
    parser.feed(page.split('id="document"', 1)[1])
    assert parser.max_depth <= 1 and parser.depth == 0
    assert _document_text(page) == text
    assert page.count('<article class="card') == len(matches)


@given(st.text(alphabet="ab\n", max_size=60), st.integers(0, 70), st.integers(0, 70))
def test_line_numbers_count_the_line_ends_before_a_passage(text: str, start: int, end: int) -> None:
    first = text.count("\n", 0, start) + 1
    last = first + text.count("\n", start, max(start, end - 1))
    expected = str(first) if first == last else f"{first}-{last}"
    assert LineNumbers(text).span(start, end) == expected


@given(st.lists(st.tuples(st.integers(0, 80), st.integers(0, 30)), max_size=30))
def test_each_passage_is_highlighted_where_no_earlier_passage_was(
    passages: list[tuple[int, int]],
) -> None:
    """Claimed stretches by bisection equal the plain definition: the parts of
    a passage no earlier passage covers, claimed in turn."""
    claimed, covered = _Claimed(), set[int]()
    for start, length in passages:
        free = claimed.take(start, start + length)
        expected = [at for at in range(start, start + length) if at not in covered]
        assert [at for piece_start, piece_end in free for at in range(piece_start, piece_end)] == (
            expected
        )
        assert all(a_end < b_start for (_, a_end), (b_start, _) in itertools.pairwise(free))
        covered.update(expected)
