"""Text -> normalised words, each with its character span in the original text.

Matching happens on normalised words so a copy survives re-wrapping, new
punctuation, other quotes and dashes, re-casing, invisible characters,
ligatures, accents and look-alike letters from other scripts. Every word keeps
the [start, end) span of the original characters it came from, so a match on
normalised words is always reported as a span of the text the user sees.

Steps for each word: invisible characters (Unicode's default-ignorable code
points: zero-width, soft hyphen, BOM, bidirectional controls, variation
selectors, tags) are dropped; Unicode NFKC (ligatures, full-width forms); case
folding; accents and other combining marks of any block stripped; look-alike
letters mapped to the Latin letter they imitate: a hand-made Cyrillic and Greek
table first, then every letter or digit that Unicode's confusables data (TS #39,
via confusable-homoglyphs) lists as looking like one Latin letter or digit
(Armenian, Cherokee, Lisu...), and Latin letters drawn in another style (small
capitals, circled or squared letters) to the letter. Punctuation, quotes, dashes
and whitespace separate words and are otherwise ignored, which unifies them. A
hyphen at a line end inside a word ("protec-\\ntion", or a soft, true or
non-breaking hyphen) joins.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters
# a renderer shows as nothing. Soft hyphens and zero-width spaces, but also
# bidirectional controls, variation selectors, tag characters and Hangul
# fillers: any of them put inside a word would split it (or, being letters,
# change it) while the reader sees the same text.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
INVISIBLE_CHARS = "".join(
    chr(code)
    for low, high in _DEFAULT_IGNORABLE
    for code in range(low, high + 1)
    if unicodedata.category(chr(code)) != "Cn"  # assigned ones: what a document can hold
)


def _char_class(ranges: Sequence[tuple[int, int]]) -> str:
    """A regex matching one character in the (low, high) code point ranges.

    Python's `re` turns a class of characters below U+10000 into a bitmap,
    but checks a class with any character above it range by range: the
    ranges above are a class of their own (a word pattern with one mixed
    class of 300 ranges read text half as fast).
    """

    def body(part: list[tuple[int, int]]) -> str:
        return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in part)

    plane0 = [(low, min(high, 0xFFFF)) for low, high in ranges if low <= 0xFFFF]
    above = [(max(low, 0x10000), high) for low, high in ranges if high > 0xFFFF]
    return "|".join(f"[{body(part)}]" for part in (plane0, above) if part)


_INVISIBLE = _char_class(_DEFAULT_IGNORABLE)
# A hyphen at a line end inside a word: hyphen-minus, or the soft, true and
# non-breaking hyphens word processors and PDFs put there.
_LINE_END_HYPHEN = r"[-\u00ad\u2010\u2011][ \t]*\r?\n[ \t]*(?=[^\W\d_])"


@lru_cache(maxsize=1)
def _word_pattern() -> re.Pattern[str]:
    """A word: letters and digits, with any combining marks, invisible
    characters and line-end hyphens inside it.

    Letters drawn as symbols (circled, squared, parenthesised: `_styled_symbols`)
    are letters here too, or "Ⓙⓐⓨⓓⓔⓝ" would be no word at all.

    Marks are every code point of Unicode category M up to U+1FFFF, not only
    the common accents (U+0300-036F): a mark from another block (U+20D2, an
    overlay line; U+1DC4, a macron-acute) put inside a word must not split it,
    and Indic vowel signs belong to their word. Python's `re` has no \\p{M},
    so the class is built from unicodedata on first use (~50 ms), only for
    text that is not plain ASCII.
    """
    mark_ranges = _ranges_of(lambda char: unicodedata.category(char)[0] == "M", 0x20000)
    letter_symbols = _ranges_in(_styled_symbols())
    inside = _char_class(mark_ranges + letter_symbols)
    # A word starts at a letter, a digit, a mark below U+10000 or a letter
    # symbol. Every space is a place a word might start, so these are one
    # class per plane: each alternative is tried there.
    first_plane_marks = [(low, high) for low, high in mark_ranges if high <= 0xFFFF]
    starts = _char_class(first_plane_marks + letter_symbols)
    # Inside a word: runs of letters and digits, taken whole; the rarer pieces
    # are only tried where the next character is no space or punctuation, which
    # none of them starts with. (Every word ends at a space or punctuation:
    # checking those against 300 ranges of marks read text at half the speed.)
    rarer = (
        rf"(?![\s,.;:!?\"'“”‘’()])"
        rf"(?:{inside}|(?<=[^\W\d_]){_LINE_END_HYPHEN}|{_INVISIBLE})"
    )
    return re.compile(rf"(?:[^\W_]|{starts})(?:[^\W_]++|{rarer})*")


def _ranges_in(chars: Iterable[str]) -> list[tuple[int, int]]:
    """The (low, high) code point ranges `chars` make up.

    >>> _ranges_in("abcx")
    [(97, 99), (120, 120)]
    """
    ranges: list[tuple[int, int]] = []
    for code in sorted(map(ord, chars)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def _ranges_of(member: Callable[[str], bool], below: int) -> list[tuple[int, int]]:
    """The (low, high) ranges of code points under `below` that are `member`."""
    return _ranges_in(char for char in map(chr, range(below)) if member(char))


_DROP_PATTERN = re.compile(rf"{_LINE_END_HYPHEN}|{_INVISIBLE}")

# Capital letters from other scripts that render like Latin capitals. Mapped
# BEFORE case folding: folded first, Greek capital Eta (looks like H) would
# become small eta (looks like n) and be read as "n".
_CAPITAL_CONFUSABLES = str.maketrans(
    {
        # Greek
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
        "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        # Cyrillic
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
        "Р": "P", "С": "C", "Т": "T", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J",
        "Ү": "Y", "Ԛ": "Q", "Ԝ": "W",
    }
)  # fmt: skip

# Small letters from other scripts that render like Latin letters (after case
# folding). Kept small and explicit: the ones used to disguise copied text.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
        "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
        "ɡ": "g", "ӏ": "l", "ь": "b", "п": "n", "г": "r",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y",
        "ϲ": "c", "ϳ": "j", "μ": "u",
        # Latin look-alikes and letter-like symbols
        "ı": "i", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe",
    }
)  # fmt: skip


# Unicode's names for Latin letters drawn in another style: "LATIN LETTER SMALL
# CAPITAL A", "CIRCLED LATIN SMALL LETTER A", "NEGATIVE SQUARED LATIN CAPITAL
# LETTER A", "REGIONAL INDICATOR SYMBOL LETTER A".
_STYLED_LETTER_NAME = re.compile(
    r"(?:LATIN LETTER SMALL CAPITAL|LATIN (?:CAPITAL|SMALL) LETTER"
    r"|REGIONAL INDICATOR SYMBOL LETTER) ([A-Z]|AE|OE)$"
)


@lru_cache(maxsize=1)
def _styled_letters() -> dict[str, str]:
    """Small capitals, and letters drawn as symbols, -> the Latin letter they are.

    Text generators offer these as "fonts" (ᴊᴀʏᴅᴇɴ, Ⓙⓐⓨⓓⓔⓝ, 🅹🅰🆈🅳🅴🅽), and a
    reader sees the name. Unicode's confusables data lists only 9 of the
    small capitals, and NFKC leaves small capitals and the negative circled
    and squared letters alone, so they are taken from the characters' names
    (~60 ms, on the first word that is not plain ASCII).
    """
    table = {}
    for code in range(0x20000):
        char = chr(code)
        kind = unicodedata.category(char)[0]
        if kind not in "LS":
            continue
        found = _STYLED_LETTER_NAME.search(unicodedata.name(char, ""))
        if found is not None and (kind == "S" or "SMALL CAPITAL" in found.group()):
            table[char] = found.group(1).lower()
    return table


@lru_cache(maxsize=1)
def _styled_symbols() -> str:
    """The symbols among `_styled_letters` (circled, squared...): as letters of a word."""
    return "".join(char for char in _styled_letters() if unicodedata.category(char)[0] == "S")


@lru_cache(maxsize=1)
def _lookalike_table() -> dict[int, str]:
    """One translation table: `_unicode_confusables`, then `_styled_letters` over it."""
    table: dict[int, str] = dict(_unicode_confusables())
    table.update((ord(char), letter) for char, letter in _styled_letters().items())
    return table


@lru_cache(maxsize=1)
def _unicode_confusables() -> dict[int, str]:
    """Non-ASCII letters and digits Unicode lists as looking like one ASCII
    letter or digit, mapped to it (~1,280 of them).

    The hand-made tables above win where they disagree (Greek capital Iota is
    "I" there, "l" in the data): they are applied first. Symbols and marks are
    left out: symbols separate words (`_word_pattern`), and a combining accent
    is not a letter's disguise (accents are stripped anyway). Loaded on the
    first word that is not plain ASCII (~0.1 s).
    """
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    table: dict[int, str] = {}
    for target in string.ascii_letters + string.digits:
        for entry in data.get(target, []):
            char = entry["c"]
            if len(char) == 1 and not char.isascii() and unicodedata.category(char)[0] in "LN":
                table[ord(char)] = target
    return table


@dataclass(frozen=True)
class Words:
    """Normalised words of a text and where each came from.

    `starts[i]`/`ends[i]` are Python str offsets into the original text:
    `original[starts[i]:ends[i]]` is the raw form of `words[i]`.
    """

    words: tuple[str, ...]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.words)

    def char_span(self, first_word: int, end_word: int) -> tuple[int, int]:
        """Character span in the original covering words [first_word, end_word)."""
        return int(self.starts[first_word]), int(self.ends[end_word - 1])


@lru_cache(maxsize=200_000)
def normalize_word(raw: str) -> str:
    """One raw word (as cut from the original) -> its comparable form.

    >>> normalize_word("Ｃａｆé")
    'cafe'
    >>> normalize_word("ﬁle")
    'file'
    >>> normalize_word("chi\\u00adld")
    'child'
    >>> normalize_word("Кауden")  # Cyrillic K, a, y
    'kayden'
    >>> normalize_word("ΗΟΜΕ")  # Greek capitals Eta, Omicron, Mu, Epsilon
    'home'
    """
    if raw.isascii() and raw.isalnum():
        return raw.lower()
    word = _DROP_PATTERN.sub("", raw)
    # Look-alikes are mapped before NFKC and folding as well: both turn some of
    # them (lunate sigma, which looks like c) into letters that look like nothing Latin.
    word = word.translate(_CAPITAL_CONFUSABLES).translate(_CONFUSABLES)
    word = word.translate(_lookalike_table())
    word = unicodedata.normalize("NFKC", word)
    # Marks go before case folding as well as after: folding turns one of them
    # (Greek ypogegrammeni, U+0345) into a letter, iota, and some letters into
    # a letter and a mark ("İ" into "i" and a dot above).
    word = _without_marks(word.translate(_CAPITAL_CONFUSABLES).translate(_CONFUSABLES))
    word = _without_marks(word.casefold()).translate(_CONFUSABLES)
    return "".join(ch for ch in word if ch.isalnum())


# Forms of the verbs case notes change tense with ("Charlie is on the 9th centile" in
# the minutes, "was" in the report; "I observe that Tia tells me" in a visit note,
# "the social worker observed that Tia told her" in the plan), written as one word.
# Only verbs whose past form is no other common word ("left", "felt" are kept out).
_IRREGULAR_STEMS = {
    **dict.fromkeys(("am", "is", "are", "was", "were", "been"), "be"),
    **dict.fromkeys(("has", "had", "having"), "have"),
    **dict.fromkeys(("does", "did"), "do"),
    **dict.fromkeys(("says", "said"), "say"),
    **dict.fromkeys(("tells", "told"), "tell"),
    **dict.fromkeys(("sees", "saw", "seen"), "see"),
    **dict.fromkeys(("goes", "went", "gone"), "go"),
    **dict.fromkeys(("gave", "given"), "give"),
    **dict.fromkeys(("took", "taken"), "take"),
    **dict.fromkeys(("came", "comes"), "come"),
    **dict.fromkeys(("spoke", "spoken"), "speak"),
    **dict.fromkeys(("thought",), "think"),
    **dict.fromkeys(("knew", "known"), "know"),
    **dict.fromkeys(("heard",), "hear"),
    **dict.fromkeys(("wrote", "written"), "write"),
    **dict.fromkeys(("brought",), "bring"),
}
_SUFFIXES = ("ing", "ed", "es", "s")
_SHORTEST_STEM = 3
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=200_000)
def word_stem(word: str) -> str:
    """A normalised word without its commonest English ending, so that a copy
    re-told in another tense or number ("attends" -> "attended", "appointment"
    -> "appointments", "is" -> "was", "observe" -> "observed", "house" ->
    "houses", "worry" -> "worried") keeps its words. Deliberately crude: both
    sides of a comparison go through it, so it only has to be the same for
    the same word, never a dictionary form. Words of 4 letters or fewer, words
    with digits and words ending in "ss" are left alone; a final "e" goes and
    a final "y" after a consonant is written "i", as "-ed" and "-es" leave them.

    >>> [word_stem(w) for w in ("attends", "attended", "attending", "was", "address", "bus")]
    ['attend', 'attend', 'attend', 'be', 'address', 'bus']
    >>> [word_stem(w) for w in ("observe", "observed", "houses", "worry", "worried", "played")]
    ['observ', 'observ', 'hous', 'worri', 'worri', 'play']
    """
    if word in _IRREGULAR_STEMS:
        return _IRREGULAR_STEMS[word]
    if len(word) <= 4 or not word.isalpha() or word.endswith("ss") or word in _MONTH_WORDS:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _SHORTEST_STEM:
            word = word[: -len(suffix)]
            break
    while word.endswith("e") and len(word) > _SHORTEST_STEM:
        word = word[:-1]
    if word.endswith("y") and len(word) > _SHORTEST_STEM and word[-2] not in _VOWELS:
        word = word[:-1] + "i"
    return word


def _without_marks(word: str) -> str:
    """Accents and other combining marks removed (after compatibility decomposition)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_text(text: str) -> str:
    """The normalised words of `text` joined by single spaces (for display and tests).

    >>> normalize_text("The  “Child’s”\\nPLAN – re-\\nviewed")
    'the child s plan review'
    """
    return " ".join(split_words(text).words)


