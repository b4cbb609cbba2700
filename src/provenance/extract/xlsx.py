"""Excel workbooks (.xlsx): every sheet's cells, a row per line.

Chronologies, contact logs and referral trackers are kept as spreadsheets,
and a row of another family's chronology pasted into a plan is the same leak
as a paragraph of their minutes. Each sheet is read in workbook order as
"Sheet: NAME", then its rows, cells separated by tabs: shared strings (the
usual way Excel stores text), inline strings, formula results and numbers
as stored. Cell comments (notes) follow their sheet's rows. Hidden sheets are
read too: they are in the file the family would receive.

The package's size is checked before anything is inflated (package.py); the
XML is parsed with the standard library after refusing any DOCTYPE, as for
.odt.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from provenance.errors import CorruptDocumentError, EncryptedDocumentError
from provenance.extract.package import OLE2_MAGIC, checked_members, parsed_part
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def extract_xlsx(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return each sheet's name and rows, then its cell comments.

    Raises:
        EncryptedDocumentError: saved with a password (an encrypted OLE file).
        CorruptDocumentError: not a workbook, or damaged XML.
        DocumentTooLargeError: a zip bomb (package.py).
    """
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocumentError(
                f"{name}: password-protected workbook; remove the password and re-run"
            )
        raise CorruptDocumentError(
            f"{name}: an old-format Excel (.xls) file named .xlsx; save it as .xlsx and re-run"
        )
    members = {member.filename for member in checked_members(data, name, limits, ".xlsx")}
    if "xl/workbook.xml" not in members:
        raise CorruptDocumentError(f"{name}: not an Excel workbook (no xl/workbook.xml)")
    with zipfile.ZipFile(io.BytesIO(data)) as package:

        def part(path: str) -> ElementTree.Element | None:
            if path not in members:
                return None
            return parsed_part(package.read(path), f"{name} ({path})", "Excel")

        shared = _shared_strings(part("xl/sharedStrings.xml"))
        workbook = part("xl/workbook.xml")
        targets = _targets(part("xl/_rels/workbook.xml.rels"), "xl")
        blocks = []
        for sheet in workbook.iter(f"{_MAIN}sheet") if workbook is not None else ():
            path = targets.get(sheet.get(f"{_REL}id", ""), "")
            root = part(path)
            if root is None:
                continue
            rows = [_row(row, shared) for row in root.iter(f"{_MAIN}row")]
            lines = [f"Sheet: {sheet.get('name', '')}", *(row for row in rows if row.strip())]
            directory, file = posixpath.split(path)
            sheet_rels = _targets(part(f"{directory}/_rels/{file}.rels"), directory)
            for target in sheet_rels.values():
                if posixpath.basename(target).startswith("comments"):
                    lines += _comments(part(target))
            blocks.append("\n".join(lines))
    return ExtractedText(text="\n\n".join(blocks), format="xlsx")


def _text_of(element: ElementTree.Element) -> str:
    """A string item's text: its runs' `t` elements (phonetic hints left out)."""
    return "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))


def _shared_strings(root: ElementTree.Element | None) -> list[str]:
    return [] if root is None else [_text_of(item) for item in root.iter(f"{_MAIN}si")]


def _targets(root: ElementTree.Element | None, base: str) -> dict[str, str]:
    """Relationship id -> the part it points at, as a path inside the package."""
    if root is None:
        return {}
    targets = {}
    for relation in root.iter(f"{_PACKAGE_REL}Relationship"):
        target = relation.get("Target", "")
        if relation.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        targets[relation.get("Id", "")] = posixpath.normpath(path)
    return targets


def _row(row: ElementTree.Element, shared: list[str]) -> str:
    cells = []
    for cell in row.iter(f"{_MAIN}c"):
        kind = cell.get("t", "n")
        value = cell.find(f"{_MAIN}v")
        raw = (value.text or "") if value is not None else ""
        if kind == "s":
            index = int(raw) if raw.isdigit() else -1
            cells.append(shared[index] if 0 <= index < len(shared) else "")
        elif kind == "inlineStr":
            inline = cell.find(f"{_MAIN}is")
            cells.append(_text_of(inline) if inline is not None else "")
        else:  # numbers, booleans, formula results ("str"), errors: as stored
            cells.append(raw)
    return "\t".join(cells).rstrip("\t")


def _comments(root: ElementTree.Element | None) -> list[str]:
    if root is None:
        return []
    return [_text_of(comment) for comment in root.iter(f"{_MAIN}comment")]
