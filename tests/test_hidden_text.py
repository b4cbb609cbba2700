"""Text a recipient can see or reveal, outside a document's paragraphs, is read.

Each file is built in the test, with the structure Word (or a PDF form filler,
or a mail client) writes. A sentence the extractor does not read is a leak
the check cannot see, so each probe asserts that its own sentence comes out,
once, and that what is not text (a chart's numbers, a symbol font's tick
box) does not. All names and places are fictional.
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from fpdf import FPDF
from hostile_files import (
    broken_attachments_pdf,
    docx_with_body_xml,
    justified_pdf,
    plain_docx,
    png_bytes,
    text_pdf,
    two_column_pdf,
    unmapped_font_pdf,
    with_part,
)
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText, Popup, Text
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from provenance.api import check_file
from provenance.extract import extract_text
from provenance.extract.docx import TRACKED_DELETIONS_WARNING
from provenance.models import ExtractedText
from provenance.normalize import normalize_text, split_words
from provenance.readings import other_readings
from tests.conftest import CASE_STORIES, FILLER, LEAK_PARAGRAPH, TEMPLATE

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _docx_everywhere() -> tuple[bytes, dict[str, str]]:
    """A .docx with one sentence in each place outside the paragraphs' runs."""
    said = {
        "alt": "Alt text: Tamsin Oakridge at the Fernleigh Close address.",
        "watermark": "Watermark: strictly for the Brackley family.",
        "smartart": "SmartArt: Corin Whitlow attends Pennant Row Academy.",
        "chart": "Chart title: visits to Lowther Yard.",
        "category": "Category: Ellery Baines",
        "chunk": "Assembled chunk: Dalia Sorrel was charged with affray.",
        "chunk_plain": "Plain chunk: Ottilie Braithwaite moved to Quarry Lane.",
        "chunk_web_page": "Saved page: Wystan Marlowe visits on Sundays.",
        "ptab": "Positioned tab:\tCorliss\tDunmore",  # w:ptab, read as a tab
        "embedded": "Embedded letter: Rufus Penhale is known to the youth offending team.",
        "title": "Strategy meeting about Isadora Quill",
        "custom": "Harlan Voss, born 9 May 2014",
        "equation": "Linnea",
    }
    body = (
        f'<w:p><w:r><w:drawing><wp:inline><wp:docPr id="7" name="Picture 7" '
        f'descr="{said["alt"]}"/></wp:inline></w:drawing></w:r></w:p>'
        "<w:p><w:r><w:pict><v:shape><v:textpath "
        f'string="{said["watermark"]}"/></v:shape></w:pict></w:r></w:p>'
        # "Oak" + r + "idge", the r written as a symbol; a Wingdings tick box is no text
        '<w:p><w:r><w:t>Oak</w:t></w:r><w:r><w:sym w:font="Arial" w:char="0072"/></w:r>'
        '<w:r><w:t>idge</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r></w:p>'
        + "<w:p><w:r>"
        + "<w:ptab/>".join(f"<w:t>{piece}</w:t>" for piece in said["ptab"].split("\t"))
        + "</w:r></w:p>"
        '<w:p><m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        f"<m:r><m:t>{said['equation']}</m:t></m:r></m:oMath></w:p>"
    )
    data = docx_with_body_xml(body)
    smartart = (
        f'<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        f'xmlns:a="{A_NS}"><dgm:ptLst><dgm:pt modelId="1"><dgm:t><a:bodyPr/><a:p><a:r>'
        f"<a:t>{said['smartart']}</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>"
    )
    data = with_part(
        data,
        "word/diagrams/data1.xml",
        CONTENT_TYPE.DML_DIAGRAM_DATA,
        smartart.encode(),
        RELATIONSHIP_TYPE.DIAGRAM_DATA,
    )
    chart = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:a="{A_NS}"><c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>{said["chart"]}'
        "</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea><c:barChart><c:ser><c:cat>"
        f'<c:strRef><c:strCache><c:pt idx="0"><c:v>{said["category"]}</c:v></c:pt>'
        '</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:numCache><c:pt idx="0">'
        "<c:v>31415</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:barChart>"
        "</c:plotArea></c:chart></c:chartSpace>"
    )
    data = with_part(
        data,
        "word/charts/chart1.xml",
        CONTENT_TYPE.DML_CHART,
        chart.encode(),
        RELATIONSHIP_TYPE.CHART,
    )
    html = f"<html><body><p>{said['chunk']}</p><script>var hidden = 1;</script></body></html>"
    data = with_part(
        data, "word/chunk1.html", "text/html", html.encode(), RELATIONSHIP_TYPE.A_F_CHUNK
    )
    data = with_part(
        data,
        "word/chunk2.txt",
        "text/plain",
        said["chunk_plain"].encode("utf-16"),
        RELATIONSHIP_TYPE.A_F_CHUNK,
    )
    web_page = (
        'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n--b\n'
        f"Content-Type: text/html\n\n<p>{said['chunk_web_page']}</p>\n--b--\n"
    )
    data = with_part(
        data, "word/chunk3.mht", "message/rfc822", web_page.encode(), RELATIONSHIP_TYPE.A_F_CHUNK
    )
    data = with_part(
        data,
        "word/embeddings/Letter.docx",
        CONTENT_TYPE.WML_DOCUMENT,
        plain_docx(said["embedded"]),
        RELATIONSHIP_TYPE.PACKAGE,
    )
    data = with_part(
        data, "word/embeddings/Sheet.xlsx", XLSX_TYPE, b"PK not read", RELATIONSHIP_TYPE.PACKAGE
    )
    custom = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="ChildDetails">'
        f"<vt:lpwstr>{said['custom']}</vt:lpwstr></property></Properties>"
    )
    data = with_part(
        data,
        "docProps/custom.xml",
        CONTENT_TYPE.OFC_CUSTOM_PROPERTIES,
        custom.encode(),
        RELATIONSHIP_TYPE.CUSTOM_PROPERTIES,
        owner="",
    )
    document = docx.Document(io.BytesIO(data))
    document.core_properties.title = said["title"]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), said


