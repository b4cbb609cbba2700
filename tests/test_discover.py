"""Store discovery: manifest rules, folder layout, and nothing outside the store is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from provenance.discover import discover_store
from provenance.errors import ManifestError


def manifest(
    store: Path, rows: list[str], header: str = "path,case_id,record_id,kind,date,title"
) -> None:
    store.mkdir(parents=True, exist_ok=True)
    (store / "manifest.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


# The project's spelling, and an export's: any case, spaces or hyphens for "_".
@pytest.mark.parametrize(
    "header",
    [
        "path,case_id,record_id,kind,date,title,Team name",
        "Path, Case ID,record-id,KIND,Date,Title,Team name",
    ],
)
def test_manifest_rows_become_records_with_extra_columns_as_metadata(
    tmp_path: Path, header: str
) -> None:
    store = tmp_path / "store"
    (store / "a").mkdir(parents=True)
    (store / "a" / "note.txt").write_text("hello", encoding="utf-8")
    manifest(store, ["a/note.txt,C-1,R-1,referral,2026-01-02,Referral,MASH"], header=header)
    found = discover_store(store)
    (entry,) = found.entries
    assert (entry.info.record_id, entry.info.case_id, entry.info.kind) == ("R-1", "C-1", "referral")
    assert entry.info.metadata == {"Team name": "MASH"}
    assert found.problems == found.warnings == ()


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
    manifest(tmp_path, ["a.txt,C-1"], header="file,case")
    with pytest.raises(ManifestError, match="lacks the column\\(s\\) path, case_id; the header"):
        discover_store(tmp_path)


def test_a_path_and_a_case_are_enough_and_the_rest_comes_from_the_file(tmp_path: Path) -> None:
    # A case system's export may carry no record ids, kinds, dates or titles: each
    # record is then named, dated and kinded as in the folder layout, and the
    # summary says so once.
    (tmp_path / "C-1").mkdir()
    (tmp_path / "C-1" / "2026-03-04 strategy meeting.txt").write_text("x", encoding="utf-8")
    manifest(tmp_path, ["C-1/2026-03-04 strategy meeting.txt,C-1"], header="path,case_id")
    found = discover_store(tmp_path)
    (entry,) = found.entries
    info = entry.info
    assert (info.record_id, info.case_id) == ("C-1/2026-03-04 strategy meeting.txt", "C-1")
    assert (info.kind, info.date, info.title) == (
        "strategy_meeting",
        "2026-03-04",
        "2026-03-04 strategy meeting",
    )
    (warning,) = found.warnings
    assert warning.reason.startswith("no record_id, kind, date or title column: record ids")
    assert found.problems == ()


def test_a_column_given_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    manifest(tmp_path, ["a.txt,C-1,C-2"], header="path,case_id,Case ID")
    with pytest.raises(ManifestError, match="case_id more than once"):
        discover_store(tmp_path)


def test_bad_date_is_a_warning_not_a_lost_record(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    manifest(tmp_path, ["a.txt,C-1,R-1,referral,next Tuesday,x"])
    found = discover_store(tmp_path)
    assert [entry.info.date for entry in found.entries] == ["next Tuesday"]
    assert "not ISO 8601" in found.warnings[0].reason


def test_dates_written_day_first_are_read_so_with_one_warning(tmp_path: Path) -> None:
    # A UK case system exports 03/02/2026 for 3 February: read as such, so that
    # `origin` orders records by date, and said once, not on every row.
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    manifest(tmp_path, ["a.txt,C-1,R-1,referral,03/02/2026,x", "b.txt,C-1,R-2,visit,4.3.2026,y"])
    found = discover_store(tmp_path)
    assert [entry.info.date for entry in found.entries] == ["2026-02-03", "2026-03-04"]
    (warning,) = found.warnings
    assert warning.reason == (
        "2 date(s) written day first, as UK records write them, were read as such "
        "('03/02/2026' as 2026-02-03)"
    )


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


def test_a_store_indexed_from_the_folder_above_its_cases_is_pointed_out(tmp_path: Path) -> None:
    # "Cases/C-1/...", "Cases/C-2/...": every record would be case "Cases", and each
    # check of C-1 would find no such case. The index run says so.
    for case in ("C-1", "C-2"):
        (tmp_path / "Cases" / case).mkdir(parents=True)
        (tmp_path / "Cases" / case / "note.txt").write_text("A visit.", encoding="utf-8")
    found = discover_store(tmp_path)
    assert {entry.info.case_id for entry in found.entries} == {"Cases"}
    (warning,) = found.warnings
    assert warning.reason == (
        "every record is filed under one case, 'Cases', in folders such as C-1, C-2: "
        "if those are the cases, index Cases/ as the store instead"
    )
    assert discover_store(tmp_path / "Cases").warnings == ()


def test_folder_layout_reads_the_date_and_kind_a_file_is_filed_under(tmp_path: Path) -> None:
    """A copied store's files all carry the day of the copy: "earliest first"
    needs the date the name gives. Without one, the modification date."""
    files = {
        "C-7/06 Case notes/2024-12-10 visit.docx": ("2024-12-10", "home_visit"),
        "C-7/06 Case notes/note 3.txt": (None, "case_note"),
        "C-7/Conferences/review 21.10.2024.txt": ("2024-10-21", "child_protection_conference"),
        "C-7/misc/20250301_school-update.md": ("2025-03-01", "school_update"),
        "C-7/misc/plan_2026-13-40.txt": (None, "child_protection_plan"),
    }
    for relative in files:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("text", encoding="utf-8")
        os.utime(tmp_path / relative, (1_700_000_000, 1_700_000_000))  # 2023-11-14
    found = {e.info.path: (e.info.date, e.info.kind) for e in discover_store(tmp_path).entries}
    assert found == {path: (day or "2023-11-14", kind) for path, (day, kind) in files.items()}


def test_rows_that_would_crash_or_hang_a_run_are_reported(tmp_path: Path) -> None:
    """A symlink loop, a pipe, a path too long for the OS, extra fields: each is
    one problem row; the rest of the manifest is still read."""
    store = tmp_path / "store"
    store.mkdir()
    (store / "ok.txt").write_text("fine", encoding="utf-8")
    (store / "loop.txt").symlink_to(store / "loop.txt")
    os.mkfifo(store / "pipe.txt")
    long_name = "x" * 5000 + ".txt"
    manifest(
        store,
        [
            "loop.txt,C-1,R-1,referral,2026-01-02,loop",
            "pipe.txt,C-1,R-2,referral,2026-01-02,pipe",
            f"{long_name},C-1,R-3,referral,2026-01-02,long",
            "ok.txt,C-1,R-4,referral,2026-01-02,title, with an unquoted comma",
            "ok.txt,C-1,R-5,referral,2026-01-02,ok",
            "ok\x00.txt,C-1,R-6,referral,2026-01-02,nul",
        ],
    )
    found = discover_store(store)
    assert [entry.info.record_id for entry in found.entries] == ["R-5"]
    assert [(problem.path, problem.reason) for problem in found.problems] == [
        (
            "ok.txt",
            "manifest row has more fields than the header (a comma in a value that is not "
            "in quotes?)",
        ),
        ("loop.txt", "symlink loop"),
        ("pipe.txt", "not a regular file (a pipe, device or socket)"),
        (long_name, "cannot be opened: File name too long"),
        ("ok\x00.txt", "path holds a NUL character"),
    ]


def test_symlinked_folder_leading_out_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside the store", encoding="utf-8")
    store = tmp_path / "store"
    store.mkdir()
    (store / "linked").symlink_to(outside, target_is_directory=True)
    manifest(store, ["linked/secret.txt,C-1,R-1,referral,2026-01-02,x"])
    found = discover_store(store)
    assert found.entries == ()
    assert found.problems[0].reason == "symlink leaves the store"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: it needs a header row with at least path,case_id"),
        (b"\n\n", "is empty"),
        (
            "path,case_id,record_id,kind,date,title\nn\u00e9e.txt,C-1,R-1,k,2026-01-02,x\n".encode(
                "cp1252"
            ),
            "is not UTF-8 text \\(byte 0xe9 on line 2\\): save it as 'CSV UTF-8'",
        ),
        (bytes(range(256)) * 4, "is not UTF-8 text"),
        (
            b'path,case_id,record_id,kind,date,title\n"' + b"x" * 200_000 + b'",C-1\n',
            "is not valid CSV \\(field larger than field limit",
        ),
        (b"PK\x03\x04 an Excel file renamed", "lacks the column"),
    ],
    ids=["empty", "blank-lines", "cp1252", "binary", "huge-field", "xlsx"],
)
def test_unusable_manifest_is_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "manifest.csv").write_bytes(content)
    with pytest.raises(ManifestError, match=message):
        discover_store(tmp_path)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_manifest_with_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "n\u00e9e.txt").write_text("hello", encoding="utf-8")
    text = "path,case_id,record_id,kind,date,title\r\nn\u00e9e.txt,C-1,R-1,k,2026-01-02,T\u00e9\r\n"
    (tmp_path / "manifest.csv").write_bytes(text.encode(encoding))
    found = discover_store(tmp_path)
    (entry,) = found.entries
    assert (entry.info.path, entry.info.title) == ("n\u00e9e.txt", "T\u00e9")
    assert found.problems == ()


def test_manifest_linked_from_outside_the_store_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("path,case_id,record_id,kind,date,title\n", encoding="utf-8")
    store = tmp_path / "store"
    store.mkdir()
    (store / "manifest.csv").symlink_to(outside)
    with pytest.raises(ManifestError, match="is a link to a file outside the store"):
        discover_store(store)


def test_symlink_loop_in_an_unlisted_file_does_not_stop_discovery(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    manifest(tmp_path, ["a.txt,C-1,R-1,referral,2026-01-02,x"])
    found = discover_store(tmp_path)
    assert len(found.entries) == 1
    assert "1 file(s) not listed" in found.warnings[0].reason


def test_files_reached_through_listed_links_count_as_listed(tmp_path: Path) -> None:
    """The unlisted-file check compares resolved paths: a file the manifest names
    through a link inside the store (in a linked folder too) is listed; others are not."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "real" / "b.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "extra.txt").write_text("not in the manifest", encoding="utf-8")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    (tmp_path / "b-link.txt").symlink_to(tmp_path / "real" / "b.txt")
    manifest(
        tmp_path,
        ["alias/a.txt,C-1,R-1,referral,2026-01-02,x", "b-link.txt,C-1,R-2,referral,2026-01-02,y"],
    )
    found = discover_store(tmp_path)
    assert [entry.file for entry in found.entries] == [
        (tmp_path / "real" / "a.txt").resolve(),
        (tmp_path / "real" / "b.txt").resolve(),
    ]
    assert [warning.reason for warning in found.warnings] == [
        "1 file(s) not listed, so not indexed: extra.txt"
    ]
