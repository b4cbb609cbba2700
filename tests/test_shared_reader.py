"""The service's shared reader: checks side by side, never a closed index under a check.

Real index files and real threads. A check that waits on a barrier inside the
reader proves two checks hold it at once (with one lock for all, the barrier
breaks); answers given in parallel are compared with the same checks run one by one.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from provenance import CheckParams, index_store
from provenance.errors import IndexDatabaseError
from provenance.match import check_text
from provenance.store import IndexStore, SharedReader
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE

HAVE_CRYPTO = importlib.util.find_spec("duckdb_extension_httpfs") is not None

Answer = tuple[str, tuple[tuple[int, int, str, str], ...]]


def _drafts() -> list[tuple[str, str]]:
    """(case, text): a leak and a clean plan for every case, each text different."""
    drafts = []
    for number, (case_id, story) in enumerate(CASE_STORIES.items()):
        drafts.append((case_id, f"Plan {number}.\n\n{TEMPLATE}\n\n{story}\n\n{LEAK_PARAGRAPH}"))
        drafts.append((case_id, f"Review {number}.\n\n{TEMPLATE}\n\n{story}"))
    return drafts


def _answer(store: IndexStore, case_id: str, text: str) -> Answer:
    result = check_text(store, text, "draft.txt", case_id, CheckParams())
    return result.verdict, tuple(
        (m.start, m.end, m.status, m.source.record_id) for m in result.matches
    )


def _in_parallel(reader: SharedReader, drafts: list[tuple[str, str]]) -> list[Answer]:
    def one(draft: tuple[str, str]) -> Answer:
        with reader.store() as store:
            return _answer(store, *draft)

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, drafts * 3))


@pytest.mark.parametrize(
    "encrypt",
    [
        False,
        pytest.param(
            True, marks=pytest.mark.skipif(not HAVE_CRYPTO, reason="needs the `encryption` extra")
        ),
    ],
)
def test_checks_in_parallel_answer_as_checks_one_by_one(
    small_store: Path, tmp_path: Path, encrypt: bool
) -> None:
    """Read files (the default) and SQL lookups (an encrypted index) alike."""
    db = tmp_path / "index.duckdb"
    index_store(small_store, db, encrypt=encrypt)
    drafts = _drafts()
    with IndexStore.open_for_reading(db) as store:
        assert store.uses_read_files is not encrypt
        expected = [_answer(store, *draft) for draft in drafts]
    assert {verdict for verdict, _ in expected} == {"leak", "clean"}
    reader = SharedReader(db, concurrent_uses=4)
    try:
        assert _in_parallel(reader, drafts) == expected * 3
    finally:
        reader.close()


def _hold_together(reader: SharedReader, holders: int, inside: Callable[[], None]) -> list[str]:
    """`holders` threads each take the reader and call `inside()` while holding it."""
    errors: list[str] = []

    def hold() -> None:
        try:
            with reader.store():
                inside()
        except Exception as error:  # reported by the test
            errors.append(repr(error))

    threads = [threading.Thread(target=hold) for _ in range(holders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_a_check_does_not_wait_for_another_to_finish(indexed_store: Path) -> None:
    reader = SharedReader(indexed_store, concurrent_uses=2)
    meeting = threading.Barrier(2, timeout=10)
    try:
        assert _hold_together(reader, 2, meeting.wait) == []
    finally:
        reader.close()


def test_checks_beyond_the_limit_wait_their_turn(indexed_store: Path) -> None:
    reader = SharedReader(indexed_store, concurrent_uses=2)
    inside = 0
    most = 0
    counting = threading.Lock()
    everyone_started = threading.Barrier(4, timeout=10)

    def count_while_inside() -> None:
        nonlocal inside, most
        with counting:
            inside += 1
            most = max(most, inside)
        threading.Event().wait(0.05)
        with counting:
            inside -= 1

    def start_then_check() -> None:
        everyone_started.wait()
        with reader.store():
            count_while_inside()

    try:
        threads = [threading.Thread(target=start_then_check) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert 1 <= most <= 2
    finally:
        reader.close()


def test_a_publish_during_a_check_keeps_its_index_open_until_it_ends(
    small_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "index.duckdb"
    index_store(small_store, db)
    reader = SharedReader(db)
    case_id, draft = _drafts()[0]
    with reader.store() as old:
        expected = _answer(old, case_id, draft)
        (small_store / "C-1001" / "extra.txt").write_text("A new note. " * 40, encoding="utf-8")
        with (small_store / "manifest.csv").open("a", encoding="utf-8") as manifest:
            manifest.write("C-1001/extra.txt,C-1001,X-1,note,2026-05-01,Extra\n")
        assert index_store(small_store, db).added == 1
        with reader.store() as new:
            assert new is not old and new.counts()["records"] == old.counts()["records"] + 1
        assert _answer(old, case_id, draft) == expected  # still open for the check using it
    with pytest.raises(IndexDatabaseError):
        old.counts()  # closed once its last check ended
    with reader.store() as again:
        assert again is new
    reader.close()
    with pytest.raises(IndexDatabaseError):
        new.counts()
