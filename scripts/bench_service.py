"""Latency of `provenance serve` through real HTTP, warm, one client (p50 and p90 of N).

    python scripts/bench_service.py [N]

Indexes sample_corpus/ into a temporary folder, starts `provenance serve` on a free
loopback port, warms it with 3 requests, then times N checks of a leaking .txt and a
.docx and N origin queries; for comparison, N/4 `provenance check` processes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from provenance import index_store
from provenance.tokens import add_token
from tests.serving import running_server

CORPUS = Path(__file__).resolve().parents[1] / "sample_corpus"


def summary(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    p50 = statistics.median(ordered)
    return f"{label}: p50 {p50 * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms (n={len(ordered)})"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "index.duckdb"
        index_store(CORPUS / "store", db)
        token = add_token(db, "bench")
        documents = {
            "check .txt": CORPUS / "outgoing" / "plan_C-1004_incident.txt",
            "check .docx": CORPUS / "outgoing" / "plan_C-1004_disguised.docx",
        }
        with running_server(db, token) as server, httpx.Client(headers=server.headers()) as client:
            for label, path in documents.items():
                data = path.read_bytes()
                times = []
                for attempt in range(count + 3):
                    started = time.perf_counter()
                    response = client.post(
                        f"{server.url}/v1/check",
                        files={"file": (path.name, data)},
                        data={"case_id": "C-1004"},
                        timeout=60,
                    )
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 200, response.text
                    if attempt >= 3:
                        times.append(elapsed)
                print(summary(f"HTTP {label} ({response.json()['verdict']})", times))
            query = "Kayden Marsh (date of birth 12/06/2016) lives with his mother"
            times = []
            for attempt in range(count + 3):
                started = time.perf_counter()
                response = client.post(f"{server.url}/v1/origin", data={"text": query})
                elapsed = time.perf_counter() - started
                assert response.status_code == 200
                if attempt >= 3:
                    times.append(elapsed)
            print(summary("HTTP origin", times))
        times = []
        for _ in range(max(1, count // 4)):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "provenance.cli", "check", str(documents["check .txt"]),
                 "--case", "C-1004", "--db", str(db)],
                capture_output=True,
                check=False,
            )  # fmt: skip
            times.append(time.perf_counter() - started)
        print(summary("CLI check .txt (fresh process each)", times))


if __name__ == "__main__":
    main()
