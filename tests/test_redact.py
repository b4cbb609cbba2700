"""Redaction round trips: the redacted copy of a leaking .txt, .md or .docx checks
clean against the same index, shows the mark, and keeps everything else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from provenance.api import CheckedDocument, check_file
from provenance.errors import ConfigError
from provenance.models import CheckResult
from provenance.redact import REDACTION_MARK, redact_document
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE

OWN_STORY = CASE_STORIES["C-1004"]
# Starts with a word the leaked record does not have after the leak: the check's
# span may take in a neighbouring word when both texts share it.
OWN_CLOSING = (
    "Ruby will meet the youth worker weekly at the community centre and her mother "
    "will attend the online safety session for parents."
)


def leaks(result: CheckResult) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in result.matches if m.status == "cross_case"]


def redact_and_recheck(
    source: Path, db_path: Path, suffix: str
) -> tuple[CheckedDocument, CheckedDocument]:
    """Check `source`, redact it, check the copy; both checks for case C-1004."""
    before = check_file(source, "C-1004", db_path)
    assert before.result.verdict == "leak"
    destination = source.with_name(f"redacted{suffix}")
    summary = redact_document(source, destination, before.result, before.extracted.text)
    assert summary.passages_redacted >= 1
    assert summary.destination == destination
    after = check_file(destination, "C-1004", db_path)
    return before, after


@pytest.mark.parametrize(
    ("suffix", "newline", "body"),
    [
        (".txt", "\r\n", [TEMPLATE, OWN_STORY, LEAK_PARAGRAPH, OWN_CLOSING]),
        (".md", "\n", ["# Child protection plan", OWN_STORY, f"- {LEAK_PARAGRAPH}", OWN_CLOSING]),
    ],
)
def test_text_file_round_trip(
    tmp_path: Path, indexed_store: Path, suffix: str, newline: str, body: list[str]
) -> None:
    source = tmp_path / f"plan{suffix}"
    source.write_bytes((newline * 2).join(body).encode("utf-8"))
    original = source.read_bytes()
    before, after = redact_and_recheck(source, indexed_store, suffix)
    assert after.result.verdict == "clean"
    assert not leaks(after.result)
    # Exactly the leaked spans are replaced; every other character, line endings
    # included, is as it was.
    text = before.extracted.text
    ((start, end),) = leaks(before.result)
    assert after.extracted.text == text[:start] + REDACTION_MARK + text[end:]
    assert after.extracted.text.count(newline * 2) == text.count(newline * 2)
    assert after.extracted.text.replace(newline, "").count("\n") == 0
    assert source.read_bytes() == original, "the source is never touched"


def make_docx(path: Path) -> None:
    """A plan with the leak split over differently formatted runs, and in a table cell."""
    document = docx.Document()
    document.add_heading("Child protection plan", level=1)
    document.add_paragraph(OWN_STORY)
    paragraph = document.add_paragraph()
    third = len(LEAK_PARAGRAPH) // 3
    paragraph.add_run(LEAK_PARAGRAPH[:third])
    paragraph.add_run(LEAK_PARAGRAPH[third : 2 * third]).bold = True
    paragraph.add_run(LEAK_PARAGRAPH[2 * third :]).italic = True
    document.add_paragraph(OWN_CLOSING)
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Agreed actions"
    table.cell(1, 0).text = LEAK_PARAGRAPH
    closing = document.add_paragraph("Review date 6 June 2026.")
    closing.runs[0].bold = True
    document.save(str(path))


def test_docx_round_trip(tmp_path: Path, indexed_store: Path) -> None:
    source = tmp_path / "plan.docx"
    make_docx(source)
    before, after = redact_and_recheck(source, indexed_store, ".docx")
    assert after.result.verdict == "clean"
    assert not leaks(after.result)
    text, redacted = before.extracted.text, after.extracted.text
    assert REDACTION_MARK in redacted
    assert "Kayden" not in redacted and "Dean Holt" not in redacted
    # Text before the first leak and after the last one is unchanged.
    spans = leaks(before.result)
    first_start, last_end = spans[0][0], spans[-1][1]
    assert redacted.startswith(text[:first_start] + REDACTION_MARK)
    assert redacted.endswith(text[last_end:])
    # The untouched paragraphs keep their text and formatting.
    paragraphs = docx.Document(str(tmp_path / "redacted.docx")).paragraphs
    texts = [p.text for p in paragraphs]
    assert OWN_STORY in texts and OWN_CLOSING in texts
    assert paragraphs[-1].text == "Review date 6 June 2026."
    assert paragraphs[-1].runs[0].bold


def test_docx_two_leaks_in_one_run(tmp_path: Path, indexed_store: Path) -> None:
    """Offsets of the second leak must still hold after the first is replaced."""
    source = tmp_path / "plan.docx"
    document = docx.Document()
    document.add_paragraph(f"{CASE_STORIES['C-1001']} {OWN_STORY} {LEAK_PARAGRAPH} {OWN_CLOSING}")
    document.save(str(source))
    before, after = redact_and_recheck(source, indexed_store, ".docx")
    assert len(leaks(before.result)) == 2
    assert after.result.verdict == "clean"
    text = before.extracted.text
    (first_start, first_end), (second_start, second_end) = leaks(before.result)
    expected = (
        text[:first_start]
        + REDACTION_MARK
        + text[first_end:second_start]
        + REDACTION_MARK
        + text[second_end:]
    )
    assert after.extracted.text == expected


def test_docx_leak_across_paragraphs_tabs_and_breaks(tmp_path: Path, indexed_store: Path) -> None:
    """Joins, tabs and line breaks inside a leak are not text runs, and may stay."""
    words = LEAK_PARAGRAPH.split(" ")
    source = tmp_path / "plan.docx"
    document = docx.Document()
    document.add_paragraph(OWN_STORY)
    document.add_paragraph(" ".join(words[:20]))
    paragraph = document.add_paragraph(" ".join(words[20:35]) + " ")
    paragraph.add_run().add_tab()
    paragraph.add_run(" ".join(words[35:50])).add_break()
    paragraph.add_run(" ".join(words[50:]))
    document.add_paragraph(OWN_CLOSING)
    document.save(str(source))
    before, after = redact_and_recheck(source, indexed_store, ".docx")
    assert "\t" in before.extracted.text
    assert after.result.verdict == "clean"
    assert "Kayden" not in after.extracted.text and "Dean Holt" not in after.extracted.text
    assert after.extracted.text.startswith(f"{OWN_STORY}\n{REDACTION_MARK}")
    assert after.extracted.text.endswith(OWN_CLOSING)


def test_docx_text_box_leak_is_redacted_in_both_copies(tmp_path: Path, indexed_store: Path) -> None:
    """Word keeps a text box twice (modern and fallback); neither may keep the leak."""
    mc_ns = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = f"<w:txbxContent><w:p><w:r><w:t>{LEAK_PARAGRAPH}</w:t></w:r></w:p></w:txbxContent>"
    paragraph = (
        f'<w:p><w:r><w:t>{OWN_STORY}</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="{mc_ns}">'
        f'<mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = tmp_path / "plan.docx"
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(source, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                head, tail = data.rsplit(b"<w:sectPr", 1)
                data = head + paragraph.encode() + b"<w:sectPr" + tail
            zout.writestr(item, data)
    _, after = redact_and_recheck(source, indexed_store, ".docx")
    assert after.result.verdict == "clean"
    with zipfile.ZipFile(tmp_path / "redacted.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "Kayden" not in xml and "[REDACTED: text from another case" in xml
    assert OWN_STORY in xml


def test_clean_document_is_copied_unchanged(tmp_path: Path, indexed_store: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(f"{TEMPLATE}\n\n{OWN_STORY}\n", encoding="utf-8")
    checked = check_file(source, "C-1004", indexed_store)
    destination = tmp_path / "copy.txt"
    summary = redact_document(source, destination, checked.result, checked.extracted.text)
    assert summary.passages_redacted == 0 and summary.characters_redacted == 0
    assert destination.read_bytes() == source.read_bytes()


def _result(document: str) -> CheckResult:
    return CheckResult(document=document, case_id="C-1004", verdict="clean", matches=())


@pytest.mark.parametrize("suffix", [".pdf", ".eml"])
def test_other_formats_are_refused(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / f"plan{suffix}"
    with pytest.raises(ConfigError, match=r"redaction writes \.txt, \.md and \.docx; convert"):
        redact_document(source, tmp_path / f"out{suffix}", _result(str(source)), "")


def test_destination_must_keep_the_suffix(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("text", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"must have the source's suffix '\.txt'"):
        redact_document(source, tmp_path / "plan.md", _result(str(source)), "text")


def test_source_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("text", encoding="utf-8")
    (tmp_path / "alias.txt").hardlink_to(source)
    for destination in (source, tmp_path / "." / "plan.txt", tmp_path / "alias.txt"):
        with pytest.raises(ConfigError, match="is the source; choose another path"):
            redact_document(source, destination, _result(str(source)), "text")
    assert source.read_text(encoding="utf-8") == "text"


def test_file_changed_since_the_check_is_refused(tmp_path: Path, indexed_store: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text(f"{OWN_STORY}\n\n{LEAK_PARAGRAPH}", encoding="utf-8")
    checked = check_file(source, "C-1004", indexed_store)
    source.write_text(f"Added line.\n{OWN_STORY}\n\n{LEAK_PARAGRAPH}", encoding="utf-8")
    with pytest.raises(ConfigError, match="changed since it was checked; check it again"):
        redact_document(source, tmp_path / "out.txt", checked.result, checked.extracted.text)
    assert not (tmp_path / "out.txt").exists()


def test_unwritable_destination_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "plan.txt"
    source.write_text("text", encoding="utf-8")
    destination = tmp_path / "missing-folder" / "out.txt"
    with pytest.raises(ConfigError, match=r"could not be written .*; choose another path"):
        redact_document(source, destination, _result(str(source)), "text")
    assert list(tmp_path.iterdir()) == [source]
