"""Running headers and footers of a PDF are written once after the pages, so
that a passage running across a page break reads (and is caught) as one copy.

All names, case numbers and addresses are fictional.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from provenance import index_store
from provenance.api import check_file
from provenance.extract import extract_text
from provenance.extract.running_lines import running_key, separate_running_lines
from tests.conftest import write_store

HEADER = "Child Protection Plan - CONFIDENTIAL"
REFERENCE = "Case ref AC70020"
OTHER_FAMILY = (
    "Ellis Varga, aged nine, told his teacher at Thornbury Primary that his stepfather "
    "Marcus Pell locked him in the garden shed overnight after an argument about homework. "
    "Ellis had scratches to both wrists and said he was frightened to go home to 6 Priory "
    "Mews. Westmoor Police attended the same evening and Marcus Pell was arrested on "
    "suspicion of child cruelty and released on bail to live elsewhere."
)
OWN_SENTENCES = [
    "Dear Ms Quill, thank you for meeting with me at the family centre on Tuesday.",
    "We talked about how Juniper has settled into her new nursery and the friends she has made.",
    "You said that mornings are easier now that the bus timetable has changed.",
    "The health visitor will call next month to check Juniper's hearing once more.",
    "Your housing officer has agreed to look at the damp in the back bedroom.",
    "We also discussed the parenting course that starts at the library in the autumn.",
    "You told me that your sister helps with the school run on Wednesdays and Fridays.",
    "Juniper showed me the drawings she made of the ducks at the park near your flat.",
    "I explained that the core group will meet again before the review conference.",
    "Please let me know if the time of the next visit does not suit you.",
    "The nursery keyworker described Juniper as cheerful, curious and kind to others.",
    "Your GP surgery has sent a reminder about the booster vaccinations due this year.",
]
VOCABULARY = (
    "worker visited family home spoke parent routines meals bedtimes school attendance "
    "actions meeting reviewed progress noted nursery health visitor housing garden park "
    "library course sister grandmother bus timetable morning evening weekend holiday "
    "drawing friends keyworker surgery reminder review conference support plan agreed "
    "weekly centre session cheerful curious kind settled quiet tired hungry"
)


class Letter(FPDF):
    """A letter printed to PDF: a two-line running header and a page footer."""

    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 5, HEADER, new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 5, REFERENCE, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


def letter() -> Letter:
    pdf = Letter()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    return pdf


def flat(text: str) -> str:
    return " ".join(text.split())


def page_texts(path: Path) -> list[str]:
    """pypdf's own reading, page by page: what the extractor started from."""
    return [page.extract_text() for page in PdfReader(path).pages]


def unique_prose(words: int, seed: int) -> str:
    """Words in no repeating pattern, so that no two printed lines are alike."""
    chooser, vocabulary = random.Random(seed), VOCABULARY.split()
    return " ".join(chooser.choice(vocabulary) for _ in range(words)) + "."


def test_a_paragraph_across_page_breaks_reads_as_one_and_the_header_once(
    tmp_path: Path,
) -> None:
    body = unique_prose(1500, seed=3)
    pdf = letter()
    pdf.multi_cell(0, 6, body)
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    assert len(page_texts(path)) == 3

    text = extract_text(path).text

    assert flat(body) in flat(text)
    after_body = flat(text).index(flat(body)) + len(flat(body))
    for running in (HEADER, REFERENCE, "Page 1 of 3"):
        assert flat(text).count(running) == 1
        assert flat(text).index(running) >= after_body
    assert "Page 2 of 3" not in text  # the page number is all a page's footer adds


def test_a_single_page_is_read_as_it_was(tmp_path: Path) -> None:
    pdf = letter()
    pdf.multi_cell(0, 6, " ".join(OWN_SENTENCES))
    path = tmp_path / "letter.pdf"
    pdf.output(str(path))

    assert extract_text(path).text == page_texts(path)[0]


