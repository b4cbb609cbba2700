"""The public API is what `provenance/__init__` exports; changing it is deliberate."""

from __future__ import annotations

import provenance
from provenance.errors import ProvenanceError

EXPECTED = {
    "CheckParams", "CheckResult", "CheckedDocument", "ConfigError", "CorruptDocumentError",
    "DocumentTooLargeError", "EmptyStoreError", "EncryptedDocumentError", "ExtractionError",
    "Finding",
    "IndexDatabaseError", "IndexLockedError", "IndexMissingError", "IndexParametersError",
    "IndexParams", "IndexSummary", "ManifestError", "Match", "NoTextError", "OriginHit",
    "ProvenanceError", "RecordInfo", "RedactionSummary", "RunRecord", "ScanSummary",
    "SourceSpan", "UnknownCaseError", "UnsupportedFormatError", "check_file", "extract_text",
    "index_store", "origin_of_text", "redact_document", "render_check_html", "scan_store",
    "source_texts", "with_texts",
}  # fmt: skip


def test_exports_are_locked() -> None:
    assert set(provenance.__all__) == EXPECTED
    for name in EXPECTED:
        assert hasattr(provenance, name)


def test_every_error_is_a_provenance_error() -> None:
    errors = [getattr(provenance, n) for n in EXPECTED if n.endswith("Error")]
    assert errors and all(issubclass(error, ProvenanceError) for error in errors)
