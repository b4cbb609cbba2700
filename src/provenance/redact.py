"""Write a copy of a checked document with every cross-case passage blacked out.

A reviewer who gets "DO NOT SEND" needs a fixed copy, not just a warning.
Only `cross_case` passages are replaced: same-case and template text belongs
in the document. Each one becomes a visible mark, so the reader sees that
something was taken out rather than meeting a silent gap.

Match offsets index into the text a check ran on, so the file must still
extract to exactly that text; otherwise the offsets point at the wrong words
and the leak would survive. The file is re-extracted and compared first.

For .docx the offsets index into the text `provenance.extract.docx` builds by
walking every story (body, tables, headers, notes, comments). Rather than
copying that walk, each visible `w:t` element of a working copy gets a unique
private-use marker, the real extractor is run on it, and where each marker
lands gives that element's offset. Any later change to the walk is followed
automatically, and a copy whose marked text differs from the checked text is
refused instead of being redacted in the wrong place.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml

from provenance.errors import ConfigError
from provenance.extract import ExtractionLimits, extract_text
from provenance.extract.docx import extract_docx
from provenance.models import CheckResult

__all__ = ["REDACTION_MARK", "RedactionSummary", "redact_document"]

REDACTION_MARK = "[REDACTED: text from another case's records]"

_TEXT_SUFFIXES = frozenset({".txt", ".md"})
# Where a sentence ends: . ! ? (and closing quotes or brackets) then a space.
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d)\]]*(?=\s|$)")
_MAX_WIDENING = 400  # characters a redaction may take in either side of its match
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_WORD_NAMESPACE = b"schemas.openxmlformats.org/wordprocessingml/2006/main"
# A marker is two private-use characters: a high digit from plane 15 and a low
# digit from plane 16, enough for billions of text elements.
_HIGH_BASE, _LOW_BASE, _DIGITS = 0xF0000, 0x100000, 0xFFFE


@dataclass(frozen=True)
class RedactionSummary:
    """What one redaction wrote."""

    destination: Path
    passages_redacted: int  # cross-case passages replaced (overlapping ones merged)
    characters_redacted: int  # characters of the checked text they covered
    passages_kept: int  # same-case and template passages, left in place


@dataclass(frozen=True)
class _Run:
    """One `w:t` element and where its text sits in the extracted text."""

    element: Any
    start: int
    end: int


def redact_document(
    source: Path, destination: Path, result: CheckResult, text: str
) -> RedactionSummary:
    """Write `destination`: `source` with each cross-case passage replaced by a mark.

    `result` and `text` are a check of `source` (`CheckedDocument.result` and
    `.extracted.text`). Text files are written as UTF-8 with their line
    endings kept; Word files keep all formatting around the marks.

    Raises:
        ConfigError: not .txt/.md/.docx, destination is the source or has another
            suffix, the file changed since it was checked, or it cannot be written.
        ExtractionError: the source can no longer be read.
    """
    suffix = source.suffix.lower()
    if suffix not in _TEXT_SUFFIXES and suffix != ".docx":
        raise ConfigError(
            f"{source}: redaction writes .txt, .md and .docx; "
            f"convert the {suffix.lstrip('.').upper() or 'file'} to .docx first"
        )
    if destination.suffix.lower() != suffix:
        raise ConfigError(
            f"{destination}: the redacted copy must have the source's suffix '{source.suffix}'"
        )
    if _same_file(source, destination):
        raise ConfigError(f"{destination}: is the source; choose another path for the copy")
    if extract_text(source).text != text:
        raise ConfigError(f"{source}: changed since it was checked; check it again, then redact")
    spans = _leak_spans(result, text)
    if suffix == ".docx":
        data = _redact_docx(source.read_bytes(), str(source), text, spans)
    else:
        data = _replace_spans(text, spans).encode("utf-8")
    _write_atomically(destination, data)
    return RedactionSummary(
        destination=destination,
        passages_redacted=len(spans),
        characters_redacted=sum(end - start for start, end in spans),
        passages_kept=sum(m.status != "cross_case" for m in result.matches),
    )


def _same_file(source: Path, destination: Path) -> bool:
    """True if writing `destination` would overwrite `source` (same path, link or alias)."""
    if destination.resolve() == source.resolve():
        return True
    try:
        return destination.samefile(source)
    except OSError:
        return False  # one of them does not exist yet


def _leak_spans(result: CheckResult, text: str) -> list[tuple[int, int]]:
    """Cross-case spans, sorted, with overlapping or touching ones merged.

    Raises:
        ConfigError: a match does not quote `text` (the result is of another text).
    """
    spans: list[tuple[int, int]] = []
    for match in result.matches:
        if match.status != "cross_case":
            continue
        if not 0 <= match.start <= match.end <= len(text) or (
            text[match.start : match.end] != match.text
        ):
            raise ConfigError(
                f"{result.document}: the check result does not match this text; "
                "check the document again, then redact"
            )
        spans.append(_whole_sentences(text, match.start, match.end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _whole_sentences(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to the sentences it touches, within its line.

    A match's span is what the two texts share; the sentence around it is
    that other family's account as well ("Kayden's teacher, Mrs Yeadon,"
    before a copied "reports that he has become withdrawn"). Redacting only
    the part that matched left such a head or tail in the copy. A sentence
    ends at . ! or ? followed by a space, or at a line break; a side with no
    such end within `_MAX_WIDENING` characters is not widened.

    >>> t = "Own words. Kayden's teacher, Mrs Yeadon, reports that he is withdrawn. Own end."
    >>> a, b = _whole_sentences(t, t.index("reports"), t.index(" withdrawn") + 4)
    >>> t[a:b]
    "Kayden's teacher, Mrs Yeadon, reports that he is withdrawn."
    >>> _whole_sentences(t, a, b) == (a, b)
    True
    """
    low = max(0, start - _MAX_WIDENING)
    head = text[low:start]
    cuts = [m.end() for m in _SENTENCE_END.finditer(head)] + [head.rfind("\n") + 1]
    if max(cuts) > 0 or low == 0:
        new_start = low + max(cuts)
        while new_start < start and text[new_start].isspace():
            new_start += 1
    else:
        new_start = start
    high = min(len(text), end + _MAX_WIDENING)
    tail_from = max(start, end - 1)  # a span that ends on a full stop ends its sentence
    found = _SENTENCE_END.search(text, tail_from, high)
    line_break = text.find("\n", end, high)
    ends = [found.end()] if found else []
    ends += [line_break] if line_break >= 0 else []
    if not ends and high == len(text):
        ends = [high]  # the text's last sentence
    return new_start, max(end, min(ends, default=end))


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces += [text[cursor:start], REDACTION_MARK]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _write_atomically(destination: Path, data: bytes) -> None:
    """Write via a private (0600) temporary file: a failed write leaves no half document."""
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=destination.parent, prefix=f".{destination.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(data)
        temporary.replace(destination)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise ConfigError(
            f"{destination}: could not be written ({exc.strerror or exc}); choose another path"
        ) from exc


