"""Figures that belong to one family: a child's weight, a sum of money, a crime
reference, an NHS number; and one that does not: a school attendance percentage.

A health visitor's note or a chronology row is stock wording filled in: the
same "presents as low in mood" or "notice seeking possession served" turns up
in many families' records, and with the names cut to initials or swapped for
the receiving family's, a weight or the rent arrears may be all that is left of
the family it was copied from. All names and figures here are fictional.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import FILLER
from test_match import cross_case, in_own_letter, index_family_notes, run_check

from provenance import match, names, sources
from provenance.candidates import find_candidates
from provenance.config import CheckParams
from provenance.details import number_cases
from provenance.holders import Holders
from provenance.names import (
    amount_words,
    grouped_number_starts,
    measurement_starts,
    reference_numbers,
)
from provenance.normalize import split_words
from provenance.store import IndexStore

HV_NOTE = (
    "HV home visit. {mother} presents as low in mood and says she is not sleeping at night. "
    "{child} weighs {weight} (25th centile). He has eczema that is badly infected on both "
    "arms and {mother} says she forgot the last two appointments at the clinic."
)
FAMILIES = (  # C-8300 is the family the note is copied from; C-8301 receives it
    ("Lacey", "Warren", "10.8kg"),
    ("Shona", "Tyler", "12.3kg"),
    ("Kerry", "Mason", "9.6kg"),
    ("Dawn", "Reggie", "11.1kg"),
    ("Toni", "Alfie", "13.4kg"),
    ("Jade", "Kai", "8.7kg"),
)


@pytest.fixture
def weights_store(tmp_path: Path) -> Path:
    """Six families' health visitor notes: the same stock note, each with its own
    names and its child's weight."""
    texts = [
        f"Health visitor note. {HV_NOTE.format(mother=m, child=c, weight=w)} {FILLER}"
        for m, c, w in FAMILIES
    ]
    return index_family_notes(tmp_path, "weights", 83, "health", 6, texts)


def test_a_weight_makes_a_stock_note_another_familys(
    weights_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C-8300's note with the receiving family's names put in: every sentence is
    stock wording five other families' notes hold, the names are the receiving
    family's own; only the weight is C-8300's."""
    copied = HV_NOTE.format(mother="Shona", child="Tyler", weight="10.8kg")
    document = in_own_letter(copied)
    own = document.replace("10.8kg", "12.3kg")  # the receiving family's own child
    # Without the rule, nothing in the note says whose it is.
    found_only_through(
        monkeypatch, "measurement_starts", weights_store, (document, own), ("C-8301", "C-8300")
    )


def found_only_through(
    monkeypatch: pytest.MonkeyPatch,
    rule: str,
    db_path: Path,
    texts: tuple[str, str | None],
    cases: tuple[str, str],
) -> None:
    """The document of `texts`, checked for `cases[0]`'s family, is flagged as
    `cases[1]`'s; the other text (that family's own details put in; None: not
    tried) is clean; and with the rule (`names.<rule>`, which marks the words
    that tell) marking nothing, so is the document."""
    (document, own), (receiving, source) = texts, cases
    assert [case for case, _ in cross_case(run_check(db_path, document, receiving))] == [source]
    if own is not None:
        assert run_check(db_path, own, receiving).verdict == "clean"
    # Every such rule takes the text, then the words (or their starts) first.
    nothing = lambda text, words, *_: np.zeros(len(words), dtype=bool)  # noqa: E731
    monkeypatch.setattr(names, rule, nothing)
    assert run_check(db_path, document, receiving).verdict == "clean"


def marked(rule: Callable[..., np.ndarray], text: str) -> list[str]:
    """The words of `text` that `rule` (names.measurement_starts, amount_words) marks."""
    words = split_words(text)
    flags = rule(text, words.starts, words.ends)
    return [text[s:e] for s, e, flag in zip(words.starts, words.ends, flags, strict=True) if flag]


def test_what_starts_a_measurement() -> None:
    assert marked(
        measurement_starts, "Weighs 19.4kg, 98.5 cm tall; gave 2.5 ml and 1.75 litres."
    ) == [
        "19",
        "98",
        "2",
        "1",
    ]
    # Clock times, bare figures, dotted dates, section numbers, versions, money.
    assert (
        marked(measurement_starts, "At 4.47pm on 04.05.2026 (4.5.26), BAC 0.8, section 3.2 in v2.1")
        == []
    )
    assert (
        marked(measurement_starts, "Rent arrears of £1,250.50 and 3.2 in the plan; 1.2.3 kg") == []
    )
    assert marked(measurement_starts, "") == []
    # Percentages: families share them by chance (test_an_attendance_figure_...).
    assert marked(measurement_starts, "Attendance 74.1%, 84.3 per cent, 90.2percent, 87%") == []
    assert marked(measurement_starts, "2.5 percentage points; 12.5 pints") == []


ATTENDANCE = (  # the receiving family C-8701 writes it of its own child
    "Attendance this academic year is {percent} with {sessions} sessions of unauthorised absence. "
    "The class teacher has noticed that she comes in wearing the same uniform all week."
)
# Each family's own figures; C-8700's 71.5% is also the receiving child's this term.
PERCENTAGES = ("71.5%", "81.6%", "74.6%", "81.1%", "74.8%", "88.1%")
SESSIONS = ("5", "16", "9", "12", "7", "3")


@pytest.fixture
def attendance_store(tmp_path: Path) -> Path:
    """Six families whose school reports are one stock sentence, each with its
    own child's attendance."""
    texts = [
        f"School report. {ATTENDANCE.format(percent=p, sessions=n)} {FILLER}"
        for p, n in zip(PERCENTAGES, SESSIONS, strict=True)
    ]
    return index_family_notes(tmp_path, "attendance", 87, "school_report", 9, texts)


