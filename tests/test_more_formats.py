"""Saved web pages (.html, .htm), Rich Text (.rtf), OpenDocument text (.odt),
Word 97-2003 (.doc), Outlook messages (.msg) and workbooks (.xlsx, .csv):
read as their programs show them, in the store, as outgoing documents and
inside e-mails. Every file is built here, byte by byte, as the programs that
write these formats lay them out. All text is fictional."""

from __future__ import annotations

import base64
import datetime
import html
import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
import xlwt
from conftest import LEAK_PARAGRAPH, RunCli, small_store_records, write_store
from docx.opc.constants import RELATIONSHIP_TYPE
from hostile_files import compressed_rtf, outlook_msg, plain_docx, with_part, word97_doc

from provenance import index_store
from provenance.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
)
from provenance.extract import ExtractionLimits, extract_text
from provenance.extract.html_text import html_to_text

IN_PROCESS = ExtractionLimits(use_worker=False)


def _page(body: str, head: str = "<title>Strategy meeting</title>") -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>{body}</body></html>\n"


def test_a_saved_page_reads_its_title_and_what_the_browser_shows(tmp_path: Path) -> None:
    page = tmp_path / "minutes.html"
    page.write_text(
        _page(
            "<h1>Minutes</h1><p>Kayden   Marsh was\nseen.</p><script>var x = 'hidden';</script>"
            "<p>Dean Holt &amp; partner</p>",
            head="<title>Strategy meeting: C-1003</title><style>p { color: red }</style>",
        ),
        encoding="utf-8",
    )
    extracted = extract_text(page, IN_PROCESS)
    assert extracted.text == (
        "Strategy meeting: C-1003\n\nMinutes\n\nKayden Marsh was seen.\n\nDean Holt & partner"
    )
    assert extracted.format == "html"
    assert extracted.warnings == ()


def test_a_page_is_decoded_by_its_declared_charset_unless_it_is_utf8(tmp_path: Path) -> None:
    declared = tmp_path / "latin.htm"
    declared.write_bytes(
        _page("<p>Café – Zoë</p>", head='<meta charset="windows-1252">').encode("cp1252")
    )
    extracted = extract_text(declared, IN_PROCESS)
    assert extracted.text == "Café – Zoë"
    assert extracted.warnings == ()  # the page said what it is: nothing was guessed
    mislabelled = tmp_path / "mislabelled.html"
    mislabelled.write_bytes(
        _page("<p>Zoë Ashdown</p>", head='<meta charset="iso-8859-1">').encode("utf-8")
    )
    assert extract_text(mislabelled, IN_PROCESS).text == "Zoë Ashdown"


def test_images_inside_a_page_are_named_and_a_binary_file_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "with_image.html"
    page.write_text(_page('<p>Text</p><img src="data:image/png;base64,iVBORw0KGgo=">'))
    assert extract_text(page, IN_PROCESS).warnings == (
        "1 image(s) inside the page not read: check them by eye",
    )
    binary = tmp_path / "not_a_page.html"
    binary.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    with pytest.raises(CorruptDocumentError, match="it is a PDF"):
        extract_text(binary, IN_PROCESS)


def _store_with_leak_in(tmp_path: Path, suffix: str, content: bytes) -> Path:
    """The small store, with C-1003's strategy minutes (the leak) saved as `suffix`."""
    records = small_store_records()
    for record in records:
        if record["record_id"] == "C-1003-SM":
            record["path"] = f"C-1003/strategy{suffix}"
            del record["text"]
    store = write_store(tmp_path / "store", records)
    (store / "C-1003" / f"strategy{suffix}").write_bytes(content)
    db_path = tmp_path / "index.duckdb"
    summary = index_store(store, db_path)
    assert summary.added == len(records)
    return db_path


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_a_copy_of_a_saved_page_in_the_store_is_a_leak(
    tmp_path: Path, run_cli: RunCli, suffix: str
) -> None:
    page = _page(f"<div><p>{html.escape(LEAK_PARAGRAPH)}</p></div>").encode("utf-8")
    db_path = _store_with_leak_in(tmp_path, suffix, page)
    draft = tmp_path / "plan.txt"
    draft.write_text("Plan for Ruby.\n\n" + LEAK_PARAGRAPH + "\n", encoding="utf-8")
    completed = run_cli("check", draft, "--case", "C-1004", "--db", db_path, "--json")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    leaks = [m for m in json.loads(completed.stdout)["matches"] if m["status"] == "cross_case"]
    assert [m["source"]["path"] for m in leaks] == [f"C-1003/strategy{suffix}"]


