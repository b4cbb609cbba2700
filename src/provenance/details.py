"""How much each word of a checked text says about another family (`detail_weights`).

A word only one other case's candidate records hold, a name the receiving
family never writes, another family's date of birth, home address, child's
weight or rent arrears: each is a detail of that family. Stock wording every
family's notes share is not.
Counted among the check's candidate records (`candidates.Candidates`).
"""

from __future__ import annotations

import functools

import numpy as np

from provenance.arrays import contained_in, distinct, positions_in
from provenance.candidates import Candidates
from provenance.config import CheckParams
from provenance.names import WordMarks
from provenance.normalize import MONTHS
from provenance.shingle import UInt32Array, word_ids

# Most cases one household's records may be filed under: a trust opens a case for
# each child, and the household's paragraphs, with its address, the children's
# dates of birth and the police references, are in every sibling's case.
HOUSEHOLD_CASES = 4


def word_spread(
    found: Candidates, ids: UInt32Array, case_numbers: tuple[list[int], int]
) -> tuple[np.ndarray, np.ndarray]:
    """For each word of the text: how many other cases' candidate records hold
    it, and whether a candidate record of the text's own case holds it.

    Candidates are the records most like the text, so formulaic wording
    ("was seen alone", "tearful", "the social worker") turns up in many of
    them, while another family's surname, a street or a time of arrest
    turns up in one case's records only. Words the text's own case holds are
    no news to its family, however rare. `case_numbers`: each candidate's
    case as a number, the text's own case 0, and how many (`number_cases`).
    """
    query = ids.astype(np.int64)
    if not found.words:
        return np.zeros(len(query), dtype=np.int64), np.zeros(len(query), dtype=bool)
    holds = cases_holding(found, query, case_numbers)
    return holds[1:].sum(axis=0), holds[0]


def cases_holding(
    found: Candidates,
    phrases: np.ndarray,
    case_numbers: tuple[list[int], int],
    written_plain: bool = False,
) -> np.ndarray:
    """holds[case, k]: whether a candidate record of the case holds the words
    `phrases[k]` (a row of word ids: one word, or the two or three of a
    phrase) in that order. The candidates' words are run together
    (`Candidates.joined`), so a phrase may run from one record into the next;
    three words spanning two records are no one's date of birth in practice.
    Only where a phrase's first word stands are keys made of the candidates'
    words, and each phrase is looked up once however often it is asked.

    `written_plain`: only where the phrase's first word is written without a
    capital (`JoinedWords.plain`).
    """
    numbers, cases = case_numbers
    rows = np.asarray(phrases, dtype=np.int64)
    rows = rows[:, None] if rows.ndim == 1 else rows  # single words
    width = rows.shape[1]
    joined = found.joined
    keys = phrase_keys(rows, np.arange(len(rows)))
    distinct_keys = distinct(keys)
    firsts = distinct(rows[:, 0])
    held = np.zeros((cases, len(distinct_keys)), dtype=bool)
    case_of_record = np.asarray(numbers, dtype=np.int64)
    last = len(joined.ids) - width + 1 if len(rows) else 0  # past the last phrase's start
    for low in range(0, max(last, 0), _LOOKUP_BATCH_WORDS):
        high = min(low + _LOOKUP_BATCH_WORDS, last)
        if width == 1:
            at = positions_in(joined.ids[low:high], distinct_keys)
            starts = np.flatnonzero(at >= 0)
            at = at[starts]
            starts += low
        else:
            starts = low + np.flatnonzero(contained_in(joined.ids[low:high], firsts))
            at = positions_in(phrase_keys(joined.ids, starts, width), distinct_keys)
        if written_plain:
            plain = joined.plain[starts]
            starts, at = starts[plain], at[plain]
        present = at >= 0
        held[case_of_record[joined.record[starts[present]]], at[present]] = True
    return held[:, np.searchsorted(distinct_keys, keys)]


# Candidate words looked up at once: bounds a check's arrays where candidate
# records are long (court bundles), as exact_runs' batches do.
_LOOKUP_BATCH_WORDS = 2_000_000
_KEY_FACTORS = (1_000_003, 1_000_033)  # a phrase's key: its words' ids mixed in turn


def phrase_keys(ids: np.ndarray, starts: np.ndarray, width: int | None = None) -> np.ndarray:
    """A key for the `width` words from each of `starts` in a text of word
    ids; or, with `ids` a table of phrases (a row each, no width), a key for
    each row `starts`. Keys of distinct phrases collide only by chance.
    Phrases of up to three words (`_KEY_FACTORS`)."""
    if (width or ids.shape[1]) > len(_KEY_FACTORS) + 1:
        raise ValueError("phrase keys are made of at most three words")
    if width is None:
        columns = [ids[starts, column] for column in range(ids.shape[1])]
    else:
        columns = [ids[starts + column] for column in range(width)]
    key: np.ndarray = columns[0].astype(np.int64)
    for column, factor in zip(columns[1:], _KEY_FACTORS, strict=False):
        key = key * factor + column.astype(np.int64)
    return key


