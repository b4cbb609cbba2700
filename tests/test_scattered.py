"""A copied paragraph cut in two, its halves placed paragraphs apart.

Each half is under min_words and names no one, so neither is a copy on its
own; in the other family's record the halves abut, and spliced back together
they are that record's paragraph (scattered.py, judge.scattered_matches).
All names and places here are fictional.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import FILLER, RunCli
from test_match import OWN_AFTER, OWN_BEFORE, cross_case, index_family_notes, run_check

from provenance.align import SharedWords
from provenance.normalize import split_words
from provenance.scattered import Pieces, SentenceCuts, scattered_pieces
from tests.serving import make_docx

HOME_VISITS = (  # one unusual home visit per family: no names, nothing any other family has
    "The kitchen ceiling had come down after the upstairs bath overflowed and the family "
    "were living in the front room with the baby sleeping in a drawer lined with towels, "
    "while the landlord argued with the insurer about who should pay for the plasterer.",
    "Three ferrets were kept loose in the back bedroom and had chewed through the cable of "
    "the electric heater, so the boys slept in their coats under a tarpaulin that the "
    "uncle had fixed over the broken skylight with parcel tape and two bricks.",
    "A caravan on the drive held most of the furniture while the floors were treated for "
    "woodworm, and the twins had been sharing a camp bed beside the washing machine, "
    "which leaked onto the lino every time the spin cycle started after midnight.",
    "The allotment shed had become a den where the older girl stored vodka bottles under "
    "the seed trays, and the neighbour on the next plot had twice found a pushchair left "
    "there overnight with a wet blanket folded inside and the padlock broken.",
)
OWN_PARAGRAPHS = (
    "The school nurse has agreed to see her each week and to pass on any concerns about "
    "her eating to the designated safeguarding lead without waiting for the next meeting.",
    "Her mother said that she would like help with budgeting and has been given the number "
    "of the advice service at the library, which holds a drop-in session on Wednesdays.",
)


@pytest.fixture
def visits_store(tmp_path: Path) -> Path:
    """C-8400 ... C-8403: one home visit note each; C-8401 is the receiving family."""
    texts = [f"Home visit note. {visit} {FILLER}" for visit in HOME_VISITS]
    return index_family_notes(tmp_path, "visits", 84, "home_visit", 5, texts)


def _halves(paragraph: str) -> tuple[str, str]:
    words = paragraph.split()
    middle = len(words) // 2
    return " ".join(words[:middle]), " ".join(words[middle:])


def _apart(first: str, second: str) -> str:
    """The two pieces as paragraphs of their own, the receiving family's own
    paragraphs between them."""
    return "\n\n".join([OWN_BEFORE, first, *OWN_PARAGRAPHS, second, OWN_AFTER, FILLER])


def test_another_familys_paragraph_cut_in_two_and_placed_apart_is_found(
    visits_store: Path,
) -> None:
    first, second = _halves(HOME_VISITS[0])
    assert max(len(first.split()), len(second.split())) < 25  # each under min_words
    result = run_check(visits_store, _apart(first, second), "C-8401")
    found = cross_case(result)
    assert [case for case, _ in found] == ["C-8400", "C-8400"]
    # Each match is its piece (the second takes in the next word too: "The"
    # follows "plasterer." in the record and in the text).
    assert found[0][1] == first
    assert found[1][1].startswith(second) and len(found[1][1][len(second) :].split()) <= 1
    assert result.verdict == "leak"


def test_a_docx_with_the_halves_as_paragraphs_apart_is_blocked_by_the_cli(
    visits_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    """The real pre-send path: a Word document read by the extractor, whose
    paragraphs must keep the cut showing (a paragraph ending with no full stop)."""
    first, second = _halves(HOME_VISITS[3])
    draft = make_docx(
        tmp_path / "plan.docx", [OWN_BEFORE, first, *OWN_PARAGRAPHS, second, OWN_AFTER]
    )
    checked = run_cli("check", draft, "--case", "C-8401", "--db", visits_store)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "C-8403" in checked.stdout


def test_pieces_in_a_later_window_of_a_long_document_are_found(visits_store: Path) -> None:
    """A text over 6,000 words is checked window by window; where each window's
    words show a cut is worked out once for the whole text and sliced."""
    first, second = _halves(HOME_VISITS[0])
    padding = [f"Week {week}. {OWN_PARAGRAPHS[week % 2]}" for week in range(260)]
    text = "\n\n".join([*padding, _apart(first, second)])
    assert len(text.split()) > 7_000  # the pieces sit past the first window
    found = cross_case(run_check(visits_store, text, "C-8401"))
    assert [case for case, _ in found] == ["C-8400", "C-8400"]


def test_the_pieces_in_the_other_order_are_found_too(visits_store: Path) -> None:
    first, second = _halves(HOME_VISITS[2])
    found = cross_case(run_check(visits_store, _apart(second, first), "C-8401"))
    assert [case for case, _ in found] == ["C-8402", "C-8402"]


def test_either_piece_alone_is_not_a_copy(visits_store: Path) -> None:
    """The rule is what finds them: half a paragraph with no name is no copy."""
    first, second = _halves(HOME_VISITS[0])
    for piece in (first, second):
        text = "\n\n".join([f"{OWN_BEFORE} {piece}", *OWN_PARAGRAPHS, OWN_AFTER])
        assert cross_case(run_check(visits_store, text, "C-8401")) == []


def test_the_receiving_familys_own_paragraph_cut_in_two_is_no_leak(visits_store: Path) -> None:
    first, second = _halves(HOME_VISITS[1])
    result = run_check(visits_store, _apart(first, second), "C-8401")
    assert result.verdict == "clean"


def test_pieces_from_two_families_are_not_joined(visits_store: Path) -> None:
    """Halves of two families' paragraphs abut in neither record."""
    first, _ = _halves(HOME_VISITS[0])
    _, second = _halves(HOME_VISITS[3])
    assert cross_case(run_check(visits_store, _apart(first, second), "C-8401")) == []


