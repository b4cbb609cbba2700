"""Zip packages (.docx, .odt): refuse a zip bomb before any parser inflates it.

A 300 KB package can inflate to gigabytes. The declared sizes of the
members can be trusted as a bound: zipfile stops reading a member at its
declared size.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from provenance.errors import CorruptDocumentError, DocumentTooLargeError

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits


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
