"""Other ways a reader may see a text than the characters it stores.

A check cuts the stored characters into words (`normalize.split_words`). Some
texts show their reader something else, and a copy hidden that way matched
nothing while the family read it plainly (all found in two black-box rounds):

- invisible characters put instead of spaces glue words together
  (`spaced_invisibles`), and Hangul fillers, dropped as invisible,
  show as blanks;
- characters stored backwards after a right-to-left override are shown
  forwards (`visual_order`), and a line laid out right to left
  shows Latin words in reverse order (`right_to_left_lines`);
- Markdown and inline HTML are rendered: `**K**ayden`, `Kay<span></span>den`,
  `&#75;ayden` and one link per word all show "Kayden" (`rendered_markup`);
- letter-spacing (hair spaces between letters, "O n   t h e") and a hyphen
  ending a line after every other word join or split words a reader does not.

Each reading is the text as shown plus, when its characters moved or went,
each shown character's offset in the stored text, so a match found in it is
reported on the stored text. A check reads every reading a text has and
reports a passage any of them finds once (`match.check_text`); a text with
none of these is read once, as before.
"""

from __future__ import annotations

import bisect
import html
import re

import numpy as np
import numpy.typing as npt

from provenance.normalize import SEPARATING_INVISIBLE

Origin = npt.NDArray[np.int64]

_RTL = "\u202e"  # right-to-left override: what follows is shown reversed
_POP = "\u202c"  # pop directional formatting: the override ends

