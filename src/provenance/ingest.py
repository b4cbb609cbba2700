"""Bring the index up to date with a document store, incrementally.

    discover (manifest or folders) -> hash each file, skip unchanged
    -> chunks of changed files -> in worker processes: extract -> normalise
    -> shingle -> fingerprint (whole chunk at once)
    -> here: one transaction per ~50k passages

A record is identified by its record_id; its content by the SHA-256 of the
file. Unchanged records are skipped, changed ones replaced, records no longer
in the store removed. A file that cannot be read is listed with the reason and
never stops the run; if it was indexed before, its previous version is kept
(dropping it would hide its text from checks).
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.config import WORDS_TAG, IndexParams
from provenance.discover import MANIFEST_NAME, StoreEntry, discover_store
from provenance.errors import ConfigError, EmptyStoreError, ExtractionError
from provenance.extract import ExtractionLimits, extract_text
from provenance.families import MAX_FAMILY_CASES
from provenance.fingerprint import Permutations, band_keys, plan_windows, range_signatures
from provenance.models import FileProblem, IndexSummary, RecordInfo
from provenance.names import capital_initials
from provenance.normalize import ascii_word_spans, ascii_words, compared_words, split_words
from provenance.shingle import UInt32Array, ascii_word_ids, shingle_hashes, word_ids
from provenance.store import (
    FingerprintBatch,
    IndexStore,
    PassageRows,
    RecordBatch,
    RecordWords,
    StoredRecord,
)

ProgressCallback = Callable[[int, int, str], None]
_HASH_CHUNK = 1 << 20
_CHUNK_BYTES = 1 << 20  # ~8,000 passages of plain text per chunk sent to a worker
_CHUNK_FILES = 500
_WRITE_PASSAGES = 50_000  # passages written per transaction (several chunks)
_CHUNK_PASSAGES = 8_000  # about what one chunk of plain text yields
# Chunks in flight: a whole transaction's worth plus two per worker, so workers
# keep computing while this process writes (~6 MB of fingerprints per chunk).
_AHEAD_CHUNKS = _WRITE_PASSAGES // _CHUNK_PASSAGES + 1
_MIN_PARALLEL_CHUNKS = 3  # below this, starting worker processes costs more than it saves
_SERIAL_CHUNK_FILES = 8  # records per transaction when everything stays in this process


@dataclass(frozen=True)
class Fingerprinted:
    """A text ready to be written: its words and its passages' band keys."""

    words: RecordWords
    passages: PassageRows


@dataclass(frozen=True)
class _Job:
    """One store file for a worker: where it is and the hash the index holds for it."""

    position: int
    file: Path
    previous_hash: str | None


@dataclass(frozen=True)
class _Outcome:
    """What a worker made of one file (fingerprints travel in the chunk's batch)."""

    position: int
    content_hash: str = ""
    file_format: str = ""
    warnings: tuple[str, ...] = ()
    problem: FileProblem | None = None
    unchanged: bool = False


@dataclass(frozen=True)
class _PreparedChunk:
    outcomes: tuple[_Outcome, ...]
    fingerprints: FingerprintBatch  # of the outcomes with neither problem nor unchanged


def fingerprint_text(
    text: str, params: IndexParams, permutations: Permutations, key: bytes
) -> Fingerprinted:
    """Words, passages and band keys of one record's text (pure; no I/O).

    `key` is the index's secret (IndexStore.hashing_key): word ids are keyed.
    """
    batch = fingerprint_texts([text], params, permutations, key)
    return Fingerprinted(
        words=RecordWords(
            rec=0,
            ids=batch.word_ids,
            starts=batch.word_starts.astype(np.int64),
            ends=batch.word_ends.astype(np.int64),
            initials=batch.word_initials,
        ),
        passages=batch.passages,
    )