def _redact_docx(data: bytes, name: str, text: str, spans: list[tuple[int, int]]) -> bytes:
    """The package with each span's text removed from its runs and a mark in the first.

    The mark goes into the first run the span touches, so it takes that run's
    formatting; the rest of the span's runs lose the covered characters.

    Raises:
        ConfigError: the runs cannot be located in `text`, or a span covers
            visible text that is not in any run (it could not be removed).
    """
    # Checked again on these very bytes: the zip's limits guard the inflation below,
    # and a file swapped since the first read is refused.
    if extract_docx(data, name, ExtractionLimits()).text != text:
        raise ConfigError(f"{name}: changed since it was checked; check it again, then redact")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = [(info, package.read(info)) for info in package.infolist()]
    trees = {info.filename: _parse_word_part(info.filename, blob) for info, blob in members}
    elements = [
        element
        for tree in trees.values()
        if tree is not None
        for element in tree.iter(f"{_W}t")
        if (element.text or "").strip()
    ]
    runs = _locate_runs(members, trees, elements, name, text)
    covered = [False] * len(text)
    for run in runs:
        covered[run.start : run.end] = [True] * (run.end - run.start)
    for start, end in spans:
        # Outside marked runs there are only joins, tabs, breaks, blank runs and
        # non-breaking hyphens; those may stay, anything else would be a leak left in.
        if any(not covered[i] and text[i].strip().strip("-") for i in range(start, end)):
            raise ConfigError(f"{name}: a passage could not be located in the Word file's runs")
    # Right to left: a run's recorded offsets stay true for the text before an edit.
    for start, end in reversed(spans):
        _redact_runs(runs, start, end)
    return _package(members, trees)