def _each_read_once(tmp_path: Path, name: str, data: bytes, said: dict[str, str]) -> ExtractedText:
    """The file's text, having checked that each sentence planted in it is read once."""
    result = extract_text(_write(tmp_path, name, data))
    for place, sentence in said.items():
        assert result.text.count(sentence) == 1, place
    return result


def test_docx_text_outside_paragraphs_is_read_once_each(tmp_path: Path) -> None:
    data, said = _docx_everywhere()
    result = _each_read_once(tmp_path, "everywhere.docx", data, said)
    assert "Oakridge" in result.text.split("\n")
    assert "31415" not in result.text  # a chart's numbers are not text
    assert "var hidden" not in result.text
    assert "ChildDetails: " + said["custom"] in result.text
    assert result.text.endswith(said["title"] + "\n" + "ChildDetails: " + said["custom"])
    unread = [w for w in result.warnings if "embedded object that was not read" in w]
    assert len(unread) == 1 and "Sheet.xlsx" in unread[0]


def test_embedded_document_that_is_damaged_is_named_and_the_rest_is_read(
    tmp_path: Path,
) -> None:
    data = with_part(
        plain_docx("The letter itself."),
        "word/embeddings/Broken.docx",
        CONTENT_TYPE.WML_DOCUMENT,
        b"not a zip at all",
        RELATIONSHIP_TYPE.PACKAGE,
    )
    result = extract_text(_write(tmp_path, "letter.docx", data))
    assert result.text == "The letter itself."
    assert any("embedded document that was not read" in w for w in result.warnings)


