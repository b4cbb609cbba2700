"""Store discovery: manifest rules, folder layout, and nothing outside the store is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.discover import discover_store
from provenance.errors import ManifestError


def manifest(
    store: Path, rows: list[str], header: str = "path,case_id,record_id,kind,date,title"
) -> None:
    store.mkdir(parents=True, exist_ok=True)
    (store / "manifest.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def test_manifest_rows_become_records_with_extra_columns_as_metadata(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "a").mkdir(parents=True)
    (store / "a" / "note.txt").write_text("hello", encoding="utf-8")
    manifest(store, ["a/note.txt,C-1,R-1,referral,2026-01-02,Referral,MASH"],
             header="path,case_id,record_id,kind,date,title,team")  # fmt: skip
    found = discover_store(store)
    (entry,) = found.entries
    assert (entry.info.record_id, entry.info.case_id, entry.info.kind) == ("R-1", "C-1", "referral")
    assert entry.info.metadata == {"team": "MASH"}
    assert found.problems == ()


def test_unsafe_or_broken_rows_are_reported_and_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the store", encoding="utf-8")
    store = tmp_path / "store"
    (store / "sub").mkdir(parents=True)
    (store / "ok.txt").write_text("fine", encoding="utf-8")
    (store / "link.txt").symlink_to(outside)
    manifest(
        store,
        [
            "ok.txt,C-1,R-1,referral,2026-01-02,ok",
            "../secret.txt,C-1,R-2,referral,2026-01-02,traversal",
            f"{outside},C-1,R-3,referral,2026-01-02,absolute",
            "link.txt,C-1,R-4,referral,2026-01-02,symlink out",
            "missing.txt,C-1,R-5,referral,2026-01-02,missing",
            "sub,C-1,R-6,referral,2026-01-02,folder",
            "ok.txt,C-2,R-1,referral,2026-01-02,duplicate id",
            "ok.txt,,R-7,referral,2026-01-02,no case",
        ],
    )
    found = discover_store(store)
    assert [e.info.record_id for e in found.entries] == ["R-1"]
    reasons = [problem.reason for problem in found.problems]
    assert reasons == [
        "path leaves the store (..)",
        "absolute path: paths must be relative to the store",
        "symlink leaves the store",
        "file missing",
        "is a folder, not a file",
        "duplicate record_id R-1 (first on row 2)",
        "manifest row without case_id or record_id",
    ]


def test_manifest_missing_columns_is_a_clear_error(tmp_path: Path) -> None:
    manifest(tmp_path, ["a.txt,C-1"], header="path,case_id")
    with pytest.raises(ManifestError, match="lacks the column\\(s\\) record_id, kind, date, title"):
        discover_store(tmp_path)


def test_bad_date_is_a_warning_not_a_lost_record(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    manifest(tmp_path, ["a.txt,C-1,R-1,referral,03/02/2026,x"])
    found = discover_store(tmp_path)
    assert len(found.entries) == 1
    assert "not ISO 8601" in found.warnings[0].reason


def test_folder_layout_takes_case_from_the_first_folder(tmp_path: Path) -> None:
    (tmp_path / "C-7" / "2026").mkdir(parents=True)
    (tmp_path / "C-7" / "2026" / "strategy_meeting.md").write_text("minutes", encoding="utf-8")
    (tmp_path / "C-7" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "loose.txt").write_text("no case", encoding="utf-8")
    found = discover_store(tmp_path)
    (entry,) = found.entries
    assert entry.info.case_id == "C-7"
    assert entry.info.record_id == "C-7/2026/strategy_meeting.md"
    assert entry.info.kind == "strategy_meeting"
    assert {p.reason for p in found.problems} == {
        "unsupported file type .jpg",
        "not inside a case folder (STORE/<case_id>/)",
    }