def test_an_outgoing_page_and_a_page_attached_to_an_e_mail_are_checked(
    tmp_path: Path, indexed_store: Path, run_cli: RunCli
) -> None:
    words = LEAK_PARAGRAPH.split()
    # Every word in its own element, as an editor's export writes a page.
    body = "<p>" + " ".join(f"<span>{html.escape(word)}</span>" for word in words) + "</p>"
    page = tmp_path / "plan.html"
    page.write_text(_page(body), encoding="utf-8")
    completed = run_cli("check", page, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1, completed.stdout + completed.stderr

    message = EmailMessage()
    message["From"] = "worker@example.org"
    message["To"] = "family@example.org"
    message["Subject"] = "Your plan"
    message.set_content("Please find your plan attached.\n")
    message.add_attachment(page.read_bytes(), maintype="text", subtype="html", filename="plan.html")
    mail = tmp_path / "plan.eml"
    mail.write_bytes(message.as_bytes())
    completed = run_cli("check-eml", mail, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "plan.html" in completed.stdout


# --- Rich Text -----------------------------------------------------------------


def _rtf_escaped(text: str) -> str:
    """Text as Word writes it into RTF: ASCII as is, other characters as \\uN?."""
    return "".join(
        ch if ord(ch) < 128 and ch not in "\\{}" else f"\\u{ord(ch) - 65536 * (ord(ch) > 32767)}?"
        for ch in text
    )


def rtf_document(*paragraphs: str, extra: str = "") -> bytes:
    body = "".join(f"\\pard\\plain {_rtf_escaped(text)}\\par\n" for text in paragraphs)
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}"
        "{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator Riched20 10.0.19041}\\uc1\n"
        f"{extra}{body}}}\n"
    ).encode("ascii")


def test_rtf_reads_the_body_and_the_text_kept_aside(tmp_path: Path) -> None:
    extra = (
        "{\\info{\\title Core group minutes}{\\author A. Writer}{\\keywords C-1003}}"
        "{\\header \\pard\\plain OFFICIAL-SENSITIVE\\par}"
    )
    body = (
        "\\pard Kayden Marsh was seen at the caf\\'e9 with \\ldblquote Dean\\rdblquote .\\par\n"
        "Anchor{\\super\\chftn}{\\footnote \\pard\\plain Dean Holt was charged.}\\par\n"
        '{\\field{\\*\\fldinst HYPERLINK "http://example.org"}{\\fldrslt the link}}\\par\n'
        "{\\v Hidden text is read.}\\par\n"
        "{\\*\\shppict{\\pict\\pngblip 89504e47}}{\\nonshppict{\\pict\\wmetafile8 0100}}\n"
        "{\\*\\annotation \\pard Check this date.}\\u1047?\\u-4064?x\\bin2 {}\\par\n"
    )
    path = tmp_path / "minutes.rtf"
    path.write_bytes(rtf_document(extra=extra + body))
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == (
        "Kayden Marsh was seen at the café with “Dean”.\nAnchor\nthe link\n"
        "Hidden text is read.\n\u0417\uf020x\n\n"
        "OFFICIAL-SENSITIVE\n\nDean Holt was charged.\n\nCheck this date.\n\n"
        "Core group minutes\n\nC-1003"
    )
    assert extracted.format == "rtf"
    assert extracted.warnings == ("1 picture(s) not read: check them by eye",)


def test_a_file_that_is_not_rtf_is_read_as_what_it_is_or_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.rtf"
    path.write_bytes(word97_doc("Kayden Marsh was seen.\r"))  # Word 97-2003 under .rtf
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == "Kayden Marsh was seen."
    assert extracted.warnings == ("an old-format Word (.doc) file named .rtf: read as .doc",)
    path.write_bytes(b"Dear family, this is plain text saved as .rtf")
    with pytest.raises(CorruptDocumentError, match="not an RTF file"):
        extract_text(path, IN_PROCESS)


# --- OpenDocument text ---------------------------------------------------------

_ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"'
)


