"""The DuckDB index: schema, parameters, transactions. The only importer of duckdb.

Tables
    params        name -> value: schema version, index parameters, permutations
    records       one row per indexed record (rec is a small surrogate key)
    record_words  per record: word ids and word character spans, as packed arrays,
                  so verification needs no source text (none is stored)
    passages      the windows that were fingerprinted, with character offsets
    bands         LSH band keys: key -> (rec, passage_no); candidate retrieval
                  is one join of the query's keys against this table
    runs, audited, findings
                  the nightly scan's ledger (see ledger.py)

Band rows are written without primary keys or ART indexes: DuckDB's hash join
ignores them and they cost minutes at scale (see MEASUREMENTS.md).
An index refuses to open when its parameters differ from the caller's.

Read files: at each publish the writer also writes the band keys (sorted) and
the word ids as memory-mapped numpy files beside the database (segments.py),
named in the database's `segments` param. A reader uses them for candidate
retrieval and word fetches when they match its database, and the SQL path
otherwise. An encrypted index gets none: it would put data outside the
encrypted file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from provenance.config import SCHEMA_VERSION, IndexParams
from provenance.errors import (
    IndexDatabaseError,
    IndexLockedError,
    IndexMissingError,
    IndexParametersError,
    KeyMismatchError,
    ProvenanceError,
)
from provenance.families import Families, families_of, family_value
from provenance.fingerprint import Permutations
from provenance.keys import (
    IndexKey,
    create_key_file,
    key_check_value,
    key_file_for,
    key_is_available,
    load_key,
    verify_key,
)
from provenance.models import RecordInfo
from provenance.publish import (
    WriterLock,
    acquire_writer_lock,
    check_free_space,
    fresh_working_copy,
    resumable_copy,
    working_path,
)
from provenance.publish import publish as publish_working_copy
from provenance.segments import (
    Manifest,
    ReadFiles,
    SegmentInfo,
    WordRows,
    band_hits,
    open_read_files,
    open_segments,
    rank_candidates,
    remove_unused,
    write_segment,
)

DEFAULT_DB_NAME = "provenance.duckdb"
_RECORD_COLUMNS = (
    "rec, record_id, case_id, path, kind, date, title, metadata, content_hash, format, word_count"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS params (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE SEQUENCE IF NOT EXISTS rec_sequence START 1;
CREATE TABLE IF NOT EXISTS records (
    rec INTEGER PRIMARY KEY, record_id VARCHAR NOT NULL UNIQUE, case_id VARCHAR NOT NULL,
    path VARCHAR NOT NULL, kind VARCHAR NOT NULL, date VARCHAR NOT NULL, title VARCHAR,
    metadata VARCHAR, content_hash VARCHAR NOT NULL, format VARCHAR NOT NULL,
    word_count INTEGER NOT NULL, indexed_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS record_words (
    rec INTEGER NOT NULL, word_ids BLOB NOT NULL, word_starts BLOB NOT NULL,
    word_ends BLOB NOT NULL, word_initials BLOB);
ALTER TABLE record_words ADD COLUMN IF NOT EXISTS word_initials BLOB;
CREATE TABLE IF NOT EXISTS passages (
    rec INTEGER NOT NULL, passage_no INTEGER NOT NULL, word_start INTEGER NOT NULL,
    word_end INTEGER NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bands (key BIGINT NOT NULL, rec INTEGER NOT NULL,
    passage_no INTEGER NOT NULL);
CREATE SEQUENCE IF NOT EXISTS run_sequence START 1;
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
    status VARCHAR NOT NULL, full_audit BOOLEAN NOT NULL, added INTEGER, changed INTEGER,
    removed INTEGER, failed INTEGER, audited INTEGER, new_findings INTEGER, message VARCHAR);
CREATE TABLE IF NOT EXISTS audited (
    record_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL, run_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS findings (
    copy_record_id VARCHAR NOT NULL, copy_start INTEGER NOT NULL, copy_end INTEGER NOT NULL,
    origin_record_id VARCHAR NOT NULL, origin_start INTEGER NOT NULL,
    origin_end INTEGER NOT NULL, similarity DOUBLE NOT NULL, matched_words INTEGER NOT NULL,
    order_undecided BOOLEAN NOT NULL, first_run_id INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class StoredRecord:
    """A record row as the index holds it."""

    rec: int
    info: RecordInfo
    content_hash: str
    format: str
    word_count: int


@dataclass(frozen=True)
class RecordWords:
    """A record's word ids and their character spans in its extracted text."""

    rec: int
    ids: npt.NDArray[np.uint32]
    starts: npt.NDArray[np.int64] | npt.NDArray[np.uint32]  # uint32 from the read files
    ends: npt.NDArray[np.int64] | npt.NDArray[np.uint32]
    # names.capital_initials of each word; None for a checked text (its
    # initials are in its names.WordMarks) or a record indexed without them.
    initials: npt.NDArray[np.uint8] | None = None


@dataclass(frozen=True)
class PassageRows:
    """Everything written for one record's passages, as parallel arrays."""

    word_starts: npt.NDArray[np.int64]
    word_ends: npt.NDArray[np.int64]
    char_starts: npt.NDArray[np.int64]
    char_ends: npt.NDArray[np.int64]
    band_keys: npt.NDArray[np.int64]  # shape (passages, bands)


@dataclass(frozen=True)
class FingerprintBatch:
    """Words and passages of many texts, concatenated in text order
    (the counts say where each text ends)."""

    word_counts: npt.NDArray[np.int64]
    word_ids: npt.NDArray[np.uint32]
    word_starts: npt.NDArray[np.uint32]
    word_ends: npt.NDArray[np.uint32]
    word_initials: npt.NDArray[np.uint8]  # names.capital_initials
    passage_counts: npt.NDArray[np.int64]
    passages: PassageRows

    @classmethod
    def joined(cls, parts: Sequence[FingerprintBatch]) -> FingerprintBatch:
        """One batch of all the texts of `parts`, in order."""
        rows = [part.passages for part in parts]
        return cls(
            word_counts=_joined([part.word_counts for part in parts]),
            word_ids=_joined([part.word_ids for part in parts], np.uint32),
            word_starts=_joined([part.word_starts for part in parts], np.uint32),
            word_ends=_joined([part.word_ends for part in parts], np.uint32),
            word_initials=_joined([part.word_initials for part in parts], np.uint8),
            passage_counts=_joined([part.passage_counts for part in parts]),
            passages=PassageRows(
                word_starts=_joined([row.word_starts for row in rows]),
                word_ends=_joined([row.word_ends for row in rows]),
                char_starts=_joined([row.char_starts for row in rows]),
                char_ends=_joined([row.char_ends for row in rows]),
                band_keys=np.concatenate([row.band_keys for row in rows]),
            ),
        )


