"""Cases the manifest links as one family (families.py), through the real CLI.

The same store is indexed twice: with the manifest's `family` column and
without it. Each test asserts both, so it fails if the link does nothing.

- Two siblings' cases: a paragraph of the younger sibling's record in the
  older one's plan is that family's own text (`same_family`, exit 0) when the
  cases are linked, and another case's (exit 1) when not.
- A household of five children with a case each: its paragraph, in all five
  cases, reads as template text unless the five count as one holder; copied
  into the neighbours' letter it is a leak, reported with the sibling's own
  case id.
- The nightly scan reports a record reusing a linked sibling's text only
  when the cases are not linked.

All names, case numbers and addresses are fictional.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TEMPLATE, RunCli, write_store

from provenance import CheckParams, index_store
from provenance.match import check_text
from provenance.store import IndexStore

HOUSEHOLD = [f"C-77{n:02d}" for n in range(1, 6)]  # five siblings, one case each
PAIR = ["C-7801", "C-7802"]  # two siblings
REUSING_PAIR = ["C-7811", "C-7812"]  # two siblings, the younger's plan reusing the elder's
NEIGHBOURS = "C-7901"
HOUSEHOLD_PARAGRAPH = (
    "On 14 September 2025 Harrowby Constabulary attended 27 Tanner Row after a neighbour "
    "reported shouting; Kerry Lomax had a cut above her eye and said that Darren Lomax had "
    "thrown a mug at her. Darren Lomax was arrested and later released under investigation, "
    "and the five children were seen by the officers before they left."
)
ELDER_SIBLING_PARAGRAPH = (
    "Kian Ormondroyd was seen at home by the duty social worker on 2 October 2025 and said "
    "that his stepfather Lewis Baptiste locks the back bedroom when he goes out, so Kian "
    "and his sister have to use a bucket until Lewis Baptiste comes home after midnight."
)
YOUNGER_SIBLING_PARAGRAPH = (
    "Alfie Quarmby told his teacher at Brookfold Primary that he sleeps in the same bed as "
    "his mum because the bedroom window will not shut, and that his brother takes him to "
    "school when she is too tired to get up in the morning."
)
OLDER_SIBLING_STORY = (
    "Jake Quarmby has been late to Brookfold Academy on eleven mornings this half term and "
    "his form tutor has arranged a weekly meeting with him to talk about home."
)
FILLER_FAMILIES = [  # (child, carer, place, worry): one case each, none linked
    ("Poppy Sandal", "Janine Sandal", "Hollin Street", "has missed her asthma reviews"),
    ("Reece Tandy", "Marcus Tandy", "Orchard Way", "was left alone overnight"),
    ("Esme Garforth", "Lydia Garforth", "Weaver Close", "has a bruise on her cheek"),
    ("Harvey Oddie", "Sonia Oddie", "Cobden Terrace", "is not registered with a dentist"),
    ("Lola Pickles", "Ryan Pickles", "Minster View", "was found in a stranger's car"),
    ("Zac Illingworth", "Dawn Illingworth", "Heath Rise", "has stopped eating at school"),
    ("Nadia Fitton", "Omar Fitton", "Bank Top", "was excluded for carrying a knife"),
    ("Owen Pratley", "Gemma Pratley", "Mill Hey", "sleeps on the sofa in his coat"),
    ("Ivy Shackleton", "Paula Shackleton", "Ridge Lane", "is caring for her grandmother"),
]


def _filler_text(child: str, carer: str, place: str, worry: str) -> str:
    return (
        f"{child} of {place} {worry}, and {carer} agreed at the meeting to let the health "
        f"visitor see the whole house next week. {child.split()[0]} said the worst thing at "
        f"home is when {carer.split()[0]} goes out at night and does not say where."
    )


def _records() -> list[dict[str, str]]:
    records: list[dict[str, str]] = []

    def add(case_id: str, family: str, number: int, body: list[str]) -> None:
        records.append(
            {
                "path": f"{case_id}/record-{number}.txt",
                "case_id": case_id,
                "record_id": f"{case_id}-{number}",
                "kind": "strategy_meeting",
                "date": f"2025-10-{10 + number:02d}",
                "title": "Strategy meeting",
                "family": family,
                "text": "\n\n".join([TEMPLATE, *body]),
            }
        )

    for number, case_id in enumerate(HOUSEHOLD):
        story = f"Child {number + 1} of the Lomax family was seen alone by the social worker."
        add(case_id, "LOMAX-27TR", 1, [HOUSEHOLD_PARAGRAPH, story])
    add(PAIR[0], "QUARMBY", 1, [OLDER_SIBLING_STORY])
    add(PAIR[1], "QUARMBY", 1, [YOUNGER_SIBLING_PARAGRAPH])
    add(REUSING_PAIR[0], "ORMONDROYD", 1, [ELDER_SIBLING_PARAGRAPH])
    add(REUSING_PAIR[1], "ORMONDROYD", 2, ["The plan for Kian's sister.", ELDER_SIBLING_PARAGRAPH])
    add(NEIGHBOURS, "", 1, [_filler_text("Maisie Dunford", "Tara Dunford", "Tanner Row", "")])
    for number, family in enumerate(FILLER_FAMILIES):
        add(f"C-79{number + 10}", "", 1, [_filler_text(*family)])
    return records


@pytest.fixture(scope="module")
def indexes(stores: dict[str, Path]) -> dict[str, Path]:
    """The store indexed with its family column ("linked") and without ("unlinked")."""
    built = {}
    for name, store in stores.items():
        built[name] = store.parent / f"{name}.duckdb"
        index_store(store, built[name])
    return built


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The store with its manifest's family column ("linked") and without ("unlinked")."""
    root = tmp_path_factory.mktemp("families")
    return {
        name: write_store(root / f"store-{name}", _records(), extra_columns=columns)
        for name, columns in (("linked", ("family",)), ("unlinked", ()))
    }