# Markup a renderer shows as something else, with what it shows. Emphasis
# markers count only against a letter or digit (`*` and `~` also inside a
# word; `_` only at a word's edge, as CommonMark has it), so prose with
# an asterisk or an underscored_name is left alone.
#
# Every check reads a text for markup, so the scan must stay linear on any
# text: patterns that looked ahead for a closing "-->", "]" or ">" from
# each opening took minutes on a few hundred KB of hostile text, holding
# the interpreter so that a check's timeout could not fire. The scan
# matches only what can be matched in one pass, and `_marked` decides the
# rest from the candidate and its neighbours.
_MARKUP = re.compile(
    r"(?P<comment><!--.*?-->)"
    r"|(?P<angled><[^<>]*>)"  # a tag of some kind: `_ANGLED` tells which
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,31});)"
    r"|(?P<link>\]\([^()\s]*\)|\]\[[^\[\]\n]*\])"
    r"|(?P<link_open>!?\[)"  # a link only when its "]" comes first on the line
    r"|(?P<stars>[*~]+)"
    r"|(?P<underscores>_+)",
    re.DOTALL,
)
# What an angled candidate is, in this order; none: not markup.
_ANGLED = (
    ("bdo", re.compile(r"<bdo\b[^<>]*\bdir\s*=\s*[\"']?rtl\b[^<>]*>")),
    ("bdo_end", re.compile(r"</bdo\s*>")),
    ("break", re.compile(r"</?(?:br|p|div|li|tr|td|th|h[1-6])\b[^<>]*>")),
    ("gap", re.compile(r"<[A-Za-z][\w-]*\s[^<>]*(?:margin|padding)[^<>]*>")),
    ("tag", re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")),
)
_LETTER = re.compile(r"[^\W_]")  # a letter or digit
_LINK_TEXT_END = re.compile(r"[\]\n]")


def spaced_invisibles(text: str) -> str | None:
    """`text` with each invisible character between letters replaced by a
    space (same length, same offsets); None when it has none there.

    Invisible characters are dropped when words are cut (`split_words`), so
    one put inside a word changes nothing. Put *instead of* the spaces, the
    same characters glue a passage into a few long "words" that match
    nothing, while a reader still sees "thechildwasseen..." (or, for Hangul
    fillers, real blanks). Which of the two a character is doing cannot be
    told from the text, so a check reads such a text both ways
    (`match.check_text`).
    """
    if text.isascii() or SEPARATING_INVISIBLE.search(text) is None:
        return None
    return SEPARATING_INVISIBLE.sub(lambda found: " " * len(found.group()), text)


_PUSHES = frozenset("\u202a\u202b\u202d\u202e")  # embeddings and overrides


def visual_order(text: str) -> tuple[str, Origin] | None:
    """`text` as a reader sees it where a right-to-left override (U+202E)
    reverses it, with each shown character's offset in `text`; None when
    there is none.

    Characters stored backwards after an override are shown forwards: a
    copied passage written that way read as "nedyaK" to the check and as
    "Kayden" to the family. An override lasts to its pop (U+202C, nested
    embeddings counted) or to the end of the line (Unicode's bidirectional
    algorithm ends every embedding at a paragraph's end). The rest of that
    algorithm (right-to-left scripts, isolates) reorders no Latin letters
    and is left out.
    """
    if _RTL not in text:
        return None
    shown = list(text)
    origin = np.arange(len(text), dtype=np.int64)
    position = text.find(_RTL)
    while position >= 0:
        depth, end = 0, position
        while end < len(text) and text[end] not in "\r\n\u2029":
            depth += text[end] in _PUSHES
            depth -= text[end] == _POP
            end += 1
            if depth == 0:
                break
        shown[position:end] = shown[position:end][::-1]
        origin[position:end] = origin[position:end][::-1]
        position = text.find(_RTL, end)
    return "".join(shown), origin


def rendered_markup(text: str, *, tags_as_spaces: bool = False) -> tuple[str, Origin] | None:
    """`text` as a Markdown or HTML renderer shows it, with each shown
    character's offset in `text`; None when nothing in it would render
    differently. With `tags_as_spaces` every tag is a space: where a style
    puts gaps between elements (`margin`, `padding`) instead of spaces."""
    return _rendered(text, _markup(text), tags_as_spaces)


def _rendered(
    text: str, markup: list[tuple[int, int, str]], tags_as_spaces: bool
) -> tuple[str, Origin] | None:
    """`rendered_markup` from the `markup` `_markup` found in `text`."""
    pieces: list[str] = []
    origin: list[np.ndarray] = []
    done = 0
    for start, end, kind in markup:
        pieces.append(text[done:start])
        origin.append(np.arange(done, start, dtype=np.int64))
        shown = " " if tags_as_spaces and kind == "tag" else _shown(kind, text[start:end])
        pieces.append(shown)
        origin.append(np.full(len(shown), start, dtype=np.int64))
        done = end
    if not pieces:
        return None
    pieces.append(text[done:])
    origin.append(np.arange(done, len(text), dtype=np.int64))
    return "".join(pieces), np.concatenate(origin)


def _markup(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each piece of markup in `text`, in order, as
    `_MARKUP` scanning `text` from the start and `_marked` judging each
    candidate find them; linear in the length of `text`."""
    # After the last "-->" no comment can close: an opening there is text.
    closes = text.rfind("-->")
    tail = closes + 3 if closes >= 0 else 0
    scanned = text[:tail] + text[tail:].replace("<!--", "<!-\x00")  # same length
    link_text_ends = [found.start() for found in _LINK_TEXT_END.finditer(text)]
    found_markup: list[tuple[int, int, str]] = []
    position = 0
    while (found := _MARKUP.search(scanned, position)) is not None:
        kind = _marked(text, found, link_text_ends)
        if kind is None:  # not markup: the scan goes on inside it
            position = (
                found.end() if found.lastgroup in ("stars", "underscores") else found.start() + 1
            )
            continue
        found_markup.append((found.start(), found.end(), kind))
        position = found.end()
    return found_markup


def _marked(text: str, found: re.Match[str], link_text_ends: list[int]) -> str | None:
    """What the candidate `found` is (`_shown` takes it), or None: not markup.
    `link_text_ends`: where each "]" and line end of `text` is."""
    kind, start, end = found.lastgroup, found.start(), found.end()
    if kind == "angled":
        candidate = found.group()
        return next((name for name, shape in _ANGLED if shape.fullmatch(candidate)), None)
    if kind == "link_open":  # a link's text runs to a "]" that "(" or "[" follows
        stop = bisect.bisect_left(link_text_ends, end)
        closed = stop < len(link_text_ends) and text[link_text_ends[stop]] == "]"
        after = link_text_ends[stop] + 1 if closed else 0
        return "link" if closed and text[after : after + 1] in ("(", "[") else None
    if kind in ("stars", "underscores"):
        letter_before = start > 0 and _LETTER.match(text, start - 1) is not None
        letter_after = _LETTER.match(text, end) is not None
        if kind == "stars":
            return "emphasis" if letter_before or letter_after else None
        # "_" inside a word is no emphasis, unless a run of them.
        edge = letter_before != letter_after or (letter_before and end - start > 1)
        return "emphasis" if edge else None
    return kind


def _shown(kind: str, markup: str) -> str:
    if kind == "bdo":
        return _RTL
    if kind == "bdo_end":
        return _POP
    if kind in ("break", "gap"):  # a gap a style puts between words is a space
        return " "
    if kind == "entity":
        return html.unescape(markup)
    return ""


def _styled_gaps(text: str) -> bool:
    """Whether a tag in `text` has a style's margin or padding."""
    return any(_GAP_WORD.search(tag.group(), 2) is not None for tag in _OPENING_TAG.finditer(text))


_OPENING_TAG = re.compile(r"<[A-Za-z][^<>]*>", re.IGNORECASE)
_GAP_WORD = re.compile(r"margin|padding", re.IGNORECASE)
# Characters drawn as a blank: Hangul fillers (default-ignorable, so dropped
# when words are cut, yet shown as a space's width).
_BLANK_FILLERS = re.compile("[\u115f\u1160\u3164\uffa0]")
# Spaces narrower than a word gap, between two letters: letter-spacing.
_NARROW_SPACE = re.compile("(?<=[^\\W_])[\u2006\u2008\u2009\u200a\u202f](?=[^\\W_])")
# Letters spaced out with ordinary spaces, words apart by more: "O n   t h e".
# A text is read so only when it has a run of five such letters.
_SPACED_LETTERS = re.compile(r"(?<![^\W_])[^\W_](?: [^\W_])+(?![^\W_])")
_FIVE_SPACED_LETTERS = re.compile(r"(?<![^\W_])[^\W_](?: [^\W_]){4,}(?![^\W_])")
# A hyphen ending a line after a letter, which `split_words` reads as a word
# broken in two ("protec-" / "tion"); put after every other word it glued words.
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[ \t]*\r?\n)")
# Marks that lay a line out right to left: an embedding, an isolate, an RLM.
_RIGHT_TO_LEFT_MARKS = re.compile("[\u202b\u2067\u200f\u061c]")


def _same_length(text: str, pattern: re.Pattern[str], by: str) -> str | None:
    """`text` with each match of `pattern` replaced by `by` repeated to its
    length (offsets kept); None when nothing matches."""
    if pattern.search(text) is None:
        return None
    return pattern.sub(lambda found: by * len(found.group()), text)


def _dropped(text: str, pattern: re.Pattern[str]) -> tuple[str, Origin] | None:
    """`text` without the matches of `pattern`, with each kept character's offset."""
    if pattern.search(text) is None:
        return None
    keep = np.ones(len(text), dtype=bool)
    for found in pattern.finditer(text):
        keep[found.start() : found.end()] = False
    return _kept(text, keep)


def _spaced_letters_joined(text: str) -> tuple[str, Origin] | None:
    """`text` with the single spaces between spaced-out letters taken out."""
    if _FIVE_SPACED_LETTERS.search(text) is None:
        return None
    keep = np.ones(len(text), dtype=bool)
    for found in _SPACED_LETTERS.finditer(text):
        keep[found.start() + 1 : found.end() : 2] = False
    return _kept(text, keep)


def _kept(text: str, keep: np.ndarray) -> tuple[str, Origin]:
    """The characters of `text` that `keep` marks, with each one's offset."""
    origin = np.flatnonzero(keep).astype(np.int64)
    return "".join(text[at] for at in origin.tolist()), origin


def right_to_left_lines(text: str) -> tuple[str, Origin] | None:
    """`text` with the words of each line that carries a right-to-left mark
    (an embedding, an isolate, RLM) in reverse order, as such a line shows
    Latin words separated by marked spaces; None when no line has one.

    Each word keeps its own letters in order: only the bidirectional
    override reverses letters (`visual_order`).
    """
    if _RIGHT_TO_LEFT_MARKS.search(text) is None:
        return None
    origin: list[np.ndarray] = []
    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+|\s+", body)]
        if _RIGHT_TO_LEFT_MARKS.search(body) is not None:
            pieces.reverse()
        for start, end in pieces:
            origin.append(np.arange(position + start, position + end, dtype=np.int64))
        origin.append(np.arange(position + len(body), position + len(line), dtype=np.int64))
        position += len(line)
    order = np.concatenate(origin) if origin else np.zeros(0, dtype=np.int64)
    return "".join(text[at] for at in order.tolist()), order


def other_readings(text: str) -> list[tuple[str, Origin | None]]:
    """Every other way a reader may see `text` (the module docstring): the text
    shown, and each shown character's offset in `text` (None: the same)."""
    readings: list[tuple[str, Origin | None]] = []
    for same_offsets in (
        spaced_invisibles(text),
        _same_length(text, _BLANK_FILLERS, " "),
        _same_length(text, _LINE_END_HYPHEN, " "),
    ):
        if same_offsets is not None:
            readings.append((same_offsets, None))
    markup = _markup(text)
    for moved in (
        _rendered(text, markup, tags_as_spaces=False),
        _rendered(text, markup, tags_as_spaces=True) if _styled_gaps(text) else None,
        _dropped(text, _NARROW_SPACE),
        _spaced_letters_joined(text),
    ):
        if moved is not None:
            readings.append(moved)
    for shown, origin in [(text, None), *readings]:
        for reorder in (visual_order, right_to_left_lines):
            reordered = reorder(shown)
            if reordered is not None:
                again, order = reordered
                readings.append((again, order if origin is None else origin[order]))
    return readings
