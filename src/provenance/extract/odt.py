"""OpenDocument text (.odt): what LibreOffice shows, and what it keeps aside.

Trusts that use LibreOffice, and systems that export OpenDocument, save
minutes and plans as .odt: a zip package whose `content.xml` holds the body.
Read in order: the body (paragraphs, headings, lists, tables, sections, text
boxes, in document order), then footnotes and endnotes, comments and tracked
deletions (deleted text is still in the file: "show changes" reveals it),
then the page headers and footers (`styles.xml`), then the title, subject,
keywords and description (`meta.xml`); user fields' values (shown wherever the
document uses them) and embedded sub-documents (their own `content.xml`) come
after the body's notes. Each of those is its own block, as in
the .docx extractor: a footnote read inside its sentence would split a
copied passage in two.

The package's size is checked before anything is inflated (package.py). The
XML is parsed with the standard library after refusing any DOCTYPE: an
OpenDocument part never declares one, and entity declarations are how an
XML bomb is built. Pictures are named in a warning, as in the .docx reader.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from provenance.errors import CorruptDocumentError, EncryptedDocumentError
from provenance.extract.package import OLE2_MAGIC, checked_members, parsed_part
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
# Elements that are one line of text each.
_LINES = frozenset((f"{_TEXT}p", f"{_TEXT}h"))
# Read aside, each as a block of its own, after the body.
_ASIDE = frozenset((f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}tracked-changes"))
# Not text a reader sees: a note's number, a comment's author and date, field
# declarations, the sequence and variable definitions.
_SKIPPED = frozenset(
    (
        f"{_TEXT}note-citation",
        f"{_DC}creator",
        f"{_DC}date",
        f"{_OFFICE}annotation-end",
        f"{_TEXT}sequence-decls",
        f"{_TEXT}variable-decls",
        f"{_TEXT}user-field-decls",
        f"{_OFFICE}forms",
    )
)
_MAX_DEPTH = 200  # nested elements: far beyond any real document; deeper is refused
_PROPERTIES = (f"{_DC}title", f"{_DC}subject", f"{_META}keyword", f"{_DC}description")


def extract_odt(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return the body, the text kept aside, the headers and footers, and the properties.

    Raises:
        EncryptedDocumentError: saved with a password.
        CorruptDocumentError: not an OpenDocument package, or damaged XML.
        DocumentTooLargeError: a zip bomb (package.py).
    """
    if data.startswith(OLE2_MAGIC):
        from provenance.extract.doc import renamed_doc

        return renamed_doc(data, name, limits, ".odt")
    members = {member.filename for member in checked_members(data, name, limits, ".odt")}
    if "content.xml" not in members:
        raise CorruptDocumentError(f"{name}: not an OpenDocument file (no content.xml)")
    # Embedded objects (a sub-document, a chart) keep their own content.xml in a folder.
    embedded = sorted(m for m in members if m.endswith("/content.xml") and m.count("/") == 1)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {
            part: package.read(part)
            for part in (
                "content.xml",
                "styles.xml",
                "meta.xml",
                "META-INF/manifest.xml",
                *embedded,
            )
            if part in members
        }
    if b"encryption-data" in parts.get("META-INF/manifest.xml", b""):
        raise EncryptedDocumentError(
            f"{name}: password-protected OpenDocument file; remove the password and re-run"
        )
    reader = _Reader()
    content = parsed_part(parts["content.xml"], f"{name} (content.xml)", "OpenDocument")
    body = content.find(f"{_OFFICE}body")
    try:
        reader.read(body if body is not None else content)
        blocks = ["\n".join(reader.lines), *reader.aside]
        blocks += [
            value
            for field in content.iter(f"{_TEXT}user-field-decl")
            if (value := field.get(f"{_OFFICE}string-value", ""))
        ]  # user fields show their value wherever the document uses them
        for part in embedded:
            inner = _Reader()
            inner.read(parsed_part(parts[part], f"{name} ({part})", "OpenDocument"))
            blocks += ["\n".join(inner.lines), *inner.aside]
            reader.pictures += inner.pictures
        if "styles.xml" in parts:
            styles = parsed_part(parts["styles.xml"], f"{name} (styles.xml)", "OpenDocument")
            for page in styles.iter(f"{_STYLE}master-page"):
                page_reader = _Reader()
                page_reader.read(page)
                blocks.append("\n".join(page_reader.lines))
    except _TooDeepError:
        raise CorruptDocumentError(
            f"{name}: elements nested too deeply to be a real document"
        ) from None
    if "meta.xml" in parts:
        meta = parsed_part(parts["meta.xml"], f"{name} (meta.xml)", "OpenDocument")
        blocks += ["".join(element.itertext()) for tag in _PROPERTIES for element in meta.iter(tag)]
    text = "\n\n".join(block.strip() for block in _distinct(blocks) if block.strip())
    warnings = (f"{reader.pictures} picture(s) not read: check them by eye",)
    return ExtractedText(text=text, format="odt", warnings=warnings if reader.pictures else ())


def _space_count(count: str) -> int:
    """The spaces a `text:s` stands for (1 when its count is not a number), at most 100."""
    return min(int(count), 100) if count.isdigit() else 1


def _distinct(blocks: list[str]) -> list[str]:
    """Blocks in order, each once: every page style repeats the same footer."""
    return list(dict.fromkeys(blocks))


class _TooDeepError(Exception):
    """Elements nested deeper than _MAX_DEPTH (the message names the file)."""


class _Reader:
    """Walks the elements of a part, collecting lines of text and blocks aside."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.aside: list[str] = []
        self.pictures = 0

    def read(self, element: ElementTree.Element, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise _TooDeepError
        for child in element:
            if child.tag in _SKIPPED:
                continue
            if child.tag in _ASIDE:
                aside = _Reader()
                aside.read(child, depth + 1)
                self.aside += ["\n".join(aside.lines), *aside.aside]
                self.pictures += aside.pictures
            elif child.tag in _LINES:
                self.lines.append(self._line(child, depth + 1))
            else:
                self._frame(child)
                self.read(child, depth + 1)

    def _line(self, paragraph: ElementTree.Element, depth: int) -> str:
        """One paragraph's text; notes, comments and text boxes in it go aside."""
        pieces = [paragraph.text or ""]
        for child in paragraph:
            if depth > _MAX_DEPTH:
                raise _TooDeepError
            if child.tag == f"{_TEXT}s":
                pieces.append(" " * _space_count(child.get(f"{_TEXT}c", "1")))
            elif child.tag == f"{_TEXT}tab":
                pieces.append("\t")
            elif child.tag == f"{_TEXT}line-break":
                pieces.append("\n")
            elif child.tag in _SKIPPED:
                pass
            elif child.tag in _ASIDE or child.tag == f"{_DRAW}frame":
                self._frame(child)
                aside = _Reader()
                aside.read(child, depth + 1)
                self.aside += ["\n".join(aside.lines), *aside.aside]
                self.pictures += aside.pictures
            else:  # a span, a link, a field's shown value, a bookmark
                pieces.append(self._line(child, depth + 1))
            pieces.append(child.tail or "")
        return "".join(pieces)

    def _frame(self, element: ElementTree.Element) -> None:
        """A frame's alt text (title and description) is read; a picture is counted."""
        if element.tag != f"{_DRAW}frame":
            return
        self.pictures += element.find(f"{_DRAW}image") is not None
        for tag in (f"{_SVG}title", f"{_SVG}desc"):
            described = element.find(tag)
            if described is not None and "".join(described.itertext()).strip():
                self.aside.append("".join(described.itertext()))
