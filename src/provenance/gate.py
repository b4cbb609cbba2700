"""The pre-send gate: every check and origin query, made and written to the audit log.

The command line, the HTTP service, the reviewer page and the e-mail and
folder hooks all call these, so each behaves the same, fails closed the same
way and is logged the same way. A check that cannot be logged is not
cleared: the audit log is part of the gate.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from provenance import audit
from provenance.api import CheckedDocument, check_file, origin_of_text
from provenance.config import CheckParams
from provenance.errors import (
    AuditLogError,
    ExtractionError,
    IndexDatabaseError,
    IndexMissingError,
    ProvenanceError,
    UnknownCaseError,
)
from provenance.ledger import Ledger
from provenance.models import RunRecord
from provenance.origin import OriginHit
from provenance.store import IndexStore, SharedReader

PASTED_TEXT = "(pasted text)"
_FAILURE_WORDS: tuple[tuple[type[ProvenanceError], str], ...] = (
    (UnknownCaseError, "unknown case"),
    (IndexMissingError, "no index"),
    (IndexDatabaseError, "index unusable"),
    (AuditLogError, "audit log unusable"),
)


@dataclass(frozen=True)
class Caller:
    """Who asked, for the audit log: a token name or an OS user, and through what."""

    who: str
    channel: str  # cli, api, page, eml, watch


@dataclass(frozen=True)
class IndexHealth:
    """What /healthz reports: the index opens read-only and holds records."""

    records: int
    cases: int
    last_scan: RunRecord | None


def os_user() -> str:
    """The login name running this process (the "who" of command-line checks)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        return f"uid {os.getuid()}"


def cli_caller(channel: str = "cli") -> Caller:
    return Caller(who=os_user(), channel=channel)


def check_logged(
    document: Path,
    case_id: str,
    db_path: Path,
    caller: Caller,
    params: CheckParams | None = None,
    *,
    document_name: str | None = None,
    reader: SharedReader | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    timeout: float | None = None,
) -> CheckedDocument:
    """`api.check_file`, with one audit entry whatever the outcome.

    `document_name` is what the log calls the document (an upload's own name
    rather than the temporary file it was saved to).

    Raises:
        ProvenanceError: as `check_file`; the failure is logged first.
        AuditLogError: the check succeeded but could not be logged (not cleared).
    """
    name = document_name or str(document)
    digest = _file_sha256(document)
    try:
        checked = check_file(
            document,
            case_id,
            db_path,
            params,
            reader=reader,
            on_progress=on_progress,
            timeout=timeout,
        )
    except BaseException as error:
        _log_failure(db_path, caller, "check", name, digest, case_id, error)
        raise
    leaks = sum(match.status == "cross_case" for match in checked.result.matches)
    audit.record(
        db_path, _entry(caller, "check", name, digest, case_id, checked.result.verdict, leaks)
    )
    return checked


def origin_logged(
    text: str,
    db_path: Path,
    caller: Caller,
    *,
    document_name: str = PASTED_TEXT,
    reader: SharedReader | None = None,
) -> list[OriginHit]:
    """`api.origin_of_text`, with one audit entry (the query's hash, never its text).

    Raises:
        ProvenanceError: as `origin_of_text`; the failure is logged first.
        AuditLogError: the query could not be logged.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        hits = origin_of_text(text, db_path, reader=reader)
    except BaseException as error:
        _log_failure(db_path, caller, "origin", document_name, digest, None, error)
        raise
    outcome = "found" if hits else "none"
    audit.record(db_path, _entry(caller, "origin", document_name, digest, None, outcome, len(hits)))
    return hits


def index_health(db_path: Path) -> IndexHealth:
    """Open the index read-only and count it; raises IndexDatabaseError if it cannot."""
    with IndexStore.open_for_reading(db_path) as store:
        counts = store.counts()
        cases = store.case_count()
        runs = Ledger(store).runs(limit=1)
    return IndexHealth(counts["records"], cases, runs[0] if runs else None)


def failure_kind(error: BaseException) -> str:
    """A short phrase for the log: the kind of failure, never its message (which may quote)."""
    if isinstance(error, ExtractionError):
        return error.reason
    for kind, words in _FAILURE_WORDS:
        if isinstance(error, kind):
            return words
    if isinstance(error, ProvenanceError):
        return type(error).__name__
    return f"internal error ({type(error).__name__})"


def _log_failure(
    db_path: Path,
    caller: Caller,
    action: str,
    name: str,
    digest: str,
    case_id: str | None,
    error: BaseException,
) -> None:
    """Log a failed check; if even that fails, the original error still propagates."""
    entry = _entry(caller, action, name, digest, case_id, "not checked", 0, failure_kind(error))
    with contextlib.suppress(AuditLogError):  # the check already failed closed; it says why
        audit.record(db_path, entry)


def _file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, or '' if it cannot be read (the check will say why)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _entry(
    caller: Caller,
    action: str,
    name: str,
    digest: str,
    case_id: str | None,
    verdict: str,
    cross_case: int,
    detail: str = "",
) -> audit.AuditEntry:
    """One audit row for `caller`, stamped now."""
    return audit.AuditEntry(
        audit.now_utc(),
        caller.who,
        caller.channel,
        action,
        name,
        digest,
        case_id,
        verdict,
        cross_case,
        detail,
    )
