"""One match per passage of a checked text: overlapping matches collapse, adjacent ones join.

The last stage of a check (`match.classify_matches`): the reviewer sees each
passage once, with its most serious status and its likely origin, the other
records holding it listed beside.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

import numpy as np

from provenance.models import STATUS_RANK, Match, SourceSpan
from provenance.store import RecordWords


def join_adjacent(matches: tuple[Match, ...], query: RecordWords, text: str) -> tuple[Match, ...]:
    """Cross-case matches from one case with no word between them become one.

    A copy whose sentences were reordered aligns sentence by sentence, and a
    copied paragraph split in two aligns as two; the reviewer should see one
    passage from that family's record, not three pieces of it. Only nothing
    but spaces and punctuation may lie between: a sentence of the document's
    own between two copied ones keeps them apart.
    """
    joined: list[Match] = []
    for match in matches:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.status == match.status == "cross_case"
            and last.source.case_id == match.source.case_id
            and words_between(query, last.end, match.start) == 0
        ):
            joined[-1] = _joined(last, match, text)
        else:
            joined.append(match)
    return tuple(joined)


def words_between(query: RecordWords, start: int, end: int) -> int:
    """Words of the text starting at character `start` or later and ending by `end`."""
    first, after = word_span(query, start, end)
    return max(0, after - first)


def word_span(query: RecordWords, start: int, end: int) -> tuple[int, int]:
    """The words [first, end) of the text that characters [start, end) take
    in: those starting at `start` or later and ending by `end`."""
    first = int(np.searchsorted(query.starts, start, side="left"))
    return first, int(np.searchsorted(query.ends, end, side="right"))


def _joined(first: Match, second: Match, text: str) -> Match:
    """One match spanning two adjacent ones (`join_adjacent`)."""
    main, other = (second, first) if second.matched_words > first.matched_words else (first, second)
    source = main.source
    if other.source.record_id == source.record_id:
        source = replace(
            source,
            start=min(source.start, other.source.start),
            end=max(source.end, other.source.end),
        )
    others: dict[str, SourceSpan] = {}
    for held in (other.source, *main.other_sources, *other.other_sources):
        if held.record_id != source.record_id:
            others.setdefault(held.record_id, held)
    words = first.matched_words + second.matched_words
    similarity = first.similarity * first.matched_words + second.similarity * second.matched_words
    return Match(
        start=first.start,
        end=second.end,
        text=text[first.start : second.end],
        similarity=round(similarity / words, 3) if words else first.similarity,
        status=first.status,
        source=source,
        matched_words=words,
        other_sources=tuple(others.values()),
    )


def one_match_per_passage(matches: list[Match]) -> tuple[Match, ...]:
    """Overlapping matches of one passage collapse to the most serious one.

    Cross-case beats same-case beats boilerplate; then more shared words, then
    higher similarity, then the earliest record (the likely origin). Other
    records holding the same passage are kept as `other_sources`. Another
    family's copy that only touches the passages chosen before it keeps its
    own part (`rest_beside`).

    A match overlapping several chosen ones joins the one chosen first. The
    chosen never overlap each other, so in order of start they are in order
    of end too, and those a match overlaps are found by bisection: a text
    the size of the whole store gives ~50,000 raw matches per window, and a
    scan of every chosen match for each was quadratic.
    """
    ordered = sorted(
        matches,
        key=lambda m: (STATUS_RANK[m.status], -m.matched_words, -m.similarity, m.source.date),
    )
    chosen: list[Match] = []
    # Per chosen match: its other sources by record, each record once (the
    # overlapping windows of a long text find the same copy twice).
    others: list[dict[str, SourceSpan]] = []
    by_start: list[tuple[int, int]] = []  # (start, index in chosen), sorted
    ends: list[int] = []  # the end of each entry of by_start

    def choose(match: Match) -> None:
        at = bisect.bisect_left(by_start, (match.start, -1))
        by_start.insert(at, (match.start, len(chosen)))
        ends.insert(at, match.end)
        chosen.append(match)
        others.append({s.record_id: s for s in match.other_sources})

    for match in ordered:
        first = bisect.bisect_right(ends, match.start)  # the first ending after it starts
        last = bisect.bisect_left(by_start, (match.end, -1))  # those starting before it ends
        if first >= last:
            choose(match)
            continue
        beside = [chosen[index] for _, index in by_start[first:last]]
        rest = rest_beside(match, beside)
        if rest is not None:
            choose(rest)
            continue
        overlapping = min(index for _, index in by_start[first:last])
        if chosen[overlapping].status == match.status:
            held = others[overlapping]
            for source in (match.source, *match.other_sources):
                if source.record_id != chosen[overlapping].source.record_id:
                    held.setdefault(source.record_id, source)
    result = [
        Match(**{**kept.__dict__, "other_sources": tuple(others[index].values())})
        for index, kept in enumerate(chosen)
    ]
    return tuple(sorted(result, key=lambda m: m.start))


_MIN_REST_CHARS = 40  # the least of a copy `rest_beside` keeps


def rest_beside(match: Match, beside: list[Match]) -> Match | None:
    """The part of a cross-case `match` outside the passages chosen before
    it (`beside`, which it overlaps), when it is another family's copy
    placed next to them: none of them is that case's, it overlaps each by
    less than half of that one and at most a quarter of itself (a few stock
    words at the joint, not a sentence the other family's record holds as
    well), and the widest stretch it covers alone is at least half of it
    and `_MIN_REST_CHARS` long. Else None: the same copy seen again, or a
    wider alignment of it.

    A worker's paragraph made of one family's sentence and the next
    family's aligns with both records, and the two regions share a few
    stock words at the joint; collapsed into one passage, the second
    family's copy was listed as one more record holding the first's, and
    a reviewer did not see that two families' details were in it.
    """
    if match.status != "cross_case" or any(
        other.status != "cross_case" or other.source.case_id == match.source.case_id
        for other in beside
    ):
        return None
    width = match.end - match.start
    for other in beside:
        overlap = min(match.end, other.end) - max(match.start, other.start)
        if 2 * overlap >= other.end - other.start or 4 * overlap > width:
            return None
    # The stretches of the match outside `beside` (sorted, apart from each other).
    edges = [match.start]
    for other in sorted(beside, key=lambda m: m.start):
        edges += [other.start, other.end]
    edges.append(match.end)
    start, end = max(
        (
            (max(a, match.start), min(b, match.end))
            for a, b in zip(edges[::2], edges[1::2], strict=True)
        ),
        key=lambda stretch: stretch[1] - stretch[0],
    )
    text = match.text
    while start < end and not text[start - match.start].isalnum():
        start += 1
    while end > start and not text[end - 1 - match.start].isalnum():
        end -= 1
    if 2 * (end - start) < width or end - start < _MIN_REST_CHARS:
        return None
    return replace(
        match,
        start=start,
        end=end,
        text=text[start - match.start : end - match.start],
        matched_words=max(1, match.matched_words * (end - start) // width),
    )
