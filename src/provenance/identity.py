"""A piece of another family's identity copied word for word, however short.

A copy of stock prose must reach `CheckParams.min_words_with_name` words (12)
before it is judged: shorter runs of shared words are everywhere in formulaic
notes. But "Arthur Williams (DOB 08/05/2020) has suspected ADHD." is seven
words, and it is the leak this project exists to stop: a child's name with
their date of birth, or a police reference, is one family's whatever the
words around it. Copies cut in two left pieces like it (an eleventh blind
generator's split copies: five names with their dates of birth, none found,
and three documents cleared because of them).

So a run of words taken word for word from another case's record is a copy
at any length from `MIN_IDENTITY_WORDS` when it holds, whole:
- a crime reference or NHS number that at most a household's cases hold and
  the receiving case never writes (details.rare_references), or
- a date of birth that at most a household's cases hold and the receiving
  case never writes (details.rare_birth_dates), with a name the receiving
  family never uses in the same run: a date of birth alone may be anyone's
  (a newborn's can fall on another child's), the name with it is one person.
"""

from __future__ import annotations

import numpy as np

from provenance.candidates import Candidates
from provenance.models import Match
from provenance.sources import exact_run_match
from provenance.store import RecordWords

MIN_IDENTITY_WORDS = 6  # "Williams (DOB 8 May 2020) has": the name, the cue, the date and one more


def identity_matches(
    found: Candidates,
    query: RecordWords,
    text: str,
    case_id: str,
    identity: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> list[Match]:
    """Cross-case matches of the exact runs that carry another family's
    identity (see the module): `identity` marks, per word of the text, the
    words of rare references, of rare dates of birth, and unfamiliar names."""
    references, births, unfamiliar = identity
    if not (references.any() or births.any()) or len(found.runs.source) == 0:
        return []
    runs = found.runs
    starts = runs.query_start
    ends = starts + runs.words()
    long_enough = runs.words() >= MIN_IDENTITY_WORDS
    holds_reference = _holds_whole(references, starts, ends)
    holds_birth = _holds_whole(births, starts, ends) & (_count(unfamiliar, starts, ends) > 0)
    matches = []
    for number in np.flatnonzero(long_enough & (holds_reference | holds_birth)).tolist():
        if found.records[int(runs.source[number])].info.case_id == case_id:
            continue  # the text's own case never writes these words (details.py)
        span = (int(starts[number]), int(ends[number]))
        matches.append(exact_run_match(found, query, text, number, span))
    return matches


def _count(marked: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Marked words in each span [starts, ends)."""
    before = np.concatenate([[0], np.cumsum(marked, dtype=np.int64)])
    counted: np.ndarray = before[ends] - before[starts]
    return counted


def _holds_whole(marked: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether each span [starts, ends) holds a whole stretch of marked words
    (a reference's words, a date's three): its words are marked, and so are
    none just outside it that belong to the same stretch.

    >>> marked = np.array([0, 1, 1, 1, 0, 0], dtype=bool)
    >>> _holds_whole(marked, np.array([0, 2, 1]), np.array([5, 5, 4])).tolist()
    [True, False, True]
    """
    if not marked.any():
        return np.zeros(len(starts), dtype=bool)
    padded = np.concatenate([[False], marked, [False]])
    stretch_starts = np.flatnonzero(padded[1:-1] & ~padded[:-2])
    stretch_ends = np.flatnonzero(padded[1:-1] & ~padded[2:]) + 1
    # The first stretch starting at or after each span's start must end by its end.
    at = np.searchsorted(stretch_starts, starts)
    inside = at < len(stretch_starts)
    whole = np.zeros(len(starts), dtype=bool)
    whole[inside] = stretch_ends[at[inside]] <= ends[inside]
    return whole
