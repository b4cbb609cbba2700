"""Which cases hold which words of a checked text, word by word and in context.

Template text is what many cases hold; a copied sequence of formulaic
sentences is held, in its order, by the one record it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from provenance.align import Region, SharedWords
from provenance.arrays import distinct, distinct_counts, ranges
from provenance.shingle import fmix64

_DENSE_CELLS = 4_000_000  # part x word tables up to this size count windows (16 MB)


_TRUST_KGRAMS = 2  # exact runs shorter than this many k-grams at a region's edge are no sequence


@dataclass
class Holders:
    """Which cases hold which words of the checked text, and in which context.

    Every in-order part of every verified region (align.Region.parts),
    flattened: its covered words sorted by position, and per part its case
    and query span. A word of a region counts as template text when enough
    cases hold it in the context the region gives it, not merely somewhere:
    a copied paragraph of formulaic sentences with the names replaced is
    template word by word, yet the order of its sentences, which shows at
    the joints between them, is held by the one record it was copied from.
    Results are kept per region shape: the same standard paragraph aligns
    with hundreds of records in one check.
    """

    position: np.ndarray  # a word of the checked text a part covers
    part: np.ndarray  # the part covering it
    case: np.ndarray  # per part: case number, 0 = the checked text's own case
    start: np.ndarray  # per part: first word of its query span
    end: np.ndarray  # per part: end of its query span
    cases: int
    words: int
    width: int
    memo: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]]

    @staticmethod
    def of(
        shared: SharedWords, case_of_source: list[int], cases: int, words: int, width: int
    ) -> Holders:
        """From every region's parts and covered words; `case_of_source` numbers
        each source's case (0 = the checked text's own, `case_numbers`)."""
        flat, flat_region = shared.word, shared.word_region
        part_region = shared.part_region
        # Every covered word of a region, once for each of its parts whose span
        # takes it in (a stray part may sit inside a long one).
        stride = words + 1
        keys = flat_region * stride + flat
        low = np.searchsorted(keys, part_region * stride + shared.part_start, "left")
        high = np.searchsorted(keys, part_region * stride + shared.part_end, "left")
        part, entry = ranges(low, high)
        position = flat[entry]
        region_case = np.array(case_of_source, dtype=np.int64)[shared.source]
        part_case = region_case[part_region]
        kept = distinct_parts(part, position, part_case, shared.part_start, shared.part_end)
        part, position = part[kept], position[kept]
        order = np.argsort(position, kind="stable")
        return Holders(
            position=position[order],
            part=part[order],
            case=part_case,
            start=shared.part_start,
            end=shared.part_end,
            cases=cases,
            words=words,
            width=width,
            memo={},
        )

    def context_key(self, region: Region, threshold: int) -> tuple[object, ...]:
        """What `in_context` depends on (its `key`, when the caller has it):
        the region's parts, bounds, covered words and trusted span, and the
        threshold. Two records' regions of one span can cover different words
        (one holds the child's weight, the other not), and which words a
        region covers sets the context each word must be held in: without
        them in the key, the first such region's answer was reused for the
        other, so the verdict hung on the order candidates were ranked in,
        which the index's key decides."""
        trusted = trusted_span(region, self.width)
        return (
            region.parts,
            trusted,
            region.query_start,
            region.query_end,
            region.covered.tobytes(),
            threshold,
        )

    def in_context(
        self,
        region: Region,
        threshold: int,
        context: int,
        key: tuple[object, ...] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(template, common): words held in the region's context by at least
        `threshold` cases (the checked text's own case always counts as one),
        and those words with the words held in that context by the checked
        text's own case (no news to its family).

        A part holds word p in context when it covers p and every word the
        region covers in the window of `context` words either side of p, clipped to
        the part of `region` around p (the region's sequence) and to its
        trusted span (`trusted_span`). Outside that span a word is held
        wherever it is covered, as before context counted.
        """
        key = self.context_key(region, threshold) if key is None else key
        if key in self.memo:
            return self.memo[key]
        bounds = part_bounds(region)
        trusted = trusted_span(region, self.width)
        low = np.searchsorted(self.position, region.query_start, side="left")
        high = np.searchsorted(self.position, region.query_end, side="left")
        positions, parts = self.position[low:high], self.part[low:high]
        # The widest in-order part of the region around each word is its sequence.
        part_start = np.full(len(positions), region.query_start)
        part_end = np.full(len(positions), region.query_start)
        for first, end in sorted(bounds.tolist(), key=lambda b: b[1] - b[0]):
            inside = (positions >= first) & (positions < end)
            part_start[inside], part_end[inside] = first, end
        clip_start = np.maximum(part_start, trusted[0])
        clip_end = np.minimum(part_end, trusted[1])
        outside = (positions < clip_start) | (positions >= clip_end)
        window_start = np.where(outside, positions, np.maximum(positions - context, clip_start))
        window_end = np.where(outside, positions + 1, np.minimum(positions + context + 1, clip_end))
        held = self._covers_window(region, positions, parts, window_start, window_end)
        template, own = self._count(positions[held], self.case[parts[held]], threshold)
        result = (template, template | own)
        self.memo[key] = result
        return result

    def _covers_window(
        self,
        region: Region,
        positions: np.ndarray,
        parts: np.ndarray,
        window_start: np.ndarray,
        window_end: np.ndarray,
    ) -> np.ndarray:
        """Whether each (word, part) entry's part also covers every word the
        region covers in the word's window."""
        base = region.query_start
        in_region = np.zeros(region.query_end - base + 1, dtype=np.int64)
        in_region[region.covered - base + 1] = 1
        before = np.cumsum(in_region)
        need = before[window_end - base] - before[window_start - base]
        mine = in_region[positions - base + 1] == 1
        width = region.query_end - base
        present = np.zeros(len(self.case), dtype=bool)
        present[parts] = True
        part_index = (np.cumsum(present) - 1)[parts]  # parts numbered 0.. without a sort
        if int(present.sum()) * (width + 1) <= _DENSE_CELLS:
            # Which part covers which word of the region, as a table: counting a
            # window is then two lookups in its running sum.
            table = np.zeros((int(present.sum()), width + 1), dtype=np.int32)
            table[part_index[mine], positions[mine] - base + 1] = 1
            running = np.cumsum(table, axis=1)
            have = running[part_index, window_end - base] - running[part_index, window_start - base]
        else:
            stride = self.words + 1
            keys = np.sort(parts[mine] * stride + positions[mine])
            have = np.searchsorted(keys, parts * stride + window_end, "left") - np.searchsorted(
                keys, parts * stride + window_start, "left"
            )
        covers: np.ndarray = have >= need
        return covers

    def whole_span_held(self, start: int, end: int, threshold: int) -> bool:
        """Whether words [start, end) are held whole, every word of them
        covered by one part, by the checked text's own case or by
        `threshold` cases (the own case counting as one): a standard
        paragraph, or the family's own words. A stock sentence with a
        family's names in it is held whole by that family only (another
        name leaves a word uncovered)."""
        return _enough(self.cases_holding_whole(start, end), threshold)

    def cases_holding_whole(self, start: int, end: int) -> np.ndarray:
        """The cases (numbers, ascending) of which one part covers every
        word of [start, end)."""
        low, high = np.searchsorted(self.position, (start, end))
        parts, covered = distinct_counts(self.part[low:high])
        holding: np.ndarray = distinct(self.case[parts[covered >= end - start]])
        return holding

    def cases_holding_but(self, start: int, end: int, excused: np.ndarray) -> np.ndarray:
        """The cases (numbers, ascending) of which one part covers every word
        of [start, end) but those `excused` (per word of the text), and at
        least two thirds of all its words: held whole but for words a copier
        changes without changing whose the text is (`beside._NARRATION`).
        An excused word does not cover a gap either: a part must take in
        every other word itself."""
        low, high = np.searchsorted(self.position, (start, end))
        part = self.part[low:high]
        needed = ~excused[self.position[low:high]]
        parts, covered = distinct_counts(part[needed])
        every = int((~excused[start:end]).sum())
        holding: np.ndarray = parts[covered >= every]
        if len(holding) == 0:
            return holding
        all_parts, all_covered = distinct_counts(part)
        enough = all_covered[np.searchsorted(all_parts, holding)] * 3 >= 2 * (end - start)
        found: np.ndarray = distinct(self.case[holding[enough]])
        return found

    def every_word_held(
        self, start: int, end: int, threshold: int, household: np.ndarray | None = None
    ) -> bool:
        """Whether words [start, end) are each held by the checked text's own
        case, or each by the same `threshold` cases (the own case counting as
        one), in one aligned part or several: a standard paragraph and the
        stock sentence after it, which each family's record holds in its own
        order. A family's name or date in the span, which other records do
        not cover, leaves it that family's. The cases of `household` (case
        numbers), siblings each with a case of their own, count as one."""
        stride = end - start
        if stride <= 0:
            return False  # no words: nothing to call template
        low, high = np.searchsorted(self.position, (start, end))
        pairs = np.unique(self.case[self.part[low:high]] * stride + self.position[low:high] - start)
        covering = np.bincount(pairs // stride, minlength=self.cases)
        holding = np.flatnonzero(covering >= stride)
        if household is not None and len(household) > 1:
            siblings = np.isin(holding, household[household != 0])
            holding = np.r_[holding[~siblings], holding[siblings][:1]]
            holding.sort()
        return _enough(holding, threshold)

    def word_by_word(self, threshold: int) -> tuple[np.ndarray, np.ndarray]:
        """(template, own): words of the text at least `threshold` cases hold,
        and words the checked text's own case holds, each word on its own.

        A case holds a word when a verified region of one of its records (at
        least `sources.MIN_EVIDENCE_WORDS` shared words) covers it. Regions, not exact
        runs: a template sentence filled with other details shares its skeleton
        in pieces between the details, and only chained pieces show it is held.
        The text's own case counts as one holder: the text is one of its
        records (or about to be), so the check of an outgoing document and the
        scan's audit of the same text once it is filed reach the same verdict.
        Used for same-case regions; another case's region is judged in its
        context (`in_context`).
        """
        return self._count(self.position, self.case[self.part], threshold)

    def _count(
        self, positions: np.ndarray, cases: np.ndarray, threshold: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(template, own) from the (word, case) pairs that hold a word.

        The checked text's own case (0) always counts as one holder.
        """
        template = np.zeros(self.words, dtype=bool)
        own = np.zeros(self.words, dtype=bool)
        if len(positions) == 0:
            template[:] = threshold <= 1
            return template, own
        low, high = int(positions.min()), int(positions.max()) + 1
        held = np.zeros((high - low, self.cases), dtype=bool)
        held[positions - low, cases] = True
        template[:] = threshold <= 1
        template[low:high] = held[:, 1:].sum(axis=1) + 1 >= threshold
        own[low:high] = held[:, 0]
        return template, own


def _enough(holding: np.ndarray, threshold: int) -> bool:
    """Whether the cases `holding` a span (ascending) make it the checked
    text's own words (case 0) or template text: `threshold` cases, the own
    case counting as one."""
    return bool(len(holding) and (holding[0] == 0 or len(holding) + 1 >= threshold))


def distinct_parts(
    part: np.ndarray, position: np.ndarray, case: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Which (part, covered word) entries to keep (`Holders.of`): those of the
    first part of each set of parts with the same case, span and covered words.

    A standard paragraph aligns alike with most records of every case, and
    only which cases hold a word counts: the duplicates' entries were two
    thirds of all (labelled store), each one looked at by every in-context
    judgement. `part` is ascending; parts compare by one 64-bit hash of their
    case, span, number of covered words and the sum of those words' mixed
    positions (two different parts agree by chance about once in 2**64).
    """
    parts = len(case)
    if parts == 0:
        return np.ones(len(part), dtype=bool)
    counts = np.bincount(part, minlength=parts)
    mixed = fmix64(position.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    sums = np.zeros(parts, dtype=np.uint64)
    holding = np.flatnonzero(counts)
    if len(holding):
        firsts = (np.cumsum(counts) - counts)[holding]
        sums[holding] = np.add.reduceat(mixed, firsts)
    bound = np.uint64(int(end.max()) + 1)  # no word position reaches it
    span = (case.astype(np.uint64) * bound + start.astype(np.uint64)) * bound
    span += end.astype(np.uint64)
    shape = sums + fmix64(span * bound + counts.astype(np.uint64))
    _, first = np.unique(shape, return_index=True)
    is_first = np.zeros(parts, dtype=bool)
    is_first[first] = True
    kept: np.ndarray = is_first[part]
    return kept


def part_bounds(region: Region) -> np.ndarray:
    """(query start, query end) rows of the region's in-order parts."""
    if region.parts:
        return np.array(region.parts, dtype=np.int64).reshape(-1, 2)
    return np.array([[region.query_start, region.query_end]], dtype=np.int64)


def trusted_span(region: Region, width: int) -> tuple[int, int]:
    """From the first to the end of the last exact run of `_TRUST_KGRAMS` k-grams or more.

    A lone k-gram at a region's edge ("the social worker" after a template
    sentence) is a coincidence as often as not: it must not make the words
    before it a sequence only this record holds.
    """
    strong = [(q, q + k - 1 + width) for q, _, k in region.runs if k >= _TRUST_KGRAMS]
    if not strong:
        return region.query_start, region.query_start
    return min(a for a, _ in strong), max(b for _, b in strong)
