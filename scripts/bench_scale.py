"""Scale and speed benchmark: index, check and origin at 10k, 100k and 1M passages.

    python scripts/bench_scale.py --size 10k
    python scripts/bench_scale.py --all --write notes/scale_table.md

For each size, on a seeded fictional store (scripts/scale_data.py) of text files:
- full index in a fresh `provenance index` process: wall time, passages/s, MB/s,
  peak RSS of the process tree (polled from /proc), database size;
- time per stage on one core, on a sample of the same records (read, extract,
  normalise, shingle, MinHash, write);
- incremental re-index with 1% of records changed, against the full index;
- check of ~50-passage outgoing documents with planted copies: warm (library
  call, index already open, repeated) by each read path (the memory-mapped read
  files, the SQL join, optionally the whole index held in memory) and cold (a
  fresh `provenance check` process), p50/p95, and recall of the planted copies;
- origin lookup of a planted copy, warm;
- baselines in the same run on the same data: datasketch per-object
  `MinHash.update` and in-memory `MinHashLSH` (in a child process, for its
  RSS), and copydetect for the check at the smallest size.
Medians of `--runs` repetitions; the 1-minute load average is recorded with each
step (the machine is shared). The markdown table goes to stdout and, with
`--write`, to a file (the README's table is generated this way).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_data import (
    GeneratedStore,
    OutgoingDocument,
    generate_store,
    make_outgoing,
)

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
PYTHON = sys.executable
INDEX = (PYTHON, "-m", "provenance.cli", "index")
CHECK = (PYTHON, "-m", "provenance.cli", "check")


# --- measuring helpers -------------------------------------------------------------------


def _tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@dataclass
class ProcessRun:
    seconds: float
    cpu_seconds: float  # user + system of the process and its waited-for children
    peak_rss: int
    returncode: int
    stdout: str


def run_tree(command: list[str], env: dict[str, str] | None = None) -> ProcessRun:
    """Run a command, polling the peak RSS of its whole process tree."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    peak = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_bytes(process.pid))
            stop.wait(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - began
    stop.set()
    poller.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {stderr[-2000:]}")
    return ProcessRun(seconds, cpu, peak, process.returncode, stdout)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    source = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
    return env


# --- the benchmark -----------------------------------------------------------------------


@dataclass
class SizeResult:
    label: str
    records: int = 0
    passages: int = 0
    text_mb: float = 0.0
    index_seconds: float = 0.0
    index_cpu_seconds: float = 0.0
    index_rss: int = 0
    db_bytes: int = 0
    read_files_bytes: int = 0
    stage_us: dict[str, float] = field(default_factory=dict)
    incremental_seconds: float = 0.0
    incremental_cpu_seconds: float = 0.0
    warm_p50: float = 0.0
    warm_p95: float = 0.0
    sql_p50: float = 0.0
    sql_p95: float = 0.0
    sql_origin_p50: float = 0.0
    sql_recall: str = ""
    files_p50: float = 0.0
    files_p95: float = 0.0
    files_origin_p50: float = 0.0
    files_recall: str = ""
    files_used: bool = False
    loads: dict[str, float] = field(default_factory=dict)
    load_seconds: float = 0.0
    load_rss: int = 0
    cold_p50: float = 0.0
    cold_p95: float = 0.0
    origin_p50: float = 0.0
    recall_found: int = 0
    recall_total: int = 0
    baseline: dict[str, Any] = field(default_factory=dict)
    copydetect_seconds: float | None = None
    copydetect_found: str = ""


def bench_size(label: str, workdir: Path, args: argparse.Namespace) -> SizeResult:
    target = SIZES[label]
    folder = workdir / label
    store_root = folder / "store"
    marker = folder / "generated.json"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        _log(f"[{label}] generating a store of {target:,} passages")
        store = generate_store(store_root, target, seed=7)
        marker.write_text(json.dumps({"passages": store.passages}))
    else:
        store = _reload_store(store_root)
    outgoing = make_outgoing(store, folder / "outgoing", args.documents)
    result = SizeResult(label, store.records, store.passages, store.text_bytes / 1e6)
    db = folder / "index.duckdb"

    runs: list[ProcessRun] = []
    for run in range(args.runs):
        _remove_db(db)
        _log(f"[{label}] full index, run {run + 1}/{args.runs}")
        runs.append(
            run_tree(
                [*INDEX, str(store_root), "--db", str(db), "--quiet"],
                env=_env(),
            )
        )
    result.index_seconds = statistics.median(r.seconds for r in runs)
    result.index_cpu_seconds = statistics.median(r.cpu_seconds for r in runs)
    result.index_rss = int(statistics.median(r.peak_rss for r in runs))
    result.db_bytes = _db_bytes(db)
    result.read_files_bytes = _read_files_bytes(db)
    result.loads["index"] = os.getloadavg()[0]

    _log(f"[{label}] stage breakdown on one core")
    result.stage_us = stage_breakdown(store, args.stage_records)

    _log(f"[{label}] warm checks, read files (memory-mapped)")
    files = warm_checks(db, outgoing, args.repeats, mode="files")
    result.files_used = files.used_files
    result.files_p50 = percentile(files.latencies, 0.5)
    result.files_p95 = percentile(files.latencies, 0.95)
    result.files_origin_p50 = percentile(files.origin, 0.5)
    result.files_recall = f"{files.found}/{files.total}"
    result.recall_found, result.recall_total = files.found, files.total
    result.loads["warm, read files"] = os.getloadavg()[0]
    _log(f"[{label}] warm checks, SQL join")
    sql = warm_checks(db, outgoing, args.sql_repeats, mode="sql")
    result.sql_p50, result.sql_p95 = percentile(sql.latencies, 0.5), percentile(sql.latencies, 0.95)
    result.sql_origin_p50 = percentile(sql.origin, 0.5)
    result.sql_recall = f"{sql.found}/{sql.total}"
    result.loads["warm, SQL"] = os.getloadavg()[0]
    if not args.skip_memory:
        _log(f"[{label}] warm checks, index held in memory")
        warm = warm_checks(db, outgoing, args.repeats, mode="memory")
        result.warm_p50 = percentile(warm.latencies, 0.5)
        result.warm_p95 = percentile(warm.latencies, 0.95)
        result.origin_p50 = percentile(warm.origin, 0.5)
        result.load_seconds, result.load_rss = warm.load_seconds, warm.load_rss

    _log(f"[{label}] cold checks")
    cold = [
        run_tree(
            [*CHECK, str(doc.path), "--case", doc.case_id, "--db", str(db), "--json"],
            env=_env(),
        ).seconds
        for doc in outgoing[: args.cold]
    ]
    result.cold_p50, result.cold_p95 = percentile(cold, 0.5), percentile(cold, 0.95)
    result.loads["cold"] = os.getloadavg()[0]

    _log(f"[{label}] incremental re-index with 1% of records changed")
    changed = change_records(store, share=0.01, seed=len(store.record_paths))
    incremental = run_tree(
        [*INDEX, str(store_root), "--db", str(db), "--quiet"],
        env=_env(),
    )
    result.incremental_seconds = incremental.seconds
    result.incremental_cpu_seconds = incremental.cpu_seconds
    result.loads["incremental"] = os.getloadavg()[0]
    _log(f"[{label}] {changed} records changed: {incremental.stdout.strip()}")

    if not args.skip_baselines:
        _log(f"[{label}] datasketch baseline")
        result.baseline = datasketch_baseline(store, args.baseline_cap)
        if label == "10k":
            _log(f"[{label}] copydetect baseline")
            seconds, found_text = copydetect_baseline(store, outgoing[: args.copydetect_docs])
            result.copydetect_seconds, result.copydetect_found = seconds, found_text
    return result


def incremental_only(label: str, workdir: Path) -> None:
    """Re-time the nightly run on a store and index a previous run left behind."""
    folder = workdir / label
    store = _reload_store(folder / "store")
    changed = change_records(store, share=0.01, seed=int(time.time()))
    db = folder / "index.duckdb"
    run = run_tree([*INDEX, str(folder / "store"), "--db", str(db), "--quiet"], env=_env())
    print(
        f"[{label}] {changed} of {store.records:,} records changed ({store.passages:,} "
        f"passages): re-index {run.seconds:.1f} s wall, {run.cpu_seconds:.1f} s CPU, "
        f"peak RSS {run.peak_rss / 2**20:,.0f} MB; {run.stdout.strip()}"
    )


def _reload_store(root: Path) -> GeneratedStore:
    import csv

    from scale_data import passages_of

    paths: list[Path] = []
    ids: list[str] = []
    words = passages = size = 0
    with (root / "manifest.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            path = root / row["path"]
            data = path.read_bytes()
            count = len(data.split())
            paths.append(path)
            ids.append(row["record_id"])
            words += count
            passages += passages_of(count)
            size += len(data)
    return GeneratedStore(root, len(paths), passages, words, size, tuple(paths), tuple(ids))


def _remove_db(db: Path) -> None:
    for path in db.parent.glob(db.name + "*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _db_bytes(db: Path) -> int:
    return sum(path.stat().st_size for path in db.parent.glob(db.name + "*") if path.is_file())


def _read_files_bytes(db: Path) -> int:
    folder = db.with_name(db.name + ".segments")
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def stage_breakdown(store: GeneratedStore, sample_records: int) -> dict[str, float]:
    """Microseconds per passage of each stage, one core, on a sample of records."""
    from provenance.config import IndexParams
    from provenance.extract import extract_text
    from provenance.fingerprint import band_keys, make_permutations, range_signatures
    from provenance.ingest import file_sha256, fingerprint_texts
    from provenance.normalize import split_words
    from provenance.shingle import shingle_hashes, word_ids
    from provenance.store import IndexStore, RecordBatch

    params = IndexParams()
    permutations = make_permutations(params.num_perm, params.seed)
    key = b"bench-scale stage key"  # word ids are keyed, as in the index
    paths = list(store.record_paths[:sample_records])
    timings: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        value = work()
        timings[name] = time.perf_counter() - began
        return value

    timed("read (+SHA-256)", lambda: [file_sha256(path) for path in paths])
    texts = timed("extract", lambda: [extract_text(path).text for path in paths])
    split = timed("normalise", lambda: [split_words(text) for text in texts])

    def shingle() -> list[Any]:
        return [shingle_hashes(word_ids(words.words, key), params.shingle_words) for words in split]

    shingles = timed("shingle (word ids + k-grams)", shingle)
    batch = fingerprint_texts(texts, params, permutations, key)
    passages = int(batch.passage_counts.sum())

    def minhash() -> None:
        import numpy as np

        from provenance.fingerprint import plan_windows

        firsts, lasts, offset = [], [], 0
        for values, words in zip(shingles, split, strict=True):
            windows = plan_windows(len(words), params.window_words, params.index_stride)
            ends = np.minimum(
                np.maximum(windows.ends - params.shingle_words + 1, windows.starts + 1), len(values)
            )
            firsts.append(windows.starts + offset)
            lasts.append(ends + offset)
            offset += len(values)
        rows = range_signatures(
            np.concatenate(shingles), np.concatenate(firsts), np.concatenate(lasts), permutations
        )
        band_keys(rows, params)

    timed("MinHash + band keys", minhash)
    with tempfile.TemporaryDirectory() as scratch:
        index = IndexStore.open_for_writing(Path(scratch) / "stage.duckdb", params)
        from provenance.models import RecordInfo

        infos = tuple(
            RecordInfo(f"r{number}", "c", f"p{number}", "k", "2025-01-01")
            for number in range(len(paths))
        )
        record_batch = RecordBatch(
            infos, tuple("0" * 64 for _ in paths), tuple("txt" for _ in paths), batch
        )

        def write() -> None:
            with index.transaction():
                index.insert_batch(record_batch)

        timed("write (DuckDB, one transaction)", write)
        index.close()
    return {name: seconds / passages * 1e6 for name, seconds in timings.items()}


@dataclass
class WarmRun:
    latencies: list[float]
    origin: list[float]
    found: int
    total: int
    load_seconds: float = 0.0
    load_rss: int = 0
    used_files: bool = False


def _own_rss() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def warm_checks(db: Path, outgoing: list[OutgoingDocument], repeats: int, *, mode: str) -> WarmRun:
    """Checks through the library with the index open: by the read files (as the
    service and the CLI do), by SQL join, or with the index held in memory."""
    from provenance.config import CheckParams
    from provenance.match import check_text
    from provenance.origin import find_origin
    from provenance.store import IndexStore

    params = CheckParams()
    run = WarmRun([], [], 0, 0)
    with IndexStore.open_for_reading(db, read_files=mode == "files") as store:
        run.used_files = store.uses_read_files
        if mode == "files":
            store.preload_records()  # as the service's shared reader does
        if mode == "memory":
            rss_before, began = _own_rss(), time.perf_counter()
            store.load_into_memory()
            run.load_seconds, run.load_rss = time.perf_counter() - began, _own_rss() - rss_before
        check_text(store, outgoing[0].text, "warm-up", outgoing[0].case_id, params)
        for repeat in range(repeats):
            for doc in outgoing:
                began = time.perf_counter()
                result = check_text(store, doc.text, str(doc.path), doc.case_id, params)
                run.latencies.append(time.perf_counter() - began)
                if repeat:
                    continue
                for planted in doc.planted:
                    run.total += 1
                    run.found += any(
                        match.status == "cross_case"
                        and match.source.record_id == planted.source_record_id
                        and match.start < planted.doc_end
                        and planted.doc_start < match.end
                        for match in result.matches
                    )
        for doc in outgoing:
            planted = doc.planted[0]
            began = time.perf_counter()
            find_origin(store, doc.text[planted.doc_start : planted.doc_end], params)
            run.origin.append(time.perf_counter() - began)
    return run


def change_records(store: GeneratedStore, share: float, seed: int) -> int:
    """Append a sentence to `share` of the records (an edited record, as at night)."""
    import random

    chooser = random.Random(seed)
    count = max(1, round(share * len(store.record_paths)))
    for path in chooser.sample(list(store.record_paths), count):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(
                f"\nReviewed again on night {chooser.randrange(10**6)} by the duty team.\n"
            )
    return count


_BASELINE_CODE = r"""
import json, sys, time
from pathlib import Path
from datasketch import MinHash, MinHashLSH
sys.path.insert(0, sys.argv[3])
from provenance.normalize import split_words
from provenance.fingerprint import plan_windows

paths = [Path(line) for line in Path(sys.argv[1]).read_text().splitlines()]
cap = int(sys.argv[2])
windows = []
for path in paths:
    words = split_words(path.read_text(encoding="utf-8")).words
    plan = plan_windows(len(words), 32, 16)
    for start, end in zip(plan.starts.tolist(), plan.ends.tolist()):
        windows.append(words[start:end])
        if len(windows) >= cap:
            break
    if len(windows) >= cap:
        break
began = time.perf_counter()
sketches = []
for words in windows:
    sketch = MinHash(num_perm=128, seed=20261123)
    for i in range(max(1, len(words) - 2)):
        sketch.update(" ".join(words[i:i + 3]).encode("utf-8"))
    sketches.append(sketch)
minhash_seconds = time.perf_counter() - began
def rss():  # VmRSS now: ru_maxrss would include the parent's high-water mark from fork
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
rss_before = rss()
lsh = MinHashLSH(num_perm=128, params=(64, 2))
began = time.perf_counter()
for number, sketch in enumerate(sketches):
    lsh.insert(str(number), sketch)
insert_seconds = time.perf_counter() - began
print(json.dumps({"passages": len(windows), "minhash_seconds": minhash_seconds,
                  "insert_seconds": insert_seconds,
                  "rss_after_lsh": rss(),
                  "rss_before_lsh": rss_before}))
"""


def datasketch_baseline(store: GeneratedStore, cap: int) -> dict[str, Any]:
    """datasketch the way most users start: one MinHash per passage, update per shingle,
    then an in-memory MinHashLSH. Measured on up to `cap` passages of the same store."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(str(path) for path in store.record_paths))
    try:
        source = str(Path(__file__).resolve().parents[1] / "src")
        run = run_tree([PYTHON, "-c", _BASELINE_CODE, listing.name, str(cap), source], env=_env())
    finally:
        Path(listing.name).unlink()
    measured: dict[str, Any] = json.loads(run.stdout)
    measured["peak_rss"] = run.peak_rss  # polled from /proc while it ran
    measured["extrapolated"] = measured["passages"] < store.passages
    measured["scale"] = store.passages / measured["passages"]
    return measured


def copydetect_baseline(store: GeneratedStore, docs: list[OutgoingDocument]) -> tuple[float, str]:
    """copydetect's winnowing: fingerprint every record once, then per check compare the
    document with each record. Returns median seconds per check and planted copies found."""
    from io import StringIO

    from copydetect.detector import CodeFingerprint, compare_files

    def fingerprint(text: str, name: str) -> Any:
        return CodeFingerprint(f"{name}.txt", 25, 16, filter=False, fp=StringIO(text.lower()))

    references = [
        (record_id, fingerprint(path.read_text(encoding="utf-8"), record_id))
        for record_id, path in zip(store.record_ids, store.record_paths, strict=True)
    ]
    seconds: list[float] = []
    found = total = 0
    for doc in docs:
        began = time.perf_counter()
        checked = fingerprint(doc.text, "doc")
        overlapping = set()
        for record_id, reference in references:
            overlap, _, _ = compare_files(checked, reference)
            if overlap:
                overlapping.add(record_id)
        seconds.append(time.perf_counter() - began)
        for planted in doc.planted:
            total += 1
            found += planted.source_record_id in overlapping
    return statistics.median(seconds), f"{found}/{total}"


# --- the table ---------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    ram_kb = int(Path("/proc/meminfo").read_text(encoding="utf-8").split()[1])
    load = Path("/proc/loadavg").read_text(encoding="ascii").split()[:3]
    versions = []
    from importlib.metadata import version

    for package in ("duckdb", "numpy", "datasketch", "copydetect"):
        try:
            versions.append(f"{package} {version(package)}")
        except Exception:
            versions.append(f"{package} (not installed)")
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs ({model}), "
        f"{ram_kb / 1024**2:.0f} GB RAM; Python {platform.python_version()}; "
        + ", ".join(versions)
        + f"; load average at the end {' / '.join(load)} (a shared machine: other work "
        "inflates wall times; CPU seconds much less)"
    )


def render(results: list[SizeResult], args: argparse.Namespace) -> str:
    heads = [r.label for r in results]
    lines = [
        f"Measured {machine()}. Runs: median of {args.runs} index run(s); warm check "
        f"p50/p95 over {args.documents} documents x {args.repeats} repeats on the read "
        f"files (and in memory, unless skipped; {args.sql_repeats} by SQL); cold over "
        f"{args.cold} fresh processes. A passage is the index's unit: a 32-word window "
        "every 16 words; an outgoing document is ~50 passages (~800 words) with 3 planted "
        "copies of 40-70 words from other cases.",
        "",
        "| | " + " | ".join(heads) + " |",
        "|---|" + "---:|" * len(heads),
    ]

    def row(name: str, values: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(values) + " |")

    row("records / passages", [f"{r.records:,} / {r.passages:,}" for r in results])
    row("text", [f"{r.text_mb:.0f} MB" for r in results])
    row("full index, wall (fresh process)", [f"{r.index_seconds:.1f} s" for r in results])
    row("index throughput", [f"{r.passages / r.index_seconds:,.0f} passages/s" for r in results])
    row("index MB/s", [f"{r.text_mb / r.index_seconds:.1f}" for r in results])
    row(
        "index CPU time, all processes (passages per CPU-second)",
        [f"{r.index_cpu_seconds:.1f} s ({r.passages / r.index_cpu_seconds:,.0f})" for r in results],
    )
    row("peak RSS, index (process tree)", [f"{r.index_rss / 2**20:,.0f} MB" for r in results])
    row("database size", [f"{r.db_bytes / 2**20:,.0f} MB" for r in results])
    row(
        "read files beside it (sorted band keys, word ids)",
        [f"{r.read_files_bytes / 2**20:,.0f} MB" for r in results],
    )
    for stage in results[0].stage_us:
        row(
            f"stage: {stage}, us/passage (1 core)",
            [f"{r.stage_us.get(stage, 0):.1f}" for r in results],
        )
    row(
        "incremental, 1% records changed",
        [
            f"{r.incremental_seconds:.1f} s ({100 * r.incremental_seconds / r.index_seconds:.0f}%"
            f" of full; CPU {r.incremental_cpu_seconds:.1f} s,"
            f" {100 * r.incremental_cpu_seconds / r.index_cpu_seconds:.0f}%)"
            for r in results
        ],
    )
    row(
        "check warm p50 / p95, index open, read files (recall)",
        [
            f"{1000 * r.files_p50:.0f} / {1000 * r.files_p95:.0f} ms ({r.files_recall})"
            + ("" if r.files_used else " NOT USED: fell back to SQL")
            for r in results
        ],
    )
    row(
        "check warm p50 / p95, index open, SQL join (recall)",
        [f"{1000 * r.sql_p50:.0f} / {1000 * r.sql_p95:.0f} ms ({r.sql_recall})" for r in results],
    )
    if any(r.warm_p50 for r in results):
        row(
            "check warm p50 / p95, index held in memory",
            [f"{1000 * r.warm_p50:.0f} / {1000 * r.warm_p95:.0f} ms" for r in results],
        )
        row(
            "holding the index in memory: load time, RSS added",
            [f"{r.load_seconds:.1f} s, {r.load_rss / 2**20:,.0f} MB" for r in results],
        )
    row(
        "check cold CLI p50 / p95 (read files)",
        [f"{r.cold_p50:.2f} / {r.cold_p95:.2f} s" for r in results],
    )
    row(
        "origin warm p50, read files / SQL" + (" / in memory" if results[0].origin_p50 else ""),
        [
            f"{1000 * r.files_origin_p50:.0f} / {1000 * r.sql_origin_p50:.0f}"
            + (f" / {1000 * r.origin_p50:.0f}" if r.origin_p50 else "")
            + " ms"
            for r in results
        ],
    )
    row(
        "planted copies found (recall)",
        [f"{r.recall_found}/{r.recall_total}" for r in results],
    )
    row(
        "load average (1 min) after: index / warm / cold / incremental",
        [
            " / ".join(
                f"{r.loads.get(step, float('nan')):.1f}"
                for step in ("index", "warm, read files", "cold", "incremental")
            )
            for r in results
        ],
    )
    if all(r.baseline for r in results):
        row("baseline: datasketch MinHash.update, passages/s", [_ds_rate(r) for r in results])
        row(
            "ratio: our end-to-end index / datasketch MinHash alone",
            [f"{(r.passages / r.index_seconds) / _ds_rate_value(r):.1f}x" for r in results],
        )
        row("baseline: MinHashLSH insert", [_lsh(r) for r in results])
    for r in results:
        if r.copydetect_seconds is not None:
            row(
                f"baseline: copydetect check at {r.label} (found {r.copydetect_found})",
                [
                    f"{r.copydetect_seconds:.2f} s ({r.copydetect_seconds / r.files_p50:.0f}x "
                    "our warm p50)"
                    if x is r
                    else "-"
                    for x in results
                ],
            )
    for previous, current in itertools.pairwise(results):
        lines.append("")
        lines.append(
            f"Growth {previous.label} -> {current.label} "
            f"({current.passages / previous.passages:.1f}x passages): "
            f"index time x{current.index_seconds / previous.index_seconds:.1f}, "
            f"index CPU x{current.index_cpu_seconds / previous.index_cpu_seconds:.1f}, "
            f"check warm p50 read files x{current.files_p50 / previous.files_p50:.1f}, "
            f"SQL x{current.sql_p50 / previous.sql_p50:.1f}, "
            f"cold p50 x{current.cold_p50 / previous.cold_p50:.1f}, "
            f"origin (read files) x{current.files_origin_p50 / previous.files_origin_p50:.1f}, "
            f"DB x{current.db_bytes / previous.db_bytes:.1f}, "
            f"RSS x{current.index_rss / previous.index_rss:.1f}."
        )
    return "\n".join(lines) + "\n"


def _ds_rate_value(r: SizeResult) -> float:
    return float(r.baseline["passages"] / r.baseline["minhash_seconds"])


def _ds_rate(r: SizeResult) -> str:
    note = f" (on {r.baseline['passages']:,})" if r.baseline["extrapolated"] else ""
    return f"{_ds_rate_value(r):,.0f}{note}"


def _lsh(r: SizeResult) -> str:
    base = r.baseline
    if base["extrapolated"]:
        return (
            f"{base['insert_seconds']:.1f} s, {base['peak_rss'] / 2**20:,.0f} MB RSS on "
            f"{base['passages']:,} passages; linear extrapolation to {r.passages:,}: "
            f"{base['insert_seconds'] * base['scale']:.0f} s, "
            f"~{base['peak_rss'] * base['scale'] / 2**30:.1f} GB"
        )
    return f"{base['insert_seconds']:.1f} s, {base['peak_rss'] / 2**20:,.0f} MB RSS"


def _log(message: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), action="append")
    parser.add_argument("--all", action="store_true", help="10k, 100k and 1M")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bench-scale")
    parser.add_argument("--runs", type=int, default=1, help="full index runs per size (median)")
    parser.add_argument("--documents", type=int, default=20, help="outgoing documents")
    parser.add_argument("--repeats", type=int, default=3, help="warm check repeats")
    parser.add_argument("--sql-repeats", type=int, default=1, help="warm SQL-path repeats")
    parser.add_argument("--cold", type=int, default=7, help="cold check processes")
    parser.add_argument("--stage-records", type=int, default=1500)
    parser.add_argument(
        "--baseline-cap",
        type=int,
        default=100_000,
        help="datasketch baseline on at most this many passages; above, extrapolated (labelled)",
    )
    parser.add_argument("--copydetect-docs", type=int, default=3)
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument(
        "--skip-memory",
        action="store_true",
        help="skip the held-in-memory read path (at 1M: ~40 s to load and ~3.5 GB)",
    )
    parser.add_argument(
        "--incremental-only",
        action="store_true",
        help="on an existing store and index: change 1%% of records, time the re-index",
    )
    parser.add_argument("--write", type=Path, help="also write the markdown table here")
    parser.add_argument("--json", type=Path, help="also write raw results as JSON")
    args = parser.parse_args()
    labels = list(SIZES) if args.all else (args.size or ["10k"])
    if args.incremental_only:
        for label in labels:
            incremental_only(label, args.workdir)
        return
    results = [bench_size(label, args.workdir, args) for label in labels]
    table = render(results, args)
    print(table)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2))


if __name__ == "__main__":
    main()
