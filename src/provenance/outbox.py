"""`watch`: check every file dropped into an outgoing folder; clear it or hold it.

Layout of OUTBOX (the names `cleared`, `held` and `.work` are reserved):

    --case-from folder     OUTBOX/<case_id>/<file>
    --case-from manifest   OUTBOX/<file>, and OUTBOX/manifest.csv with the columns
                           `file,case_id` (file: a name in OUTBOX, no folders)

    OUTBOX/cleared/<case_id>/<file>    no passage from another case: may be sent
    OUTBOX/held/<case_id>/<file>       a leak, or it could not be checked: do not send
    beside each: <file>.report.json (and <file>.report.html when it was checked)

An e-mail draft (.eml) is checked as `check-eml` does: body and every attachment,
held unless every part is clean; its report is the `check-eml --json` object.

Restart safety: a file is first claimed by an atomic rename into
OUTBOX/.work/<case_id>/, then checked, its reports written, and only then
renamed into cleared/ or held/. The document's last rename is the commit: a
crash at any point leaves the file either where it was dropped or in .work/,
where the next sweep finds and re-checks it. A file is never lost, and never
reaches cleared/ twice. Any error holds the file (fail closed). One watcher
per outbox at a time (a lock file in .work/ enforces it).
"""

from __future__ import annotations

import csv
import fcntl
import json
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from provenance.api import source_texts
from provenance.discover import header_key
from provenance.errors import OutboxError, ProvenanceError
from provenance.gate import Caller, check_logged, failure_kind
from provenance.mailcheck import check_message, message_to_json
from provenance.report import check_to_json

CaseFrom = Literal["folder", "manifest"]
MANIFEST = "manifest.csv"
RESERVED = frozenset({"cleared", "held", ".work"})
_CASE_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_REPORT_SUFFIXES = (".report.json", ".report.html")
_UNKNOWN_CASE = "_no_case"


@dataclass(frozen=True)
class OutboxItem:
    """What happened to one file."""

    name: str
    case_id: str | None
    outcome: Literal["cleared", "held"]
    verdict: str  # clean, leak, not checked
    destination: Path
    reason: str


def sweep(
    outbox: Path,
    case_from: CaseFrom,
    db_path: Path,
    caller: Caller,
    *,
    settle_seconds: float = 2.0,
    images_up_to_kb: int = 0,
) -> list[OutboxItem]:
    """One pass: finish files a crashed pass left in .work/, then take new ones.

    Files changed less than `settle_seconds` ago are left for the next pass
    (they may still be being written). Raises OutboxError if the outbox is not
    a folder or another watcher holds it. `images_up_to_kb`: images in an
    e-mail draft let through unread (`mailcheck.check_message`).
    """
    if not outbox.is_dir():
        raise OutboxError(f"{outbox} is not a folder; create it or pass the outgoing folder.")
    work = outbox / ".work"
    work.mkdir(exist_ok=True)
    done: list[OutboxItem] = []
    with _exclusive(work / ".lock"):
        for claimed in _claimed_files(work):
            done.append(
                _process_or_leave(
                    outbox, claimed, claimed.parent.name, db_path, caller, images_up_to_kb
                )
            )
        cutoff = time.time() - settle_seconds
        for file, case_id in _new_files(outbox, case_from):
            try:
                if file.stat().st_mtime > cutoff:
                    continue
            except FileNotFoundError:
                continue
            if case_id is None or not _CASE_FOLDER.fullmatch(case_id):
                why = (
                    "its case is not named in manifest.csv"
                    if case_id is None
                    else (f"the case id {case_id!r} cannot be used as a folder name")
                )
                done.append(_hold_unchecked(outbox, file, why))
                continue
            claimed = _unique(work / case_id / file.name)
            claimed.parent.mkdir(exist_ok=True)
            try:
                file.rename(claimed)  # atomic: the claim
            except FileNotFoundError:
                continue  # taken by someone else or deleted meanwhile
            _own_copy(claimed)
            done.append(
                _process_or_leave(outbox, claimed, case_id, db_path, caller, images_up_to_kb)
            )
    return done


