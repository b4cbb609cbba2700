"""Reading band hits stays bounded when a text repeats what thousands of records hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from provenance import segments
from provenance.segments import band_hits
from tests.conftest import LEAK_PARAGRAPH, STANDARD, TEMPLATE
from tests.test_match import cross_case, index_notes, own_words, run_check


def table(holders: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """A sorted read-file table: each key repeated once per holder (rec)."""
    keys = [key for key, recs in sorted(holders.items()) for _ in recs]
    recs = [rec for _, recs in sorted(holders.items()) for rec in recs]
    return np.array(keys, dtype=np.int64), np.array(recs, dtype=np.int32)


def test_every_holder_is_read_while_the_hits_fit() -> None:
    keys, recs = table({7: [1, 2, 3], 9: [4]})
    rows, hit_recs = band_hits([(keys, recs)], None, np.array([9, 7, 8, 7]))
    assert sorted(zip(rows.tolist(), hit_recs.tolist(), strict=True)) == [
        (0, 4), (1, 1), (1, 2), (1, 3), (3, 1), (3, 2), (3, 3),
    ]  # fmt: skip


def test_a_key_held_by_thousands_reads_an_even_spread_of_them() -> None:
    """A query repeating one template key 200 times against 5,000 holders: the
    hits stay within the budget, rare keys keep every holder, and the template
    key's holders kept run from the start of its run to the end."""
    keys, recs = table({1: list(range(5_000)), 2: [77, 78]})
    query = np.array([1] * 200 + [2])
    rows, hit_recs = band_hits([(keys, recs)], None, query, max_hits=20_000)
    assert len(rows) <= 20_000
    rare = hit_recs[rows == 200]
    assert sorted(rare.tolist()) == [77, 78]
    first_row = hit_recs[rows == 0]
    assert 16 <= len(first_row) < 5_000
    assert first_row.min() == 0 and first_row.max() > 4_800
    assert len(np.unique(first_row)) == len(first_row)


@pytest.fixture
def crowded_store(tmp_path: Path) -> Path:
    """40 cases whose notes all open with the same template paragraphs; C-3003's
    note holds the leak paragraph."""
    notes = [
        (
            f"C-30{n:02d}",
            "note",
            f"2026-03-{n % 28 + 1:02d}",
            f"{TEMPLATE}\n\n{STANDARD}\n\n{LEAK_PARAGRAPH if n == 3 else ''}\n\n{own_words(60, n)}",
        )
        for n in range(40)
    ]
    return index_notes(tmp_path, "crowded", notes)


def test_a_capped_check_still_finds_the_copy_and_calls_the_template_template(
    crowded_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a budget so small that every check is capped, the answers hold."""
    own = own_words(80, 99)
    leaked = f"{TEMPLATE}\n\n{STANDARD}\n\n{own}\n\n{LEAK_PARAGRAPH}"
    clean = f"{TEMPLATE}\n\n{STANDARD}\n\n{own}"
    calls = []
    whole = segments.band_hits

    def small_budget(*args: object, **kwargs: object) -> tuple[np.ndarray, np.ndarray]:
        rows, recs = whole(*args, max_hits=400)  # type: ignore[arg-type]
        calls.append((len(rows), len(whole(*args)[0])))  # type: ignore[arg-type]
        return rows, recs

    monkeypatch.setattr("provenance.store.band_hits", small_budget)
    found = run_check(crowded_store, leaked, "C-3010")
    cleared = run_check(crowded_store, clean, "C-3010")
    # Both checks were capped; a flagged passage checked again alone (match._confirmed_alone)
    # may be within the budget.
    assert sum(capped < every for capped, every in calls) >= 2
    assert all(capped <= every for capped, every in calls)
    assert [case for case, _ in cross_case(found)] == ["C-3003"]
    assert cleared.verdict == "clean"
    assert {m.status for m in cleared.matches} == {"boilerplate"}
