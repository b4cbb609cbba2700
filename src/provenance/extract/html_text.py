"""HTML -> the text a reader sees: saved web pages (.html, .htm), e-mail
bodies (eml.py) and Word's HTML chunks (docx.py) all go through `html_to_text`.

The standard library's parser is used, so no third-party HTML library sees
hostile input. A saved page is decoded as a browser would decode it
(`decode_html`) and its title, which the browser shows, is read first.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import urllib.parse
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from provenance.extract.text import decode_text
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

# A page declares its encoding in its first bytes (the HTML standard's prescan reads 1,024).
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_PRESCAN_BYTES = 1024


def extract_html(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return a saved web page's title and visible text (`html_to_text`).

    Raises:
        CorruptDocumentError: the bytes are not text (a binary file named .html).
    """
    text, encoding, guessed = decode_html(data, name)
    parsed = _parsed(text, depth=0)
    shown = _shown(parsed)
    title = " ".join("".join(parsed.title).split())
    sections = [title] if title and not shown.startswith(title) else []
    sections += [shown] if shown else []
    warnings = []
    if guessed and encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        warnings.append(f"decoded as {encoding}, not UTF-8")
    images = len(data_images(text))
    if images:
        warnings.append(f"{images} image(s) inside the page not read: check them by eye")
    if not sections:
        warnings.append("no visible text")
    return ExtractedText(
        text="\n\n".join(sections), format="html", encoding=encoding, warnings=tuple(warnings)
    )


