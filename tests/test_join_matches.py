"""Joining adjacent cross-case matches (match._join_adjacent): properties over any layout."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.match import _join_adjacent
from provenance.models import Match, MatchStatus, SourceSpan
from provenance.normalize import split_words
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
    joined = _join_adjacent(matches, QUERY, TEXT)
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