_ASCII_WORD_BYTES = np.zeros(256, dtype=bool)
_ASCII_WORD_BYTES[list(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")] = True
_ASCII_LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n")
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # on lower-cased text: the same runs as the bytes


def ascii_words(text: str) -> list[str]:
    """The words of a text `ascii_word_spans` cuts, in lower case (no dates rewritten)."""
    return _ASCII_WORD.findall(text.lower())


def split_words(text: str) -> Words:
    """Cut `text` into normalised words with their original character spans
    (a date's words as `date_words` writes them, the others as `word_stem`)."""
    spans = ascii_word_spans(text)
    if spans is not None:
        plain = compared_words(text, *spans, ascii_words(text))
        return Words(words=tuple(plain), starts=spans[0], ends=spans[1])
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for found in _word_pattern().finditer(text):
        word = normalize_word(found.group())
        if word:
            words.append(word)
            starts.append(found.start())
            ends.append(found.end())
    start_array = np.asarray(starts, dtype=np.int64)
    end_array = np.asarray(ends, dtype=np.int64)
    compared = compared_words(text, start_array, end_array, words)
    return Words(words=tuple(compared), starts=start_array, ends=end_array)


def compared_words(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64], cut: Sequence[str]
) -> list[str]:
    """The words of `text` as a check compares them, from the words as cut
    (lower case, at `starts` and `ends`): a date's words as `date_words`
    writes them, every other word's `word_stem`. The one rule for
    `split_words` and the indexer's ASCII path (ingest), which must agree.
    """
    dates = date_words(text, starts, ends, cut)
    return [dates.get(index, word_stem(word)) for index, word in enumerate(cut)]


MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# Months as split_words writes them, and as details.date_spans looks them up: "January"
# keeps its "y" (word_stem).
_MONTH_WORDS = frozenset(MONTHS)
_MONTH_OF = {
    **{name: name for name in MONTHS},
    **{name[:3]: name for name in MONTHS},
    "sept": "september",
}
_MONTH_NUMBERS = {str(n): n for n in range(1, 13)} | {f"0{n}": n for n in range(1, 10)}
_DAYS = {
    **{str(n): str(n) for n in range(1, 32)},
    **{f"0{n}": str(n) for n in range(1, 10)},
    **{f"{n}{end}": str(n) for n in range(1, 32) for end in ("st", "nd", "rd", "th")},
    **{f"0{n}{end}": str(n) for n in range(1, 10) for end in ("st", "nd", "rd", "th")},
}
_YEARS = frozenset(str(year) for year in range(1900, 2100))
_DATE_WORDS = frozenset(_MONTH_OF) | frozenset(_DAYS) | _YEARS
_DATE_SEPARATORS = frozenset("/.-")


def _iso_date(
    text: str,
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    words: Sequence[str],
    index: int,
) -> tuple[str, str, str] | None:
    """The words of an ISO date ("2026-05-04") starting at word `index`, as
    "4 may 2026" writes them, or None."""
    separator = text[int(ends[index]) : int(starts[index + 1])]
    month, day = words[index + 1], words[index + 2]
    if (
        separator in ("-", "/")
        and text[int(ends[index + 1]) : int(starts[index + 2])] == separator
        and len(month) == 2
        and month in _MONTH_NUMBERS
        and len(day) == 2
        and day.isdigit()
        and day in _DAYS
    ):
        return _DAYS[day], MONTHS[_MONTH_NUMBERS[month] - 1], words[index]
    return None


def date_words(
    text: str, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64], words: Sequence[str]
) -> dict[int, str]:
    """The words of dates written in other forms, as "4 may 2026" writes them:
    {word index: word}. A copy retyped from a chronology table ("04/05/2026")
    into a sentence ("On 4 May 2026") keeps its date, and the date is often
    what ties a stock sentence to one family's record. `words`: the text's
    words in lower case, cut at `starts` and `ends`.

    UK order (day, month, year; one "/", "." or "-" between, a two-digit
    year taken as 20xx below 70), or ISO 8601 ("2026-05-04": its words are
    put in that order too); day words lose a leading zero or an
    ordinal ending next to a month ("4th May", "May 04"); month names are
    written out ("Sept" -> "september"; "Mar", "Jun", "Dec" only next to a
    number, as they may be other words). One set lookup per word finds the
    few words worth a look.

    >>> text = "Seen 04/05/26, 4th Sept 2026, 31.12.2025, 2025-12-31 (not 13/13/2026)."
    >>> found = __import__("re").finditer(r"[A-Za-z0-9]+", text)
    >>> spans = [(m.start(), m.end()) for m in found]
    >>> starts, ends = (np.array(side) for side in zip(*spans))
    >>> words = [text[s:e].lower() for s, e in spans]
    >>> for index, word in date_words(text, starts, ends, words).items():
    ...     words[index] = word
    >>> " ".join(words)
    'seen 4 may 2026 4 september 2026 31 december 2025 31 december 2025 not 13 13 2026'
    """
    found: dict[int, str] = {}
    candidates = [index for index, word in enumerate(words) if word in _DATE_WORDS]
    for index in candidates:
        word = words[index]
        if word in _YEARS and index + 2 < len(words) and index not in found:
            iso = _iso_date(text, starts, ends, words, index)
            if iso is not None:
                found.update(zip(range(index, index + 3), iso, strict=True))
                continue
        if word in _DAYS and index + 2 < len(words) and index not in found:
            separator = text[int(ends[index]) : int(starts[index + 1])]
            month, year = words[index + 1], words[index + 2]
            if (
                separator in _DATE_SEPARATORS
                and text[int(ends[index + 1]) : int(starts[index + 2])] == separator
                and word.isdigit()
                and month in _MONTH_NUMBERS
                and year.isdigit()
                and len(year) in (2, 4)
            ):
                found[index] = _DAYS[word]
                found[index + 1] = MONTHS[_MONTH_NUMBERS[month] - 1]
                found[index + 2] = (
                    year if len(year) == 4 else ("20" if int(year) < 70 else "19") + year
                )
                continue
        month_name = _MONTH_OF.get(word)
        if month_name is None or index in found:
            continue
        neighbours = [near for near in (index - 1, index + 1) if 0 <= near < len(words)]
        if month_name != word and not any(words[near][:1].isdigit() for near in neighbours):
            continue  # "mar", "jun", "dec" on their own may be other words
        found[index] = month_name
        for near in neighbours:
            if words[near] in _DAYS and near not in found:
                found[near] = _DAYS[words[near]]
    return {index: new for index, new in found.items() if new != words[index]}


