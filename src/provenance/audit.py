"""The gate's own database: the audit log and the API tokens. The only importer of sqlite3.

Why SQLite and not the DuckDB index: the index has one writer at a time and
every check opens it read-only, in its own process, many at once. An audit
entry is a small write made by every check, so it needs a store that takes
many short writes from many processes: SQLite in WAL mode with a busy
timeout queues them instead of failing. The file sits beside the index
(`<index>.audit.sqlite`), so it survives the index being rebuilt and
replaced, and is backed up and secured with it.

No document text is ever written here: a document is identified by its name
and SHA-256, a query by its SHA-256 and length. Tokens are stored as a salt
and a hash, never in clear (see `tokens.py`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from provenance.errors import AuditLogError

AUDIT_SUFFIX = ".audit.sqlite"
_SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 30_000  # a check waits this long for another writer, then fails closed

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,               -- UTC, ISO 8601
    who TEXT NOT NULL,              -- token name (service) or OS user (command line)
    channel TEXT NOT NULL,          -- cli, api, page, eml, watch
    action TEXT NOT NULL,           -- check or origin
    document TEXT NOT NULL,         -- file name as given or uploaded; '(pasted text)' for origin
    sha256 TEXT NOT NULL,           -- of the document's bytes, or of the query text
    case_id TEXT,                   -- the case a checked document is for
    verdict TEXT NOT NULL,          -- clean, leak, not checked (check); found, none (origin)
    cross_case INTEGER NOT NULL,    -- passages from another case (check); records found (origin)
    detail TEXT NOT NULL            -- why it could not be checked (error kind), else ''
);
CREATE TABLE IF NOT EXISTS tokens (
    name TEXT PRIMARY KEY,
    salt BLOB NOT NULL,
    digest BLOB NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


@dataclass(frozen=True)
class AuditEntry:
    """One check or origin query, as recorded."""

    at: str
    who: str
    channel: str
    action: str
    document: str
    sha256: str
    case_id: str | None
    verdict: str
    cross_case: int
    detail: str = ""


@dataclass(frozen=True)
class StoredToken:
    """A token as stored: its name, salt and hash, never the token itself."""

    name: str
    salt: bytes
    digest: bytes
    created_at: str
    revoked_at: str | None


def audit_path(db_path: Path) -> Path:
    """Where the audit log and tokens of the index at `db_path` live."""
    return db_path.with_name(db_path.name + AUDIT_SUFFIX)


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def _connection(db_path: Path) -> Iterator[sqlite3.Connection]:
    """An open, initialised connection to the audit file of `db_path`.

    Raises:
        AuditLogError: the file cannot be created, opened or written.
    """
    path = audit_path(db_path)
    try:
        if not path.exists():
            # Created private: it names documents and cases. SQLite gives its
            # -wal and -shm files the same permissions.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        raise AuditLogError(
            f"Cannot open the audit log {path}: {error}. Check that its folder exists and "
            "is writable by this user."
        ) from error
    try:
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous = NORMAL")
        if connection.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            # First use: WAL mode is a property of the file and persists once set.
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {_SCHEMA_VERSION}; COMMIT;"
            )
        yield connection
    except sqlite3.Error as error:
        raise AuditLogError(f"The audit log {path} could not be used: {error}") from error
    finally:
        connection.close()


def record(db_path: Path, entry: AuditEntry) -> None:
    """Append one entry (committed before returning).

    Raises:
        AuditLogError: it could not be written; the caller fails closed.
    """
    with _connection(db_path) as connection:
        connection.execute(
            "INSERT INTO audit (at, who, channel, action, document, sha256, case_id, verdict,"
            " cross_case, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.at,
                entry.who,
                entry.channel,
                entry.action,
                entry.document,
                entry.sha256,
                entry.case_id,
                entry.verdict,
                entry.cross_case,
                entry.detail,
            ),
        )


def entries(db_path: Path, limit: int = 100) -> list[AuditEntry]:
    """The latest `limit` entries, newest first. An index never checked has none."""
    if not audit_path(db_path).exists():
        return []
    with _connection(db_path) as connection:
        rows = connection.execute(
            "SELECT at, who, channel, action, document, sha256, case_id, verdict, cross_case,"
            " detail FROM audit ORDER BY entry_id DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [
        AuditEntry(
            at=str(row[0]),
            who=str(row[1]),
            channel=str(row[2]),
            action=str(row[3]),
            document=str(row[4]),
            sha256=str(row[5]),
            case_id=None if row[6] is None else str(row[6]),
            verdict=str(row[7]),
            cross_case=int(row[8]),
            detail=str(row[9]),
        )
        for row in rows
    ]


def insert_token(db_path: Path, name: str, salt: bytes, digest: bytes) -> bool:
    """Store a new token's hash; False if a token of that name exists (even revoked)."""
    with _connection(db_path) as connection:
        try:
            connection.execute(
                "INSERT INTO tokens (name, salt, digest, created_at) VALUES (?, ?, ?, ?)",
                (name, salt, digest, now_utc()),
            )
        except sqlite3.IntegrityError:
            return False
    return True


def revoke_token(db_path: Path, name: str) -> bool:
    """Mark a token revoked; False if no live token has that name."""
    with _connection(db_path) as connection:
        cursor = connection.execute(
            "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            (now_utc(), name),
        )
        return cursor.rowcount == 1


def stored_tokens(db_path: Path) -> list[StoredToken]:
    """Every token ever made, oldest first (revoked ones carry their revocation time)."""
    if not audit_path(db_path).exists():
        return []
    with _connection(db_path) as connection:
        rows = connection.execute(
            "SELECT name, salt, digest, created_at, revoked_at FROM tokens"
            " ORDER BY created_at, name"
        ).fetchall()
    return [
        StoredToken(str(r[0]), bytes(r[1]), bytes(r[2]), str(r[3]), r[4] and str(r[4]))
        for r in rows
    ]