def odt_document(
    body_xml: str, *, styles_xml: str = "", meta_xml: str = "", manifest: str = ""
) -> bytes:
    """An OpenDocument text package as LibreOffice lays it out: `mimetype`
    first and stored, then the manifest and the XML parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            f'manifest:media-type="application/vnd.oasis.opendocument.text"/>{manifest}'
            "</manifest:manifest>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        package.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NAMESPACES}>'
            f"<office:body><office:text>{body_xml}</office:text></office:body>"
            "</office:document-content>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        package.writestr(
            "styles.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODF_NAMESPACES}>'
            f"<office:master-styles>{styles_xml}</office:master-styles></office:document-styles>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        package.writestr(
            "meta.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODF_NAMESPACES}>'
            f"<office:meta>{meta_xml}</office:meta></office:document-meta>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def odt_paragraphs(*paragraphs: str) -> bytes:
    return odt_document("".join(f"<text:p>{html.escape(text)}</text:p>" for text in paragraphs))


def test_odt_reads_the_body_in_order_then_notes_headers_and_properties(tmp_path: Path) -> None:
    body = (
        "<text:tracked-changes><text:changed-region><text:deletion>"
        "<text:p>Deleted: Dean Holt was charged.</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
        "<text:h>Strategy minutes</text:h>"
        '<text:p>Kayden<text:s/>Marsh<text:s text:c="3"/>was<text:tab/>seen'
        "<text:note><text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>Seen at school.</text:p></text:note-body></text:note> at "
        '<text:span>14 Linnet</text:span> <text:a xlink:href="#x">Close</text:a>.</text:p>'
        "<text:list><text:list-item><text:p>First action</text:p></text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>Cell one</text:p>"
        "</table:table-cell></table:table-row></table:table>"
        "<text:p><draw:frame><svg:title>Genogram of the Marsh family</svg:title>"
        '<draw:image xlink:href="Pictures/1.png"/></draw:frame>'
        "<office:annotation><dc:creator>A. Writer</dc:creator><dc:date>2026-03-01</dc:date>"
        "<text:p>Comment: check with police.</text:p></office:annotation>After</text:p>"
    )
    styles = (
        '<style:master-page style:name="Standard"><style:header><text:p>OFFICIAL-SENSITIVE'
        "</text:p></style:header></style:master-page>"
        '<style:master-page style:name="Other"><style:header><text:p>OFFICIAL-SENSITIVE'
        "</text:p></style:header></style:master-page>"
    )
    meta = "<dc:title>Minutes C-1003</dc:title><meta:keyword>strategy</meta:keyword>"
    path = tmp_path / "minutes.odt"
    path.write_bytes(odt_document(body, styles_xml=styles, meta_xml=meta))
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == (
        "Strategy minutes\nKayden Marsh   was\tseen at 14 Linnet Close.\nFirst action\n"
        "Cell one\nAfter\n\nDeleted: Dean Holt was charged.\n\nSeen at school.\n\n"
        "Genogram of the Marsh family\n\nComment: check with police.\n\n"
        "OFFICIAL-SENSITIVE\n\nMinutes C-1003\n\nstrategy"
    )
    assert extracted.format == "odt"
    assert extracted.warnings == ("1 picture(s) not read: check them by eye",)


def test_hostile_odt_files_are_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "hostile.odt"
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("content.xml", f'<?xml version="1.0"?>{bomb}<r>&b;</r>')
    path.write_bytes(package.getvalue())
    with pytest.raises(CorruptDocumentError, match="entity declarations"):
        extract_text(path, IN_PROCESS)

    encrypted = (
        '<manifest:file-entry manifest:full-path="content.xml">'
        "<manifest:encryption-data/></manifest:file-entry>"
    )
    path.write_bytes(odt_document("<text:p>x</text:p>", manifest=encrypted))
    with pytest.raises(EncryptedDocumentError, match="password-protected OpenDocument"):
        extract_text(path, IN_PROCESS)

    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b"<r>" + b" " * 3_000_000 + b"</r>")
    path.write_bytes(zipped.getvalue())
    limits = ExtractionLimits(use_worker=False, max_inflated_bytes=1_000_000)
    with pytest.raises(DocumentTooLargeError, match="inflates to"):
        extract_text(path, limits)

    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorruptDocumentError, match=r"not a valid \.odt"):
        extract_text(path, IN_PROCESS)

    for declaration in ('encoding="UTF-6"', 'encoding="shift_jis"'):  # found by fuzzing
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w") as archive:
            archive.writestr("content.xml", f'<?xml version="1.0" {declaration}?><r/>')
        path.write_bytes(package.getvalue())
        with pytest.raises(CorruptDocumentError, match="damaged XML"):
            extract_text(path, IN_PROCESS)

    deep = "<text:section>" * 300 + "<text:p>deep</text:p>" + "</text:section>" * 300
    path.write_bytes(odt_document(deep))
    with pytest.raises(CorruptDocumentError, match="nested too deeply"):
        extract_text(path, IN_PROCESS)


# --- every format, end to end ----------------------------------------------------


def _leak_in(suffix: str) -> bytes:
    """The leak paragraph saved in the format of `suffix`."""
    if suffix == ".doc":
        return word97_doc("Strategy minutes\r", LEAK_PARAGRAPH + "\r")
    if suffix == ".msg":
        return outlook_msg("Strategy minutes", LEAK_PARAGRAPH)
    if suffix == ".rtf":
        return rtf_document("Strategy minutes", LEAK_PARAGRAPH)
    if suffix == ".odt":
        return odt_paragraphs("Strategy minutes", LEAK_PARAGRAPH)
    return _page(f"<p>{html.escape(LEAK_PARAGRAPH)}</p>").encode("utf-8")


@pytest.mark.parametrize("suffix", [".rtf", ".odt", ".doc", ".msg"])
def test_a_copy_of_a_record_in_each_format_is_found_and_an_outgoing_one_is_checked(
    tmp_path: Path, run_cli: RunCli, suffix: str
) -> None:
    db_path = _store_with_leak_in(tmp_path, suffix, _leak_in(suffix))
    draft = tmp_path / f"plan{suffix}"
    draft.write_bytes(_leak_in(suffix))
    completed = run_cli("check", draft, "--case", "C-1004", "--db", db_path, "--json")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    leaks = [m for m in json.loads(completed.stdout)["matches"] if m["status"] == "cross_case"]
    assert [m["source"]["path"] for m in leaks] == [f"C-1003/strategy{suffix}"]
    clean = tmp_path / f"clean{suffix}"
    plan = "Ruby's plan: she will see her youth worker weekly."
    clean.write_bytes(
        {
            ".rtf": rtf_document(plan),
            ".odt": odt_paragraphs(plan),
            ".doc": word97_doc(plan),
            ".msg": outlook_msg("Your plan", plan),
        }[suffix]
    )
    completed = run_cli("check", clean, "--case", "C-1004", "--db", db_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_an_rtf_chunk_inside_a_word_document_is_read(tmp_path: Path) -> None:
    """Document-assembly systems insert RTF into a .docx as an altChunk: it was
    named in a warning and never read."""
    data = with_part(
        plain_docx("Plan for Ruby."),
        "word/chunk1.rtf",
        "application/rtf",
        rtf_document("Inserted by the template:", LEAK_PARAGRAPH),
        RELATIONSHIP_TYPE.A_F_CHUNK,
    )
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == f"Plan for Ruby.\n\nInserted by the template:\n{LEAK_PARAGRAPH}"
    assert extracted.warnings == ()


def test_a_marked_section_the_parser_cannot_name_does_not_stop_the_page() -> None:
    """`<![frame` made the standard library's parser raise AssertionError, so a
    page or an e-mail holding it could be neither indexed nor cleared (found
    by fuzzing)."""
    assert html_to_text("<p>Kayden <![frame x]> Marsh</p><![ ]><p>seen</p>") == (
        "Kayden Marsh\n\nseen"
    )


# --- Word 97-2003 ----------------------------------------------------------------


def test_doc_reads_every_story_and_drops_field_codes(tmp_path: Path) -> None:
    """Body paragraphs, a table row, a field's shown result (not its code), a
    footnote's text after the body; in a piece of 8-bit text and one of UTF-16."""
    stories = (
        "Kayden Marsh was seen at the café.\r",
        "Cell one\x07Cell two\x07\x07",
        'See \x13 HYPERLINK "http://example.org" \x14the minutes\x15 and\x02 page '
        "\x13 PAGE \x15.\r",
        "Dean Holt was charged \u201con bail\u201d; Zoë told \u0417ina.\r",
        "Footnote: seen at school.\r",
    )
    for compressed in (True, False):
        path = tmp_path / f"minutes_{compressed}.doc"
        path.write_bytes(word97_doc(*stories, compressed=compressed))
        extracted = extract_text(path, IN_PROCESS)
        assert extracted.text == (
            "Kayden Marsh was seen at the café.\nCell one\tCell two\n"
            "See the minutes and page .\n"
            "Dean Holt was charged \u201con bail\u201d; Zoë told \u0417ina.\n"
            "Footnote: seen at school."
        )
        assert extracted.format == "doc"


