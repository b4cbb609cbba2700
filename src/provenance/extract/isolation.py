"""Run the parsers of every format but plain text in reusable worker processes, with limits.

python-docx, lxml, pypdf and the e-mail parser are big bodies of code facing
hostile input: a file can make them loop, eat memory or (in C code) crash.
In-process, any of that would hang or kill a nightly run or a pre-send check.
So each parse runs in a worker process (`provenance.extract.worker`) that has
an address-space limit, and the caller waits at most `max_seconds` of wall
clock for the answer. A worker that times out, runs out of memory or dies is
killed, reaped and replaced; its file becomes an `ExtractionError` saying
which limit it hit.

Starting Python per file would cost ~0.3 s x 100k records a night, so workers
are started lazily, kept, and reused (up to `_POOL_SIZE`, one per thread in
flight; threads beyond that wait their turn). Workers are plain
`subprocess.Popen` children running `python -m provenance.extract.worker`:
unlike multiprocessing's 'spawn' they do not re-import the caller's
__main__, and unlike 'fork' they are safe to start from a threaded process
(no DeprecationWarning, no copied locks). Every worker killed is waited for
(no zombies); idle workers are closed at exit, and a worker whose caller dies
exits by itself (see worker.py), so none is orphaned.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from provenance.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    ExtractionError,
    NoTextError,
    UnsupportedFormatError,
)
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_POOL_SIZE = max(1, min(4, os.cpu_count() or 1))
# A worker's own start (Python, the parser imports) is not charged to a file.
_STARTUP_SECONDS = 60.0
# The worker's CPU ceiling is a backstop behind the caller's wall-clock limit.
_CPU_SLACK_SECONDS = 2.0
_READ_CHUNK = 1 << 20
_MB = 1024 * 1024
_ERRORS: dict[str, type[ExtractionError]] = {
    cls.__name__: cls
    for cls in (
        ExtractionError,
        UnsupportedFormatError,
        EncryptedDocumentError,
        DocumentTooLargeError,
        CorruptDocumentError,
        NoTextError,
    )
}


class _WorkerTimedOutError(Exception):
    pass


class _WorkerDiedError(Exception):
    def __init__(self, status: int | None, how: str = "") -> None:
        if not how and status is not None and status < 0:
            how = f"worker killed by signal {-status}"
        elif not how:
            how = f"worker exit status {status}"
        super().__init__(how)
        self.status = status


class _Worker:
    """One worker process and the buffered reading end of its answers."""

    def __init__(self, preload: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "provenance.extract.worker", preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self._buffer = bytearray()
        try:
            self._read_line(time.monotonic() + _STARTUP_SECONDS)
        except (_WorkerTimedOutError, _WorkerDiedError) as error:
            self.kill()
            raise ExtractionError(
                f"could not start the parser worker process ({error}); check that "
                f"'{sys.executable} -m provenance.extract.worker' runs",
                reason="parser worker did not start",
            ) from None

    def request(self, header: dict[str, Any], data: bytes, deadline: float) -> dict[str, Any]:
        """Send one file; raises BrokenPipeError if the worker was already dead."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(json.dumps({**header, "size": len(data)}).encode() + b"\n")
        stdin.write(data)
        line = self._read_line(deadline)
        try:
            answer: dict[str, Any] = json.loads(line.decode("utf-8", "surrogatepass"))
        except ValueError:
            raise _WorkerDiedError(
                self.process.poll(), "worker sent an unreadable answer"
            ) from None
        return answer

    def _read_line(self, deadline: float) -> bytes:
        stdout = self.process.stdout
        assert stdout is not None
        poller = select.poll()
        poller.register(stdout.fileno(), select.POLLIN)
        searched = 0  # a long answer arrives in many chunks: scan each byte once
        while (newline := self._buffer.find(b"\n", searched)) < 0:
            searched = len(self._buffer)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerTimedOutError
            if not poller.poll(remaining * 1000):
                continue
            chunk = os.read(stdout.fileno(), _READ_CHUNK)
            if not chunk:
                try:
                    status = self.process.wait(timeout=2)
                except subprocess.TimeoutExpired:  # closed its output yet lives on
                    status = None
                raise _WorkerDiedError(status)
            self._buffer += chunk
        line = bytes(self._buffer[:newline])
        del self._buffer[: newline + 1]
        return line

    def kill(self) -> None:
        """Kill and reap the worker (safe to call on a dead one)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._close_pipes()

    def close(self) -> None:
        """Ask the worker to exit (stdin closed), killing it if it does not."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class _Pool:
    """Idle workers, and a limit on how many run at once."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []

    def run(self, header: dict[str, Any], data: bytes, seconds: float) -> dict[str, Any]:
        """One request on one worker; a worker that failed is killed, not returned.

        Raises _WorkerTimedOutError or _WorkerDiedError; ExtractionError if no worker starts.
        """
        with self._slots:
            for attempt in range(2):
                worker = self._take(header["module"])
                deadline = time.monotonic() + seconds
                healthy = False
                try:
                    answer = worker.request(header, data, deadline)
                    # After a MemoryError or a parser bug the worker's state is
                    # suspect: start the next file on a fresh one.
                    healthy = answer.get("error") not in ("MemoryError", "ParserError")
                    return answer
                except BrokenPipeError:
                    if attempt:  # a fresh worker died on receipt: report it
                        raise _WorkerDiedError(worker.process.wait()) from None
                finally:
                    if healthy:
                        with self._lock:
                            self._idle.append(worker)
                    else:
                        worker.kill()
            raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()

    def forget(self) -> None:
        """In a forked child: drop the parent's workers without touching them."""
        self._idle = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self._size)  # held by threads not copied

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [worker.process.pid for worker in self._idle]

    def _take(self, preload: str) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Worker(preload)


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def _get_pool() -> _Pool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = _Pool(_POOL_SIZE)
        return _pool