def _check(run_cli: RunCli, index: Path, text: str, case_id: str) -> tuple[int, dict]:
    document = index.parent / f"letter-{case_id}.txt"
    document.write_text(text, encoding="utf-8")
    done = run_cli("check", document, "--case", case_id, "--db", index, "--json")
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _over(result: dict, passage: str, text: str) -> list[dict]:
    start = text.index(passage)
    end = start + len(passage)
    return [m for m in result["matches"] if m["start"] < end and start < m["end"]]


def test_a_siblings_paragraph_is_the_familys_own_when_linked(
    indexes: dict[str, Path], run_cli: RunCli
) -> None:
    letter = (
        "Dear Ms Quarmby, this letter sets out the plan agreed for Jake at the meeting.\n\n"
        f"{YOUNGER_SIBLING_PARAGRAPH}\n\nWe will meet again in six weeks."
    )
    code, result = _check(run_cli, indexes["linked"], letter, PAIR[0])
    assert code == 0 and result["verdict"] == "clean"
    found = _over(result, YOUNGER_SIBLING_PARAGRAPH, letter)
    assert [m["status"] for m in found] == ["same_family"]
    assert found[0]["source"]["case_id"] == PAIR[1]  # the sibling's own case, told

    code, result = _check(run_cli, indexes["unlinked"], letter, PAIR[0])
    assert code == 1
    assert [m["status"] for m in _over(result, YOUNGER_SIBLING_PARAGRAPH, letter)] == ["cross_case"]


