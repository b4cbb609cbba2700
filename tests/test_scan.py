"""The nightly scan: incremental audits, no duplicate findings, recovery after a
killed run, the three reports, escaping, and exit codes."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from provenance.scan import scan_store, with_texts
from tests.conftest import LEAK_PARAGRAPH, RunCli, small_store_records, write_store


def store_with_history(root: Path) -> Path:
    """The small store plus a later C-1005 record that copied C-1003's paragraph."""
    records = small_store_records()
    records.append(
        {
            "path": "C-1005/core_group.txt",
            "case_id": "C-1005",
            "record_id": "C-1005-CG",
            "kind": "core_group_minutes",
            "date": "2026-05-01",
            "title": "Core group <script>alert(1)</script>",
            "text": "Core group notes for Leo. "
            + LEAK_PARAGRAPH.replace("Dean Holt grabbed", "<b>Dean Holt</b> grabbed").replace(
                "school with", "school <script>with"
            ),
        }
    )
    return write_store(root, records)


def test_first_scan_audits_everything_and_finds_the_historical_leak(tmp_path: Path) -> None:
    store = store_with_history(tmp_path / "store")
    summary = scan_store(store, tmp_path / "i.duckdb")
    assert summary.audited == 11
    (finding,) = summary.findings
    assert (finding.copy.record_id, finding.origin.record_id) == ("C-1005-CG", "C-1003-SM")
    assert not finding.order_undecided
    assert summary.new_findings == summary.findings
    (filled,) = with_texts(summary.findings, store)
    assert "Dean Holt" in filled.copy_text and "Dean Holt" in filled.origin_text


def test_later_scans_audit_only_new_or_changed_records_and_never_duplicate(tmp_path: Path) -> None:
    store = store_with_history(tmp_path / "store")
    db = tmp_path / "i.duckdb"
    scan_store(store, db)
    quiet = scan_store(store, db)
    assert (quiet.audited, len(quiet.findings), quiet.new_findings) == (0, 1, ())
    (store / "C-1002" / "plan.txt").write_text("A new plan for Noah.", encoding="utf-8")
    changed = scan_store(store, db)
    assert changed.audited == 1 and len(changed.findings) == 1 and changed.new_findings == ()
    full = scan_store(store, db, full=True)
    assert full.audited == 11 and len(full.findings) == 1 and full.new_findings == ()


def test_equal_dates_leave_the_direction_undecided(tmp_path: Path) -> None:
    records = small_store_records()
    records.append(
        {"path": "C-1005/x.txt", "case_id": "C-1005", "record_id": "X", "kind": "assessment",
         "date": "2026-03-03", "title": "x", "text": LEAK_PARAGRAPH}  # same date as C-1003-SM
    )  # fmt: skip
    summary = scan_store(write_store(tmp_path / "s", records), tmp_path / "i.duckdb")
    (finding,) = summary.findings
    assert finding.order_undecided


def test_a_killed_scan_is_marked_interrupted_and_the_next_run_completes_it(
    tmp_path: Path,
) -> None:
    store = store_with_history(tmp_path / "store")
    for number in range(60):  # enough records that the audit takes a moment
        (store / f"C-1001/extra{number}.txt").write_text(
            f"Visit note {number}. " + "The family was seen at home. " * 30, encoding="utf-8"
        )
    with (store / "manifest.csv").open("a", encoding="utf-8") as manifest:
        for number in range(60):
            manifest.write(f"C-1001/extra{number}.txt,C-1001,E{number},visit,2026-02-01,x\n")
    db = tmp_path / "i.duckdb"
    code = (  # pauses inside the audit, after 19 records were audited, to be killed
        "import sys, time; from pathlib import Path; from provenance.scan import scan_store\n"
        "stage = []\n"
        "def progress(done, total, path):\n"
        "    if stage[-1:] == ['auditing'] and done == 20:\n"
        "        print('auditing', flush=True); time.sleep(60)\n"
        "scan_store(Path(sys.argv[1]), Path(sys.argv[2]), on_progress=progress,"
        " on_stage=stage.append)\n"
    )
    victim = subprocess.Popen(
        [sys.executable, "-c", code, str(store), str(db)], stdout=subprocess.PIPE, text=True
    )
    assert victim.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while "auditing" not in line and time.monotonic() < deadline:
        line = victim.stdout.readline()
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    victim.stdout.close()
    assert not db.exists(), "a killed first run must not publish a half-built index"
    with duckdb.connect(str(tmp_path / "i.duckdb.next"), read_only=True) as connection:
        assert connection.execute("SELECT status FROM runs").fetchall() == [("running",)]
        audited_before = connection.execute("SELECT count(*) FROM audited").fetchall()[0][0]
    assert audited_before == 19
    resumed = scan_store(store, db)
    assert resumed.interrupted_runs == 1
    assert resumed.audited == 71 - audited_before
    assert [f.copy.record_id for f in resumed.findings] == ["C-1005-CG"]
    with duckdb.connect(str(db), read_only=True) as connection:
        statuses = connection.execute("SELECT status FROM runs ORDER BY run_id").fetchall()
    assert statuses == [("interrupted",), ("succeeded",)]


