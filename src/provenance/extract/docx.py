"""Word .docx: all the text a reader of the document can see.

`Document.paragraphs` misses tables, headers, footers, footnotes, comments,
content controls and text boxes, and copied text hides in all of them. So this
module walks the WordprocessingML itself, in this order: the body (paragraphs
and tables, nested tables included, in document order), then each header and
footer part once (linked sections share a part), then footnotes, endnotes and
comments. Paragraphs are joined with "\\n"; stories (the body's runs of
paragraphs, each table, each header, footer, note and comment) are separated
by a blank line.

Tracked changes: inserted text is part of the document. Deleted text
(`w:del`/`w:delText`, and moved-away `w:moveFrom`) is still inside the file,
and anyone who turns on "show changes" reads it, so a family can too. It is
extracted as its own line right after the paragraph it was deleted from, and
the result carries the warning "contains tracked deletions".

The zip is checked before python-docx reads it, because python-docx inflates
every part into memory with no limit. Declared sizes can be trusted as a bound:
zipfile stops reading a member at its declared size. python-docx parses XML
with entity resolution off, and the parts read here go through its parser.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.parser import parse_xml

from provenance.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    ProvenanceError,
)
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# Office stores a password-protected .docx as an OLE2 file holding these streams.
_ENCRYPTION_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARAGRAPH, _TABLE, _TEXT_BOX = f"{_W}p", f"{_W}tbl", f"{_W}txbxContent"
# Containers whose children are paragraphs/tables: rows, cells, content controls.
_BLOCK_WRAPPERS = frozenset(f"{_W}{tag}" for tag in ("tr", "tc", "sdt", "sdtContent", "customXml"))
_INLINE_TEXT = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
# Not text: a text box's VML duplicate, properties, field codes.
_SKIPPED = frozenset((_MC_FALLBACK, f"{_W}pPr", f"{_W}rPr", f"{_W}instrText", f"{_W}delInstrText"))
_TEXT = frozenset((f"{_W}t", f"{_W}delText"))
# Tracked deletions and moved-away text: still in the file, revealed by "show changes".
_DELETED = frozenset((f"{_W}del", f"{_W}moveFrom"))
TRACKED_DELETIONS_WARNING = (
    "contains tracked deletions: deleted text is still in the file (Word shows it with "
    '"show changes") and is checked as its own lines'
)
_NOTE_PARTS = (
    (RELATIONSHIP_TYPE.FOOTNOTES, f"{_W}footnote"),
    (RELATIONSHIP_TYPE.ENDNOTES, f"{_W}endnote"),
    (RELATIONSHIP_TYPE.COMMENTS, f"{_W}comment"),
)


def extract_docx(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return the visible text of a .docx (order and layout in the module docstring).

    Raises:
        EncryptedDocumentError: a password-protected Word document.
        DocumentTooLargeError: too many zip members, or too much inflated data.
        CorruptDocumentError: not a zip, not a Word package, or damaged XML.
    """
    _check_package(data, name, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        _refuse_doctype(document.element, name)
        stories = _Stories()
        stories.add_blocks(document.element.body)
        stories.end_story()
        _add_headers_and_footers(document, stories, name)
        _add_notes_and_comments(document, stories, name)
    except (ProvenanceError, MemoryError):
        raise
    except Exception as exc:
        if "amplification" in str(exc):  # libxml2 stopped an entity bomb while parsing
            raise _entity_error(name) from exc
        # python-docx, lxml and zipfile raise many types on damaged input (KeyError,
        # ValueError, XMLSyntaxError, BadZipFile ...); all mean the same to a reviewer.
        raise CorruptDocumentError(
            f"{name}: damaged or not a Word document ({type(exc).__name__}: {exc})"
        ) from exc
    warnings = (TRACKED_DELETIONS_WARNING,) if stories.has_deletions else ()
    return ExtractedText(text=stories.text(), format="docx", warnings=warnings)


def _check_package(data: bytes, name: str, limits: ExtractionLimits) -> None:
    """Refuse encrypted, non-zip and zip-bomb files before python-docx inflates them."""
    if data.startswith(_OLE2_MAGIC):
        if any(stream in data for stream in _ENCRYPTION_STREAMS):
            raise EncryptedDocumentError(
                f"{name}: password-protected Word document; remove the password and re-run"
            )
        raise CorruptDocumentError(
            f"{name}: an old-format Word (.doc) file named .docx; save it as .docx and re-run"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        NotImplementedError,  # "zip file version 23.2": found by scripts/fuzz_extract.py
    ) as exc:
        raise CorruptDocumentError(f"{name}: not a valid .docx (not a zip package: {exc})") from exc
    if len(members) > limits.max_zip_entries:
        raise DocumentTooLargeError(
            f"{name}: {len(members):,} zip members, over the limit of "
            f"{limits.max_zip_entries:,} (ExtractionLimits.max_zip_entries)"
        )
    inflated = sum(member.file_size for member in members)
    if inflated > limits.max_inflated_bytes:
        raise DocumentTooLargeError(
            f"{name}: inflates to {inflated:,} bytes, over the limit of "
            f"{limits.max_inflated_bytes:,} (ExtractionLimits.max_inflated_bytes)"
        )


def _add_headers_and_footers(document: Any, stories: _Stories, name: str) -> None:
    """Add each header/footer part once, in section order.

    A section "linked to previous" has no reference of its own, and first-page
    and even-page variants are separate parts, so following the references of
    every section visits each part exactly once.
    """
    seen: set[str] = set()
    part = document.part
    for sect_pr in document.element.body.xpath(".//w:sectPr"):
        for reference in sect_pr.xpath("w:headerReference | w:footerReference"):
            target = part.related_parts[reference.get(_R_ID)]
            if target.partname in seen:
                continue
            seen.add(target.partname)
            stories.add_blocks(_part_root(target, name))
            stories.end_story()


def _add_notes_and_comments(document: Any, stories: _Stories, name: str) -> None:
    """Add footnotes, endnotes and comments, each as its own story.

    python-docx has no API for notes. Separator "notes" (w:type set) hold no
    text and are skipped.
    """
    relationships = list(document.part.rels.values())
    for reltype, note_tag in _NOTE_PARTS:
        for relationship in relationships:
            if relationship.reltype != reltype or relationship.is_external:
                continue
            for note in _part_root(relationship.target_part, name).iterchildren(note_tag):
                if note.get(f"{_W}type") is None:
                    stories.add_blocks(note)
                    stories.end_story()


def _part_root(part: Any, name: str) -> Any:
    """The root XML element of a part, parsed with python-docx's parser if needed.

    python-docx loads parts it has no class for (footnotes, endnotes, unusual
    content types) as plain blobs; those are parsed here, entities still off.
    """
    element = getattr(part, "element", None)
    root = element if element is not None else parse_xml(part.blob)
    _refuse_doctype(root, f"{name} ({part.partname})")
    return root


def _refuse_doctype(root: Any, name: str) -> None:
    """Refuse a part that declares a DTD: Word never writes one.

    Entities are not expanded (python-docx's parser), so a declaration is not a
    bomb here, but an unexpanded entity reference hides the text after it from
    `.text`: a file could carry text this module would not see. Refusing is
    the only safe reading.
    """
    if root.getroottree().docinfo.doctype:
        raise _entity_error(name)


def _entity_error(name: str) -> CorruptDocumentError:
    return CorruptDocumentError(
        f"{name}: holds XML entity declarations (a DOCTYPE), which Word never writes: "
        "possibly an XML entity bomb; not read",
        reason="XML entity declarations (entity bomb?)",
    )


class _Stories:
    """Collects paragraphs into stories and joins them with the module's layout."""

    def __init__(self) -> None:
        self._stories: list[str] = []
        self._lines: list[str] = []
        self.has_deletions = False

    def add_blocks(self, container: Iterable[Any]) -> None:
        for child in container:
            if child.tag == _PARAGRAPH:
                self._add_paragraph(child)
            elif child.tag == _TABLE:
                self.end_story()
                self.add_blocks(child)
                self.end_story()
            elif child.tag in _BLOCK_WRAPPERS:
                self.add_blocks(child)

    def end_story(self) -> None:
        if any(line.strip() for line in self._lines):
            self._stories.append("\n".join(self._lines).strip("\n"))
        self._lines = []

    def text(self) -> str:
        return "\n\n".join(self._stories)

    def _add_paragraph(self, paragraph: Any) -> None:
        collected = _Paragraph()
        collected.collect(paragraph, deleted=False)
        visible = "".join(collected.pieces)
        deleted = [text for text in collected.deleted if text.strip()]
        if visible or not deleted:
            self._lines.append(visible)
        if deleted:
            self.has_deletions = True
            self._lines.append(" ".join(text.strip() for text in deleted))
        for text_box in collected.text_boxes:
            self.add_blocks(text_box)


class _Paragraph:
    """The text under one paragraph: visible pieces, deleted stretches, text boxes.

    A text box sits inside a run but holds its own paragraphs, so its text
    follows the paragraph instead of being spliced into the middle of it.
    Deletions next to each other (Word splits one deletion into several
    `w:del` elements, one per run) are joined into one stretch.
    """

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.deleted: list[str] = []
        self.text_boxes: list[Any] = []
        self._last_was_deleted = False

    def collect(self, element: Any, *, deleted: bool) -> None:
        for child in element:
            tag = child.tag
            if tag in _TEXT:
                self._add(child.text or "", deleted)
            elif tag in _INLINE_TEXT:
                self._add(_INLINE_TEXT[tag], deleted)
            elif tag == _TEXT_BOX:
                self.text_boxes.append(child)
            elif tag in _DELETED:
                if not deleted and not self._last_was_deleted:
                    self.deleted.append("")
                self._last_was_deleted = True
                self.collect(child, deleted=True)
            elif tag not in _SKIPPED:
                self.collect(child, deleted=deleted)

    def _add(self, text: str, deleted: bool) -> None:
        if deleted:
            if not self.deleted:
                self.deleted.append("")
            self.deleted[-1] += text
        elif text:
            self.pieces.append(text)
            self._last_was_deleted = False