def fingerprint_texts(
    texts: Sequence[str], params: IndexParams, permutations: Permutations, key: bytes
) -> FingerprintBatch:
    """`fingerprint_text` for many texts at once (pure; no I/O).

    Word ids, MinHash signatures and band keys are computed for the whole
    batch in a few numpy calls: per-record numpy calls on small arrays cost
    more in overhead than in arithmetic.
    """
    split = _split_texts(texts, key)
    word_counts = np.array([len(words.starts) for words in split], dtype=np.int64)
    ids = _concat([words.ids for words in split], np.uint32)
    shingle_parts: list[UInt32Array] = []
    firsts: list[npt.NDArray[np.int64]] = []
    lasts: list[npt.NDArray[np.int64]] = []
    word_starts: list[npt.NDArray[np.int64]] = []
    word_ends: list[npt.NDArray[np.int64]] = []
    char_starts: list[npt.NDArray[np.int64]] = []
    char_ends: list[npt.NDArray[np.int64]] = []
    passage_counts = np.zeros(len(texts), dtype=np.int64)
    word_offset = shingle_offset = 0
    for number, words in enumerate(split):
        count = len(words.starts)
        shingles = shingle_hashes(ids[word_offset : word_offset + count], params.shingle_words)
        windows = plan_windows(count, params.window_words, params.index_stride)
        shingle_ends = np.maximum(windows.ends - params.shingle_words + 1, windows.starts + 1)
        shingle_ends = np.minimum(shingle_ends, len(shingles))
        shingle_parts.append(shingles)
        firsts.append(windows.starts + shingle_offset)
        lasts.append(shingle_ends + shingle_offset)
        word_starts.append(windows.starts)
        word_ends.append(windows.ends)
        char_starts.append(words.starts[windows.starts])
        char_ends.append(words.ends[windows.ends - 1])
        passage_counts[number] = len(windows)
        word_offset += count
        shingle_offset += len(shingles)
    rows = range_signatures(
        _concat(shingle_parts, np.uint32), _concat(firsts), _concat(lasts), permutations
    )
    return FingerprintBatch(
        word_counts=word_counts,
        word_ids=ids,
        word_starts=_concat([words.starts for words in split]).astype(np.uint32),
        word_ends=_concat([words.ends for words in split]).astype(np.uint32),
        word_initials=_concat(
            [
                capital_initials(text, words.starts, words.ends)
                for text, words in zip(texts, split, strict=True)
            ],
            np.uint8,
        ),
        passage_counts=passage_counts,
        passages=PassageRows(
            word_starts=_concat(word_starts),
            word_ends=_concat(word_ends),
            char_starts=_concat(char_starts),
            char_ends=_concat(char_ends),
            band_keys=band_keys(rows, params),
        ),
    )


@dataclass(frozen=True)
class _SplitText:
    """A text's word ids and their character spans."""

    ids: UInt32Array
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]


