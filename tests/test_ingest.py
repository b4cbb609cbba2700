"""Indexing a store: real files of every format, incremental runs, failures listed."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from provenance import index_store, ingest
from provenance.config import IndexParams
from provenance.errors import IndexParametersError
from provenance.extract import ExtractionLimits
from provenance.store import IndexStore
from tests.conftest import LEAK_PARAGRAPH, write_store


def make_docx(path: Path, paragraphs: list[str], table_text: str) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.add_table(rows=1, cols=1).cell(0, 0).text = table_text
    document.save(str(path))


def make_pdf(path: Path, text: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))


def row(
    path: str, case_id: str, record_id: str, kind: str, text: str | None = None
) -> dict[str, str]:
    record = {"path": path, "case_id": case_id, "record_id": record_id, "kind": kind,
              "date": f"2026-01-0{len(record_id)}", "title": record_id}  # fmt: skip
    return record if text is None else {**record, "text": text}


def mixed_store(root: Path) -> Path:
    records = [
        row("C-1/note.txt", "C-1", "T", "referral", "A referral note. " + LEAK_PARAGRAPH),
        row("C-1/minutes.md", "C-1", "M", "core_group_minutes", "# Minutes\n\nThe core group met."),
        row("C-2/plan.docx", "C-2", "D", "child_protection_plan"),
        row("C-2/assessment.pdf", "C-2", "P", "assessment"),
        row("C-3/police.eml", "C-3", "E", "police_notification"),
        row("C-3/broken.pdf", "C-3", "B", "assessment"),
    ]
    write_store(root, records)
    make_docx(root / "C-2/plan.docx", ["Plan for Ruby."], "Table cell: Ruby attends the club.")
    make_pdf(root / "C-2/assessment.pdf", "The assessment found that Leo is thriving at nursery.")
    (root / "C-3/police.eml").write_text(
        "From: mash@example.invalid\nTo: duty@example.invalid\nSubject: Notification\n\n"
        "Officers attended 9 Wren Court after a report of shouting.\n",
        encoding="utf-8",
    )
    (root / "C-3/broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    return root


def test_every_format_is_indexed_and_a_broken_file_never_stops_the_run(tmp_path: Path) -> None:
    store = mixed_store(tmp_path / "store")
    summary = index_store(store, tmp_path / "i.duckdb")
    assert summary.added == 5
    assert [(p.path, p.reason) for p in summary.failed] == [
        ("C-3/broken.pdf", "damaged or not the format its name says")
    ]
    with IndexStore.open_for_reading(tmp_path / "i.duckdb") as index:
        stored = index.stored_records()
        assert set(stored) == {"T", "M", "D", "P", "E"}
        assert {record.format for record in stored.values()} == {"txt", "md", "docx", "pdf", "eml"}
        assert index.counts()["bands"] == index.counts()["passages"] * IndexParams().bands


def test_reindexing_is_incremental(tmp_path: Path) -> None:
    store = mixed_store(tmp_path / "store")
    db = tmp_path / "i.duckdb"
    index_store(store, db)
    with IndexStore.open_for_reading(db) as index:
        before = index.counts()
    again = index_store(store, db)
    assert (again.added, again.changed, again.unchanged, again.removed) == (0, 0, 5, 0)
    with IndexStore.open_for_reading(db) as index:
        assert index.counts() == before

    (store / "C-1/minutes.md").write_text(
        "# Minutes\n\nThe core group met again.", encoding="utf-8"
    )
    (store / "C-1/note.txt").unlink()
    changed = index_store(store, db)
    assert (changed.added, changed.changed, changed.unchanged, changed.removed) == (0, 1, 3, 1)
    with IndexStore.open_for_reading(db) as index:
        assert set(index.stored_records()) == {"M", "D", "P", "E"}
        counts = index.counts()
        assert counts["bands"] == counts["passages"] * IndexParams().bands


def test_unreadable_update_keeps_the_previous_version(tmp_path: Path) -> None:
    store = mixed_store(tmp_path / "store")
    db = tmp_path / "i.duckdb"
    index_store(store, db)
    (store / "C-2/assessment.pdf").write_bytes(b"%PDF-1.4 damaged in transfer")
    summary = index_store(store, db)
    assert ("C-2/assessment.pdf", "damaged or not the format its name says") in [
        (p.path, p.reason) for p in summary.failed
    ]
    with IndexStore.open_for_reading(db) as index:
        assert "P" in index.stored_records()


def test_metadata_change_without_content_change_is_updated(tmp_path: Path) -> None:
    store = mixed_store(tmp_path / "store")
    db = tmp_path / "i.duckdb"
    index_store(store, db)
    manifest = store / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("M,core_group_minutes", "M,strategy_meeting"))
    summary = index_store(store, db)
    assert summary.changed == 1
    with IndexStore.open_for_reading(db) as index:
        assert index.stored_records()["M"].info.kind == "strategy_meeting"


def test_index_refuses_other_parameters(tmp_path: Path) -> None:
    store = mixed_store(tmp_path / "store")
    db = tmp_path / "i.duckdb"
    index_store(store, db)
    with pytest.raises(IndexParametersError, match="other parameters"):
        index_store(store, db, IndexParams(shingle_words=4))


def test_a_parser_crash_on_one_file_is_listed_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import provenance.ingest

    real_extract = provenance.ingest.extract_text

    def fragile(path: Path, limits: ExtractionLimits | None = None) -> object:
        if path.suffix == ".pdf":
            raise RecursionError("maximum recursion depth exceeded")
        return real_extract(path, limits)

    monkeypatch.setattr(provenance.ingest, "extract_text", fragile)
    summary = index_store(mixed_store(tmp_path / "store"), tmp_path / "i.duckdb")
    assert summary.added == 4
    reasons = {p.path: p.reason for p in summary.failed}
    assert reasons["C-2/assessment.pdf"] == "could not be read (parser error)"


def _index_rows(db_path: Path, key_file: Path) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "records": "SELECT record_id, case_id, content_hash, format, word_count FROM records",
        "words": "SELECT r.record_id, w.word_ids, w.word_starts, w.word_ends"
        " FROM record_words w JOIN records r USING (rec)",
        "passages": "SELECT r.record_id, p.passage_no, p.word_start, p.word_end, p.char_start,"
        " p.char_end FROM passages p JOIN records r USING (rec)",
        "bands": "SELECT r.record_id, b.passage_no, b.key FROM bands b JOIN records r USING (rec)",
    }
    with IndexStore.open_for_reading(db_path, key_file) as store:
        return {name: sorted(store.execute(sql)) for name, sql in queries.items()}


def test_worker_processes_write_exactly_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks fingerprinted in two worker processes and written one transaction per
    chunk give the same rows as the in-process path, and a re-run changes nothing."""
    corpus = Path(__file__).resolve().parent.parent / "sample_corpus" / "store"
    serial_db, parallel_db = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    with IndexStore.open_for_writing(serial_db, IndexParams()) as store:
        serial = ingest.index_into(store, corpus, workers=1)
    monkeypatch.setattr(ingest, "_CHUNK_FILES", 4)  # many chunks, so the workers are used
    key_file = serial_db.with_name(serial_db.name + ".key")  # same key, same word ids
    with IndexStore.open_for_writing(parallel_db, IndexParams(), key_file) as store:
        parallel = ingest.index_into(store, corpus, workers=2)
    assert parallel.added == serial.added > 40
    assert parallel.passages_indexed == serial.passages_indexed
    rows = _index_rows(parallel_db, key_file)
    assert rows == _index_rows(serial_db, key_file)
    assert len(rows["bands"]) == 64 * parallel.passages_indexed
    with IndexStore.open_for_writing(parallel_db, IndexParams(), key_file) as store:
        again = ingest.index_into(store, corpus, workers=2)
    assert (again.added, again.changed, again.unchanged) == (0, 0, serial.added)
    assert _index_rows(parallel_db, key_file) == rows
