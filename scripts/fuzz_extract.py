"""Fuzz the extractors (text, docx, pdf, eml, html, rtf, odt, doc, msg, xlsx, csv) with atheris.

    python scripts/fuzz_extract.py --seconds 600                 # every format, 10 min each
    python scripts/fuzz_extract.py --format pdf --seconds 60     # one format
    python scripts/fuzz_extract.py --reproduce fuzz_findings/pdf/finding-....pdf

Needs the `fuzz` extra (`pip install -e ".[fuzz]"`: atheris and fpdf2).

Each format is fuzzed in its own child process (atheris/libFuzzer, coverage-
guided over provenance.extract, pypdf, python-docx and the stdlib e-mail
parser), seeded with small valid files this script generates. Per input:

- an `ExtractionError` is the expected answer to garbage and counts as fine;
- any other exception is a *finding*: one reproducer per distinct exception
  (type + innermost source line) is saved as `finding-*` with its traceback;
- more than `--timeout` CPU seconds in Python code is a *hang* (reproducer
  `hang-*`); a hang inside C code is caught by libFuzzer's own wall-clock
  timeout (3x longer), which kills the child: a `timeout-*` artifact;
- a child killed by a signal, libFuzzer's RSS limit, or a native crash is a
  *crash* (libFuzzer writes `crash-*`/`oom-*`); the child is restarted for
  the remaining time.

The table printed at the end (and written to OUT/summary.json) says, per
extractor: runs, execs/s, crashes, hangs, findings and the reproducer folder.
The extractors are called in-process here, without the worker process that
`extract_text` uses in production, so the parsers themselves are exercised.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# "docx-xml" fuzzes the XML of word/document.xml inside an intact package: mutating
# the .docx bytes themselves almost always breaks the zip's CRC, so "docx" alone
# mostly exercises zip parsing and barely reaches python-docx and the text walk.
FORMATS = (
    "text", "docx", "docx-xml", "pdf", "eml", "html", "rtf", "odt-xml", "doc", "msg",
    "xlsx-xml", "csv",
)  # fmt: skip
SUFFIX = {
    "text": "txt",
    "docx": "docx",
    "docx-xml": "docx",
    "pdf": "pdf",
    "eml": "eml",
    "html": "html",
    "rtf": "rtf",
    "odt-xml": "odt",
    "doc": "doc",
    "msg": "msg",
    "xlsx-xml": "xlsx",
    "csv": "csv",
}
_SHEET_MEMBER = "xl/worksheets/sheet1.xml"  # fuzzed inside an intact workbook ("xlsx-xml")
# An OpenDocument package around a fuzzed content.xml (as "docx-xml" for Word).
_ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0">'
    '<office:body><office:text><text:h>Review</text:h><text:p>{sentence}<text:s text:c="2"/>'
    "<text:note><text:note-body><text:p>Note</text:p></text:note-body></text:note></text:p>"
    "</office:text></office:body></office:document-content>"
)
_ARTIFACT_KINDS = ("crash", "timeout", "oom", "leak", "slow-unit")


@dataclass
class Stats:
    """What one child saw; the parent sums them when a child had to be restarted."""

    runs: int = 0
    seconds: float = 0.0
    expected_errors: int = 0
    hangs: int = 0
    findings: dict[str, int] | None = None


# --- seeds -------------------------------------------------------------------


def seed_files(fmt: str) -> list[bytes]:
    """Small valid files of `fmt` (all text fictional)."""
    sentence = "Zephyr Quillfeather attended the review at Larkspur Family Centre."
    if fmt == "text":
        return [
            sentence.encode(),
            sentence.encode("utf-16"),
            "Caf\u00e9 visit \u2013 \u00a35".encode("cp1252"),
            b"",
            b"# Notes\r\n\r\n* item\r\n",
        ]
    if fmt == "html":
        return [
            f"<html><head><title>Review</title></head><body><p>{sentence}</p>"
            '<img alt="x"><iframe srcdoc="<p>y</p>"></iframe></body></html>'.encode(),
            b'<meta charset="windows-1252"><p>Caf\xe9</p>',
        ]
    if fmt == "rtf":
        return [
            b"{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}{\\header H\\par}"
            + sentence.encode()
            + b"\\par{\\footnote N}\\u8220?q\\'e9{\\*\\shppict{\\pict 89}}}"
        ]
    if fmt == "odt-xml":
        return [_ODT_CONTENT.format(sentence=sentence).encode()]
    if fmt == "csv":
        return [
            f'Date,Event,Source\r\n2026-03-04,"{sentence}",SW\r\n'.encode(),
            b'=HYPERLINK("x","Visit"),"a ""quoted"" cell",=A1&B1\n',
            "Caf\u00e9;\u00a35;\u2013\n".encode("cp1252"),
            sentence.encode("utf-16"),
        ]
    if fmt == "xlsx-xml":
        import zipfile

        return [zipfile.ZipFile(io.BytesIO(xlsx_seed(sentence))).read(_SHEET_MEMBER)]
    if fmt in ("doc", "msg"):  # the tests' builders of compound files
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from hostile_files import compressed_rtf, outlook_msg, word97_doc

        if fmt == "msg":
            rtf = compressed_rtf(b"{\\rtf1\\ansi " + sentence.encode() + b"\\par}")
            return [
                outlook_msg("Review", sentence, html=f"<p>{sentence}</p>",
                            attachments={"a.txt": sentence.encode()},
                            attached_message=("Fwd", sentence)),
                outlook_msg("Review", "", rtf_body=rtf),
            ]  # fmt: skip

        return [word97_doc(f"{sentence}\r", "Cell\x07\x07 \x13 PAGE \x14x\x15\r", compressed=c)
                for c in (True, False)]  # fmt: skip
    if fmt == "docx-xml":
        import zipfile

        return [
            zipfile.ZipFile(io.BytesIO(package)).read("word/document.xml")
            for package in seed_files("docx")
        ]
    if fmt == "docx":
        import docx

        document = docx.Document()
        paragraph = document.add_paragraph(sentence)
        document.add_comment(paragraph.runs, text="Check the dates.", author="Reviewer")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Cell text"
        table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "Nested"
        document.sections[0].header.paragraphs[0].text = "Header text"
        buffer = io.BytesIO()
        document.save(buffer)
        plain = io.BytesIO()
        docx.Document().save(plain)
        return [buffer.getvalue(), plain.getvalue()]
    if fmt == "pdf":
        from fpdf import FPDF

        seeds = []
        for pages in ((sentence,), (sentence, "Second page."), ()):
            pdf = FPDF()
            pdf.set_font("helvetica", size=12)
            pdf.add_page()
            for text in pages:
                pdf.multi_cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
            seeds.append(bytes(pdf.output()))
        return seeds
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "worker@example.org"
    message["Subject"] = "Review"
    message.set_content(sentence + "\n")
    message.add_alternative(f"<p>{sentence}</p><br><pre> x </pre>", subtype="html")
    message.add_attachment(b"data", maintype="application", subtype="pdf", filename="a.pdf")
    return [message.as_bytes()]


def odt_package(content_xml: bytes) -> bytes:
    """An OpenDocument text package holding `content_xml`."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", content_xml)
    return out.getvalue()


