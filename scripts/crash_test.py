"""Kill `provenance index` / `scan` with SIGKILL at random moments; prove nothing is lost.

Each trial changes part of a store of thousands of fictional records (edits,
additions, deletions), then:

  1. builds the reference: a copy of the current index brought up to date by
     an uninterrupted run (same key, same store state);
  2. starts a real `provenance index` or `provenance scan` process on the
     index under test and SIGKILLs it after a random delay (uniform over the
     reference run's duration, a quarter of trials aimed at its last tenth,
     where the checkpoint and publish happen);
  3. re-runs the same command to completion and compares the index with the
     reference: equal digest, 0 lost, 0 duplicated, 0 orphaned rows; and its
     read files (the memory-mapped band keys and word ids beside it) are used
     by a reader and give the same candidates as the SQL join.

Every 25 trials the index is also compared with a fresh build from nothing.
Prints one table and exits 1 if any trial differed.

    python scripts/crash_test.py --records 2000 --trials 200 --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from provenance.ingest import index_store
from provenance.scan import scan_store
from provenance.store import IndexIntegrity, IndexStore

KEY = "6b" * 32  # a fixed key so every index of the same store has the same digest
SYLLABLES = ["ba", "ren", "to", "lis", "mar", "ket", "do", "van", "sel", "pri", "gor", "un"]


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Fictional words, so records share words at a natural rate, not all of them.

    Drawing every record from a few dozen real words makes each record match
    every other (and the audit compares each with hundreds of candidates).
    """
    return sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) for _ in range(size)})


NAMES = ["Aldous", "Bryony", "Corin", "Delphine", "Emrys", "Fenna", "Gideon", "Hester"]


@dataclass
class Trial:
    number: int
    command: str
    delay: float
    reference_seconds: float
    published_before_kill: bool
    equal: bool
    lost: int
    duplicated: int
    orphaned: int
    read_files_agree: bool


WORDS = vocabulary(random.Random(7))
WEIGHTS = [1.0 / (rank + 1) for rank in range(len(WORDS))]  # Zipf-like, as in prose


def record_text(rng: random.Random, number: int) -> str:
    paragraphs = []
    for _ in range(rng.randint(2, 5)):
        words = rng.choices(WORDS, weights=WEIGHTS, k=rng.randint(40, 120))
        words.insert(rng.randrange(len(words)), f"{rng.choice(NAMES)}-{number}")
        paragraphs.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paragraphs)


def write_store(root: Path, rng: random.Random, records: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for number in range(records):
        case = f"C-{4000 + number % 300}"
        path = f"{case}/rec{number:05d}.txt"
        (root / case).mkdir(exist_ok=True)
        (root / path).write_text(record_text(rng, number), encoding="utf-8")
        rows.append([path, case, f"R-{number:05d}", "note", "2026-03-01", "Note"])
    write_manifest(root, rows)


def write_manifest(root: Path, rows: list[list[str]]) -> None:
    with (root / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "case_id", "record_id", "kind", "date", "title"])
        writer.writerows(rows)


