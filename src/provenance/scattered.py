"""Pieces of one passage of a record that the checked text holds apart.

A copied paragraph cut in two, its halves put paragraphs apart (or in the
other order), aligns as two regions with the record, each too short to be
judged a copy on its own: half of a 50-word paragraph is under `min_words`,
and half of its names. In the record the two pieces abut, which is what
gives them away: two passages of the text that continue each other in one
record are that record's passage, cut. This module finds such pairs from
what the alignment shares (`align.SharedWords`); judge.py judges each pair
as the passage it was, spliced back together, against the same candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from provenance.align import SharedWords


@dataclass(frozen=True, order=True)
class Pieces:
    """Two word spans of the checked text (end exclusive) that abut in a record:
    `first` comes first there, wherever the text puts it."""

    first: tuple[int, int]
    second: tuple[int, int]

    def words(self) -> int:
        return self.first[1] - self.first[0] + self.second[1] - self.second[0]

    def positions(self) -> np.ndarray:
        """The pieces' word positions in the record's order: the spliced passage."""
        first, second = (np.arange(*span, dtype=np.int64) for span in (self.first, self.second))
        return np.concatenate((first, second))


@dataclass(frozen=True)
class SentenceCuts:
    """Per word of a text, where it shows a sentence cut short: a paragraph
    or line that ends after the word with no full stop (`open_end`), or a
    sentence, paragraph or line that starts with the word in lower case
    (`lower_start`). Stock sentences that happen to follow each other in
    some record, found apart in a text, are whole sentences there; a
    paragraph cut in two and placed apart is not (unless it was cut between
    sentences: such a copy is missed)."""

    open_end: np.ndarray
    lower_start: np.ndarray

    def window(self, start: int, end: int) -> SentenceCuts:
        return SentenceCuts(self.open_end[start:end], self.lower_start[start:end])

    @staticmethod
    def of(text: str, starts: np.ndarray, ends: np.ndarray) -> SentenceCuts:
        open_end = np.zeros(len(starts), dtype=bool)
        lower_start = np.zeros(len(starts), dtype=bool)
        if not text or len(starts) == 0:
            return SentenceCuts(open_end, lower_start)
        for found in _OPEN_END.finditer(text):
            word = int(np.searchsorted(ends, found.start(), side="right")) - 1
            if word >= 0 and ends[word] == found.start():
                open_end[word] = True
        for found in _SENTENCE_START.finditer(text):
            word = int(np.searchsorted(starts, found.end()))
            if word < len(starts) and starts[word] == found.end() and text[found.end()].islower():
                lower_start[word] = True
        return SentenceCuts(open_end, lower_start)


# A line's end after a word, no full stop or other closing mark between.
_OPEN_END = re.compile(r"(?<=\w)[ \t]*(?:\r?\n|\r|\Z)")
# Where a sentence, paragraph or line starts: the first word begins at the match's end.
_SENTENCE_START = re.compile(r"(?:\A|[\n\r]|[.!?](?=[\s\"'\u201c\u2018(]))[\s\"'\u201c\u2018(]*")


def scattered_pieces(
    shared: SharedWords,
    cuts: SentenceCuts,
    *,
    min_piece: int,
    min_words: int,
    max_joint: int,
) -> list[Pieces]:
    """Pairs of regions of one source that continue each other in the source
    (at most `max_joint` words apart or overlapping there) while the text
    holds them apart (alignment joins regions that are close in both), each
    of at least `min_piece` words and together at least `min_words`, and
    with a sentence cut short where they meet (`cuts`: the first ends a line
    or paragraph with no full stop, or the second starts one in lower case);
    each pair of spans once, those whose spans fewer sources align with
    first, then the widest.
    """
    regions = len(shared.source)
    if regions < 2:
        return []
    first_part = np.searchsorted(shared.part_region, np.arange(regions))
    has_parts = np.diff(np.r_[first_part, len(shared.part_region)]) > 0
    first_part = first_part[has_parts]
    source = shared.source[has_parts]
    query_start = np.minimum.reduceat(shared.part_start, first_part)
    query_end = np.maximum.reduceat(shared.part_end, first_part)
    source_start = np.minimum.reduceat(shared.part_source_start, first_part)
    source_end = np.maximum.reduceat(shared.part_source_end, first_part)
    order = np.lexsort((source_start, source))
    before, after = order[:-1], order[1:]
    joint = source_start[after] - source_end[before]
    width = query_end - query_start
    disjoint = (query_end[before] <= query_start[after]) | (query_end[after] <= query_start[before])
    chosen = (
        (source[before] == source[after])
        & (np.abs(joint) <= max_joint)
        & disjoint
        & (width[before] >= min_piece)
        & (width[after] >= min_piece)
        & (width[before] + width[after] >= min_words)
        & (cuts.open_end[query_end[before] - 1] | cuts.lower_start[query_start[after]])
    )
    if not chosen.any():
        return []
    # A span many sources align with exactly is a standard paragraph: it abuts
    # something in every record that holds it. Pairs of rarer spans come first.
    stride = int(query_end.max()) + 1
    spans, holders = np.unique(query_start * stride + query_end, return_counts=True)
    held_by = {
        (span // stride, span % stride): count
        for span, count in zip(spans.tolist(), holders.tolist(), strict=True)
    }
    pairs = {
        Pieces((a_start, a_end), (b_start, b_end))
        for a_start, a_end, b_start, b_end in zip(
            query_start[before][chosen].tolist(),
            query_end[before][chosen].tolist(),
            query_start[after][chosen].tolist(),
            query_end[after][chosen].tolist(),
            strict=True,
        )
    }
    return sorted(
        pairs,
        key=lambda pair: (max(held_by[pair.first], held_by[pair.second]), -pair.words(), pair),
    )