def _joined(parts: list[npt.NDArray[Any]], dtype: type[np.generic] = np.int64) -> npt.NDArray[Any]:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)


@dataclass(frozen=True)
class RecordBatch:
    """Records to write in one go: per-record fields and their fingerprints."""

    infos: tuple[RecordInfo, ...]
    content_hashes: tuple[str, ...]
    formats: tuple[str, ...]
    fingerprints: FingerprintBatch


@dataclass(frozen=True)
class _InMemoryIndex:
    """What `IndexStore.load_into_memory` holds: band keys sorted, with their records."""

    band_keys: npt.NDArray[np.int64]
    band_recs: npt.NDArray[np.int32]
    records: dict[int, StoredRecord]
    words: dict[int, RecordWords]
    cases: frozenset[str]


@dataclass(frozen=True)
class CandidateRecord:
    """A record sharing LSH bands with the query, and how strongly."""

    rec: int
    score: float
    passages_hit: int


@dataclass(frozen=True)
class IndexIntegrity:
    digest: str
    records: int
    orphan_rows: int  # words, passages or bands of no record
    duplicate_rows: int  # records or word rows stored twice


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    """--db, else $PROVENANCE_DB, else ./provenance.duckdb."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("PROVENANCE_DB")
    return Path(from_env) if from_env else Path(DEFAULT_DB_NAME)


class IndexStore:
    """An open index. Use `open_for_reading` / `open_for_writing`, then `close()`.

    A reader opens the live file read-only. A writer works on a private copy
    that `close()` publishes over the live file (see publish.py), so readers
    never wait for a writer and never see half of its work.
    """

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        path: Path,
        key: IndexKey | None,
        writer: WriterLock | None = None,
    ) -> None:
        self._connection = connection
        self.path = path
        self._key = key
        self._writer = writer
        self._opened_identity = _file_identity(path)
        self.created_key_file: Path | None = None
        self._memory: _InMemoryIndex | None = None
        self._read_files: ReadFiles | None = None
        self._key_file: Path | None = None
        # A reader's database never changes under it (a publish replaces the file,
        # the reader keeps its version), so what it has read once is kept.
        self._cached_params: dict[str, str] | None = None
        self._cached_records: dict[int, StoredRecord] = {}
        self._all_records_cached = False
        self._cached_case_count: int | None = None
        self._cached_has_initials: bool | None = None
        self._cached_older_words: dict[str, int] = {}
        self._cached_cases: set[str] = set()
        self._cached_families: Families | None = None
        # A reader shared by threads (the service) gives each other thread a
        # cursor of its own (`_db`); the thread that opened it uses the connection.
        self._opened_by = threading.get_ident()
        self._thread_cursor = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()
        self._database: str | None = None

    # -- opening -------------------------------------------------------------
    @classmethod
    def open_for_reading(
        cls, path: Path, key_file: Path | None = None, *, read_files: bool = True
    ) -> IndexStore:
        """Open the live index read-only (any number of readers, even during a write).

        With `read_files` (the default) the index's memory-mapped read files
        are used when they match the database (see segments.py); False keeps
        every lookup in SQL (tests and benchmarks compare the two).

        Raises:
            IndexMissingError: no index file at `path`.
            IndexKeyError: its secret key is missing, unusable or not the right one.
            IndexDatabaseError: the file is not a usable index.
        """
        if not path.exists():
            pending = " (the first `provenance index` run has not finished)"
            raise IndexMissingError(
                f"No index at {path}"
                f"{pending if working_path(path).exists() else ''}. "
                f"Build one with `provenance index STORE --db {path}`."
            )
        keys = _KeySource(path, key_file)
        store = cls(_connect(path, read_only=True, keys=keys), path, None)
        store._key_file = key_file
        try:
            store._database = str(store._fetch("SELECT current_database()")[0][0])
            store._require_schema()
            store._key = keys.load()
            verify_key(store._key, store._param("key_check"), path)
            if read_files:
                store._read_files = store._open_read_files()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_for_writing(
        cls,
        path: Path,
        params: IndexParams,
        key_file: Path | None = None,
        *,
        encrypt: bool = False,
    ) -> IndexStore:
        """Open (or create) a working copy of the index for one writer.

        A new index gets a new secret key when none exists yet; the CLI tells
        the user where it was written (`created_key_file`). `encrypt` makes a
        new index an encrypted DuckDB file (AES-GCM, key derived from the
        secret); an existing index keeps the form it was created in.

        Raises:
            IndexLockedError: another `index` or `scan` is writing.
            DiskSpaceError: too little free disk to write safely.
            IndexParametersError: the index was built with other parameters.
            IndexKeyError: the index's key is missing or wrong.
        """
        writer = acquire_writer_lock(path)
        try:
            check_free_space(path)
            created = None
            if not path.exists() and not key_is_available(path, key_file):
                created = key_file_for(path, key_file)
                key = create_key_file(created)
            else:
                key = load_key(path, key_file)
            if encrypt and path.exists() and not _is_encrypted(path):
                raise IndexDatabaseError(
                    f"The index {path} exists and is not encrypted; build a new index with "
                    "--encrypt (into a new file) to have it encrypted."
                )
            connection = _open_working_copy(path, key, encrypt=encrypt and not path.exists())
            store = cls(connection, path, key, writer)
            store.created_key_file = created
        except BaseException:
            writer.release()
            raise
        try:
            store._prepare_for_writing(params)
        except BaseException:
            store.close(publish=False)
            raise
        return store

    def _prepare_for_writing(self, params: IndexParams) -> None:
        self._execute_script(_SCHEMA)
        stored = self.read_params()
        if stored is None:
            self._write_params(params)
            return
        self._require_schema()
        if self._key is None:
            raise IndexDatabaseError(f"The index {self.path} was opened without its key.")
        verify_key(self._key, self._param("key_check"), self.path)
        if stored != params:
            raise IndexParametersError(
                f"The index at {self.path} was built with other parameters ({stored}); "
                f"rebuild it into a new file or delete it to use {params}."
            )

    @property
    def hashing_key(self) -> bytes:
        """The secret that keys word ids; hash query words with it too."""
        if self._key is None:
            raise IndexDatabaseError(f"The index {self.path} was opened without its key.")
        return self._key.secret

    def recheck_key(self) -> None:
        """Raise as `open_for_reading` would if the key has since gone or changed.

        A reader held open across requests (the service) asks before each use,
        so replacing or removing the key file stops checks at once, as it
        does for a reader opened per check.
        """
        key = load_key(self.path, self._key_file)
        verify_key(key, self._param("key_check"), self.path)
        self._key = key

    @property
    def uses_read_files(self) -> bool:
        """True when lookups go to the memory-mapped read files rather than SQL."""
        return self._read_files is not None

    def _open_read_files(self) -> ReadFiles | None:
        if self._is_encrypted():
            return None
        manifest = Manifest.from_json(self._param("segments"))
        if manifest is None:
            return None
        return open_read_files(self.path, manifest, self._live_recs())

    def _live_recs(self) -> npt.NDArray[np.int64]:
        recs = self._db().execute("SELECT rec FROM records").fetchnumpy()["rec"]
        return np.asarray(recs, dtype=np.int64)

    def _is_encrypted(self) -> bool:
        rows = self._fetch(
            "SELECT encrypted FROM duckdb_databases() WHERE database_name = current_database()"
        )
        return bool(rows and rows[0][0])

    def is_current(self) -> bool:
        """False once a writer has published a newer index over the one opened.

        A long-lived reader (the HTTP service) reopens when this turns False.
        """
        return self._writer is not None or _file_identity(self.path) == self._opened_identity

    def close(self, *, publish: bool = True) -> None:
        """Close; a writer's copy becomes the live index unless `publish` is False.

        A writer that stops on an error keeps its copy: the next run continues
        it, so finished records are not redone.
        """
        if self._writer is None:
            with self._cursors_lock:
                for cursor in self._cursors:
                    cursor.close()
                self._cursors.clear()
            self._connection.close()
            return
        keep: set[str] = set()
        try:
            try:
                if publish:
                    keep = self._write_read_files()
                    self._fetch("CHECKPOINT")
            finally:
                self._connection.close()
            if publish:
                publish_working_copy(self.path)
                remove_unused(self.path, keep)
        finally:
            self._writer.release()
            self._writer = None

    def _write_read_files(self) -> set[str]:
        """Bring the read files up to this copy's records, before it is published.

        A nightly run adds one segment with the records it added; deleted
        records' rows stay and are skipped by readers. When added segments
        or dead records pass a quarter of the whole, or there is no usable
        segment, everything is rewritten as one segment. The segments are on
        disk (fsynced) before the database naming them is published. Returns
        the segment names to keep: this copy's and the previous ones (a
        reader of the previous database may still be opening them).
        """
        previous = Manifest.from_json(self._param("segments"))
        kept = {info.name for info in previous.segments} if previous else set()
        if self._is_encrypted():
            self._fetch("DELETE FROM params WHERE name = 'segments'")
            return set()
        live = self._live_recs()
        last_rec = int(live.max()) if len(live) else 0
        segments = open_segments(self.path, previous)
        self._fetch("DELETE FROM params WHERE name = 'segments'")
        try:
            if (
                previous is not None
                and segments is not None
                and _segments_still_fit(previous, live, self._band_rows(previous.last_rec, None))
            ):
                manifest = previous
                if last_rec > previous.last_rec:
                    added = self._write_segment(previous.last_rec, last_rec)
                    manifest = Manifest((*previous.segments, added))
            else:
                manifest = Manifest((self._write_segment(0, last_rec),))
        except (OSError, ValueError):
            # The read files only speed reads up: without them readers use SQL.
            # A full disk here must not keep a finished run from being published.
            return kept
        self._fetch("INSERT INTO params VALUES ('segments', ?)", [manifest.to_json()])
        return kept | {info.name for info in manifest.segments}

    def _band_rows(self, after_rec: int, last_rec: int | None) -> int:
        upper = _MAX_REC if last_rec is None else last_rec
        sql = "SELECT count(*) FROM bands WHERE rec > ? AND rec <= ?"
        return int(self._fetch(sql, [after_rec, upper])[0][0])

    def _write_segment(self, after_rec: int, last_rec: int) -> SegmentInfo:
        def bands(
            low: int, high: int | None
        ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
            upper = "" if high is None else " AND key < ?"
            arguments = [after_rec, last_rec, low] + ([] if high is None else [high])
            rows = self._connection.execute(
                f"SELECT key, rec FROM bands WHERE rec > ? AND rec <= ? AND key >= ?{upper}",
                arguments,
            ).fetchnumpy()
            return np.asarray(rows["key"], dtype=np.int64), np.asarray(rows["rec"], dtype=np.int32)

        in_range = "FROM record_words WHERE rec > ? AND rec <= ? ORDER BY rec"
        bounds = [after_rec, last_rec]
        listed = self._fetch(f"SELECT rec, octet_length(word_ids) {in_range}", bounds)

        lengths = np.array([int(row[1]) // 4 for row in listed], dtype=np.int64)

        def column(name: str) -> npt.NDArray[Any]:
            # One column at a time: at 1M passages each is ~64 MB, all three at once
            # (with their Python bytes) pushed the writer's peak memory near 2 GB.
            rows = self._fetch(f"SELECT {name} {in_range}", bounds)
            if name != "word_initials":
                return np.frombuffer(b"".join(row[0] for row in rows), dtype=np.uint32)
            # Records written before initials were kept have none: zeros, "unknown".
            return np.frombuffer(
                b"".join(
                    bytes(int(size)) if row[0] is None else row[0]
                    for row, size in zip(rows, lengths, strict=True)
                ),
                dtype=np.uint8,
            )

        packed = WordRows(
            recs=np.array([row[0] for row in listed], dtype=np.int32),
            offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            column=column,
        )
        return write_segment(
            self.path, after_rec, last_rec, self._band_rows(after_rec, last_rec), bands, packed
        )

    def __enter__(self) -> IndexStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.close(publish=_safe_to_publish(exc_type))

    # -- parameters ----------------------------------------------------------
    def _require_schema(self) -> None:
        tables = {row[0] for row in self._fetch("SELECT table_name FROM information_schema.tables")}
        if not {"params", "records", "bands"} <= tables:
            raise IndexDatabaseError(
                f"{self.path} is a DuckDB file but not a provenance index (tables missing)."
            )
        version = self._param("schema_version")
        if version != str(SCHEMA_VERSION):
            raise IndexParametersError(
                f"{self.path} has index schema version {version}; this provenance needs "
                f"{SCHEMA_VERSION}. Rebuild the index with `provenance index STORE`."
            )

    def _param(self, name: str) -> str | None:
        if self._writer is not None:
            rows = self._fetch("SELECT value FROM params WHERE name = ?", [name])
            return str(rows[0][0]) if rows else None
        if self._cached_params is None:  # one query for all: a check reads several
            rows = self._fetch("SELECT name, value FROM params")
            self._cached_params = {str(name): str(value) for name, value in rows}
        return self._cached_params.get(name)

    def read_params(self) -> IndexParams | None:
        raw = self._param("index_params")
        return None if raw is None else IndexParams(**json.loads(raw))

    def read_permutations(self) -> Permutations:
        raw = self._param("permutations")
        if raw is None:
            raise IndexDatabaseError(f"{self.path} has no permutation parameters; rebuild it.")
        pair = json.loads(raw)
        return Permutations(
            a=np.asarray(pair["a"], dtype=np.uint32), b=np.asarray(pair["b"], dtype=np.uint32)
        )

    def remember_store_root(self, store_root: Path) -> None:
        """Where the indexed files live: reports read source text from there."""
        self._fetch("DELETE FROM params WHERE name = 'store_root'")
        self._fetch("INSERT INTO params VALUES ('store_root', ?)", [str(store_root)])

    def store_root(self) -> Path | None:
        raw = self._param("store_root")
        return Path(raw) if raw else None

    def _write_params(self, params: IndexParams) -> None:
        from provenance.fingerprint import make_permutations

        permutations = make_permutations(params.num_perm, params.seed)
        rows = {
            "schema_version": str(SCHEMA_VERSION),
            "index_params": json.dumps(params.__dict__, sort_keys=True),
            "key_check": key_check_value(self.hashing_key),
            "permutations": json.dumps(
                {"a": permutations.a.tolist(), "b": permutations.b.tolist()}
            ),
        }
        for name, value in rows.items():
            self._fetch("INSERT INTO params VALUES (?, ?)", [name, value])

    # -- writing -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a crash mid-record leaves the previous state."""
        self._connection.begin()
        try:
            yield
        except BaseException:
            self._connection.rollback()
            raise
        self._connection.commit()

    def insert_batch(self, batch: RecordBatch) -> list[int]:
        """Write many records with their words, passages and band keys; returns their recs.

        One INSERT per table for the whole batch, from numpy arrays: per-row
        inserts cost far more than the rows themselves. Call inside
        `transaction()` so a batch is all in or all out.
        """
        count = len(batch.infos)
        if count == 0:
            return []
        self._cached_families = None
        drawn = self._fetch("SELECT nextval('rec_sequence') FROM range(?)", [count])
        recs = np.asarray([row[0] for row in drawn], dtype=np.int32)
        infos = batch.infos
        self._insert_arrays(
            "records",
            {
                "rec": recs,
                "record_id": _strings(info.record_id for info in infos),
                "case_id": _strings(info.case_id for info in infos),
                "path": _strings(info.path for info in infos),
                "kind": _strings(info.kind for info in infos),
                "date": _strings(info.date for info in infos),
                "title": _strings(info.title for info in infos),
                "metadata": _strings(json.dumps(info.metadata, sort_keys=True) for info in infos),
                "content_hash": _strings(batch.content_hashes),
                "format": _strings(batch.formats),
                "word_count": batch.fingerprints.word_counts.astype(np.int32),
            },
        )
        word_bounds = np.concatenate([[0], np.cumsum(batch.fingerprints.word_counts)]).tolist()
        self._insert_arrays(
            "record_words",
            {
                "rec": recs,
                "word_ids": _blobs(batch.fingerprints.word_ids, word_bounds),
                "word_starts": _blobs(batch.fingerprints.word_starts, word_bounds),
                "word_ends": _blobs(batch.fingerprints.word_ends, word_bounds),
                "word_initials": _blobs(batch.fingerprints.word_initials, word_bounds),
            },
        )
        passage_recs = np.repeat(recs, batch.fingerprints.passage_counts)
        if len(passage_recs):
            first_of_record = np.repeat(
                np.cumsum(batch.fingerprints.passage_counts) - batch.fingerprints.passage_counts,
                batch.fingerprints.passage_counts,
            )
            passage_numbers = (np.arange(len(passage_recs)) - first_of_record).astype(np.int32)
            self._insert_arrays(
                "passages",
                {
                    "rec": passage_recs,
                    "passage_no": passage_numbers,
                    "word_start": batch.fingerprints.passages.word_starts.astype(np.int32),
                    "word_end": batch.fingerprints.passages.word_ends.astype(np.int32),
                    "char_start": batch.fingerprints.passages.char_starts.astype(np.int32),
                    "char_end": batch.fingerprints.passages.char_ends.astype(np.int32),
                },
            )
            bands_per_passage = batch.fingerprints.passages.band_keys.shape[1]
            self._insert_arrays(
                "bands",
                {
                    "key": batch.fingerprints.passages.band_keys.reshape(-1),
                    "rec": np.repeat(passage_recs, bands_per_passage),
                    "passage_no": np.repeat(passage_numbers, bands_per_passage),
                },
            )
        return [int(rec) for rec in recs]

    def update_record_info(self, rec: int, info: RecordInfo) -> None:
        """Metadata changed (case, kind, date...) but the content did not."""
        self._cached_families = None
        self._fetch(
            "UPDATE records SET record_id = ?, case_id = ?, path = ?, kind = ?, date = ?,"
            " title = ?, metadata = ? WHERE rec = ?",
            [
                info.record_id, info.case_id, info.path, info.kind, info.date, info.title,
                json.dumps(info.metadata, sort_keys=True), rec,
            ],
        )  # fmt: skip

    def delete_records(self, recs: Sequence[int]) -> None:
        if not recs:
            return
        self._cached_families = None
        self._insert_arrays("doomed", {"rec": np.asarray(recs, dtype=np.int32)}, temporary=True)
        for table in ("bands", "passages", "record_words", "records"):
            self._fetch(f"DELETE FROM {table} WHERE rec IN (SELECT rec FROM doomed)")
        self._fetch("DROP TABLE doomed")

    # -- reading -------------------------------------------------------------
    def stored_records(self) -> dict[str, StoredRecord]:
        """Every indexed record by record_id."""
        rows = self._fetch(f"SELECT {_RECORD_COLUMNS} FROM records")
        return {row[1]: _stored_record(row) for row in rows}

    def records_by_rec(self, recs: Sequence[int]) -> dict[int, StoredRecord]:
        if not recs:
            return {}
        if self._memory is not None:
            held = self._memory.records
            return {int(rec): held[int(rec)] for rec in recs if int(rec) in held}
        if self._writer is not None:
            rows = self._fetch(
                f"SELECT {_RECORD_COLUMNS} FROM records WHERE rec IN (SELECT unnest(?))",
                [list(map(int, recs))],
            )
            return {int(row[0]): _stored_record(row) for row in rows}
        cache = self._cached_records
        missing = sorted({int(rec) for rec in recs} - cache.keys())
        if missing and not self._all_records_cached:
            # A literal list of integers: DuckDB filters it ~4x faster than unnest(?).
            listed = ",".join(str(rec) for rec in missing)
            sql = f"SELECT {_RECORD_COLUMNS} FROM records WHERE rec IN ({listed})"
            for row in self._fetch(sql):
                cache[int(row[0])] = _stored_record(row)
        return {int(rec): cache[int(rec)] for rec in recs if int(rec) in cache}

    def preload_records(self) -> None:
        """Read every record row once (a long-running reader; ~15k rows at 1M passages)."""
        if self._writer is not None or self._all_records_cached:
            return
        rows = self._fetch(f"SELECT {_RECORD_COLUMNS} FROM records")
        self._cached_records = {int(row[0]): _stored_record(row) for row in rows}
        self._cached_cases = {record.info.case_id for record in self._cached_records.values()}
        self._cached_case_count = len(self._cached_cases)
        self._all_records_cached = True

    def record_words(self, recs: Sequence[int]) -> dict[int, RecordWords]:
        if not recs:
            return {}
        if self._memory is not None:
            words = self._memory.words
            return {int(rec): words[int(rec)] for rec in recs if int(rec) in words}
        if self._read_files is not None:
            return self._words_from_files(recs)
        return self._words_from_sql(recs)

    def _words_from_files(self, recs: Sequence[int]) -> dict[int, RecordWords]:
        assert self._read_files is not None
        return {
            # Offsets stay views of the mapped file (a match needs two of them):
            # copying them cost 16 bytes a word of every candidate.
            rec: RecordWords(
                rec=rec, ids=np.array(ids), starts=starts, ends=ends, initials=initials
            )
            for rec, (ids, starts, ends, initials) in self._read_files.words_of(recs).items()
        }

    def _words_from_sql(self, recs: Sequence[int]) -> dict[int, RecordWords]:
        # A literal list of integers: at 1M passages DuckDB fetches 400 records' words
        # in about half the time of `IN (SELECT unnest(?))` (it reads fewer blobs).
        listed = ",".join(str(int(rec)) for rec in recs)
        initials = "word_initials" if self._has_initials() else "NULL"
        rows = self._fetch(
            f"SELECT rec, word_ids, word_starts, word_ends, {initials} FROM record_words"
            f" WHERE rec IN ({listed})"
        )
        return {
            int(rec): RecordWords(
                rec=int(rec),
                ids=np.frombuffer(ids, dtype=np.uint32),
                starts=np.frombuffer(starts, dtype=np.uint32).astype(np.int64),
                ends=np.frombuffer(ends, dtype=np.uint32).astype(np.int64),
                initials=None if letters is None else np.frombuffer(letters, dtype=np.uint8),
            )
            for rec, ids, starts, ends, letters in rows
        }

    def _has_initials(self) -> bool:
        """Whether record_words has its initials column: an index written before
        it was added, and opened only to read, has not (its records' initials
        are then unknown, and a check does without them)."""
        if self._cached_has_initials is None:
            sql = (
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_name = 'record_words' AND column_name = 'word_initials'"
            )
            self._cached_has_initials = bool(self._fetch(sql)[0][0])
        return self._cached_has_initials

    def records_without_tag(self, tag: str) -> int:
        """How many records' content keys do not end with `tag` (a words
        version, ingest.content_key): records an older version read, whose
        words a check reads otherwise until `index` reads them again."""
        if self._writer is not None or tag not in self._cached_older_words:
            sql = "SELECT count(*) FROM records WHERE NOT ends_with(content_hash, ?)"
            self._cached_older_words[tag] = int(self._fetch(sql, [tag])[0][0])
        return self._cached_older_words[tag]

    def case_count(self) -> int:
        if self._memory is not None:
            return len(self._memory.cases)
        if self._writer is not None:
            return int(self._fetch("SELECT count(DISTINCT case_id) FROM records")[0][0])
        if self._cached_case_count is None:
            self._cached_case_count = int(
                self._fetch("SELECT count(DISTINCT case_id) FROM records")[0][0]
            )
        return self._cached_case_count

    def case_exists(self, case_id: str) -> bool:
        if self._memory is not None:
            return case_id in self._memory.cases
        if self._writer is None and (case_id in self._cached_cases or self._all_records_cached):
            return case_id in self._cached_cases
        found = bool(self._fetch("SELECT 1 FROM records WHERE case_id = ? LIMIT 1", [case_id]))
        if found and self._writer is None:
            self._cached_cases.add(case_id)
        return found

    def cases_like(self, case_id: str, most: int = 3) -> tuple[list[str], list[str]]:
        """Cases a mistyped or misfiled `case_id` may mean, for the message of
        an unknown case: those spelled the same but for case and spaces, and
        those whose records lie under a folder named `case_id` (a store
        indexed one level too high files every record under its top folder)."""
        wanted = case_id.strip().lower()
        if self._memory is not None:
            infos = [record.info for record in self._memory.records.values()]
            spelled = sorted({i.case_id for i in infos if i.case_id.strip().lower() == wanted})
            folder = sorted({i.case_id for i in infos if wanted in i.path.lower().split("/")[:-1]})
            return spelled[:most], folder[:most]
        spelled = self._fetch(
            "SELECT DISTINCT case_id FROM records WHERE lower(trim(case_id)) = ? "
            "ORDER BY case_id LIMIT ?",
            [wanted, most],
        )
        folder = self._fetch(
            "SELECT DISTINCT case_id FROM records WHERE list_contains("
            "list_slice(string_split(lower(path), '/'), 1, -2), ?) ORDER BY case_id LIMIT ?",
            [wanted, most],
        )
        return [str(row[0]) for row in spelled], [str(row[0]) for row in folder]

    def case_families(self) -> Families:
        """Which cases the manifest links as one family (families.py), read
        once until records are written: a check judges every window by them,
        and the nightly audit every record."""
        if self._cached_families is not None:
            return self._cached_families
        if self._memory is not None:
            infos = [record.info for record in self._memory.records.values()]
            pairs = {(info.case_id, family_value(info.metadata)) for info in infos}
        else:
            # Only rows whose manifest had a family column can link: skip the rest.
            sql = "SELECT DISTINCT case_id, metadata FROM records WHERE metadata ILIKE '%famil%'"
            rows = self._fetch(sql)
            pairs = {(str(case), family_value(json.loads(data))) for case, data in rows if data}
        self._cached_families = families_of(sorted(pairs))
        return self._cached_families

    def counts(self) -> dict[str, int]:
        """Rows per table, for summaries and health checks."""
        return {
            table: int(self._fetch(f"SELECT count(*) FROM {table}")[0][0])
            for table in ("records", "passages", "bands")
        }

    def integrity(self) -> IndexIntegrity:
        """A digest of everything indexed, and counts of rows that should not exist.

        Two indexes of the same store have the same digest however they were
        built (rec numbers are left out); crash tests compare it with an
        uninterrupted build and require zero orphans and duplicates.
        """
        per_record = self._fetch(
            """
            SELECT r.record_id, r.case_id, r.content_hash, r.word_count,
                   md5(w.word_ids) AS words,
                   (SELECT count(*) FROM passages p WHERE p.rec = r.rec) AS passages,
                   (SELECT count(*) FROM bands b WHERE b.rec = r.rec) AS bands,
                   (SELECT coalesce(sum(hash(b.key, b.passage_no)), 0)
                    FROM bands b WHERE b.rec = r.rec) AS band_sum
            FROM records r LEFT JOIN record_words w USING (rec) ORDER BY r.record_id
            """
        )
        digest = hashlib.sha256(json.dumps(per_record, default=str).encode()).hexdigest()
        orphans = sum(
            int(
                self._fetch(
                    f"SELECT count(*) FROM {table} WHERE rec NOT IN (SELECT rec FROM records)"
                )[0][0]
            )
            for table in ("record_words", "passages", "bands")
        )
        duplicates = int(
            self._fetch(
                "SELECT count(*) - count(DISTINCT rec) + "
                "(SELECT count(*) - count(DISTINCT rec) FROM record_words) FROM records"
            )[0][0]
        )
        return IndexIntegrity(digest, len(per_record), orphans, duplicates)

    def candidate_records(
        self, query_keys: npt.NDArray[np.int64], query_passages: npt.NDArray[np.int32], limit: int
    ) -> list[CandidateRecord]:
        """Records sharing band keys with the query, rarest evidence first.

        A shared band that occurs in few records is strong evidence; a band of
        template text occurs in hundreds and says little. Each (record, query
        passage) pair scores 1 / (records holding its rarest shared band), and
        a record's score is the sum over query passages, so a record copied
        from outranks records that merely share the template.
        """
        if len(query_keys) == 0:
            return []
        if self._memory is not None:
            tables = [(self._memory.band_keys, self._memory.band_recs)]
            return _ranked(tables, None, query_keys, query_passages, limit)
        if self._read_files is not None:
            tables = [(s.keys, s.recs) for s in self._read_files.segments]
            return _ranked(tables, self._read_files.alive, query_keys, query_passages, limit)
        self._register("query_bands", {"key": query_keys, "qpassage": query_passages})
        try:
            rows = self._fetch(
                """
                WITH hits AS (
                    SELECT q.qpassage, q.key, b.rec FROM query_bands q JOIN bands b USING (key)),
                key_spread AS (SELECT key, count(DISTINCT rec) AS spread FROM hits GROUP BY key),
                pairs AS (
                    SELECT h.rec, h.qpassage, min(s.spread) AS spread
                    FROM hits h JOIN key_spread s USING (key) GROUP BY h.rec, h.qpassage)
                SELECT rec, sum(1.0 / spread) AS score, count(*) AS passages_hit
                FROM pairs GROUP BY rec ORDER BY round(score, 9) DESC, rec LIMIT ?
                """,
                [limit],
            )
        finally:
            self._db().unregister("query_bands")
        return [CandidateRecord(int(rec), float(score), int(hit)) for rec, score, hit in rows]

    def load_into_memory(self) -> None:
        """Hold the band keys (sorted), words and record rows in this process's memory.

        Superseded by the read files (segments.py), which give the same
        binary-search lookups from memory-mapped files without loading
        anything; kept for indexes without them (encrypted ones) and for
        comparison. Loading costs ~40 s and ~3.5 GB at 1M passages. Results
        are the same as the SQL path (a test holds this).
        """
        keys = self._db().execute("SELECT key, rec FROM bands ORDER BY key").fetchnumpy()
        records = self.stored_records()
        self._memory = _InMemoryIndex(
            band_keys=np.asarray(keys["key"], dtype=np.int64),
            band_recs=np.asarray(keys["rec"], dtype=np.int32),
            records={record.rec: record for record in records.values()},
            words=self.record_words([record.rec for record in records.values()]),
            cases=frozenset(record.info.case_id for record in records.values()),
        )

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> list[Any]:
        """Run one SQL statement of another storage module (ledger.py) to completion."""
        return self._fetch(sql, parameters)

    # -- plumbing ------------------------------------------------------------
    def _db(self) -> duckdb.DuckDBPyConnection:
        """This thread's connection to the open database.

        One DuckDB connection must not run statements from two threads at
        once. A reader shared by a service's request threads would otherwise
        have to take turns for a whole check (a long document holds the
        index for many seconds); a cursor per thread is a connection to the
        same open database, so checks run side by side. A writer belongs to
        one thread and always uses its own connection.
        """
        if self._writer is not None or threading.get_ident() == self._opened_by:
            return self._connection
        cursor: duckdb.DuckDBPyConnection | None = getattr(self._thread_cursor, "cursor", None)
        if cursor is None:
            cursor = self._connection.cursor()
            if self._database is not None:  # a reader's file is attached (`_attach`)
                quoted = self._database.replace('"', '""')
                cursor.execute(f'USE "{quoted}"').fetchall()
            with self._cursors_lock:
                self._cursors.append(cursor)
            self._thread_cursor.cursor = cursor
        return cursor

    def _fetch(self, sql: str, parameters: Sequence[Any] | None = None) -> list[Any]:
        """Run one statement to completion (DuckDB 2.0 refuses unfinished results)."""
        try:
            return self._db().execute(sql, parameters).fetchall()
        except duckdb.Error as error:
            raise IndexDatabaseError(f"Index query failed on {self.path}: {error}") from error

    def _execute_script(self, script: str) -> None:
        for statement in filter(str.strip, script.split(";")):
            self._fetch(statement)

    def _register(self, name: str, arrays: dict[str, npt.NDArray[Any]]) -> None:
        if any(array.dtype == np.object_ for array in arrays.values()):
            _skip_pandas_probes()
        self._db().register(name, arrays)

    def _insert_arrays(
        self, table: str, arrays: dict[str, npt.NDArray[Any]], *, temporary: bool = False
    ) -> None:
        self._register("incoming", arrays)
        try:
            if temporary:
                self._fetch(f"CREATE TEMP TABLE {table} AS SELECT * FROM incoming")
            else:
                columns = ", ".join(arrays)
                self._fetch(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
        finally:
            self._db().unregister("incoming")


class SharedReader:
    """One read-only IndexStore shared by many requests (the HTTP service).

    Opening an index per request costs a DuckDB open, the params and the
    read files' headers each time; held open, a check pays only its lookups.
    Before each use it asks `is_current()` and reopens after a publish, so a
    check sees the newest index.

    Up to `concurrent_uses` checks run at once, each thread on its own
    cursor (`IndexStore._db`): a long document no longer holds up every
    short one behind it. More would only share the same cores and add each
    check's working memory. An index replaced by a publish, or one that
    failed a read, is closed once the last check using it is done.
    """

    def __init__(self, path: Path, concurrent_uses: int | None = None) -> None:
        self.path = path
        self.concurrent_uses = concurrent_uses or default_concurrent_uses()
        self._store: IndexStore | None = None
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.concurrent_uses)
        self._users: dict[IndexStore, int] = {}  # uses in progress, per open store
        self._retired: list[IndexStore] = []  # no longer handed out, closed when unused

    @contextmanager
    def store(self) -> Iterator[IndexStore]:
        """The current index, open; raises as `IndexStore.open_for_reading`."""
        with self._slots:
            store = self._acquire()
            damaged = False
            try:
                yield store
            except IndexDatabaseError:
                damaged = True  # reopened next time: a damaged read is not kept
                raise
            finally:
                self._release(store, damaged=damaged)

    def close(self) -> None:
        """Close the index now, or as soon as the checks still using it finish."""
        with self._lock:
            if self._store is not None:
                self._retire(self._store)

    def _acquire(self) -> IndexStore:
        with self._lock:
            current = self._store
            if current is not None and not current.is_current():
                self._retire(current)
                current = None
            if current is None:
                current = IndexStore.open_for_reading(self.path)
                current.preload_records()
                self._store = current
            else:
                current.recheck_key()
            self._users[current] = self._users.get(current, 0) + 1
            return current

    def _release(self, store: IndexStore, *, damaged: bool) -> None:
        with self._lock:
            self._users[store] -= 1
            if damaged:
                self._retire(store)
            elif store in self._retired and self._users[store] == 0:
                self._close_retired(store)

    def _retire(self, store: IndexStore) -> None:
        """Stop handing `store` out; close it now if no check is using it."""
        if self._store is store:
            self._store = None
        if store not in self._retired:
            self._retired.append(store)
        if self._users.get(store, 0) == 0:
            self._close_retired(store)

    def _close_retired(self, store: IndexStore) -> None:
        self._retired.remove(store)
        self._users.pop(store, None)
        store.close()