def test_a_doc_that_is_really_something_else_is_read_as_what_it_is(tmp_path: Path) -> None:
    """Word saves RTF and web pages under .doc, and systems export .docx as .doc."""
    path = tmp_path / "letter.doc"
    for data in (
        rtf_document(LEAK_PARAGRAPH),
        _page(f"<p>{html.escape(LEAK_PARAGRAPH)}</p>", head="").encode(),
        plain_docx(LEAK_PARAGRAPH),
    ):
        path.write_bytes(data)
        assert extract_text(path, IN_PROCESS).text.strip() == LEAK_PARAGRAPH


def test_hostile_doc_files_are_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "locked.doc"
    path.write_bytes(word97_doc("Secret.\r", encrypted=True))
    with pytest.raises(EncryptedDocumentError, match="password-protected Word document"):
        extract_text(path, IN_PROCESS)
    path.write_bytes(b"Plain text saved as .doc by mistake")
    with pytest.raises(CorruptDocumentError, match="not a Word document"):
        extract_text(path, IN_PROCESS)
    no_word = word97_doc("x\r").replace(
        "WordDocument".encode("utf-16-le"), "Workbook\0\0\0\0".encode("utf-16-le")
    )
    path.write_bytes(no_word)
    with pytest.raises(CorruptDocumentError, match="not a Word document"):
        extract_text(path, IN_PROCESS)
    path.write_bytes(word97_doc("Kayden Marsh was seen at school.\r"))
    small = ExtractionLimits(use_worker=False, max_text_chars=20)
    with pytest.raises(DocumentTooLargeError, match="max_text_chars"):
        extract_text(path, small)
    truncated = word97_doc("Kayden Marsh was seen.\r")[:1536]
    path.write_bytes(truncated)
    with pytest.raises(CorruptDocumentError, match="damaged Word document"):
        extract_text(path, IN_PROCESS)


# --- Outlook messages --------------------------------------------------------------


def test_msg_reads_subject_names_bodies_and_attachments(tmp_path: Path) -> None:
    data = outlook_msg(
        "Core group",
        "Please see the minutes.",
        html="<p>Please see the minutes.</p><p>Dean Holt was charged.</p>",
        attachments={"minutes.docx": plain_docx("Kayden Marsh was seen."), "logo.png": b"PNG"},
        attached_message=("Fwd: note", "Ondine Farrowby told her teacher."),
    )
    path = tmp_path / "core_group.msg"
    path.write_bytes(data)
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == (
        "Subject: Core group\n\nFrom: Priya Desai\n\nPlease see the minutes.\n\n"
        "Please see the minutes.\n\nDean Holt was charged.\n\n"
        "Attachment: minutes.docx\n\nKayden Marsh was seen.\n\n"
        "Attachment: Forwarded note\n\nSubject: Fwd: note\n\nOndine Farrowby told her teacher."
    )
    assert extracted.format == "msg"
    assert extracted.warnings == ("attachment not read: logo.png (type .png not checked)",)


