"""Small frozen dataclasses passed between the stages of the pipeline.

Stages exchange these, never positional tuples or loose dicts, so a field's
meaning is written once, here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# same_family: from a case the manifest links to the text's as one family (families.py).
MatchStatus = Literal["cross_case", "same_case", "same_family", "boilerplate"]
# Most serious first: which status a passage keeps (passages.py) and the order a report lists.
STATUS_RANK: dict[MatchStatus, int] = {
    "cross_case": 0,
    "same_case": 1,
    "same_family": 2,
    "boilerplate": 3,
}
Verdict = Literal["clean", "leak"]


@dataclass(frozen=True)
class ExtractedText:
    """Text pulled out of one file.

    `text` is what gets indexed and what every character offset refers to:
    for .txt/.md it is exactly the decoded file; for other formats it is the
    extracted text that `provenance text FILE` prints.
    """

    text: str
    format: str  # "txt", "md", "docx", "pdf", "eml", "html", "...
    encoding: str | None = None  # for text files: the encoding used to decode
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordInfo:
    """One record of the document store, as the manifest or folder layout says."""

    record_id: str
    case_id: str
    path: str  # relative to the store root, with forward slashes
    kind: str
    date: str  # ISO 8601 date (or date-time)
    title: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceSpan:
    """Where a matched passage sits in an indexed record."""

    record_id: str
    case_id: str
    path: str
    kind: str
    date: str
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    """One passage of the checked text that also appears in an indexed record.

    `start`/`end` index into the checked text; `source` locates the passage in
    the record it most likely came from. `similarity` is 0..1 over the words
    of the two passages (1.0 = same words in the same order).
    """

    start: int
    end: int
    text: str
    similarity: float
    status: MatchStatus
    source: SourceSpan
    matched_words: int = 0
    other_sources: tuple[SourceSpan, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one outgoing document for one case."""

    document: str
    case_id: str
    verdict: Verdict
    matches: tuple[Match, ...]
    # What reading the file found that a reviewer must know: a page with no text
    # layer, an embedded object not read, tracked deletions (ExtractedText.warnings).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileProblem:
    """A file that was skipped, and why, for the run summary."""

    path: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class IndexSummary:
    """What one `provenance index` run did."""

    added: int
    changed: int
    unchanged: int
    removed: int
    failed: tuple[FileProblem, ...]
    warnings: tuple[FileProblem, ...]
    passages_indexed: int
    seconds: float
    key_created: str | None = None  # a new index's new secret key file, to be backed up
    # Cases the manifest's family column links (families.py), and the families they make.
    linked_cases: int = 0
    families: int = 0


@dataclass(frozen=True)
class Finding:
    """A passage one case's record shares with another case's record (a scan result).

    The earlier-dated record is the origin and the later one the copy; when the
    dates are equal `order_undecided` is True and the roles are nominal.
    `copy_text`/`origin_text` are read from the store at report time (the index
    holds no text) and are empty if the file can no longer be read.
    """

    copy: SourceSpan
    origin: SourceSpan
    similarity: float
    matched_words: int
    order_undecided: bool
    first_run_id: int
    copy_text: str = ""
    origin_text: str = ""


@dataclass(frozen=True)
class RunRecord:
    """One scan run as the ledger recorded it."""

    run_id: int
    started_at: str
    finished_at: str | None
    status: str  # running, succeeded, failed, interrupted
    full_audit: bool
    added: int
    changed: int
    removed: int
    failed: int
    audited: int
    new_findings: int
    message: str
