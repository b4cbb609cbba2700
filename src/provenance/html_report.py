"""A check's result as one self-contained HTML page for a non-technical reviewer.

The page is read by the person about to send the document, often printed or
zoomed, so: the verdict comes first in plain words; meaning never depends on
colour alone (every highlight carries a text label, every card says its status
in words); sizes are relative so 200% zoom reflows instead of scrolling
sideways; and nothing is fetched from the network, so the file can be e-mailed
or archived and still shows the same thing.

Every piece of document or record text is escaped with `html.escape`: the
text being checked is untrusted, and a report that ran a script embedded in a
family's letter would be its own leak. No template engine is used because the
page is a few fixed blocks; small functions returning escaped strings keep the
escaping visible at each point where text enters the page.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from provenance.models import CheckResult, Match, MatchStatus
from provenance.report import LineNumbers, verdict_sentence

__all__ = ["render_check_html"]


@dataclass(frozen=True)
class _Style:
    """How a passage of one status is shown: in words first, colour second."""

    words: str  # the card's heading
    tag: str  # the label inside the highlight
    mark_class: str  # its border
    colour_class: str  # its background; leaks get one per other case instead
    priority: int  # lower claims overlapping text first, so a leak is never hidden


_STYLES: Mapping[MatchStatus, _Style] = {
    "cross_case": _Style("From another case — do not send", "LEAK", "leak", "colour-case-0", 0),
    "same_case": _Style("From this case's own records", "this case", "own", "colour-own", 1),
    "same_family": _Style(
        "From a case linked to this one as one family", "same family", "own", "colour-own", 2
    ),
    "boilerplate": _Style("Standard template text", "template", "template", "colour-template", 3),
}
_LEGEND: Mapping[MatchStatus, str] = {
    "cross_case": (
        "red border: copied from another case's records; it must not be sent (one colour per case)."
    ),
    "same_case": "dotted border: from this case's own records.",
    "same_family": "dotted border: from a case the index links to this one as one family.",
    "boilerplate": "dashed border: standard wording used in many cases.",
}
# Pale backgrounds (.colour-case-N in _CSS), dark text on all; one per other case, cycled.
_PALETTE_SIZE = 6

_CSS = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; line-height: 1.5;
  color: #1a1a1a; background: #fff; margin: 0 auto; padding: 1rem; max-width: 60rem; }
.skip-link { position: absolute; left: -100vw; }
.skip-link:focus { position: static; display: inline-block; padding: 0.5em; }
.banner { border: 0.3em solid; border-radius: 0.4em; padding: 0.75em 1em; margin: 0 0 1em; }
.banner p { margin: 0; font-size: 1.25em; font-weight: bold; }
.banner-leak { background: #c92a2a; border-color: #7a1010; color: #fff; }
.banner-clean { background: #ebfbee; border-color: #2b8a3e; color: #1b5e20; }
.document { white-space: pre-wrap; overflow-wrap: anywhere; border: 0.1em solid #adb5bd;
  padding: 1em; font-family: Georgia, "Times New Roman", serif; }
mark { color: #1a1a1a; padding: 0 0.1em; }
mark.leak { border: 0.25em solid #c92a2a; }
mark.own { border: 0.1em dotted #1864ab; }
mark.template { border: 0.1em dashed #868e96; }
.tag { font-family: system-ui, Arial, sans-serif; font-size: 0.75em; font-weight: bold;
  padding: 0 0.3em; margin-right: 0.3em; color: #1a1a1a; background: #fff;
  border: 0.1em solid currentColor; text-decoration: none; }
mark.leak .tag { color: #fff; background: #c92a2a; }
.legend li { margin-bottom: 0.25em; }
.card { border: 0.15em solid #adb5bd; border-radius: 0.4em; padding: 0.5em 1em;
  margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
.card-leak { border: 0.3em solid #c92a2a; }
.card h3 { margin: 0.25em 0; }
.swatch { display: inline-block; width: 1em; height: 1em; margin-right: 0.4em;
  border: 0.1em solid #495057; vertical-align: middle; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 12em), 1fr));
  gap: 0.25em 1em; margin: 0.5em 0; }
.facts dt { font-weight: bold; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.compare { display: grid; gap: 1em;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 18em), 1fr)); }
.compare figure { margin: 0; }
.compare figcaption { font-weight: bold; }
.compare blockquote { margin: 0; padding: 0.5em; border-left: 0.3em solid #868e96;
  white-space: pre-wrap; overflow-wrap: anywhere; background: #f8f9fa; }
.colour-template { background-color: #e9ecef; }
.colour-own { background-color: #d0ebff; }
.colour-case-0 { background-color: #ffe066; } .colour-case-1 { background-color: #ffc078; }
.colour-case-2 { background-color: #eebefa; } .colour-case-3 { background-color: #99e9f2; }
.colour-case-4 { background-color: #fcc2d7; } .colour-case-5 { background-color: #b2f2bb; }
@media print {
  body { max-width: none; padding: 0; }
  .skip-link { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .card, .banner { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


@dataclass(frozen=True)
class _Piece:
    """A stretch of the document highlighted for one passage (numbered from 1)."""

    start: int
    end: int
    number: int
    first: bool  # the piece that carries the passage's anchor and label


def render_check_html(
    result: CheckResult, text: str, source_texts: Mapping[str, str] | None = None
) -> str:
    """The whole page: verdict banner, highlighted document, one card per passage.

    `text` is the checked text the match offsets index into. `source_texts`
    maps record ids to their indexed text, so each card can quote the record
    side by side with the document; records missing from it say so instead.
    """
    matches = sorted(result.matches, key=lambda match: (match.start, match.end))
    classes = _colour_classes(matches)
    pieces = _highlight_pieces(matches, len(text))
    shown = {piece.number for piece in pieces}
    title = f"Provenance check: {result.document}"
    document = _highlighted(text, pieces, matches, classes)
    lines = LineNumbers(text)
    cards = "\n".join(
        _card(number, match, classes[number - 1], number in shown, lines, source_texts or {})
        for number, match in enumerate(matches, start=1)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<a class="skip-link" href="#document">Skip to the document text</a>
<header>{_banner(result, matches)}</header>
<main id="main">
<h1>{_esc(title)}</h1>
<p>{_esc(_summary(matches, result.case_id))}</p>
<section aria-labelledby="document-heading">
<h2 id="document-heading">The document, with passages found in other records marked</h2>
{_legend(matches)}
<div class="document" id="document" tabindex="-1">{document}</div>
</section>
<section aria-labelledby="passages-heading">
<h2 id="passages-heading">Passages found ({len(matches)})</h2>
{cards or "<p>No passage of the document matched any indexed record.</p>"}
</section>
</main>
</body>
</html>
"""


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


