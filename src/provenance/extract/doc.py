"""Word 97-2003 (.doc): the text of every story, from the document's piece table.

Years of a trust's records are .doc files. The text of a .doc is kept in the
`WordDocument` stream as pieces, listed by the piece table in the table
stream (`1Table` or `0Table`, [MS-DOC] 2.8.35): each piece is a run of
characters stored either as UTF-16 or as Windows-1252 bytes. Read in piece
order, the pieces are the body, then the footnotes, headers and footers,
comments, endnotes and text boxes: every story a reader can open, which is
what this check must see. Field instructions (the code between a field's
begin and separator marks: `HYPERLINK "..."`, `PAGE`) are dropped and their
shown results kept; pictures and other object anchors are dropped.

Files named .doc are often something else: Word saves RTF and web pages
under that name, and systems export .docx (or .odt, .xlsx, .xls) as .doc. Those are read by
their own readers. The compound file is opened with `olefile` (BSD, the reader
oletools and others use); a password-protected .doc is refused as such.
"""

from __future__ import annotations

import re
import struct
from typing import TYPE_CHECKING

from provenance.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
)
from provenance.extract.package import OLE2_MAGIC, checked_members, compound_file
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_WORD_IDENT = 0xA5EC
_FLAGS_AT = 0x0A  # FibBase flags: fWhichTblStm (1Table), fEncrypted, ...
_WHICH_TABLE = 0x0200
_ENCRYPTED = 0x0100
_CLX_AT = 0x01A2  # FibRgFcLcb97: fcClx, then lcbClx
_COMPRESSED = 0x40000000  # a piece's fc: 8-bit Windows-1252 text at fc / 2
# Word's marks in the character stream, as text.
_MARKS = str.maketrans(
    {
        "\r": "\n",  # paragraph end
        "\x07": "\t",  # table cell or row end
        "\x0b": "\n",  # line break
        "\x0c": "\n",  # page or section break
        "\x1e": "-",  # non-breaking hyphen
        "\x1f": "",  # optional hyphen
        "\xa0": " ",
        "\x01": "",  # picture
        "\x02": "",  # footnote or endnote reference
        "\x05": "",  # comment reference
        "\x08": "",  # drawn object
    }
)
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_BLANK_LINES = re.compile(r"\n{3,}")


