"""The DuckDB index file: clear errors for missing, foreign, locked or mismatched files."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from provenance.config import IndexParams
from provenance.errors import (
    IndexDatabaseError,
    IndexLockedError,
    IndexMissingError,
    IndexParametersError,
)
from provenance.store import IndexStore, resolve_db_path
from tests.conftest import LEAK_PARAGRAPH


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="provenance index STORE"):
        IndexStore.open_for_reading(tmp_path / "none.duckdb")


def test_a_duckdb_file_that_is_not_an_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(IndexDatabaseError, match="not a provenance index"):
        IndexStore.open_for_reading(path)


def test_schema_version_mismatch_asks_for_a_rebuild(indexed_store: Path) -> None:
    connection = duckdb.connect(str(indexed_store))
    connection.execute("UPDATE params SET value = '0' WHERE name = 'schema_version'").fetchall()
    connection.close()
    with pytest.raises(IndexParametersError, match="Rebuild"):
        IndexStore.open_for_reading(indexed_store)


def test_reader_gets_a_lock_error_while_another_process_writes(indexed_store: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(30)",
            str(indexed_store),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexLockedError, match="held open for writing by another program"):
            IndexStore.open_for_reading(indexed_store)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    time.sleep(0.1)
    IndexStore.open_for_reading(indexed_store).close()


def test_parameters_are_stored_and_read_back(tmp_path: Path) -> None:
    params = IndexParams(window_words=24, index_stride=8)
    IndexStore.open_for_writing(tmp_path / "p.duckdb", params).close()
    with IndexStore.open_for_reading(tmp_path / "p.duckdb") as store:
        assert store.read_params() == params
        assert len(store.read_permutations().a) == params.num_perm


def test_no_passage_text_is_stored(indexed_store: Path) -> None:
    """The index keeps word ids and offsets, not the words: the raw file lacks them."""
    raw = indexed_store.read_bytes()
    wal = indexed_store.with_name(indexed_store.name + ".wal")
    if wal.exists():
        raw += wal.read_bytes()
    for phrase in ("Linnet Close", "Dean Holt", "bodily harm"):
        assert phrase.encode() not in raw
        assert phrase in LEAK_PARAGRAPH


def test_db_path_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVENANCE_DB", raising=False)
    assert resolve_db_path(None) == Path("provenance.duckdb")
    monkeypatch.setenv("PROVENANCE_DB", "/data/idx.duckdb")
    assert resolve_db_path(None) == Path("/data/idx.duckdb")
    assert resolve_db_path("x.duckdb") == Path("x.duckdb")
