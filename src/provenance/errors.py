"""Every error provenance raises, under one base class.

A pre-send gate must fail closed, so library code raises and never returns
None on failure; only the CLI turns these into messages and exit codes.

    ProvenanceError
    ├── ConfigError                 a parameter is out of range
    ├── ExtractionError             a file could not be turned into text
    │   ├── UnsupportedFormatError      not .txt/.md/.docx/.pdf/.eml
    │   ├── EncryptedDocumentError      password-protected .pdf/.docx
    │   ├── DocumentTooLargeError       over a size/inflation limit (zip bomb)
    │   ├── CorruptDocumentError        malformed file, or binary named .txt
    │   └── NoTextError                 parses, but holds no text (scanned image)
    ├── ManifestError               STORE/manifest.csv is unusable
    ├── EmptyStoreError             the store lists no record, the index holds some
    ├── IndexDatabaseError          the DuckDB index is missing or unusable
    │   ├── IndexMissingError           no index at that path
    │   ├── IndexLockedError            another index/scan run holds the writer lock
    │   ├── IndexParametersError        built with other parameters or schema
    │   ├── IndexKeyError               the secret key is missing or unusable
    │   │   └── KeyMismatchError            not the key the index was built with
    │   └── DiskSpaceError              too little free disk to write safely
    ├── UnknownCaseError            check --case names a case the index lacks
    ├── AuditLogError               the audit log beside the index cannot be written
    ├── TokenError                  an API token name is invalid, taken or unknown
    └── OutboxError                 `watch` cannot use the outgoing folder

This module imports nothing from provenance so any module may import it.
"""

from __future__ import annotations


class ProvenanceError(Exception):
    """Base class of every error raised by provenance."""


class ConfigError(ProvenanceError):
    """A parameter is invalid; the message says which and what is allowed."""


class ExtractionError(ProvenanceError):
    """A file could not be turned into text.

    `reason` is a short phrase a reviewer understands ("encrypted PDF"),
    used in run summaries: "could not be checked: encrypted PDF".
    """

    reason = "could not be read"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class UnsupportedFormatError(ExtractionError):
    reason = "unsupported file type"


class EncryptedDocumentError(ExtractionError):
    reason = "password-protected or encrypted"


class DocumentTooLargeError(ExtractionError):
    reason = "too large"


class CorruptDocumentError(ExtractionError):
    reason = "damaged or not the format its name says"


class NoTextError(ExtractionError):
    reason = "no text found (a scanned image?)"


class ManifestError(ProvenanceError):
    """The store's manifest.csv cannot be used at all (bad header, not CSV)."""


class EmptyStoreError(ProvenanceError):
    """The store lists no record while the index holds some: an unmounted
    share or a header-only export, which an index run would take as every
    record deleted."""


class IndexDatabaseError(ProvenanceError):
    """The DuckDB index cannot be used."""


class IndexMissingError(IndexDatabaseError):
    """No index exists at the given path; run `provenance index STORE` first."""


class IndexLockedError(IndexDatabaseError):
    """Another `index` or `scan` run is writing the index."""


class IndexParametersError(IndexDatabaseError):
    """The index was built with other parameters or an older schema."""


class IndexKeyError(IndexDatabaseError):
    """The index's secret key is missing, unreadable, exposed or malformed."""


class KeyMismatchError(IndexKeyError):
    """The key given is not the one the index was built with."""


class DiskSpaceError(IndexDatabaseError):
    """Free disk space is below what a safe write of the index needs."""


class CheckTimeoutError(ProvenanceError):
    """A check ran past the time its caller allowed; the document is not cleared."""


class UnknownCaseError(ProvenanceError):
    """The case named for a check has no records in the index."""


class AuditLogError(ProvenanceError):
    """The audit log (a SQLite file beside the index) cannot be opened or written.

    A check that cannot be recorded is not cleared: the gate fails closed.
    """


class TokenError(ProvenanceError):
    """An API token cannot be added or revoked (bad or taken name, no such token)."""


class OutboxError(ProvenanceError):
    """The outgoing folder `watch` was given cannot be used (missing, locked, bad manifest)."""