def test_scan_cli_reports_and_exit_codes(run_cli: RunCli, tmp_path: Path) -> None:
    store = store_with_history(tmp_path / "store")
    db, reports = tmp_path / "i.duckdb", tmp_path / "reports"
    first = run_cli("scan", store, "--db", db, "--report", reports, "--quiet")
    assert first.returncode == 1, first.stderr
    assert first.stdout.count("\n") == 1 and "1 new finding(s)" in first.stdout
    payload = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    (finding,) = payload["findings"]
    assert finding["copy_case_id"] == "C-1005" and finding["origin_case_id"] == "C-1003"
    assert "Dean Holt" in finding["copy_text"]
    with (reports / "report.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["origin_record_id"] == "C-1003-SM"
    page = (reports / "report.html").read_text(encoding="utf-8")
    assert "Text of case C-1003 found in other cases" in page
    assert "&lt;b&gt;Dean Holt&lt;/b&gt;" in page and "&lt;script&gt;" in page
    assert "<script" not in page and "http" not in page

    second = run_cli("scan", store, "--db", db)
    assert second.returncode == 0, second.stderr
    assert "0 new finding(s), 1 in all" in second.stdout

    # An export with no rows: the run fails (and is recorded so) rather than
    # taking every record as deleted.
    (store / "manifest.csv").write_text("path,case_id\n", encoding="utf-8")
    failed = run_cli("scan", store, "--db", db)
    assert failed.returncode == 2
    assert "recorded as failed" in failed.stderr and "lists no record" in failed.stderr
    with duckdb.connect(str(db), read_only=True) as connection:
        assert connection.execute(
            "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1"
        ).fetchall() == [("failed",)]


def test_the_audit_weighs_names_as_the_check_does(tmp_path: Path) -> None:
    """A filed record carrying another family's names in a template sentence: the
    audit reads the capitals from the file, so it finds what the check would."""
    from provenance.config import CheckParams
    from tests.test_match import DISCLOSURE_FAMILIES, OWN_AFTER, OWN_BEFORE, TEMPLATE, disclosure

    records = [
        {
            "path": f"C-40{n:02d}/visit.txt",
            "case_id": f"C-40{n:02d}",
            "record_id": f"C-40{n:02d}-visit",
            "kind": "visit",
            "date": f"2026-07-{n + 10}",
            "title": "visit",
            "text": f"{TEMPLATE}\n\n{disclosure(family)}",
        }
        for n, family in enumerate(DISCLOSURE_FAMILIES)
    ]
    records.append(
        {
            "path": "C-4005/plan.txt",
            "case_id": "C-4005",
            "record_id": "C-4005-plan",
            "kind": "plan",
            "date": "2026-09-01",
            "title": "plan",
            "text": f"{OWN_BEFORE}\n\n{disclosure(DISCLOSURE_FAMILIES[0])}\n\n{OWN_AFTER}",
        }
    )
    root = write_store(tmp_path / "store", records)
    strict = CheckParams(min_distinctive_words=25)
    found = scan_store(root, tmp_path / "with.duckdb", check_params=strict).findings
    assert {(f.copy.record_id, f.origin.case_id) for f in found} == {("C-4005-plan", "C-4000")}
    # Taken word for word, the copy also clears the verbatim bar (14 details): off here.
    unweighted = CheckParams(min_distinctive_words=25, name_weight=1, min_details_word_for_word=25)
    assert scan_store(root, tmp_path / "without.duckdb", check_params=unweighted).findings == ()
