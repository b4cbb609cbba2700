"""Excel workbooks (.xlsx): every sheet's cells, a row per line.

Chronologies, contact logs and referral trackers are kept as spreadsheets,
and a row of another family's chronology pasted into a plan is the same leak
as a paragraph of their minutes. Each sheet is read in workbook order as
"Sheet: NAME", then its rows, cells separated by tabs, placed by their
addresses as Excel places them: shared strings (the usual way Excel stores
text), inline strings, formula results and numbers as stored, and for a
formula with no saved result the strings it joins. Then the print headers
and footers, cell notes, threaded comments and text boxes. Hidden sheets
are read too: they are in the file the family would receive. Parts are
found through the package's relationships, and element names are matched
without their namespace, so Strict workbooks are read as well.

The package's size is checked before anything is inflated (package.py); the
XML is parsed with the standard library after refusing any DOCTYPE, as for
.odt.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from provenance.errors import CorruptDocumentError, EncryptedDocumentError
from provenance.extract.csv_text import formula_strings
from provenance.extract.package import OLE2_MAGIC, checked_members, parsed_part
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits


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
        from provenance.extract.xls import extract_xls

        extracted = extract_xls(data, name, limits)
        warning = f"an old-format Excel (.xls) file named .xlsx: read as {extracted.format}"
        return ExtractedText(
            text=extracted.text, format=extracted.format, warnings=(warning, *extracted.warnings)
        )
    members = {member.filename for member in checked_members(data, name, limits, ".xlsx")}
    with zipfile.ZipFile(io.BytesIO(data)) as package:

        def part(path: str) -> ElementTree.Element | None:
            if path not in members:
                return None
            return parsed_part(package.read(path), f"{name} ({path})", "Excel")

        book_path = _related(part("_rels/.rels"), "", "officeDocument") or ["xl/workbook.xml"]
        workbook = part(book_path[0])
        if workbook is None or _local(workbook.tag) != "workbook":
            raise CorruptDocumentError(f"{name}: not an Excel workbook (no workbook part)")
        book_dir, book_file = posixpath.split(book_path[0])
        book_rels = part(f"{book_dir}/_rels/{book_file}.rels")
        strings = _related(book_rels, book_dir, "sharedStrings") or [
            f"{book_dir}/sharedStrings.xml"
        ]
        shared = _shared_strings(part(strings[0]))
        targets = _targets(book_rels, book_dir)
        blocks = []
        for sheet in _each(workbook, "sheet"):
            path = targets.get(_attribute(sheet, "id"), "")
            root = part(path)
            if root is None:
                continue
            rows = sorted(_each(root, "row"), key=_row_number)
            lines = [f"Sheet: {sheet.get('name', '')}"]
            lines += [text for row in rows if (text := _row(row, shared)).strip()]
            lines += [_header_text(item) for item in _each(root, "headerFooter")]
            sheet_dir, sheet_file = posixpath.split(path)
            for target in _targets(
                part(f"{sheet_dir}/_rels/{sheet_file}.rels"), sheet_dir
            ).values():
                lines += _texts_of(part(target))  # notes, threaded comments, drawings
            blocks.append("\n".join(line for line in lines if line.strip()))
    return ExtractedText(text="\n\n".join(blocks), format="xlsx")


def _local(tag: str) -> str:
    """An element's name without its namespace: Excel writes Transitional and
    Strict workbooks, whose namespaces differ."""
    return tag.rsplit("}", 1)[-1]


def _each(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [element for element in root.iter() if _local(element.tag) == name]


def _attribute(element: ElementTree.Element, name: str) -> str:
    """An attribute by its local name (r:id is namespaced, differently in Strict)."""
    return next((value for key, value in element.attrib.items() if _local(key) == name), "")


def _related(root: ElementTree.Element | None, base: str, kind: str) -> list[str]:
    """The parts a relationships part points at whose type ends in `kind`."""
    if root is None:
        return []
    return [
        _resolved(base, relation.get("Target", ""))
        for relation in _each(root, "Relationship")
        if relation.get("Type", "").endswith(f"/{kind}") and relation.get("Target")
    ]


def _resolved(base: str, target: str) -> str:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
    return posixpath.normpath(path)


_HEADER_CODES = re.compile(r'&(?:"[^"]*"|\d+|.)')
_CELL_COLUMN = re.compile(r"[A-Za-z]+")


def _header_text(element: ElementTree.Element) -> str:
    """A print header's or footer's text, without its codes (&L, &P, &"Arial,Bold")."""
    return " ".join(" ".join(_HEADER_CODES.sub(" ", item.text or "") for item in element).split())


def _row_number(row: ElementTree.Element) -> int:
    number = row.get("r", "")
    return int(number) if number.isdigit() else 0


def _column_number(cell: ElementTree.Element) -> int:
    """The cell's column from its address ("C7" is 3); Excel places cells by it,
    whatever their order in the file."""
    found = _CELL_COLUMN.match(cell.get("r", ""))
    number = 0
    for letter in found.group(0).upper() if found else "":
        number = number * 26 + ord(letter) - 64
    return number


def _text_of(element: ElementTree.Element) -> str:
    """A string item's text: its runs' `t` elements (a phonetic reading, rare,
    is read too)."""
    return "".join(t.text or "" for t in _each(element, "t"))


def _texts_of(root: ElementTree.Element | None) -> list[str]:
    """Text kept beside a sheet: notes (`comment`), threaded comments (`text`)
    and drawings' text boxes (`a:p` paragraphs)."""
    if root is None:
        return []
    kind = _local(root.tag)
    if kind == "comments":
        return [_text_of(comment) for comment in _each(root, "comment")]
    if kind == "ThreadedComments":
        return [item.text or "" for item in _each(root, "text")]
    if kind in ("wsDr", "drawing"):
        return [
            "".join(t.text or "" for t in _each(paragraph, "t")) for paragraph in _each(root, "p")
        ]
    return []


def _shared_strings(root: ElementTree.Element | None) -> list[str]:
    return [] if root is None else [_text_of(item) for item in _each(root, "si")]


def _targets(root: ElementTree.Element | None, base: str) -> dict[str, str]:
    """Relationship id -> the part it points at, as a path inside the package."""
    if root is None:
        return {}
    return {
        relation.get("Id", ""): _resolved(base, relation.get("Target", ""))
        for relation in _each(root, "Relationship")
        if relation.get("TargetMode") != "External" and relation.get("Target")
    }


def _row(row: ElementTree.Element, shared: list[str]) -> str:
    placed = []
    column = 0
    for cell in _each(row, "c"):
        # A cell without an address follows the one before it.
        column = _column_number(cell) or column + 1
        placed.append((column, cell))
    cells = []
    for _, cell in sorted(placed, key=lambda item: item[0]):
        kind = cell.get("t", "n")
        value = next(iter(_each(cell, "v")), None)
        raw = (value.text or "") if value is not None else ""
        formula = next(iter(_each(cell, "f")), None)
        if kind == "s":
            index = int(raw) if raw.isdigit() else -1
            cells.append(shared[index] if 0 <= index < len(shared) else "")
        elif kind == "inlineStr":
            cells.append("".join(_text_of(item) for item in _each(cell, "is")))
        elif not raw and formula is not None and formula.text:
            # No result saved (Excel works it out on opening): the text a formula
            # joins from quoted strings ("Kay"&"den", CONCATENATE("Kay","den")).
            cells.append(formula_strings(f"={formula.text}"))
        else:  # numbers, booleans, formula results ("str"), errors: as stored
            cells.append(raw)
    return "\t".join(cells).rstrip("\t")
