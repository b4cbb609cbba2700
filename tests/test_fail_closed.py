"""The gate fails closed: every fault in `provenance check` ends with exit 2, never 0.

Each cell of the matrix breaks one thing for a real `provenance check` process
on a document that carries another case's text, and expects exit 2 and a plain
message. A cell that ended 0 would send a leak.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfWriter

from tests.conftest import LEAK_PARAGRAPH, RunCli


def _leaky_text_pdf(path: Path, password: str | None) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, LEAK_PARAGRAPH)
    data = bytes(pdf.output())
    if password is not None:
        from pypdf import PdfReader

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password=password, owner_password=password)
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    path.write_bytes(data)


def _image_only_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")  # a scanned page: marks, no text layer
    path.write_bytes(bytes(pdf.output()))


Setup = Callable[[Path, Path, Path], tuple[Path, Path]]


def _missing_database(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    return draft, tmp / "absent.duckdb"


def _corrupt_database(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    data = bytearray(db.read_bytes())
    for offset in range(8192, len(data), 4096):  # every block past the headers
        data[offset : offset + 64] = b"\xa5" * 64
    db.write_bytes(bytes(data))
    return draft, db


def _truncated_database(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 3)
    return draft, db


def _wrong_key(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    key_file = db.with_name(db.name + ".key")
    key_file.write_text("0f" * 32 + "\n", encoding="ascii")
    return draft, db


def _missing_key(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    db.with_name(db.name + ".key").unlink()
    return draft, db


def _unreadable_docx(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    broken = tmp / "plan.docx"
    broken.write_bytes(b"PK\x03\x04" + LEAK_PARAGRAPH.encode() * 3)
    return broken, db


def _encrypted_pdf(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    _leaky_text_pdf(tmp / "plan.pdf", password="letmein")
    return tmp / "plan.pdf", db


def _encrypted_docx(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    protected = tmp / "plan.docx"  # Word saves a password-protected file as an OLE container
    protected.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4088))
    return protected, db


def _image_only(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    _image_only_pdf(tmp / "scan.pdf")
    return tmp / "scan.pdf", db


def _an_email(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    message = tmp / "draft.eml"  # `check` would miss its attachments: check-eml's job
    message.write_text(
        f"From: a@example.invalid\nTo: b@example.invalid\nSubject: Plan\n\n{LEAK_PARAGRAPH}\n",
        encoding="utf-8",
    )
    return message, db


def _a_directory(draft: Path, db: Path, tmp: Path) -> tuple[Path, Path]:
    folder = tmp / "folder.txt"
    folder.mkdir()
    return folder, db


MATRIX: dict[str, tuple[Setup, str]] = {
    "missing database": (_missing_database, "No index at"),
    "corrupt database": (_corrupt_database, "Could not be checked"),
    "truncated database": (_truncated_database, "Could not be checked"),
    "wrong key": (_wrong_key, "not the key the index"),
    "missing key": (_missing_key, "No secret key"),
    "unreadable document": (_unreadable_docx, "Could not be checked"),
    "encrypted pdf": (_encrypted_pdf, "Could not be checked"),
    "encrypted docx": (_encrypted_docx, "Could not be checked"),
    "image-only pdf": (_image_only, "no text"),
    "document is a folder": (_a_directory, "Could not be checked"),
    "an e-mail (attachments unseen)": (_an_email, "check-eml"),
}


@pytest.mark.parametrize("fault", sorted(MATRIX))
def test_every_fault_exits_2(
    fault: str, indexed_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    setup, expected = MATRIX[fault]
    draft = tmp_path / "plan.txt"
    draft.write_text(f"Plan for Leo.\n\n{LEAK_PARAGRAPH}\n", encoding="utf-8")
    assert run_cli("check", draft, "--case", "C-1005", "--db", indexed_store).returncode == 1
    document, db = setup(draft, indexed_store, tmp_path)
    completed = run_cli("check", document, "--case", "C-1005", "--db", db)
    assert completed.returncode == 2, (fault, completed.stdout, completed.stderr)
    assert expected.lower() in completed.stderr.lower(), completed.stderr
    assert "Traceback" not in completed.stderr


def test_database_held_open_by_another_writer_exits_2(
    indexed_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """Someone opening the live file read-write by hand (not provenance's own writer)."""
    draft = tmp_path / "plan.txt"
    draft.write_text(LEAK_PARAGRAPH, encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
         " print('held', flush=True); time.sleep(60)", str(indexed_store)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        completed = run_cli("check", draft, "--case", "C-1005", "--db", indexed_store)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert completed.returncode == 2
    assert "held open for writing by another program" in " ".join(completed.stderr.split())


_FAULTY_CHECK = """
import re, sys, time
import provenance.api as api
mode = sys.argv[1]
def boom(*args, **kwargs):
    if mode == "hang":
        time.sleep(60)
    if mode == "stuck in C":  # one call that holds the interpreter for ever
        re.fullmatch(r"(a+)+b", "a" * 60)
    raise RuntimeError("injected fault in the matcher")
api.check_text = boom
from provenance.cli import main
sys.argv = ["provenance", "check", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("raise", "internal error"),
        ("hang", "took longer than 1 s"),
        ("stuck in C", "took longer than 1 s"),
    ],
)
def test_internal_faults_and_timeouts_exit_2(
    mode: str, expected: str, indexed_store: Path, tmp_path: Path
) -> None:
    draft = tmp_path / "plan.txt"
    draft.write_text(LEAK_PARAGRAPH, encoding="utf-8")
    began = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-c", _FAULTY_CHECK, mode, str(draft), "--case", "C-1005",
         "--db", str(indexed_store), "--timeout", "1"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == 2, completed.stderr
    assert expected in completed.stderr
    assert time.monotonic() - began < 30