def _banner(result: CheckResult, matches: Sequence[Match]) -> str:
    """Red if the verdict or any passage says leak: a disagreement must not look safe."""
    leak = result.verdict == "leak" or any(m.status == "cross_case" for m in matches)
    kind = "banner-leak" if leak else "banner-clean"
    notes = "".join(f"<p>Check by eye: {_esc(warning)}</p>" for warning in result.warnings)
    return (
        f'<div class="banner {kind}" role="status"><p>{_esc(verdict_sentence(result))}</p>'
        f"{notes}</div>"
    )


def _summary(matches: Sequence[Match], case_id: str) -> str:
    counts = {status: sum(m.status == status for m in matches) for status in _STYLES}
    family = counts["same_family"]
    linked = f"{family} from a case linked to it as one family, " if family else ""
    return (
        f"Checked for case {case_id}. Passages found: {counts['cross_case']} from another "
        f"case, {counts['same_case']} from this case's own records, {linked}"
        f"{counts['boilerplate']} standard template text."
    )


def _legend(matches: Sequence[Match]) -> str:
    """What each border means; a linked family's only when the report shows one."""
    shown = [
        status
        for status in _STYLES
        if status != "same_family" or any(m.status == status for m in matches)
    ]
    rows = "".join(
        f'<li><mark class="{_STYLES[s].mark_class} {_STYLES[s].colour_class}"><span class="tag">'
        f"{_STYLES[s].tag}</span>{_LEGEND[s].replace(':', '</mark>:', 1)}</li>"
        for s in shown
    )
    return f'<ul class="legend">{rows}</ul>'


def _colour_classes(matches: Sequence[Match]) -> list[str]:
    """A CSS class per passage: one colour per other case, cycled through the palette."""
    other_cases: list[str] = []
    classes: list[str] = []
    for match in matches:
        if match.status != "cross_case":
            classes.append(_STYLES[match.status].colour_class)
            continue
        if match.source.case_id not in other_cases:
            other_cases.append(match.source.case_id)
        classes.append(f"colour-case-{other_cases.index(match.source.case_id) % _PALETTE_SIZE}")
    return classes


