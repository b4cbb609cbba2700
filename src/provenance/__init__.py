"""provenance: find where each passage of an outgoing document came from.

from provenance import index_store, check_file
index_store(Path("store"), Path("provenance.duckdb"))
checked = check_file(Path("plan.docx"), "C-1004", Path("provenance.duckdb"))
checked.result.verdict  # "clean" or "leak"
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # real imports for type checkers; at run time names load on first use
    from provenance.api import CheckedDocument, check_file, origin_of_text, source_texts
    from provenance.config import CheckParams, IndexParams
    from provenance.errors import (
        ConfigError,
        CorruptDocumentError,
        DocumentTooLargeError,
        EmptyStoreError,
        EncryptedDocumentError,
        ExtractionError,
        IndexDatabaseError,
        IndexLockedError,
        IndexMissingError,
        IndexParametersError,
        ManifestError,
        NoTextError,
        ProvenanceError,
        UnknownCaseError,
        UnsupportedFormatError,
    )
    from provenance.extract import extract_text
    from provenance.html_report import render_check_html
    from provenance.ingest import index_store
    from provenance.models import (
        CheckResult,
        Finding,
        IndexSummary,
        Match,
        RecordInfo,
        RunRecord,
        SourceSpan,
    )
    from provenance.origin import OriginHit
    from provenance.redact import RedactionSummary, redact_document
    from provenance.scan import ScanSummary, scan_store, with_texts

# Importing a submodule runs this file, so it imports nothing heavy itself: a
# pre-send `provenance check` of a .txt must not pay for PDF and Word parsers.
_LOCATIONS: dict[str, str] = {
    "CheckParams": "provenance.config",
    "CheckResult": "provenance.models",
    "CheckedDocument": "provenance.api",
    "ConfigError": "provenance.errors",
    "CorruptDocumentError": "provenance.errors",
    "DocumentTooLargeError": "provenance.errors",
    "EncryptedDocumentError": "provenance.errors",
    "ExtractionError": "provenance.errors",
    "Finding": "provenance.models",
    "IndexDatabaseError": "provenance.errors",
    "IndexLockedError": "provenance.errors",
    "IndexMissingError": "provenance.errors",
    "IndexParametersError": "provenance.errors",
    "IndexParams": "provenance.config",
    "IndexSummary": "provenance.models",
    "ManifestError": "provenance.errors",
    "EmptyStoreError": "provenance.errors",
    "Match": "provenance.models",
    "NoTextError": "provenance.errors",
    "OriginHit": "provenance.origin",
    "ProvenanceError": "provenance.errors",
    "RecordInfo": "provenance.models",
    "RedactionSummary": "provenance.redact",
    "RunRecord": "provenance.models",
    "ScanSummary": "provenance.scan",
    "SourceSpan": "provenance.models",
    "UnknownCaseError": "provenance.errors",
    "UnsupportedFormatError": "provenance.errors",
    "check_file": "provenance.api",
    "extract_text": "provenance.extract",
    "index_store": "provenance.ingest",
    "origin_of_text": "provenance.api",
    "redact_document": "provenance.redact",
    "render_check_html": "provenance.html_report",
    "scan_store": "provenance.scan",
    "source_texts": "provenance.api",
    "with_texts": "provenance.scan",
}


def __getattr__(name: str) -> Any:
    if name not in _LOCATIONS:
        raise AttributeError(f"module 'provenance' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LOCATIONS[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "CheckParams",
    "CheckResult",
    "CheckedDocument",
    "ConfigError",
    "CorruptDocumentError",
    "DocumentTooLargeError",
    "EmptyStoreError",
    "EncryptedDocumentError",
    "ExtractionError",
    "Finding",
    "IndexDatabaseError",
    "IndexLockedError",
    "IndexMissingError",
    "IndexParametersError",
    "IndexParams",
    "IndexSummary",
    "ManifestError",
    "Match",
    "NoTextError",
    "OriginHit",
    "ProvenanceError",
    "RecordInfo",
    "RedactionSummary",
    "RunRecord",
    "ScanSummary",
    "SourceSpan",
    "UnknownCaseError",
    "UnsupportedFormatError",
    "check_file",
    "extract_text",
    "index_store",
    "origin_of_text",
    "redact_document",
    "render_check_html",
    "scan_store",
    "source_texts",
    "with_texts",
]
