"""Builders of hostile and broken files, made fresh in each test (no binary blobs).

All text is fictional. Each builder returns bytes; sizes are noted where they
matter (a bomb is small on disk and large when parsed).
"""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
from fpdf import FPDF

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def plain_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_part(source: bytes, part: str, edit: object) -> bytes:
    """Rewrite one zip member with `edit(old_bytes) -> new_bytes`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                data = edit(data)  # type: ignore[operator]
            zout.writestr(item.filename, data)
    return out.getvalue()


def docx_with_body_xml(body_xml: str, source: bytes | None = None) -> bytes:
    """A .docx whose body gets raw WordprocessingML before its final sectPr."""

    def insert(data: bytes) -> bytes:
        head, tail = data.rsplit(b"<w:sectPr", 1)
        return head + body_xml.encode() + b"<w:sectPr" + tail

    return replace_part(source or plain_docx(), "word/document.xml", insert)


def zip_bomb_docx(inflated_bytes: int) -> bytes:
    """A zip whose document.xml declares `inflated_bytes` of zeros (~1000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
        package.open("word/document.xml", "w") as member,
    ):
        chunk = bytes(1 << 20)
        for _ in range(inflated_bytes // len(chunk)):
            member.write(chunk)
    return out.getvalue()


def many_entries_docx(entries: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for number in range(entries):
            package.writestr(f"word/media/part{number}.xml", "")
    return out.getvalue()


def memory_bomb_docx(paragraphs: int) -> bytes:
    """A valid .docx with `paragraphs` tiny paragraphs: ~0.12 MB per 1M on disk,
    34 MB of XML and ~0.5 GB of parsed tree per 1M. Under the zip limits, so only
    the worker's memory (or time) limit stops it."""
    unit = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 10_000
    source = plain_docx()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename != "word/document.xml":
                zout.writestr(item.filename, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with zout.open(item.filename, "w") as member:
                member.write(head + b"<w:body>")
                for _ in range(paragraphs // 10_000):
                    member.write(unit)
                member.write(tail)
    return out.getvalue()


def entity_bomb_docx() -> bytes:
    """Billion laughs in word/document.xml: 10 levels of 10 references."""
    entities = '<!ENTITY a "lol lol lol lol lol lol lol lol lol lol">' + "".join(
        f'<!ENTITY {chr(98 + level)} "' + f"&{chr(97 + level)};" * 10 + '">' for level in range(9)
    )
    doctype = f"<!DOCTYPE w:document [{entities}]>".encode()

    def add_bomb(data: bytes) -> bytes:
        declaration, rest = data.split(b"?>", 1)
        rest = rest.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>Laughs: &j;</w:t></w:r></w:p>", 1)
        return declaration + b"?>" + doctype + rest

    return replace_part(plain_docx(), "word/document.xml", add_bomb)


def encrypted_docx() -> bytes:
    """A real password-protected .docx, as Word writes it: an OLE2 compound file
    holding EncryptionInfo and an AES-encrypted package (msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain_docx("Password-protected plan."))).encrypt("open-sesame", out)
    return out.getvalue()


def truncated(data: bytes, share: float = 0.6) -> bytes:
    return data[: int(len(data) * share)]


def text_pdf(*sentences: str, user_password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    for sentence in sentences:
        pdf.multi_cell(0, 10, sentence, new_x="LMARGIN", new_y="NEXT")
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def slow_pdf(text_operators: int) -> bytes:
    """A one-page PDF whose compressed content stream holds `text_operators`
    show-text operators: ~5 KB per 400k, tens of microseconds each in pypdf's
    text extraction (400k took ~30 s on a loaded 2-core machine)."""
    content = b"BT /F1 12 Tf 72 700 Td " + b"(x) Tj " * text_operators + b"ET"
    stream = zlib.compress(content, 9)
    contents = b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(stream)
    return _pdf([*_PAGE_OBJECTS, contents + stream + b"\nendstream", _FONT])


def self_drawing_pdf() -> bytes:
    """A page that draws a form XObject which draws itself (a loop if followed)."""
    page = b"BT /F1 12 Tf 72 700 Td (Page text) Tj ET /X1 Do"
    form = b"BT /F1 12 Tf (in form) Tj ET /X1 Do"
    resources = b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>"
    return _pdf(
        [
            _PAGE_OBJECTS[0],
            _PAGE_OBJECTS[1],
            _PAGE_OBJECTS[2].replace(b"/Resources << /Font << /F1 5 0 R >> >>", resources),
            b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream",
            _FONT,
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] "
            + resources
            + b" /Length %d >>\nstream\n" % len(form)
            + form
            + b"\nendstream",
        ]
    )


_PAGE_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
    b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
]
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pdf(objects: list[bytes]) -> bytes:
    """Numbered objects (1 = catalog) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
