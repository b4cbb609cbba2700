"""A PDF page laid out in columns, read one column at a time.

A PDF draws text in whatever order its producer chose. A two-column page
(a plan's "What are we worried about?" beside "What is working well?", a
letter beside a panel) written line by line comes out of pypdf as lines
that glue eight words of the left column to eight of the right, so no
stretch of a passage copied into one column is long enough to match.

pypdf's layout mode places every character where the page shows it, on a
grid of monospaced lines. A column gap is then a band of three or more
blank grid columns, with text on both sides, that runs down three or more
consecutive lines, the text right of it starting at one grid column on each
(a justified paragraph's wide spaces line up by chance, its words do not).
Each such block of lines is read left column first, and the page's other
lines are kept in place. The caller adds this reading to
the page's ordinary text instead of replacing it: a table read row by row
and a page read column by column each find what the other misses.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

_MIN_GAP = 3  # blank grid columns between two columns of text
_MIN_LINES = 3  # consecutive lines a gap must run down
_MIN_JUSTIFIED_LINES = 8  # the same, in lines with other wide spaces (`_lines_needed`)
_SPACES = re.compile(r" {2,}")
_GAP = re.compile(" {" + str(_MIN_GAP) + ",}")


def column_reading(page: Any) -> str:
    """The page's text with each block of side-by-side columns read one
    column after the other; "" when the page has no such block."""
    grid = [
        line.rstrip() for line in (page.extract_text(extraction_mode="layout") or "").splitlines()
    ]
    return read_columns(grid)


def read_columns(grid: list[str]) -> str:
    """`column_reading` of a page already rendered as grid lines.

    >>> grid = ["Left one here      Right one here",
    ...         "left two here      right two here",
    ...         "left three         right three",
    ...         "Footer line"]
    >>> print(read_columns(grid))
    Left one here
    left two here
    left three
    Right one here
    right two here
    right three
    Footer line
    >>> read_columns(["One column of prose,", "nothing   beside it."])
    ''
    """
    out: list[str] = []
    found = False
    line = 0
    while line < len(grid):
        gaps = _gaps(grid[line])
        end = line + 1
        while gaps and end < len(grid):
            shared = [
                band
                for band in _overlaps(gaps, _gaps(grid[end]))
                if _column_starts_at(grid[line : end + 1], band)
            ]
            if not shared:
                break
            gaps, end = shared, end + 1
        if gaps and end - line >= _lines_needed(grid[line:end], gaps):
            out += _by_column(grid[line:end], gaps)
            found = True
            line = end
        else:
            out.append(_SPACES.sub(" ", grid[line].strip()))
            line += 1
    return "\n".join(text for text in out if text) if found else ""


def _gaps(line: str) -> list[tuple[int, int]]:
    """[start, end) runs of `_MIN_GAP` or more spaces with text on both sides."""
    return [
        (found.start(), found.end())
        for found in _GAP.finditer(line)
        if found.start() > 0 and line[: found.start()].strip() and found.end() < len(line)
    ]


def _column_starts_at(lines: list[str], band: tuple[int, int]) -> bool:
    """Whether the text right of a blank band starts at one grid column (give
    or take one) on every line: the left edge of a column. Justified prose
    has wide spaces too, and three lines of it can share a blank band by
    chance, but the words after it start wherever the line's spacing put them.
    """
    starts = [len(line) - len(line[band[1] :].lstrip()) for line in lines]
    return max(starts) - min(starts) <= 1


def _lines_needed(lines: list[str], bands: list[tuple[int, int]]) -> int:
    """Lines a block of columns must run down: `_MIN_LINES`, or
    `_MIN_JUSTIFIED_LINES` when its lines have other wide spaces besides
    the bands (justified text, where bands line up by chance over a few
    lines: a fifth of a twelfth generator's justified pages had one)."""
    other_gaps = sum(
        not any(start < high and low < end for low, high in bands)
        for line in lines
        for start, end in _gaps(line)
    )
    return _MIN_LINES if other_gaps == 0 else _MIN_JUSTIFIED_LINES


def _overlaps(bands: list[tuple[int, int]], gaps: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of `bands` still blank in a line with `gaps`, at least `_MIN_GAP` wide."""
    kept = []
    for low, high in bands:
        for start, end in gaps:
            if min(high, end) - max(low, start) >= _MIN_GAP:
                kept.append((max(low, start), min(high, end)))
    return kept


def _by_column(lines: list[str], bands: list[tuple[int, int]]) -> list[str]:
    """The lines' text cut at the middle of each band, column by column."""
    cuts: list[int | None] = [0, *sorted((low + high) // 2 for low, high in bands), None]
    columns = []
    for first, last in itertools.pairwise(cuts):
        for line in lines:
            columns.append(_SPACES.sub(" ", line[first:last].strip()))
    return columns