def _split_texts(texts: Sequence[str], key: bytes) -> list[_SplitText]:
    """Word ids and spans of each text.

    Plain ASCII texts (most records) are cut on their bytes and get their ids
    in one `ascii_word_ids` call for the whole batch, with no Python string
    per word; other texts take the general `split_words` path. Both give the
    same words and ids (a test holds them equal).
    """
    split: list[_SplitText | None] = []
    plain: list[tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
    for number, text in enumerate(texts):
        spans = ascii_word_spans(text)
        if spans is None:
            words = split_words(text)
            split.append(_SplitText(word_ids(words.words, key), words.starts, words.ends))
        else:
            split.append(None)
            plain.append((number, *spans))
    if plain:
        lowered = "".join(texts[number] for number, _, _ in plain).encode("ascii").lower()
        offsets = np.cumsum([0] + [len(texts[number]) for number, _, _ in plain]).tolist()
        ids = ascii_word_ids(
            lowered,
            np.concatenate([starts + offsets[at] for at, (_, starts, _) in enumerate(plain)]),
            np.concatenate([ends + offsets[at] for at, (_, _, ends) in enumerate(plain)]),
            key,
        )
        first = 0
        for number, starts, ends in plain:
            text_ids = ids[first : first + len(starts)]
            cut = ascii_words(texts[number])
            compared = compared_words(texts[number], starts, ends, cut)
            # The ids above are of the words as cut; those compared otherwise get theirs.
            rewritten = [
                at
                for at, (word, as_cut) in enumerate(zip(compared, cut, strict=True))
                if word != as_cut
            ]
            if rewritten:
                text_ids[rewritten] = word_ids([compared[at] for at in rewritten], key)
            split[number] = _SplitText(text_ids, starts, ends)
            first += len(starts)
    return [words for words in split if words is not None]


# Bumped when a format's extraction reads more of a file, so that the next
# `index` re-reads files of that format once (their stored hash no longer
# matches) instead of keeping the text an older version read. 2: session 10
# (.docx alt text, SmartArt, charts, properties, changed paragraphs as they
# were; .pdf notes, forms, attachments; .eml HTML alternatives). .eml 3: session
# 11 (base64-encoded forwarded messages; HTML alt text, text box values,
# srcdoc frames, inline-styled blocks, text shown right to left; format=flowed;
# uuencoded files in the body; text style sheets write); .pdf 3: text
# drawn by annotations' appearances; .docx 3: positioned tabs, saved web pages
# (.mht) as chunks, right-to-left marks, gaps from character spacing. .eml 4:
# session 12 (.html, .htm, .rtf, .odt, .doc, .msg, .xlsx, .csv attachments); .docx 4: RTF
# chunks, embedded workbooks, and a Word 97-2003 file named .docx is read.
# .pdf 4: session 26: running headers and footers after the pages. .eml 5, .msg 1,
# .xlsx 1: session 27 (.xls attachments; an .xls workbook named .xlsx is read).
_EXTRACTION_VERSIONS = {".docx": 4, ".pdf": 4, ".eml": 5, ".msg": 1, ".xlsx": 1}


def content_key(path: Path) -> str:
    """The file's SHA-256, tagged with its format's extraction version and
    the words version: what `index` compares to decide a record is unchanged.

    Raises:
        OSError: the file cannot be read.
    """
    version = _EXTRACTION_VERSIONS.get(path.suffix.lower())
    digest = file_sha256(path)
    extraction = "" if version is None else f"+x{version}"
    return f"{digest}{extraction}{WORDS_TAG}"


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
        EmptyStoreError: the store lists no record and the index holds some
            (nothing is changed then).
        IndexLockedError / IndexParametersError: the index cannot be written.
    """
    with IndexStore.open_for_writing(db_path, params or IndexParams(), encrypt=encrypt) as store:
        return index_into(store, store_root, on_progress)


def index_into(
    store: IndexStore,
    store_root: Path,
    on_progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> IndexSummary:
    """`index_store` on an index already open for writing (the scan holds one).

    Files whose hash changed are read and fingerprinted in chunks in
    `workers` processes (default: one per CPU) and this process writes them,
    ~50,000 passages per transaction; little work stays in this process,
    8 records per transaction. A crash loses at most the transaction in flight, never part
    of a record: a record is in with its words, passages and bands, or
    absent, and a re-run skips what was committed.
    """
    began = time.perf_counter()
    discovery = discover_store(store_root)
    params = store.read_params() or IndexParams()
    counts = {"added": 0, "changed": 0, "unchanged": 0, "removed": 0, "passages": 0}
    failed = list(discovery.problems)
    warnings = list(discovery.warnings)
    stored = store.stored_records()
    if stored and not discovery.entries:
        raise EmptyStoreError(
            f"{store_root} lists no record ({len(discovery.problems)} could not be used), but "
            f"the index holds {len(stored)}: nothing was changed. Is the store's share "
            "mounted, or its manifest.csv an export with no rows? To empty the index on "
            "purpose, delete the index file."
        )
    permutations = store.read_permutations()
    store.remember_store_root(store_root.resolve())
    entries = discovery.entries
    unchanged, jobs = _sort_out_unchanged(entries, stored)
    chunks = _chunks(jobs)
    worker_count = workers or _default_workers()
    if worker_count < 2 or len(chunks) < _MIN_PARALLEL_CHUNKS:
        # Little work: stay in this process (starting workers costs more), and
        # commit every few records, so an interrupted run keeps most of its work.
        worker_count, batch_passages = 1, 0
        step = _SERIAL_CHUNK_FILES
        chunks = [jobs[first : first + step] for first in range(0, len(jobs), step)]
    else:
        batch_passages = _WRITE_PASSAGES
    key = store.hashing_key
    prepared = itertools.chain(
        [_PreparedChunk(tuple(unchanged), fingerprint_texts([], params, permutations, key))],
        _prepared_chunks(chunks, params, permutations, key, worker_count),
    )
    done = 0
    waiting: list[_PreparedChunk] = []
    waiting_passages = 0
    for chunk in itertools.chain(prepared, [None]):
        if chunk is not None:
            waiting.append(chunk)
            waiting_passages += int(chunk.fingerprints.passage_counts.sum())
            if waiting_passages < batch_passages:
                continue
        if not waiting:
            break
        with store.transaction():
            _write_chunks(store, waiting, entries, stored, counts, failed, warnings)
        for outcome in (outcome for written in waiting for outcome in written.outcomes):
            done += 1  # reported once committed: a record counted done survives a crash
            if on_progress is not None:
                on_progress(done, len(entries), entries[outcome.position].info.path)
        waiting, waiting_passages = [], 0
    seen = {entry.info.record_id for entry in entries}
    kept_paths = {problem.path for problem in failed if problem.reason != "file missing"}
    gone = [
        record.rec
        for record_id, record in stored.items()
        if record_id not in seen and record.info.path not in kept_paths
    ]
    with store.transaction():
        store.delete_records(gone)
    families = store.case_families()
    linked = families.key
    warnings += [
        FileProblem(
            MANIFEST_NAME,
            f"the family {value!r} takes in {cases} cases, more than one household has "
            f"({MAX_FAMILY_CASES}); its cases are not linked, so text they share is still flagged",
        )
        for cases, value in families.too_large
    ]
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
        linked_cases=len(linked),
        families=len(set(linked.values())),
    )


def _sort_out_unchanged(
    entries: Sequence[StoreEntry], stored: dict[str, StoredRecord]
) -> tuple[list[_Outcome], list[_Job]]:
    """Records whose file still has the indexed hash, and jobs for the others.

    Hashing here first means a nightly run with few changes sends only the
    changed files to workers, and starts none when they are few.
    """
    unchanged: list[_Outcome] = []
    jobs: list[_Job] = []
    for position, entry in enumerate(entries):
        previous = stored.get(entry.info.record_id)
        if previous is not None:
            try:
                same = content_key(entry.file) == previous.content_hash
            except OSError:
                same = False  # the worker reports why it cannot be read
            if same:
                unchanged.append(_Outcome(position, previous.content_hash, unchanged=True))
                continue
        jobs.append(_Job(position, entry.file, previous.content_hash if previous else None))
    return unchanged, jobs


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _chunks(jobs: list[_Job]) -> list[list[_Job]]:
    """Consecutive jobs grouped by file size: enough work per chunk to amortise
    a transaction and a trip to a worker, small enough to keep memory flat."""
    chunks: list[list[_Job]] = []
    current: list[_Job] = []
    current_bytes = 0
    for job in jobs:
        try:
            size = job.file.stat().st_size
        except OSError:
            size = 0
        current.append(job)
        current_bytes += size
        if current_bytes >= _CHUNK_BYTES or len(current) >= _CHUNK_FILES:
            chunks.append(current)
            current, current_bytes = [], 0
    if current:
        chunks.append(current)
    return chunks


def _prepared_chunks(
    chunks: list[list[_Job]],
    params: IndexParams,
    permutations: Permutations,
    key: bytes,
    workers: int,
) -> Iterator[_PreparedChunk]:
    """Chunks fingerprinted, in order; in worker processes when there is enough work.

    Chunks are submitted ahead: two per worker plus one transaction's worth,
    so the workers go on fingerprinting while the caller writes (the writes
    and the fingerprinting overlap), and a bounded number of finished chunks
    ever wait in memory, however slow the writer.
    """
    if workers <= 1:
        for chunk in chunks:
            yield _prepare_chunk(chunk, params, permutations, key)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        waiting = iter(chunks)
        pending: deque[Future[_PreparedChunk]] = deque(
            pool.submit(_prepare_chunk, chunk, params, permutations, key)
            for chunk in itertools.islice(waiting, 2 * workers + _AHEAD_CHUNKS)
        )
        while pending:
            result = pending.popleft().result()
            following = next(waiting, None)
            if following is not None:
                pending.append(pool.submit(_prepare_chunk, following, params, permutations, key))
            yield result


def _prepare_chunk(
    jobs: list[_Job], params: IndexParams, permutations: Permutations, key: bytes
) -> _PreparedChunk:
    """Hash, skip if unchanged, extract and fingerprint a chunk of files (a worker's job)."""
    outcomes: list[_Outcome] = []
    texts: list[str] = []
    try:  # read once per chunk: per file it was a third of a plain text's extraction
        limits: ExtractionLimits | None = ExtractionLimits.from_environment()
    except ConfigError:
        limits = None  # then every file reports the bad setting, as before
    for job in jobs:
        path = str(job.file)
        try:
            content_hash = content_key(job.file)
        except OSError as error:
            problem = FileProblem(path, "could not be read", str(error))
            outcomes.append(_Outcome(job.position, problem=problem))
            continue
        if content_hash == job.previous_hash:
            outcomes.append(_Outcome(job.position, content_hash, unchanged=True))
            continue
        try:
            extracted = extract_text(job.file, limits)
        except ExtractionError as error:
            problem = FileProblem(path, error.reason, str(error))
            outcomes.append(_Outcome(job.position, problem=problem))
            continue
        except Exception as error:  # a parser bug on one hostile file must not stop the run
            problem = FileProblem(path, "could not be read (parser error)", repr(error))
            outcomes.append(_Outcome(job.position, problem=problem))
            continue
        outcomes.append(_Outcome(job.position, content_hash, extracted.format, extracted.warnings))
        texts.append(extracted.text)
    return _PreparedChunk(tuple(outcomes), fingerprint_texts(texts, params, permutations, key))


def _write_chunks(
    store: IndexStore,
    chunks: list[_PreparedChunk],
    entries: Sequence[StoreEntry],
    stored: dict[str, StoredRecord],
    counts: dict[str, int],
    failed: list[FileProblem],
    warnings: list[FileProblem],
) -> None:
    """Apply prepared chunks to the index (inside the caller's transaction).

    Replaced versions are deleted with one statement per table for all the
    chunks: a DELETE scans the band table, so a nightly run with a few changed
    records pays for it once, not once per chunk.
    """
    infos: list[RecordInfo] = []
    hashes: list[str] = []
    formats: list[str] = []
    replaced: list[int] = []
    for outcome in (outcome for chunk in chunks for outcome in chunk.outcomes):
        entry = entries[outcome.position]
        previous = stored.get(entry.info.record_id)
        if outcome.problem is not None:
            problem = outcome.problem
            failed.append(FileProblem(entry.info.path, problem.reason, problem.detail))
        elif outcome.unchanged:  # so `previous` holds this very content
            if previous is None or previous.info == entry.info:
                counts["unchanged"] += 1
            else:
                store.update_record_info(previous.rec, entry.info)
                counts["changed"] += 1
        else:
            warnings.extend(FileProblem(entry.info.path, warning) for warning in outcome.warnings)
            counts["changed" if previous is not None else "added"] += 1
            if previous is not None:
                replaced.append(previous.rec)
            infos.append(entry.info)
            hashes.append(outcome.content_hash)
            formats.append(outcome.file_format)
    store.delete_records(replaced)
    parts = [chunk.fingerprints for chunk in chunks]
    store.insert_batch(
        RecordBatch(
            infos=tuple(infos),
            content_hashes=tuple(hashes),
            formats=tuple(formats),
            fingerprints=FingerprintBatch.joined(parts),
        )
    )
    counts["passages"] += sum(int(part.passage_counts.sum()) for part in parts)


def _concat(parts: list[npt.NDArray[Any]], dtype: type[np.generic] = np.int64) -> npt.NDArray[Any]:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)
