"""Saved web pages (.html, .htm): read as a browser shows them, in the store
and as outgoing documents, and inside e-mails. All text is fictional."""

from __future__ import annotations

import html
import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import LEAK_PARAGRAPH, RunCli, small_store_records, write_store

from provenance import index_store
from provenance.errors import CorruptDocumentError
from provenance.extract import ExtractionLimits, extract_text

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
