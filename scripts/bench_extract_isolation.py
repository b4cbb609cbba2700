"""What the worker process costs per file: extract_text in the worker vs in process.

    python scripts/bench_extract_isolation.py            # 300 rounds
    python scripts/bench_extract_isolation.py --rounds 1000

Both paths run in the same process, interleaved round by round on the same
files (a one-page .docx of ~300 words, a .pdf of the same text, and a .txt),
so machine noise hits both alike. Prints the median and 90th percentile per
file and the median overhead; also the one-off cost of starting a worker.
.txt is decoded in process in production; its "worker" row calls the worker
directly to show what moving it there would cost.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
from fpdf import FPDF

from provenance.extract import ExtractionLimits, extract_text
from provenance.extract.isolation import extract_in_worker, shutdown_workers

PARAGRAPH = (
    "The social worker visited the family home on a weekday afternoon and spoke with the "
    "parent about routines, meals, bedtimes and school attendance. Actions from the last "
    "meeting were reviewed one by one and progress was noted where it had been made. "
)


def make_files(folder: Path) -> dict[str, Path]:
    document = docx.Document()
    for _ in range(6):
        document.add_paragraph(PARAGRAPH)
    buffer = io.BytesIO()
    document.save(buffer)
    (folder / "minutes.docx").write_bytes(buffer.getvalue())
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for _ in range(6):
        pdf.multi_cell(0, 6, PARAGRAPH, new_x="LMARGIN", new_y="NEXT")
    (folder / "minutes.pdf").write_bytes(bytes(pdf.output()))
    (folder / "minutes.txt").write_text(PARAGRAPH * 6, encoding="utf-8")
    return {suffix: folder / f"minutes.{suffix}" for suffix in ("docx", "pdf", "txt")}


def timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    in_process = ExtractionLimits(use_worker=False)
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp))
        shutdown_workers()
        start = timed(lambda: extract_text(files["docx"]))
        print(f"first .docx call, worker started (Python + python-docx): {start * 1000:.0f} ms")
        text_data = files["txt"].read_bytes()

        def txt_in_worker() -> object:
            return extract_in_worker(
                "text", "extract_plain_text", text_data, "minutes.txt", ExtractionLimits()
            )

        paths: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
            suffix: (
                lambda path=path: extract_text(path),  # type: ignore[misc]
                lambda path=path: extract_text(path, in_process),  # type: ignore[misc]
            )
            for suffix, path in files.items()
        }
        paths["txt"] = (txt_in_worker, paths["txt"][1])
        for worker_call, local_call in paths.values():  # warm both paths
            worker_call()
            local_call()
        samples: dict[str, tuple[list[float], list[float]]] = {s: ([], []) for s in paths}
        for _ in range(args.rounds):
            for suffix, (worker_call, local_call) in paths.items():
                samples[suffix][0].append(timed(worker_call))
                samples[suffix][1].append(timed(local_call))
        shutdown_workers()
    print(f"{args.rounds} rounds; milliseconds per file (median / p90)")
    print(f"{'file':<6} {'worker':>16} {'in process':>16} {'overhead (median)':>18}")
    for suffix, (worker, local) in samples.items():
        w50, l50 = statistics.median(worker), statistics.median(local)
        w90 = statistics.quantiles(worker, n=10)[-1]
        l90 = statistics.quantiles(local, n=10)[-1]
        print(
            f"{suffix:<6} {w50 * 1000:>7.2f} / {w90 * 1000:>6.2f} {l50 * 1000:>7.2f} / "
            f"{l90 * 1000:>6.2f} {(w50 - l50) * 1000:>14.2f} ms"
        )


if __name__ == "__main__":
    main()
