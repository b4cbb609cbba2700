"""People named together: a stock sentence whose names each recur in several
families, but only one family's records name them all.

In a store of many families first names recur, and so do the stock sentences
of case notes, names and all: each word of "Maisie completed a three houses
exercise with me, placing Yvonne and Mandy ..." is template text in context,
held by several families' records. Only one family names the three of them
together. All names here are fictional.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import FILLER
from test_match import cross_case, in_own_letter, index_family_notes, run_check

from provenance import CheckParams, details, judge, together
from provenance.details import HOUSEHOLD_CASES
from provenance.shingle import word_ids

HOUSES = (
    "{child} completed a three houses exercise with me, placing {first} in her house of good "
    "things and {second} in her house of worries."
)
CHILDREN = ("Maisie", "Tilly", "Keira", "Ava", "Esme", "Nancy", "Orla", "Skye", "Thea", "Zara")
FIRSTS = ("Yvonne", "Gail", "Lorna", "Bev", "Tina", "Pam", "Rhoda", "Jackie", "Dawn", "Sheila")
SECONDS = (
    "Mandy",
    "Wendy",
    "Carol",
    "Joan",
    "Elaine",
    "Hazel",
    "Irene",
    "Lesley",
    "Moira",
    "Olive",
)
FAMILIES = 40  # C-8400 ... C-8439
# C-8440 and C-8441 are C-8402's siblings' cases; C-8442 ... C-8445 name C-8407's three too.
SIBLINGS = ("C-8402", "C-8440", "C-8441")
ALSO_NAMING = {FAMILIES: 2, FAMILIES + 1: 2} | {FAMILIES + 2 + n: 7 for n in range(HOUSEHOLD_CASES)}


def _pooled(family: int, pools: tuple[Sequence[str], ...]) -> tuple[str, str, str]:
    """Family n's three details, one from each pool of ten: each fills its
    place in four of forty families' sentences, and no two families share two."""
    row, column = divmod(family, 10)
    first, second, third = pools
    return first[column], second[(column + row) % 10], third[(column + 2 * row) % 10]


def _names(family: int) -> tuple[str, str, str]:
    """Family n's child and the two adults in her houses (`_pooled`). The
    cases past the forty (`ALSO_NAMING`) name another's three."""
    return _pooled(ALSO_NAMING.get(family, family), (CHILDREN, FIRSTS, SECONDS))


def _houses(child: str, first: str, second: str) -> str:
    return HOUSES.format(child=child, first=first, second=second)


SOURCE, RECEIVING = "C-8400", "C-8405"  # Maisie, Yvonne, Mandy; Nancy, Pam, Hazel


@pytest.fixture(scope="module")
def houses_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty-six cases' notes, each the same three houses sentence with its own names."""
    cases = FAMILIES + len(ALSO_NAMING)
    texts = [f"Direct work. {_houses(*_names(n))} {FILLER}" for n in range(cases)]
    return index_family_notes(tmp_path_factory.mktemp("houses"), "houses", 84, "work", 5, texts)


def test_the_store_names_each_person_in_four_families() -> None:
    """What the tests below rely on: every name recurs in its place, no pair does."""
    named = [_names(n) for n in range(FAMILIES)]
    for place, pool in enumerate((CHILDREN, FIRSTS, SECONDS)):
        for name in pool:
            assert sum(names[place] == name for names in named) == 4
    for first, second in itertools.combinations(range(3), 2):
        assert len({(names[first], names[second]) for names in named}) == FAMILIES
    assert not set(_names(0)) & set(_names(5))
    assert not set(_names(2)) & set(_names(5))