def test_document_embedding_itself_stops_at_the_nesting_limit(tmp_path: Path) -> None:
    data = plain_docx("Outer layer.")
    for _ in range(6):
        data = with_part(
            plain_docx("Outer layer."),
            "word/embeddings/Inner.docx",
            CONTENT_TYPE.WML_DOCUMENT,
            data,
            RELATIONSHIP_TYPE.PACKAGE,
        )
    result = extract_text(_write(tmp_path, "nested.docx", data))
    assert result.text.count("Outer layer.") == 4  # the document and three embedded levels
    assert any("embedded object that was not read" in w for w in result.warnings)


def test_names_replaced_with_tracking_on_still_read_as_the_original_sentence(
    tmp_path: Path,
) -> None:
    def deleted(text: str, number: int) -> str:
        return (
            f'<w:del w:id="{number}" w:author="A"><w:r>'
            f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
        )

    def inserted(text: str, number: int) -> str:
        return f'<w:ins w:id="{number}" w:author="A"><w:r><w:t>{text}</w:t></w:r></w:ins>'

    def kept(text: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'

    body = (
        "<w:p>"
        + deleted("Tamsin Oakridge", 1)
        + inserted("Jo", 2)
        + kept(" of ")
        + deleted("9 Fernleigh Close", 3)
        + inserted("the family home", 4)
        + kept(" was charged with burglary.")
        + "</w:p>"
    )
    result = extract_text(_write(tmp_path, "changed.docx", docx_with_body_xml(body)))
    assert result.text.split("\n") == [
        "Jo of the family home was charged with burglary.",
        "Tamsin Oakridge of 9 Fernleigh Close was charged with burglary.",
    ]
    assert result.warnings == (TRACKED_DELETIONS_WARNING,)


def _pdf_everywhere() -> tuple[bytes, dict[str, str]]:
    """A one-page PDF with one sentence in each place outside its page content."""
    said = {
        "page": "The plan agreed at the meeting is set out below.",
        "free_text": "Comment box: Tamsin Oakridge lives at 9 Fernleigh Close.",
        "sticky": "Sticky note: Corin Whitlow was charged with burglary.",
        "field": "Form field: Dalia Sorrel, born 2 June 2013, Pennant Row Academy.",
        "attached_text": "Attached notes: Ottilie Braithwaite moved to Quarry Lane.",
        "attached_pdf": "Attached minutes: Rufus Penhale is known to the youth offending team.",
        "bookmark": "Bookmark: Isadora Quill",
        "title": "Referral about Harlan Voss",
    }
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(said["page"]))))
    writer.add_annotation(0, FreeText(text=said["free_text"], rect=(50, 550, 500, 600)))
    note = writer.add_annotation(0, Text(text=said["sticky"], rect=(50, 500, 70, 520), open=False))
    writer.add_annotation(0, Popup(rect=(80, 400, 300, 500), parent=note))
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("child_details"),
            NameObject("/V"): TextStringObject(said["field"]),
            NameObject("/Rect"): ArrayObject([]),
        }
    )
    tick = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Btn"),
            NameObject("/T"): TextStringObject("consent"),
            NameObject("/V"): NameObject("/Yes"),
        }
    )
    fields = ArrayObject([writer._add_object(field), writer._add_object(tick)])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): fields})
    writer.add_attachment("notes.txt", said["attached_text"].encode())
    writer.add_attachment("minutes.pdf", text_pdf(said["attached_pdf"]))
    writer.add_attachment("photo.jpg", b"\xff\xd8 not read")
    writer.add_outline_item(title=said["bookmark"], page_number=0)
    writer.add_metadata({"/Title": said["title"]})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), said


def test_pdf_text_outside_the_page_content_is_read_once_each(tmp_path: Path) -> None:
    data, said = _pdf_everywhere()
    result = _each_read_once(tmp_path, "everywhere.pdf", data, said)
    assert "/Yes" not in result.text  # a ticked box holds a name, not text
    text = result.text
    assert text.index(said["page"]) < text.index(said["free_text"]) < text.index(said["field"])
    assert result.warnings == ("attachment not read: photo.jpg (type .jpg)",)


