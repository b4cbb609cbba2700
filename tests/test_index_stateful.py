"""Hypothesis drives add / modify / delete / rename / re-index against a model of the store.

After every re-index the index must hold exactly the model's records with the
files' current content, with no orphaned or duplicated rows; re-indexing
unchanged files must change nothing at all.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from provenance import index_store
from provenance.store import IndexStore

VOCABULARY = [
    "child",
    "parent",
    "visit",
    "school",
    "plan",
    "police",
    "nurse",
    "bruise",
    "home",
    "safety",
    "meeting",
    "review",
    "agreed",
    "contact",
    "garden",
    "kitchen",
    "uncle",
    "worker",
    "referral",
    "health",
]
texts = st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=60).map(" ".join)
cases = st.sampled_from(["C-1", "C-2", "C-3"])


@dataclass
class ModelRecord:
    path: str
    case_id: str
    text: str


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="stateful-"))
        self.store = self.root / "store"
        self.store.mkdir()
        self.db = self.root / "index.duckdb"
        self.model: dict[str, ModelRecord] = {}
        self.counter = 0
        self.indexed = False

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def write_manifest(self) -> None:
        with (self.store / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["path", "case_id", "record_id", "kind", "date", "title"])
            for record_id, record in sorted(self.model.items()):
                writer.writerow([record.path, record.case_id, record_id, "note", "2026-01-01", ""])

    def write_file(self, record: ModelRecord) -> None:
        (self.store / record.path).write_text(record.text, encoding="utf-8")

    @rule(case_id=cases, text=texts)
    def add(self, case_id: str, text: str) -> None:
        self.counter += 1
        record = ModelRecord(f"r{self.counter}.txt", case_id, text)
        self.model[f"R{self.counter}"] = record
        self.write_file(record)
        self.write_manifest()

    @precondition(lambda self: self.model)
    @rule(data=st.data(), text=texts)
    def modify(self, data: st.DataObject, text: str) -> None:
        record_id = data.draw(st.sampled_from(sorted(self.model)))
        self.model[record_id].text = text
        self.write_file(self.model[record_id])

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        record_id = data.draw(st.sampled_from(sorted(self.model)))
        (self.store / self.model.pop(record_id).path).unlink()
        self.write_manifest()

    @precondition(lambda self: self.model)
    @rule(data=st.data(), case_id=cases)
    def rename_or_move_case(self, data: st.DataObject, case_id: str) -> None:
        record_id = data.draw(st.sampled_from(sorted(self.model)))
        record = self.model[record_id]
        self.counter += 1
        new_path = f"moved{self.counter}.txt"
        (self.store / record.path).rename(self.store / new_path)
        record.path, record.case_id = new_path, case_id
        self.write_manifest()

    @rule()
    def reindex(self) -> None:
        if not (self.store / "manifest.csv").exists():
            self.write_manifest()
        summary = index_store(self.store, self.db)
        assert not summary.failed
        self.indexed = True
        with IndexStore.open_for_reading(self.db) as store:
            stored = store.stored_records()
            first = store.integrity()
        assert set(stored) == set(self.model)
        for record_id, record in self.model.items():
            held = stored[record_id]
            assert held.info.path == record.path and held.info.case_id == record.case_id
            content = (self.store / record.path).read_bytes()
            assert held.content_hash.split("+")[0] == hashlib.sha256(content).hexdigest()
        assert (first.orphan_rows, first.duplicate_rows) == (0, 0)
        again = index_store(self.store, self.db)
        assert (again.added, again.changed, again.removed) == (0, 0, 0)
        assert again.unchanged == len(self.model)
        with IndexStore.open_for_reading(self.db) as store:
            assert store.integrity() == first

    @invariant()
    def no_working_copy_left_after_a_run(self) -> None:
        if self.indexed:
            assert not self.db.with_name(self.db.name + ".next").exists()


StoreMachine.TestCase.settings = settings(
    max_examples=8, stateful_step_count=8, deadline=None, derandomize=True
)
TestStoreMachine = StoreMachine.TestCase
