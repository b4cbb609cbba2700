"""PDF: the text layer of every page, pages separated by a blank line.

Running headers and footers (a title, a case reference, "Page 2 of 4" on
every page) are taken out of the pages and written once after the last page
(`running_lines.py`), so that a paragraph running across a page break reads
as one passage; they are still checked there.

A page laid out in side-by-side columns is also read one column at a time
(`columns.py`), after its ordinary text. A recipient sees more than the page
content: comments and sticky notes
(annotations' /Contents, and the text their appearances draw) follow the
text of their page; filled-in form fields
(their values, drawn by the viewer and not part of the page's text layer),
files attached to the PDF (.txt, .md, .docx and .pdf, read with the same
parsers), the bookmarks and the title, subject and keywords come after the
last page, each as its own block. An attachment of another type is named in a warning.

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
import re
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from provenance.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    ProvenanceError,
)
from provenance.extract import best_effort
from provenance.extract.columns import column_reading
from provenance.extract.running_lines import separate_running_lines
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_PAGE_SEPARATOR = "\n\n"
# What pypdf writes for a glyph it cannot map to a character: "/g47", "/uni00A0", "/cid12".
_GLYPH_NAME = re.compile(r"/[A-Za-z]{1,5}[0-9A-Fa-f]{1,5}\b")
_INFO_KEYS = ("/Title", "/Subject", "/Keywords")
_READABLE_ATTACHMENTS = frozenset({".txt", ".md", ".docx", ".pdf"})
_MAX_NESTING = 3  # PDFs attached to attached PDFs: deeper ones are named, not read
_LISTED_PAGES = 10
_MAX_ANNOTATIONS = 500  # per page: a hostile file may list millions
_NO_TEXT_LAYER = "no text layer: a scanned image?"


def extract_pdf(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return the text of every page of a PDF, in page order.

    Raises:
        EncryptedDocumentError: needs a password other than the empty one.
        DocumentTooLargeError: text over `limits.max_text_chars`, or a pypdf
            decompression limit was hit.
        CorruptDocumentError: damaged or not a PDF.
    """
    return _extract(data, name, limits, depth=0)


