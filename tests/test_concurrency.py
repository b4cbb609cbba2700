"""Checks keep being answered, correctly, while a nightly scan rewrites the index.

A real `provenance scan` process works through many new records while this
process checks a leaking and a clean document in a loop, through the library
and through the CLI. Every check must answer, and every answer must be right.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from provenance import check_file
from tests.conftest import FILLER, LEAK_PARAGRAPH, RunCli


def add_notes(store: Path, count: int) -> None:
    with (store / "manifest.csv").open("a", encoding="utf-8") as manifest:
        for number in range(count):
            case = f"C-5{number % 40:03d}"
            (store / case).mkdir(exist_ok=True)
            path = f"{case}/visit{number}.txt"
            words = " ".join(f"{case}-word{(number * 7 + k) % 500}" for k in range(60))
            (store / path).write_text(f"Visit {number}. {words}. {FILLER}", encoding="utf-8")
            manifest.write(f"{path},{case},V-{number},visit,2026-06-01,Visit\n")


def checks_during_a_scan(
    store: Path, db: Path, tmp_path: Path, run_cli: RunCli, extra_records: int
) -> None:
    leak, clean = tmp_path / "leak.txt", tmp_path / "clean.txt"
    leak.write_text(f"Plan for Leo.\n\n{LEAK_PARAGRAPH}\n", encoding="utf-8")
    clean.write_text(f"Plan for Leo.\n\n{FILLER}\n", encoding="utf-8")
    add_notes(store, extra_records)
    scan = subprocess.Popen(
        [sys.executable, "-m", "provenance.cli", "scan", str(store), "--db", str(db), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    answered = 0
    try:
        while scan.poll() is None or answered < 4:
            leak_result = check_file(leak, "C-1005", db).result
            assert leak_result.verdict == "leak"
            assert {m.source.case_id for m in leak_result.matches if m.status == "cross_case"} == {
                "C-1003"
            }
            assert check_file(clean, "C-1005", db).result.verdict == "clean"
            by_cli = run_cli("check", leak, "--case", "C-1005", "--db", db)
            assert by_cli.returncode == 1, by_cli.stderr
            answered += 1
    finally:
        _, err = scan.communicate(timeout=600)
    assert scan.returncode in (0, 1), err
    assert answered >= 4


def test_checks_are_answered_while_a_scan_writes(
    small_store: Path, indexed_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    checks_during_a_scan(small_store, indexed_store, tmp_path, run_cli, extra_records=80)


@pytest.mark.slow
def test_checks_are_answered_while_a_scan_of_thousands_writes(
    small_store: Path, indexed_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    checks_during_a_scan(small_store, indexed_store, tmp_path, run_cli, extra_records=3000)
