"""Encryption at rest: an index made with --encrypt is unreadable without its key.

Writing an encrypted DuckDB file needs OpenSSL from the httpfs extension,
installed offline from PyPI by the `encryption` extra; these tests skip
without it, except in CI, where the extra is installed and they must run.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import duckdb
import pytest

from provenance import index_store
from provenance.errors import IndexDatabaseError, KeyMismatchError
from provenance.store import IndexStore
from tests.conftest import LEAK_PARAGRAPH, RunCli

HAVE_CRYPTO = importlib.util.find_spec("duckdb_extension_httpfs") is not None
if not HAVE_CRYPTO and os.environ.get("CI") == "true":
    raise RuntimeError("CI must install the `encryption` extra (duckdb-extension-httpfs)")
pytestmark = pytest.mark.skipif(
    not HAVE_CRYPTO, reason="needs the `encryption` extra: pip install 'provenance[encryption]'"
)


@pytest.fixture
def encrypted_index(small_store: Path, tmp_path: Path) -> Path:
    db = tmp_path / "secret.duckdb"
    index_store(small_store, db, encrypt=True)
    return db


def test_an_encrypted_index_holds_no_readable_metadata(encrypted_index: Path) -> None:
    raw = encrypted_index.read_bytes()
    for visible in (b"C-1003", b"C-1005", b"manifest", b"minutes", b"record_words"):
        assert visible not in raw
    with pytest.raises(duckdb.Error, match="encrypted"):
        duckdb.connect(str(encrypted_index), read_only=True)


def test_checks_and_updates_work_on_an_encrypted_index(
    encrypted_index: Path, small_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    draft = tmp_path / "plan.txt"
    draft.write_text(f"Plan for Leo.\n\n{LEAK_PARAGRAPH}\n", encoding="utf-8")
    checked = run_cli("check", draft, "--case", "C-1005", "--db", encrypted_index)
    assert checked.returncode == 1 and "C-1003" in checked.stdout
    (small_store / "C-1001" / "extra.txt").write_text("A new note. " * 40, encoding="utf-8")
    with (small_store / "manifest.csv").open("a", encoding="utf-8") as manifest:
        manifest.write("C-1001/extra.txt,C-1001,X-1,note,2026-05-01,Extra\n")
    assert index_store(small_store, encrypted_index).added == 1
    # No read files beside an encrypted index: they would hold its data unencrypted.
    assert not encrypted_index.with_name(encrypted_index.name + ".segments").exists()
    with IndexStore.open_for_reading(encrypted_index) as store:
        assert not store.uses_read_files
    assert b"C-1001" not in encrypted_index.read_bytes()


def test_the_wrong_key_cannot_open_it(
    encrypted_index: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, run_cli: RunCli
) -> None:
    monkeypatch.setenv("PROVENANCE_KEY", "3c" * 32)
    with pytest.raises(KeyMismatchError, match="does not decrypt"):
        IndexStore.open_for_reading(encrypted_index)
    monkeypatch.delenv("PROVENANCE_KEY")
    encrypted_index.with_name(encrypted_index.name + ".key").unlink()
    draft = tmp_path / "plan.txt"
    draft.write_text(LEAK_PARAGRAPH, encoding="utf-8")
    refused = run_cli("check", draft, "--case", "C-1005", "--db", encrypted_index)
    assert refused.returncode == 2 and "No secret key" in refused.stderr


def test_encrypt_refuses_an_existing_plain_index(indexed_store: Path, small_store: Path) -> None:
    with pytest.raises(IndexDatabaseError, match="not encrypted"):
        index_store(small_store, indexed_store, encrypt=True)
