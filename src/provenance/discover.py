"""Which files make up a document store, and what each record is.

`STORE/manifest.csv` (an export from a case-management system) is
authoritative when present; otherwise the layout `STORE/<case_id>/**/<file>`
says whose case a file belongs to. Nothing outside STORE is ever read: rows
with absolute paths, `..`, or symlinks that leave the store are reported and
skipped before any file is opened.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import os
import re
import stat
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from provenance.errors import ManifestError
from provenance.extract import SUPPORTED_SUFFIXES
from provenance.models import FileProblem, RecordInfo

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("path", "case_id", "record_id", "kind", "date", "title")
# Columns a manifest must have; without the others, each record's id is its path and
# its kind, date and title come from its file as in the folder layout.
REQUIRED_COLUMNS = ("path", "case_id")

# Words in a file's name, then its folders', that say what kind of record it is
# (folder layout only); separators are read as "_", the first hint found wins.
_KIND_HINTS = (
    ("strategy", "strategy_meeting"),
    ("core_group", "core_group_minutes"),
    ("coregroup", "core_group_minutes"),
    ("protection_plan", "child_protection_plan"),
    ("cpp", "child_protection_plan"),
    ("plan", "child_protection_plan"),
    ("conference", "child_protection_conference"),
    ("referral", "referral"),
    ("mash", "mash_notification"),
    ("assessment", "assessment"),
    ("police", "police_notification"),
    ("notification", "police_notification"),
    ("case_note", "case_note"),
    ("casenote", "case_note"),
    ("visit", "home_visit"),
    ("chronology", "chronology"),
    ("school", "school_update"),
    ("health", "health_update"),
    ("minutes", "meeting_minutes"),
    ("letter", "letter"),
    ("report", "report"),
)
# A date written in a file's name: 2026-03-04, 2026_03_04, 20260304, or day first
# as UK files often are (04-03-2026, 04.03.2026).
_NAME_DATES = (
    (re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)"), (3, 2, 1)),
)


@dataclass(frozen=True)
class StoreEntry:
    """A record to index: what it is, and the checked file it lives in."""

    info: RecordInfo
    file: Path


@dataclass(frozen=True)
class Discovery:
    """The records found in a store, and what was skipped or doubtful."""

    entries: tuple[StoreEntry, ...]
    problems: tuple[FileProblem, ...]  # skipped: never read
    warnings: tuple[FileProblem, ...]  # read, but worth a look


def discover_store(store_root: Path) -> Discovery:
    """Find the records of the store at `store_root`.

    Raises:
        ManifestError: manifest.csv exists but cannot be used at all.
        FileNotFoundError: `store_root` is not a directory.
    """
    if not store_root.is_dir():
        raise FileNotFoundError(f"The store {store_root} is not a folder.")
    manifest = store_root / MANIFEST_NAME
    if manifest.exists():
        return _from_manifest(store_root, manifest)
    return _from_folders(store_root)


class FolderResolver:
    """Resolves paths under one root, remembering each folder's resolved path.

    A store of 100,000 files has a few hundred folders: resolving every file's
    full path (an lstat per component) dominated the nightly run. Folders are
    resolved once per discovery; each file costs one lstat, which also serves
    as its stat, and a file that is itself a symlink is resolved in full.
    Paths are handled as strings: Path objects cost more than the system
    calls here. Make a new one per run: it trusts that folders do not change
    while it lives.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        root_text = str(self.root)
        self._root_prefix = root_text if root_text.endswith(os.sep) else root_text + os.sep
        self._folders: dict[tuple[str, ...], str] = {}

    def resolve(self, parts: tuple[str, ...]) -> Path:
        """`root/parts` with symlinks followed (as Path.resolve, non-strict)."""
        return Path(self.locate(parts)[0])

    def locate(self, parts: tuple[str, ...]) -> tuple[str, os.stat_result | None]:
        """`root/parts` with symlinks followed, and its stat when the lstat gave it
        (the file exists and is not a link); None when it must still be stat'ed."""
        name = parts[-1]
        candidate = self.unresolved(parts)
        if name in (".", ".."):
            return str(Path(candidate).resolve()), None
        try:
            info = os.lstat(candidate)
        except FileNotFoundError:
            return candidate, None
        if stat.S_ISLNK(info.st_mode):
            return str(Path(candidate).resolve()), None
        return candidate, info

    def unresolved(self, parts: tuple[str, ...]) -> str:
        """`root/parts` with the folders resolved but not the file itself (no system call
        once the folder is known)."""
        folder = self._folders.get(parts[:-1])
        if folder is None:
            folder = str(self.root.joinpath(*parts[:-1]).resolve())
            self._folders[parts[:-1]] = folder
        return os.path.join(folder, parts[-1])  # noqa: PTH118 (strings: see the class doc)

    def inside(self, resolved: str) -> bool:
        """Whether a resolved path is the root or under it."""
        return resolved == str(self.root) or resolved.startswith(self._root_prefix)


