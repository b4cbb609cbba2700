"""The memory-mapped read files: same answers as SQL, safe fallback, crash safety.

Real index runs and real files throughout: incremental runs that add segments,
files removed or damaged on disk, and a writer killed (SIGKILL) after it wrote
its segment but before it published the database naming it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from provenance import index_store
from provenance.config import CheckParams
from provenance.match import check_text
from provenance.store import IndexStore
from tests.conftest import FILLER, LEAK_PARAGRAPH, small_store_records, write_store

LEAK_TEXT = f"Plan for Leo.\n\n{LEAK_PARAGRAPH}\n"


def _segments(db: Path) -> list[dict[str, object]]:
    with IndexStore.open_for_reading(db, read_files=False) as store:
        raw = store.execute("SELECT value FROM params WHERE name = 'segments'")
    return list(json.loads(raw[0][0])["segments"]) if raw else []


def _folders(db: Path) -> set[str]:
    folder = db.with_name(db.name + ".segments")
    return {entry.name for entry in folder.iterdir()} if folder.exists() else set()


def _assert_same_answers(db: Path, *, expect_files: bool = True) -> None:
    """Candidates, words and checks through the read files equal the SQL path's."""
    params = CheckParams()
    with (
        IndexStore.open_for_reading(db, read_files=False) as sql,
        IndexStore.open_for_reading(db) as fast,
    ):
        assert fast.uses_read_files is expect_files
        stored = np.array(sql.execute("SELECT key FROM bands ORDER BY rec, passage_no"))[:, 0]
        rng = np.random.default_rng(11)
        keys = np.concatenate([rng.choice(stored, 400), rng.integers(-(2**62), 2**62, 40)])
        passages = rng.integers(0, 30, len(keys)).astype(np.int32)
        for limit in (3, 400):
            ours = fast.candidate_records(keys.astype(np.int64), passages, limit)
            theirs = sql.candidate_records(keys.astype(np.int64), passages, limit)
            assert [(c.rec, c.passages_hit) for c in ours] == [
                (c.rec, c.passages_hit) for c in theirs
            ]
            assert [c.score for c in ours] == pytest.approx([c.score for c in theirs])
        recs = [record.rec for record in sql.stored_records().values()]
        gone = max(recs) + 5
        fast_words, sql_words = fast.record_words([*recs, gone]), sql.record_words([*recs, gone])
        assert fast_words.keys() == sql_words.keys() == set(recs)
        for rec in recs:
            ours_words, theirs_words = fast_words[rec], sql_words[rec]
            assert np.array_equal(ours_words.ids, theirs_words.ids)
            assert np.array_equal(ours_words.starts, theirs_words.starts)
            assert np.array_equal(ours_words.ends, theirs_words.ends)
        for case in ("C-1005", "C-1003"):
            assert check_text(fast, LEAK_TEXT, "plan", case, params) == check_text(
                sql, LEAK_TEXT, "plan", case, params
            )
        assert check_text(fast, LEAK_TEXT, "plan", "C-1005", params).verdict == "leak"


def _grow(store: Path, first: int, count: int) -> None:
    """Add `count` records of a new case C-2000 (record numbers from `first`)."""
    (store / "C-2000").mkdir(exist_ok=True)
    with (store / "manifest.csv").open("a", encoding="utf-8") as manifest:
        for number in range(first, first + count):
            path = f"C-2000/note{number}.txt"
            text = f"Note {number}: Ezra Quill, age {number}, moved to Sorrel Row {number}. "
            (store / path).write_text(text + FILLER, encoding="utf-8")
            manifest.write(f"{path},C-2000,C-2000-N{number},visit,2026-05-01,Note\n")


