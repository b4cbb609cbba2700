"""`provenance serve` under load: many clients at once, and short checks during a long one.

    python scripts/bench_service_load.py                  # 40 documents, 2 rounds
    python scripts/bench_service_load.py --docs 60 --rounds 3

Builds the labelled benchmark store (scripts/quality_data.py, seed 0: 480
records) and starts the service twice per round on the same index: once with
`--concurrent-checks 1` (every check takes its turn: the baseline, and how
the service behaved before checks could share the index) and once with the
default. The two alternate round by round so machine noise hits both. For
each it measures
  - throughput and latency with 1 and 4 clients posting benchmark documents;
  - five short checks posted one after another while a long document (the
    benchmark documents joined, ~70,000 words) is being checked: how long
    the short ones wait.
Prints medians over rounds and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.serving

from provenance import index_store
from provenance.store import default_concurrent_uses
from provenance.tokens import add_token
from quality_data import OutgoingDoc, generate, write_store
from tests.serving import Server, running_server

Sample = dict[str, float]


def post(server: Server, doc: OutgoingDoc, text: str | None = None) -> float:
    """Seconds for one check over HTTP (its own client, as a separate caller would)."""
    started = time.perf_counter()
    with httpx.Client(headers=server.headers()) as client:
        response = client.post(
            f"{server.url}/v1/check",
            files={"file": (f"{doc.doc_id}.txt", (text or doc.text).encode("utf-8"))},
            data={"case_id": doc.case_id},
            timeout=900,
        )
    assert response.status_code == 200, response.text
    return time.perf_counter() - started


def clients(server: Server, docs: list[OutgoingDoc], count: int) -> Sample:
    started = time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        latencies = sorted(pool.map(lambda doc: post(server, doc), docs))
    wall = time.perf_counter() - started
    return {
        f"{count} clients: checks/s": len(docs) / wall,
        f"{count} clients: p50 ms": 1000 * statistics.median(latencies),
        f"{count} clients: p90 ms": 1000 * latencies[int(0.9 * (len(latencies) - 1))],
    }


def during_long(server: Server, docs: list[OutgoingDoc], long_text: str) -> Sample:
    """Short checks posted one by one while the long document is checked."""
    long_seconds: list[float] = []
    worker = threading.Thread(target=lambda: long_seconds.append(post(server, docs[0], long_text)))
    worker.start()
    time.sleep(1.0)  # the long check has its turn first
    short = [post(server, doc) for doc in docs[:5]]
    worker.join()
    return {
        "short during long: median ms": 1000 * statistics.median(short),
        "short during long: max ms": 1000 * max(short),
        "long document: s": long_seconds[0],
    }


def measure(db: Path, token: str, docs: list[OutgoingDoc], long_text: str, *extra: str) -> Sample:
    with running_server(db, token, *extra) as server:
        for doc in docs[:3]:
            post(server, doc)  # warm: the index opened, its records read
        sample = clients(server, docs, 1)
        sample.update(clients(server, docs, 4))
        sample.update(during_long(server, docs, long_text))
    return sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=40, help="benchmark documents per client run")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        dataset = generate(0, 60, 8, 40, 60)
        write_store(dataset, Path(folder) / "store")
        db = Path(folder) / "index.duckdb"
        index_store(Path(folder) / "store", db)
        token = add_token(db, "bench")
        step = max(1, len(dataset.docs) // args.docs)
        docs = dataset.docs[::step][: args.docs]
        long_text = "\n\n".join(doc.text for doc in dataset.docs[:60])
        settings = {"one at a time (--concurrent-checks 1)": ("--concurrent-checks", "1")}
        settings[f"default ({default_concurrent_uses()} at once)"] = ()
        samples: dict[str, list[Sample]] = {name: [] for name in settings}
        for _ in range(args.rounds):
            for name, extra in settings.items():
                samples[name].append(measure(db, token, docs, long_text, *extra))
    print(f"{len(docs)} documents; long document {len(long_text.split()):,} words; "
          f"medians of {args.rounds} rounds")  # fmt: skip
    names = list(settings)
    print(f"| measure | {' | '.join(names)} | ratio |")
    print("|---|" + "---|" * (len(names) + 1))
    for key in samples[names[0]][0]:
        values = [statistics.median(s[key] for s in samples[name]) for name in names]
        cells = " | ".join(f"{value:,.1f}" for value in values)
        print(f"| {key} | {cells} | {values[-1] / values[0]:.2f} |")


if __name__ == "__main__":
    main()
