"""Turn one file into text, whatever its format.

`extract_text` is the only door: it checks the path and the size, reads the
bytes once, and hands them to one module per format (text, docx, pdf, eml,
html_text, rtf, odt, doc, msg, xlsx, xls, csv_text).
Reading in one place means every format gets the same size limit and the same
plain messages for a missing or unreadable file, and no parser ever opens the
file itself.

The parsers of every format but plain text run in a reusable worker process with a
memory and a time limit (`isolation.py`), so a hostile file ends as a clear
error for that file instead of a hang or a crash of the whole run. Plain text
is decoded here, in process: decoding is bounded by the size limit, and a
worker round trip would only add cost.

Every failure raises an `ExtractionError` subclass, never returns None: a
pre-send check that silently skips a file it could not read would let a leak
out. Problems that still leave usable text (an odd encoding, attachments not
checked, a page with no text layer) go into `ExtractedText.warnings` instead,
and callers decide.
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TypeVar, cast

from provenance.errors import (
    ConfigError,
    DocumentTooLargeError,
    ExtractionError,
    UnsupportedFormatError,
)
from provenance.models import ExtractedText

__all__ = ["SUPPORTED_SUFFIXES", "ExtractionLimits", "extract_text"]

_T = TypeVar("_T")
_MB = 1024 * 1024
_ENV_PREFIX = "PROVENANCE_EXTRACT_"


@dataclass(frozen=True)
class ExtractionLimits:
    """Ceilings that stop one hostile or oversized file from stalling a run.

    Defaults, and why:
    - `max_file_bytes` 100 MB: far above any real minutes or plan; read first.
    - `max_inflated_bytes` 200 MB, `max_zip_entries` 10,000: a .docx is a zip,
      and a 300 KB file can inflate to gigabytes; checked before python-docx
      reads it.
    - `max_text_chars` 20 million: bounds what reaches normalisation/indexing.
    - `max_seconds` 30: wall-clock time to parse one .docx/.pdf/.eml in the
      worker (the worker's own start is not counted). Real files take well
      under a second; a PDF built to loop is stopped here.
    - `max_memory_mb` 1024: the worker's address space while it parses (the
      interpreter and parsers take ~130 MB of it). A zip or XML bomb that
      gets past the zip checks ends here as a MemoryError.
    - `use_worker` True: run those parsers in the worker. False parses in the
      calling process without the time and memory limits (fuzzing, profiling).

    `extract_text` without explicit limits reads `from_environment()`, so an
    operator can change a limit for the CLI and the nightly job without code:
    PROVENANCE_EXTRACT_MAX_SECONDS=60, PROVENANCE_EXTRACT_MAX_MEMORY_MB=2048
    (any numeric field, upper-cased, after PROVENANCE_EXTRACT_).
    """

    max_file_bytes: int = 100 * _MB
    max_inflated_bytes: int = 200 * _MB
    max_zip_entries: int = 10_000
    max_text_chars: int = 20_000_000
    max_seconds: float = 30.0
    max_memory_mb: int = 1024
    use_worker: bool = True

    def __post_init__(self) -> None:
        for name in (
            "max_file_bytes",
            "max_inflated_bytes",
            "max_zip_entries",
            "max_text_chars",
            "max_memory_mb",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(
                    f"ExtractionLimits.{name} must be a positive integer, got {value!r}"
                )
        seconds = self.max_seconds
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
            raise ConfigError(
                f"ExtractionLimits.max_seconds must be a positive number, got {seconds!r}"
            )
        if not isinstance(self.use_worker, bool):
            raise ConfigError(
                f"ExtractionLimits.use_worker must be True or False, got {self.use_worker!r}"
            )

    @classmethod
    def from_environment(cls) -> ExtractionLimits:
        """The defaults, overridden by PROVENANCE_EXTRACT_<FIELD> variables.

        Raises:
            ConfigError: a variable is not a positive number.
        """
        overrides: dict[str, float | int] = {}
        for limit in fields(cls):
            variable = f"{_ENV_PREFIX}{limit.name.upper()}"
            raw = os.environ.get(variable)
            if raw is None or limit.name == "use_worker":
                continue
            is_seconds = limit.name == "max_seconds"
            try:
                overrides[limit.name] = float(raw) if is_seconds else int(raw)
            except ValueError:
                kind = "number" if is_seconds else "whole number"
                raise ConfigError(
                    f"{variable} must be a positive {kind}, got {raw!r}; fix or unset it"
                ) from None
        return cls(**overrides)  # type: ignore[arg-type]


_Extractor = Callable[[bytes, str, ExtractionLimits], ExtractedText]

# suffix -> (module in this package, function). Modules are imported when a file
# of their format is met: a pre-send check of a .txt never pays for pypdf or
# python-docx, which keeps a fresh `provenance check` process quick.
_EXTRACTORS: Mapping[str, tuple[str, str]] = {
    ".txt": ("text", "extract_plain_text"),
    ".md": ("text", "extract_markdown"),
    ".docx": ("docx", "extract_docx"),
    ".pdf": ("pdf", "extract_pdf"),
    ".eml": ("eml", "extract_eml"),
    ".html": ("html_text", "extract_html"),
    ".htm": ("html_text", "extract_html"),
    ".rtf": ("rtf", "extract_rtf"),
    ".odt": ("odt", "extract_odt"),
    ".doc": ("doc", "extract_doc"),
    ".msg": ("msg", "extract_msg"),
    ".xlsx": ("xlsx", "extract_xlsx"),
    ".xls": ("xls", "extract_xls"),
    ".csv": ("csv_text", "extract_csv"),
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_EXTRACTORS)

# Formats whose parsers run in the worker process (see isolation.py).
_ISOLATED_MODULES = frozenset(
    {"docx", "pdf", "eml", "html_text", "rtf", "odt", "doc", "msg", "xlsx", "xls"}
)


def extract_text(path: Path, limits: ExtractionLimits | None = None) -> ExtractedText:
    """Return the text of the file at `path`, chosen by its (case-insensitive) suffix.

    Raises:
        UnsupportedFormatError: the suffix is not one of `SUPPORTED_SUFFIXES`.
        ExtractionError: the file is missing, a folder, or cannot be read.
        DocumentTooLargeError: over a limit in `limits` (file, zip or text size,
            or the parse needed more than `max_memory_mb`).
        ExtractionError: the parse took longer than `max_seconds`, or the
            parser crashed (reason "took longer than N s" / "parser crashed").
        EncryptedDocumentError: a password-protected PDF or Word document.
        CorruptDocumentError: damaged, or not the format its suffix claims.
    """
    limits = limits if limits is not None else ExtractionLimits.from_environment()
    suffix = path.suffix.lower()
    location = _EXTRACTORS.get(suffix)
    if location is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        what = f"file type '{suffix}'" if suffix else "file with no extension"
        raise UnsupportedFormatError(f"{path}: unsupported {what}; supported: {supported}")
    data = _read_bytes(path, limits.max_file_bytes)
    module_name, function_name = location
    if limits.use_worker and module_name in _ISOLATED_MODULES:
        from provenance.extract.isolation import extract_in_worker

        extracted = extract_in_worker(module_name, function_name, data, str(path), limits)
    else:
        extracted = parse_bytes(data, str(path), limits)
    if len(extracted.text) > limits.max_text_chars:
        raise DocumentTooLargeError(
            f"{path}: {len(extracted.text):,} characters of text, over the limit of "
            f"{limits.max_text_chars:,} (ExtractionLimits.max_text_chars)"
        )
    return extracted


def parse_bytes(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Parse bytes already read, in this process, by the suffix of `name`.

    For files inside files (an e-mail's attachments): the caller has already
    applied the size limit and, for formats that need it, runs in the worker.

    Raises:
        UnsupportedFormatError: the suffix is not one of `SUPPORTED_SUFFIXES`.
        ExtractionError: as `extract_text`.
    """
    location = _EXTRACTORS.get(Path(name).suffix.lower())
    if location is None:
        raise UnsupportedFormatError(f"{name}: unsupported file type")
    module_name, function_name = location
    module = importlib.import_module(f"provenance.extract.{module_name}")
    extractor = cast(_Extractor, getattr(module, function_name))
    return extractor(data, name, limits)