def test_three_people_only_one_family_names_together_are_that_familys(
    houses_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = _houses(*_names(0))
    found = cross_case(run_check(houses_store, in_own_letter(copied), RECEIVING))
    assert [case for case, _ in found] == [SOURCE]
    assert "Maisie completed a three houses exercise" in found[0][1]
    # Name by name, in context, the sentence is template: four families each.
    nobody = lambda hits, *_: [None] * len(hits)  # noqa: E731
    monkeypatch.setattr(judge, "names_together", nobody)
    assert run_check(houses_store, in_own_letter(copied), RECEIVING).verdict == "clean"


def test_a_short_sentence_naming_them_is_found_too(houses_store: Path) -> None:
    """Under min_words: found as a short copy."""
    copied = (
        "Maisie completed a three houses exercise with me, placing Yvonne in her house of "
        "good things and Mandy in hers."
    )
    found = cross_case(run_check(houses_store, in_own_letter(copied), RECEIVING))
    assert [case for case, _ in found] == [SOURCE]


def test_people_a_siblings_case_names_too_are_that_households(houses_store: Path) -> None:
    """Siblings have cases of their own that name the same people: C-8402's
    three are named together by its siblings' two cases too, a household's
    paragraph in each child's case, and still no other family's."""
    copied = _houses(*_names(2))
    found = cross_case(run_check(houses_store, in_own_letter(copied), RECEIVING))
    assert found and {case for case, _ in found} <= set(SIBLINGS)


def test_a_households_cases_count_as_one_when_a_passage_is_looked_up_alone(
    houses_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the candidates capped, a flagged passage is looked up again on
    its own (match._confirmed_alone): the three siblings' cases and the
    receiving one hold it word for word, as many as a standard paragraph's
    holders, but the three are one household."""
    copied = in_own_letter(_houses(*_names(2)))
    capped = CheckParams(max_candidate_records=20)
    found = cross_case(run_check(houses_store, copied, RECEIVING, capped))
    assert found and {case for case, _ in found} <= set(SIBLINGS)
    monkeypatch.setattr(judge, "household_naming", lambda found, ids, named: [])
    assert run_check(houses_store, copied, RECEIVING, capped).verdict == "clean"


def test_people_more_cases_name_together_say_nothing(houses_store: Path) -> None:
    """C-8407's three are named together by four more cases: more than a
    household's, so no one family's people."""
    copied = _houses(*_names(7))
    assert run_check(houses_store, in_own_letter(copied), RECEIVING).verdict == "clean"


def test_two_common_names_one_family_happens_to_share_stay_clean(houses_store: Path) -> None:
    """The receiving family's own new note names a child and a grandmother
    its records never named, whom one other family (C-8400) names together
    too: each name is in four families of forty-one, so the families would
    name the pair together about 0.4 times by chance. Not enough to say whose."""
    own = _houses("Maisie", "Yvonne", "Hazel")
    assert run_check(houses_store, in_own_letter(own), RECEIVING).verdict == "clean"


def test_a_service_and_a_street_are_no_one() -> None:
    """A run of names with an ordinary word in it ("Eastmere Clinic") names
    no one; a full name and its first name alone are one person."""
    ids = np.array([10, 11, 0, 12, 13, 0, 10, 0, 14], dtype=np.uint32)
    keys = np.array([10, 11, 12, 13, 14])
    ordinary = np.array([False, False, False, True, False])  # 13: "Clinic"
    held = together._Holdings(keys, ordinary, np.zeros((0, 2)), np.ones((1, len(keys)), bool))
    group = together._people(np.array([0, 1, 3, 4, 6, 8]), ids, held, [])
    assert group.people == [(0, 1), (4,)]  # columns of 10 and 11, and of 14
    assert group.positions.tolist() == [0, 1, 6, 8]
    nobody = together._people(np.zeros(0, dtype=np.int64), ids, held, [])
    assert nobody.people == [] and len(nobody.positions) == 0  # all a street's words


def test_a_full_name_with_one_unfamiliar_word_is_someone_new() -> None:
    """ "Amy Okafor disclosed that Ryan Pilling keeps her bank card": the
    receiving family has a Mrs Okafor and a Ryan of its own, but neither
    Amy Okafor nor Ryan Pilling; each full name is one person, and the
    family's own Ryan on his own is no one new."""
    words = [
        "Amy",
        "Okafor",
        "disclosed",
        "that",
        "Ryan",
        "Pilling",
        "keeps",
        "her",
        "card",
        "and",
        "Ryan",
    ]
    names = np.array([word[0].isupper() for word in words])
    unfamiliar = np.isin(words, ["Amy", "Pilling"])
    hit = SimpleNamespace(
        record=SimpleNamespace(info=SimpleNamespace(case_id="C-2")),
        region=SimpleNamespace(covered=np.arange(len(words))),
    )
    no_dates = np.zeros((0, 2), dtype=np.int64)
    plain = (np.zeros(len(words), dtype=bool), np.zeros(len(words), dtype=np.int64))
    close = together._close_details
    groups = close(hit, (names, unfamiliar), no_dates, plain, "C-1")  # type: ignore[arg-type]
    assert [(group.tolist(), dates, runs) for group, dates, runs in groups] == [
        ([0, 1, 4, 5], [], [])
    ]
    assert close(hit, (names, unfamiliar), no_dates, plain, "C-2") == []  # type: ignore[arg-type]


def test_a_long_list_of_people_takes_no_pairs() -> None:
    """A register of hundreds of names would be tens of thousands of pairs;
    past `_MAX_PAIRED` people the estimate is the plain product, which is
    negligible there anyway."""
    people = [(key,) for key in range(together._MAX_PAIRED + 1)]
    holds = np.ones((4, len(people)), dtype=bool)
    holds[1:, 0] = holds[1:, 1] = False  # the first two named together, by one case
    record_case = np.arange(4)
    assert together._chance(people, holds, record_case) == pytest.approx(4 * 0.25 * 0.25)
    # With fewer people, that pair's joint share (1 of 4) stands in for both shares.
    assert together._chance(people[:3], holds, record_case) == pytest.approx(4 * 0.25)


# Dates: a stock police line whose child's name and two dates each recur in four
# families' records, as a day's arrests do, while one family holds the three together.
BAIL = (
    "{child} was arrested on {arrested} and released on bail on {bailed}; the CPS have not "
    "yet made a charging decision."
)
ARRESTED = tuple(f"{day} March 2026" for day in (2, 5, 6, 9, 11, 13, 17, 19, 23, 26))
BAILED = tuple(f"{day} April 2026" for day in (1, 3, 7, 8, 14, 16, 20, 22, 27, 29))


def _bail(family: int) -> str:
    """Family n's line: its child, arrest and bail dates (`_pooled`)."""
    child, arrested, bailed = _pooled(family, (CHILDREN, ARRESTED, BAILED))
    return BAIL.format(child=child, arrested=arrested, bailed=bailed)


def _forty_notes(
    factory: pytest.TempPathFactory,
    name: str,
    heading: str,
    line: Callable[[int], str],
    series: int = 84,
) -> Path:
    """An index of one note per family, C-{series}00 to C-{series}39: the
    heading, the family's `line` and filler."""
    texts = [f"{heading} {line(n)} {FILLER}" for n in range(FAMILIES)]
    return index_family_notes(factory.mktemp(name), name, series, name, 5, texts)


@pytest.fixture(scope="module")
def bail_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty cases' notes, each the same police line with its own child and dates."""
    return _forty_notes(tmp_path_factory, "bail", "Police update.", _bail)


def test_a_child_and_two_dates_only_one_family_holds_together_are_that_familys(
    bail_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Maisie, 2 March and 1 April are each in four families' lines; only
    C-8400 holds all three: about 0.1 families would by chance."""
    copied = _bail(0)
    found = cross_case(run_check(bail_store, in_own_letter(copied), RECEIVING))
    assert [case for case, _ in found] == [SOURCE]
    assert "2 March 2026" in found[0][1]
    # Without the dates the line is template text: one pooled name.
    monkeypatch.setattr(judge, "date_spans", lambda ids, key: np.zeros((0, 2), dtype=np.int64))
    monkeypatch.setattr(judge, "pooled_words", lambda others, cases, names: names & False)
    assert run_check(bail_store, in_own_letter(copied), RECEIVING).verdict == "clean"


def test_a_child_and_a_date_another_family_happens_to_share_stay_clean(bail_store: Path) -> None:
    """The receiving family's own line names a Maisie on a day four families'
    lines have, one of them with a Maisie too: by chance, about 0.4."""
    own = BAIL.format(child="Maisie", arrested=ARRESTED[0], bailed="30 April 2026")
    assert run_check(bail_store, in_own_letter(own), RECEIVING).verdict == "clean"


def test_dates_are_a_month_with_its_day_or_year() -> None:
    """Written as normalize.split_words writes them: "04/05/2026" is "4 may 2026"."""
    words = "on 4th september 2020 at 16 december 2020 she may go in march friday 4 august"
    words += " since march 2024"
    key = b"k" * 32
    ids = np.asarray(word_ids(words.split(), key), dtype=np.uint32)
    spans = [" ".join(words.split()[s : s + n]) for s, n in details.date_spans(ids, key)]
    assert spans == ["4th september 2020", "16 december 2020", "4 august", "march 2024"]


# A day's event: a stock visit note whose date and two observations each recur in
# four families' notes, drawn from pools as case notes' observations are.
VISIT = "During the visit on {day} the social worker noted {first} and {second}."
VISIT_DAYS = tuple(f"{day} June 2026" for day in (2, 4, 8, 10, 12, 16, 18, 22, 24, 26))
SEEN = (
    "dog mess on the kitchen floor",
    "a mattress on the bare boards",
    "mouldy bread in the bread bin",
    "a broken window taped with cardboard",
    "cigarette ends in a cereal bowl",
    "wet washing heaped on the stairs",
    "an empty fridge with the door open",
    "a padlock on the bedroom door",
    "a smell of cannabis in the hallway",
    "a cot full of soiled clothes",
)
ALSO_SEEN = (
    "piles of unwashed clothes on the landing",
    "nappies that had not been changed",
    "no bulbs in the upstairs lights",
    "bin bags stacked against the back door",
    "a dog cage in the living room",
    "takeaway boxes across the sofa",
    "a hole punched in the bathroom door",
    "no sheets on the children's beds",
    "a fireguard missing from the gas fire",
    "dirty bottles in the sink",
)


def _visit(family: int, day: str | None = None, second: str | None = None) -> str:
    """Family n's visit note (`_pooled`), or with another day or second observation."""
    own_day, first, own_second = _pooled(family, (VISIT_DAYS, SEEN, ALSO_SEEN))
    return VISIT.format(day=day or own_day, first=first, second=second or own_second)


@pytest.fixture(scope="module")
def visits_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty cases' notes, each the same visit note with its own day and observations."""
    return _forty_notes(tmp_path_factory, "visits", "Home visit.", _visit, series=85)


def test_a_day_and_two_observations_only_one_family_holds_together_are_that_familys(
    visits_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2 June, dog mess and piles of clothes are each in four families'
    notes; only C-8500 holds the three: a copy of that family's visit."""
    found = cross_case(run_check(visits_store, in_own_letter(_visit(0)), "C-8505"))
    assert [case for case, _ in found] == ["C-8500"]
    # The observations alone are one pooled clue each: the date is one too.
    monkeypatch.setattr(judge, "pooled_words", lambda others, cases, names: names & False)
    assert run_check(visits_store, in_own_letter(_visit(0)), "C-8505").verdict == "clean"


def test_the_same_observations_on_another_day_are_no_ones(visits_store: Path) -> None:
    """The receiving family's own visit, on its own day, saw what C-8500's
    did: pooled observations say whose a day's event is, not whose a family is."""
    own = _visit(0, day="30 June 2026")
    assert run_check(visits_store, in_own_letter(own), "C-8505").verdict == "clean"


def test_a_day_and_one_observation_another_family_shares_stay_clean(visits_store: Path) -> None:
    """C-8500's day and first observation, with a second no one wrote: four
    families each, one of them both; about 0.5 by chance."""
    own = _visit(0, second="a child's bike in the hallway")
    assert run_check(visits_store, in_own_letter(own), "C-8505").verdict == "clean"


def test_pooled_words_count_from_a_dates_sentence_on() -> None:
    """ "Pushed him by the car. On 4 May dog mess on the floor. Piles of
    clothes": the first sentence is another account than the day's."""
    words = ["pushed", "him", "car", "on", "4", "may", "dog", "mess", "floor", "piles", "clothes"]
    pooled = np.isin(words, ["pushed", "car", "dog", "mess", "floor", "piles", "clothes"])
    sentences = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2])
    hit = SimpleNamespace(
        record=SimpleNamespace(info=SimpleNamespace(case_id="C-2")),
        region=SimpleNamespace(covered=np.arange(len(words))),
    )
    no_names = np.zeros(len(words), dtype=bool)
    dates = np.array([[4, 2]])  # "4 may"
    groups = together._close_details(hit, (no_names, no_names), dates, (pooled, sentences), "C-1")  # type: ignore[arg-type]
    assert [(dates, [run.tolist() for run in runs]) for _, dates, runs in groups] == [
        ([0], [[6, 7, 8], [9, 10]])
    ]
