"""Running headers and footers: lines a PDF prints at the top or bottom of every page.

Text extracted page by page has page N's footer and page N+1's header in the
middle of any paragraph that runs across the page break, so a passage copied
from another family's record reads as two short pieces instead of one copy.
`separate_running_lines` takes those lines out of the page flow and returns
them on their own, to be written once after the pages (as .docx is read: the
body, then its headers and footers). Nothing is dropped but repeats: the
header copied from another case must still be checked.

The rules, kept conservative (a line wrongly taken for a header is only moved,
but moving a body line can split the very passage this is meant to join):

- Only documents with 2 or more pages with text. Pages with no text (blank,
  scanned) are neither counted nor changed, so a scanned page between printed
  ones does not hide the header of the rest.
- Only the edges: the first and the last `EDGE_LINES` non-blank lines of a
  page. A line that repeats in the middle of pages is body text, left alone.
  The top and bottom edges are taken together: pypdf reads in the order a
  page was drawn, and some writers draw the footer first.
- Lines are compared with whitespace collapsed and each run of digits as a
  wildcard, so "Page 2 of 4" and "Page 3 of 4", or a printed date, are one line.
- A line is running when it is on the edge of at least half the pages with
  text, rounded down, and at least 2. Rounded down for Word's "different
  first page" with "different odd and even pages": in 5 pages the odd pages'
  header is on pages 3 and 5 only. At least 2, so that a line of one page is
  never one: a first-page-only letterhead stays where it is (at the top of
  page 1, where it splits nothing). Where the first page has no header, a
  2-page letter's header is on page 2 only and stays in the flow.
- A line with no letters (a bare page number, a date) is running only if it
  is the same on every page or counts the pages: a column of figures at the
  top of each page of a long table is not a footer.
- Each running line is written once, as the first page shows it. Versions
  that differ in more than a page number (a case reference with other digits
  on one page: a page pasted from another file) are written too, so no
  text but the page count is lost.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import count

EDGE_LINES = 3  # per edge: a header of a title, a reference and a date
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
_LONGEST_COUNTER = 9  # digits: a longer run is a reference, not a page number


@dataclass(frozen=True)
class PageFlow:
    """The pages without their running lines, and those lines once each."""

    pages: tuple[str, ...]
    running: tuple[str, ...]


@dataclass(frozen=True)
class _EdgeLine:
    """A line on a page's edge: `page` 1-based, `line` its index in the page's lines."""

    page: int
    line: int
    text: str


def separate_running_lines(pages: list[str]) -> PageFlow:
    """Each page without its running header and footer lines (the rest in
    order, untouched), and the running lines in the order they first appear.

    >>> flow = separate_running_lines(["Plan\\nOne.\\nPage 1", "Plan\\nTwo.\\nPage 2"])
    >>> flow.pages, flow.running
    (('One.', 'Two.'), ('Plan', 'Page 1'))
    >>> separate_running_lines(["Plan\\nOnly one page."]).pages
    ('Plan\\nOnly one page.',)
    """
    page_lines = [page.split("\n") for page in pages]
    edges = _edge_lines(page_lines)
    by_key: dict[str, list[_EdgeLine]] = defaultdict(list)
    for edge in edges:
        by_key[running_key(edge.text)].append(edge)
    pages_with_text = sum(1 for page in pages if page.strip())
    needed = max(2, pages_with_text // 2)
    running = {
        key: found
        for key, found in by_key.items()
        if len({edge.page for edge in found}) >= needed and _is_running(key, found)
    }
    if not running:
        return PageFlow(tuple(pages), ())
    taken = {(edge.page, edge.line) for found in running.values() for edge in found}
    kept_pages = tuple(
        "\n".join(line for index, line in enumerate(lines) if (page, index) not in taken)
        for page, lines in enumerate(page_lines, 1)
    )
    written = [edge for found in running.values() for edge in _versions(found)]
    written.sort(key=lambda edge: (edge.page, edge.line))
    return PageFlow(kept_pages, tuple(edge.text for edge in written))


def running_key(line: str) -> str:
    """What a line is compared by: whitespace collapsed, each run of digits a `#`.

    >>> running_key("  Page 2 of  14 ")
    'Page # of #'
    """
    return _DIGITS.sub("#", _SPACES.sub(" ", line).strip())


def _edge_lines(page_lines: list[list[str]]) -> list[_EdgeLine]:
    """The first and last `EDGE_LINES` non-blank lines of each page, in page
    order (a short page's lines once, though they are on both edges)."""
    edges = []
    for page, lines in enumerate(page_lines, 1):
        filled = [index for index, line in enumerate(lines) if line.strip()]
        on_edge = sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))
        edges += [_EdgeLine(page, index, lines[index]) for index in on_edge]
    return edges


def _is_running(key: str, found: list[_EdgeLine]) -> bool:
    """Whether lines already on enough pages' edges are a header or footer:
    any with letters; one without only if it is the same on every page or
    counts the pages (figures in a table differ from page to page)."""
    if _LETTER.search(key):
        return True
    same_everywhere = len({_SPACES.sub(" ", edge.text).strip() for edge in found}) == 1
    return same_everywhere or bool(_page_counters(found))


def _page_counters(found: list[_EdgeLine]) -> set[int]:
    """Which runs of digits (by position in the line) count the pages: the
    run minus the page number is the same on every page ("Page 3" on the
    second page of a file with a cover sheet counts too)."""
    runs = [_DIGITS.findall(edge.text) for edge in found]
    counters = set()
    for position in range(len(runs[0])):
        numbers = [run[position] for run in runs]
        if any(len(number) > _LONGEST_COUNTER for number in numbers):
            continue
        offsets = {int(number) - edge.page for number, edge in zip(numbers, found, strict=True)}
        if len(offsets) == 1:
            counters.add(position)
    return counters


def _versions(found: list[_EdgeLine]) -> list[_EdgeLine]:
    """The first of each version of one running line: versions are the same
    when they differ only in whitespace and the page number."""
    counters = _page_counters(found)
    first: dict[str, _EdgeLine] = {}
    for edge in found:
        first.setdefault(_without_page_number(edge.text, counters), edge)
    return list(first.values())


def _without_page_number(line: str, counters: set[int]) -> str:
    """`line` with whitespace collapsed and the runs of digits at `counters`
    (positions, left to right) as `#`.

    >>> _without_page_number("Ref 12  Page 3", {1})
    'Ref 12 Page #'
    """
    positions = count()
    return _DIGITS.sub(
        lambda number: "#" if next(positions) in counters else number.group(),
        _SPACES.sub(" ", line).strip(),
    )
