"""The nightly job: bring the index up to date, then audit what changed.

    index (incremental) -> purge findings of removed records
    -> audit each record version not yet audited against the whole store
    -> one transaction per record (its findings replaced, its version marked)
    -> the run's row says how it ended

Auditing a record is a check of its stored words against every other record,
keeping only cross-case passages: the same verification and boilerplate rules
as `check`, so the scan and the pre-send gate never disagree. A run that dies
leaves its row "running"; the next run marks it interrupted and, because
audit marks are per record version, audits exactly what the dead run missed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from provenance.config import CheckParams, IndexParams
from provenance.discover import safe_store_file
from provenance.errors import ExtractionError, ProvenanceError
from provenance.extract import extract_text
from provenance.ingest import ProgressCallback, index_into
from provenance.ledger import FindingDraft, Ledger
from provenance.match import classify_matches
from provenance.models import Finding, IndexSummary, Match, SourceSpan
from provenance.names import WordMarks, word_marks
from provenance.normalize import split_words
from provenance.shingle import word_ids
from provenance.store import IndexStore, RecordWords, StoredRecord

StageCallback = Callable[[str], None]


@dataclass(frozen=True)
class ScanSummary:
    """What one scan did and found."""

    run_id: int
    full_audit: bool
    index: IndexSummary
    audited: int
    interrupted_runs: int
    findings: tuple[Finding, ...]  # every current finding, new ones included

    @property
    def new_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.first_run_id == self.run_id)


def scan_store(
    store_root: Path,
    db_path: Path,
    *,
    full: bool = False,
    check_params: CheckParams | None = None,
    on_progress: ProgressCallback | None = None,
    on_stage: StageCallback | None = None,
) -> ScanSummary:
    """Index the store incrementally and audit new or changed records.

    Raises:
        ProvenanceError: the run failed; it is recorded as failed in the index.
    """
    params = check_params or CheckParams()
    with IndexStore.open_for_writing(db_path, IndexParams()) as store:
        ledger = Ledger(store)
        interrupted = ledger.interrupt_stale_runs()
        run_id = ledger.start_run(full)
        counts: dict[str, int] = {}
        try:
            _stage(on_stage, "indexing")
            index_summary = index_into(store, store_root, on_progress)
            counts.update(
                added=index_summary.added,
                changed=index_summary.changed,
                removed=index_summary.removed,
                failed=len(index_summary.failed),
            )
            ledger.purge_removed_records()
            if full:
                ledger.forget_audits()
            pending = ledger.records_to_audit()
            _stage(on_stage, "auditing")
            new = 0
            for done, record in enumerate(pending, start=1):
                if on_progress is not None:
                    on_progress(done, len(pending), record.info.path)
                drafts = _audit(store, record, params, store_root)
                new += ledger.save_audit(record, drafts, run_id)
            counts.update(audited=len(pending), new_findings=new)
        except BaseException as error:
            ledger.finish_run(run_id, "failed", counts, f"{type(error).__name__}: {error}")
            raise
        ledger.finish_run(run_id, "succeeded", counts, "")
        findings = ledger.findings()
    return ScanSummary(
        run_id=run_id,
        full_audit=full,
        index=index_summary,
        audited=len(pending),
        interrupted_runs=interrupted,
        findings=tuple(findings),
    )


def _audit(
    store: IndexStore, record: StoredRecord, params: CheckParams, store_root: Path
) -> list[FindingDraft]:
    """Cross-case passages of one indexed record, as findings with dated roles."""
    words = store.record_words([record.rec]).get(record.rec)
    if words is None or len(words.ids) == 0:
        return []
    # Reading the file again is only worth it when names weigh more than other words.
    marks = _marks_in(store, record, words, store_root) if params.reads_names() else None
    matches = classify_matches(
        store, words, record.info.case_id, params, exclude_rec=record.rec, marks=marks
    )
    drafts: dict[tuple[str, int], FindingDraft] = {}
    for match in matches:
        if match.status != "cross_case":
            continue
        # Every other-case record holding the passage, not only the likeliest
        # origin: the audit of a record must reproduce every finding it is part
        # of, because saving it replaces them all.
        for source in (match.source, *match.other_sources):
            if source.case_id != record.info.case_id:
                drafts.setdefault((source.record_id, match.start), _draft(record, match, source))
    return list(drafts.values())


def _marks_in(
    store: IndexStore, record: StoredRecord, words: RecordWords, store_root: Path
) -> WordMarks | None:
    """Which of the record's words read as names or start an address (names.py), from its file.

    The index holds word ids, not text, and capitals are lost in them; the
    check of an outgoing document sees them, so the audit reads them from the
    store (through the same isolated extraction as indexing) to reach the
    check's verdict. None when the file is gone, unreadable, or no longer the
    text that was indexed: the audit then counts every word as one detail.
    """
    file, _ = safe_store_file(store_root, record.info.path)
    if file is None:
        return None
    try:
        text = extract_text(file).text
    except (ExtractionError, ProvenanceError):
        return None
    split = split_words(text)
    if len(split) != len(words.ids) or not np.array_equal(
        word_ids(split.words, store.hashing_key), words.ids
    ):
        return None
    return word_marks(text, split.starts, split.ends)


def _draft(record: StoredRecord, match: Match, source: SourceSpan) -> FindingDraft:
    audited = (record.info.record_id, record.info.date, match.start, match.end)
    other = (source.record_id, source.date, source.start, source.end)
    undecided = audited[1] == other[1]
    if undecided:
        copy, origin = sorted([audited, other], key=lambda side: side[0], reverse=True)
    else:
        copy, origin = (audited, other) if audited[1] > other[1] else (other, audited)
    return FindingDraft(
        copy_record_id=copy[0],
        copy_start=copy[2],
        copy_end=copy[3],
        origin_record_id=origin[0],
        origin_start=origin[2],
        origin_end=origin[3],
        similarity=match.similarity,
        matched_words=match.matched_words,
        order_undecided=undecided,
    )


def with_texts(findings: tuple[Finding, ...], store_root: Path) -> tuple[Finding, ...]:
    """Fill each finding's quoted text from the store (the index holds none).

    A file that has gone or cannot be read gives empty text, never an error:
    the finding itself still stands.
    """
    cache: dict[str, str] = {}

    def text_of(path: str) -> str:
        if path not in cache:
            file, _ = safe_store_file(store_root, path)
            try:
                cache[path] = extract_text(file).text if file is not None else ""
            except (ExtractionError, ProvenanceError):
                cache[path] = ""
        return cache[path]

    return tuple(
        replace(
            finding,
            copy_text=text_of(finding.copy.path)[finding.copy.start : finding.copy.end],
            origin_text=text_of(finding.origin.path)[finding.origin.start : finding.origin.end],
        )
        for finding in findings
    )


def _stage(callback: StageCallback | None, name: str) -> None:
    if callback is not None:
        callback(name)