def test_a_msg_whose_body_is_only_compressed_rtf_is_read(tmp_path: Path) -> None:
    """Outlook often keeps only the RTF body, compressed ([MS-OXRTFCP])."""
    rtf = rtf_document("Strategy minutes", LEAK_PARAGRAPH)
    path = tmp_path / "minutes.msg"
    path.write_bytes(outlook_msg("Minutes", "", rtf_body=compressed_rtf(rtf)))
    assert extract_text(path, IN_PROCESS).text == (
        f"Subject: Minutes\n\nFrom: Priya Desai\n\nStrategy minutes\n{LEAK_PARAGRAPH}"
    )


def test_hostile_msg_files_are_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "mail.msg"
    path.write_bytes(b"From: someone\r\nSubject: an .eml named .msg\r\n\r\nbody")
    with pytest.raises(CorruptDocumentError, match="not an Outlook message"):
        extract_text(path, IN_PROCESS)
    path.write_bytes(word97_doc("A Word document named .msg.\r"))
    with pytest.raises(CorruptDocumentError, match="not an Outlook message"):
        extract_text(path, IN_PROCESS)
    path.write_bytes(outlook_msg("Minutes", "", rtf_body=b"LZFu but far too short"))
    with pytest.raises(CorruptDocumentError, match="compressed RTF"):
        extract_text(path, IN_PROCESS)


def test_a_msg_attached_to_an_e_mail_is_read(
    tmp_path: Path, indexed_store: Path, run_cli: RunCli
) -> None:
    message = EmailMessage()
    message["From"] = "worker@example.org"
    message["To"] = "family@example.org"
    message["Subject"] = "Your plan"
    message.set_content("Please find the note attached.\n")
    message.add_attachment(
        outlook_msg("Minutes", LEAK_PARAGRAPH),
        maintype="application",
        subtype="vnd.ms-outlook",
        filename="minutes.msg",
    )
    mail = tmp_path / "plan.eml"
    mail.write_bytes(message.as_bytes())
    completed = run_cli("check-eml", mail, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "minutes.msg" in completed.stdout


@pytest.mark.parametrize("error", [RecursionError, OverflowError])
def test_whatever_olefile_raises_on_a_damaged_file_is_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    """Fuzzing made olefile raise RecursionError (a storage tree that loops)
    and OverflowError (a sector number past any file): reported as a parser
    crash, not as a damaged file, before."""
    import olefile

    def broken(*args: object, **kwargs: object) -> None:
        raise error("from a fuzzed file")

    monkeypatch.setattr(olefile.OleFileIO, "listdir", broken)
    monkeypatch.setattr(olefile.OleFileIO, "openstream", broken)
    path = tmp_path / "mail.msg"
    path.write_bytes(outlook_msg("Minutes", "Body", attachments={"a.txt": b"text"}))
    with pytest.raises(CorruptDocumentError, match=f"damaged Outlook message \\({error.__name__}"):
        extract_text(path, IN_PROCESS)
    path = tmp_path / "minutes.doc"
    path.write_bytes(word97_doc("Kayden Marsh was seen.\r"))
    with pytest.raises(CorruptDocumentError, match=f"damaged Word document \\({error.__name__}"):
        extract_text(path, IN_PROCESS)


# --- workbooks -----------------------------------------------------------------------

_SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'


def xlsx_workbook(rows: list[list[str]], *, comment: str = "") -> bytes:
    """A workbook as Excel lays one out: the first column's text as shared
    strings, the rest as inline strings; a hidden second sheet; a cell note."""
    shared = [row[0] for row in rows]
    cells = "".join(
        f'<row r="{n + 1}"><c r="A{n + 1}" t="s"><v>{n}</v></c>'
        + "".join(f'<c t="inlineStr"><is><t>{html.escape(text)}</t></is></c>' for text in row[1:])
        + "</row>"
        for n, row in enumerate(rows)
    )
    sheets = (
        '<sheet name="Chronology" sheetId="1" r:id="rId1"/>'
        '<sheet name="Old" sheetId="2" state="hidden" r:id="rId2"/>'
    )
    relations = (
        '<Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="x/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
        '<Relationship Id="rId3" Type="x/sharedStrings" Target="sharedStrings.xml"/>'
    )
    hidden = '<row><c t="str"><v>Hidden row</v></c><c><v>42</v></c></row>'
    note = f'<comment ref="A1"><text><r><t>{html.escape(comment)}</t></r></text></comment>'
    strings = "".join(f"<si><t>{html.escape(text)}</t></si>" for text in shared)
    files = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f"<workbook {_SHEET_NS} {_R_NS}><sheets>{sheets}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f"<Relationships {_RELS_NS}>{relations}</Relationships>",
        "xl/sharedStrings.xml": f"<sst {_SHEET_NS}>{strings}</sst>",
        "xl/worksheets/sheet1.xml": f"<worksheet {_SHEET_NS}><sheetData>{cells}</sheetData>"
        "</worksheet>",
        "xl/worksheets/sheet2.xml": f"<worksheet {_SHEET_NS}><sheetData>{hidden}</sheetData>"
        "</worksheet>",
        "xl/worksheets/_rels/sheet1.xml.rels": f"<Relationships {_RELS_NS}><Relationship "
        'Id="rId1" Type="x/comments" Target="../comments1.xml"/></Relationships>',
        "xl/comments1.xml": f"<comments {_SHEET_NS}><commentList>{note}</commentList></comments>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for path, content in files.items():
            package.writestr(path, content)
    return buffer.getvalue()


def test_a_workbook_reads_every_sheet_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "chronology.xlsx"
    path.write_bytes(
        xlsx_workbook(
            [["04/03/2026", "Strategy meeting", "Dean Holt charged"], ["05/03/2026", "Visit"]],
            comment="Check with police.",
        )
    )
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == (
        "Sheet: Chronology\n04/03/2026\tStrategy meeting\tDean Holt charged\n"
        "05/03/2026\tVisit\nCheck with police.\n\nSheet: Old\nHidden row\t42"
    )
    assert extracted.format == "xlsx"


def test_hostile_workbooks_are_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600))
    with pytest.raises(CorruptDocumentError, match=r"Excel 97-2003 workbook"):
        extract_text(path, IN_PROCESS)
    path.write_bytes(plain_docx("A Word document named .xlsx"))
    with pytest.raises(CorruptDocumentError, match="not an Excel workbook"):
        extract_text(path, IN_PROCESS)
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "a">]><workbook/>')
    path.write_bytes(package.getvalue())
    with pytest.raises(CorruptDocumentError, match="entity declarations"):
        extract_text(path, IN_PROCESS)


