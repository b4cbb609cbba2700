"""Rich Text Format (.rtf): the text Word or WordPad shows, and the text it keeps aside.

Case-management systems and older templates save letters and minutes as RTF.
The body is read in order; headers, footers, footnotes, comments and text
boxes (their own groups in RTF) follow it, each as its own block, as the
.docx extractor does: copied text hides in all of them; so do WordArt text
and a picture's alt text (shape properties), the Unicode half of a \\upr
pair (what Word shows) and list-number text. The document's
title, subject, keywords and comments (File > Properties) come last.

Why not a library: the small RTF-to-text packages drop header, footer,
footnote, comment and text-box groups as "destinations", which is exactly
where a copied paragraph would pass unseen. The format itself is simple:
groups in braces, control words, escaped bytes in the document's code page
(`\\ansicpg`), and Unicode characters (`\\uN`) followed by `\\ucN` fallback
characters to skip. Everything else (font and colour tables, style sheets,
pictures, embedded objects, field instructions, revision tables) is not
text and is skipped; pictures and embedded objects are named in a warning,
since they can hold text no one reads here. Hidden text (`\\v`) is read: it
is in the file the family receives.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from provenance.errors import CorruptDocumentError
from provenance.extract.html_text import html_to_text
from provenance.extract.package import OLE2_MAGIC
from provenance.extract.text import says_more
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word, optional number, its delimiter
    rb"|\\'([0-9a-fA-F]{2})"  # a byte in the document's code page
    rb"|\\(.)"  # control symbol: \~ \- \_ \{ \} \\ \* and \<newline> (a paragraph)
    rb"|([{}])"
    rb"|[\r\n]+"  # line breaks in the file are not text
    rb"|([^\\{}\r\n]+)",
    re.DOTALL,
)
# Groups that hold no text a reader sees.
_SKIPPED = frozenset(
    [
        "fonttbl",
        "colortbl",
        "stylesheet",
        "listtable",
        "listoverridetable",
        "revtbl",
        "rsidtbl",
        "filetbl",
        "object",
        "objdata",
        "objclass",
        "objname",
        "fldinst",
        "datafield",
        "themedata",
        "colorschememapping",
        "datastore",
        "latentstyles",
        "xmlnstbl",
        "generator",
        "author",
        "operator",
        "creatim",
        "revtim",
        "printim",
        "buptim",
        "company",
        "manager",
        "category",
        "hlinkbase",
        "bkmkstart",
        "bkmkend",
        "atnid",
        "atnauthor",
        "atndate",
        "atnref",
        "atrfstart",
        "atrfend",
        "pgdsctbl",
        "mmathPr",
        "listpicture",
        "nonshppict",
        "userprops",
        "docvar",
        "private",
    ]
)
# Groups of text kept apart from the body: read after it, each as its own block.
_ASIDE = frozenset(
    [
        "header",
        "headerl",
        "headerr",
        "headerf",
        "footer",
        "footerl",
        "footerr",
        "footerf",
        "footnote",
        "annotation",
        "shptxt",
        "dptxbxtext",
    ]
)
# Document properties worth reading (File > Properties shows them).
_PROPERTIES = frozenset(["title", "subject", "keywords", "doccomm"])
# Starred (ignorable) groups that still hold text (a shape's instructions hold its text
# box) or a picture to name (`nonshppict` repeats it for old readers: skipped).
_STARRED_READ = _ASIDE | frozenset(
    ("shpinst", "shppict", "picprop", "ud", "pn", "pnseclvl", "pntxta", "pntxtb")
)
# Shape properties whose value a reader sees: WordArt text, a picture's alt text.
_SHAPE_TEXT = frozenset(("gtextUNICODE", "wzDescription", "wzTitle"))
_CHARACTERS = {
    "par": "\n",
    "line": "\n",
    "sect": "\n\n",
    "page": "\n\n",
    "row": "\n",
    "cell": "\t",
    "nestcell": "\t",
    "tab": "\t",
    "emdash": "\u2014",
    "endash": "\u2013",
    "emspace": "\u2003",
    "enspace": "\u2002",
    "qmspace": "\u2005",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
}
_SYMBOLS = {b"~": "\u00a0", b"-": "\u00ad", b"_": "\u2011", b"\n": "\n", b"\r": "\n"}
_MAX_DEPTH = 5_000  # nested groups: real documents stay in the tens; deeper is refused
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class _Group:
    """What a group inherits from its parent, and may change for itself."""

    out: list[str]  # where its text goes: the body, a block aside, or nowhere
    skip: bool = False
    fallback: int = 1  # characters after \uN to skip (\ucN)
    starred: bool = False  # opened with \*: skipped unless its destination is known text
    html_tag: bool = False  # inside {\*\htmltag ...}: markup of an encapsulated HTML body
    rtf_only: bool = False  # after \htmlrtf: in the RTF rendering, not in the HTML


@dataclass
class _Reader:
    body: list[str] = field(default_factory=list)
    aside: list[list[str]] = field(default_factory=list)
    properties: list[list[str]] = field(default_factory=list)
    encoding: str = "cp1252"
    pictures: int = 0
    objects: int = 0
    pending: bytearray = field(default_factory=bytearray)  # \'hh bytes not yet decoded
    shape_property: list[str] = field(default_factory=list)  # the last \sn's text
    from_html: bool = False  # \\fromhtml: the RTF encapsulates an HTML body
    html: list[str] = field(default_factory=list)  # that HTML, rebuilt


def extract_rtf(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return the body, then the text kept aside, then the document properties.

    Raises:
        CorruptDocumentError: not RTF (no "{\\rtf" at the start).
    """
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"{\\rtf"):
        if data.startswith(OLE2_MAGIC):
            from provenance.extract.doc import renamed_doc

            return renamed_doc(data, name, limits, ".rtf")
        raise CorruptDocumentError(f'{name}: not an RTF file (it does not start with "{{\\rtf")')
    reader = _read(start, name)
    blocks = ["".join(reader.body)] + ["".join(part) for part in reader.aside]
    if reader.html:
        shown = html_to_text("".join(reader.html))
        if says_more(shown, blocks):
            blocks.append(shown)  # what a mail client shows from the HTML says more
    blocks += [" ".join("".join(part).split()) for part in reader.properties]
    text = "\n\n".join(block.strip(" \n") for block in blocks if block.strip())
    warnings = []
    if reader.pictures:
        warnings.append(f"{reader.pictures} picture(s) not read: check them by eye")
    if reader.objects:
        warnings.append(f"{reader.objects} embedded object(s) not read: check them by eye")
    return ExtractedText(
        text=_BLANK_LINES.sub("\n\n", text), format="rtf", warnings=tuple(warnings)
    )