def with_document_xml(package: bytes, document_xml: bytes) -> bytes:
    """`package` (a .docx) with word/document.xml replaced, stored uncompressed."""
    return with_member(package, "word/document.xml", document_xml)


def with_member(package: bytes, member: str, content: bytes) -> bytes:
    """`package` (a zip) with `member` replaced, stored uncompressed."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = content if item.filename == member else zin.read(item)
            zout.writestr(item.filename, data)
    return out.getvalue()


def xlsx_seed(sentence: str) -> bytes:
    """The tests' workbook (shared and inline strings, a hidden sheet, a cell note)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_more_formats import xlsx_workbook

    return xlsx_workbook([["2026-03-04", sentence, "=SUM(A1:A2)"], ["Later", "Seen"]],
                         comment="Check the dates.")  # fmt: skip


# --- the child: one format under atheris -------------------------------------


class _HangError(Exception):
    """Raised by the CPU-time alarm inside an input that runs too long."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _HangError


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__}@{where}"


def run_child(fmt: str, seconds: float, timeout: float, out: Path, stats_file: Path) -> None:
    import atheris

    with atheris.instrument_imports():
        import docx  # noqa: F401
        import pypdf  # noqa: F401

        from provenance.errors import ExtractionError
        from provenance.extract import ExtractionLimits
        from provenance.extract.csv_text import extract_csv
        from provenance.extract.doc import extract_doc
        from provenance.extract.docx import extract_docx
        from provenance.extract.eml import extract_eml
        from provenance.extract.html_text import extract_html
        from provenance.extract.msg import extract_msg
        from provenance.extract.odt import extract_odt
        from provenance.extract.pdf import extract_pdf
        from provenance.extract.rtf import extract_rtf
        from provenance.extract.text import extract_plain_text
        from provenance.extract.xlsx import extract_xlsx

    base_package = seed_files("docx")[0]
    base_workbook = xlsx_seed("Zephyr Quillfeather attended the review.")

    def extract_document_xml(data: bytes, name: str, limits: ExtractionLimits) -> Any:
        return extract_docx(with_document_xml(base_package, data), name, limits)

    extractors: dict[str, Callable[..., Any]] = {
        "text": extract_plain_text,
        "docx": extract_docx,
        "docx-xml": extract_document_xml,
        "pdf": extract_pdf,
        "eml": extract_eml,
        "html": extract_html,
        "rtf": extract_rtf,
        "doc": extract_doc,
        "msg": extract_msg,
        "odt-xml": lambda data, name, limits: extract_odt(odt_package(data), name, limits),
        "xlsx-xml": lambda data, name, limits: extract_xlsx(
            with_member(base_workbook, _SHEET_MEMBER, data), name, limits
        ),
        "csv": extract_csv,
    }
    extractor = extractors[fmt]
    limits = ExtractionLimits(max_inflated_bytes=64 * 1024 * 1024)
    folder = out / fmt
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(seed_files(fmt)):
        (corpus / f"seed-{number}.{SUFFIX[fmt]}").write_bytes(seed)

    stats = Stats(findings={})
    findings = stats.findings
    assert findings is not None
    began = time.monotonic()
    last_write = [began]

    def save(kind: str, data: bytes, detail: str) -> None:
        digest = hashlib.sha1(data).hexdigest()[:12]
        if fmt == "docx-xml":  # the reproducer is the whole .docx
            data = with_document_xml(base_package, data)
        elif fmt == "odt-xml":
            data = odt_package(data)
        elif fmt == "xlsx-xml":
            data = with_member(base_workbook, _SHEET_MEMBER, data)
        path = folder / f"{kind}-{digest}.{SUFFIX[fmt]}"
        path.write_bytes(data)
        path.with_suffix(path.suffix + ".txt").write_text(detail, encoding="utf-8")

    def write_stats() -> None:
        stats.seconds = time.monotonic() - began
        stats_file.write_text(json.dumps(asdict(stats)), encoding="utf-8")

    def one_input(data: bytes) -> None:
        now = time.monotonic()
        if now - began >= seconds:
            write_stats()
            os._exit(0)
        if now - last_write[0] > 2:
            write_stats()
            last_write[0] = now
        stats.runs += 1
        signal.setitimer(signal.ITIMER_PROF, timeout)
        try:
            extractor(data, f"fuzz.{SUFFIX[fmt]}", limits)
        except ExtractionError:
            stats.expected_errors += 1
        except _HangError:
            stats.hangs += 1
            save("hang", data, f"over {timeout} s of CPU time\n")
        except Exception as exc:  # everything else is a bug worth a look
            key = _signature(exc)
            if key not in findings:
                save("finding", data, "".join(traceback.format_exception(exc)))
            findings[key] = findings.get(key, 0) + 1
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)

    signal.signal(signal.SIGPROF, _on_alarm)
    libfuzzer_args = [
        sys.argv[0],
        str(corpus),
        f"-timeout={int(timeout * 3) + 1}",
        "-rss_limit_mb=2048",
        f"-artifact_prefix={folder}/",
        "-max_len=65536",
        f"-max_total_time={int(seconds) + 60}",
        "-print_final_stats=0",
        "-close_fd_mask=3",
    ]
    atheris.Setup(libfuzzer_args, one_input)
    atheris.Fuzz()


# --- the parent: one child per format, restarted after a crash ---------------


def fuzz_format(fmt: str, seconds: float, timeout: float, out: Path) -> dict[str, Any]:
    folder = out / fmt
    folder.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in folder.iterdir()}
    total = Stats(findings={})
    crashes: list[str] = []
    began = time.monotonic()
    restarts = 0
    # The budget counts fuzzing time only: instrumenting pypdf and python-docx at
    # start-up takes tens of seconds per child and is not fuzzing.
    while (remaining := seconds - total.seconds) > 5 and restarts < 50:
        stats_file = folder / f"stats-{restarts}.json"
        command = [sys.executable, __file__, "--child", fmt, "--seconds", str(remaining)]
        command += ["--timeout", str(timeout), "--out", str(out), "--stats-file", str(stats_file)]
        log = folder / f"libfuzzer-{restarts}.log"
        with log.open("wb") as handle:
            result = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, check=False)
        if stats_file.exists():
            child = Stats(**json.loads(stats_file.read_text(encoding="utf-8")))
            total.runs += child.runs
            total.seconds += child.seconds
            total.expected_errors += child.expected_errors
            total.hangs += child.hangs
            for key, count in (child.findings or {}).items():
                total.findings[key] = total.findings.get(key, 0) + count  # type: ignore[index]
        if result.returncode == 0:
            break
        if not stats_file.exists():
            total.seconds += 5  # died before its first report: count something, never spin
        new = sorted(
            p.name
            for p in folder.iterdir()
            if p.name not in before and p.name.startswith(_ARTIFACT_KINDS)
        )
        before.update(new)
        crashes.append(f"exit {result.returncode}: {', '.join(new) or 'no artifact'} (see {log})")
        restarts += 1
    elapsed = time.monotonic() - began
    timeouts = sum(1 for c in crashes if "timeout-" in c)
    return {
        "extractor": fmt,
        "seconds": round(total.seconds, 1),
        "wall_seconds": round(elapsed, 1),
        "runs": total.runs,
        "execs_per_s": round(total.runs / total.seconds, 1) if total.seconds else 0.0,
        "expected_errors": total.expected_errors,
        "crashes": len(crashes) - timeouts,
        "hangs": total.hangs + timeouts,
        "findings": total.findings,
        "crash_details": crashes,
        "reproducers": str(folder),
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    header = f"{'extractor':<9} {'seconds':>7} {'runs':>9} {'execs/s':>8} {'crashes':>7} "
    header += f"{'hangs':>5} {'findings':>8}  reproducers"
    print(header)
    for row in rows:
        print(
            f"{row['extractor']:<9} {row['seconds']:>7.0f} {row['runs']:>9} "
            f"{row['execs_per_s']:>8.1f} {row['crashes']:>7} {row['hangs']:>5} "
            f"{len(row['findings']):>8}  {row['reproducers']}"
        )
        for key, count in row["findings"].items():
            print(f"    finding {key}: {count} input(s)")
        for detail in row["crash_details"]:
            print(f"    crash {detail}")


def reproduce(path: Path) -> int:
    """Run one saved input through `extract_text` (the production path, worker included)."""
    from provenance.errors import ExtractionError
    from provenance.extract import extract_text

    try:
        result = extract_text(path)
    except ExtractionError as error:
        print(f"ExtractionError ({error.reason}): {error}")
        return 0
    print(f"{len(result.text)} characters, warnings: {result.warnings}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=(*FORMATS, "all"), default="all")
    parser.add_argument("--seconds", type=float, default=60.0, help="per extractor")
    parser.add_argument("--timeout", type=float, default=5.0, help="CPU seconds per input")
    parser.add_argument("--out", type=Path, default=Path("fuzz_findings"))
    parser.add_argument("--reproduce", type=Path, help="run one saved input and exit")
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--stats-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reproduce:
        return reproduce(args.reproduce)
    if args.child:
        run_child(args.child, args.seconds, args.timeout, args.out, args.stats_file)
        return 0
    formats = FORMATS if args.format == "all" else (args.format,)
    rows = []
    for fmt in formats:
        rows.append(fuzz_format(fmt, args.seconds, args.timeout, args.out))
        print(f"{fmt}: done", file=sys.stderr, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
