"""Which cases hold a word in its context (holders.Holders.in_context).

A word is template text when enough cases hold it together with the words
either side of it; a name the receiving family uses stands for any word there
(Holders.wildcards), so a name two families share does not make stock wording
one family's sequence.
"""

from __future__ import annotations

import numpy as np

from provenance.align import Region, SharedWords
from provenance.holders import Holders


def _one_part_regions(covered_words: list[list[int]], width: int) -> SharedWords:
    """SharedWords of one region per source, each one in-order part over all
    `width` words, covering the given words."""
    sources = len(covered_words)
    return SharedWords(
        source=np.arange(sources),
        part_region=np.arange(sources),
        part_start=np.zeros(sources, dtype=np.int64),
        part_end=np.full(sources, width),
        part_source_start=np.zeros(sources, dtype=np.int64),
        part_source_end=np.full(sources, width),
        word_region=np.repeat(np.arange(sources), [len(c) for c in covered_words]),
        word=np.concatenate([np.array(c, dtype=np.int64) for c in covered_words]),
    )


def test_a_name_the_receiving_family_uses_stands_for_any_word_in_context() -> None:
    """Word 5 is a name the receiving family uses; one other family's record
    has it too (case 1), three more families' records (cases 2-4) the same
    sentence with their own name there. Without the name, word 4 is held in
    its context by four cases (template); the shared name alone must not
    make it that one family's sequence."""
    everything = list(range(10))
    but_the_name = [w for w in everything if w != 5]
    shared = _one_part_regions([everything, but_the_name, but_the_name, but_the_name], 10)
    holding = Holders.of(shared, [1, 2, 3, 4], cases=5, words=10, width=3)
    region = Region(0, 10, 0, 10, 10, 1.0, np.arange(10), ((0, 0, 8),), ((0, 10),), (1.0,))
    template, _ = holding.in_context(region, threshold=4, context=4)
    assert not template[4]  # the name is in the window: only case 1 holds it all
    holding.memo.clear()
    holding.wildcards = np.arange(10) == 5
    template, _ = holding.in_context(region, threshold=4, context=4)
    assert template[4] and template[0] and not template[5]