def safe_store_file(
    store_root: Path, relative: str, resolver: FolderResolver | None = None
) -> tuple[Path | None, str]:
    """The regular file `relative` names inside the store, or None and why it is refused.

    Checked on the path as resolved (symlinks followed), so a link anywhere in
    it that leads out of the store is refused. Only regular files pass: a pipe
    or device named in a manifest would block or stream forever when read.
    Pass one `resolver` for many files of the same store (a discovery run).
    """
    found, refusal = _store_file(relative, resolver or FolderResolver(store_root))
    return (None, refusal) if found is None else (Path(found), "")


def _store_file(relative: str, resolver: FolderResolver) -> tuple[str | None, str]:
    """`safe_store_file` with the path as a string (discovery makes 15,000 of them)."""
    if not relative.strip():
        return None, "empty path"
    if "\x00" in relative:
        return None, "path holds a NUL character"
    posix = relative.replace("\\", "/")
    if posix.startswith("/") or relative[1:3] == ":\\":
        return None, "absolute path: paths must be relative to the store"
    parts = tuple(part for part in posix.split("/") if part not in ("", "."))
    if ".." in parts:
        return None, "path leaves the store (..)"
    if not parts:
        return None, "is a folder, not a file"
    try:
        resolved, info = resolver.locate(parts)
        if not resolver.inside(resolved):
            return None, "symlink leaves the store"
        if info is None:
            info = os.stat(resolved)  # noqa: PTH116 (a string path: no Path object per file)
    except RuntimeError:  # Python 3.11 reports a symlink loop this way
        return None, "symlink loop"
    except (FileNotFoundError, NotADirectoryError):
        return None, "file missing"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, "symlink loop"
        return None, f"cannot be opened: {error.strerror or error}"
    if stat.S_ISDIR(info.st_mode):
        return None, "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file (a pipe, device or socket)"
    return resolved, ""


