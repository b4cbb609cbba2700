"""Joining adjacent cross-case matches (passages.join_adjacent) and collapsing overlapping
ones (passages.one_match_per_passage): properties over any layout."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.models import Match, MatchStatus, SourceSpan
from provenance.normalize import split_words
from provenance.passages import STATUS_RANK, join_adjacent, one_match_per_passage, rest_beside
from provenance.store import RecordWords

TEXT = " ".join(f"w{n}." if n % 7 == 6 else f"w{n}" for n in range(120))
WORDS = split_words(TEXT)
QUERY = RecordWords(rec=0, ids=np.zeros(len(WORDS), dtype=np.uint32),
                    starts=WORDS.starts, ends=WORDS.ends)  # fmt: skip


@st.composite
def layouts(draw: st.DrawFn) -> tuple[Match, ...]:
    """Non-overlapping matches on word boundaries, in text order, some touching."""
    matches, word = [], draw(st.integers(0, 5))
    while word < len(WORDS) - 1:
        length = draw(st.integers(1, 12))
        end = min(len(WORDS), word + length)
        status: MatchStatus = draw(st.sampled_from(["cross_case", "same_case", "boilerplate"]))
        case, record = draw(st.sampled_from(["C-1", "C-2"])), draw(st.sampled_from("ab"))
        start_char, end_char = int(WORDS.starts[word]), int(WORDS.ends[end - 1])
        source = SourceSpan(f"{case}-{record}", case, "p", "note", "2026-01-01", word, end)
        matches.append(Match(start_char, end_char, TEXT[start_char:end_char], 0.9, status,
                             source, end - word))  # fmt: skip
        word = end + draw(st.sampled_from([0, 0, 1, 3]))
    return tuple(matches)


@settings(max_examples=200, deadline=None)
@given(layouts())
def test_joining_keeps_every_passage_and_only_merges_touching_matches_of_one_case(
    matches: tuple[Match, ...],
) -> None:
    joined = join_adjacent(matches, QUERY, TEXT)
    assert all(a.end <= b.start for a, b in itertools.pairwise(joined))
    assert [m for m in joined if m.status != "cross_case"] == [
        m for m in matches if m.status != "cross_case"
    ]
    for match in matches:
        (holder,) = [j for j in joined if j.start <= match.start and match.end <= j.end]
        assert holder.status == match.status and holder.source.case_id == match.source.case_id
    assert sum(m.matched_words for m in joined) == sum(m.matched_words for m in matches)
    for a, b in itertools.pairwise(joined):
        touching = not any(a.end <= s < b.start for s in WORDS.starts.tolist())
        same_case = a.status == b.status == "cross_case" and a.source.case_id == b.source.case_id
        assert not (touching and same_case), "two touching matches of one case were left apart"
    for m in joined:
        inside = [x for x in matches if m.start <= x.start and x.end <= m.end]
        for a, b in itertools.pairwise(inside):
            assert not any(a.end <= s < b.start for s in WORDS.starts.tolist()), (
                "matches with a word between them were joined"
            )
        assert m.text == TEXT[m.start : m.end]
        listed = [m.source.record_id, *(s.record_id for s in m.other_sources)]
        assert len(listed) == len(set(listed))


@st.composite
def overlapping_matches(draw: st.DrawFn) -> list[Match]:
    """Matches anywhere in the text, overlapping freely, ties in every sort key."""
    matches = []
    for _ in range(draw(st.integers(0, 25))):
        start = draw(st.integers(0, 110))
        end = draw(st.integers(start + 1, 120))
        status: MatchStatus = draw(st.sampled_from(["cross_case", "same_case", "boilerplate"]))
        record = draw(st.sampled_from(["C-1-a", "C-1-b", "C-2-a", "C-3-a"]))
        date = draw(st.sampled_from(["2026-01-01", "2026-02-01"]))
        source = SourceSpan(record, record[:3], "p", "note", date, start, end)
        others = tuple(
            SourceSpan(other, other[:3], "p", "note", date, start, end)
            for other in draw(st.lists(st.sampled_from(["C-4-a", "C-1-b"]), max_size=2))
        )
        matches.append(Match(start, end, TEXT[start:end], draw(st.sampled_from([0.8, 0.9])),
                             status, source, draw(st.integers(1, 4)), others))  # fmt: skip
    return matches


def _one_per_passage_by_scanning(matches: list[Match]) -> list[Match]:
    """The plain definition: each match, most serious first, joins the first
    chosen match it overlaps, else is chosen."""
    ordered = sorted(
        matches,
        key=lambda m: (STATUS_RANK[m.status], -m.matched_words, -m.similarity, m.source.date),
    )
    chosen: list[Match] = []
    others: list[dict[str, SourceSpan]] = []
    for match in ordered:
        hit = [
            i for i, kept in enumerate(chosen) if match.start < kept.end and kept.start < match.end
        ]
        rest = rest_beside(match, [chosen[i] for i in hit]) if hit else None
        if not hit or rest is not None:
            chosen.append(rest or match)
            others.append({s.record_id: s for s in (rest or match).other_sources})
        elif chosen[hit[0]].status == match.status:
            for source in (match.source, *match.other_sources):
                if source.record_id != chosen[hit[0]].source.record_id:
                    others[hit[0]].setdefault(source.record_id, source)
    kept = [
        Match(**{**m.__dict__, "other_sources": tuple(o.values())})
        for m, o in zip(chosen, others, strict=True)
    ]
    return sorted(kept, key=lambda m: m.start)


@settings(max_examples=150, deadline=None)
@given(overlapping_matches())
def test_collapsing_overlaps_by_bisection_equals_scanning_every_chosen_match(
    matches: list[Match],
) -> None:
    assert list(one_match_per_passage(matches)) == _one_per_passage_by_scanning(matches)


def _copy(case: str, start: int, end: int, words: int) -> Match:
    source = SourceSpan(f"{case}-r", case, "p", "note", "2026-01-01", 0, 1)
    return Match(start, end, TEXT[start:end], 0.95, "cross_case", source, words)


def test_two_families_side_by_side_are_both_reported() -> None:
    """Their regions share a few stock words at the joint: each family's
    copy keeps its own part."""
    first = _copy("C-1", int(WORDS.starts[0]), int(WORDS.ends[30]), 31)
    second = _copy("C-2", int(WORDS.starts[27]), int(WORDS.ends[55]), 29)
    kept = one_match_per_passage([first, second])
    assert [m.source.case_id for m in kept] == ["C-1", "C-2"]
    assert kept[0] == first and kept[1].start > first.end and kept[1].end == second.end
    assert kept[1].text == TEXT[kept[1].start : kept[1].end] and kept[1].text[0].isalnum()


def test_a_wider_alignment_of_the_same_copy_still_collapses() -> None:
    """A sibling's record holding most of the same passage is one more holder."""
    first = _copy("C-1", int(WORDS.starts[0]), int(WORDS.ends[30]), 31)
    wider = _copy("C-2", int(WORDS.starts[10]), int(WORDS.ends[44]), 30)
    (kept,) = one_match_per_passage([first, wider])
    assert kept.source.case_id == "C-1" and [s.case_id for s in kept.other_sources] == ["C-2"]
    again = _copy("C-1", int(WORDS.starts[27]), int(WORDS.ends[55]), 29)
    assert len(one_match_per_passage([first, again])) == 1  # the same family's copy