# Invisible characters that may stand for a space: all but the soft hyphen (a
# hyphenation point, common in exported text) and the joiners (inside Persian
# and Indic words, and emoji sequences), which never separate words.
_NEVER_SEPARATE = {(0x00AD, 0x00AD): [], (0x200B, 0x200F): [(0x200B, 0x200B), (0x200E, 0x200F)]}
_MAY_SEPARATE = _char_class(
    [part for pair in _DEFAULT_IGNORABLE for part in _NEVER_SEPARATE.get(pair, [pair])]
)
# Invisible characters between two letters, where they may stand for a space
# (`readings.spaced_invisibles`).
SEPARATING_INVISIBLE = re.compile(rf"(?<=[^\W_]){_MAY_SEPARATE}+(?=[^\W_])")


def ascii_word_spans(
    text: str,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Word spans of plain ASCII text without line-end hyphens, or None for other text.

    In such text a word is a run of ASCII letters and digits and its
    normalised form is its lower case: nothing else in the general path
    applies. Boundaries are found on the bytes with numpy instead of a regex
    match per word, ~8x faster (a test holds both paths equal). The indexer
    uses the spans directly (shingle.ascii_word_ids) without making a Python
    string per word.
    """
    if not text.isascii() or _ASCII_LINE_END_HYPHEN.search(text) is not None:
        return None
    data = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    inside = np.concatenate(([False], _ASCII_WORD_BYTES[data], [False]))
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    return edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)
