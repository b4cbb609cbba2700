"""Bring the index up to date with a document store, incrementally.

    discover (manifest or folders) -> hash each file -> skip unchanged
    -> extract -> normalise -> shingle -> fingerprint -> one transaction per record

A record is identified by its record_id; its content by the SHA-256 of the
file. Unchanged records are skipped, changed ones replaced, records no longer
in the store removed. A file that cannot be read is listed with the reason and
never stops the run; if it was indexed before, its previous version is kept
(dropping it would hide its text from checks).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from provenance.config import IndexParams
from provenance.discover import StoreEntry, discover_store
from provenance.errors import ExtractionError
from provenance.extract import extract_text
from provenance.fingerprint import Permutations, band_keys, plan_windows, signatures
from provenance.models import FileProblem, IndexSummary
from provenance.normalize import split_words
from provenance.shingle import shingle_hashes, word_ids
from provenance.store import IndexStore, PassageRows, RecordWords, StoredRecord

ProgressCallback = Callable[[int, int, str], None]
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Fingerprinted:
    """A text ready to be written: its words and its passages' band keys."""

    words: RecordWords
    passages: PassageRows


def fingerprint_text(
    text: str, params: IndexParams, permutations: Permutations, key: bytes
) -> Fingerprinted:
    """Words, passages and band keys of one record's text (pure; no I/O).

    `key` is the index's secret (IndexStore.hashing_key): word ids are keyed.
    """
    words = split_words(text)
    ids = word_ids(words.words, key)
    windows = plan_windows(len(ids), params.window_words, params.index_stride)
    rows = signatures(
        shingle_hashes(ids, params.shingle_words), windows, params.shingle_words, permutations
    )
    keys = band_keys(rows, params)
    if len(windows):
        char_starts = words.starts[windows.starts]
        char_ends = words.ends[windows.ends - 1]
    else:
        char_starts = char_ends = np.empty(0, dtype=np.int64)
    return Fingerprinted(
        words=RecordWords(rec=0, ids=ids, starts=words.starts, ends=words.ends),
        passages=PassageRows(
            word_starts=windows.starts,
            word_ends=windows.ends,
            char_starts=char_starts,
            char_ends=char_ends,
            band_keys=keys,
        ),
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def index_store(
    store_root: Path,
    db_path: Path,
    params: IndexParams | None = None,
    on_progress: ProgressCallback | None = None,
    *,
    encrypt: bool = False,
) -> IndexSummary:
    """Make the index at `db_path` reflect the store at `store_root`.

    `encrypt` creates a new index as an encrypted file (see store.py).

    Raises:
        ManifestError: the manifest is unusable (nothing is changed then).
        IndexLockedError / IndexParametersError: the index cannot be written.
    """
    with IndexStore.open_for_writing(db_path, params or IndexParams(), encrypt=encrypt) as store:
        return index_into(store, store_root, on_progress)


def index_into(
    store: IndexStore, store_root: Path, on_progress: ProgressCallback | None = None
) -> IndexSummary:
    """`index_store` on an index already open for writing (the scan holds one)."""
    began = time.perf_counter()
    discovery = discover_store(store_root)
    params = store.read_params() or IndexParams()
    counts = {"added": 0, "changed": 0, "unchanged": 0, "removed": 0, "passages": 0}
    failed = list(discovery.problems)
    warnings = list(discovery.warnings)
    permutations = store.read_permutations()
    store.remember_store_root(store_root.resolve())
    stored = store.stored_records()
    total = len(discovery.entries)
    for done, entry in enumerate(discovery.entries, start=1):
        if on_progress is not None:
            on_progress(done, total, entry.info.path)
        outcome = _index_entry(store, entry, stored, params, permutations, failed, warnings)
        if outcome is not None:
            counts[outcome[0]] += 1
            counts["passages"] += outcome[1]
    seen = {entry.info.record_id for entry in discovery.entries}
    kept_paths = {problem.path for problem in failed if problem.reason != "file missing"}
    gone = [
        record.rec
        for record_id, record in stored.items()
        if record_id not in seen and record.info.path not in kept_paths
    ]
    with store.transaction():
        store.delete_records(gone)
    return IndexSummary(
        added=counts["added"],
        changed=counts["changed"],
        unchanged=counts["unchanged"],
        removed=len(gone),
        failed=tuple(failed),
        warnings=tuple(warnings),
        passages_indexed=counts["passages"],
        seconds=time.perf_counter() - began,
        key_created=str(store.created_key_file) if store.created_key_file else None,
    )


def _index_entry(
    store: IndexStore,
    entry: StoreEntry,
    stored: dict[str, StoredRecord],
    params: IndexParams,
    permutations: Permutations,
    failed: list[FileProblem],
    warnings: list[FileProblem],
) -> tuple[str, int] | None:
    """Index one record; returns (what happened, passages written) or None if it failed."""
    previous = stored.get(entry.info.record_id)
    try:
        content_hash = file_sha256(entry.file)
    except OSError as error:
        failed.append(FileProblem(entry.info.path, "could not be read", str(error)))
        return None
    if previous is not None and previous.content_hash == content_hash:
        if previous.info == entry.info:
            return "unchanged", 0
        with store.transaction():
            store.update_record_info(previous.rec, entry.info)
        return "changed", 0
    try:
        extracted = extract_text(entry.file)
    except ExtractionError as error:
        failed.append(FileProblem(entry.info.path, error.reason, str(error)))
        return None
    except Exception as error:  # a parser bug on one hostile file must not stop the run
        failed.append(FileProblem(entry.info.path, "could not be read (parser error)", repr(error)))
        return None
    warnings.extend(FileProblem(entry.info.path, warning) for warning in extracted.warnings)
    fingerprinted = fingerprint_text(extracted.text, params, permutations, store.hashing_key)
    with store.transaction():
        if previous is not None:
            store.delete_records([previous.rec])
        store.insert_record(
            entry.info,
            content_hash,
            extracted.format,
            fingerprinted.words,
            fingerprinted.passages,
        )
    return ("changed" if previous is not None else "added"), len(fingerprinted.passages.word_starts)
