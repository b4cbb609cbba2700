"""A part of a region taken word for word is judged as a verbatim copy.

Found by an outside evaluation: another family's "wishes and feelings"
paragraph (stock sentences and a child's name several families use), copied
word for word just before the receiving family's own paragraph of the same
sentences, aligned as one region with two parts. The region as a whole was
no longer word for word (similarity 0.95), so it needed the full bar of
details, missed it by two and was cleared as template text. The copied part
alone matches its source exactly and carries what a verbatim copy needs.
"""

from __future__ import annotations

import numpy as np

from provenance import evidence
from provenance.align import Region
from provenance.config import CheckParams

WORDS = 100
COPIED = range(0, 45)  # the other family's paragraph, word for word
OWN = range(45, 90)  # the receiving family's own paragraph: all template


def _region(part_similarity: tuple[float, float]) -> Region:
    return Region(
        query_start=0,
        query_end=90,
        source_start=0,
        source_end=90,
        matched_words=90,
        similarity=0.95,
        covered=np.arange(90, dtype=np.int64),
        runs=((0, 0, 43), (45, 0, 43)),
        parts=((COPIED.start, COPIED.stop), (OWN.start, OWN.stop)),
        part_similarity=part_similarity,
    )


def _evidence() -> evidence.Evidence:
    """16 details in the copied paragraph: 10 words of its sequence and a
    child's name twice (3 each, content; other families use the name too,
    so it is not another family's name), everything else template."""
    common = np.ones(WORDS, dtype=bool)
    weight = np.ones(WORDS, dtype=np.int64)
    unfamiliar = np.zeros(WORDS, dtype=bool)
    details = [1, 2, 3, 4, 5, 20, 21, 22, 23, 24]
    names = [0, 19]
    common[details + names] = False
    weight[names] = 3
    unfamiliar[names] = True
    no_content = common.copy()
    no_content[details] = True  # stock words: details only in this sequence
    return evidence.Evidence(
        common=common,
        template=common,
        no_content=no_content,
        weight=weight,
        identifying=np.zeros(WORDS, dtype=bool),
        unfamiliar=unfamiliar,
    )


def test_a_part_copied_word_for_word_is_a_copy_though_its_region_is_not() -> None:
    copied = evidence.copied_words(_region((1.0, 0.85)), _evidence(), CheckParams())
    assert copied is not None
    assert int(copied.min()) == COPIED.start
    assert int(copied.max()) < COPIED.stop


def test_the_same_part_with_a_word_changed_needs_the_full_bar() -> None:
    """16 details are short of the 20 a copy that is not word for word needs."""
    assert evidence.copied_words(_region((0.97, 0.85)), _evidence(), CheckParams()) is None