def test_a_large_households_paragraph_is_one_familys_text(
    indexes: dict[str, Path], run_cli: RunCli
) -> None:
    letter = (
        "Dear Ms Dunford, thank you for meeting the social worker last week.\n\n"
        f"{HOUSEHOLD_PARAGRAPH}\n\nPlease call the duty desk if anything changes."
    )
    code, result = _check(run_cli, indexes["linked"], letter, NEIGHBOURS)
    assert code == 1 and result["verdict"] == "leak"
    found = _over(result, HOUSEHOLD_PARAGRAPH, letter)
    assert [m["status"] for m in found] == ["cross_case"]
    assert found[0]["source"]["case_id"] in HOUSEHOLD

    # Unlinked, five cases hold it word for word: as many as hold a template.
    code, result = _check(run_cli, indexes["unlinked"], letter, NEIGHBOURS)
    assert code == 0
    assert {m["status"] for m in _over(result, HOUSEHOLD_PARAGRAPH, letter)} == {"boilerplate"}


def test_the_table_names_the_linked_family(indexes: dict[str, Path], run_cli: RunCli) -> None:
    letter = f"Plan for Jake.\n\n{YOUNGER_SIBLING_PARAGRAPH}\n"
    document = indexes["linked"].parent / "plan-jake.txt"
    document.write_text(letter, encoding="utf-8")
    done = run_cli("check", document, "--case", PAIR[0], "--db", indexes["linked"], "--all")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "same family" in done.stdout and PAIR[1] in done.stdout
    html = indexes["linked"].parent / "plan-jake.html"
    run_cli("check", document, "--case", PAIR[0], "--db", indexes["linked"], "--html", html)
    page = html.read_text(encoding="utf-8")
    assert "From a case linked to this one as one family" in page
    assert "1 from a case linked to it as one family" in page


def test_the_nightly_scan_leaves_a_linked_siblings_text_alone(
    stores: dict[str, Path], run_cli: RunCli, tmp_path: Path
) -> None:
    linked = run_cli("scan", stores["linked"], "--db", tmp_path / "linked.duckdb", "--quiet")
    assert linked.returncode == 0, linked.stdout + linked.stderr
    unlinked = run_cli("scan", stores["unlinked"], "--db", tmp_path / "unlinked.duckdb")
    assert unlinked.returncode == 1, unlinked.stdout + unlinked.stderr
    assert REUSING_PAIR[0] in unlinked.stdout and REUSING_PAIR[1] in unlinked.stdout


def test_the_index_run_says_which_cases_it_links(
    stores: dict[str, Path], run_cli: RunCli, tmp_path: Path
) -> None:
    linked = run_cli("index", stores["linked"], "--db", tmp_path / "linked.duckdb")
    assert linked.returncode == 0, linked.stdout + linked.stderr
    assert "The manifest links 9 cases as 3 families" in " ".join(linked.stdout.split())
    unlinked = run_cli("index", stores["unlinked"], "--db", tmp_path / "unlinked.duckdb")
    assert unlinked.returncode == 0 and "links" not in unlinked.stdout


def test_a_column_naming_a_team_links_no_cases(tmp_path: Path) -> None:
    """Fourteen cases under one "family" value are no household (a team's
    name, a school's): linking them would hide a leak between them."""
    records = [
        {
            "path": f"C-76{number:02d}/note.txt",
            "case_id": f"C-76{number:02d}",
            "record_id": f"C-76{number:02d}-1",
            "kind": "case_note",
            "date": "2025-11-03",
            "title": "Case note",
            "family": "Team 3" if number else "n/a",
            "text": _filler_text(*FILLER_FAMILIES[number % len(FILLER_FAMILIES)]).replace(
                "next week", f"on the {number + 2}th"
            ),
        }
        for number in range(14)
    ]
    store = write_store(tmp_path / "store", records, extra_columns=("family",))
    summary = index_store(store, tmp_path / "index.duckdb")
    assert summary.linked_cases == 0
    assert any("'Team 3' takes in 13 cases" in problem.reason for problem in summary.warnings)
    with IndexStore.open_for_reading(tmp_path / "index.duckdb") as index:
        result = check_text(index, records[2]["text"], "letter", "C-7601", CheckParams())
    assert result.verdict == "leak"
    # C-7611's note is C-7602's with another date: either is the other case.
    sources = {m.source.case_id for m in result.matches if m.status == "cross_case"}
    assert sources and sources <= {"C-7602", "C-7611"}