def phrases_at(ids: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """The `width` word ids from each of `starts`, a row each."""
    rows: np.ndarray = ids[starts[:, None] + np.arange(width)]
    return rows


_BIRTH_CUES = ("born", "dob", "birth")  # "born (on) 3 May 2016", "DOB 03/05/2016", "date of birth"
# Words one of which a date has: a month (normalize.split_words writes "03/05/2016" as
# "3 may 2016") or a year.
_YEARS = tuple(str(year) for year in range(1900, 2101))
_DATE_WORDS = (*MONTHS, *_YEARS)


_DAYS = tuple(
    f"{day}{suffix}"
    for day in range(1, 32)
    for suffix in (
        "",
        {1: "st", 21: "st", 31: "st", 2: "nd", 22: "nd", 3: "rd", 23: "rd"}.get(day, "th"),
    )
)


@functools.lru_cache(maxsize=8)
def _date_word_ids(key: bytes) -> np.ndarray:
    return np.asarray(word_ids(_DATE_WORDS, key), dtype=np.int64)


@functools.lru_cache(maxsize=8)
def _calendar_ids(key: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The word ids of days of the month ("4", "4th"), months and years."""

    def ids_of(words: tuple[str, ...]) -> np.ndarray:
        return np.asarray(word_ids(words, key), dtype=np.int64)

    return ids_of(_DAYS), ids_of(MONTHS), ids_of(_YEARS)


def date_spans(ids: UInt32Array, key: bytes) -> np.ndarray:
    """(start, words) of each date in a text of word ids: a month with the
    day before it, the year after it, or both ("4 May 2026", "Friday 4
    August", "since March 2024"; normalize.split_words writes "04/05/2026"
    as "4 may 2026"). A month alone is no date."""
    query = ids.astype(np.int64)
    days, months, years = _calendar_ids(key)
    month_at = np.flatnonzero(np.isin(query, months))
    day_before = np.zeros(len(month_at), dtype=bool)
    year_after = np.zeros(len(month_at), dtype=bool)
    has_before, has_after = month_at > 0, month_at + 1 < len(query)
    day_before[has_before] = np.isin(query[month_at[has_before] - 1], days)
    year_after[has_after] = np.isin(query[month_at[has_after] + 1], years)
    dated = day_before | year_after
    starts = month_at[dated] - day_before[dated]
    widths = 1 + day_before[dated] + year_after[dated]
    return np.stack([starts, widths], axis=1).astype(np.int64)


def words_in(spans: np.ndarray, words: int) -> np.ndarray:
    """The words that spans (start, words), such as `date_spans`, take in, of
    a text of `words` words.

    >>> words_in(np.array([[1, 2], [4, 1]]), 6).astype(int).tolist()
    [0, 1, 1, 0, 1, 0]
    """
    inside = np.zeros(words, dtype=bool)
    for start, width in spans.tolist():
        inside[start : start + width] = True
    return inside


def rare_birth_dates(
    found: Candidates, ids: UInt32Array, case_numbers: tuple[list[int], int], key: bytes
) -> np.ndarray:
    """The words of a date of birth (the three words after "born", "DOB" or
    "birth", an "on" skipped) that one other household's cases' candidate
    records hold (`HOUSEHOLD_CASES` cases at most), and the text's own case
    does not: that other family's child.

    Dates on their own are template ("7", "May", "2016" are in every
    record), so a copied sentence whose only detail of its family is a
    child's first name, which several families use, and a date of birth was
    cleared ("Health records for Rhys, born 14/02/2019, were reviewed ...").
    """
    marked = np.zeros(len(ids), dtype=bool)
    query = ids.astype(np.int64)
    cues = np.flatnonzero(np.isin(query[:-3], word_ids(_BIRTH_CUES, key).astype(np.int64)))
    if len(cues) == 0 or not found.words:
        return marked
    starts = cues + 1
    starts = starts + (query[starts] == int(word_ids(["on"], key)[0]))
    starts = starts[starts + 2 < len(query)]
    # "after the birth of Sophie" is no date: three words with neither a month nor a year.
    dated = np.isin(query[starts[:, None] + np.arange(3)], _date_word_ids(key)).any(axis=1)
    starts = starts[dated]
    return held_by_other_cases(found, query, starts, 3, case_numbers, HOUSEHOLD_CASES)


def rare_places(
    found: Candidates,
    ids: UInt32Array,
    case_numbers: tuple[list[int], int],
    places: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """The two words of an address key (a house number and its street's
    first word) or of a postcode (names.place_starts, `places[0]`) that one
    other household's cases' candidate records hold (`HOUSEHOLD_CASES` at
    most), and of a measurement with a decimal point and a unit
    (names.measurement_starts, `places[1]`) that one other case's hold, and
    the text's own case does not: that other family's home, or its child's
    weight. Weights recur from family to family ("6.5kg"); a house does not.

    Streets, postcodes and schools are shared by neighbours, the families a
    leak like this project's first one goes to; each word of "58 Tinderbox
    Lane, FX1 6ZZ" was template or the receiving family's own, so a copied
    home-visit note with the names cut to initials was cleared.
    """
    homes, measurements = (np.flatnonzero(starts[:-1]) for starts in places)
    starts = np.concatenate([homes, measurements])
    most = np.repeat([HOUSEHOLD_CASES, 1], [len(homes), len(measurements)])
    return held_by_other_cases(found, ids.astype(np.int64), starts, 2, case_numbers, most)


def rare_references(
    found: Candidates,
    ids: UInt32Array,
    case_numbers: tuple[list[int], int],
    references: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """The long numbers (names.reference_numbers: six digits or more), and
    the three words of numbers written as NHS numbers are
    (names.grouped_number_starts), that one other household's cases'
    candidate records hold (`HOUSEHOLD_CASES` at most) and the text's own
    case does not: that family's crime reference or child's NHS number. A
    copied police line whose every other word, the names and the date
    included, four or more families' records hold in that order had only
    its crime reference to say whose it was.
    """
    whole, grouped = references
    query = ids.astype(np.int64)
    most = HOUSEHOLD_CASES
    marked = held_by_other_cases(found, query, np.flatnonzero(whole), 1, case_numbers, most)
    if grouped.any():
        starts = np.flatnonzero(grouped)
        marked |= held_by_other_cases(found, query, starts, 3, case_numbers, most)
    return marked


def held_by_other_cases(
    found: Candidates,
    query: np.ndarray,
    starts: np.ndarray,
    width: int,
    case_numbers: tuple[list[int], int],
    most: int | np.ndarray,
) -> np.ndarray:
    """Marks the `width` words from each of `starts` that at least one and at
    most `most` (for all, or per start) other cases' candidate records hold
    in that order, and the text's own case does not."""
    marked = np.zeros(len(query), dtype=bool)
    if len(starts) == 0 or not found.words:
        return marked  # nothing to look up: no pass over the candidates' words
    inside = starts + width <= len(query)
    starts, most = starts[inside], np.broadcast_to(most, inside.shape)[inside]
    holds = cases_holding(found, phrases_at(query, starts, width), case_numbers)
    others = holds[1:].sum(axis=0)
    few_others = (others >= 1) & (others <= most) & ~holds[0]
    for start in starts[few_others]:
        marked[start : start + width] = True
    return marked


def detail_weights(
    found: Candidates,
    ids: UInt32Array,
    case_numbers: tuple[list[int], int],
    marks: WordMarks | None,
    params: CheckParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """How many details each word of the text counts as, shared with another case.

    A word at most one other case holds (a surname, a street, a time of
    arrest) is strong evidence that the passage is that case's own account:
    it weighs `rare_word_weight`. A word written as a name (`marks.names`)
    that the text's own case never uses weighs `name_weight`: the family would
    be reading another family's people and places. Everything else weighs 1.

    Also returns which words are another family's name: written as a name, or
    a figure of a sum of money (`marks.amounts`: rent arrears of £2,426),
    held by one other case only, never by the text's own case (see
    CheckParams.min_details_with_name); which are unfamiliar names:
    written as a name, never by the text's own case (others may hold them);
    and which are familiar names: written as a name that the text's own
    case holds too. A familiar name is no content of another family's
    record (`judge.classify_hit`): it is the receiving family's own child or parent,
    put in by the writer (names replaced) or shared by chance (two families
    with a Kirsty), so a run of stock sentences that shares only such names
    with another record needs the sequence-only bar. And, per word, how
    many other cases hold it (`word_spread`).
    """
    other_cases, own_case_holds = word_spread(found, ids, case_numbers)
    rare = (other_cases <= 1) & ~own_case_holds
    weight = np.where(rare, params.rare_word_weight, 1)
    identifying = np.zeros(len(ids), dtype=bool)
    unfamiliar = np.zeros(len(ids), dtype=bool)
    familiar = np.zeros(len(ids), dtype=bool)
    if marks is not None:
        names = marks.names
        # "Leanne Haworth": a full name the family never writes, though it has
        # a Leanne and a Haworth of its own, is another family's person.
        familiar_pairs = np.flatnonzero(
            names[:-1]
            & names[1:]
            & own_case_holds[:-1]
            & own_case_holds[1:]
            & ~marks.after_stop[1:]
        )
        new_pair = (
            held_by_other_cases(found, ids.astype(np.int64), familiar_pairs, 2, case_numbers, 1)
            & names
        )
        unfamiliar = names & (~own_case_holds | new_pair)
        familiar = names & own_case_holds & ~new_pair
        weight = np.maximum(weight, np.where(unfamiliar, params.name_weight, 1))
        identifying = (names | marks.amounts) & rare
    return weight.astype(np.int64), identifying, unfamiliar, familiar, other_cases


def number_cases(case_ids: list[str], own_case: str) -> tuple[list[int], int]:
    """Each case id as a small number, the checked text's own case as 0; and how many.

    >>> number_cases(["C-2", "C-1", "C-2"], "C-1")
    ([1, 0, 1], 2)
    """
    numbers: dict[str, int] = {own_case: 0}
    return [numbers.setdefault(case, len(numbers)) for case in case_ids], len(numbers)