def test_incremental_runs_add_segments_and_answers_stay_equal(tmp_path: Path) -> None:
    store = write_store(tmp_path / "store", small_store_records())
    db = tmp_path / "index.duckdb"
    index_store(store, db)
    assert len(_segments(db)) == 1
    _assert_same_answers(db)

    _grow(store, 0, 2)  # added records: a new segment
    (store / "C-1001" / "plan.txt").write_text(f"Changed plan. {FILLER}", encoding="utf-8")
    index_store(store, db)
    first_two = _segments(db)
    assert len(first_two) == 2
    _assert_same_answers(db)

    lines = (store / "manifest.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("C-1002/plan.txt")]
    (store / "manifest.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    index_store(store, db)  # a removal only: no new segment, the dead rec is skipped
    assert _segments(db) == first_two
    _assert_same_answers(db)
    assert _folders(db) == {str(segment["name"]) for segment in first_two}

    _grow(store, 2, 40)  # many more rows than a quarter of the first segment: rewritten
    index_store(store, db)
    assert len(_segments(db)) == 1
    _assert_same_answers(db)


def test_missing_damaged_or_stale_files_fall_back_to_sql(tmp_path: Path) -> None:
    store = write_store(tmp_path / "store", small_store_records())
    db = tmp_path / "index.duckdb"
    index_store(store, db)
    folder = db.with_name(db.name + ".segments") / str(_segments(db)[0]["name"])
    backup = tmp_path / "backup"
    shutil.copytree(folder, backup)

    (folder / "keys.npy").unlink()  # missing
    _assert_same_answers(db, expect_files=False)

    shutil.copy(backup / "keys.npy", folder / "keys.npy")
    with (folder / "recs.npy").open("r+b") as handle:  # truncated
        handle.truncate(100)
    _assert_same_answers(db, expect_files=False)

    shutil.copy(backup / "recs.npy", folder / "recs.npy")
    _assert_same_answers(db)
    data = bytearray((folder / "word_ids.npy").read_bytes())  # same size, other content
    data[-4:] = bytes(reversed(data[-4:])) if data[-4:] != data[-4:][::-1] else b"\xff" * 4
    (folder / "word_ids.npy").write_bytes(bytes(data))
    _assert_same_answers(db, expect_files=False)

    shutil.rmtree(folder)  # stale: the files are from an older index of the same database
    shutil.copytree(backup, folder)
    _grow(store, 0, 1)
    index_store(store, db)
    newest = db.with_name(db.name + ".segments") / str(_segments(db)[-1]["name"])
    shutil.rmtree(newest)
    _assert_same_answers(db, expect_files=False)


# A writer stopped after its segment is on disk, before the database naming it is published.
_STOPPED_BEFORE_PUBLISH = """
import sys, time
from pathlib import Path
import provenance.store as store_module
from provenance import index_store
def pause(db_path):
    print("paused", flush=True)
    time.sleep(60)
store_module.publish_working_copy = pause
index_store(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_kill_between_segment_and_database_publish_loses_nothing(tmp_path: Path) -> None:
    store = write_store(tmp_path / "store", small_store_records())
    db = tmp_path / "index.duckdb"
    index_store(store, db)
    published = _segments(db)
    _grow(store, 0, 3)
    writer = subprocess.Popen(
        [sys.executable, "-c", _STOPPED_BEFORE_PUBLISH, str(store), str(db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "paused"
    finally:
        writer.kill()
        writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()
    assert len(_folders(db)) == 2  # the new segment is on disk, unpublished
    assert _segments(db) == published  # the live database still names the old one
    _assert_same_answers(db)
    with IndexStore.open_for_reading(db) as reader:
        assert len(reader.stored_records()) == 10

    summary = index_store(store, db)  # continues the killed run's copy and publishes
    assert summary.added == 0  # the killed run's records were in its copy already
    _assert_same_answers(db)
    with IndexStore.open_for_reading(db) as reader:
        assert len(reader.stored_records()) == 13
    assert _folders(db) == {str(segment["name"]) for segment in _segments(db)} | {
        str(segment["name"]) for segment in published
    }


def test_key_order_sorts_like_argsort_with_duplicates_and_near_collisions() -> None:
    from provenance.segments import key_order

    rng = np.random.default_rng(3)
    base = rng.integers(-(2**63), 2**63 - 1, 20_000, dtype=np.int64)
    # keys differing only in their low 24 bits land in one packed group, out of order
    near = (base[:500] & ~np.int64((1 << 24) - 1)) | rng.integers(0, 1 << 24, 500)
    keys = np.concatenate([base, rng.choice(base, 5_000), near, [np.iinfo(np.int64).min, -1, 0]])
    rng.shuffle(keys)
    order = key_order(keys)
    assert np.array_equal(np.sort(order), np.arange(len(keys)))
    assert np.array_equal(keys[order], np.sort(keys))


def test_a_run_that_cannot_write_read_files_still_publishes(tmp_path: Path) -> None:
    store = write_store(tmp_path / "store", small_store_records())
    db = tmp_path / "index.duckdb"
    blocker = db.with_name(db.name + ".segments")
    blocker.write_text("a file where the read files' folder should be", encoding="utf-8")
    summary = index_store(store, db)  # the folder cannot be made: published without them
    assert summary.added == 10 and _segments(db) == []
    _assert_same_answers(db, expect_files=False)
    blocker.unlink()
    index_store(store, db)  # nothing changed in the store; the read files are built now
    assert len(_segments(db)) == 1
    _assert_same_answers(db)