def xls_workbook(rows: list[list[object]], hidden: list[list[object]] | None = None) -> bytes:
    """A real Excel 97-2003 workbook, written by xlwt: a "Chronology" sheet
    of `rows` (a date cell shown as Excel shows it), then a hidden one."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Chronology")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for row_number, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(row_number, column, value, day)
            else:
                sheet.write(row_number, column, value)
    if hidden is not None:
        old = book.add_sheet("Old")
        old.visibility = 1
        for row_number, row in enumerate(hidden):
            for column, value in enumerate(row):
                old.write(row_number, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_old_excel_workbook_reads_every_sheet_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "chronology.xls"
    path.write_bytes(
        xls_workbook(
            [["Date", "Event"], [datetime.date(2026, 3, 4), "Dean Holt charged"], [3.0, 12.5]],
            hidden=[["Hidden row", 42]],
        )
    )
    extracted = extract_text(path)  # in the parser process, as a check reads it
    assert extracted.text == (
        "Sheet: Chronology\nDate\tEvent\n04/03/2026\tDean Holt charged\n3\t12.5\n\n"
        "Sheet: Old\nHidden row\t42"
    )
    assert (extracted.format, extracted.warnings) == ("xls", ())


def test_files_named_xls_are_read_as_what_they_are(tmp_path: Path) -> None:
    path = tmp_path / "chronology.xls"
    path.write_bytes(xlsx_workbook([["04/03/2026", "Strategy meeting"]]))
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text.startswith("Sheet: Chronology\n04/03/2026\tStrategy meeting")
    assert extracted.warnings[0] == "an .xlsx file named .xls: read as xlsx"
    path.write_bytes(b"<html><body><table><tr><td>Dean Holt charged</td></tr></table></html>")
    extracted = extract_text(path, IN_PROCESS)
    assert "Dean Holt charged" in extracted.text
    assert extracted.warnings[0] == "an .html file named .xls: read as html"
    old = tmp_path / "book.xlsx"
    old.write_bytes(xls_workbook([["Dean Holt charged"]]))
    extracted = extract_text(old, IN_PROCESS)
    assert extracted.text == "Sheet: Chronology\nDean Holt charged"
    assert extracted.warnings == ("an old-format Excel (.xls) file named .xlsx: read as xls",)
    word = tmp_path / "chronology.doc"
    word.write_bytes(xls_workbook([["Dean Holt charged"]]))
    extracted = extract_text(word, IN_PROCESS)
    assert extracted.text == "Sheet: Chronology\nDean Holt charged"
    assert extracted.warnings == ("an Excel 97-2003 workbook named .doc: read as xls",)
    path.write_bytes(word97_doc("Kayden Marsh was seen.\r"))
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == "Kayden Marsh was seen."
    assert extracted.warnings[0] == "a Word 97-2003 document named .xls: read as doc"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600))
    with pytest.raises(CorruptDocumentError, match="Excel 97-2003 workbook"):
        extract_text(path, IN_PROCESS)
    path.write_bytes(b"Date,Event\n")
    with pytest.raises(CorruptDocumentError, match="not an Excel workbook"):
        extract_text(path, IN_PROCESS)


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".csv"])
def test_a_row_of_another_familys_chronology_is_found(
    tmp_path: Path, run_cli: RunCli, suffix: str
) -> None:
    """A chronology kept as a workbook or a CSV export, copied into a plan."""
    rows = [["Date", "Event"], ["04/03/2026", LEAK_PARAGRAPH]]
    content = (
        xlsx_workbook(rows)
        if suffix == ".xlsx"
        else xls_workbook([*rows])
        if suffix == ".xls"
        else "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows).encode()
    )
    db_path = _store_with_leak_in(tmp_path, suffix, content)
    draft = tmp_path / "plan.txt"
    draft.write_text("Plan for Ruby.\n\n" + LEAK_PARAGRAPH + "\n", encoding="utf-8")
    completed = run_cli("check", draft, "--case", "C-1004", "--db", db_path, "--json")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    leaks = [m for m in json.loads(completed.stdout)["matches"] if m["status"] == "cross_case"]
    assert [m["source"]["path"] for m in leaks] == [f"C-1003/strategy{suffix}"]


def test_a_workbook_embedded_in_a_word_document_is_read(tmp_path: Path) -> None:
    """A table pasted from Excel as an object: a warning, and unread, before."""
    data = with_part(
        plain_docx("Plan for Ruby."),
        "word/embeddings/Chronology.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx_workbook([["04/03/2026", "Dean Holt charged"]]),
        RELATIONSHIP_TYPE.PACKAGE,
    )
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    extracted = extract_text(path, IN_PROCESS)
    lines = extracted.text.split("\n")
    assert lines[:4] == ["Plan for Ruby.", "", "Sheet: Chronology", "04/03/2026\tDean Holt charged"]
    assert lines[-2:] == ["Sheet: Old", "Hidden row\t42"]
    assert extracted.warnings == ()


def _package(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for path, content in files.items():
            package.writestr(path, content)
    return buffer.getvalue()


def test_a_workbook_is_read_as_excel_lays_it_out(tmp_path: Path) -> None:
    """Found by a black-box round: cells placed by their addresses whatever
    their order in the file, a formula with no saved result, a Strict
    workbook's namespaces, shared strings wherever the relationships put them,
    print headers, text boxes and threaded comments."""
    strict = 'xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"'
    relations = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    rows = (
        '<row r="2"><c r="B2" t="s"><v>0</v></c><c r="A2"><f>"Dean "&amp;"Holt"</f></c></row>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Kayden</t></is></c></row>'
    )
    files = {
        "_rels/.rels": f"<Relationships {relations}><Relationship Id='r1' "
        "Type='x/officeDocument' Target='book/main.xml'/></Relationships>",
        "book/main.xml": f"<workbook {strict} xmlns:r='http://purl.oclc.org/ooxml/"
        "officeDocument/relationships'><sheets><sheet name='Log' r:id='s1'/></sheets></workbook>",
        "book/_rels/main.xml.rels": f"<Relationships {relations}>"
        "<Relationship Id='s1' Type='x/worksheet' Target='sheets/one.xml'/>"
        "<Relationship Id='s2' Type='x/sharedStrings' Target='strings/all.xml'/></Relationships>",
        "book/strings/all.xml": f"<sst {strict}><si><t>was charged</t></si></sst>",
        "book/sheets/one.xml": f"<worksheet {strict}><sheetData>{rows}</sheetData>"
        "<headerFooter><oddHeader>&amp;LOFFICIAL&amp;RPage &amp;P</oddHeader></headerFooter>"
        "</worksheet>",
        "book/sheets/_rels/one.xml.rels": f"<Relationships {relations}>"
        "<Relationship Id='d1' Type='x/drawing' Target='../drawing1.xml'/>"
        "<Relationship Id='t1' Type='x/threadedComment' Target='../thread1.xml'/>"
        "</Relationships>",
        "book/drawing1.xml": "<xdr:wsDr xmlns:xdr='x' xmlns:a='y'><a:p><a:r><a:t>Text box"
        "</a:t></a:r><a:r><a:t> words</a:t></a:r></a:p></xdr:wsDr>",
        "book/thread1.xml": "<ThreadedComments xmlns='z'><threadedComment><text>Reply thread"
        "</text></threadedComment></ThreadedComments>",
    }
    path = tmp_path / "log.xlsx"
    path.write_bytes(_package(files))
    assert extract_text(path, IN_PROCESS).text == (
        "Sheet: Log\nKayden\nDean Holt\twas charged\nOFFICIAL Page\nText box words\nReply thread"
    )


def test_an_outgoing_message_with_a_file_that_cannot_be_read_is_not_cleared(
    tmp_path: Path, indexed_store: Path, run_cli: RunCli
) -> None:
    """A .zip attached to an Outlook message went out as 'clear' with a
    'check by eye' note (black-box round): it fails closed, as check-eml does."""
    path = tmp_path / "plan.msg"
    path.write_bytes(outlook_msg("Plan", "Ruby's plan.", attachments={"notes.zip": b"PK.."}))
    completed = run_cli("check", path, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "notes.zip" in completed.stderr and "could not be checked" in completed.stderr


# --- found by the black-box round (each cleared with the copy readable, before) ---


def test_html_pages_written_into_the_page_and_shadow_roots_are_read() -> None:
    framed = base64.b64encode(b"<p>Kayden Marsh was seen</p>").decode()
    page = (
        f'<p>a</p><iframe src="data:text/html;base64,{framed}"></iframe>'
        '<object data="data:text/plain,Dean%20Holt"></object>'
        "<div><template shadowrootmode=open><p>Shadow text</p></template></div>"
        "<template><p>inert</p></template><p>end</p>"
    )
    assert html_to_text(page) == "a\nKayden Marsh was seen Dean Holt\n\nShadow text\n\nend"
    deep = "<div>" * 20_000 + "Deep text" + "</div>" * 20_000
    assert html_to_text(deep) == "Deep text"


def test_rtf_shape_text_alt_text_unicode_halves_and_list_text_are_read(tmp_path: Path) -> None:
    body = (
        "{\\shp{\\*\\shpinst{\\sp{\\sn gtextUNICODE}{\\sv WordArt words}}"
        "{\\sp{\\sn fillColor}{\\sv 255}}}}\\par\n"
        "{\\*\\shppict{\\pict{\\*\\picprop{\\sp{\\sn wzDescription}{\\sv Alt words}}}"
        "\\pngblip 89504e47}}\\par\n"
        "{\\upr{Ansi words}{\\*\\ud{Unicode words}}}\\par\n"
        "{\\*\\pn\\pnlvlblt{\\pntxtb Bullet words}}Item\\par\n"
    )
    path = tmp_path / "shapes.rtf"
    path.write_bytes(rtf_document(extra=body))
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text == (
        "Ansi wordsUnicode words\nBullet wordsItem\n\nWordArt words\n\nAlt words"
    )
    assert extracted.warnings == ("1 picture(s) not read: check them by eye",)


def test_odt_user_fields_and_embedded_documents_are_read(tmp_path: Path) -> None:
    body = (
        '<text:user-field-decls><text:user-field-decl office:value-type="string" '
        'office:string-value="Field words" text:name="who"/></text:user-field-decls>'
        '<text:p>See <text:user-field-get text:name="who">Field words</text:user-field-get>'
        "</text:p>"
    )
    data = odt_document(body)
    inner = (
        f'<?xml version="1.0"?><office:document-content {_ODF_NAMESPACES}><office:body>'
        "<office:text><text:p>Embedded words</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("Object 1/content.xml", inner)
    path = tmp_path / "fields.odt"
    path.write_bytes(buffer.getvalue())
    assert extract_text(path, IN_PROCESS).text == "See Field words\n\nField words\n\nEmbedded words"


def test_an_odt_or_a_workbook_named_doc_is_read_as_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "letter.doc"
    path.write_bytes(odt_paragraphs("Kayden Marsh was seen."))
    assert extract_text(path, IN_PROCESS).text == "Kayden Marsh was seen."
    path.write_bytes(xlsx_workbook([["Dean Holt", "charged"]]))
    assert extract_text(path, IN_PROCESS).text.startswith("Sheet: Chronology\nDean Holt\tcharged")


def test_an_html_body_encapsulated_in_rtf_is_read(tmp_path: Path) -> None:
    """Outlook writes an HTML message's RTF body as HTML wrapped in RTF
    (\\fromhtml1): markup in htmltag groups, the RTF rendering in \\htmlrtf
    runs. A passage only in the HTML part was cleared."""
    rtf = (
        b"{\\rtf1\\ansi\\fbidis\\ansicpg1252\\deff0\\fromhtml1 {\\fonttbl{\\f0 Arial;}}"
        b"{\\*\\htmltag19 <html>}{\\*\\htmltag64 <p>Kayden Marsh was seen by }"
        b"\\htmlrtf {\\htmlrtf0 {\\*\\htmltag84 Dean Holt}}\\htmlrtf0 \\par"
        b"{\\*\\htmltag72 </p>}{\\*\\htmltag27 </html>}}"
    )
    path = tmp_path / "note.msg"
    path.write_bytes(outlook_msg("Note", "", rtf_body=compressed_rtf(rtf)))
    assert extract_text(path, IN_PROCESS).text == (
        "Subject: Note\n\nFrom: Priya Desai\n\nKayden Marsh was seen by Dean Holt"
    )


def test_text_a_style_sheet_writes_from_an_attribute_is_read() -> None:
    page = (
        '<style>p.note::after { content: " " attr(data-note); }</style>'
        '<p class=note data-note="Kayden Marsh was seen">Note:</p><p data-other="not shown">b</p>'
    )
    assert html_to_text(page) == "Kayden Marsh was seen Note:\n\nb"


def test_a_csv_formula_is_read_as_the_text_it_shows(tmp_path: Path) -> None:
    """Excel works out '="Kay"&"den"' on opening a CSV file: "Kayden"."""
    path = tmp_path / "log.csv"
    path.write_text(
        'Date,Event\n04/03/2026,"=""Kayden ""&""Marsh was ""&""seen"""\n', encoding="utf-8"
    )
    extracted = extract_text(path, IN_PROCESS)
    assert extracted.text.endswith("\n\nFormulas:\nKayden Marsh was seen")
    assert extracted.text.startswith('Date,Event\n04/03/2026,"=""Kayden')