def default_concurrent_uses() -> int:
    """Checks a shared reader runs at once: the machine's cores, 2 to 4.

    Two keep a short check from waiting behind a long one even on one core;
    past four, a burst of long documents would hold several gigabytes.
    """
    return max(2, min(4, os.cpu_count() or 2))


def _safe_to_publish(exc_type: type[BaseException] | None) -> bool:
    """Publish after success, or after a refusal such as a bad manifest (the
    database is sound and the run's ledger row says what happened); keep the
    copy for the next run after an interruption or a database fault."""
    if exc_type is None:
        return True
    return issubclass(exc_type, ProvenanceError) and not issubclass(exc_type, IndexDatabaseError)


def _open_working_copy(db_path: Path, key: IndexKey, *, encrypt: bool) -> duckdb.DuckDBPyConnection:
    """Continue a killed run's copy if it is sound, else start from the live file."""
    keys = _KeySource(db_path, None, key)
    resumable = resumable_copy(db_path)
    if resumable is not None:
        try:
            connection = _connect(resumable, read_only=False, keys=keys, create_encrypted=encrypt)
            return _owner_and_group_only(resumable, connection)
        except IndexDatabaseError:
            pass  # damaged by the crash: its records are redone from the live file
    working = fresh_working_copy(db_path)
    connection = _connect(working, read_only=False, keys=keys, create_encrypted=encrypt)
    return _owner_and_group_only(working, connection)


