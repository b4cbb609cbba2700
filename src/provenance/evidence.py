"""Which words of an aligned region are a copy: dense runs that carry enough details.

The bars (`Bar`) say how many details a run needs, given whether one of
them is another family's name, whether they are content or sequence only,
and whether the region was taken word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from provenance.align import Region
from provenance.arrays import distinct
from provenance.config import CheckParams

MAX_RUN_GAP = 4  # unshared words in a row a copied passage may have (edits, a new name)


_MAX_TEMPLATE_STRETCH = 40  # template words in a row that still belong to one copied run


WORD_FOR_WORD = 0.999  # a region this similar to its source is a verbatim copy


def wide_enough(region: Region, params: CheckParams) -> bool:
    """Whether the region is wide and similar enough to be reported at all."""
    return (
        region.matched_words >= params.shortest_match()
        and region.similarity >= params.min_similarity
    )


def narrow(region: Region, params: CheckParams) -> bool:
    """Narrower than min_words: a match only as a short copy (`short_copy`,
    CheckParams.min_words_with_name), and otherwise not reported at all."""
    return region.matched_words < params.min_words


@dataclass(frozen=True)
class Evidence:
    """Per word of the checked text, what a region of one source shows (`judge.classify_hit`)."""

    common: np.ndarray  # template in this region's context, or held by the text's own case
    template: np.ndarray  # template in this region's context (where long runs are cut)
    no_content: np.ndarray  # template as a word whatever its context, or a familiar name
    weight: np.ndarray  # details each word counts as (`detail_weights`)
    identifying: np.ndarray  # another family's name (`detail_weights`)
    unfamiliar: np.ndarray  # a name the receiving family never uses (`detail_weights`)


@dataclass(frozen=True)
class Bar:
    """How many details a run needs (CheckParams), given what kind they are."""

    named: int  # when one of them is another family's name
    content: int  # content details that make `with_content` the bar
    with_content: int  # when at least `content` of them are content
    sequence_only: int  # otherwise
    shortest: int  # words a run under min_words needs (CheckParams.shortest_match)
    short_verbatim: int  # details of such a run taken word for word, with an unfamiliar name

    @staticmethod
    def of(params: CheckParams, *, verbatim: bool) -> Bar:
        """The bar for a region that matches its source word for word (`verbatim`)
        or not. Never more than min_words is asked for, so a lower --min-words
        still finds shorter copies."""
        needed = min(params.min_distinctive_words, params.min_words)
        return Bar(
            named=min(params.min_details_with_name or needed, needed),
            content=params.min_content_details,
            with_content=min(params.min_details_word_for_word, needed) if verbatim else needed,
            sequence_only=max(needed, min(params.min_sequence_only_details, params.min_words)),
            shortest=params.shortest_match(),
            short_verbatim=needed,
        )


def copied_words(region: Region, evidence: Evidence, params: CheckParams) -> np.ndarray | None:
    """The words of a region that are a copy, None if none: a region is a
    match if it holds a dense run of shared words that carries details.

    Copied text, even disguised, is a dense run of shared words: a replaced
    name or an inserted word leaves a gap of a word or two, two edits three
    words apart a gap of four (no 3-word shingle over them is shared). Runs
    break at more than `MAX_RUN_GAP` unshared words in a row. A run counts
    when it spans at least `min_words` words (edited words included); cut
    where more than `_MAX_TEMPLATE_STRETCH` template words come in a row, a
    piece of it qualifies when at least `min_distinctive_words` of its words
    are not common (an address, a time and a neighbour's name copied before
    a standard paragraph are a short piece of a long copy): for another case's
    record, `common` marks the words that enough cases hold, or that the
    checked text's own case holds (with `context_words`, in this region's
    context: `Holders.in_context`). Case notes are written in formulaic sentences, so
    a copied passage is template skeleton plus the other child's details
    (names, ages, places, dates) in that record's order; with the names
    replaced, the details left are the sequence: the joints between
    sentences that only that record holds in that order, which only the
    context rule sees. A template sentence
    with other details shares only the skeleton, one sentence at a time with
    many records, and has neither. A run whose details are all sequence (no
    name, place, date or rare word of that record's: `min_content_details`)
    needs more of them (`min_sequence_only_details`): two families' notes can
    string the same stock sentences together by chance, and with a child or
    parent of the same name too (a name the receiving family also uses is
    no content: `detail_weights`). A region that matches
    its source word for word (a partial or short copy taken verbatim) needs
    fewer (`min_details_word_for_word`, with content).
    """
    if not wide_enough(region, params):
        return None
    # Only the region's words matter: positions below are from its first word.
    low, high = region.query_start, region.query_end
    covered = region.covered - low
    common = evidence.common[low:high]
    # Rare details and names weigh more (`detail_weights`).
    details = np.where(common, 0, evidence.weight[low:high])
    content = np.where(evidence.no_content[low:high], 0, details)
    identifying = evidence.identifying[low:high] & ~common
    unfamiliar = evidence.unfamiliar[low:high] & ~common
    template = evidence.template[low:high]

    def qualifying(words: np.ndarray, verbatim: bool) -> list[np.ndarray]:
        """The runs of `words` (covered, from the region's first word) that are a copy."""
        too_few = len(words) < params.min_words  # only ever a short copy
        bar = Bar.of(params, verbatim=verbatim)
        if int(details[words].sum()) < min(bar.named, bar.with_content):
            return []
        return [
            run
            for dense in dense_runs(words)
            if run_span(dense) >= bar.shortest
            for run in split_at_template(dense, template)
            if (
                enough_details(run, details, content, identifying, bar)
                if run_span(dense) >= params.min_words and not too_few
                else short_copy(run, details, content, (identifying, unfamiliar), bar, verbatim)
            )
        ]

    verbatim = region.similarity >= WORD_FOR_WORD
    copied = qualifying(covered, verbatim)
    if not copied and not verbatim:
        # A part taken word for word is a verbatim copy on its own, though the
        # region chains it on to other text: a copied paragraph of stock
        # sentences and a shared name, next to the receiving family's own
        # paragraph of the same sentences, was one region, no longer word for
        # word, and cleared.
        for (start, end), similarity in zip(region.parts, region.part_similarity, strict=False):
            if similarity >= WORD_FOR_WORD:
                inside = covered[(covered >= start - low) & (covered < end - low)]
                copied += qualifying(inside, verbatim=True)
        if copied:
            return distinct(np.concatenate(copied)) + low
    return np.concatenate(copied) + low if copied else None


def enough_details(
    run: np.ndarray, details: np.ndarray, content: np.ndarray, identifying: np.ndarray, bar: Bar
) -> bool:
    """Whether a run's details clear the bar (`Bar`): `named` when one of its
    words is another family's name (`identifying`), `with_content` when at
    least `bar.content` of them are content, else `sequence_only`."""
    score = int(details[run].sum())
    if score >= bar.named and bool(identifying[run].any()):
        return True
    if score >= bar.with_content and int(content[run].sum()) >= bar.content:
        return True
    return score >= bar.sequence_only


def may_be_short_copy(region: Region, identifying: np.ndarray, unfamiliar: np.ndarray) -> bool:
    """What `short_copy` asks of a region that needs no counting: another
    family's name, or an unfamiliar name in a region taken word for word."""
    covered = region.covered
    return bool(identifying[covered].any()) or (
        region.similarity >= WORD_FOR_WORD and bool(unfamiliar[covered].any())
    )


def short_copy(
    run: np.ndarray,
    details: np.ndarray,
    content: np.ndarray,
    names: tuple[np.ndarray, np.ndarray],
    bar: Bar,
    verbatim: bool,
) -> bool:
    """Whether a run shorter than min_words (of at least `min_words_with_name`
    words) is still a copy: it holds another family's name and `bar.named`
    details; or it was taken word for word, names someone the receiving
    family never mentions, and has the details and content a full-length
    copy needs (`bar.short_verbatim`, `bar.content`).

    The second finds a copied sentence whose names several families use
    ("Isla described her bedroom at 79 Kiln Street, Wendlebury as ..."):
    only the sentence, not any one word of it, is that family's. The name
    keeps out stock observations two records share word for word ("the
    landing carpet was soiled with dog mess"), which carry no one's details.
    """
    if run_span(run) < bar.shortest:
        return False
    identifying, unfamiliar = names
    score = int(details[run].sum())
    if score >= bar.named and bool(identifying[run].any()):
        return True
    return (
        verbatim
        and bool(unfamiliar[run].any())
        and score >= bar.short_verbatim
        and int(content[run].sum()) >= bar.content
    )


def run_span(run: np.ndarray) -> int:
    """Words from the first to the last position of a sorted run, gaps included."""
    return int(run[-1] - run[0]) + 1


def dense_runs(covered: np.ndarray) -> list[np.ndarray]:
    """Split sorted word positions where more than `MAX_RUN_GAP` words are missing.

    >>> [run.tolist() for run in dense_runs(np.array([1, 2, 3, 6, 7, 20, 21]))]
    [[1, 2, 3, 6, 7], [20, 21]]
    """
    if len(covered) == 0:
        return []
    breaks = np.nonzero(np.diff(covered) > MAX_RUN_GAP + 1)[0] + 1
    return np.split(covered, breaks)


def split_at_template(run: np.ndarray, boilerplate: np.ndarray) -> list[np.ndarray]:
    """Cut a run where more than `_MAX_TEMPLATE_STRETCH` template words come in a row.

    Template words between details belong to a copied formulaic sentence; a
    whole standard paragraph is not part of a copy, even next to one.

    >>> template = np.zeros(120, dtype=bool); template[10:60] = True
    >>> [(int(r[0]), int(r[-1])) for r in split_at_template(np.arange(120), template)]
    [(0, 9), (60, 119)]
    """
    pieces: list[np.ndarray] = []
    start = 0
    stretch_start = -1
    for index, position in enumerate(run.tolist()):
        if boilerplate[position]:
            if stretch_start < 0:
                stretch_start = index
            continue
        if stretch_start >= 0 and index - stretch_start > _MAX_TEMPLATE_STRETCH:
            if stretch_start > start:
                pieces.append(run[start:stretch_start])
            start = index
        stretch_start = -1
    end = (
        stretch_start
        if stretch_start >= 0 and len(run) - stretch_start > _MAX_TEMPLATE_STRETCH
        else len(run)
    )
    if end > start:
        pieces.append(run[start:end])
    return pieces