def _extract(data: bytes, name: str, limits: ExtractionLimits, depth: int) -> ExtractedText:
    """`extract_pdf` of a PDF attached `depth` PDFs deep."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        _decrypt(reader, name)
        page_texts = _page_texts(reader, name, limits.max_text_chars)
        warnings: list[str] = []
        after_page: list[list[str]] = []  # per page: its notes, its reading by columns
        no_notes: list[str] = []
        for number, page in enumerate(reader.pages, 1):
            notes = best_effort(
                partial(_annotation_lines, page), no_notes, f"page {number}'s notes", warnings
            )
            by_column = best_effort(
                partial(column_reading, page), "", f"page {number}'s columns", warnings
            )
            after_page.append(["\n".join(notes), by_column])
        extras = _beyond_pages(reader, name, limits, depth, warnings)
        pictures = [
            number
            for number, page in enumerate(reader.pages, 1)
            if best_effort(
                partial(_shows_a_picture, page), False, f"page {number}'s pictures", warnings
            )
        ]
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
    return _result(page_texts, after_page, extras, warnings, pictures)


def _annotation_lines(page: Any) -> list[str]:
    """The text of a page's comments, notes and markup: each annotation's
    /Contents, and the text its appearance draws (`_appearance_text`).

    Form fields' values are read from the form (`_form_values`); a popup
    repeats its parent's text, and a link's /Contents is its address. What
    a viewer draws, though, is the appearance: a form field whose value was
    clean and whose appearance showed another family's details, or a text
    box, stamp or watermark with text only in its appearance, was not read.
    """
    lines = []
    annotations = _resolved(page.get("/Annots")) or []
    for annotation in list(annotations)[:_MAX_ANNOTATIONS]:
        annotation = _resolved(annotation)
        if not isinstance(annotation, dict) or annotation.get("/Subtype") == "/Popup":
            continue
        contents = _resolved(annotation.get("/Contents"))
        is_note = annotation.get("/Subtype") not in ("/Widget", "/Link")
        if is_note and isinstance(contents, str) and contents.strip():
            lines.append(str(contents))
        # What it draws, unless that is the note or the field's value again.
        said = contents if is_note else _resolved(annotation.get("/V"))
        drawn = _appearance_text(annotation)
        if drawn.strip() and drawn.split() != str(said or "").split():
            lines.append(drawn)
    return lines


def _appearance_text(annotation: dict[str, Any]) -> str:
    """The text an annotation's normal appearance (/AP /N) draws, read by
    pypdf from a blank page that draws only that appearance. A field with
    several appearance states (a check box) draws the one /AS selects."""
    appearances = _resolved(annotation.get("/AP"))
    normal = _resolved(appearances.get("/N")) if isinstance(appearances, dict) else None
    if isinstance(normal, dict) and "/Subtype" not in normal:  # states: /On, /Off ...
        state = annotation.get("/AS")
        normal = _resolved(normal.get(state)) if state in normal else None
    if not isinstance(normal, StreamObject) or normal.get("/Subtype") != "/Form":
        return ""
    canvas = PageObject.create_blank_page(width=1000, height=1000)
    canvas[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Ap"): normal})}
    )
    drawing = DecodedStreamObject()
    drawing.set_data(b"/Ap Do")
    canvas[NameObject("/Contents")] = drawing
    return str(canvas.extract_text() or "")


def _beyond_pages(
    reader: Any, name: str, limits: ExtractionLimits, depth: int, warnings: list[str]
) -> list[str]:
    """Blocks of text after the last page (form values, attachments, bookmarks,
    title, subject, keywords); attachments not read are added to `warnings`."""
    blocks = ["\n".join(best_effort(lambda: _form_values(reader), [], "form fields", warnings))]
    attachments: dict[str, list[bytes]] = best_effort(
        lambda: dict(reader.attachments or {}), {}, "attachments", warnings
    )
    for file_name, contents in attachments.items():
        for data in contents:
            attached = _attachment_text(data, f"{name}/{file_name}", limits, depth)
            if isinstance(attached, str):
                warnings.append(attached)
            else:
                blocks.append(f"Attachment: {file_name}\n\n{attached.text}")
                warnings.extend(f"{file_name}: {warning}" for warning in attached.warnings)
    blocks.append(
        "\n".join(best_effort(lambda: _outline_titles(reader.outline), [], "bookmarks", warnings))
    )
    info: dict[str, Any] = best_effort(
        lambda: dict(reader.metadata or {}), {}, "title and subject", warnings
    )
    blocks.append("\n".join(str(info.get(key) or "") for key in _INFO_KEYS).strip("\n"))
    return [block for block in blocks if block.strip()]


def _form_values(reader: Any) -> list[str]:
    """The text filled into the form's fields (and chosen from its lists), in
    the form's order. Check boxes and radio buttons hold names, not text."""
    values = []
    for field in (reader.get_fields() or {}).values():
        value = _resolved(field.get("/V"))
        for item in value if isinstance(value, list) else [value]:
            item = _resolved(item)
            if isinstance(item, str) and not isinstance(item, NameObject) and item.strip():
                values.append(str(item))
    return values


def _outline_titles(outline: Any) -> list[str]:
    """The bookmarks' titles (the viewer's side panel), nested ones in order."""
    titles: list[str] = []
    for item in outline or []:
        if isinstance(item, list):
            titles += _outline_titles(item)
        elif isinstance(getattr(item, "title", None), str):
            titles.append(item.title)
    return titles


def _attachment_text(
    data: bytes, inside: str, limits: ExtractionLimits, depth: int
) -> ExtractedText | str:
    """An attached file's text, or a warning saying why it was not read.

    E-mails are not read from a PDF: an e-mail may attach the PDF again, and
    only PDFs count their own depth here.
    """
    from provenance.extract import attached_text, parse_bytes

    suffix = PurePath(inside).suffix.lower()
    refusal = None
    if suffix not in _READABLE_ATTACHMENTS:
        refusal = f"type {suffix or 'unknown'}"
    elif suffix == ".pdf" and depth >= _MAX_NESTING:
        refusal = f"PDFs nested over {_MAX_NESTING} deep"
    if suffix == ".pdf":
        return attached_text(
            PurePath(inside).name, refusal, partial(_extract, data, inside, limits, depth + 1)
        )
    return attached_text(PurePath(inside).name, refusal, partial(parse_bytes, data, inside, limits))