def _appearance(writer: PdfWriter, text: str) -> DictionaryObject:
    """An /AP dictionary whose normal appearance draws `text` in Helvetica."""
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    drawing = DecodedStreamObject()
    drawing.set_data(f"BT /F1 10 Tf 2 5 Td ({text}) Tj ET".encode("latin-1"))
    drawing.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0)] * 2),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
            ),
        }
    )
    return DictionaryObject({NameObject("/N"): writer._add_object(drawing)})


def test_pdf_text_drawn_only_by_an_annotations_appearance_is_read(tmp_path: Path) -> None:
    """A viewer draws an annotation's appearance: a field whose value was clean
    but whose appearance showed another family's details, and a square whose
    only text was its appearance, were not read (black-box round)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("The plan is set out below."))))
    drawn = {
        "field": "Tamsin Oakridge lives at 9 Fernleigh Close.",
        "square": "Corin Whitlow was charged with burglary.",
    }
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("notes"),
            NameObject("/V"): TextStringObject("No concerns."),
            NameObject("/Rect"): ArrayObject([NumberObject(50), NumberObject(50)] * 2),
            NameObject("/AP"): _appearance(writer, drawn["field"]),
        }
    )
    square = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Square"),
            NameObject("/Rect"): ArrayObject([NumberObject(50), NumberObject(100)] * 2),
            NameObject("/AP"): _appearance(writer, drawn["square"]),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject(
        [writer._add_object(field), writer._add_object(square)]
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    _each_read_once(tmp_path, "drawn.pdf", buffer.getvalue(), drawn)


def test_pdf_attaching_pdfs_stops_at_the_nesting_limit(tmp_path: Path) -> None:
    data = text_pdf("Innermost page.")
    for level in range(5):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(f"Level {level} page."))))
        writer.add_attachment("inner.pdf", data)
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    result = extract_text(_write(tmp_path, "nested.pdf", data))
    assert [f"Level {n} page." in result.text for n in range(5)] == [False, True, True, True, True]
    (warning,) = result.warnings  # named from the outermost attachment in
    assert warning == "inner.pdf: " * 3 + "attachment not read: inner.pdf (PDFs nested over 3 deep)"


def test_eml_html_alternative_is_read_when_it_says_more(tmp_path: Path) -> None:
    plain = "Dear Ms Whitcombe, please find the plan we discussed."
    extra = "Tamsin Oakridge of 9 Fernleigh Close was charged with burglary."
    message = EmailMessage()
    message["Subject"] = "Your plan"
    message.set_content(plain)
    message.add_alternative(f"<p>{plain}</p><p>{extra}</p>", subtype="html")
    result = extract_text(_write(tmp_path, "more.eml", bytes(message)))
    assert result.text.count(plain) == 2 and result.text.count(extra) == 1

    repeated = EmailMessage()
    repeated["Subject"] = "Your plan"
    repeated.set_content(plain)
    repeated.add_alternative(f"<p><i>{plain}</i></p>", subtype="html")
    result = extract_text(_write(tmp_path, "same.eml", bytes(repeated)))
    assert result.text == f"Subject: Your plan\n\n{plain}\n"


def test_pdf_text_in_a_font_without_unicode_is_named_not_passed_as_words(tmp_path: Path) -> None:
    """Glyph names are no words: without the warning, a page whose copied
    passage could not be read looked as checked as any other."""
    data = unmapped_font_pdf("Dear family, this letter sets out the plan.", "Tamsin Oakridge")
    result = extract_text(_write(tmp_path, "type3.pdf", data))
    assert "Dear family" in result.text and "Oakridge" not in result.text
    (warning,) = result.warnings
    assert warning.startswith("page(s) 1: some text is in a font with no Unicode mapping")
    plain = extract_text(_write(tmp_path, "plain.pdf", text_pdf("Page 2 of 3 /g4 /a1")))
    assert plain.warnings == ()


def test_pictures_beside_text_are_named_for_the_reviewer(tmp_path: Path) -> None:
    """A screenshot of another family's record, or a genogram with its names,
    cleared with no word (black-box round): text in pictures is not read, so
    the reviewer is told to look. A header's logo, or a small one, is not named."""
    document = docx.Document()
    document.add_paragraph("The plan is set out below.")
    document.add_picture(io.BytesIO(png_bytes(600, 400)))
    header = document.sections[0].header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(png_bytes(120, 40)))
    buffer = io.BytesIO()
    document.save(buffer)
    result = extract_text(_write(tmp_path, "pictured.docx", buffer.getvalue()))
    assert result.warnings == (
        "1 picture(s) in the body were not read: text in a picture (a screenshot, a "
        "genogram) is not checked; look at them",
    )

    def pdf_with_picture(width: int, height: int) -> bytes:
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, "The plan is set out below.")
        pdf.image(io.BytesIO(png_bytes(width, height)), w=120)
        return bytes(pdf.output())

    big = extract_text(_write(tmp_path, "big.pdf", pdf_with_picture(700, 400)))
    assert big.warnings == (
        "page(s) 1 hold pictures, which were not read: text in a picture (a screenshot, a "
        "genogram) is not checked; look at them",
    )
    logo = extract_text(_write(tmp_path, "logo.pdf", pdf_with_picture(600, 150)))
    assert logo.warnings == ()


