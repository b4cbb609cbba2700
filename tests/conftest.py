"""Shared fixtures: a tiny synthetic store on disk and a real DuckDB index file.

All names, case numbers and addresses are fictional.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from provenance import index_store

TEMPLATE = (
    "This document is confidential and must not be shared outside the agencies named in "
    "the distribution list without the written agreement of the chair of the meeting."
)
STANDARD = (
    "The chair reminded attendees that the purpose of a strategy discussion is to share "
    "information, decide whether the threshold for enquiries is met and agree who will "
    "do what and by when."
)
LEAK_PARAGRAPH = (
    "Summary of concerns: Kayden Marsh, born 3 February 2017, of 14 Linnet Close, attended "
    "school with a bruise to his upper left arm which he said happened when his mother's "
    "partner Dean Holt grabbed him. Harrowfield Constabulary confirmed that Dean Holt was "
    "charged on 2 March 2026 with assault occasioning actual bodily harm against Kayden's "
    "mother and is on bail with conditions not to attend the address."
)
CASE_STORIES = {
    "C-1001": "Mia Fenwick has missed twenty school days this term and her father says she "
    "stays home to care for her younger brother while he works night shifts at the depot.",
    "C-1002": "Noah Ashdown was found by neighbours walking alone near the canal late at "
    "night; his mother told the duty worker she had fallen asleep after a long shift.",
    "C-1003": "Kayden Marsh's class teacher reports he is often hungry, arrives late and has "
    "become withdrawn since the spring half term, especially on Mondays.",
    "C-1004": "Ruby Okafor-Lane has told her youth worker that older boys message her on a "
    "gaming platform and have asked her to meet them at the retail park.",
    "C-1005": "Leo Brannigan's mother has asked for help with her drinking and agreed to "
    "attend the community alcohol service; the health visitor has visited twice.",
}
FILLER = (
    "The social worker visited the family home on a weekday afternoon and spoke with the "
    "parent about routines, meals, bedtimes and school attendance. Actions from the last "
    "meeting were reviewed one by one and progress was noted where it had been made."
)


def write_store(
    root: Path, records: list[dict[str, str]], extra_columns: tuple[str, ...] = ()
) -> Path:
    """Write records (path, case_id, record_id, kind, date, title, text) and a
    manifest, with `extra_columns` of the records too (blank where a record
    has none)."""
    root.mkdir(parents=True, exist_ok=True)
    columns = ["path", "case_id", "record_id", "kind", "date", "title"]
    with (root / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*columns, *extra_columns])
        for record in records:
            file = root / record["path"]
            file.parent.mkdir(parents=True, exist_ok=True)
            if "text" in record:
                file.write_text(record["text"], encoding="utf-8")
            writer.writerow([record.get(k, "") for k in (*columns, *extra_columns)])
    return root


def small_store_records() -> list[dict[str, str]]:
    """Five cases, two records each; template text in every case; C-1003 holds the leak."""
    records: list[dict[str, str]] = []
    for number, (case_id, story) in enumerate(CASE_STORIES.items()):
        body = [TEMPLATE, STANDARD, story, FILLER.replace("weekday", f"day {number}")]
        if case_id == "C-1003":
            body.insert(3, LEAK_PARAGRAPH)
        records.append(
            {
                "path": f"{case_id}/strategy.txt",
                "case_id": case_id,
                "record_id": f"{case_id}-SM",
                "kind": "strategy_meeting",
                "date": f"2026-03-0{number + 1}",
                "title": "Strategy meeting",
                "text": "\n\n".join(body),
            }
        )
        records.append(
            {
                "path": f"{case_id}/plan.txt",
                "case_id": case_id,
                "record_id": f"{case_id}-CPP",
                "kind": "child_protection_plan",
                "date": f"2026-04-1{number}",
                "title": "Child protection plan",
                "text": "\n\n".join([TEMPLATE, story, f"Review date {number + 3} June 2026."]),
            }
        )
    return records


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    return write_store(tmp_path / "store", small_store_records())


@pytest.fixture
def indexed_store(small_store: Path, tmp_path: Path) -> Path:
    """A real DuckDB index file of the small store; returns its path."""
    db_path = tmp_path / "index.duckdb"
    index_store(small_store, db_path)
    return db_path


RunCli = Callable[..., subprocess.CompletedProcess[str]]


def run_provenance(
    *args: str | Path, stdin: str | None = None, columns: int = 160
) -> subprocess.CompletedProcess[str]:
    """Run `provenance` in a fresh process, as a pre-send hook would."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": str(columns)}
    env.pop("PROVENANCE_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "provenance.cli", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=120,
    )


@pytest.fixture
def run_cli() -> RunCli:
    """`run_provenance`, as a fixture."""
    return run_provenance