_PICTURE_PIXELS = 200_000  # a logo is smaller (600 x 150); a screenshot of a paragraph is not


def _shows_a_picture(page: Any) -> bool:
    """Whether the page's resources hold an image of `_PICTURE_PIXELS` or more:
    a picture of another family's record no text reading can find (a
    black-box round's screenshot beside a page of text cleared with no word)."""
    resources = _resolved(page.get("/Resources"))
    objects = _resolved(resources.get("/XObject")) if isinstance(resources, dict) else None
    for value in (objects or {}).values() if isinstance(objects, dict) else ():
        image = _resolved(value)
        if isinstance(image, dict) and image.get("/Subtype") == "/Image":
            width, height = _resolved(image.get("/Width")), _resolved(image.get("/Height"))
            if (
                isinstance(width, int)
                and isinstance(height, int)
                and width * height >= _PICTURE_PIXELS
            ):
                return True
    return False


def _resolved(value: Any) -> Any:
    """The object an indirect reference points to (pypdf leaves many unresolved)."""
    return value.get_object() if isinstance(value, IndirectObject) else value


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


def _result(
    page_texts: list[str],
    after_page: list[list[str]],
    extras: list[str],
    found: list[str],
    pictures: list[int],
) -> ExtractedText:
    """Each page, without its running header and footer lines, followed by its
    blocks (notes, the reading by columns); then the running lines, once each;
    then `extras`. Warnings for pages without a text layer (however much else
    the file holds) and the `found` ones; the warnings look at whole pages."""
    blank_pages = [number for number, text in enumerate(page_texts, 1) if not text.strip()]
    flow = separate_running_lines(page_texts)
    blocks = [
        _PAGE_SEPARATOR.join([text] + [block for block in more if block.strip()])
        for text, more in zip(flow.pages, after_page, strict=True)
    ]
    if flow.running:
        blocks.append("\n".join(flow.running))
    blocks += extras
    text = _PAGE_SEPARATOR.join(blocks) if any(block.strip() for block in blocks) else ""
    warnings = list(found)
    if not page_texts:
        warnings.insert(0, "PDF has no pages")
    elif len(blank_pages) == len(page_texts):
        warnings.insert(0, _NO_TEXT_LAYER)
    elif blank_pages:
        warnings.insert(0, f"page(s) {_listed(blank_pages)} have no text layer: scanned images?")
    garbled = [n for n, page in enumerate(page_texts, 1) if len(_GLYPH_NAME.findall(page)) >= 8]
    if garbled:
        warnings.append(
            f"page(s) {_listed(garbled)}: some text is in a font with no Unicode mapping and "
            "came out as glyph names (/g47...), not words; read those pages by eye"
        )
    pictured = [n for n in pictures if page_texts[n - 1].strip()]  # blank ones: warned above
    if pictured:
        warnings.append(
            f"page(s) {_listed(pictured)} hold pictures, which were not read: text in a "
            "picture (a screenshot, a genogram) is not checked; look at them"
        )
    private = [n for n, page in enumerate(page_texts, 1) if _private_use_words(page)]
    if private:
        warnings.append(
            f"page(s) {_listed(private)}: some text came out as private-use characters (a "
            "font that maps its letters to no real ones), not words; read those pages by eye"
        )
    return ExtractedText(text=text, format="pdf", warnings=tuple(warnings))


# A word of private-use characters: three or more in a row. A lone one is a
# symbol font's bullet or tick, which Word's PDFs are full of.
_PRIVATE_USE_WORD = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]{3,}")


def _private_use_words(page: str) -> bool:
    """Whether the page holds 30 or more private-use characters in words of
    them: letters a font drew that no reader of the text layer can read."""
    return sum(len(word) for word in _PRIVATE_USE_WORD.findall(page)) >= 30


def _listed(pages: list[int]) -> str:
    """ "1, 2, 3" for a warning, the first `_LISTED_PAGES` only."""
    listed = ", ".join(str(number) for number in pages[:_LISTED_PAGES])
    if len(pages) > _LISTED_PAGES:
        listed += f" and {len(pages) - _LISTED_PAGES} more"
    return listed