def test_docx_text_shown_right_to_left_is_marked_for_the_check(tmp_path: Path) -> None:
    """`w:bdo w:val="rtl"` shows its letters right to left: a copy stored
    backwards in one read forwards to the family and cleared (black-box round)."""
    stored = "Tamsin Oakridge was charged"[::-1]
    body = f'<w:p><w:bdo w:val="rtl"><w:r><w:t>{stored}</w:t></w:r></w:bdo></w:p>'
    result = extract_text(_write(tmp_path, "bdo.docx", docx_with_body_xml(body)))
    assert result.text == f"\u202e{stored}\u202c"
    shown = [text for text, _ in other_readings(result.text)]
    assert any("Tamsin Oakridge was charged" in text for text in shown)


def test_docx_words_apart_only_by_layout_are_read_apart(tmp_path: Path) -> None:
    """Words with no spaces, apart only by expanded character spacing, or laid out
    right to left in a w:bidi paragraph, read forwards to the family and cleared
    (black-box round). Each is marked for the check's readings."""
    words = ["Tamsin", "Oakridge", "was", "charged"]
    spaced = "".join(
        f'<w:r><w:t>{word[:-1]}</w:t></w:r><w:r><w:rPr><w:spacing w:val="80"/></w:rPr>'
        f"<w:t>{word[-1]}</w:t></w:r>"
        for word in words
    )
    result = extract_text(_write(tmp_path, "gaps.docx", docx_with_body_xml(f"<w:p>{spaced}</w:p>")))
    assert result.text == "\u200b".join(words) + "\u200b"
    reversed_words = " ".join(reversed(words))
    bidi = f"<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:t>{reversed_words}</w:t></w:r></w:p>"
    result = extract_text(_write(tmp_path, "bidi.docx", docx_with_body_xml(bidi)))
    assert result.text == f"\u200f{reversed_words}"
    for text in ("\u200b".join(words), f"\u200f{reversed_words}"):
        shown = [" ".join(split_words(t).words) for t, _ in other_readings(text)]
        assert normalize_text("tamsin oakridge was charged") in shown


def test_pdf_text_mapped_to_private_use_characters_is_named(tmp_path: Path) -> None:
    """A font whose Unicode map points at private-use characters: the page reads
    as symbols, and a copy drawn in it was cleared without a word (black-box round)."""
    hidden = "Tamsin Oakridge lives at Fernleigh Close with Corin Whitlow"
    data = unmapped_font_pdf("Dear family, the plan.", hidden, private_use=True)
    result = extract_text(_write(tmp_path, "pua.pdf", data))
    assert "Dear family" in result.text and "Oakridge" not in result.text
    (warning,) = result.warnings
    assert warning.startswith("page(s) 1: some text came out as private-use characters")