def test_an_attendance_figure_another_family_has_too_is_not_theirs(
    attendance_store: Path,
) -> None:
    """A percentage to a decimal place comes from a few hundred figures, so
    two families' school reports share one by chance: the receiving family's
    own stock sentence with its child's 71.5% is not C-8700's. (Counted as a
    family's figure, as a weight is, it flagged eleven receiving families'
    own attendance sentences on a blind generator's store.)"""
    document = in_own_letter(ATTENDANCE.format(percent="71.5%", sessions="22"))
    assert run_check(attendance_store, document, "C-8701").verdict == "clean"


SHORT_NOTES = (  # C-8500's sentence is copied; C-8501 receives it; Evie is in three families
    "Evie weighs 19.4kg (9th centile). She has asthma and uses a brown and blue inhaler.",
    "Lola weighs 12.1kg (25th centile). She has glue ear and missed two appointments.",
    "Evie weighs 16.4kg (2nd centile). She has asthma and uses a brown and blue inhaler.",
    "Ruby weighs 19.2kg (50th centile). She has asthma and uses a brown and blue inhaler.",
    "Evie weighs 11.4kg (9th centile). She has asthma and uses a brown and blue inhaler.",
    "Kai weighs 19.8kg (75th centile). He has asthma and uses a brown and blue inhaler.",
)


@pytest.fixture
def short_weights_store(tmp_path: Path) -> Path:
    texts = [f"Health visitor contact. {note} {FILLER}" for note in SHORT_NOTES]
    return index_family_notes(tmp_path, "short-weights", 85, "health", 6, texts)