def _from_manifest(store_root: Path, manifest: Path) -> Discovery:
    rows, columns, problems = _read_manifest(store_root, manifest)
    resolver = FolderResolver(store_root)
    entries: list[StoreEntry] = []
    warnings = _absent_columns(columns)
    read_day_first: list[tuple[str, str]] = []  # (as written, as read)
    first_row_of: dict[str, int] = {}
    listed: set[str] = set()
    for row_number, row in rows:
        where = f"{MANIFEST_NAME} row {row_number}"
        relative = row.get("path", "")
        label = relative or where
        path = _posix_relative(relative)
        if "record_id" not in columns:
            row["record_id"] = path
        if not row.get("case_id") or not row.get("record_id"):
            problems.append(FileProblem(label, "manifest row without case_id or record_id", where))
            continue
        record_id = row["record_id"]
        if record_id in first_row_of:
            problems.append(
                FileProblem(
                    label,
                    f"duplicate record_id {record_id} (first on row {first_row_of[record_id]})",
                    where,
                )
            )
            continue
        first_row_of[record_id] = row_number
        file, refusal = _store_file(relative, resolver)
        if file is None:
            problems.append(FileProblem(label, refusal, where))
            continue
        listed.add(file)
        if "date" in columns:
            record_date = row.get("date", "")
            day_first = None if _is_iso_date(record_date) else _day_first_date(record_date)
            if day_first is not None:
                read_day_first.append((record_date, day_first))
                record_date = day_first
            elif not _is_iso_date(record_date):
                warnings.append(
                    FileProblem(label, f"date {record_date!r} is not ISO 8601 (YYYY-MM-DD)", where)
                )
        else:
            record_date = _date_of_file(PurePosixPath(path).name, Path(file))
        extra = {k: v for k, v in row.items() if k and k not in MANIFEST_COLUMNS}
        info = RecordInfo(
            record_id=record_id,
            case_id=row["case_id"],
            path=path,
            kind=row.get("kind") or _kind_from_name(path, whole=True),
            date=record_date,
            title=row.get("title", "") if "title" in columns else PurePosixPath(path).stem,
            metadata=extra,
        )
        entries.append(StoreEntry(info, Path(file)))
    if read_day_first:
        written, read = read_day_first[0]
        warnings.append(
            FileProblem(
                MANIFEST_NAME,
                f"{len(read_day_first)} date(s) written day first, as UK records write them, "
                f"were read as such ({written!r} as {read})",
            )
        )
    unlisted = [
        parts
        for parts in _walk_relative(store_root)
        if parts[-1] != MANIFEST_NAME and not _is_listed(resolver, parts, listed)
    ]
    if unlisted:
        names = ", ".join("/".join(parts) for parts in unlisted[:3])
        more = f" and {len(unlisted) - 3} more" if len(unlisted) > 3 else ""
        warnings.append(
            FileProblem(
                MANIFEST_NAME,
                f"{len(unlisted)} file(s) not listed, so not indexed: {names}{more}",
            )
        )
    return Discovery(tuple(entries), tuple(problems), tuple(warnings))


def _absent_columns(columns: frozenset[str]) -> list[FileProblem]:
    """A warning naming the optional columns the manifest lacks, and what
    stands in for each."""
    instead = {
        "record_id": "record ids are the paths",
        "kind": "kinds are guessed from file and folder names",
        "date": "dates are taken from file names, else the files' modification dates",
        "title": "titles are the file names",
    }
    absent = [name for name in instead if name not in columns]
    if not absent:
        return []
    return [
        FileProblem(
            MANIFEST_NAME,
            f"no {_either_of(absent)} column: " + "; ".join(instead[name] for name in absent),
        )
    ]


def _either_of(names: list[str]) -> str:
    """Names joined for a sentence.

    >>> _either_of(["kind"]), _either_of(["kind", "date", "title"])
    ('kind', 'kind, date or title')
    """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _date_of_file(name: str, file: Path) -> str:
    """The date in a file's name as the store lists it, else the file's
    modification date (ISO 8601)."""
    named = _date_in_name(name)
    if named is not None:
        return named
    return datetime.fromtimestamp(file.stat().st_mtime, tz=UTC).date().isoformat()


_ManifestRow = tuple[int, dict[str, str]]


def header_key(name: str) -> str:
    """A CSV header as this project spells column names: lower case, words
    joined by "_" ("Case ID", "case-id" and " CASE_ID " are all "case_id").

    >>> header_key(" Record-Id "), header_key("Case ID")
    ('record_id', 'case_id')
    """
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def column_name(name: str) -> str:
    """A manifest header's name as this project spells its columns when it is
    one of them written another way (`header_key`); any other name as
    written, stripped (kept as record metadata).

    >>> column_name("Case ID"), column_name("Social worker")
    ('case_id', 'Social worker')
    """
    spelled = header_key(name)
    return spelled if spelled in MANIFEST_COLUMNS else name.strip()


