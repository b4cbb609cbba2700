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

The first word of a sentence, a line or a list item is capitalised anyway:
it reads as a name only when the document never writes it in lower case and
it is not an English function word ("Poppy has missed ...", not "During the
visit ..."). Words in capitals are names only as police write surnames, two in a
row or after a name ("BROOKE CROWTHER (15)", "Spencer SUTCLIFFE"); a heading or a
lone "GP", "MMR" is no one's name. Left out on purpose: words with digits,
months and weekdays (a date shared by two cases is as often a coincidence as a
detail), and family roles and titles written with a capital ("Mum said",
"Ms"): every family has a Mum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Capitalised in case notes, yet no one's name: dates, family roles ("Mum said"),
# and titles (the name that follows a title is caught on its own).
_NOT_NAMES = frozenset(
    " ".join(
        (
            "january february march april may june july august september october november",
            "december monday tuesday wednesday thursday friday saturday sunday",
            "mondays tuesdays wednesdays thursdays fridays saturdays sundays",
            "mum mummy mam mother dad daddy father nan nana nanna nannan gran granny grandma",
            "grandmother grandad granddad grandpa grandfather auntie aunty aunt uncle",
            "mr mrs ms miss mx dr sir madam",
        )
    ).split()
)
# English closed-class words: they start sentences of any document, however short.
_FUNCTION_WORDS = frozenset(
    " ".join(
        (
            "a an the this that these those some any all both each every no not none one",
            "i you he she it we they me him her us them my your his its our their mine",
            "who whom whose which what where when why how whether if unless until while",
            "and but or nor so yet for because since although though as than then there",
            "here after before during at by from in into of off on onto out over through",
            "to under up upon with within without about above across against along among",
            "around behind below beside between beyond despite down inside near per",
            "is are was were be been being has have had do does did will would shall should",
            "can could may might must also only even just still yes",
        )
    ).split()
)
_SENTENCE_ENDS = frozenset(".!?:;\n\r\t•*-–—\"'“‘(")


def name_like(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """For each word span of `text`, whether it reads as a name.

    >>> text = "Tilly said that Ashley Barraclough was seen in May by the GP. She was well."
    >>> spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> [text[s:e] for s, e, hit in zip(starts, ends, name_like(text, starts, ends)) if hit]
    ['Tilly', 'Ashley', 'Barraclough']
    """
    words = [text[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]
    # Words the document also writes in lower case are ordinary words, whatever
    # their capital at the start of a sentence ("During", "She", "The").
    ordinary = {word.lower() for word in words if word[:1].islower()}
    flags = np.zeros(len(words), dtype=bool)
    for index, (word, start) in enumerate(zip(words, starts.tolist(), strict=True)):
        if not (word[:1].isupper() and word[1:2].islower() and word.isalpha()):
            continue
        lower = word.lower()
        opening = _opens_sentence(text, start)
        if lower in _NOT_NAMES or (opening and (lower in ordinary or lower in _FUNCTION_WORDS)):
            continue
        flags[index] = True
    return flags | _names_in_capitals(text, words, (starts, ends), flags, ordinary)


def _names_in_capitals(
    text: str,
    words: list[str],
    spans: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    names: npt.NDArray[np.bool_],
    ordinary: set[str],
) -> npt.NDArray[np.bool_]:
    """Words in capitals that are part of a name as police write them:
    "BROOKE CROWTHER (15)", "Spencer SUTCLIFFE": two or more in a row, or one
    after a name, one space apart, on a line that is not all capitals (a
    heading), and never an ordinary word of the text. A lone "GP", "MMR" or
    "CAMHS" is no one's name."""
    capitals = np.array(
        [
            len(word) >= 2
            and word.isupper()
            and word.isalpha()
            and word.lower() not in ordinary
            and word.lower() not in _FUNCTION_WORDS
            and word.lower() not in _NOT_NAMES
            for word in words
        ],
        dtype=bool,
    )
    flags = np.zeros(len(words), dtype=bool)
    if len(words) < 2 or not capitals.any():
        return flags
    starts, ends = spans
    gaps = zip(ends[:-1].tolist(), starts[1:].tolist(), strict=True)
    spaced = np.array([text[end:start] == " " for end, start in gaps], dtype=bool)
    pair = spaced & capitals[1:] & (capitals[:-1] | names[:-1])
    flags[1:] |= pair
    flags[:-1] |= pair & capitals[:-1]
    flagged = np.flatnonzero(flags)
    if len(flagged):
        flags[flagged] = _in_mixed_case_lines(text, starts[flagged])
    return flags


def _in_mixed_case_lines(text: str, starts: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """For each word start, whether its line has a lower-case letter: a word
    in capitals there is a surname as police write them ("BROOKE CROWTHER
    (15)"), not a heading. Each line is read once, however many words it has."""
    breaks = np.array([found.start() for found in re.finditer("\n", text)], dtype=np.int64)
    line_of = np.searchsorted(breaks, starts)
    mixed: dict[int, bool] = {}
    for line in np.unique(line_of).tolist():
        first = int(breaks[line - 1]) + 1 if line > 0 else 0
        end = int(breaks[line]) if line < len(breaks) else len(text)
        mixed[line] = any(letter.islower() for letter in text[first:end])
    return np.array([mixed[line] for line in line_of.tolist()], dtype=bool)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of a sentence, line or item."""
    position = start - 1
    while position >= 0 and text[position] == " ":
        position -= 1
    return position < 0 or text[position] in _SENTENCE_ENDS


# The last word of a street's name: after a house number ("14 Kiln Street",
# "3a Heron Court") it makes an address.
_STREET_WORDS = frozenset(
    " ".join(
        (
            "street st road rd lane avenue ave close court crescent drive way place gardens",
            "grove terrace row walk rise hill mews square parade park view green fold yard",
            "wharf vale chase meadow meadows croft gate villas cottages heights house",
            "mansions copse dene garth brow bank fields lea end side",
        )
    ).split()
)
_HOUSE_NUMBER = re.compile(r"\d{1,3}[A-Za-z]?")
_POSTCODE_OUTWARD = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?")
_POSTCODE_INWARD = re.compile(r"\d[A-Z]{2}")
# "£2,426", "£668.40", "$ 1,250": a currency sign, then the figures.
_AMOUNT = re.compile(r"[£$€] ?(\d[\d,]*(?:\.\d\d)?)")
# "19.4kg", "17.1 kg", "1.5 litres"; not inside "04.05.2026" (a date) or "1.2.3".
# Bounded on both sides, so a hostile text of "1.1kg1.1kg..." stays linear.
_MEASUREMENT = re.compile(r"(?<![\w.])\d{1,4}\.\d{1,3} ?([A-Za-z]{1,11})(?![A-Za-z]|\.\d)")
_UNITS = frozenset(
    " ".join(
        (
            "kg kgs kilo kilos kilogram kilograms g gram grams lb lbs pound pounds oz ounce",
            "ounces stone cm cms centimetre centimetres centimeter centimeters mm m metre",
            "metres meter meters inch inches ft ml l litre litres liter liters",
        )
    ).split()
)
_STREET_NAME_WORDS = 3  # "14 Upper Kiln Street": name words between the number and "Street"
# Words before a street's name with no house number: "on Weaver's Green".
_BEFORE_STREETS = frozenset(
    ["on", "at", "in", "off", "near", "along", "from", "to", "into", "onto", "of", "by"]
)
_NAME_JOINERS = frozenset("-'\u2019\u2010\u2011")


@dataclass(frozen=True)
class WordMarks:
    """What a text's capitals and digits say about each of its words, which
    the index's word ids (lower-cased hashes) cannot: names (`name_like`),
    where a two-word key of one family's own starts: an address
    (`place_starts`) or a measurement (`measurement_starts`), and the figures of
    sums of money (`amount_words`), and which words are figures."""

    names: npt.NDArray[np.bool_]
    places: npt.NDArray[np.bool_]  # an address key starts here (`place_starts`)
    measurements: npt.NDArray[np.bool_]  # `measurement_starts`
    initials: npt.NDArray[np.uint8]  # `lone_initials`
    amounts: npt.NDArray[np.bool_]  # `amount_words`
    references: npt.NDArray[np.bool_]  # `reference_numbers`
    grouped_numbers: npt.NDArray[np.bool_]  # `grouped_number_starts`
    streets: npt.NDArray[np.bool_]  # `street_words`
    figures: npt.NDArray[np.bool_]  # words with a digit in them
    after_stop: npt.NDArray[np.bool_]  # a full stop, "!", "?" or ";" before the word

    def window(self, start: int, end: int) -> WordMarks:
        return self.taken(np.arange(start, end))

    def taken(self, positions: npt.NDArray[np.int64]) -> WordMarks:
        """The marks of the words at `positions`, in that order."""
        return WordMarks(
            self.names[positions],
            self.places[positions],
            self.measurements[positions],
            self.initials[positions],
            self.amounts[positions],
            self.references[positions],
            self.grouped_numbers[positions],
            self.streets[positions],
            self.figures[positions],
            self.after_stop[positions],
        )


def word_marks(text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]) -> WordMarks:
    names = name_like(text, starts, ends)
    return WordMarks(
        names=names,
        places=place_starts(text, starts, ends, names),
        measurements=measurement_starts(text, starts, ends),
        initials=lone_initials(text, starts, ends),
        amounts=amount_words(text, starts, ends),
        references=reference_numbers(text, starts, ends),
        grouped_numbers=grouped_number_starts(text, starts, ends),
        streets=street_words(text, starts, ends, names),
        figures=np.array(
            [any(c.isdigit() for c in text[a:b]) for a, b in zip(starts, ends, strict=True)],
            dtype=bool,
        ),
        after_stop=_after_stop(text, starts, ends),
    )


def _after_stop(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Whether a full stop, "!", "?" or ";" comes between each word and the
    one before: two names either side of it are two people, no full name
    ("... affect Kacper. Agnieszka has told us"). A line break is no stop: a
    re-wrapped paragraph breaks lines inside a name.

    >>> text = "Seen Kacper. Agnieszka Nowak"
    >>> _after_stop(text, np.array([0, 5, 13, 23]), np.array([4, 11, 22, 28])).tolist()
    [False, False, True, False]
    """
    stops = np.zeros(len(starts), dtype=bool)
    for number in range(1, len(starts)):
        between = text[ends[number - 1] : starts[number]]
        stops[number] = any(mark in between for mark in ".!?;")
    return stops


_LONG_NUMBER = re.compile(r"\d{6,}")
# What comes before the last part of a phone number: "01632 ", "(0161) ", "+44 7700 ".
_PHONE_PREFIX = re.compile(r"(?:\+ ?44 ?(?:\(0\) ?)?\d{2,5}|\(?0\d{1,5}\)?)[ -]*$")


def reference_numbers(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """The words holding six digits or more in a row: a crime reference
    ("NK/25/880555"), a case or NHS number written whole. One of those that
    only one other family's records hold says whose the sentence around it
    is, however stock its wording (judge.py weighs it as a whole named
    sentence).

    Not a phone number (one starting with 0, or the part after an area
    code): made-up records use the few thousand numbers set aside for
    drama ("01632 960818", "07700 900123"), so two families' notes share
    one by chance, and a team's duty line is every family's. A ninth blind
    generator's action line "call the duty line on 01632 960xxx if absent"
    was flagged in six receiving families' documents.

    >>> text = "Crime ref NK/25/880555, tel 07700900123 or 01632 960818, seen 12/06/2016"
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> [text[s:e] for s, e, hit in zip(starts, ends, reference_numbers(text, starts, ends)) if hit]
    ['880555']
    """
    return _numbers_not_phones(_LONG_NUMBER, (_PHONE_PREFIX, 16), text, starts, ends)


def _numbers_not_phones(
    number: re.Pattern[str],
    phone_prefix: tuple[re.Pattern[str], int],
    text: str,
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """The word each match of `number` starts in, but for phone numbers:
    a match starting with 0, or after `phone_prefix` (a pattern, and how many
    characters before the match it may take)."""
    prefix, lookback = phone_prefix
    flags = np.zeros(len(starts), dtype=bool)
    for found in number.finditer(text):
        if found.group().startswith("0") or prefix.search(
            text, max(0, found.start() - lookback), found.start()
        ):
            continue
        index = int(np.searchsorted(ends, found.start(), side="right"))
        if index < len(starts) and starts[index] <= found.start():
            flags[index] = True
    return flags


# An NHS number as it is written: 3, 3 and 4 digits ("485 777 3456", "485-777-3456").
# The same one or two spaces or hyphens between the groups: text read from a
# PDF can space words out.
_GROUPED_NUMBER = re.compile(r"(?<![\d.,/:])\d{3}([ \u00a0-]{1,2})\d{3}\1\d{4}(?![\d.,/:]\d|\d)")
_AFTER_COUNTRY_CODE = re.compile(r"\+ ?44 ?(?:\(0\) ?)?$")


def grouped_number_starts(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """The first word of each number written as an NHS number is, in groups
    of 3, 3 and 4 digits: the three words are one key (judge.py weighs one
    that only one other family's records hold as a crime reference). Each
    group alone is a short figure other records hold by chance.

    Not a phone number: one starting with 0 ("020 796 0958"), or after +44.

    >>> text = "NHS no. 485 777 3456; tel +44 161 496 0000, 020-796-0958; 12 345 6789"
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> flags = grouped_number_starts(text, starts, ends)
    >>> [text[s:e] for s, e, hit in zip(starts, ends, flags) if hit]
    ['485']
    """
    return _numbers_not_phones(_GROUPED_NUMBER, (_AFTER_COUNTRY_CODE, 8), text, starts, ends)


def letter_code(letter: str) -> int:
    """A letter as one byte (never 0, which means "none"): its lower case's
    code point modulo 255, plus 1. Two letters outside Latin-1 may share a
    byte; an initial is a weak clue anyway (judge.py asks for a name too)."""
    return ord(letter.lower()[0]) % 255 + 1


def capital_initials(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint8]:
    """For each word span, the `letter_code` of its first letter if it is
    written with a capital and then a small letter ("Evie", not "GP", "I" or
    "iPad"), else 0. The index keeps these beside the word ids (hashes, which
    say nothing of a word's letters), so a check can tell that "E." in a
    copied sentence stands where a record has "Evie" (initials.py).

    Wider than `name_like` (a sentence's first word counts too), and cheap:
    an ASCII text is read with numpy, as the indexer reads it.

    >>> text = "Evie told Mr Vance that the GP saw Jordan. I agreed."
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> [chr(code - 1) for code in capital_initials(text, starts, ends) if code]
    ['e', 'm', 'v', 'j']
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    codes = np.zeros(len(starts), dtype=np.uint8)
    if len(starts) == 0:
        return codes
    if text.isascii():
        raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        long_enough = ends - starts >= 2
        first = raw[starts]
        second = raw[np.minimum(starts + 1, len(raw) - 1)]
        upper = (first >= ord("A")) & (first <= ord("Z"))
        lower = (second >= ord("a")) & (second <= ord("z"))
        chosen = long_enough & upper & lower
        codes[chosen] = (first[chosen].astype(np.int64) + 32) % 255 + 1
        return codes
    for index, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        if end - start >= 2 and text[start].isupper() and text[start + 1].islower():
            codes[index] = letter_code(text[start])
    return codes


def lone_initials(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint8]:
    """For each word span, the `letter_code` of a word that is one capital
    letter ("E." or the "B" and "H" of "B.H."), else 0: how case notes cut a
    name to its initial, and how a copied passage is disguised. "I" and "A"
    count only with a full stop after them: otherwise they are a pronoun
    and an article.

    >>> text = "I met A. Brown and E. I think B.H. came. A visit."
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> [chr(code - 1) for code in lone_initials(text, starts, ends) if code]
    ['a', 'e', 'b', 'h']
    """
    codes = np.zeros(len(starts), dtype=np.uint8)
    single = np.flatnonzero((np.asarray(ends) - np.asarray(starts)) == 1)
    for index in single.tolist():
        start = int(starts[index])
        letter = text[start]
        if not letter.isupper():
            continue
        if letter in "AI" and text[start + 1 : start + 2] != ".":
            continue
        codes[index] = letter_code(letter)
    return codes


def place_starts(
    text: str,
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    names: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """For each word, whether an address key of two words starts there: a
    house number before a street's name ("14" in "14 Kiln Street": up to
    three name words, then a street word), or a postcode's outward half
    ("FX1" in "FX1 6ZZ"). The words must be one space apart, so a year
    before a sentence about someone ("2026. Rhys") is no address.

    A neighbour's street, postcode and school are the receiving family's
    too; the house number on that street is the neighbours' own (details.py
    counts it only when one other case holds it).

    >>> text = "She moved from 14 Kiln Street, Wendlebury FX1 6ZZ in 2026 to 3 St Mary's Road."
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> flags = place_starts(text, starts, ends, name_like(text, starts, ends))
    >>> [text[s:e] for s, e, hit in zip(starts, ends, flags) if hit]
    ['14', 'FX1', '3']
    """
    words, gaps = _words_and_gaps(text, starts, ends)
    spaced = [gap in (" ", "\u00a0") for gap in gaps]
    # Inside a street's name a hyphen or an apostrophe joins words too:
    # "181 Stand-in Grove", "3 St Mary's Road".
    joined = [spaced[n] or gaps[n] in _NAME_JOINERS for n in range(len(gaps))]
    flags = np.zeros(len(words), dtype=bool)
    for index, word in enumerate(words[:-1]):
        if not spaced[index]:
            continue
        if _POSTCODE_OUTWARD.fullmatch(word) and _POSTCODE_INWARD.fullmatch(words[index + 1]):
            flags[index] = True
        elif _HOUSE_NUMBER.fullmatch(word) and names[index + 1]:
            last = min(index + 1 + _STREET_NAME_WORDS, len(words) - 1)
            for street in range(index + 1, last + 1):
                if not (street == index + 1 or joined[street - 1]):
                    break
                if words[street].lower() in _STREET_WORDS and street > index + 1:
                    flags[index] = True
                    break
    return flags


def _words_and_gaps(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> tuple[list[str], list[str]]:
    """The text's words, and the text between each word and the next."""
    words = [text[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]
    gaps = [
        text[end:start] for end, start in zip(ends[:-1].tolist(), starts[1:].tolist(), strict=True)
    ]
    return words, gaps


def street_words(
    text: str,
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    names: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """For each word, whether it is part of a street's name: up to three
    name words and a street word written with a capital, after a house
    number ("30 Tanner's Row") or after "on", "at", "in" and the like ("on
    Weaver's Green", "at St Mary's Road"). An apostrophe's "s" is part of it.

    A street is no one: the families of a neighbourhood share it as
    siblings share their home, so only the people named with it tell a
    household's paragraph from the neighbours' (together.py).

    >>> text = "A bag for 30 Tanner's Row, and Spencer on Weaver's Green met Sarah Green."
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> flags = street_words(text, starts, ends, name_like(text, starts, ends))
    >>> [text[s:e] for s, e, hit in zip(starts, ends, flags) if hit]
    ['Tanner', 's', 'Row', 'Weaver', 's', 'Green']
    """
    words, gaps = _words_and_gaps(text, starts, ends)
    flags = np.zeros(len(words), dtype=bool)
    for last, word in enumerate(words):
        if not (names[last] and word.lower() in _STREET_WORDS):
            continue
        first, named = last, 0
        while first > 0 and named < _STREET_NAME_WORDS:
            before, gap = first - 1, gaps[first - 1]
            if names[before] and gap in (" ", "\u00a0", *_NAME_JOINERS):
                named += 1
            elif not (words[before] == "s" and before > 0 and gaps[before - 1] in _NAME_JOINERS):
                break
            first = before
        if first == last or first == 0 or gaps[first - 1] not in (" ", "\u00a0"):
            continue
        lead = words[first - 1]
        if _HOUSE_NUMBER.fullmatch(lead) or lead in _BEFORE_STREETS:
            flags[first : last + 1] = True
    return flags


def measurement_starts(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """For each word, whether a measurement with a decimal point starts
    there, which the words keep as two: "19" and "4kg" in "19.4kg", "17" and
    "1" in "17.1 kg".

    A child's weight or height belongs to one family: a health visitor's
    note copied with its names cut to initials kept only "weighs 10.8kg
    (25th centile)" of that family's, every other word a stock sentence
    (details.py counts the two words only when one other case holds them).
    Only with a unit: a clock time ("4.47pm") or a bare figure is as often
    stock text that several families' notes share by chance, and a dotted
    date is not a number ("04.05.2026" reads as the words "4 may 2026").
    Nor a percentage: school attendance ("Attendance this academic year is
    71.5% with 16 sessions of unauthorised absence") is one stock sentence
    in most families' records with figures from a few hundred, so two
    families share one by chance. Counted as a family's (session 17), it
    found one copy more on fifteen stores and flagged eleven receiving
    families' own attendance sentences on a ninth blind generator's store.

    >>> text = "Weighs 19.4kg; seen at 4.47pm on 04.05.2026, v2.1, 17.1 kg, 0.8, 87.5%"
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> flags = measurement_starts(text, starts, ends)
    >>> [text[s:e] for s, e, hit in zip(starts, ends, flags) if hit]
    ['19', '17']
    """
    flags = np.zeros(len(starts), dtype=bool)
    for found in _MEASUREMENT.finditer(text):
        if found.group(1).lower() in _UNITS:
            index = int(np.searchsorted(starts, found.start()))
            if index < len(starts) and starts[index] == found.start():
                flags[index] = True
    return flags


def amount_words(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """For each word, whether it is a figure of a sum of money written with a
    currency sign ("2" and "426" in "£2,426"), unless the sum is a round
    figure (a multiple of ten).

    Rent arrears of £2,426 or £668 are one family's: a chronology row pasted
    into the neighbours' plan kept nothing else of that family's but a date
    (details.detail_weights counts such a figure as that family's name when
    one other case alone holds it). Round sums ("£60 in cash", "arrears of £3,300") recur
    between families by chance: counted, they flagged a labelled store's
    clean paragraph.

    >>> text = "Arrears of £2,426 and £668.40; £3,300 owed; cash of £60; 426 days"
    >>> spans = [(m.start(), m.end()) for m in re.finditer(r"\\w+", text)]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> flags = amount_words(text, starts, ends)
    >>> [text[s:e] for s, e, hit in zip(starts, ends, flags) if hit]
    ['2', '426', '668', '40']
    """
    flags = np.zeros(len(starts), dtype=bool)
    for found in _AMOUNT.finditer(text):
        if float(found.group(1).replace(",", "")) % 10 == 0:
            continue
        first, end = np.searchsorted(starts, (found.start(1), found.end(1)))
        flags[first:end] = True
    return flags
