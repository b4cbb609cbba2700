"""The nightly scan's ledger: runs, which record versions were audited, findings.

Kept in the index database so that the ledger and the index can never
disagree. Crash safety comes from granularity: a record's audit (its
findings replaced, its version marked audited) is one transaction, so a run
killed half-way leaves every record either audited or not, and the next run
audits exactly the ones that are not. Findings are replaced per record, never
appended, so re-auditing never duplicates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from provenance.models import Finding, RunRecord, SourceSpan
from provenance.store import IndexStore, StoredRecord

_RUN_COLUMNS = (
    "run_id, CAST(started_at AS VARCHAR), CAST(finished_at AS VARCHAR), status, full_audit,"
    " added, changed, removed, failed, audited, new_findings, message"
)


@dataclass(frozen=True)
class FindingDraft:
    """A finding as the audit of one record produces it, before it is stored."""

    copy_record_id: str
    copy_start: int
    copy_end: int
    origin_record_id: str
    origin_start: int
    origin_end: int
    similarity: float
    matched_words: int
    order_undecided: bool


class Ledger:
    """Reads and writes the scan tables of an index opened for writing."""

    def __init__(self, store: IndexStore) -> None:
        self._store = store

    def interrupt_stale_runs(self) -> int:
        """Runs still marked running were killed: we hold the only write lock now."""
        stale = self._store.execute("SELECT count(*) FROM runs WHERE status = 'running'")[0][0]
        self._store.execute(
            "UPDATE runs SET status = 'interrupted', message = 'the run stopped before finishing;"
            " the next run audited what it missed' WHERE status = 'running'"
        )
        return int(stale)

    def start_run(self, full_audit: bool) -> int:
        run_id = int(self._store.execute("SELECT nextval('run_sequence')")[0][0])
        self._store.execute(
            "INSERT INTO runs (run_id, started_at, status, full_audit) VALUES"
            " (?, current_timestamp, 'running', ?)",
            [run_id, full_audit],
        )
        return run_id

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], message: str) -> None:
        self._store.execute(
            "UPDATE runs SET finished_at = current_timestamp, status = ?, added = ?, changed = ?,"
            " removed = ?, failed = ?, audited = ?, new_findings = ?, message = ? WHERE run_id = ?",
            [
                status,
                *(counts.get(name, 0) for name in ("added", "changed", "removed", "failed")),
                counts.get("audited", 0),
                counts.get("new_findings", 0),
                message,
                run_id,
            ],
        )

    def forget_audits(self) -> None:
        """For --full: every record will be audited again."""
        self._store.execute("DELETE FROM audited")

    def purge_removed_records(self) -> None:
        """Findings and audit marks of records no longer in the index go."""
        for table, column in (
            ("findings", "copy_record_id"),
            ("findings", "origin_record_id"),
            ("audited", "record_id"),
        ):
            self._store.execute(
                f"DELETE FROM {table} WHERE {column} NOT IN (SELECT record_id FROM records)"
            )

    def records_to_audit(self) -> list[StoredRecord]:
        """Record versions (id + content hash) no completed audit has covered."""
        audited = {
            (row[0], row[1])
            for row in self._store.execute("SELECT record_id, content_hash FROM audited")
        }
        stored = self._store.stored_records().values()
        pending = [r for r in stored if (r.info.record_id, r.content_hash) not in audited]
        return sorted(pending, key=lambda r: (r.info.date, r.info.record_id))

    def save_audit(self, record: StoredRecord, drafts: Sequence[FindingDraft], run_id: int) -> int:
        """Replace the record's findings and mark its version audited; returns new findings.

        A finding that existed before (same two records, overlapping copy span)
        keeps the run it was first seen in, so it is not reported as new again.
        """
        record_id = record.info.record_id
        with self._store.transaction():
            previous = self._store.execute(
                "SELECT copy_record_id, origin_record_id, copy_start, copy_end, first_run_id"
                " FROM findings WHERE copy_record_id = ? OR origin_record_id = ?",
                [record_id, record_id],
            )
            self._store.execute(
                "DELETE FROM findings WHERE copy_record_id = ? OR origin_record_id = ?",
                [record_id, record_id],
            )
            new = 0
            for draft in drafts:
                first_run = _first_seen(previous, draft) or run_id
                new += first_run == run_id
                self._store.execute(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [*draft.__dict__.values(), first_run],
                )
            self._store.execute("DELETE FROM audited WHERE record_id = ?", [record_id])
            self._store.execute(
                "INSERT INTO audited VALUES (?, ?, ?)", [record_id, record.content_hash, run_id]
            )
        return new

    def findings(self) -> list[Finding]:
        """All current findings, most recent copy first."""
        records = self._store.stored_records()
        rows = self._store.execute("SELECT * FROM findings")
        found = []
        for row in rows:
            (copy_id, copy_start, copy_end, origin_id, origin_start, origin_end) = row[:6]
            if copy_id not in records or origin_id not in records:
                continue
            found.append(
                Finding(
                    copy=_span(records[copy_id], copy_start, copy_end),
                    origin=_span(records[origin_id], origin_start, origin_end),
                    similarity=float(row[6]),
                    matched_words=int(row[7]),
                    order_undecided=bool(row[8]),
                    first_run_id=int(row[9]),
                )
            )
        return sorted(found, key=lambda f: (f.copy.date, f.copy.record_id), reverse=True)

    def runs(self, limit: int = 20) -> list[RunRecord]:
        rows = self._store.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY run_id DESC LIMIT ?", [limit]
        )
        return [_run_record(row) for row in rows]


def _first_seen(previous: list[Any], draft: FindingDraft) -> int | None:
    """The run that first saw this finding: same two records, overlapping copy span."""
    for copy_id, origin_id, copy_start, copy_end, first_run in previous:
        same_pair = {copy_id, origin_id} == {draft.copy_record_id, draft.origin_record_id}
        if not same_pair:
            continue
        if copy_id != draft.copy_record_id:  # roles swapped (equal dates): same finding
            return int(first_run)
        if copy_start < draft.copy_end and draft.copy_start < copy_end:
            return int(first_run)
    return None


def _span(record: StoredRecord, start: int, end: int) -> SourceSpan:
    info = record.info
    return SourceSpan(info.record_id, info.case_id, info.path, info.kind, info.date, start, end)


def _run_record(row: Sequence[Any]) -> RunRecord:
    return RunRecord(
        run_id=int(row[0]),
        started_at=str(row[1]),
        finished_at=None if row[2] is None else str(row[2]),
        status=str(row[3]),
        full_audit=bool(row[4]),
        added=int(row[5] or 0),
        changed=int(row[6] or 0),
        removed=int(row[7] or 0),
        failed=int(row[8] or 0),
        audited=int(row[9] or 0),
        new_findings=int(row[10] or 0),
        message=str(row[11] or ""),
    )