def _read_manifest(
    store_root: Path, manifest: Path
) -> tuple[list[_ManifestRow], frozenset[str], list[FileProblem]]:
    """The manifest's rows (with their line numbers), the project's columns
    it has (`MANIFEST_COLUMNS`), and rows refused outright.

    Raises:
        ManifestError: not a readable file inside the store, not UTF-8/UTF-16
            text, not CSV, empty, without the required columns, or with one
            of them twice.
    """
    text = _manifest_text(store_root, manifest)
    if not text.strip():
        raise ManifestError(
            f"{manifest} is empty: it needs a header row with at least "
            f"{','.join(REQUIRED_COLUMNS)} and one row per record."
        )
    rows: list[_ManifestRow] = []
    problems: list[FileProblem] = []
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        written = [name.strip() for name in reader.fieldnames or []]
        header = [column_name(name) for name in written]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise ManifestError(
                f"{manifest} lacks the column(s) {', '.join(missing)}; the header must "
                f"include {','.join(REQUIRED_COLUMNS)} and may have "
                f"{','.join(MANIFEST_COLUMNS[2:])} (found: {','.join(written)[:200]})."
            )
        twice = sorted(
            {name for name in header if name in MANIFEST_COLUMNS and header.count(name) > 1}
        )
        if twice:
            raise ManifestError(
                f"{manifest} has the column(s) {', '.join(twice)} more than once "
                f"(found: {','.join(written)[:200]}); keep one of each."
            )
        reader.fieldnames = header
        for row in reader:
            row_number = reader.line_num
            if None in row:  # more fields than the header has names for
                where = f"{MANIFEST_NAME} row {row_number}"
                label = str(row.get("path") or where)
                problems.append(
                    FileProblem(
                        label,
                        "manifest row has more fields than the header (a comma in a "
                        "value that is not in quotes?)",
                        where,
                    )
                )
                continue
            rows.append(
                (row_number, {(k or "").strip(): (v or "").strip() for k, v in row.items()})
            )
    except csv.Error as error:
        raise ManifestError(
            f"{manifest} is not valid CSV ({error}); export it again as CSV."
        ) from error
    return rows, frozenset(header) & frozenset(MANIFEST_COLUMNS), problems


def _manifest_text(store_root: Path, manifest: Path) -> str:
    """The manifest decoded: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Other encodings are refused rather than guessed: a wrongly decoded path
    names the wrong file, or none.
    """
    resolved = manifest.resolve()
    if not resolved.is_relative_to(store_root.resolve()):
        raise ManifestError(f"{manifest} is a link to a file outside the store; copy it in.")
    if not resolved.is_file():
        raise ManifestError(f"{manifest} is not a regular file.")
    try:
        data = resolved.read_bytes()
    except OSError as error:
        raise ManifestError(f"{manifest} could not be read: {error.strerror or error}") from error
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ManifestError(
            f"{manifest} is not {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} text "
            f"(byte 0x{data[error.start]:02x} on line {line}): save it as "
            "'CSV UTF-8' (in Excel: Save As, CSV UTF-8) and re-run."
        ) from error


def _from_folders(store_root: Path) -> Discovery:
    entries: list[StoreEntry] = []
    problems: list[FileProblem] = []
    for path in _walk_files(store_root):
        relative = path.relative_to(store_root).as_posix()
        if len(PurePosixPath(relative).parts) < 2:
            problems.append(FileProblem(relative, "not inside a case folder (STORE/<case_id>/)"))
            continue
        file, refusal = safe_store_file(store_root, relative)
        if file is None:
            problems.append(FileProblem(relative, refusal))
            continue
        if file.suffix.lower() not in SUPPORTED_SUFFIXES:
            problems.append(FileProblem(relative, f"unsupported file type {file.suffix or '?'}"))
            continue
        info = RecordInfo(
            record_id=relative,
            case_id=PurePosixPath(relative).parts[0],
            path=relative,
            kind=_kind_from_name(relative),
            date=_date_of_file(path.name, file),
            title=path.stem,
        )
        entries.append(StoreEntry(info, file))
    return Discovery(tuple(entries), tuple(problems), _one_case_of_folders(entries))