def _owner_and_group_only(
    path: Path, connection: duckdb.DuckDBPyConnection
) -> duckdb.DuckDBPyConnection:
    """Record ids, cases and titles are personal data: no access for other users."""
    path.chmod(0o640)
    return connection


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


class _KeySource:
    """Loads the index key once, when first needed (an encrypted file needs it to open)."""

    def __init__(self, db_path: Path, key_file: Path | None, key: IndexKey | None = None) -> None:
        self._db_path, self._key_file, self._key = db_path, key_file, key

    def load(self) -> IndexKey:
        if self._key is None:
            self._key = load_key(self._db_path, self._key_file)
        return self._key


def _connect(
    path: Path, *, read_only: bool, keys: _KeySource, create_encrypted: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open DuckDB, plain or encrypted, translating its errors into ones a user can act on.

    A reader attaches the file to a session of its own (`_attach`) rather than
    `duckdb.connect(path)`: DuckDB keeps one database per path for the whole
    process, so a reader opened after a publish, while an older reader of the
    same path is still open (a check in progress in the service), would be
    handed the old file's database and never see the new records.
    """
    if create_encrypted and not path.exists():
        return _attach_encrypted(path, keys.load(), read_only=False)
    try:
        if read_only:
            return _attach(path, None, read_only=True)
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as error:
        if "encrypted database" in str(error):
            return _attach_encrypted(path, keys.load(), read_only=read_only)
        raise _translated(error, path) from error


def _is_encrypted(path: Path) -> bool:
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as error:
        return "encrypted database" in str(error)
    return False


def _attach_encrypted(path: Path, key: IndexKey, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """An encrypted index is attached with its key (`_attach`).

    Reading uses DuckDB's built-in crypto; writing needs OpenSSL from the httpfs
    extension (the `encryption` extra), and never the "unsafe" mbedtls fallback.
    """
    try:
        return _attach(path, key, read_only=read_only)
    except duckdb.Error as error:
        if "Wrong encryption key" in str(error):
            raise KeyMismatchError(
                f"The key from {key.origin} does not decrypt the index {path}; use the key "
                "it was built with (--key-file or PROVENANCE_KEY_FILE)."
            ) from error
        raise _translated(error, path) from error


def _attach(path: Path, key: IndexKey | None, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """The index file attached as `idx` to a new in-memory session, and in use;
    decrypted with `key` when one is given.

    Raises duckdb.Error as ATTACH does; the session is closed first.
    """
    connection = duckdb.connect()
    try:
        options = []
        if key is not None:
            if not read_only:
                _load_crypto_extension(connection)
            options.append(f"ENCRYPTION_KEY '{key.database_key()}'")
        listed = options + (["READ_ONLY"] if read_only else [])
        quoted = str(path).replace("'", "''")  # ATTACH takes no parameters
        mode = f" ({', '.join(listed)})" if listed else ""
        connection.execute(f"ATTACH '{quoted}' AS idx{mode}").fetchall()
        connection.execute("USE idx").fetchall()
    except BaseException:
        connection.close()
        raise
    return connection


def _load_crypto_extension(connection: duckdb.DuckDBPyConnection) -> None:
    try:
        import duckdb_extension_httpfs
    except ImportError:
        raise IndexDatabaseError(
            "Writing an encrypted index needs DuckDB's OpenSSL crypto, shipped in the "
            "`encryption` extra: pip install 'provenance[encryption]'."
        ) from None
    folder = Path(duckdb_extension_httpfs.__file__).parent
    wanted = f"v{duckdb.__version__}"
    found = [path for path in folder.rglob("httpfs.duckdb_extension") if wanted in path.parts]
    if not found:
        raise IndexDatabaseError(
            f"The installed duckdb-extension-httpfs does not match DuckDB {duckdb.__version__}; "
            "install the same version of both (pip install 'provenance[encryption]')."
        )
    connection.execute(f"LOAD '{found[0]}'").fetchall()


def _translated(error: duckdb.Error, path: Path) -> IndexDatabaseError:
    message = str(error)
    if "lock" in message.lower():
        return IndexLockedError(
            f"The index {path} is held open for writing by another program (provenance's "
            f"own runs never do that to the live index); close it and try again. ({message})"
        )
    if "does not exist" in message:
        return IndexMissingError(f"No index at {path}: run `provenance index STORE`.")
    return IndexDatabaseError(f"Cannot open the index {path}: {message}")


def _stored_record(row: Sequence[Any]) -> StoredRecord:
    rec, record_id, case_id, path, kind, date, title, metadata, content_hash, fmt, count = row
    info = RecordInfo(
        record_id=record_id,
        case_id=case_id,
        path=path,
        kind=kind,
        date=date,
        title=title or "",
        metadata=json.loads(metadata) if metadata else {},
    )
    return StoredRecord(int(rec), info, content_hash, fmt, int(count))


def _strings(values: Iterable[str]) -> npt.NDArray[np.str_]:
    """A fixed-width unicode array: DuckDB 1.5.5 scans it ~100x faster than an object
    array (6 ms against ~0.9 s for 1,000 strings, measured)."""
    return np.array(list(values), dtype=np.str_)


def _skip_pandas_probes() -> None:
    """DuckDB 1.5.5 tries `import pandas` about eight times for every Python object it
    scans (the record_words blobs); without pandas installed each failed import searches
    sys.path again: ~1.4 s to register 1,000 blobs, most of a nightly run's writing.
    Recording pandas as absent (only when it is not installed) makes each probe a
    dictionary lookup: ~0.1 s. With pandas installed nothing changes."""
    if "pandas" not in sys.modules and importlib.util.find_spec("pandas") is None:
        sys.modules["pandas"] = None  # type: ignore[assignment]


def _blobs(values: npt.NDArray[Any], bounds: list[int]) -> npt.NDArray[np.object_]:
    """One bytes object per record: values[bounds[i]:bounds[i + 1]], packed
    (uint32, or uint8 for the initials)."""
    packed = values if values.dtype == np.uint8 else values.astype(np.uint32)
    data = packed.tobytes()
    width = packed.dtype.itemsize
    return np.array(
        [data[start * width : end * width] for start, end in itertools.pairwise(bounds)],
        dtype=object,
    )


def _ranked(
    tables: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]],
    alive: npt.NDArray[np.bool_] | None,
    query_keys: npt.NDArray[np.int64],
    query_passages: npt.NDArray[np.int32],
    limit: int,
) -> list[CandidateRecord]:
    """`IndexStore.candidate_records` computed by binary search over sorted keys."""
    rows, recs = band_hits(tables, alive, query_keys)
    ranked = rank_candidates(rows, recs, query_passages, len(query_keys), limit)
    return [
        CandidateRecord(int(rec), float(score), int(hits))
        for rec, score, hits in zip(
            ranked.recs.tolist(), ranked.scores.tolist(), ranked.passages_hit.tolist(), strict=True
        )
    ]


def _segments_still_fit(previous: Manifest, live: npt.NDArray[np.int64], added_rows: int) -> bool:
    """Whether adding a segment beats rewriting one: few segments, few dead or added rows."""
    infos = previous.segments
    base = infos[0]
    added = added_rows + sum(info.band_rows for info in infos[1:])
    stored_records = sum(info.records for info in infos)
    dead = stored_records - int(np.count_nonzero(live <= previous.last_rec))
    return (
        len(infos) < _MAX_SEGMENTS
        and added <= _MAX_ADDED_SHARE * max(base.band_rows, 1)
        and dead <= _MAX_ADDED_SHARE * max(stored_records, 1)
    )


_MAX_SEGMENTS = 16
_MAX_REC = 2**31 - 1  # rec is an INTEGER
_MAX_ADDED_SHARE = 0.25
