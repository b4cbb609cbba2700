"""provenance: find where each passage of an outgoing document came from.

from provenance import index_store, check_file
index_store(Path("store"), Path("provenance.duckdb"))
checked = check_file(Path("plan.docx"), "C-1004", Path("provenance.duckdb"))
checked.result.verdict  # "clean" or "leak"
"""

from provenance.api import CheckedDocument, check_file, origin_of_text, source_texts
from provenance.config import CheckParams, IndexParams
from provenance.errors import (
    ConfigError,
    CorruptDocumentError,
    DocumentTooLargeError,
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
from provenance.match import OriginHit
from provenance.models import (
    CheckResult,
    Finding,
    IndexSummary,
    Match,
    RecordInfo,
    RunRecord,
    SourceSpan,
)
from provenance.redact import RedactionSummary, redact_document
from provenance.scan import ScanSummary, scan_store, with_texts

__all__ = [
    "CheckParams",
    "CheckResult",
    "CheckedDocument",
    "ConfigError",
    "CorruptDocumentError",
    "DocumentTooLargeError",
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