def test_pdf_whose_attachment_list_is_damaged_keeps_its_page_text(tmp_path: Path) -> None:
    result = extract_text(_write(tmp_path, "odd.pdf", broken_attachments_pdf("Page text here")))
    assert result.text == "Page text here"
    assert result.warnings == ("attachments could not be read (PdfReadError): check by eye",)


def test_pdf_columns_drawn_line_by_line_are_also_read_column_by_column(tmp_path: Path) -> None:
    left = (
        "This plan has been agreed at the child protection conference. It will be reviewed "
        "at each core group meeting and at the review conference. If the actions in this plan "
        "are not completed, or if the worries about the children increase, the local "
        "authority may seek legal advice about what should happen next."
    )
    right = (
        "Gemma Abberley and the children live in a two-bedroom housing association property "
        "at 56 Larchfield Road, Ashby Vale, where they have lived since 2021."
    )
    result = extract_text(_write(tmp_path, "columns.pdf", two_column_pdf(left, right)))
    page, by_column = result.text.split("\n\n")
    assert right not in " ".join(page.split())  # pypdf's reading glues the columns together
    read = " ".join(by_column.split())
    assert right in read and read.startswith(left[:200])  # the left column, then the right
    single = extract_text(_write(tmp_path, "single.pdf", text_pdf(left, right)))
    assert "\n\n" not in single.text  # a page of one column is read once


def test_a_justified_page_is_read_once(tmp_path: Path) -> None:
    """Its stretched spaces line up down a few lines by chance: read as
    columns, each page came out twice, the second time scrambled."""
    prose = " ".join([TEMPLATE, CASE_STORIES["C-1004"], FILLER, LEAK_PARAGRAPH])
    result = extract_text(_write(tmp_path, "justified.pdf", justified_pdf(prose)))
    assert "\n\n" not in result.text
    assert " ".join(result.text.split()) == " ".join(prose.split())


def test_justified_columns_are_still_read_column_by_column(tmp_path: Path) -> None:
    story = CASE_STORIES["C-1004"]
    result = extract_text(
        _write(tmp_path, "two.pdf", justified_pdf(f"{TEMPLATE} {FILLER}", f"{story} {FILLER}"))
    )
    page, by_column = result.text.split("\n\n")
    assert story not in " ".join(page.split())  # glued to the left column line by line
    assert story in " ".join(by_column.split())


def test_a_copy_in_one_column_of_a_two_column_pdf_is_a_leak(
    tmp_path: Path, indexed_store: Path
) -> None:
    left = f"{TEMPLATE} {CASE_STORIES['C-1004']} {FILLER}"  # as long as the copy
    draft = _write(tmp_path, "plan.pdf", two_column_pdf(left, LEAK_PARAGRAPH))
    checked = check_file(draft, "C-1004", indexed_store)
    leaks = [" ".join(m.text.split()) for m in checked.result.matches if m.status == "cross_case"]
    assert leaks and all(
        m.source.case_id == "C-1003" for m in checked.result.matches if m.status == "cross_case"
    )
    # Read by columns, the copy is one passage again, not pieces between the left column's lines.
    assert any("Dean Holt was charged on 2 March 2026 with assault occasioning" in t for t in leaks)


def test_docx_whose_chart_is_damaged_keeps_its_body_text(tmp_path: Path) -> None:
    data = with_part(
        plain_docx("Body text."),
        "word/charts/chart1.xml",
        CONTENT_TYPE.DML_CHART,
        b"<not xml",
        RELATIONSHIP_TYPE.CHART,
    )
    result = extract_text(_write(tmp_path, "chart.docx", data))
    assert result.text == "Body text."
    assert result.warnings == (
        "/word/charts/chart1.xml could not be read (XMLSyntaxError): check by eye",
    )
