"""CSV exports (.csv): the text as it is, and what formulas in it show.

A CSV file is read as plain text (text.py), so offsets index the file as
decoded. Excel works out a cell written as a formula when it opens the file:
`="Kay"&"den"` shows "Kayden", which the text alone splits into pieces. The
strings such formulas join follow the text, a line per cell, under
"Formulas:".
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from provenance.extract.text import extract_plain_text
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_FORMULA_STRING = re.compile(r'"((?:[^"]|"")*)"')


def extract_csv(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return the decoded text, then the text its formula cells show.

    Raises:
        CorruptDocumentError: the bytes are not text (text.py).
    """
    plain = extract_plain_text(data, name, limits)
    shown = [joined for cell in _cells(plain.text) if (joined := formula_strings(cell))]
    if not shown:
        return ExtractedText(
            text=plain.text, format="csv", encoding=plain.encoding, warnings=plain.warnings
        )
    text = plain.text.rstrip("\r\n") + "\n\nFormulas:\n" + "\n".join(shown)
    return ExtractedText(text=text, format="csv", encoding=plain.encoding, warnings=plain.warnings)


def formula_strings(cell: str) -> str:
    """The strings a formula joins ('="Kay"&"den"' gives "Kayden"), or ""
    for a cell that is no formula or joins no string."""
    if not cell.lstrip().startswith("="):
        return ""
    return "".join(found.replace('""', '"') for found in _FORMULA_STRING.findall(cell))


def _cells(text: str) -> list[str]:
    """Every cell, by the delimiter the file seems to use (a comma if unsure);
    none when the text is not CSV the standard library can parse."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:65536], ",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        return [cell for row in csv.reader(io.StringIO(text), dialect) for cell in row]
    except csv.Error:
        return []
