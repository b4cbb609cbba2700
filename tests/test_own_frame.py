"""Two unrelated families with a child and a mother of the same first names,
and plans written in the same stock sentences (judge._own_frame).

Only records with a "Kacper" share a shingle over the stock words beside
that name, so in another Kacper family's plan those words looked like that
record's own wording: the receiving family's new plan, in the same stock
sentences with its own figures, was flagged as a copy of it (a fourteenth
blind generator's neighbours: 17 such false flags over two seeds). The same
plan with the other family's figures kept is still that family's.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from test_match import cross_case, index_family_notes, run_check

from provenance.align import exact_runs
from provenance.candidates import Candidates
from provenance.config import CheckParams
from provenance.details import detail_weights
from provenance.names import word_marks
from provenance.shingle import word_ids
from provenance.store import RecordWords

PLAN = (
    "Review of the child protection plan. What is working well: {child} has a good "
    "relationship with {his} nan, who lives nearby and has {child} every Saturday and most "
    "school holidays. {mother} has started the Freedom Programme and has attended {sessions} "
    "of 12 sessions, and she says the group has helped her to see how the arguments at home "
    "affect {child} at school. {mother} has told us she wants things to be different and has "
    "started to work with {worker} on a safety plan for the home. What we are worried about: "
    "{child} has missed {days} days of school this term and {mother} has not taken {him} to "
    "{his} last two dental appointments. Everyone named in the plan is expected to do what "
    "they have agreed, and the core group will meet at least every six weeks to check "
    "progress and review the plan."
)
FAMILIES = [  # (child, his, him, mother, worker); C-3100 and C-3104 have the same names
    ("Kacper", "his", "him", "Agnieszka", "Rebecca Lomax"),
    ("Lily", "her", "her", "Donna", "Andrew Tennant"),
    ("Mason", "his", "him", "Kelly", "Sarah Ramsbottom"),
    ("Ava", "her", "her", "Shannon", "Rebecca Lomax"),
    ("Kacper", "his", "him", "Agnieszka", "Andrew Tennant"),
    ("Riley", "his", "him", "Gemma", "Sarah Ramsbottom"),
    ("Ellie", "her", "her", "Nasreen", "Rebecca Lomax"),
    ("Jayden", "his", "him", "Chantelle", "Andrew Tennant"),
]
# C-3104's own record so far: a visit note naming its Kacper and Agnieszka.
VISIT = (
    "Home visit. Agnieszka let me in and Kacper showed me his room, which was tidy. "
    "Agnieszka said the boiler had been fixed and that Kacper is sleeping better. We "
    "talked about the nursery place and the health visitor's next appointment. Everyone "
    "named in the plan is expected to do what they have agreed, and the core group will "
    "meet at least every six weeks to check progress and review the plan."
)


def _plan(family: tuple[str, str, str, str, str], sessions: int, days: int) -> str:
    child, his, him, mother, worker = family
    return PLAN.format(
        child=child, his=his, him=him, mother=mother, worker=worker, sessions=sessions, days=days
    )


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = [_plan(family, 3 + n, 4 + n) for n, family in enumerate(FAMILIES)]
    texts[4] = VISIT
    return index_family_notes(tmp_path_factory.mktemp("plans"), "plans", 31, "plan", 3, texts)


def test_the_familys_own_plan_in_another_same_named_familys_sentences_is_clean(
    plans: Path,
) -> None:
    own_plan = _plan(FAMILIES[4], sessions=9, days=2)
    result = run_check(plans, own_plan, "C-3104")
    assert result.verdict == "clean", cross_case(result)


def test_two_names_either_side_of_a_full_stop_are_no_full_name() -> None:
    """ "... affect Kacper. Agnieszka has told us": the family writes both
    names, and another family's record writes "Kacper Agnieszka" together,
    but across a full stop they are two of the family's own people, not a
    full name it never writes (details.detail_weights)."""
    text = "the arguments affect Kacper. Agnieszka has told us"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    starts, ends = (np.array(side, dtype=np.int64) for side in zip(*spans, strict=True))
    ids = word_ids([text[a:b].lower() for a, b in spans])
    records = [  # the family's own note, then another family's
        "Kacper showed me his room and Agnieszka said he sleeps better",
        "a card from Kacper Agnieszka and the twins",
    ]
    words = [
        RecordWords(
            rec=n,
            ids=word_ids(record.lower().split()),
            starts=np.zeros(len(record.split()), dtype=np.int64),
            ends=np.zeros(len(record.split()), dtype=np.int64),
        )
        for n, record in enumerate(records)
    ]
    found = Candidates(
        records=[],
        words=words,
        runs=exact_runs(np.zeros(0, dtype=np.uint32), [w.ids for w in words], 3),
        shingle_words=3,
    )
    _, _, unfamiliar, familiar, _ = detail_weights(
        found, ids, ([0, 1], 2), word_marks(text, starts, ends), CheckParams()
    )
    at = [text[a:b] for a, b in spans].index("Kacper")
    assert familiar[at] and familiar[at + 1]
    assert not unfamiliar[at] and not unfamiliar[at + 1]


def test_that_familys_plan_with_its_figures_kept_is_still_its_copy(plans: Path) -> None:
    copied = _plan(FAMILIES[0], sessions=3, days=4)  # C-3100's plan, word for word
    result = run_check(plans, copied, "C-3104")
    assert [case for case, _ in cross_case(result)] == ["C-3100"]
