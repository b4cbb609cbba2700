"""Other ways a reader may see a text than the characters it stores.

A check cuts the stored characters into words (`normalize.split_words`). Some
texts show their reader something else, and a copy hidden that way matched
nothing while the family read it plainly (all found in a black-box round):

- invisible characters put instead of spaces glue words together
  (`normalize.spaced_invisibles`);
- characters stored backwards after a right-to-left override are shown
  forwards (`normalize.visual_order`);
- Markdown and inline HTML are rendered: `**K**ayden`, `Kay<span></span>den`,
  `&#75;ayden` and one link per word all show "Kayden" (`rendered_markup`).

Each reading is the text as shown plus, when its characters moved or went,
each shown character's offset in the stored text, so a match found in it is
reported on the stored text. A check reads every reading a text has and
reports a passage any of them finds once (`match.check_text`); a text with
none of these is read once, as before.
"""

from __future__ import annotations

import html
import re

import numpy as np
import numpy.typing as npt

from provenance.normalize import spaced_invisibles, visual_order

Origin = npt.NDArray[np.int64]

# Markup a renderer shows as something else, with what it shows. Emphasis
# markers count only against a letter or digit (`*` and `~` also inside a
# word; `_` only at a word's edge, as CommonMark has it), so prose with
# an asterisk or an underscored_name is left alone.
_RTL = "\u202e"
_POP = "\u202c"
_MARKUP = re.compile(
    r"(?P<comment><!--.*?-->)"
    r"|(?P<bdo><bdo\b[^<>]*\bdir\s*=\s*[\"']?rtl\b[^<>]*>)"
    r"|(?P<bdo_end></bdo\s*>)"
    r"|(?P<break></?(?:br|p|div|li|tr|td|th|h[1-6])\b[^<>]*>)"
    r"|(?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,31});)"
    r"|(?P<link>\]\([^()\s]*\)|!?\[(?=[^\]\n]*\]\())"
    r"|(?P<emphasis>(?<=[^\W_])[*~]+|[*~]+(?=[^\W_])|(?<![^\W_])_+(?=[^\W_])|(?<=[^\W_])_+(?![^\W_]))",
    re.DOTALL,
)


def rendered_markup(text: str) -> tuple[str, Origin] | None:
    """`text` as a Markdown or HTML renderer shows it, with each shown
    character's offset in `text`; None when nothing in it would render
    differently."""
    if _MARKUP.search(text) is None:
        return None
    pieces: list[str] = []
    origin: list[np.ndarray] = []
    done = 0
    for found in _MARKUP.finditer(text):
        pieces.append(text[done : found.start()])
        origin.append(np.arange(done, found.start(), dtype=np.int64))
        shown = _shown(found)
        pieces.append(shown)
        origin.append(np.full(len(shown), found.start(), dtype=np.int64))
        done = found.end()
    pieces.append(text[done:])
    origin.append(np.arange(done, len(text), dtype=np.int64))
    return "".join(pieces), np.concatenate(origin)


def _shown(found: re.Match[str]) -> str:
    kind = found.lastgroup
    if kind == "bdo":
        return _RTL
    if kind == "bdo_end":
        return _POP
    if kind == "break":
        return " "
    if kind == "entity":
        return html.unescape(found.group())
    return ""


def other_readings(text: str) -> list[tuple[str, Origin | None]]:
    """Every other way a reader may see `text` (the module docstring): the text
    shown, and each shown character's offset in `text` (None: the same)."""
    readings: list[tuple[str, Origin | None]] = []
    spaced = spaced_invisibles(text)
    if spaced is not None:
        readings.append((spaced, None))
    rendered = rendered_markup(text)
    if rendered is not None:
        readings.append(rendered)
    for shown, origin in [(text, None), *readings]:
        visual = visual_order(shown)
        if visual is not None:
            reordered, order = visual
            readings.append((reordered, order if origin is None else origin[order]))
    return readings
