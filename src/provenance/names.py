"""Which words of a text look like names: capitalised inside a sentence.

The leak this tool exists for is another family's personal details, and
names (of a child, a parent, a street, a school) are the first of them. A
copied formulaic sentence ("Tilly said that when Ashley Barraclough is angry
he throws things") shares its skeleton with many cases; what makes it that
family's account is the names in it. Case notes are written in standard
English, so a word written with a capital letter in the middle of a sentence
is, nearly always, a proper noun. No name list or tagger is needed, and the
check stays language-light: the rule only ever adds evidence to a region
whose names match the source record word for word.

Left out on purpose: the first word of a sentence, a line or a list item
(capitalised anyway), words in capitals (headings, "GP", "MMR": no one's
name), words with digits, months and weekdays (a date shared by two cases
is as often a coincidence as a detail), and family roles and titles written
with a capital ("Mum said", "Ms"): every family has a Mum.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Capitalised in case notes, yet no one's name: dates, family roles ("Mum said"),
# and titles (the name that follows a title is caught on its own).
_NOT_NAMES = frozenset(
    " ".join(
        (
            "january february march april may june july august september october november",
            "december monday tuesday wednesday thursday friday saturday sunday",
            "mum mummy mam mother dad daddy father nan nana nanna nannan gran granny grandma",
            "grandmother grandad granddad grandpa grandfather auntie aunty aunt uncle",
            "mr mrs ms miss mx dr sir madam",
        )
    ).split()
)
_SENTENCE_ENDS = frozenset(".!?:;\n\r\t•*-–—\"'“‘(")


def name_like(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """For each word span of `text`, whether it reads as a name.

    >>> text = "Tilly said that Ashley Barraclough was seen in May by the GP."
    >>> spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> [text[s:e] for s, e, hit in zip(starts, ends, name_like(text, starts, ends)) if hit]
    ['Ashley', 'Barraclough']
    """
    flags = np.zeros(len(starts), dtype=bool)
    for index, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        word = text[start:end]
        if not (word[:1].isupper() and word[1:2].islower() and word.isalpha()):
            continue
        if word.lower() in _NOT_NAMES or _opens_sentence(text, start):
            continue
        flags[index] = True
    return flags


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of a sentence, line or item."""
    position = start - 1
    while position >= 0 and text[position] == " ":
        position -= 1
    return position < 0 or text[position] in _SENTENCE_ENDS
