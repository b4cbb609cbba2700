"""A private index: no text in the database, and hashes useless without the key."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import numpy as np
import pytest

from provenance import index_store
from provenance.config import IndexParams
from provenance.errors import IndexKeyError, KeyMismatchError
from provenance.fingerprint import band_keys, plan_windows, signatures
from provenance.normalize import split_words
from provenance.shingle import shingle_hashes, word_ids
from provenance.store import IndexStore
from tests.conftest import FILLER, LEAK_PARAGRAPH, RunCli, write_store

FIRST = ["Orla", "Tamsin", "Judah", "Perrin", "Wrenna", "Castor", "Ysolde", "Bram", "Ilse", "Toby"]
LAST = ["Quennell", "Ashgrove", "Pellowe", "Dunstable", "Harcourt-Vine", "Mabry", "Oakhanger"]
STREETS = ["Sorrel Way", "Kestrel Rise", "Bramling Court", "Tansy Lane", "Wych Elm Road"]


def canary_sentences(count: int = 20) -> list[str]:
    """Fictional sentences of the kind a leak carries: names, addresses, charges."""
    rng = np.random.default_rng(7)
    return [
        f"{rng.choice(FIRST)} {rng.choice(LAST)} of {10 + number} {rng.choice(STREETS)} was "
        f"charged on {1 + number} May 2026 with an offence against a child aged {3 + number % 9}"
        for number in range(count)
    ]


@pytest.fixture
def canary_store(tmp_path: Path) -> Path:
    records = [
        {
            "path": f"C-30{n:02d}/minutes.txt",
            "case_id": f"C-30{n:02d}",
            "record_id": f"R-{n}",
            "kind": "minutes",
            "date": "2026-05-01",
            "title": "Strategy meeting",
            "text": f"{FILLER}\n\n{sentence}. {FILLER}",
        }
        for n, sentence in enumerate(canary_sentences())
    ]
    return write_store(tmp_path / "store", records)


def raw_index_bytes(db: Path) -> bytes:
    """Every file the index consists of on disk: database, WAL, working copy, read files."""
    tops = [f for f in db.parent.iterdir() if f.name.startswith(db.name) and f.suffix != ".key"]
    files = [f for top in tops for f in ([top] if top.is_file() else sorted(top.rglob("*")))]
    assert any(f.parent.parent.name == f"{db.name}.segments" for f in files)
    return b"".join(f.read_bytes() for f in files if f.is_file())


def test_the_database_holds_no_canary_text(canary_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "i.duckdb"
    index_store(canary_store, db)
    raw = raw_index_bytes(db).lower()
    for sentence in canary_sentences():
        assert sentence.lower().encode() not in raw
        for word in sentence.split()[:2]:  # the names on their own
            assert word.lower().encode() not in raw, word


def attacker_band_keys(text: str, key: bytes, db: Path) -> set[int]:
    """What someone holding the database computes to test a guessed phrase."""
    params = IndexParams()
    with IndexStore.open_for_reading(db) as store:
        permutations = store.read_permutations()
    ids = word_ids(split_words(text).words, key)
    windows = plan_windows(len(ids), params.window_words, 1)
    rows = signatures(shingle_hashes(ids, params.shingle_words), windows, 3, permutations)
    return set(band_keys(rows, params).reshape(-1).tolist())


def stored_band_keys(db: Path) -> set[int]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return {row[0] for row in connection.execute("SELECT key FROM bands").fetchall()}


def test_a_guessed_phrase_confirms_nothing_without_the_key(
    canary_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "i.duckdb"
    index_store(canary_store, db)
    stored = stored_band_keys(db)
    guesses = [f"{FILLER}\n\n{sentence}." for sentence in canary_sentences()]
    right_key = (tmp_path / "i.duckdb.key").read_text().strip()
    with_key = attacker_band_keys(guesses[0], bytes.fromhex(right_key), db)
    assert len(with_key & stored) > 20, "with the key the guess is confirmed (test can fail)"
    for wrong in (b"", b"provenance", bytes(32), bytes.fromhex(right_key)[::-1]):
        for guess in guesses:
            assert not attacker_band_keys(guess, wrong, db) & stored


def test_first_index_writes_a_private_key_file(small_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "i.duckdb"
    summary = index_store(small_store, db)
    key_file = tmp_path / "i.duckdb.key"
    assert summary.key_created == str(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.stat().st_mode) & stat.S_IRWXO == 0
    assert index_store(small_store, db).key_created is None


def test_without_the_key_the_index_cannot_be_used(
    indexed_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(LEAK_PARAGRAPH, encoding="utf-8")
    key_file = indexed_store.with_name(indexed_store.name + ".key")
    key_file.rename(tmp_path / "elsewhere.key")
    with pytest.raises(IndexKeyError, match="Restore it from your key backup"):
        IndexStore.open_for_reading(indexed_store)
    refused = run_cli("check", draft, "--case", "C-1005", "--db", indexed_store)
    assert refused.returncode == 2 and "No secret key" in refused.stderr


def test_a_wrong_key_is_refused(
    indexed_store: Path, small_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROVENANCE_KEY", "ab" * 32)
    with pytest.raises(KeyMismatchError, match="not the key the index"):
        IndexStore.open_for_reading(indexed_store)
    with pytest.raises(KeyMismatchError):
        index_store(small_store, indexed_store)


def test_a_key_file_other_users_can_read_is_refused(indexed_store: Path) -> None:
    key_file = indexed_store.with_name(indexed_store.name + ".key")
    key_file.chmod(0o644)
    with pytest.raises(IndexKeyError, match="chmod 600"):
        IndexStore.open_for_reading(indexed_store)
    key_file.chmod(0o640)  # a service group may share it
    IndexStore.open_for_reading(indexed_store).close()


def test_a_key_from_the_environment_needs_no_file(
    small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROVENANCE_KEY", "5a" * 32)
    db = tmp_path / "env.duckdb"
    assert index_store(small_store, db).key_created is None
    assert not (tmp_path / "env.duckdb.key").exists()
    IndexStore.open_for_reading(db).close()
    monkeypatch.setenv("PROVENANCE_KEY", "not hex")
    with pytest.raises(IndexKeyError, match="hexadecimal"):
        IndexStore.open_for_reading(db)


def test_init_creates_an_empty_index_once(run_cli: RunCli, tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    created = run_cli("init", "--db", db)
    assert created.returncode == 0, created.stderr
    assert "Back it up apart from the index" in created.stdout
    again = run_cli("init", "--db", db)
    assert again.returncode == 2 and "already exists" in again.stderr
