"""Excel 97-2003 workbooks (.xls): every sheet's cells, a row per line.

Years of chronologies and contact logs were kept as .xls before .xlsx, and a
row of another family's chronology pasted into a plan is a leak like any
other. Read as .xlsx is (xlsx.py): "Sheet: NAME", then its rows, cells
separated by tabs, hidden sheets too (they are in the file the family would
receive). Text as written; a number as Excel shows it without formatting (3,
not 3.0); a date as day/month/year, the way UK records write it and the way
the checked text's dates are read (normalize.py); a formula's saved result.

The BIFF records are parsed by xlrd (BSD, the reader pandas used for .xls);
each sheet's cell comments follow its rows, as xlrd finds them (its NOTE
records). Text boxes and defined names are not read. A password-protected
workbook is refused as such. Files named .xls are often something else:
Excel saves web pages and .xlsx under that name, and a Word document may be
misnamed; each is read by its own reader.
"""

from __future__ import annotations

import datetime
import functools
import io
from typing import TYPE_CHECKING

from provenance.errors import CorruptDocumentError, EncryptedDocumentError
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits


def extract_xls(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return each sheet's name and rows.

    Raises:
        EncryptedDocumentError: saved with a password.
        CorruptDocumentError: not a workbook, or damaged.
    """
    from provenance.extract.doc import other_format

    other = other_format(data, name, limits, "an Excel workbook")
    if other is not None:
        return _named(other, f"an .{other.format} file")
    import xlrd

    try:
        # xlrd reports damage it works around to its log file, standard output
        # by default: in the parser process that is no place for it.
        book = xlrd.open_workbook(
            file_contents=data, on_demand=False, ragged_rows=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as error:
        message = str(error)
        if "encrypted" in message.lower():
            raise EncryptedDocumentError(
                f"{name}: password-protected workbook; remove the password and re-run"
            ) from error
        if "workbook" in message.lower() and b"W\x00o\x00r\x00d\x00D\x00o\x00c" in data:
            return _word_document(data, name, limits)
        raise CorruptDocumentError(
            f"{name}: not a readable Excel 97-2003 workbook ({message})"
        ) from error
    except MemoryError:
        raise
    except Exception as error:  # xlrd meets damaged records as struct, index or value errors
        raise CorruptDocumentError(
            f"{name}: a damaged Excel 97-2003 workbook ({type(error).__name__})"
        ) from error
    from provenance.extract import best_effort

    sheets: list[str] = []
    warnings: list[str] = []
    for sheet in book.sheets():
        lines = [f"Sheet: {sheet.name}"]
        for row in range(sheet.nrows):
            cells = [_cell_text(cell, book.datemode) for cell in sheet.row(row)]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                lines.append("\t".join(cells))
        lines += best_effort(
            functools.partial(_notes, sheet), [], f"comments of sheet {sheet.name}", warnings
        )
        sheets.append("\n".join(lines))
    return ExtractedText(text="\n\n".join(sheets), format="xls", warnings=tuple(warnings))


def _notes(sheet: object) -> list[str]:
    """A sheet's cell comments (NOTE records, as xlrd finds them), in cell order."""
    found = getattr(sheet, "cell_note_map", {}) or {}
    texts = [str(getattr(found[cell], "text", "") or "").strip() for cell in sorted(found)]
    return [text for text in texts if text]


def _cell_text(cell: object, datemode: int) -> str:
    """A cell as Excel shows it, without its number format."""
    import xlrd

    kind, value = getattr(cell, "ctype", 0), getattr(cell, "value", "")
    if kind == xlrd.XL_CELL_TEXT:
        return str(value).strip()
    if kind == xlrd.XL_CELL_NUMBER:
        return _number(float(value))
    if kind == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(float(value), datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _number(float(value))
        shown: str = when.strftime(
            "%d/%m/%Y" if when.time() == datetime.time(0, 0) else "%d/%m/%Y %H:%M"
        )
        return shown
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    return ""  # empty, blank, or an error value (#N/A)


def _number(value: float) -> str:
    """3.0 as "3", 12.5 as "12.5".

    >>> _number(3.0), _number(12.5), _number(-0.25)
    ('3', '12.5', '-0.25')
    """
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _word_document(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    from provenance.extract.doc import extract_doc

    return _named(extract_doc(data, name, limits), "a Word 97-2003 document")


def _named(extracted: ExtractedText, what: str) -> ExtractedText:
    """`extracted`, with a warning that its file was named .xls."""
    warning = f"{what} named .xls: read as {extracted.format}"
    return ExtractedText(
        text=extracted.text,
        format=extracted.format,
        encoding=extracted.encoding,
        warnings=(warning, *extracted.warnings),
    )