def _read(data: bytes, name: str) -> _Reader:
    reader = _Reader()
    group = _Group(out=reader.body)
    stack: list[_Group] = []
    skip_chars = 0  # fallback characters still to skip after a \uN
    position = 0
    while position < len(data):
        token = _TOKEN.match(data, position)
        if token is None:  # a lone backslash at the very end
            break
        position = token.end()
        word, number, hexbyte, symbol, brace, text = token.groups()
        if hexbyte is None:
            _flush(reader, group)
        if brace == b"{":
            if len(stack) >= _MAX_DEPTH:
                raise CorruptDocumentError(
                    f"{name}: groups nested too deeply to be a real document"
                )
            stack.append(group)
            group = replace(group)
            skip_chars = 0
        elif brace == b"}":
            group = stack.pop() if stack else group
            skip_chars = 0
        elif word is not None:
            control = word.decode("ascii")
            if control == "bin":  # raw bytes follow: never text
                position += max(0, int(number or 0))
                continue
            if skip_chars:
                skip_chars -= 1
                continue
            skip_chars = _control_word(reader, group, control, number)
        elif hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
            elif not group.skip:
                reader.pending.append(int(hexbyte, 16))
        elif symbol is not None:
            if symbol == b"*":
                group.starred = True
            elif skip_chars:
                skip_chars -= 1
            elif not group.skip:
                _emit(reader, group, _SYMBOLS.get(symbol, symbol.decode("latin-1")))
        elif text is not None and not group.skip:
            chars = text.decode(reader.encoding, errors="replace")
            dropped = min(skip_chars, len(chars))
            skip_chars -= dropped
            _emit(reader, group, chars[dropped:])
    _flush(reader, group)
    return reader


def _control_word(reader: _Reader, group: _Group, name: str, number: bytes | None) -> int:
    """Apply one control word to the reader and the group; return how many
    fallback characters to skip next (after a Unicode character)."""
    if name == "fromhtml":
        reader.from_html = True
    elif name == "htmlrtf":
        group.rtf_only = number is None or int(number) != 0
    elif name in ("htmltag", "mhtmltag") and reader.from_html and not group.skip:
        group.html_tag = True
        group.out = []  # markup: read only as part of the encapsulated HTML
    elif name in _SKIPPED or (group.starred and name not in _STARRED_READ | _PROPERTIES):
        reader.objects += name == "object" and not group.skip
        group.skip = True
    elif name == "pict" and not group.skip:
        reader.pictures += 1
        group.out = []  # the picture's data is not text; its properties may be (picprop)
    elif name == "sn" and not group.skip:
        group.out = reader.shape_property = []  # a shape property's name
    elif name == "sv" and not group.skip:
        group.out = []  # its value: kept only when a reader sees it
        if "".join(reader.shape_property).strip() in _SHAPE_TEXT:
            reader.aside.append(group.out)
    elif name in _ASIDE and not group.skip:
        group.out = []
        reader.aside.append(group.out)
    elif name in _PROPERTIES and not group.skip:
        group.out = []
        reader.properties.append(group.out)
    elif name == "info":
        group.out = []  # only the properties inside are kept
    elif name == "ansicpg" and number is not None:
        reader.encoding = _codec(f"cp{int(number)}", reader.encoding)
    elif name == "uc" and number is not None:
        group.fallback = max(0, int(number))
    elif name == "u" and number is not None:
        if not group.skip:
            code = int(number) % 65536  # written as a signed 16-bit number
            _emit(reader, group, chr(code) if not 0xD800 <= code < 0xE000 else "\ufffd")
        return group.fallback
    elif name in _CHARACTERS and not group.skip:
        _emit(reader, group, _CHARACTERS[name])
    group.starred = False
    return 0


def _emit(reader: _Reader, group: _Group, text: str) -> None:
    """Text for the group's destination, and for the encapsulated HTML body
    (an Outlook message's RTF written from HTML, \\fromhtml): its markup is in
    htmltag groups, its text outside \\htmlrtf runs."""
    group.out.append(text)
    if reader.from_html and (group.html_tag or not group.rtf_only):
        reader.html.append(text)


def _flush(reader: _Reader, group: _Group) -> None:
    """Decode the \\'hh bytes read so far: a character of a double-byte code
    page is written as two of them."""
    if reader.pending:
        _emit(reader, group, bytes(reader.pending).decode(reader.encoding, errors="replace"))
        reader.pending.clear()


def _codec(name: str, fallback: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return fallback