def shutdown_workers() -> None:
    """Close the idle workers now (they also close at interpreter exit)."""
    with _pool_lock:
        pool = _pool
    if pool is not None:
        pool.close()


def idle_worker_pids() -> list[int]:
    """Process ids of the idle workers (for tests and diagnostics)."""
    with _pool_lock:
        pool = _pool
    return pool.worker_pids() if pool is not None else []


def _forget_after_fork() -> None:
    global _pool_lock
    _pool_lock = threading.Lock()
    if _pool is not None:
        _pool.forget()


atexit.register(shutdown_workers)
os.register_at_fork(after_in_child=_forget_after_fork)


def extract_in_worker(
    module: str, function: str, data: bytes, name: str, limits: ExtractionLimits
) -> ExtractedText:
    """Run `provenance.extract.<module>.<function>(data, name, limits)` in a worker.

    Raises:
        ExtractionError: whatever the parser raised (same class and reason), or
            the parse took longer than `limits.max_seconds`, or the worker died.
        DocumentTooLargeError: the parse needed more than `limits.max_memory_mb`.
    """
    header = {
        "module": module,
        "function": function,
        "name": name,
        "limits": asdict(limits),
        "memory_bytes": limits.max_memory_mb * _MB,
        "cpu_seconds": limits.max_seconds + _CPU_SLACK_SECONDS,
    }
    try:
        answer = _get_pool().run(header, data, limits.max_seconds)
    except _WorkerTimedOutError:
        raise ExtractionError(
            f"{name}: took longer than {limits.max_seconds:g} s to read "
            "(ExtractionLimits.max_seconds); the file may be damaged or built to stall parsers",
            reason=f"took longer than {limits.max_seconds:g} s",
        ) from None
    except _WorkerDiedError as died:
        raise ExtractionError(
            f"{name}: the parser crashed ({died}); the file may be damaged or hostile",
            reason="parser crashed",
        ) from None
    if answer.get("ok"):
        return ExtractedText(
            text=str(answer["text"]),
            format=str(answer["format"]),
            encoding=answer.get("encoding"),
            warnings=tuple(str(warning) for warning in answer.get("warnings", ())),
        )
    return _raise_answer(answer, name, limits)


def _raise_answer(answer: dict[str, Any], name: str, limits: ExtractionLimits) -> ExtractedText:
    error = str(answer.get("error"))
    if error == "MemoryError":
        raise DocumentTooLargeError(
            f"{name}: used more than {limits.max_memory_mb} MB of memory "
            "(ExtractionLimits.max_memory_mb); the file may be a zip or XML bomb",
            reason=f"used more than {limits.max_memory_mb} MB of memory",
        )
    if error == "ParserError":
        raise ExtractionError(
            f"{name}: the parser failed ({answer.get('message')})",
            reason="could not be read (parser error)",
        )
    cls = _ERRORS.get(error, ExtractionError)
    raise cls(str(answer.get("message")), reason=answer.get("reason"))
