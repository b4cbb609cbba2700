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
and anyone who turns on "show changes" or "Original" reads it, so a family can
too. A paragraph with deletions is followed by its own line as it read before
the changes (deleted text in place, insertions left out): a copied sentence
whose names were replaced with tracking on is whole again there. The result
carries the warning "contains tracked deletions".

Text that is not in paragraphs is read too, each piece as a line after the
paragraph that anchors it: a picture's alt text (`wp:docPr` descr and title)
and WordArt or a watermark (VML `v:textpath`). SmartArt and chart text (their
own parts), document-assembly chunks (`w:altChunk`: HTML, plain text, a saved
web page or RTF) and
Word documents and Excel workbooks embedded as objects follow the notes, each as its own story;
the document's title, subject, keywords, comments and custom properties come
last (File > Info shows them, and a copied file keeps its old ones). An
embedded object of another kind cannot be read: the result says so in a
warning.

The zip is checked before python-docx reads it, because python-docx inflates
every part into memory with no limit. Declared sizes can be trusted as a bound:
zipfile stops reading a member at its declared size. python-docx parses XML
with entity resolution off, and the parts read here go through its parser.
"""

from __future__ import annotations

import email
import email.policy
import io
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.oxml.parser import parse_xml

from provenance.errors import (
    CorruptDocumentError,
    EncryptedDocumentError,
    ExtractionError,
    ProvenanceError,
)
from provenance.extract import best_effort
from provenance.extract.package import OLE2_MAGIC, checked_members
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

# Office stores a password-protected .docx as an OLE2 file holding these streams.
_ENCRYPTION_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARAGRAPH, _TABLE, _TEXT_BOX = f"{_W}p", f"{_W}tbl", f"{_W}txbxContent"
# Containers whose children are paragraphs/tables: rows, cells, content controls.
_BLOCK_WRAPPERS = frozenset(f"{_W}{tag}" for tag in ("tr", "tc", "sdt", "sdtContent", "customXml"))
_BIDI_OVERRIDE = f"{_W}bdo"
_BIDI_PARAGRAPH = f"{_W}pPr/{_W}bidi"
_RUN = f"{_W}r"
_RUN_SPACING = f"{_W}rPr/{_W}spacing"
_GAP_TWIPS = 40  # expanded spacing of 2 pt or more after a run reads as a gap
_INLINE_TEXT = {
    f"{_W}tab": "\t",
    f"{_W}ptab": "\t",  # an absolute-position tab: a gap on the page all the same
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}
# Not text: a text box's VML duplicate, properties, field codes.
_SKIPPED = frozenset((_MC_FALLBACK, f"{_W}pPr", f"{_W}rPr", f"{_W}instrText", f"{_W}delInstrText"))
# Text runs, deleted text, and the text of an equation (Office Math).
_MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
_TEXT = frozenset((f"{_W}t", f"{_W}delText", _MATH_TEXT))
_SYMBOL = f"{_W}sym"
# Tracked deletions and moved-away text: still in the file, revealed by "show changes".
_DELETED = frozenset((f"{_W}del", f"{_W}moveFrom"))
_INSERTED = frozenset((f"{_W}ins", f"{_W}moveTo"))
# A picture's alt text, and WordArt or a watermark drawn along a VML path.
_PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_TEXT_PATH = "{urn:schemas-microsoft-com:vml}textpath"
TRACKED_DELETIONS_WARNING = (
    "contains tracked deletions: deleted text is still in the file (Word shows it with "
    '"show changes"); each changed paragraph is also checked as it read before the changes'
)
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_A_PARAGRAPH, _A_TEXT = f"{_A}p", f"{_A}t"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_CHART_VALUE = f"{_C}v"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_R_EMBED, _R_LINK = f"{_R}embed", f"{_R}link"
_CHART_TEXT_CACHES = frozenset((f"{_C}strCache", f"{_C}strLit"))  # c:pt's parent
_DRAWING_TYPES = frozenset((CONTENT_TYPE.DML_DIAGRAM_DATA, CONTENT_TYPE.DML_CHART))
_EMBEDDED = frozenset((RELATIONSHIP_TYPE.PACKAGE, RELATIONSHIP_TYPE.OLE_OBJECT))
_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
_RTF_TYPES = frozenset(("application/rtf", "text/rtf"))
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WEB_ARCHIVE_TYPES = frozenset(("message/rfc822", "application/x-mimearchive", "multipart/related"))
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_TEXT_PROPERTY_TYPES = frozenset((f"{_VT}lpwstr", f"{_VT}lpstr", f"{_VT}bstr"))
_MAX_NESTING = 3  # Word documents embedded in embedded documents: deeper ones are named, not read
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
    return _extract(data, name, limits, depth=0)


def _extract(data: bytes, name: str, limits: ExtractionLimits, depth: int) -> ExtractedText:
    """`extract_docx` of a document embedded `depth` documents deep."""
    if data.startswith(OLE2_MAGIC) and not any(s in data for s in _ENCRYPTION_STREAMS):
        from provenance.extract.doc import renamed_doc

        return renamed_doc(data, name, limits, ".docx")
    _check_package(data, name, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        _refuse_doctype(document.element, name)
        stories = _Stories()
        stories.add_blocks(document.element.body)
        stories.end_story()
        _add_headers_and_footers(document, stories, name)
        _add_notes_and_comments(document, stories, name)
        _add_other_parts(document, stories, name, limits, depth)
        read_properties = partial(_add_properties, document, stories, name)
        best_effort(read_properties, None, "document properties", stories.warnings)
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
    warnings = ((TRACKED_DELETIONS_WARNING,) if stories.has_deletions else ()) + tuple(
        stories.warnings
    )
    pictures = _body_pictures(document.element.body)
    if pictures:
        warnings += (
            f"{pictures} picture(s) in the body were not read: text in a picture (a "
            "screenshot, a genogram) is not checked; look at them",
        )
    return ExtractedText(text=stories.text(), format="docx", warnings=warnings)


def _body_pictures(body: Any) -> int:
    """How many pictures the body shows (headers' and footers' logos not counted).

    A picture of another family's record, a screenshot or a genogram with
    its names, is a leak no text reading can find: the reviewer is told to
    look (found in a black-box round, where it cleared with no word)."""
    return sum(1 for blip in body.iter(_A_BLIP) if blip.get(_R_EMBED) or blip.get(_R_LINK))


def _check_package(data: bytes, name: str, limits: ExtractionLimits) -> None:
    """Refuse encrypted, non-zip and zip-bomb files before python-docx inflates them."""
    if data.startswith(OLE2_MAGIC) and any(stream in data for stream in _ENCRYPTION_STREAMS):
        raise EncryptedDocumentError(
            f"{name}: password-protected Word document; remove the password and re-run"
        )
    checked_members(data, name, limits, ".docx")


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


def _add_other_parts(
    document: Any, stories: _Stories, name: str, limits: ExtractionLimits, depth: int
) -> None:
    """Add the text of SmartArt, charts, `w:altChunk` chunks and embedded Word
    documents, each part as its own story; name the embedded objects that
    cannot be read in a warning.

    Every part of the package is visited once, whoever refers to it (the body,
    a header, a note), in the order python-docx loaded them.
    """
    chunks = set()
    embedded = set()
    for part in document.part.package.iter_parts():
        for relationship in part.rels.values():
            if relationship.is_external:
                continue
            if relationship.reltype == RELATIONSHIP_TYPE.A_F_CHUNK:
                chunks.add(relationship.target_part.partname)
            elif relationship.reltype in _EMBEDDED:
                embedded.add(relationship.target_part.partname)
    for part in document.part.package.iter_parts():
        if part.content_type in _DRAWING_TYPES:
            read = partial(_add_drawing, part, stories, name)
        elif part.partname in chunks or part.partname in embedded:
            read = partial(_add_embedded, part, f"{name} ({part.partname})", stories, limits, depth)
        else:
            continue
        best_effort(read, None, str(part.partname), stories.warnings)


def _add_drawing(part: Any, stories: _Stories, name: str) -> None:
    stories.add_lines(_drawing_lines(_part_root(part, name)))


def _add_embedded(
    part: Any, inside: str, stories: _Stories, limits: ExtractionLimits, depth: int
) -> None:
    """One chunk or embedded object: its text, or a warning that it was not read."""
    from provenance.extract.eml import MessageParts, body_sections
    from provenance.extract.html_text import html_to_text
    from provenance.extract.rtf import extract_rtf
    from provenance.extract.text import extract_plain_text
    from provenance.extract.xlsx import extract_xlsx

    content_type = part.content_type.split(";")[0].strip().lower()
    if content_type in _HTML_TYPES:
        stories.add_lines([html_to_text(extract_plain_text(part.blob, inside, limits).text)])
    elif content_type in _WEB_ARCHIVE_TYPES:  # a saved web page (.mht): MIME around HTML
        archive = MessageParts(email.message_from_bytes(part.blob, policy=email.policy.default))
        stories.add_lines(body_sections(archive.plain, archive.html))
    elif content_type == "text/plain":
        stories.add_lines([extract_plain_text(part.blob, inside, limits).text])
    elif content_type == _XLSX_TYPE:  # a table pasted from Excel as an object
        try:
            sheet = extract_xlsx(part.blob, inside, limits)
        except ExtractionError as error:
            stories.warnings.append(
                f"holds an embedded object that was not read: {part.partname} ({error.reason})"
            )
            return
        stories.add_lines([sheet.text])
        stories.warnings.extend(sheet.warnings)
    elif content_type in _RTF_TYPES:
        chunk = extract_rtf(part.blob, inside, limits)
        stories.add_lines([chunk.text])
        stories.warnings.extend(chunk.warnings)
    elif content_type == CONTENT_TYPE.WML_DOCUMENT and depth < _MAX_NESTING:
        try:
            nested = _extract(part.blob, inside, limits, depth + 1)
        except ExtractionError as error:
            stories.warnings.append(f"holds an embedded document that was not read: {error}")
            return
        stories.add_lines([nested.text])
        stories.warnings.extend(nested.warnings)
    else:
        stories.warnings.append(
            f"holds an embedded object that was not read: {part.partname} ({content_type}); "
            "open the document and check what it shows"
        )


def _drawing_lines(root: Any) -> list[str]:
    """The text of a SmartArt data part or a chart: each DrawingML paragraph
    (`a:p`: a SmartArt shape's text, a chart or axis title) and each text
    value of a chart's caches (series names, category labels) as a line."""
    lines = [
        "".join(t.text or "" for t in paragraph.iter(_A_TEXT))
        for paragraph in root.iter(_A_PARAGRAPH)
    ]
    lines += [
        value.text or ""
        for value in root.iter(_CHART_VALUE)
        if value.getparent().getparent().tag in _CHART_TEXT_CACHES
    ]
    return lines


def _add_properties(document: Any, stories: _Stories, name: str) -> None:
    """Add the title, subject, keywords, comments and category of the document,
    and the text of its custom properties, as the last story."""
    core = document.core_properties
    lines = [core.title, core.subject, core.keywords, core.comments, core.category]
    for part in document.part.package.iter_parts():
        if part.content_type == CONTENT_TYPE.OFC_CUSTOM_PROPERTIES:
            for prop in _part_root(part, name).iterchildren():
                values = [v.text for v in prop.iterchildren() if v.tag in _TEXT_PROPERTY_TYPES]
                lines += [f"{prop.get('name') or ''}: {v}" for v in values if v and v.strip()]
    stories.add_lines([line for line in lines if line and line.strip()])


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
        self.warnings: list[str] = []

    def add_lines(self, lines: Iterable[str]) -> None:
        """Add text that is not WordprocessingML paragraphs as one story."""
        self.end_story()
        self._lines = [line for line in lines if line.strip()]
        self.end_story()

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
        bidi = paragraph.find(_BIDI_PARAGRAPH)
        if bidi is not None and bidi.get(f"{_W}val") not in ("0", "false", "off"):
            # Laid out right to left: marked for the check's right-to-left reading.
            collected.collect_text("\u200f")
        collected.collect(paragraph, deleted=False, inserted=False)
        visible = "".join(collected.pieces)
        original = "".join(collected.original)
        if visible or not collected.deleted_text:
            self._lines.append(visible)
        if collected.deleted_text:
            self.has_deletions = True
            self._lines.append(original)
        for text_box in collected.text_boxes:
            self.add_blocks(text_box)
        self._lines.extend(text for text in collected.shape_texts if text.strip())


class _Paragraph:
    """The text under one paragraph: as it reads now, as it read before its
    tracked changes, its text boxes, and the text of its pictures and shapes.

    A text box sits inside a run but holds its own paragraphs, so its text
    follows the paragraph instead of being spliced into the middle of it.
    """

    def __init__(self) -> None:
        self.pieces: list[str] = []  # the visible text: insertions in, deletions out
        self.original: list[str] = []  # before the changes: deletions in, insertions out
        self.deleted_text = False  # whether a deletion holds more than spaces
        self.text_boxes: list[Any] = []
        self.shape_texts: list[str] = []  # alt text, WordArt, watermarks

    def collect(self, element: Any, *, deleted: bool, inserted: bool) -> None:
        for child in element:
            tag = child.tag
            if tag in _TEXT:
                self._add(child.text or "", deleted, inserted)
            elif tag in _INLINE_TEXT:
                self._add(_INLINE_TEXT[tag], deleted, inserted)
            elif tag == _SYMBOL:
                self._add(_symbol(child), deleted, inserted)
            elif tag == _TEXT_BOX:
                self.text_boxes.append(child)
            elif tag == _PICTURE:
                self.shape_texts += [child.get("title") or "", child.get("descr") or ""]
            elif tag == _TEXT_PATH:
                self.shape_texts.append(child.get("string") or "")
            elif tag in _DELETED:
                self.collect(child, deleted=True, inserted=inserted)
            elif tag in _INSERTED:
                self.collect(child, deleted=deleted, inserted=True)
            elif tag == _RUN and _spaced_apart(child):
                # Expanded character spacing draws a gap after the run: a
                # zero-width space, read as a word break by the check's
                # invisible-characters reading and as nothing otherwise.
                self.collect(child, deleted=deleted, inserted=inserted)
                self._add("\u200b", deleted, inserted)
            elif tag == _BIDI_OVERRIDE and child.get(f"{_W}val") == "rtl":
                # Shown right to left: marked for the check's reading as shown.
                self._add("\u202e", deleted, inserted)
                self.collect(child, deleted=deleted, inserted=inserted)
                self._add("\u202c", deleted, inserted)
            elif tag not in _SKIPPED:
                self.collect(child, deleted=deleted, inserted=inserted)

    def collect_text(self, text: str) -> None:
        """Add text that stands before the paragraph's own (a layout mark)."""
        self._add(text, deleted=False, inserted=False)

    def _add(self, text: str, deleted: bool, inserted: bool) -> None:
        if not deleted:
            self.pieces.append(text)
        elif text.strip():
            self.deleted_text = True
        if not inserted:
            self.original.append(text)


def _spaced_apart(run: Any) -> bool:
    """Whether the run's character spacing (`w:spacing`, in twentieths of a
    point) is expanded by `_GAP_TWIPS` or more: a gap a reader sees as a space
    (found in a black-box round: words with no spaces, apart only by this)."""
    spacing = run.find(_RUN_SPACING)
    value = spacing.get(f"{_W}val") if spacing is not None else None
    try:
        return value is not None and int(value) >= _GAP_TWIPS
    except ValueError:
        return False


def _symbol(element: Any) -> str:
    """The character a `w:sym` stands for. Codes of U+F000 and up are glyphs of
    a symbol font (Wingdings' tick box), not letters, and give no text.

    Word writes letters as `w:t`; a letter written as a symbol would otherwise
    cut a word in two ("Oak" + r + "idge") and hide it from the check.
    """
    try:
        code = int(element.get(f"{_W}char") or "", 16)
    except ValueError:
        return ""
    if code >= 0xF000 or 0xD800 <= code < 0xE000 or code < 0x20:
        return ""
    return chr(code)