def _own_copy(claimed: Path) -> None:
    """Give a claimed file that has other hard links a copy of its own.

    Through another link its content could be changed after it was checked
    and cleared: the file in cleared/ would then carry text nobody checked.
    """
    if claimed.stat().st_nlink > 1:
        copy = claimed.with_name(claimed.name + ".copy")
        shutil.copyfile(claimed, copy)
        copy.replace(claimed)


def _process_or_leave(
    outbox: Path, claimed: Path, case_id: str, db_path: Path, caller: Caller, images_up_to_kb: int
) -> OutboxItem:
    """`_process`, or, when even holding the file fails (a full disk, a folder
    made read-only), the file left in .work/ to be tried again next pass: one
    such file must not stop the pass for every other file."""
    try:
        return _process(outbox, claimed, case_id, db_path, caller, images_up_to_kb)
    except OSError as error:
        reason = f"could not be moved out of {claimed.parent}: {error.strerror or error}"
        return OutboxItem(claimed.name, case_id, "held", "not checked", claimed, reason)


def _process(
    outbox: Path, claimed: Path, case_id: str, db_path: Path, caller: Caller, images_up_to_kb: int
) -> OutboxItem:
    """Check a claimed file, write its reports, then move it: the move is the commit."""
    if claimed.suffix.lower() == ".eml":
        return _process_message(outbox, claimed, case_id, db_path, caller, images_up_to_kb)
    try:
        checked = check_logged(claimed, case_id, db_path, caller, document_name=claimed.name)
        result = checked.result
        outcome: Literal["cleared", "held"] = "cleared" if result.verdict == "clean" else "held"
        target = _unique(outbox / outcome / case_id / claimed.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {**check_to_json(result), "document": claimed.name, "outcome": outcome}
        from provenance.html_report import render_check_html

        html = render_check_html(result, checked.extracted.text, source_texts(result, db_path))
        _write(target.with_name(target.name + ".report.json"), json.dumps(payload, indent=2))
        _write(target.with_name(target.name + ".report.html"), html)
        claimed.rename(target)
        leaks = sum(m.status == "cross_case" for m in result.matches)
        reason = f"{leaks} passage(s) from another case" if leaks else ""
        return OutboxItem(claimed.name, case_id, outcome, result.verdict, target, reason)
    except Exception as error:  # fail closed: anything unexpected holds the file
        message = str(error) if isinstance(error, ProvenanceError) else failure_kind(error)
        return _hold_unchecked(outbox, claimed, message, case_id)


def _process_message(
    outbox: Path, claimed: Path, case_id: str, db_path: Path, caller: Caller, images_up_to_kb: int
) -> OutboxItem:
    """An e-mail draft: its body and every attachment (check-eml); one JSON report."""
    try:
        result = check_message(claimed, case_id, db_path, caller, images_up_to_kb=images_up_to_kb)
        outcome: Literal["cleared", "held"] = "cleared" if result.verdict == "clean" else "held"
        target = _unique(outbox / outcome / case_id / claimed.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {**message_to_json(result), "message": claimed.name, "outcome": outcome}
        _write(target.with_name(target.name + ".report.json"), json.dumps(payload, indent=2))
        claimed.rename(target)
        problems = [p.name for p in result.parts if p.verdict not in ("clean", "not read")]
        unread = [p.name for p in result.parts if p.verdict == "not read"]
        notes = []
        if problems:
            notes.append(f"part(s) not clean: {', '.join(problems)}")
        if unread:
            notes.append(f"image(s) let through unread: {', '.join(unread)}")
        reason = "; ".join(notes)
        return OutboxItem(claimed.name, case_id, outcome, result.verdict, target, reason)
    except Exception as error:  # fail closed
        message = str(error) if isinstance(error, ProvenanceError) else failure_kind(error)
        return _hold_unchecked(outbox, claimed, message, case_id)


def _hold_unchecked(
    outbox: Path, file: Path, reason: str, case_id: str | None = None
) -> OutboxItem:
    target = _unique(outbox / "held" / (case_id or _UNKNOWN_CASE) / file.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = {"document": file.name, "case_id": case_id, "verdict": "not checked",
               "outcome": "held", "reason": reason}  # fmt: skip
    _write(target.with_name(target.name + ".report.json"), json.dumps(payload, indent=2))
    file.rename(target)
    return OutboxItem(file.name, case_id, "held", "not checked", target, reason)


def _new_files(outbox: Path, case_from: CaseFrom) -> Iterator[tuple[Path, str | None]]:
    if case_from == "folder":
        for folder in sorted(outbox.iterdir()):
            usable = folder.is_dir() and not folder.is_symlink() and _visible(folder.name)
            if usable and folder.name not in RESERVED:
                yield from ((file, folder.name) for file in _droppable(folder))
        return
    cases = _read_manifest(outbox / MANIFEST)
    for file in _droppable(outbox):
        if file.name != MANIFEST:
            yield file, cases.get(file.name)


def _read_manifest(manifest: Path) -> dict[str, str]:
    """file name -> case id; a missing manifest maps nothing (every file is held)."""
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            reader.fieldnames = [header_key(name) for name in reader.fieldnames or []]
            if not {"file", "case_id"} <= set(reader.fieldnames):
                raise OutboxError(
                    f"{manifest} needs the columns file,case_id (one row per dropped file)."
                )
            return {
                row["file"].strip(): row["case_id"].strip()
                for row in reader
                if row.get("file") and row.get("case_id")
            }
    except FileNotFoundError:
        return {}


def _droppable(folder: Path) -> list[Path]:
    """Regular files someone dropped, not temporary files of editors or copiers."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.is_symlink()
        and _visible(path.name)
        and not path.name.endswith((".tmp", ".part", ".crdownload"))
    )


def _claimed_files(work: Path) -> list[Path]:
    return sorted(
        file
        for folder in work.iterdir()
        if folder.is_dir()
        for file in folder.iterdir()
        if file.is_file()
    )


def _visible(name: str) -> bool:
    return not name.startswith((".", "~$"))


# Names of up to 255 bytes are all most file systems allow; a document's
# reports add ".report.html.tmp", and a repeated name " (NN)".
_LONGEST_NAME_BYTES = 255 - len(".report.html.tmp") - len(" (99)")


def _unique(path: Path) -> Path:
    """`path`, or `name (2).ext`, ... if a document of that name is already there.

    A name too long to take its reports beside it is shortened (its end kept):
    otherwise writing the report failed, the document stayed claimed, and
    every later pass stopped at it, holding up the whole outbox.
    """
    path = path.with_name(_fitting(path.name))
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
    return candidate


def _fitting(name: str) -> str:
    """`name`, or its first part cut so that the whole is short enough, with "~"
    where it was cut and the extension kept.

    >>> _fitting("plan.docx")
    'plan.docx'
    >>> len(_fitting("x" * 300 + ".docx").encode()), _fitting("x" * 300 + ".docx")[-7:]
    (234, 'x~.docx')
    """
    if len(name.encode()) <= _LONGEST_NAME_BYTES:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 16 else ""
    stem = name[: len(name) - len(suffix)]
    room = _LONGEST_NAME_BYTES - len(suffix.encode()) - 1
    cut = stem.encode()[:room].decode("utf-8", errors="ignore")
    return f"{cut}~{suffix}"


def _write(path: Path, text: str) -> None:
    """Write whole or not at all (a temporary name, then an atomic rename)."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    with lock_file.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutboxError(
                f"Another `provenance watch` is working on this outbox ({lock_file})."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