def _highlight_pieces(matches: Sequence[Match], text_length: int) -> list[_Piece]:
    """Non-overlapping pieces of the text to highlight, sorted by position.

    Leaks claim their text first, then same-case, then template passages; a
    later passage keeps only the parts nobody claimed (possibly none, possibly
    several pieces around a leak inside it).
    """
    claimed = _Claimed()
    pieces: list[_Piece] = []
    order = sorted(range(len(matches)), key=lambda i: (_STYLES[matches[i].status].priority, i))
    for index in order:
        match = matches[index]
        free = claimed.take(max(0, match.start), min(text_length, match.end))
        for piece_index, (start, end) in enumerate(free):
            pieces.append(_Piece(start, end, index + 1, first=piece_index == 0))
    return sorted(pieces, key=lambda piece: piece.start)


class _Claimed:
    """Stretches of the text already highlighted: never overlapping, so in
    order of start they are in order of end too, and those a passage meets
    are found by bisection (re-sorting them all for each passage was
    quadratic in the number of passages)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def take(self, start: int, end: int) -> list[tuple[int, int]]:
        """Claim the parts of [start, end) nobody has; returns them."""
        first = bisect.bisect_right(self.ends, start)  # the first claim ending after start
        free: list[tuple[int, int]] = []
        cursor = start
        for at in range(first, len(self.starts)):
            if self.starts[at] >= end:
                break
            if self.starts[at] > cursor:
                free.append((cursor, self.starts[at]))
            cursor = max(cursor, self.ends[at])
        if cursor < end:
            free.append((cursor, end))
        for piece_start, piece_end in free:
            at = bisect.bisect_left(self.starts, piece_start)
            self.starts.insert(at, piece_start)
            self.ends.insert(at, piece_end)
        return free


def _highlighted(
    text: str, pieces: Sequence[_Piece], matches: Sequence[Match], classes: Sequence[str]
) -> str:
    """The document text, escaped, with each piece wrapped in a labelled <mark>."""
    parts: list[str] = []
    cursor = 0
    for piece in pieces:
        number, style = piece.number, _STYLES[matches[piece.number - 1].status]
        anchor = f' id="passage-{number}"' if piece.first else ""
        label = (
            f'<a class="tag" href="#card-{number}">{style.tag} {number}</a>' if piece.first else ""
        )
        parts.append(
            f'{_esc(text[cursor : piece.start])}<mark{anchor} class="{style.mark_class} '
            f'{classes[number - 1]}">{label}{_esc(text[piece.start : piece.end])}</mark>'
        )
        cursor = piece.end
    parts.append(_esc(text[cursor:]))
    return "".join(parts)


def _card(
    number: int,
    match: Match,
    colour: str,
    shown: bool,
    lines: LineNumbers,
    sources: Mapping[str, str],
) -> str:
    """One passage: what it is in words, where it came from, and the two texts."""
    source = match.source
    source_text = sources.get(source.record_id, "")[source.start : source.end]
    where = f"lines {lines.span(match.start, match.end, dash='–')}"
    location = f'<a href="#passage-{number}">{where}</a>' if shown else _esc(where)
    facts = (
        ("Came from record", _esc(source.record_id)),
        ("That record's case", _esc(source.case_id)),
        ("Kind of record", _esc(source.kind.replace("_", " "))),
        ("Record date", _esc(source.date)),
        ("How similar", f"{match.similarity:.0%}"),
        ("Where in this document", location),
    )
    rows = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in facts)
    also = ""
    if match.other_sources:
        names = ", ".join(f"{s.record_id} (case {s.case_id})" for s in match.other_sources)
        also = f"<p>Also found in: {_esc(names)}</p>"
    card_class = "card card-leak" if match.status == "cross_case" else "card"
    return (
        f'<article class="{card_class}" id="card-{number}" aria-labelledby="card-{number}-title">'
        f'<h3 id="card-{number}-title"><span class="swatch {colour}" aria-hidden="true">'
        f"</span>Passage {number}: {_esc(_STYLES[match.status].words)}</h3>"
        f'<dl class="facts">{rows}</dl>'
        '<div class="compare">'
        f"<figure><figcaption>In this document</figcaption>"
        f"<blockquote>{_esc(match.text)}</blockquote></figure>"
        f"<figure><figcaption>In record {_esc(source.record_id)}</figcaption>"
        f"<blockquote>{_esc(source_text or 'source text not available')}</blockquote></figure>"
        f"</div>{also}</article>"
    )
