"""PDF: the text layer of every page, pages separated by a blank line.

Many PDFs are "encrypted" only to restrict printing or copying and open with
an empty user password; those are read. A PDF that needs a real password
cannot be checked and says so. Scanned pages have no text layer: that is not
an error here (the caller decides whether an unchecked page matters), but it
is reported in `warnings` so nobody mistakes "no matches" for "clean".

pypdf raises many exception types on damaged files, including plain
KeyError/ValueError/TypeError from deep inside its parser; all are translated
at this boundary so nothing foreign escapes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from provenance.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    ProvenanceError,
)
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_PAGE_SEPARATOR = "\n\n"
_LISTED_PAGES = 10
_NO_TEXT_LAYER = "no text layer: a scanned image?"


def extract_pdf(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return the text of every page of a PDF, in page order.

    Raises:
        EncryptedDocumentError: needs a password other than the empty one.
        DocumentTooLargeError: text over `limits.max_text_chars`, or a pypdf
            decompression limit was hit.
        CorruptDocumentError: damaged or not a PDF.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        _decrypt(reader, name)
        page_texts = _page_texts(reader, name, limits.max_text_chars)
    except (ProvenanceError, MemoryError):
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        # DependencyError: AES encryption needs the optional `cryptography` package.
        raise EncryptedDocumentError(
            f"{name}: encrypted PDF that could not be opened ({exc})", reason="encrypted PDF"
        ) from exc
    except LimitReachedError as exc:
        raise DocumentTooLargeError(f"{name}: PDF over a pypdf safety limit ({exc})") from exc
    except Exception as exc:
        raise CorruptDocumentError(
            f"{name}: damaged or not a PDF ({type(exc).__name__}: {exc})"
        ) from exc
    return _result(page_texts)


def _decrypt(reader: Any, name: str) -> None:
    """Open an encrypted PDF with the empty password, or refuse it."""
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise EncryptedDocumentError(
            f"{name}: encrypted PDF that needs a password; remove the password and re-run",
            reason="encrypted PDF",
        )


def _page_texts(reader: Any, name: str, max_text_chars: int) -> list[str]:
    """Extract page by page, stopping as soon as the text is over the limit."""
    page_texts: list[str] = []
    total_chars = 0
    for page in reader.pages:
        page_text = page.extract_text() or ""
        page_texts.append(page_text)
        total_chars += len(page_text) + len(_PAGE_SEPARATOR)
        if total_chars > max_text_chars:
            raise DocumentTooLargeError(
                f"{name}: over {max_text_chars:,} characters of text by page "
                f"{len(page_texts)} (ExtractionLimits.max_text_chars)"
            )
    return page_texts


def _result(page_texts: list[str]) -> ExtractedText:
    blank_pages = [number for number, text in enumerate(page_texts, 1) if not text.strip()]
    if not page_texts:
        return ExtractedText(text="", format="pdf", warnings=("PDF has no pages",))
    if len(blank_pages) == len(page_texts):
        return ExtractedText(text="", format="pdf", warnings=(_NO_TEXT_LAYER,))
    warnings: tuple[str, ...] = ()
    if blank_pages:
        listed = ", ".join(str(number) for number in blank_pages[:_LISTED_PAGES])
        if len(blank_pages) > _LISTED_PAGES:
            listed += f" and {len(blank_pages) - _LISTED_PAGES} more"
        warnings = (f"page(s) {listed} have no text layer: scanned images?",)
    return ExtractedText(text=_PAGE_SEPARATOR.join(page_texts), format="pdf", warnings=warnings)
