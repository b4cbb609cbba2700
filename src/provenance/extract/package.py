"""Containers of Office files: zip packages (.docx, .odt, .xlsx), their XML
parts, and the OLE2 compound file (.doc, .msg, and every old Office file).

A 300 KB package can inflate to gigabytes, so its size is checked before any
parser inflates it: the declared sizes of the members can be trusted as a
bound, since zipfile stops reading a member at its declared size. The XML
parts are parsed with the standard library after refusing any DOCTYPE: no
Office or OpenDocument part declares one, and entity declarations are how an
XML bomb is built.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from provenance.errors import CorruptDocumentError, DocumentTooLargeError, ProvenanceError

if TYPE_CHECKING:
    import olefile

    from provenance.extract import ExtractionLimits

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # the compound file's first bytes
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def checked_members(
    data: bytes, name: str, limits: ExtractionLimits, kind: str
) -> list[zipfile.ZipInfo]:
    """The package's members, once their number and inflated size are within `limits`.

    Raises:
        CorruptDocumentError: not a zip package (`kind` names what it should be).
        DocumentTooLargeError: too many members, or too many bytes once inflated.
    """
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
        raise CorruptDocumentError(
            f"{name}: not a valid {kind} (not a zip package: {exc})"
        ) from exc
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
    return members


def parsed_part(xml: bytes, where: str, program: str) -> ElementTree.Element:
    """The root element of one XML part (`where` names it in messages).

    Raises:
        CorruptDocumentError: a DOCTYPE or entity declaration (which `program`
            never writes), damaged XML, or an unusable encoding in the XML
            declaration (ElementTree raises LookupError or ValueError for
            those: found by scripts/fuzz_extract.py).
    """
    if _DECLARATION.search(xml) is not None:
        raise CorruptDocumentError(
            f"{where}: holds XML entity declarations (a DOCTYPE), which {program} never "
            "writes: possibly an XML entity bomb; not read",
            reason="XML entity declarations (entity bomb?)",
        )
    try:
        return ElementTree.fromstring(xml)
    except (ElementTree.ParseError, LookupError, ValueError) as exc:
        raise CorruptDocumentError(f"{where}: damaged XML ({exc})") from exc


@contextmanager
def compound_file(data: bytes, name: str, what: str) -> Iterator[olefile.OleFileIO]:
    """The OLE2 compound file in `data` (a .doc, a .msg), open for the block.

    Raises:
        CorruptDocumentError: "damaged `what`" for any error other than
            provenance's own raised while opening or reading it: olefile and
            the tables inside raise many types on damaged input (OSError,
            struct.error, IndexError; OverflowError and RecursionError were
            found by scripts/fuzz_extract.py), all the same to a reviewer.
    """
    import olefile  # only .doc and .msg need it, not the zip formats beside them here

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as package:
            yield package
    except (ProvenanceError, MemoryError):
        raise
    except Exception as exc:
        raise CorruptDocumentError(f"{name}: damaged {what} ({type(exc).__name__}: {exc})") from exc
