"""Writers work on a copy and publish it: checks never wait, never see half a write.

Real processes throughout: a writer paused mid-run in a subprocess, checks
through the CLI, SIGKILL, and a file-size limit standing in for a full disk.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from provenance import index_store
from provenance.errors import DiskSpaceError, IndexLockedError
from provenance.store import IndexStore
from tests.conftest import FILLER, LEAK_PARAGRAPH, RunCli

# A writer that pauses inside its run, holding the lock and its working copy.
_PAUSING_WRITER = """
import sys, time
from pathlib import Path
from provenance import index_store
pause_at = int(sys.argv[3])
def progress(done, total, path):
    if done == pause_at:
        print("paused", flush=True)
        time.sleep(60)
index_store(Path(sys.argv[1]), Path(sys.argv[2]), on_progress=progress)
"""


def add_records(store: Path, count: int, case_id: str = "C-1009") -> None:
    """Append `count` new records of a new case to the store and its manifest."""
    (store / case_id).mkdir(exist_ok=True)
    with (store / "manifest.csv").open("a", encoding="utf-8") as manifest:
        for number in range(count):
            path = f"{case_id}/note{number}.txt"
            (store / path).write_text(f"Note {number} of {case_id}. {FILLER}", encoding="utf-8")
            manifest.write(f"{path},{case_id},{case_id}-N{number},visit,2026-04-01,Note\n")


@contextmanager
def paused_writer(store: Path, db: Path, pause_at: int = 2) -> Iterator[subprocess.Popen[str]]:
    """A real `index` run in another process, stopped part way; killed afterwards."""
    writer = subprocess.Popen(
        [sys.executable, "-c", _PAUSING_WRITER, str(store), str(db), str(pause_at)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "paused"
        yield writer
    finally:
        writer.kill()
        writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()


def test_checks_answer_while_an_index_run_writes(
    small_store: Path, indexed_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    leak = tmp_path / "plan.txt"
    leak.write_text(f"Plan for Leo.\n\n{LEAK_PARAGRAPH}\n", encoding="utf-8")
    add_records(small_store, 5)
    with paused_writer(small_store, indexed_store):
        checked = run_cli("check", leak, "--case", "C-1005", "--db", indexed_store)
        assert checked.returncode == 1, checked.stderr
        assert "C-1003" in checked.stdout
        with pytest.raises(IndexLockedError, match=r"Checks still work meanwhile"):
            index_store(small_store, indexed_store)
        second = run_cli("index", small_store, "--db", indexed_store)
        assert second.returncode == 2 and "is updating the index" in second.stderr


def test_a_reader_keeps_its_version_until_it_reopens(
    small_store: Path, indexed_store: Path
) -> None:
    reader = IndexStore.open_for_reading(indexed_store)
    try:
        before = reader.counts()["records"]
        add_records(small_store, 3)
        index_store(small_store, indexed_store)
        assert reader.counts()["records"] == before, "an open reader saw a change mid-read"
        assert not reader.is_current()
    finally:
        reader.close()
    with IndexStore.open_for_reading(indexed_store) as fresh:
        assert fresh.counts()["records"] == before + 3
        assert fresh.is_current()


def test_a_killed_run_leaves_the_live_index_whole_and_the_next_run_continues(
    small_store: Path, indexed_store: Path
) -> None:
    with IndexStore.open_for_reading(indexed_store) as store:
        published = store.integrity()
    add_records(small_store, 6)
    with paused_writer(small_store, indexed_store, pause_at=len(list(small_store.rglob("*.txt")))):
        pass  # killed while paused, after every old record and some new ones
    with IndexStore.open_for_reading(indexed_store) as store:
        assert store.integrity() == published
    resumed = index_store(small_store, indexed_store)
    assert resumed.added < 6, "finished records of the killed run were redone"
    with IndexStore.open_for_reading(indexed_store) as store:
        after = store.integrity()
    assert after.records == published.records + 6
    assert (after.orphan_rows, after.duplicate_rows) == (0, 0)


def test_a_write_is_refused_when_free_disk_is_short(
    small_store: Path, indexed_store: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROVENANCE_MIN_FREE_MB", str(1 << 30))  # a petabyte
    with pytest.raises(DiskSpaceError, match="Free some space"):
        index_store(small_store, indexed_store)
    refused = run_cli("scan", small_store, "--db", indexed_store)
    assert refused.returncode == 2 and "MB free beside the index" in refused.stderr
    monkeypatch.delenv("PROVENANCE_MIN_FREE_MB")
    assert index_store(small_store, indexed_store).unchanged > 0


_LIMITED_WRITER = """
import resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from provenance import index_store
index_store(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_full_disk_never_damages_the_live_index(
    small_store: Path, indexed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RLIMIT_FSIZE makes every write past a size fail, as a full disk does."""
    with IndexStore.open_for_reading(indexed_store) as store:
        published = store.integrity()
    for number in range(40):
        add_records(small_store, 10, case_id=f"C-2{number:03d}")
    limit = indexed_store.stat().st_size + (64 << 10)
    starved = subprocess.run(
        [sys.executable, "-c", _LIMITED_WRITER, str(small_store), str(indexed_store), str(limit)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert starved.returncode != 0, "the writer should have run out of space"
    with IndexStore.open_for_reading(indexed_store) as store:
        assert store.integrity() == published
    index_store(small_store, indexed_store)
    rebuilt = tmp_path / "rebuilt.duckdb"
    monkeypatch.setenv("PROVENANCE_KEY_FILE", str(indexed_store) + ".key")
    index_store(small_store, rebuilt)
    with (
        IndexStore.open_for_reading(indexed_store) as after,
        IndexStore.open_for_reading(rebuilt) as clean,
    ):
        assert after.integrity() == clean.integrity()


def test_sigkill_of_a_writer_releases_its_lock(small_store: Path, indexed_store: Path) -> None:
    add_records(small_store, 2)
    with paused_writer(small_store, indexed_store) as writer:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        time.sleep(0.05)
        assert index_store(small_store, indexed_store).added >= 1
