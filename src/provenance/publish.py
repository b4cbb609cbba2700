"""How a writer changes the index while checks go on reading it.

DuckDB lets one process open a database file read-write, or any number open it
read-only, never both: a check arriving while the nightly scan writes would
fail with "Could not set lock on file". A pre-send gate cannot say "try again
in an hour", so the live file is only ever opened read-only, and a writer:

    1. takes the writer lock (<db>.lock): one `index` or `scan` at a time;
    2. checks free disk space against the size of the index;
    3. continues the working copy (<db>.next) that a killed run left, if it
       was made from the current live file, or else copies the live file;
    4. writes into the copy, one transaction per record;
    5. checkpoints and closes it, fsyncs it, and renames it over the live
       file (os.replace: atomic), then fsyncs the folder.

A reader that opened the old file keeps reading that complete version until
it closes it; the next reader opens the new one. No reader ever sees a
half-written index, and a crash at any moment leaves the live file whole.
The writer never opens the live file with DuckDB, so copying it with plain
file I/O cannot drop a DuckDB lock of its own.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from provenance.errors import DiskSpaceError, IndexLockedError

FREE_SPACE_FACTOR = 3  # the copy, its write-ahead log and a checkpoint's growth
MIN_FREE_ENV = "PROVENANCE_MIN_FREE_MB"
DEFAULT_MIN_FREE_MB = 64


def working_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".next")


def _wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def _base_path(db_path: Path) -> Path:
    """Records which live file the working copy was made from."""
    return db_path.with_name(db_path.name + ".next.base")


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@dataclass
class WriterLock:
    """An exclusive flock on <db>.lock, released when the process ends, even by SIGKILL."""

    handle: IO[str]

    def release(self) -> None:
        if not self.handle.closed:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def acquire_writer_lock(db_path: Path) -> WriterLock:
    """Become the only writer of the index at `db_path`, or fail at once.

    Raises:
        IndexLockedError: another process holds the lock (its pid is in the message).
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    handle = _lock_path(db_path).open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise IndexLockedError(
            f"Another `provenance index` or `scan` (process {holder}) is updating the index "
            f"{db_path}. Checks still work meanwhile; run this again when it has finished."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return WriterLock(handle)


def required_free_bytes(db_path: Path) -> int:
    floor = int(os.environ.get(MIN_FREE_ENV, DEFAULT_MIN_FREE_MB)) << 20
    live_size = db_path.stat().st_size if db_path.exists() else 0
    return max(FREE_SPACE_FACTOR * live_size, floor)


def check_free_space(db_path: Path) -> None:
    """Refuse to start writing when the disk could fill up part way.

    A full disk mid-write cannot damage the live file (only the copy is
    written), but it wastes a night's run, so it is refused up front.

    Raises:
        DiskSpaceError: free space is below FREE_SPACE_FACTOR x the index size.
    """
    needed = required_free_bytes(db_path)
    free = shutil.disk_usage(db_path.parent).free
    if free < needed:
        raise DiskSpaceError(
            f"Only {free >> 20} MB free beside the index {db_path}; updating it safely needs "
            f"{needed >> 20} MB ({FREE_SPACE_FACTOR}x its size, at least "
            f"{DEFAULT_MIN_FREE_MB} MB). Free some space and run again."
        )


def _identity(path: Path) -> dict[str, int] | None:
    if not path.exists():
        return None
    info = path.stat()
    return {"inode": info.st_ino, "size": info.st_size, "mtime_ns": info.st_mtime_ns}


def resumable_copy(db_path: Path) -> Path | None:
    """The working copy a killed run left, if it grew from the current live file."""
    working, base = working_path(db_path), _base_path(db_path)
    if not (working.exists() and base.exists()):
        return None
    try:
        recorded = json.loads(base.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return working if recorded == {"live": _identity(db_path)} else None


def discard_working_copy(db_path: Path) -> None:
    working = working_path(db_path)
    for leftover in (_base_path(db_path), working, _wal_path(working)):
        leftover.unlink(missing_ok=True)


def fresh_working_copy(db_path: Path) -> Path:
    """Copy the live file (if any) to the working path; returns that path."""
    discard_working_copy(db_path)
    working = working_path(db_path)
    if db_path.exists():
        _copy(db_path, working)
        _fsync_file(working)
    base = _base_path(db_path)
    base.write_text(json.dumps({"live": _identity(db_path)}), encoding="utf-8")
    _fsync_file(base)
    return working


_FICLONE = 0x40049409  # Linux ioctl: share the source's blocks (btrfs, XFS, bcachefs)


def _copy(source: Path, target: Path) -> None:
    """A reflink where the filesystem offers one (instant), else a full copy."""
    with source.open("rb") as reading, target.open("wb") as writing:
        try:
            fcntl.ioctl(writing.fileno(), _FICLONE, reading.fileno())
            return
        except OSError:
            pass
    shutil.copyfile(source, target)


def publish(db_path: Path) -> None:
    """Make the closed working copy the live index, atomically and durably."""
    working = working_path(db_path)
    _fsync_file(working)
    working.replace(db_path)  # atomic rename (os.replace)
    _base_path(db_path).unlink(missing_ok=True)
    _fsync_directory(db_path.parent)


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
