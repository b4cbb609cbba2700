"""A long text in overlapping windows of words, checked (or looked up) one at a time.

Without windows a 100,000-word bundle took 3 GB, and its candidates, capped
per check, were spread so thin over its length that a copy in it could go
unchecked (`match.classify_matches`, `origin.find_origin`).
"""

from __future__ import annotations

# A long text is checked in windows of this many words, each sharing the last
# WINDOW_OVERLAP words of the one before: memory and candidates stay those of
# an ordinary document, and any copy up to WINDOW_OVERLAP words long lies whole
# inside one window.
WINDOW_WORDS = 6_000
WINDOW_OVERLAP = 1_000


def text_windows(word_count: int) -> list[tuple[int, int]]:
    """(start, end) word ranges covering a text of `word_count` words, each
    overlapping the one before by `WINDOW_OVERLAP` words.

    >>> text_windows(100)
    [(0, 100)]
    >>> text_windows(13_000)
    [(0, 6000), (5000, 11000), (10000, 13000)]
    """
    step = WINDOW_WORDS - WINDOW_OVERLAP
    windows = [(0, min(word_count, WINDOW_WORDS))]
    while windows[-1][1] < word_count:
        start = windows[-1][0] + step
        windows.append((start, min(word_count, start + WINDOW_WORDS)))
    return windows