def test_one_sentence_with_another_childs_weight_is_a_copy(
    short_weights_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16 words: a first name three families use, a stock sentence five
    families' notes hold, and the weight, which only C-8500's note holds, though
    other weights hold its "19" and its "4kg". The weight's two words count as
    that family's name, 3 details each, as a surname only it uses would: at one
    each, the sentence fell short of the bar."""
    document = in_own_letter(SHORT_NOTES[0])
    found_only_through(
        monkeypatch,
        "measurement_starts",
        short_weights_store,
        (document, None),
        ("C-8501", "C-8500"),
    )


ROWS = (  # C-8600's row is copied; C-8601 receives it
    "03/02/2025: Kestrel Homes: arrears of £2,426; notice seeking possession served.",
    "11/03/2025: Kestrel Homes: arrears of £1,183; notice seeking possession served.",
    "19/02/2025: Kestrel Homes: arrears of £947; notice seeking possession served.",
    "27/01/2025: Kestrel Homes: arrears of £3,612; notice seeking possession served.",
    "08/03/2025: Kestrel Homes: arrears of £1,459; notice seeking possession served.",
    "14/02/2025: Kestrel Homes: arrears of £2,071; notice seeking possession served.",
)
NOISE = " Neighbour complaints about loud music until the early hours of the morning."


@pytest.fixture
def arrears_store(tmp_path: Path) -> Path:
    texts = [f"Chronology. {row}{NOISE} {FILLER}" for row in ROWS]
    return index_family_notes(tmp_path, "arrears", 86, "chronology", 8, texts)


def test_rent_arrears_to_the_pound_are_another_familys(
    arrears_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pasted chronology row, 13 words: stock wording six families'
    chronologies hold, a date, and the arrears, which only C-8600's records hold."""
    document = in_own_letter(ROWS[0])
    own = document.replace("£2,426", "£1,183")  # the receiving family's own arrears
    found_only_through(
        monkeypatch, "amount_words", arrears_store, (document, own), ("C-8601", "C-8600")
    )


def test_which_words_are_a_sum_of_money() -> None:
    assert marked(amount_words, "Arrears £2,426; owes $ 1,251 and €37.50, rent £668pcm.") == [
        "2",
        "426",
        "1",
        "251",
        "37",
        "50",
        "668pcm",
    ]
    # Round sums recur by chance; figures without a currency sign are no sum.
    assert marked(amount_words, "Cash of £60, arrears of £3,300, 2,426 days, £.") == []


POLICE_LINE = (  # C-8800's line is copied; C-8801 receives it
    "Police shared a notification under crime reference NK/25/{ref} after a neighbour "
    "reported shouting and a door being smashed at the address late in the evening."
)
REFERENCES = ("880555", "314159", "271828", "161803", "662607", "141421")


@pytest.fixture
def police_store(tmp_path: Path) -> Path:
    texts = [f"Police notification. {POLICE_LINE.format(ref=r)} {FILLER}" for r in REFERENCES]
    return index_family_notes(tmp_path, "crime-refs", 88, "police", 10, texts)


def test_a_crime_reference_makes_a_stock_police_line_another_familys(
    police_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every word of the line but the reference is stock wording six families'
    notifications hold in that order; the reference is C-8800's alone."""
    document = in_own_letter(POLICE_LINE.format(ref="880555"))
    own = document.replace("880555", "314159")  # the receiving family's own reference
    found_only_through(
        monkeypatch, "reference_numbers", police_store, (document, own), ("C-8801", "C-8800")
    )


HEALTH_LINE = (  # C-8900's line is copied; C-8901 receives it
    "The GP practice confirmed under NHS number {nhs} that the child has missed two hearing "
    "appointments and the eight-month development review with the health visitor."
)
# Every group recurs in other families' numbers; only C-8900 has the whole of its own.
NHS_NUMBERS = ("485 777 3456", "485 612 3456", "943 777 3456", "485 777 1188", "943 612 1188")


@pytest.fixture
def nhs_store(tmp_path: Path) -> Path:
    texts = [f"Health update. {HEALTH_LINE.format(nhs=n)} {FILLER}" for n in NHS_NUMBERS]
    return index_family_notes(tmp_path, "nhs-numbers", 89, "health", 11, texts)


def test_an_nhs_number_makes_a_stock_health_line_another_familys(
    nhs_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The number written in its three groups: each group alone is a short
    figure other families' records hold too ("485", "777", "3456")."""
    document = in_own_letter(HEALTH_LINE.format(nhs=NHS_NUMBERS[0]))
    own = document.replace(NHS_NUMBERS[0], NHS_NUMBERS[1])  # the receiving family's own
    found_only_through(
        monkeypatch, "grouped_number_starts", nhs_store, (document, own), ("C-8901", "C-8900")
    )


def test_which_numbers_are_written_as_nhs_numbers() -> None:
    assert marked(grouped_number_starts, "NHS 485 777 3456 and 943-476-5919.") == ["485", "943"]
    # Phone numbers, other groupings, and figures inside longer numbers are not.
    others = (
        "0161 496 0000, 020 796 0958, +44 161 496 0000, 12 345 6789, 1485 777 3456, 485 777 34567"
    )
    assert marked(grouped_number_starts, others) == []


def test_which_words_are_long_numbers() -> None:
    assert marked(reference_numbers, "Ref NK/25/880555; NHS 4857773456; crime 01/556677/26") == [
        "880555",
        "4857773456",
        "556677",
    ]
    # Phone numbers are not: made-up ones come from a few thousand, and a duty line is shared.
    phones = "tel 07700900123, 01632 960818, (0161) 4960123, +44 7700 900456, 0113-4960999"
    assert marked(reference_numbers, phones) == []
    # Dates, times, sums and short figures are not references.
    assert marked(reference_numbers, "On 12/06/2016 at 10.30am, £12,500, 2024, 12345") == []


def test_the_context_of_one_records_region_is_never_reused_for_anothers(
    weights_store: Path,
) -> None:
    """Two families' notes align over the same span of the copied note, one
    covering the weight and one not. Which words are template in context must
    be worked out for each: reusing the first one's answer made the weight
    test above pass or fail with the order candidates were ranked in, which
    the index's random key decides (it failed for about one key in eight)."""
    copied = HV_NOTE.format(mother="Shona", child="Tyler", weight="10.8kg")
    document = in_own_letter(copied)
    with IndexStore.open_for_reading(weights_store) as store:
        query = match._query_of(store, split_words(document))
        found = find_candidates(store, query.ids, CheckParams(), None)
        hits, shared = sources.aligned_hits(
            found, query.ids, list(range(len(found.records))), CheckParams()
        )
        case_of_source, cases = number_cases([r.info.case_id for r in found.records], "C-8301")

        def holders() -> Holders:
            return Holders.of(shared, case_of_source, cases, len(query.ids), found.shingle_words)

        note_starts = query.starts.searchsorted(document.index("HV home visit"))
        source, other = (
            next(
                h.region
                for h in hits
                if h.record.info.case_id == case and h.region.query_start == note_starts
            )
            for case in ("C-8300", "C-8302")
        )
        assert (source.query_start, source.query_end) == (other.query_start, other.query_end)
        assert not np.array_equal(source.covered, other.covered)
        reused = holders()
        reused.in_context(other, 3, 4)
        for got, fresh in zip(
            reused.in_context(source, 3, 4), holders().in_context(source, 3, 4), strict=True
        ):
            assert np.array_equal(got, fresh)
