"""Checking a long document (a court bundle, a chronology): time, peak memory, copies found.

    python scripts/bench_long_document.py                 # 6k, 30k and 115k words
    python scripts/bench_long_document.py --docs 24 --rounds 3

Builds the labelled benchmark store (scripts/quality_data.py, seed 0), joins
benchmark documents into one long text per size, and checks it two ways in
the same run: as the check runs (windows of windows.WINDOW_WORDS words), and
as one piece (the window made larger than the text: the behaviour before
windows, the baseline). Each measurement runs in a fresh process so its peak
RSS is its own; the two ways alternate round by round so machine noise hits
both. Prints medians and the ratios to the baseline, and how many of the
planted copies from another case each way found.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from provenance import CheckParams, index_store
from quality_data import generate, write_store


def build(folder: Path) -> tuple[Path, Path]:
    """The labelled store, indexed; its documents pickled beside it."""
    dataset = generate(0, 60, 8, 40, 60)
    write_store(dataset, folder / "store")
    index_store(folder / "store", folder / "index.duckdb")
    docs_path = folder / "docs.pkl"
    docs_path.write_bytes(pickle.dumps(dataset.docs))
    return folder / "index.duckdb", docs_path


def measure(db: str, docs_path: str, count: int, windowed: bool) -> dict[str, float]:
    """One check of `count` documents joined, in this (fresh) process."""
    from provenance import match, windows
    from provenance.store import IndexStore

    docs = pickle.loads(Path(docs_path).read_bytes())
    docs = docs[:: max(1, len(docs) // count)][:count]
    parts, planted, offset = [], [], 0
    for doc in docs:
        planted += [(offset + a, offset + b, doc.source_case_id) for a, b in doc.spans]
        parts.append(doc.text)
        offset += len(doc.text) + 2
    text = "\n\n".join(parts)
    case = docs[0].case_id
    planted = [span for span in planted if span[2] != case]
    if not windowed:
        windows.WINDOW_WORDS = 10 * len(text.split()) + 1  # one window: the baseline
    with IndexStore.open_for_reading(Path(db)) as store:
        began = time.perf_counter()
        result = match.check_text(store, text, "bundle", case, CheckParams())
        seconds = time.perf_counter() - began
    cross = [m for m in result.matches if m.status == "cross_case"]
    found = sum(
        any(m.start < b and a < m.end and m.source.case_id == source for m in cross)
        for a, b, source in planted
    )
    return {
        "words": len(text.split()),
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "found": found,
        "planted": len(planted),
    }


def run_one(db: Path, docs_path: Path, count: int, windowed: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", str(db), str(docs_path), str(count)]
    command += ["--windowed"] if windowed else []
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, nargs="*", default=[5, 24, 96],
                        help="benchmark documents joined per size (5 24 96)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--windowed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        db, docs_path, count = args.measure
        print(json.dumps(measure(db, docs_path, int(count), args.windowed)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-long-") as tmp:
        db, docs_path = build(Path(tmp))
        print(f"{args.rounds} rounds per size; medians. Baseline: the whole text as one window.")
        print(f"{'words':>8} {'way':<10} {'seconds':>8} {'peak MB':>8} {'found':>8}"
              f" {'time x':>7} {'memory x':>9}")  # fmt: skip
        for count in args.docs:
            rows: dict[bool, list[dict[str, float]]] = {True: [], False: []}
            for _ in range(args.rounds):
                for windowed in (False, True):
                    rows[windowed].append(run_one(db, docs_path, count, windowed))
            base_s = statistics.median(r["seconds"] for r in rows[False])
            base_mb = statistics.median(r["peak_mb"] for r in rows[False])
            for windowed, name in ((False, "one piece"), (True, "windows")):
                runs = rows[windowed]
                seconds = statistics.median(r["seconds"] for r in runs)
                peak = statistics.median(r["peak_mb"] for r in runs)
                first = runs[0]
                print(
                    f"{first['words']:>8.0f} {name:<10} {seconds:>8.1f} {peak:>8.0f} "
                    f"{first['found']:>3.0f}/{first['planted']:<4.0f} {seconds / base_s:>7.2f}"
                    f" {peak / base_mb:>9.2f}"
                )


if __name__ == "__main__":
    main()
