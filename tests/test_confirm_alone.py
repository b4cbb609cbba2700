"""A flagged passage is checked again on its own (match._confirmed_alone).

A check's candidates are capped and ranked by the rare bands they share with
the text, so in a document with much that is distinctive the records that
share only a standard paragraph can fall below the cap; the one or two left
made the paragraph look like their case's. All names here are fictional.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from test_match import cross_case, index_notes, run_check

from provenance import CheckParams, Match, match

STANDARD = (  # every family's MARAC minutes hold it word for word
    "The Multi-Agency Risk Assessment Conference process was explained and it was agreed "
    "that the threshold for a referral would be kept under review by the police and the "
    "independent domestic violence adviser service."
)
VOCABULARY = (  # words to draw distinct paragraphs from
    "allotment", "bicycle", "canal", "dentist", "envelope", "ferry", "garage", "harbour",
    "invoice", "jigsaw", "kettle", "lantern", "meadow", "notebook", "orchard", "parcel",
    "quarry", "ribbon", "saddle", "teapot", "umbrella", "violin", "wardrobe", "yoghurt",
    "zebra", "anchor", "biscuit", "candle", "daisy", "engine", "feather", "glacier", "hammock",
    "island", "jacket", "kayak", "ladder", "magnet", "napkin", "otter", "pebble", "quilt",
    "raft", "satchel", "tunnel",
)  # fmt: skip


def own_paragraph(seed: int) -> str:
    """A paragraph of words in an order no other record has."""
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCABULARY) for _ in range(90)).capitalize() + "."


@pytest.fixture
def marac_store(tmp_path: Path) -> Path:
    """C-9100's three notes share nothing with anyone; eight other families'
    MARAC minutes each hold the standard paragraph beside their own words."""
    notes = [("C-9100", f"note{n}", f"2026-03-1{n}", own_paragraph(n)) for n in range(3)]
    notes += [
        (f"C-91{n:02d}", "marac", f"2026-04-{n + 10}", f"{own_paragraph(100 + n)} {STANDARD}")
        for n in range(1, 9)
    ]
    return index_notes(tmp_path, "marac", notes)


def test_a_standard_paragraph_below_the_candidate_cap_is_still_template(
    marac_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With four candidates, the receiving family's three notes fill three
    places and one family's minutes the last: the paragraph looked like that
    family's alone. Checked on its own, its candidates are the minutes that
    hold it, and eight families hold it: template text."""
    document = "\n\n".join([*(own_paragraph(n) for n in range(3)), STANDARD])
    capped = CheckParams(max_candidate_records=4)
    assert cross_case(run_check(marac_store, document, "C-9100", capped)) == []
    # Without the second look, the cap decides (this is what the test guards).
    monkeypatch.setattr(match, "_confirmed_alone", lambda *args: args[-1].matches)
    assert [case for case, _ in cross_case(run_check(marac_store, document, "C-9100", capped))]


def test_a_copy_checked_on_its_own_is_still_a_copy(
    marac_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A family's own words copied into another's document hold when checked
    alone, and a check whose candidates were not capped needs no second look."""
    copied = own_paragraph(103)  # C-9103's minutes
    document = "\n\n".join([own_paragraph(0), copied, own_paragraph(1)])
    looked: list[int] = []
    second_look = match._confirmed_alone

    def counted(*args: Any) -> list[Match]:
        looked.append(1)
        return second_look(*args)

    monkeypatch.setattr(match, "_confirmed_alone", counted)
    capped = CheckParams(max_candidate_records=3)  # its own two notes and C-9103's
    assert [case for case, _ in cross_case(run_check(marac_store, document, "C-9100", capped))] == [
        "C-9103"
    ]
    assert looked == [1]
    assert [case for case, _ in cross_case(run_check(marac_store, document, "C-9100"))] == [
        "C-9103"
    ]
    assert looked == [1]  # eleven records, all candidates: nothing left out to look for


def test_a_standard_paragraph_cleared_beside_a_copy_stays_template(
    marac_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside C-9103's copied paragraph, the standard paragraph looked like
    C-9103's alone among three candidates, and the second look cleared it;
    a family's sentences beside its copy (beside.beside_copies) must not
    make it that family's again."""
    copied = own_paragraph(103)  # C-9103's minutes, where the standard paragraph follows
    own = [own_paragraph(n) for n in range(3)]
    between = "We met at the school on a wet morning and talked about the timetable and the bus."
    document = "\n\n".join([*own, copied, between, STANDARD])
    capped = CheckParams(max_candidate_records=4)  # its own three notes and C-9103's
    flagged = cross_case(run_check(marac_store, document, "C-9100", capped))
    assert flagged == [("C-9103", copied.rstrip("."))], flagged