def extract_doc(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return every story's text, in piece-table order.

    Raises:
        EncryptedDocumentError: saved with a password.
        CorruptDocumentError: not a Word document, or a damaged one.
    """
    other = other_format(data, name, limits)
    if other is not None:
        return other
    with compound_file(data, name, "Word document") as package:
        workbook = package.exists("Workbook") or package.exists("Book")
        if not package.exists("WordDocument") and workbook:
            return _excel_workbook(data, name, limits)
        if not package.exists("WordDocument"):
            raise CorruptDocumentError(
                f"{name}: an Office file that is not a Word document (no WordDocument "
                "stream): a spreadsheet or presentation named .doc?"
            )
        document = package.openstream("WordDocument").read()
        flags = _flags(document, name)
        if flags & _ENCRYPTED:
            raise EncryptedDocumentError(
                f"{name}: password-protected Word document; remove the password and re-run"
            )
        table_name = "1Table" if flags & _WHICH_TABLE else "0Table"
        if not package.exists(table_name):
            raise CorruptDocumentError(f"{name}: damaged Word document (no {table_name})")
        table = package.openstream(table_name).read()
    text = _without_field_codes(_pieces_text(document, table, name, limits.max_text_chars))
    # A row ends with a mark after its last cell's: two in a row (an empty cell
    # looks the same; a line break there costs nothing to matching).
    text = text.replace("\x07\x07", "\x07\n").translate(_MARKS)
    lines = "\n".join(line.rstrip("\t ") for line in text.split("\n"))
    return ExtractedText(text=_BLANK_LINES.sub("\n\n", lines).strip(), format="doc")


def _excel_workbook(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """An Excel 97-2003 workbook named .doc: read as .xls, with a warning."""
    from provenance.extract.xls import extract_xls

    extracted = extract_xls(data, name, limits)
    warning = "an Excel 97-2003 workbook named .doc: read as xls"
    return ExtractedText(text=extracted.text, format="xls", warnings=(warning, *extracted.warnings))


def renamed_doc(data: bytes, name: str, limits: ExtractionLimits, suffix: str) -> ExtractedText:
    """A Word 97-2003 file saved under another format's name (`suffix`): read
    as what it is, with a warning that says so.

    Raises:
        CorruptDocumentError, EncryptedDocumentError: as `extract_doc`.
    """
    extracted = extract_doc(data, name, limits)
    warning = f"an old-format Word (.doc) file named {suffix}: read as .doc"
    return ExtractedText(text=extracted.text, format="doc", warnings=(warning, *extracted.warnings))


def other_format(
    data: bytes, name: str, limits: ExtractionLimits, expected: str = "a Word document"
) -> ExtractedText | None:
    """The text of a file named for an old Office format (.doc, .xls) that is
    really RTF, a web page or a zip package (.docx, .odt, .xlsx); None for a
    compound file, the old formats' own container.

    Raises:
        CorruptDocumentError: none of these; the message names `expected`.
    """
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"{\\rtf"):
        from provenance.extract.rtf import extract_rtf

        return extract_rtf(data, name, limits)
    if start.startswith(b"pk\x03\x04"):
        return zip_package(data, name, limits)
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start:
        from provenance.extract.html_text import extract_html

        return extract_html(data, name, limits)
    if not data.startswith(OLE2_MAGIC):
        raise CorruptDocumentError(f"{name}: not {expected} (no Office file signature)")
    return None


def zip_package(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """A zip named .doc: a .docx, an .odt or an .xlsx, by the parts it holds."""
    members = {member.filename for member in checked_members(data, name, limits, "Office file")}
    if "content.xml" in members:
        from provenance.extract.odt import extract_odt

        return extract_odt(data, name, limits)
    if any(member.startswith("xl/") for member in members):
        from provenance.extract.xlsx import extract_xlsx

        return extract_xlsx(data, name, limits)
    from provenance.extract.docx import extract_docx

    return extract_docx(data, name, limits)


def _flags(document: bytes, name: str) -> int:
    identifier, _ = struct.unpack_from("<HH", document, 0)
    if identifier != _WORD_IDENT:
        raise CorruptDocumentError(f"{name}: damaged Word document (no Word file header)")
    flags: int = struct.unpack_from("<H", document, _FLAGS_AT)[0]
    return flags


def _pieces_text(document: bytes, table: bytes, name: str, max_chars: int) -> str:
    """The characters of every piece, in order ([MS-DOC] 2.9.38 Clx, 2.8.35 PlcPcd).

    Raises:
        DocumentTooLargeError: the pieces add up to more than `max_chars`
            (a table can list one piece many times over).
    """
    clx_at, clx_size = struct.unpack_from("<II", document, _CLX_AT)
    clx = table[clx_at : clx_at + clx_size]
    position = 0
    while position < len(clx) and clx[position] == 0x01:  # Prc: formatting, skipped
        (size,) = struct.unpack_from("<H", clx, position + 1)
        position += 3 + size
    if position >= len(clx) or clx[position] != 0x02:
        raise CorruptDocumentError(f"{name}: damaged Word document (no piece table)")
    (size,) = struct.unpack_from("<I", clx, position + 1)
    plc = clx[position + 5 : position + 5 + size]
    count = (len(plc) - 4) // 12  # n + 1 character positions, then n 8-byte descriptors
    if count < 1:
        return ""
    positions = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces = []
    total = 0
    for index in range(count):
        (stored,) = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * index + 2)
        length = max(0, positions[index + 1] - positions[index])
        total += length
        if total > max_chars:
            raise DocumentTooLargeError(
                f"{name}: more than {max_chars:,} characters of text "
                "(ExtractionLimits.max_text_chars)"
            )
        if stored & _COMPRESSED:
            start = (stored & ~_COMPRESSED) // 2
            pieces.append(document[start : start + length].decode("cp1252", errors="replace"))
        else:
            pieces.append(document[stored : stored + 2 * length].decode("utf-16-le", "replace"))
    return "".join(pieces)


def _without_field_codes(text: str) -> str:
    """Drop each field's instructions (begin mark to separator, or to its end
    when it has no result); keep what the field shows. Fields nest."""
    if _FIELD_BEGIN not in text:
        return text
    kept = []
    hiding: list[bool] = []  # for each open field: still in its instructions
    hidden = 0  # how many of them are
    for char in text:
        if char == _FIELD_BEGIN:
            hiding.append(True)
            hidden += 1
        elif char == _FIELD_SEPARATOR and hiding:
            hidden -= hiding[-1]
            hiding[-1] = False
        elif char == _FIELD_END and hiding:
            hidden -= hiding.pop()
        elif not hidden:
            kept.append(char)
    return "".join(kept)