def decode_html(data: bytes, name: str) -> tuple[str, str, bool]:
    """The page's text, the encoding used, and whether that was a guess.

    In order: a byte-order mark; UTF-8 when the bytes are valid UTF-8 (a page
    that declares Latin-1 but is UTF-8 is common, and its words are what
    matter); the encoding the page declares in a `<meta>` tag (not UTF-7,
    which browsers no longer honour and which can spell markup in letters);
    else the plain-text guesses (text.py).

    Raises:
        CorruptDocumentError: the bytes are not text.
    """
    declared = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if declared is not None and not data.startswith((codecs.BOM_UTF8, b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = declared.group(1).decode("ascii").lower()
            try:
                if codecs.lookup(encoding).name != "utf-7":
                    return data.decode(encoding), codecs.lookup(encoding).name, False
            except (LookupError, UnicodeDecodeError):
                pass  # a charset Python does not know, or one the page breaks: guess
    return (*decode_text(data, name), True)


_DATA_IMAGE = re.compile(
    r"""data:image/[\w.+-]+(?:;[\w=.+-]+)*;base64,([A-Za-z0-9+/=\s]+)""", re.IGNORECASE
)


def data_images(html: str) -> list[bytes]:
    """The images an HTML part carries in itself (`src="data:image/...;base64,..."`).

    A mail client shows them like an attached image: a picture of another
    family's record sent this way was cleared while the same picture
    attached was not.
    """
    images = []
    for found in _DATA_IMAGE.finditer(html):
        try:
            images.append(base64.b64decode("".join(found.group(1).split()), validate=False))
        except (binascii.Error, ValueError):
            images.append(b"")
    return images


# Tags whose content is never shown, and tags that start a new line.
_HIDDEN_TAGS = frozenset({"script", "style", "title", "template"})
# A <template> with one of these is a declarative shadow root, which the browser shows.
_SHADOW_ROOT = frozenset({"shadowrootmode", "shadowroot"})
# Elements that show another document; one written into the page (`data:`) is read.
_FRAME_TAGS = frozenset({"iframe", "frame", "object", "embed"})
_DATA_ADDRESS = re.compile(r"data:([^,;]*)((?:;[^,;]*)*),(.*)", re.DOTALL | re.IGNORECASE)
_BLOCK_TAG_NAMES = (
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table td th tr ul"
)
_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(html: str, depth: int = 0) -> str:
    """Return the visible text of an HTML body, one line per block element.

    Entities are unescaped; whitespace is collapsed as a browser would (except
    inside <pre>); script and style contents are dropped. Also read, as a
    reader may see them: an image's alt text (shown where images are
    blocked, as many mail clients do by default), a text box's value, an
    inline frame's `srcdoc` page (`depth` of them at most 3), and text a
    `<bdo dir=rtl>` or CSS `unicode-bidi: bidi-override` shows backwards,
    marked with a right-to-left override for the check's visual reading
    (`readings.visual_order`), and text style sheets write onto the page
    (`content: "..."`), after the rest. An element styled `display: inline`
    starts no line.
    """
    return _shown(_parsed(html, depth))


def _data_page(address: str, depth: int) -> str:
    """The text of a page or text file written into a `data:` address (an
    <iframe>, <object> or <embed> shows it), or "" for any other type."""
    found = _DATA_ADDRESS.match(address)
    if found is None:
        return ""
    kind, parameters, payload = (
        found.group(1).strip().lower(),
        found.group(2).lower(),
        found.group(3),
    )
    if kind not in ("text/html", "text/plain", "application/xhtml+xml", ""):
        return ""
    try:
        raw = (
            base64.b64decode("".join(payload.split()), validate=False)
            if ";base64" in parameters
            else urllib.parse.unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError):
        return ""
    text = raw.decode("utf-8", errors="replace")
    return text if kind == "text/plain" else html_to_text(text, depth)


def _parsed(html: str, depth: int) -> _HtmlText:
    parser = _HtmlText(depth)
    parser.feed(html)
    parser.close()
    return parser


def _shown(parser: _HtmlText) -> str:
    generated = [_css_unescaped(text) for text in parser.generated if text.strip()]
    shown = "".join(parser.pieces) + "".join(f"\n\n{text}" for text in generated)
    return _BLANK_LINES.sub("\n\n", shown).strip(" \n")


# Text a style sheet puts on the page itself (`p::before { content: "..." }`).
_CSS_CONTENT = re.compile(r"""content\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
_CSS_ATTR = re.compile(r"content\s*:[^;}]*?attr\(\s*([\w-]+)\s*\)", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")


def _css_unescaped(text: str) -> str:
    """A CSS string's text: `\\201C` is a character by its code, `\\"` the quote."""

    def one(found: re.Match[str]) -> str:
        if found.group(1):
            code = int(found.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else ""
        return found.group(2)

    return _CSS_ESCAPE.sub(one, text)


_INLINE_STYLE = re.compile(r"display\s*:\s*inline", re.IGNORECASE)
_OVERRIDE_STYLE = re.compile(r"unicode-bidi\s*:\s*(?:bidi|isolate)-override", re.IGNORECASE)
_RTL_STYLE = re.compile(r"direction\s*:\s*rtl", re.IGNORECASE)
_MAX_FRAME_DEPTH = 3
_RAW_TEXT_TAGS = frozenset(("textarea", "xmp", "plaintext"))
_GAP_STYLE = re.compile(
    r"(?:margin|padding)(?:-(?:left|right))?\s*:\s*(?:0*\.0*[1-9]|0*[1-9])"
    r"|display\s*:\s*inline-block",
    re.IGNORECASE,
)


class _HtmlText(HTMLParser):
    def __init__(self, depth: int = 0) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._hidden_depth = 0
        self._pre_depth = 0
        self._depth = depth
        # For each block tag, its open elements: whether each ends a line. Kept per tag so
        # that closing one is quick however deep a page nests (200,000 <div>s took 30 s).
        self._open_blocks: dict[str, list[bool]] = {}
        self._overrides: list[str] = []  # tags that opened a right-to-left override
        self._style_depth = 0
        self._raw_depth = 0  # inside <textarea>, <xmp>, <plaintext>: shown as written
        self._gapped: list[str] = []  # inline elements styled with a gap around them
        self.generated: list[str] = []  # text style sheets put on the page (`content:`)
        self.title: list[str] = []  # the page's <title>: shown by a browser, not on the page
        self._templates: list[bool] = []  # for each open <template>: whether it hides
        self._attributes_shown: set[str] = set()  # named in a style sheet's attr()
        self._title_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_depth and tag not in _HIDDEN_TAGS:
            return
        values = {name: value or "" for name, value in attrs}
        style = values.get("style", "")
        if tag == "template" and not self._hidden_depth and _SHADOW_ROOT.intersection(values):
            self._templates.append(False)  # a declarative shadow root: shown on the page
        elif tag in _HIDDEN_TAGS:
            self._templates += [True] if tag == "template" else []
            self._hidden_depth += 1
            self._style_depth += tag == "style"
            self._title_depth += tag == "title"
        elif tag == "br":
            self._newline()
        elif tag in _BLOCK_TAGS:
            ends_line = _INLINE_STYLE.search(style) is None
            self._open_blocks.setdefault(tag, []).append(ends_line)
            if ends_line:
                self._newline()
            self._pre_depth += tag == "pre"
        self._shown_attributes(tag, values)
        self._raw_depth += tag in _RAW_TEXT_TAGS
        if tag not in _BLOCK_TAGS and _GAP_STYLE.search(style) is not None:
            self.handle_data(" ")  # a margin or padding is a gap between words
            self._gapped.append(tag)
        rtl = values.get("dir", "").lower() == "rtl" or _RTL_STYLE.search(style) is not None
        if rtl and (tag == "bdo" or _OVERRIDE_STYLE.search(style) is not None):
            self.pieces.append("\u202e")
            self._overrides.append(tag)

    def _shown_attributes(self, tag: str, values: dict[str, str]) -> None:
        """Text a reader may see that sits in an attribute, not between tags."""
        shown = ""
        if tag in ("img", "area") and values.get("alt", "").strip():
            shown = values["alt"]
        elif tag == "input" and values.get("type", "text").lower() != "hidden":
            shown = values.get("value", "")
        elif tag == "iframe" and values.get("srcdoc") and self._depth < _MAX_FRAME_DEPTH:
            shown = html_to_text(values["srcdoc"], self._depth + 1)
        elif tag in _FRAME_TAGS and self._depth < _MAX_FRAME_DEPTH:
            address = values.get("src") or values.get("data") or ""
            shown = _data_page(address, self._depth + 1) if address.startswith("data:") else ""
        # Attributes a style sheet writes onto the page (`content: attr(data-note)`).
        shown += "".join(f" {values[name]}" for name in self._attributes_shown if name in values)
        if shown.strip():
            self.handle_data(f" {shown} ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "template" and self._templates and not self._templates.pop():
            return  # the end of a shown shadow root
        if tag in _HIDDEN_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
            if tag == "style":
                self._style_depth = max(0, self._style_depth - 1)
            if tag == "title":
                self._title_depth = max(0, self._title_depth - 1)
            return
        if self._overrides and self._overrides[-1] == tag:
            self.pieces.append("\u202c")
            self._overrides.pop()
        if self._gapped and self._gapped[-1] == tag:
            self.handle_data(" ")
            self._gapped.pop()
        if tag in _RAW_TEXT_TAGS:
            self._raw_depth = max(0, self._raw_depth - 1)
        if tag in _BLOCK_TAGS:
            opened = self._open_blocks.get(tag)
            ends_line = opened.pop() if opened else True
            if ends_line:
                self._newline()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """A `<![...]>` section the standard library cannot name (`<![frame x`)
        raises AssertionError there: it is skipped to its `>` instead, as a
        browser skips it (found by scripts/fuzz_extract.py)."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def handle_comment(self, data: str) -> None:
        """A comment is not shown, except inside an element that shows its
        text as written (a browser prints `<!-- ... -->` inside <textarea>,
        <xmp> or <plaintext>), and Outlook's conditional comments, whose
        content Outlook shows (`<!--[if mso]>...<![endif]-->`)."""
        if self._hidden_depth:
            return
        if self._raw_depth:
            self.handle_data(f"<!--{data}-->")
        elif data.startswith("[if") and "]>" in data:
            inner = data.split("]>", 1)[1].removesuffix("<![endif]")
            self.handle_data(f" {html_to_text(inner, self._depth + 1)} ")

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            if self._style_depth:  # a style sheet may write text onto the page
                self.generated += [a or b for a, b in _CSS_CONTENT.findall(data)]
                self._attributes_shown.update(_CSS_ATTR.findall(data))
            elif self._title_depth and self._hidden_depth == 1:
                self.title.append(data)
            return
        if self._pre_depth:
            self.pieces.append(data)
            return
        text = _SPACES.sub(" ", data)
        if not self.pieces or self.pieces[-1].endswith(("\n", " ")):
            text = text.lstrip(" ")
        if text:
            self.pieces.append(text)

    def _newline(self) -> None:
        """End the line, dropping the space a browser would not show before it."""
        if self.pieces and not self._pre_depth:
            self.pieces[-1] = self.pieces[-1].rstrip(" ")
        self.pieces.append("\n")
