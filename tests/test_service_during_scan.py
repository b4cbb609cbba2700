"""Checks through HTTP keep being answered, and right, while `index` rewrites the index.

Slow (a store of a few thousand records): run with `pytest -m slow`. The writer is
`index`, which takes the same writer lock and publishes the same way as `scan`; a scan
would add an audit of every new record and take many minutes on a shared machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from provenance import index_store
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE, small_store_records, write_store
from tests.serving import add_token, running_server

EXTRA_RECORDS = 2000


def filler_records(count: int, offset: int) -> list[dict[str, str]]:
    """Many records of made-up cases, each with its own made-up details."""
    return [
        {
            "path": f"F-{n}/note.txt",
            "case_id": f"F-{n % 400}",
            "record_id": f"F-{n}-NOTE",
            "kind": "case_note",
            "date": "2026-05-01",
            "title": "Case note",
            "text": f"Visit number {n}: the child known as pupil {n * 7919} attended club "
            f"{n % 97} with carer {n * 31} on route {n % 13} and spoke about term {n % 3}.",
        }
        for n in range(offset, offset + count)
    ]


@pytest.mark.slow
def test_checks_through_http_are_answered_while_the_index_is_rewritten(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    chosen = str(request.config.getoption("markexpr") or "")
    if "slow" not in chosen or "not slow" in chosen:
        pytest.skip("a minute or more: run with -m slow (nothing deselects slow tests yet)")
    records = small_store_records() + filler_records(EXTRA_RECORDS // 2, 0)
    store = write_store(tmp_path / "store", records)
    db = tmp_path / "index.duckdb"
    index_store(store, db)
    write_store(store, records + filler_records(EXTRA_RECORDS // 2, EXTRA_RECORDS // 2))
    token = add_token(db, "gateway")
    leak = {"file": ("plan.txt", f"{TEMPLATE}\n\n{LEAK_PARAGRAPH}".encode())}
    clean = {"file": ("letter.txt", f"{TEMPLATE}\n\n{CASE_STORIES['C-1004']}".encode())}
    with running_server(db, token) as server, httpx.Client(headers=server.headers()) as client:
        writer = subprocess.Popen(
            [sys.executable, "-m", "provenance.cli", "index", str(store), "--db", str(db),
             "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        answers: list[tuple[int, str]] = []
        while writer.poll() is None or len(answers) < 4:
            for files, expected in ((leak, "leak"), (clean, "clean")):
                response = client.post(
                    f"{server.url}/v1/check", files=files, data={"case_id": "C-1004"}, timeout=120
                )
                assert response.status_code == 200, response.text
                answers.append((response.status_code, response.json()["verdict"]))
                assert answers[-1][1] == expected
        _out, err = writer.communicate()
        assert writer.returncode == 0, err
        health = client.get(f"{server.url}/healthz").json()
    assert health["records"] == 10 + EXTRA_RECORDS
    assert len(answers) >= 4
    print(f"{len(answers)} checks answered, all right, while the index was rewritten")
