"""The shipped sample corpus shows what the tool is for: the incident is caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance import check_file, index_store

CORPUS = Path(__file__).resolve().parent.parent / "sample_corpus"
OUTGOING = CORPUS / "outgoing"


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("corpus") / "sample.duckdb"
    summary = index_store(CORPUS / "store", db_path)
    assert summary.added >= 40 and summary.failed == ()
    return db_path


@pytest.mark.parametrize("name", ["plan_C-1004_incident.txt", "plan_C-1004_disguised.docx"])
def test_the_incident_and_its_disguise_are_leaks_from_the_neighbours_case(
    corpus_index: Path, name: str
) -> None:
    result = check_file(OUTGOING / name, "C-1004", corpus_index).result
    leaks = [m for m in result.matches if m.status == "cross_case"]
    assert result.verdict == "leak"
    assert [m.source.case_id for m in leaks] == ["C-1003"]
    assert leaks[0].source.kind == "strategy_meeting"
    assert "Linnet Close" in leaks[0].text


def test_the_clean_plan_is_clean(corpus_index: Path) -> None:
    result = check_file(OUTGOING / "plan_C-1004_clean.txt", "C-1004", corpus_index).result
    assert result.verdict == "clean"
    assert {m.status for m in result.matches} <= {"same_case", "boilerplate"}