def _parse_word_part(filename: str, blob: bytes) -> Any:
    """The parsed XML of a part that may hold document text, else None."""
    if not filename.endswith(".xml") or _WORD_NAMESPACE not in blob:
        return None
    try:
        return parse_xml(blob)
    except Exception:
        # Not a part the extractor read (those parsed at the check): copied unchanged.
        return None


def _locate_runs(
    members: list[tuple[zipfile.ZipInfo, bytes]],
    trees: dict[str, Any],
    elements: list[Any],
    name: str,
    text: str,
) -> list[_Run]:
    """Where each `w:t` element's text lands in `text`, found by the real extractor."""
    if any(ord(character) >= _HIGH_BASE for character in text):
        raise ConfigError(f"{name}: holds private-use characters; redact it by hand in Word")
    originals = [element.text for element in elements]
    for index, element in enumerate(elements):
        high, low = divmod(index, _DIGITS)
        element.text = chr(_HIGH_BASE + high) + chr(_LOW_BASE + low) + element.text
    try:
        marked = extract_docx(_package(members, trees), name, ExtractionLimits()).text
    finally:
        for element, original in zip(elements, originals, strict=True):
            element.text = original
    runs: list[_Run] = []
    seen: set[int] = set()
    plain: list[str] = []
    position = cursor = 0
    while cursor < len(marked):
        character = marked[cursor]
        if ord(character) >= _HIGH_BASE:
            index = (ord(character) - _HIGH_BASE) * _DIGITS + ord(marked[cursor + 1]) - _LOW_BASE
            if index in seen:
                # A paragraph with tracked changes is read twice (as it is and as it
                # was): one run in two places cannot be cut by offsets.
                raise ConfigError(
                    f"{name}: has tracked changes; accept or reject them in Word, "
                    "then check and redact it again"
                )
            seen.add(index)
            length = len(originals[index])
            runs.append(_Run(elements[index], position, position + length))
            cursor += 2
            continue
        plain.append(character)
        position += 1
        cursor += 1
    if "".join(plain) != text:
        raise ConfigError(f"{name}: its text could not be mapped back to Word runs; redact by hand")
    return runs


def _redact_runs(runs: list[_Run], start: int, end: int) -> None:
    """Cut [start, end) out of the runs it touches; the first run gets the mark."""
    marked = False
    for run in runs:
        if run.end <= start or run.start >= end:
            continue
        cut_start, cut_end = max(start, run.start) - run.start, min(end, run.end) - run.start
        current = run.element.text
        replacement = "" if marked else REDACTION_MARK
        run.element.text = current[:cut_start] + replacement + current[cut_end:]
        run.element.set(_XML_SPACE, "preserve")
        marked = True
        _drop_fallbacks(run.element)


def _drop_fallbacks(element: Any) -> None:
    """Remove the old-Word copy (`mc:Fallback`) of a text box whose modern copy was
    redacted: the extractor never reads it, yet older readers would show the leak."""
    for ancestor in element.iterancestors(f"{_MC}Choice"):
        alternate = ancestor.getparent()
        for fallback in alternate.findall(f"{_MC}Fallback"):
            alternate.remove(fallback)


def _package(members: list[tuple[zipfile.ZipInfo, bytes]], trees: dict[str, Any]) -> bytes:
    """The zip with parsed parts serialised from their trees, others copied as they were."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info, blob in members:
            tree = trees.get(info.filename)
            package.writestr(info, blob if tree is None else serialize_part_xml(tree))
    return out.getvalue()
