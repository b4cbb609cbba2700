"""The check finds copied passages, disguised or not, with exact spans, and
classifies them: cross_case (leak), same_case, boilerplate."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from provenance.config import CheckParams
from provenance.errors import UnknownCaseError
from provenance.match import check_text, find_origin
from provenance.models import CheckResult
from provenance.store import IndexStore
from tests.conftest import CASE_STORIES, LEAK_PARAGRAPH, TEMPLATE

OWN_BEFORE = (
    "Ruby has a good relationship with her grandmother, who collects her from school on "
    "Tuesdays and Thursdays and has offered to have her stay during the holidays."
)
OWN_AFTER = (
    "The core group agreed that the youth worker will meet Ruby weekly at the community "
    "centre and that her mother will attend the online safety session for parents."
)


def run_check(db_path: Path, text: str, case_id: str = "C-1004") -> CheckResult:
    with IndexStore.open_for_reading(db_path) as store:
        return check_text(store, text, "draft.txt", case_id, CheckParams())


def cross_case(result: CheckResult) -> list[tuple[str, str]]:
    return [(m.source.case_id, m.text) for m in result.matches if m.status == "cross_case"]


def leak_inside_own_paragraph(copied: str) -> str:
    """The copy sits inside one paragraph of the receiving case's own text."""
    return "\n\n".join([TEMPLATE, f"{OWN_BEFORE} {copied} {OWN_AFTER}", CASE_STORIES["C-1004"]])


# A 40-word slice of the leaked paragraph: enough to identify the other child.
SHORT_COPY = " ".join(LEAK_PARAGRAPH.split()[8:48])
DISGUISES = {
    "verbatim": LEAK_PARAGRAPH,
    "rewrapped": textwrap.fill(LEAK_PARAGRAPH, width=37),
    "punctuation and case": LEAK_PARAGRAPH.upper().replace(",", ";").replace("'", "’"),
    "name replaced": LEAK_PARAGRAPH.replace("Kayden", "Tyler").replace("Dean Holt", "Carl Webb"),
    "word inserted": LEAK_PARAGRAPH.replace("which he said", "which he later said"),
    "invisible characters": LEAK_PARAGRAPH.replace("Linnet", "Lin\u200bnet").replace(
        "Constabulary", "Consta\u00adbulary"
    ),
    "look-alike letters": LEAK_PARAGRAPH.replace("a", "\u0430").replace("o", "\u03bf"),
    "short copy of 40 words": SHORT_COPY,
}


@pytest.mark.parametrize("disguise", DISGUISES)
def test_disguised_copy_inside_a_paragraph_is_a_cross_case_leak(
    indexed_store: Path, disguise: str
) -> None:
    copied = DISGUISES[disguise]
    document = leak_inside_own_paragraph(copied)
    result = run_check(indexed_store, document)
    assert result.verdict == "leak"
    leaks = [m for m in result.matches if m.status == "cross_case"]
    assert len(leaks) == 1, "one copied passage is reported as one match"
    match = leaks[0]
    assert match.source.case_id == "C-1003"
    assert match.source.record_id == "C-1003-SM"
    # The reported span is exact text of the document, inside the copy.
    assert document[match.start : match.end] == match.text
    copy_start, copy_end = document.index(copied), document.index(copied) + len(copied)
    # Within one word of the copy's edges: a shared 3-word run may take in the
    # neighbouring word when it happens to be the same in both texts.
    slack = 12
    assert copy_start - slack <= match.start and match.end <= copy_end + slack
    overlap = min(match.end, copy_end) - max(match.start, copy_start)
    assert overlap >= 0.8 * len(copied)


def test_source_span_points_at_the_copied_text_in_the_record(
    indexed_store: Path, small_store: Path
) -> None:
    result = run_check(indexed_store, leak_inside_own_paragraph(LEAK_PARAGRAPH))
    (match,) = [m for m in result.matches if m.status == "cross_case"]
    record_text = (small_store / match.source.path).read_text(encoding="utf-8")
    source_text = record_text[match.source.start : match.source.end]
    assert source_text.startswith(LEAK_PARAGRAPH.rstrip("."))
    assert len(source_text.split()) <= len(LEAK_PARAGRAPH.split()) + 1


def test_template_text_shared_by_many_cases_is_boilerplate_not_a_leak(indexed_store: Path) -> None:
    result = run_check(indexed_store, "\n\n".join([TEMPLATE, OWN_BEFORE, OWN_AFTER]))
    assert result.verdict == "clean"
    assert [m.status for m in result.matches] == ["boilerplate"]


def test_reuse_within_the_case_is_same_case(indexed_store: Path) -> None:
    result = run_check(indexed_store, "\n\n".join([OWN_BEFORE, CASE_STORIES["C-1004"]]))
    assert result.verdict == "clean"
    assert [(m.status, m.source.case_id) for m in result.matches] == [("same_case", "C-1004")]


def test_the_same_leak_sent_to_its_own_case_is_not_a_leak(indexed_store: Path) -> None:
    document = "\n\n".join([TEMPLATE, f"{OWN_BEFORE} {LEAK_PARAGRAPH} {OWN_AFTER}"])
    result = run_check(indexed_store, document, "C-1003")
    assert result.verdict == "clean"
    assert "same_case" in {m.status for m in result.matches}


def test_unrelated_text_has_no_matches(indexed_store: Path) -> None:
    result = run_check(indexed_store, OWN_BEFORE + " " + OWN_AFTER)
    assert result.matches == ()


def test_a_phrase_shorter_than_the_minimum_is_not_a_match(indexed_store: Path) -> None:
    phrase = "attended school with a bruise to his upper left arm"
    result = run_check(indexed_store, f"{OWN_BEFORE} {phrase} {OWN_AFTER}")
    assert cross_case(result) == []


def test_unknown_case_is_refused(indexed_store: Path) -> None:
    with pytest.raises(UnknownCaseError, match="C-9999"):
        run_check(indexed_store, LEAK_PARAGRAPH, "C-9999")


def test_origin_lists_holders_earliest_first(indexed_store: Path) -> None:
    with IndexStore.open_for_reading(indexed_store) as store:
        hits = find_origin(store, TEMPLATE, CheckParams())
    dates = [hit.source.date for hit in hits]
    assert len(hits) == 10
    assert dates == sorted(dates)
    with IndexStore.open_for_reading(indexed_store) as store:
        (hit,) = find_origin(
            store, "Dean Holt was charged on 2 March 2026 with assault", CheckParams()
        )
    assert hit.source.record_id == "C-1003-SM"
