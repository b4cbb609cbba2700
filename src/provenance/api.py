"""The library's front door: one call per thing a user does.

The CLI and (later) the HTTP service are thin layers over these functions,
so both behave the same and both fail closed: every problem is raised as a
ProvenanceError subclass, never swallowed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from provenance.config import CheckParams, IndexParams
from provenance.errors import (
    ExtractionError,
    IndexDatabaseError,
    NoTextError,
    UnsupportedFormatError,
)
from provenance.extract import extract_text
from provenance.match import check_text
from provenance.models import CheckResult, ExtractedText
from provenance.origin import OriginHit, find_origin
from provenance.store import IndexStore, SharedReader


@dataclass(frozen=True)
class CheckedDocument:
    """A check's result with the text it was run on (reports quote from it)."""

    result: CheckResult
    extracted: ExtractedText


def init_index(
    db_path: Path, params: IndexParams | None = None, *, encrypt: bool = False
) -> Path | None:
    """Create an empty index and its secret key; returns the new key file, if one was made.

    `encrypt` makes the database file itself encrypted at rest (see store.py).

    Raises:
        IndexDatabaseError: an index already exists at `db_path`.
    """
    if db_path.exists():
        raise IndexDatabaseError(f"An index already exists at {db_path}; it was left as it is.")
    with IndexStore.open_for_writing(db_path, params or IndexParams(), encrypt=encrypt) as store:
        return store.created_key_file


@contextmanager
def _reading(db_path: Path, reader: SharedReader | None) -> Iterator[IndexStore]:
    """The shared reader when one is given for this index, else a reader of our own."""
    if reader is not None and reader.path == db_path:
        with reader.store() as store:
            yield store
    else:
        with IndexStore.open_for_reading(db_path) as store:
            yield store


_UNREAD_FILE = "attachment not read: "  # extract.attached_text's warning


def check_file(
    document: Path,
    case_id: str,
    db_path: Path,
    params: CheckParams | None = None,
    *,
    reader: SharedReader | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    timeout: float | None = None,
) -> CheckedDocument:
    """Check the file `document`, about to be sent to `case_id`'s family.

    `reader` is a long-running caller's open index (the service); without
    it the index is opened for this one check. `on_progress(done, total)`
    follows the windows of a long document (`match.check_text`). `timeout`:
    seconds from now after which the check stops (`check_text`'s deadline).

    Raises:
        ExtractionError: the document cannot be read (it must not be sent
            unchecked), or a file attached inside it cannot be.
        NoTextError: the document has no text (a scanned image cannot be cleared).
        IndexDatabaseError: the index is missing, locked or unusable.
        UnknownCaseError: the index holds no record of `case_id`.
        CheckTimeoutError: the check ran past `timeout`.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    if document.suffix.lower() == ".eml":
        raise UnsupportedFormatError(
            f"{document} is an e-mail: a single-document check would read its body and not "
            f"its attachments. Use `provenance check-eml {document} --case {case_id}`.",
            reason="e-mail: use check-eml",
        )
    extracted = extract_text(document)
    if not extracted.text.strip():
        raise NoTextError(
            f"{document} has no text to check (a scanned image?); it cannot be cleared."
        )
    unread = [warning for warning in extracted.warnings if _UNREAD_FILE in warning]
    if unread:
        # A file inside the document (an Outlook message's or a PDF's attachment)
        # that could not be read would go out unchecked: fail closed, as check-eml does.
        raise ExtractionError(
            f"{document}: {unread[0]}; a file inside it could not be checked, so the "
            "document cannot be cleared. Remove that file, or send it separately once "
            "it can be checked.",
            reason="a file inside it could not be checked",
        )
    with _reading(db_path, reader) as store:
        result = check_text(
            store,
            extracted.text,
            str(document),
            case_id,
            params or CheckParams(),
            on_progress=on_progress,
            deadline=deadline,
        )
    warnings = (*extracted.warnings, *result.warnings)
    return CheckedDocument(result=replace(result, warnings=warnings), extracted=extracted)


def source_texts(
    result: CheckResult, db_path: Path, *, reader: SharedReader | None = None
) -> dict[str, str]:
    """The text of each record a check matched, read from the store now.

    The index holds no text; reports that quote the source read it from the
    store folder the index was built from. A record whose file has gone or
    cannot be read is left out (the report says the text is not available).
    """
    from provenance.discover import safe_store_file  # not on the plain check path

    with _reading(db_path, reader) as store:
        store_root = store.store_root()
    if store_root is None:
        return {}
    texts: dict[str, str] = {}
    for match in result.matches:
        source = match.source
        if source.record_id in texts:
            continue
        file, _ = safe_store_file(store_root, source.path)
        if file is None:
            continue
        try:
            texts[source.record_id] = extract_text(file).text
        except ExtractionError:
            continue
    return texts


def origin_of_text(
    text: str,
    db_path: Path,
    params: CheckParams | None = None,
    *,
    reader: SharedReader | None = None,
) -> list[OriginHit]:
    """Every indexed record holding `text`, earliest date first."""
    with _reading(db_path, reader) as store:
        return find_origin(store, text, params or CheckParams())