def test_a_line_repeated_in_the_body_stays_where_it_is(tmp_path: Path) -> None:
    repeated = "Agreed action: the social worker will visit every week."
    pdf = letter()
    for page in range(3):
        if page:
            pdf.add_page()
        for line, sentence in enumerate(OWN_SENTENCES[4 * page : 4 * page + 4]):
            if line == 2:
                pdf.cell(0, 6, repeated, new_x="LMARGIN", new_y="NEXT")
            pdf.cell(0, 6, sentence, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "minutes.pdf"
    pdf.output(str(path))

    text = flat(extract_text(path).text)

    for page in range(3):
        first, second, third, fourth = OWN_SENTENCES[4 * page : 4 * page + 4]
        assert flat(f"{first} {second} {repeated} {third} {fourth}") in text
    assert text.count(repeated) == 3
    assert text.count(HEADER) == 1


def test_a_copy_across_the_page_break_is_found_as_one_cross_case_match(
    tmp_path: Path,
) -> None:
    store = write_store(
        tmp_path / "store",
        [
            {
                "path": "C-7001/strategy.txt",
                "case_id": "C-7001",
                "record_id": "C-7001-SM",
                "kind": "strategy_meeting",
                "date": "2026-02-11",
                "title": "Strategy meeting",
                "text": f"Strategy discussion held by phone.\n\n{OTHER_FAMILY}\n\n"
                "Outcome: section 47 enquiries to begin.",
            },
            {
                "path": "C-7002/visit.txt",
                "case_id": "C-7002",
                "record_id": "C-7002-HV",
                "kind": "home_visit",
                "date": "2026-02-20",
                "title": "Home visit",
                "text": "Juniper was asleep when I arrived; her mother made tea and we talked.",
            },
        ],
    )
    db_path = tmp_path / "index.duckdb"
    index_store(store, db_path)
    pdf = letter()
    pdf.multi_cell(0, 6, " ".join(OWN_SENTENCES), new_x="LMARGIN", new_y="NEXT")
    seed = 0
    while pdf.get_y() < pdf.page_break_trigger - 15:  # three lines left on the page
        seed += 1
        pdf.multi_cell(0, 6, unique_prose(12, seed), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, OTHER_FAMILY, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, " ".join(OWN_SENTENCES[:3]), new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "letter.pdf"
    pdf.output(str(path))
    first_page, second_page = page_texts(path)
    assert "Ellis Varga" in first_page and "released on bail" in second_page

    checked = check_file(path, "C-7002", db_path)

    leaks = [match for match in checked.result.matches if match.status == "cross_case"]
    assert [match.source.case_id for match in leaks] == ["C-7001"]
    assert "Ellis Varga" in leaks[0].text and "released on bail" in leaks[0].text


def test_a_reference_with_other_digits_on_one_page_is_kept() -> None:
    pages = [
        "Case ref AC70020\nOne.\nPage 1 of 3",
        "Case ref AC70020\nTwo.\nPage 2 of 3",
        "Case ref AC31337\nThree.\nPage 3 of 3",
    ]

    flow = separate_running_lines(pages)

    assert flow.pages == ("One.", "Two.", "Three.")
    assert flow.running == ("Case ref AC70020", "Page 1 of 3", "Case ref AC31337")


def test_figures_at_the_top_of_a_table_are_not_a_header() -> None:
    pages = ["Plan\n12\nRow one", "Plan\n47\nRow two", "Plan\n3\nRow three"]

    flow = separate_running_lines(pages)

    assert flow.pages == ("12\nRow one", "47\nRow two", "3\nRow three")
    assert flow.running == ("Plan",)


def test_a_bare_page_number_and_blank_pages() -> None:
    pages = ["Body one.\n1", "", "Body three.\n3", "Body four.\n4"]

    flow = separate_running_lines(pages)

    assert flow.pages == ("Body one.", "", "Body three.", "Body four.")
    assert flow.running == ("1",)


LINES = st.sampled_from(
    [
        HEADER,
        REFERENCE,
        "Case ref AC31337",
        "Page 1 of 3",
        "Page 2 of 3",
        "Printed 03/02/2026",
        "12",
        "7",
        "",
        "N/A",
        "The worker visited the family home.",
        "Juniper is settled at nursery.",
    ]
)
PAGES = st.lists(st.lists(LINES, max_size=9).map("\n".join), max_size=6)


def letters(line: str) -> str:
    return re.sub(r"[\d\s]", "", line)


@settings(max_examples=300, deadline=None)
@given(PAGES)
def test_lines_are_only_moved(pages: list[str]) -> None:
    flow = separate_running_lines(pages)

    assert len(flow.pages) == len(pages)
    for before, after in zip(pages, flow.pages, strict=True):
        kept = iter(before.split("\n"))
        assert all(line in kept for line in after.split("\n") if after)  # in order
        moved = [line for line in before.split("\n") if line.strip()]
        for line in after.split("\n"):
            if line in moved:
                moved.remove(line)
        for line in moved:  # taken out: written after the pages, but for a page number
            assert line in flow.running or running_key(line) in map(running_key, flow.running)
            assert letters(line) in map(letters, flow.running)
    if sum(1 for page in pages if page.strip()) < 2:
        assert flow == separate_running_lines(pages) and flow.pages == tuple(pages)
        assert flow.running == ()
