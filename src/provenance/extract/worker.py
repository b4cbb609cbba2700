"""The worker process that parses every format but plain text (the child side).

Started by `provenance.extract.isolation` as `python -m provenance.extract.worker
MODULE...`; it never runs inside the caller's process. Protocol on its
stdin/stdout, one request at a time:

    request:  one JSON line {"module", "function", "name", "size", "limits",
              "memory_bytes", "cpu_seconds"}, then `size` raw bytes
    response: one JSON line, either {"ok": true, "text", "format", "encoding",
              "warnings"} or {"ok": false, "error": class name, "message", "reason"}

Answers are JSON, not pickle: the worker reads hostile files, and if a parser
bug ever let a file take it over, a pickle would hand that file the caller too.

Limits applied here, per file: RLIMIT_AS (address space) so a zip or XML bomb
ends as MemoryError instead of eating the machine, and RLIMIT_CPU a little
above the caller's time limit as a backstop (the caller also kills the worker
at its wall-clock deadline). The worker exits when its stdin closes, and a
watchdog thread exits it if the caller dies without closing it, so a stuck
parse never leaves an orphan behind. POSIX only (resource, pipes).
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, BinaryIO

from provenance.errors import ExtractionError, ProvenanceError
from provenance.models import ExtractedText

_PARENT_CHECK_SECONDS = 0.5
# A parse that failed with the peak address space this close to the limit ran
# out of memory, whatever the parser called the failure.
_NEAR_LIMIT = 0.8
_PARSER_MODULES = frozenset(
    {"docx", "pdf", "eml", "text", "html_text", "rtf", "odt", "doc", "msg", "xlsx", "xls"}
)


def main(preload: list[str]) -> int:
    """Serve requests until stdin closes; returns the exit status."""
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    # Keep fd 1 for the protocol only: anything a parser prints goes to /dev/null.
    protocol_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    for module in _PARSER_MODULES.intersection(preload):
        importlib.import_module(f"provenance.extract.{module}")
    _send(protocol_out, {"ready": True})
    requests = sys.stdin.buffer
    while True:
        line = requests.readline()
        if not line:
            return 0
        header = json.loads(line)
        data = _read_exactly(requests, int(header["size"]))
        if data is None:
            return 0
        _send(protocol_out, _serve(header, data))


def _serve(header: dict[str, Any], data: bytes) -> dict[str, Any]:
    from provenance.extract import ExtractionLimits

    limits = ExtractionLimits(**header["limits"])
    if header["module"] not in _PARSER_MODULES:
        return {"ok": False, "error": "ParserError", "message": "unknown parser module"}
    module = importlib.import_module(f"provenance.extract.{header['module']}")
    extractor: Callable[[bytes, str, ExtractionLimits], ExtractedText] = getattr(
        module, header["function"]
    )
    name = str(header["name"])
    memory_bytes = int(header["memory_bytes"])
    with _Limited(memory_bytes, float(header["cpu_seconds"])):
        try:
            result = extractor(data, name, limits)
        except MemoryError:
            result = None
            answer: dict[str, Any] = {"ok": False, "error": "MemoryError"}
        except ProvenanceError as error:
            result = None
            if _ran_out_of_memory(error, memory_bytes):
                return {"ok": False, "error": "MemoryError"}
            answer = {
                "ok": False,
                "error": type(error).__name__,
                "message": str(error),
                "reason": error.reason if isinstance(error, ExtractionError) else None,
            }
        except Exception as error:  # a parser bug: reported, never lets the worker die
            result = None
            detail = f"{type(error).__name__}: {error}"[:500]
            answer = {"ok": False, "error": "ParserError", "message": detail}
    if result is None:
        return answer
    if len(result.text) > limits.max_text_chars:  # refused here, not shipped and refused
        return {
            "ok": False,
            "error": "DocumentTooLargeError",
            "message": f"{name}: {len(result.text):,} characters of text, over the limit of "
            f"{limits.max_text_chars:,} (ExtractionLimits.max_text_chars)",
            "reason": None,
        }
    return {
        "ok": True,
        "text": result.text,
        "format": result.format,
        "encoding": result.encoding,
        "warnings": list(result.warnings),
    }


class _Limited:
    """Address-space and CPU ceilings for one parse, lifted afterwards.

    Only soft limits change, so they can be raised again; the CPU ceiling is
    relative to the CPU this worker has already used across earlier files.
    """

    def __init__(self, memory_bytes: int, cpu_seconds: float) -> None:
        self._memory_bytes = memory_bytes
        self._cpu_seconds = cpu_seconds
        self._saved: dict[int, tuple[int, int]] = {}

    def __enter__(self) -> None:
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu_limit = int(used.ru_utime + used.ru_stime + self._cpu_seconds) + 1
        for kind, soft in (
            (resource.RLIMIT_AS, self._memory_bytes),
            (resource.RLIMIT_CPU, cpu_limit),
        ):
            saved = resource.getrlimit(kind)
            self._saved[kind] = saved
            hard = saved[1]
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(kind, (soft, hard))

    def __exit__(self, *exc_info: object) -> None:
        for kind, saved in self._saved.items():
            resource.setrlimit(kind, saved)


def _ran_out_of_memory(error: BaseException, memory_bytes: int) -> bool:
    """True if a parse failed because the address-space limit was reached.

    libxml2 reports a failed allocation as an XML syntax error ("unknown
    error"), which the docx extractor turns into "damaged": a reviewer should
    hear "too big" instead. The process's peak address space near the limit,
    or a message naming memory, gives it away.
    """
    cause = error.__cause__ or error
    if "memory" in str(cause).lower():
        return True
    peak = _peak_address_space()
    return peak is not None and peak >= _NEAR_LIMIT * memory_bytes


def _peak_address_space() -> int | None:
    """VmPeak of this process in bytes (Linux), None where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:  # noqa: PTH123
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _send(out: BinaryIO, message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")
    out.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _exit_when_orphaned(parent: int) -> None:
    """Exit at once if the process that started this worker has gone."""
    while True:
        time.sleep(_PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
