"""details.cases_holding: which cases' candidate records hold a word or a phrase.

It runs the candidates' words together once per check window
(`Candidates.joined`) and looks phrases up in batches; these tests hold it to
a plain reading of every record, phrase by phrase.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import details
from provenance.align import exact_runs
from provenance.candidates import Candidates
from provenance.store import RecordWords


def _candidates(records: list[list[int]], initials: list[list[int] | None]) -> Candidates:
    words = [
        RecordWords(
            rec=n,
            ids=np.array(ids, dtype=np.uint32),
            starts=np.arange(len(ids), dtype=np.int64),
            ends=np.arange(len(ids), dtype=np.int64) + 1,
            initials=None if capitals is None else np.array(capitals, dtype=np.uint8),
        )
        for n, (ids, capitals) in enumerate(zip(records, initials, strict=True))
    ]
    runs = exact_runs(np.zeros(0, dtype=np.uint32), [w.ids for w in words], 3)
    return Candidates(records=[], words=words, runs=runs, shingle_words=3)


def _reference(
    records: list[list[int]],
    initials: list[list[int] | None],
    phrases: list[tuple[int, ...]],
    case_of: list[int],
    cases: int,
    written_plain: bool,
) -> np.ndarray:
    """Phrase by phrase over the records run together, as cases_holding reads them."""
    joined = [word for ids in records for word in ids]
    owner = [n for n, ids in enumerate(records) for _ in ids]
    plain = [
        capital == 0
        for ids, capitals in zip(records, initials, strict=True)
        for capital in (capitals if capitals is not None else [0] * len(ids))
    ]
    holds = np.zeros((cases, len(phrases)), dtype=bool)
    for k, phrase in enumerate(phrases):
        for at in range(len(joined) - len(phrase) + 1):
            if tuple(joined[at : at + len(phrase)]) == phrase and (plain[at] or not written_plain):
                holds[case_of[owner[at]], k] = True
    return holds


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    width=st.integers(1, 3),
    batch=st.integers(1, 9),
    written_plain=st.booleans(),
)
def test_cases_holding_agrees_with_reading_every_record(
    data: st.DataObject, width: int, batch: int, written_plain: bool
) -> None:
    words = st.integers(0, 5)  # few distinct words, so phrases recur
    records = data.draw(st.lists(st.lists(words, max_size=12), min_size=1, max_size=5))
    initials = [
        data.draw(
            st.one_of(st.none(), st.lists(st.integers(0, 2), min_size=len(r), max_size=len(r)))
        )
        for r in records
    ]
    phrases = data.draw(st.lists(st.tuples(*[words] * width), max_size=6))
    cases = data.draw(st.integers(1, 3))
    case_of = data.draw(
        st.lists(st.integers(0, cases - 1), min_size=len(records), max_size=len(records))
    )
    found = _candidates(records, initials)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(details, "_LOOKUP_BATCH_WORDS", batch)
        holds = details.cases_holding(
            found,
            np.array(phrases, dtype=np.int64).reshape(len(phrases), width),
            (case_of, cases),
            written_plain=written_plain,
        )
    expected = _reference(records, initials, phrases, case_of, cases, written_plain)
    assert holds.tolist() == expected.tolist()


def test_a_phrase_split_between_two_batches_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    found = _candidates([[7, 1, 2, 3, 9]], [None])
    monkeypatch.setattr(details, "_LOOKUP_BATCH_WORDS", 2)
    holds = details.cases_holding(found, np.array([[1, 2, 3], [2, 3, 9], [3, 1, 2]]), ([0], 1))
    assert holds.tolist() == [[True, True, False]]
