"""Readers that hold the index in memory or map its read files answer exactly as SQL does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from provenance import index_store
from provenance.config import CheckParams
from provenance.extract import extract_text
from provenance.match import check_text
from provenance.origin import find_origin
from provenance.store import IndexStore

CORPUS = Path(__file__).resolve().parent.parent / "sample_corpus"


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("memory") / "index.duckdb"
    index_store(CORPUS / "store", db_path)
    return db_path


@pytest.mark.parametrize("mode", ["memory", "files"])
def test_fast_candidates_equal_the_sql_join(corpus_index: Path, mode: str) -> None:
    with (
        IndexStore.open_for_reading(corpus_index, read_files=False) as sql,
        _fast_reader(corpus_index, mode) as memory,
    ):
        assert not sql.uses_read_files
        stored = np.array(sql.execute("SELECT key FROM bands ORDER BY rec, passage_no"))[:, 0]
        rng = np.random.default_rng(5)
        for trial in range(6):
            # Real keys (shared ones and unique ones) mixed with keys no record holds.
            keys = np.concatenate(
                [rng.choice(stored, 300 + 200 * trial), rng.integers(-(2**62), 2**62, 50)]
            ).astype(np.int64)
            passages = rng.integers(0, 40, len(keys)).astype(np.int32)
            for limit in (5, 400):
                ours = memory.candidate_records(keys, passages, limit)
                theirs = sql.candidate_records(keys, passages, limit)
                assert [(c.rec, c.passages_hit) for c in ours] == [
                    (c.rec, c.passages_hit) for c in theirs
                ]
                assert [c.score for c in ours] == pytest.approx([c.score for c in theirs])
        assert len(sql.candidate_records(keys, passages, 400)) > 10


@pytest.mark.parametrize("mode", ["memory", "files"])
def test_checks_and_origin_agree_with_the_sql_path(corpus_index: Path, mode: str) -> None:
    params = CheckParams()
    with (
        IndexStore.open_for_reading(corpus_index, read_files=False) as sql,
        _fast_reader(corpus_index, mode) as memory,
    ):
        for name in ("plan_C-1004_incident.txt", "plan_C-1004_clean.txt"):
            text = extract_text(CORPUS / "outgoing" / name).text
            assert check_text(memory, text, name, "C-1004", params) == check_text(
                sql, text, name, "C-1004", params
            )
        incident = extract_text(CORPUS / "outgoing" / "plan_C-1004_incident.txt").text
        leaked = check_text(sql, incident, "incident", "C-1004", params)
        assert leaked.verdict == "leak"
        passage = leaked.matches[0].text
        assert find_origin(memory, passage, params) == find_origin(sql, passage, params)
        assert memory.case_count() == sql.case_count()
        assert memory.case_exists("C-1004") and not memory.case_exists("C-9999")
        for asked in (" c-1004", "C-9999", "minutes"):
            assert memory.cases_like(asked) == sql.cases_like(asked)
        assert sql.cases_like(" c-1004")[0] == ["C-1004"]


def _fast_reader(db_path: Path, mode: str) -> IndexStore:
    if mode == "memory":
        store = IndexStore.open_for_reading(db_path, read_files=False)
        store.load_into_memory()
        return store
    store = IndexStore.open_for_reading(db_path)
    assert store.uses_read_files
    return store