def _one_case_of_folders(entries: list[StoreEntry]) -> tuple[FileProblem, ...]:
    """A warning when the folder layout files every record under one case
    whose files lie in several folders: most likely STORE is the folder
    above the case folders ("Cases/C-1/...", "Cases/C-2/..."), so each
    check of C-1 would find no case C-1."""
    cases = {entry.info.case_id for entry in entries}
    inner = {
        PurePosixPath(entry.info.path).parts[1]
        for entry in entries
        if len(PurePosixPath(entry.info.path).parts) > 2
    }
    if len(cases) != 1 or len(inner) < 2:
        return ()
    (case,) = cases
    examples = ", ".join(sorted(inner)[:3])
    return (
        FileProblem(
            case,
            f"every record is filed under one case, {case!r}, in folders such as "
            f"{examples}: if those are the cases, index {case}/ as the store instead",
        ),
    )


def _walk_files(store_root: Path) -> list[Path]:
    """Files under the store, hidden ones skipped, symlinked folders not followed."""
    return [store_root.joinpath(*parts) for parts in _walk_relative(store_root)]


def _walk_relative(store_root: Path) -> list[tuple[str, ...]]:
    """`_walk_files` as path parts relative to the store (no Path object per file)."""
    found: list[tuple[str, ...]] = []
    root = str(store_root)
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        prefix = Path(folder).relative_to(root).parts  # one per folder, not per file
        found.extend((*prefix, name) for name in sorted(files) if not name.startswith("."))
    return found


def _is_listed(resolver: FolderResolver, parts: tuple[str, ...], listed: set[str]) -> bool:
    """Whether the store file at `parts` is one the manifest names (`listed`: resolved paths).

    A listed path holds no symlink, so a file found under its own path (folders
    resolved) is listed without a system call; only the others are resolved.
    A symlink loop or a bad link is not listed.
    """
    try:
        return resolver.unresolved(parts) in listed or resolver.locate(parts)[0] in listed
    except (RuntimeError, OSError):
        return False


def _posix_relative(relative: str) -> str:
    """A relative store path as `PurePosixPath(...).as_posix()` gives it, without the object.

    >>> _posix_relative("a\\\\b//./c.txt")
    'a/b/c.txt'
    """
    parts = relative.replace("\\", "/").split("/")
    return "/".join(part for part in parts if part not in ("", "."))


def _kind_from_name(relative: str, whole: bool = False) -> str:
    """The kind of record a file's name says, else its nearest folder's, else
    "document". The first folder is the case's in the folder layout, and is
    read only when `whole` (a manifest's path).

    >>> _kind_from_name("C-1/06 Case notes/2024-12-10_note.txt")
    'case_note'
    >>> _kind_from_name("C-1/Plans/2025-01-16 review-conference.docx")
    'child_protection_conference'
    """
    for part in reversed(PurePosixPath(relative).parts[0 if whole else 1 :]):
        lowered = re.sub(r"[\s\-.]+", "_", part.lower())
        for hint, kind in _KIND_HINTS:
            if hint in lowered:
                return kind
    return "document"


def _date_in_name(file_name: str) -> str | None:
    """The ISO date a file's name starts or ends with, or holds: records are
    filed as "2026-03-04 strategy meeting.docx", and a copied file's
    modification date is the day it was copied, not the meeting's.

    >>> _date_in_name("2024-10-21_plan_03.txt"), _date_in_name("minutes 04.03.2026.docx")
    ('2024-10-21', '2026-03-04')
    >>> _date_in_name("plan_2026-13-40.txt") is None
    True
    """
    for pattern, (year, month, day) in _NAME_DATES:
        for found in pattern.finditer(file_name):
            if not 1900 <= int(found.group(year)) <= 2199:
                continue  # a number, not a date
            try:
                return date(
                    int(found.group(year)), int(found.group(month)), int(found.group(day))
                ).isoformat()
            except ValueError:
                continue
    return None


_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def _day_first_date(value: str) -> str | None:
    """A date written day first (04/03/2026, 4.3.2026, 04-03-2026) as ISO
    8601, or None if `value` is not one.

    >>> _day_first_date("04/03/2026"), _day_first_date("31/02/2026"), _day_first_date("2026")
    ('2026-03-04', None, None)
    """
    found = _DAY_FIRST.fullmatch(value.strip())
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return False
    return True
