"""The CLI in a real subprocess: exit codes a pre-send hook relies on, and the
documented JSON schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE, RunCli
from tests.hostile_files import unmapped_font_pdf

MATCH_KEYS = {"start", "end", "text", "similarity", "status", "source"}
SOURCE_KEYS = {"record_id", "case_id", "path", "kind", "date", "start", "end"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_leak_exits_1_and_json_follows_the_schema(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    draft = write(tmp_path, "draft.txt", f"{TEMPLATE}\n\n{LEAK_PARAGRAPH}\n")
    completed = run_cli("check", draft, "--case", "C-1004", "--db", indexed_store, "--json")
    assert completed.returncode == 1, completed.stderr
    payload = json.loads(completed.stdout)
    assert set(payload) == {"document", "case_id", "verdict", "matches", "warnings"}
    assert payload["verdict"] == "leak" and payload["case_id"] == "C-1004"
    assert payload["warnings"] == []
    for match in payload["matches"]:
        assert set(match) == MATCH_KEYS
        assert set(match["source"]) == SOURCE_KEYS
        assert match["status"] in {"cross_case", "same_case", "boilerplate"}
        assert isinstance(match["similarity"], float)
    leak = next(m for m in payload["matches"] if m["status"] == "cross_case")
    assert leak["source"]["case_id"] == "C-1003"
    assert draft.read_text(encoding="utf-8")[leak["start"] : leak["end"]] == leak["text"]


def test_clean_document_exits_0_with_a_plain_verdict(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    draft = write(tmp_path, "draft.txt", f"{TEMPLATE}\n\n{CASE_STORIES['C-1004']}\n")
    completed = run_cli("check", draft, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 0, completed.stderr
    assert "Clear to send" in completed.stdout


def test_what_could_not_be_read_is_shown_with_the_verdict(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    """A clean verdict on a page whose text could not be read must say so:
    the reviewer reads that part by eye."""
    draft = tmp_path / "letter.pdf"
    draft.write_bytes(unmapped_font_pdf(CASE_STORIES["C-1004"], "Kayden Marsh"))
    completed = run_cli("check", draft, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 0, completed.stderr
    assert "Check by eye: page(s) 1: some text is in a font with no Unicode" in completed.stdout
    as_json = run_cli("check", draft, "--case", "C-1004", "--db", indexed_store, "--json")
    (warning,) = json.loads(as_json.stdout)["warnings"]
    assert warning.startswith("page(s) 1: some text is in a font")


def test_leak_table_says_do_not_send(run_cli: RunCli, indexed_store: Path, tmp_path: Path) -> None:
    draft = write(tmp_path, "draft.txt", LEAK_PARAGRAPH)
    completed = run_cli("check", draft, "--case", "C-1004", "--db", indexed_store)
    assert completed.returncode == 1
    assert "DO NOT SEND" in completed.stdout and "C-1003" in completed.stdout


@pytest.mark.parametrize(
    ("setup", "expected_message"),
    [
        ("missing document", "file not found"),
        ("no index", "No index"),
        ("unknown case", "has no records"),
        ("binary document", "binary"),
        ("empty document", "no text"),
        ("unsupported format", "unsupported"),
        ("not an index", "Cannot open the index"),
    ],
)
def test_documents_that_cannot_be_checked_exit_2(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path, setup: str, expected_message: str
) -> None:
    draft = write(tmp_path, "draft.txt", LEAK_PARAGRAPH)
    db, case = indexed_store, "C-1004"
    if setup == "missing document":
        draft = tmp_path / "nowhere.txt"
    elif setup == "no index":
        db = tmp_path / "absent.duckdb"
    elif setup == "unknown case":
        case = "C-9999"
    elif setup == "binary document":
        draft.write_bytes(bytes(range(256)) * 64)
    elif setup == "empty document":
        draft.write_text("", encoding="utf-8")
    elif setup == "unsupported format":
        draft = write(tmp_path, "draft.xyz", LEAK_PARAGRAPH)
    elif setup == "not an index":
        db = write(tmp_path, "junk.duckdb", "this is not a database " * 200)
    completed = run_cli("check", draft, "--case", case, "--db", db)
    assert completed.returncode == 2, (completed.stdout, completed.stderr)
    assert "Could not be checked, do not send" in completed.stderr
    assert expected_message.lower() in completed.stderr.lower()


def test_db_from_environment_variable(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = write(tmp_path, "draft.txt", LEAK_PARAGRAPH)
    monkeypatch.setenv("PROVENANCE_DB", str(indexed_store))
    import os
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "provenance.cli", "check", str(draft), "--case", "C-1004"],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr


def test_index_then_reindex_reports_counts(
    run_cli: RunCli, small_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cli.duckdb"
    first = run_cli("index", small_store, "--db", db)
    assert first.returncode == 0, first.stderr
    assert "10 added" in first.stdout
    (small_store / "C-1001" / "plan.txt").write_text("A new plan for Mia.", encoding="utf-8")
    (small_store / "C-1002" / "plan.txt").unlink()
    second = run_cli("index", small_store, "--db", db)
    assert second.returncode == 0, second.stderr
    assert "0 added, 1 changed, 8 unchanged, 1 removed" in second.stdout
    assert "C-1002/plan.txt: file missing" in second.stdout


def test_origin_from_argument_stdin_and_file(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    phrase = "Dean Holt was charged on 2 March 2026 with assault occasioning actual bodily harm"
    by_argument = run_cli("origin", phrase, "--db", indexed_store, "--json")
    by_stdin = run_cli("origin", "-", "--db", indexed_store, "--json", stdin=phrase)
    by_file = run_cli(
        "origin", "--file", write(tmp_path, "q.txt", phrase), "--db", indexed_store, "--json"
    )
    for completed in (by_argument, by_stdin, by_file):
        assert completed.returncode == 0, completed.stderr
        sources = json.loads(completed.stdout)["sources"]
        assert [s["record_id"] for s in sources] == ["C-1003-SM"]
    table = run_cli("origin", phrase, "--db", indexed_store)
    assert "C-1003-SM" in table.stdout


def test_text_prints_exactly_what_is_indexed(run_cli: RunCli, tmp_path: Path) -> None:
    original = "Line one\r\nLine two “quoted”\n"
    path = tmp_path / "note.txt"
    path.write_bytes(original.encode("utf-8"))
    completed = run_cli("text", path)
    assert completed.returncode == 0
    assert completed.stdout.replace("\r\n", "\n") == original.replace("\r\n", "\n")


@pytest.mark.parametrize(
    "command",
    ["index", "check", "origin", "text", "serve", "token", "audit", "check-eml", "watch"],
)
def test_every_command_has_help(run_cli: RunCli, command: str) -> None:
    completed = run_cli(command, "--help")
    assert completed.returncode == 0
    assert len(completed.stdout.strip()) > 80


def test_html_report_and_redacted_copy_from_the_cli(
    run_cli: RunCli, indexed_store: Path, tmp_path: Path
) -> None:
    draft = write(tmp_path, "draft.txt", f"{TEMPLATE}\n\n{LEAK_PARAGRAPH}\n\nOwn text for Ruby.\n")
    page, fixed = tmp_path / "report.html", tmp_path / "fixed.txt"
    completed = run_cli(
        "check", draft, "--case", "C-1004", "--db", indexed_store, "--html", page, "--redact", fixed
    )
    assert completed.returncode == 1, completed.stderr
    html = page.read_text(encoding="utf-8")
    assert "DO NOT SEND" in html and "C-1003-SM" in html
    assert "Linnet Close" in html  # the source passage, read from the store, side by side
    again = run_cli("check", fixed, "--case", "C-1004", "--db", indexed_store)
    assert again.returncode == 0, again.stdout
    assert "REDACTED" in fixed.read_text(encoding="utf-8")


def test_a_long_document_shows_a_bar_on_a_terminal(indexed_store: Path, tmp_path: Path) -> None:
    """A check of more than one window draws its progress on stderr when stderr is a
    terminal; the verdict, exit code and stdout are those of any check."""
    import pty

    from tests.test_match import own_words

    bundle = tmp_path / "bundle.txt"
    bundle.write_text(f"{own_words(9_000, 7)}\n\n{LEAK_PARAGRAPH}\n", encoding="utf-8")
    main_fd, terminal_fd = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    env.pop("PROVENANCE_DB", None)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "provenance.cli", "check", str(bundle), "--case", "C-1004",
             "--db", str(indexed_store), "--json"],
            stdout=subprocess.PIPE, stderr=terminal_fd, text=True, env=env, timeout=120,
        )  # fmt: skip
        os.close(terminal_fd)
        drawn = b""
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(main_fd)
    assert done.returncode == 1
    assert json.loads(done.stdout)["verdict"] == "leak"
    assert b"checking" in drawn and b"window" in drawn