def mutate_store(root: Path, rng: random.Random, share: float) -> None:
    """Edit, drop and add about `share` of the records each."""
    with (root / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    count = max(1, int(len(rows) * share))
    for row in rng.sample(rows, count):
        (root / row[0]).write_text(record_text(rng, rng.randrange(10**6)), encoding="utf-8")
    for row in rng.sample(rows, count):
        rows.remove(row)
    for _ in range(count):
        number = rng.randrange(10**5, 10**6)
        case = f"C-{4000 + number % 300}"
        path = f"{case}/new{number}.txt"
        if any(row[0] == path for row in rows):
            continue
        (root / case).mkdir(exist_ok=True)
        (root / path).write_text(record_text(rng, number), encoding="utf-8")
        rows.append([path, case, f"N-{number}", "note", "2026-04-01", "Note"])
    write_manifest(root, rows)


def provenance(command: str, store: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "provenance.cli", command, str(store), "--db", str(db), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PROVENANCE_KEY": KEY},
    )


def run_to_end(command: str, store: Path, db: Path) -> float:
    began = time.perf_counter()
    process = provenance(command, store, db)
    _, errors = process.communicate()
    if process.returncode not in (0, 1):  # scan exits 1 when it has findings
        raise SystemExit(f"{command} failed ({process.returncode}): {errors.decode()}")
    return time.perf_counter() - began


def run_in_process(command: str, store: Path, db: Path) -> float:
    """The uninterrupted reference run, without a process start (so, a little faster)."""
    os.environ["PROVENANCE_KEY"] = KEY
    began = time.perf_counter()
    if command == "scan":
        scan_store(store, db)
    else:
        index_store(store, db)
    return time.perf_counter() - began


def integrity(db: Path) -> IndexIntegrity:
    os.environ["PROVENANCE_KEY"] = KEY
    with IndexStore.open_for_reading(db) as store:
        return store.integrity()


def read_files_agree(db: Path, rng: random.Random) -> bool:
    """A reader uses the read files, and they answer as the SQL join does."""
    import numpy as np

    os.environ["PROVENANCE_KEY"] = KEY
    with (
        IndexStore.open_for_reading(db) as fast,
        IndexStore.open_for_reading(db, read_files=False) as sql,
    ):
        if not fast.uses_read_files:
            return False
        stored = [row[0] for row in sql.execute("SELECT key FROM bands USING SAMPLE 2000 ROWS")]
        keys = np.array(rng.sample(stored, min(300, len(stored))), dtype=np.int64)
        passages = np.array([rng.randrange(40) for _ in keys], dtype=np.int32)
        ours = fast.candidate_records(keys, passages, 400)
        theirs = sql.candidate_records(keys, passages, 400)
        words_equal = all(
            np.array_equal(
                fast.record_words([c.rec])[c.rec].ids, sql.record_words([c.rec])[c.rec].ids
            )
            for c in theirs[:20]
        )
        return words_equal and [(c.rec, c.passages_hit) for c in ours] == [
            (c.rec, c.passages_hit) for c in theirs
        ]


def record_ids(db: Path) -> set[str]:
    with IndexStore.open_for_reading(db) as store:
        return set(store.stored_records())


INDEX_FILES = ("", ".wal", ".next", ".next.base", ".next.wal")


def remove_index(db: Path) -> None:
    for suffix in INDEX_FILES:
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def copy_index(db: Path, target: Path) -> None:
    remove_index(target)
    for suffix in INDEX_FILES:
        source = db.with_name(db.name + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(target.name + suffix))


def one_trial(number: int, rng: random.Random, work: Path, args: argparse.Namespace) -> Trial:
    store, db, reference = work / "store", work / "index.duckdb", work / "reference.duckdb"
    command = "scan" if number % 5 == 0 else "index"
    mutate_store(store, rng, args.change)
    copy_index(db, reference)
    reference_seconds = run_in_process(command, store, reference)
    late = rng.random() < 0.25
    # the process start is not in the reference time: add it, so kills span the whole run
    run_seconds = reference_seconds + args.startup
    delay = run_seconds * (rng.uniform(0.9, 1.05) if late else rng.uniform(0.0, 1.0))
    before = db.stat().st_ino if db.exists() else None
    victim = provenance(command, store, db)
    time.sleep(delay)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert victim.stderr is not None
    victim.stderr.close()
    published = db.exists() and db.stat().st_ino != before
    run_to_end(command, store, db)
    got, want = integrity(db), integrity(reference)
    lost = len(record_ids(reference) - record_ids(db))
    return Trial(
        number=number,
        command=command,
        delay=delay,
        reference_seconds=run_seconds,
        published_before_kill=published,
        equal=got.digest == want.digest,
        lost=lost,
        duplicated=got.duplicate_rows,
        orphaned=got.orphan_rows,
        read_files_agree=read_files_agree(db, rng),
    )


def fresh_build_matches(work: Path) -> bool:
    fresh = work / "fresh.duckdb"
    remove_index(fresh)
    run_to_end("index", work / "store", fresh)
    return integrity(fresh).digest == integrity(work / "index.duckdb").digest


def run_chain(chain: int, trials: int, args: argparse.Namespace) -> tuple[list[Trial], list[bool]]:
    """One store and index, killed `trials` times; chains run side by side."""
    rng = random.Random(args.seed + chain)
    work = args.work / f"chain{chain}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    write_store(work / "store", rng, args.records)
    # a scan, so every record is audited once: later scans audit only what changed
    first = run_to_end("scan", work / "store", work / "index.duckdb")
    print(f"chain {chain}: {args.records} records; first full scan {first:.1f} s", flush=True)
    results: list[Trial] = []
    fresh_checks: list[bool] = []
    for number in range(1, trials + 1):
        trial = one_trial(number, rng, work, args)
        results.append(trial)
        if _failed(trial):
            print(f"  chain {chain} trial {number} DIFFERS: {trial}", flush=True)
        if number % 25 == 0:
            fresh_checks.append(fresh_build_matches(work))
            print(f"  chain {chain}: {number} trials", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return results, fresh_checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000, help="records per store (2000)")
    parser.add_argument("--trials", type=int, default=200, help="SIGKILLs in all (200)")
    parser.add_argument("--change", type=float, default=0.01, help="share changed per trial")
    parser.add_argument("--jobs", type=int, default=2, help="independent stores side by side")
    parser.add_argument(
        "--startup",
        type=float,
        default=1.0,
        help="seconds a provenance process takes to start (added to kill delays)",
    )
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--work", type=Path, help="working folder (a temporary one)")
    args = parser.parse_args()  # fmt: skip
    args.work = args.work or Path(tempfile.mkdtemp(prefix="crash-test-"))
    began = time.perf_counter()
    shares = [
        args.trials // args.jobs + (chain < args.trials % args.jobs) for chain in range(args.jobs)
    ]
    trials: list[Trial] = []
    fresh_checks: list[bool] = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for chain_trials, chain_fresh in pool.map(
            run_chain, range(args.jobs), shares, [args] * args.jobs
        ):
            trials += chain_trials
            fresh_checks += chain_fresh
    print_table(trials, fresh_checks, time.perf_counter() - began)
    failed = [t for t in trials if _failed(t)]
    return 1 if failed or not all(fresh_checks) else 0


def _failed(trial: Trial) -> bool:
    return (
        not trial.equal
        or bool(trial.lost or trial.duplicated or trial.orphaned)
        or not trial.read_files_agree
    )


def print_table(trials: list[Trial], fresh_checks: list[bool], seconds: float) -> None:
    late = [t for t in trials if t.delay >= 0.9 * t.reference_seconds]
    rows = [
        ("SIGKILLs", len(trials)),
        ("  of `index` / `scan`", f"{sum(t.command == 'index' for t in trials)} / "
                                  f"{sum(t.command == 'scan' for t in trials)}"),
        ("  in the last tenth of a run (checkpoint, publish)", len(late)),
        ("  after the run had published", sum(t.published_before_kill for t in trials)),
        ("median kill delay / run length (s)",
         f"{statistics.median(t.delay for t in trials):.2f} / "
         f"{statistics.median(t.reference_seconds for t in trials):.2f}"),
        ("re-run equal to uninterrupted run", f"{sum(t.equal for t in trials)}/{len(trials)}"),
        ("records lost", sum(t.lost for t in trials)),
        ("rows duplicated", sum(t.duplicated for t in trials)),
        ("rows orphaned", sum(t.orphaned for t in trials)),
        ("read files used and equal to SQL", f"{sum(t.read_files_agree for t in trials)}/"
                                             f"{len(trials)}"),
        ("equal to a fresh full build (every 25)", f"{sum(fresh_checks)}/{len(fresh_checks)}"),
        ("wall time (s)", f"{seconds:.0f}"),
    ]  # fmt: skip
    print("\n| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    raise SystemExit(main())