def _shared(regions: list[tuple[int, int, int, int, int]]) -> SharedWords:
    """SharedWords of one-part regions: (source, query start, query end,
    source start, source end) each."""
    table = np.array(regions, dtype=np.int64).reshape(-1, 5)
    count = len(table)
    words = [np.arange(start, end) for start, end in table[:, 1:3].tolist()]
    return SharedWords(
        source=table[:, 0],
        part_region=np.arange(count, dtype=np.int64),
        part_start=table[:, 1],
        part_end=table[:, 2],
        part_source_start=table[:, 3],
        part_source_end=table[:, 4],
        word_region=np.concatenate(
            [np.full(len(w), n, dtype=np.int64) for n, w in enumerate(words)]
        ),
        word=np.concatenate(words).astype(np.int64),
    )


def _pieces(
    regions: list[tuple[int, int, int, int, int]], cuts: SentenceCuts | None = None
) -> list[Pieces]:
    everywhere = np.ones(300, dtype=bool)
    return scattered_pieces(
        _shared(regions),
        cuts or SentenceCuts(everywhere, everywhere),
        min_piece=8,
        min_words=25,
        max_joint=4,
    )


def test_pieces_that_abut_in_the_record_pair_up_in_the_records_order() -> None:
    # The record's second piece comes first in the text.
    pairs = _pieces([(0, 100, 115, 15, 30), (0, 10, 25, 0, 15)])
    assert pairs == [Pieces((10, 25), (100, 115))]
    assert pairs[0].positions().tolist() == [*range(10, 25), *range(100, 115)]


def test_pieces_far_apart_in_the_record_or_too_small_do_not_pair() -> None:
    assert _pieces([(0, 10, 25, 0, 15), (0, 100, 115, 40, 55)]) == []  # 25 words apart there
    assert _pieces([(0, 10, 30, 0, 20), (0, 100, 106, 20, 26)]) == []  # a 6-word piece
    assert _pieces([(0, 10, 22, 0, 12), (0, 100, 112, 12, 24)]) == []  # 24 words together
    assert _pieces([(0, 10, 25, 0, 15), (1, 100, 115, 15, 30)]) == []  # two records


def test_rarer_pieces_come_first() -> None:
    """A span many records align with exactly (a standard paragraph) abuts
    something in each of them; a pair of rarer spans is tried first."""
    standard = [(source, 200, 260, 50, 110) for source in range(1, 6)]
    before_standard = [(source, 150, 170, 30, 50) for source in range(1, 6)]
    rare = [(0, 10, 25, 0, 15), (0, 100, 115, 15, 30)]
    pairs = _pieces([*standard, *before_standard, *rare])
    assert pairs[0] == Pieces((10, 25), (100, 115))
    assert Pieces((150, 170), (200, 260)) in pairs


def test_pieces_pair_up_only_where_the_text_cuts_a_sentence_short() -> None:
    regions = [(0, 10, 25, 0, 15), (0, 100, 115, 15, 30)]
    nowhere = np.zeros(300, dtype=bool)
    assert _pieces(regions, SentenceCuts(nowhere, nowhere)) == []
    first_open = nowhere.copy()
    first_open[24] = True  # the first piece's last word ends a paragraph, no full stop
    assert _pieces(regions, SentenceCuts(first_open, nowhere)) != []
    second_lower = nowhere.copy()
    second_lower[100] = True  # the second piece starts a sentence in lower case
    assert _pieces(regions, SentenceCuts(nowhere, second_lower)) != []


def test_sentence_cuts_of_a_text() -> None:
    text = (
        "The visit was on Monday and the\n\nOwn paragraph here. "
        "baby was asleep.\nNext line ends open\n\n\u201cquoted start\u201d and more."
    )
    words = split_words(text)
    cuts = SentenceCuts.of(text, words.starts, words.ends)
    shown = [text[s:e] for s, e in zip(words.starts.tolist(), words.ends.tolist(), strict=True)]
    assert [w for w, cut in zip(shown, cuts.open_end.tolist(), strict=True) if cut] == [
        "the",
        "open",
    ]
    assert [w for w, cut in zip(shown, cuts.lower_start.tolist(), strict=True) if cut] == [
        "baby",
        "quoted",
    ]