def best_effort(read: Callable[[], _T], empty: _T, what: str, warnings: list[str]) -> _T:
    """`read()`, or `empty` and a warning naming `what`: a damaged form, chart
    or property part must not cost the text that was read without it."""
    try:
        return read()
    except MemoryError:
        raise
    except Exception as exc:
        warnings.append(f"{what} could not be read ({type(exc).__name__}): check by eye")
        return empty


def attached_text(
    label: str, refusal: str | None, read: Callable[[], ExtractedText]
) -> ExtractedText | str:
    """A file inside a file (an e-mail's or a PDF's attachment): `read()`, or
    the warning "attachment not read: LABEL (why)" when `refusal` gives a
    reason not to read it or reading it fails. A damaged attachment must not
    cost the text of the file that carries it.
    """
    if refusal is not None:
        return f"attachment not read: {label} ({refusal})"
    try:
        return read()
    except MemoryError:
        raise
    except ExtractionError as error:
        return f"attachment not read: {label} ({error.reason})"
    except Exception as error:
        return f"attachment not read: {label} (damaged: {type(error).__name__})"


def _read_bytes(path: Path, max_file_bytes: int) -> bytes:
    """Read the whole file, refusing anything that is not a readable regular file.

    The size is checked before reading and again after, so a file that grows
    between the two cannot slip past the limit.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ExtractionError(f"{path}: file not found", reason="file not found") from None
    except OSError as exc:
        raise _os_error(path, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise ExtractionError(f"{path}: is a folder, not a file", reason="not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ExtractionError(f"{path}: is not a regular file", reason="not a file")
    if info.st_size > max_file_bytes:
        raise _too_large(path, info.st_size, max_file_bytes)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_file_bytes + 1)
    except OSError as exc:
        raise _os_error(path, exc) from exc
    if len(data) > max_file_bytes:
        raise _too_large(path, len(data), max_file_bytes)
    return data


def _os_error(path: Path, exc: OSError) -> ExtractionError:
    if isinstance(exc, PermissionError):
        return ExtractionError(
            f"{path}: permission denied; check the file's access rights",
            reason="permission denied",
        )
    return ExtractionError(f"{path}: could not be read: {exc.strerror or exc}")


def _too_large(path: Path, size: int, limit: int) -> DocumentTooLargeError:
    return DocumentTooLargeError(
        f"{path}: {size:,} bytes, over the limit of {limit:,} (ExtractionLimits.max_file_bytes)"
    )
