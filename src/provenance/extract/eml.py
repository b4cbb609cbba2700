"""E-mail (.eml): the subject, the body a recipient reads, and its attachments.

The text is "Subject: ...", a blank line, the body, then each attachment as
"Attachment: NAME", a blank line and its text. The body is its plain-text
parts, and each HTML part whose words are not all in them (`body_sections`):
an HTML alternative usually repeats the plain text with markup, but a mail
client shows the HTML, so one that says more must be read. HTML is
converted to text with the standard library's parser, so no third-party
HTML library sees hostile mail.

Attachments are read because a store's e-mails carry the records that leak:
strategy minutes sent round as a .docx are the text a plan copies from, and
indexing only the covering note would miss them. Attachments in .txt, .md,
.docx, .pdf and .eml (also forwarded messages, up to `_MAX_NESTING` deep) are
extracted with the same parsers and limits (this runs inside the parser
worker); any other type, or one that cannot be read, is named in `warnings`
and the rest of the message is still used, so nothing readable is lost and
nothing unread is silent.
"""

from __future__ import annotations

import base64
import binascii
import email
import quopri
import re
from email import policy
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import PurePath
from typing import TYPE_CHECKING, cast

from provenance.errors import CorruptDocumentError, ProvenanceError
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits


_MAX_NESTING = 3  # messages attached to messages: deeper ones are named, not read
# The standard library's parser recurses once per nested multipart level.
NESTED_TOO_DEEP = "an e-mail whose parts are nested too deeply to read (hundreds of levels)"
_READABLE_ATTACHMENTS = frozenset({".txt", ".md", ".docx", ".pdf", ".eml"})


def extract_eml(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return "Subject: ...", the message body and the text of its attachments.

    Raises:
        CorruptDocumentError: no e-mail headers (not an .eml file), or a
            message the standard library cannot take apart.
    """
    return _extract_message(data, name, limits, depth=0)


def _extract_message(data: bytes, name: str, limits: ExtractionLimits, depth: int) -> ExtractedText:
    try:
        message = email.message_from_bytes(data, policy=policy.default)
        if not message.keys():
            raise CorruptDocumentError(
                f"{name}: has no e-mail headers; is it really a saved e-mail (.eml)?"
            )
        body = MessageParts(message)
        subject = str(message.get("subject") or "").strip()
        names = display_names(message)
    except (ProvenanceError, MemoryError):
        raise
    except RecursionError:
        raise CorruptDocumentError(f"{name}: {NESTED_TOO_DEEP}") from None
    except Exception as exc:
        raise CorruptDocumentError(f"{name}: damaged e-mail ({type(exc).__name__}: {exc})") from exc
    sections = [f"Subject: {subject}"] if subject else []
    sections += [names] if names else []
    sections.extend(body_sections(body.plain, body.html))
    warnings = list(body.warnings)
    for attachment in body.attachments:
        attached = _attachment_text(attachment, name, limits, depth)
        if isinstance(attached, str):
            warnings.append(attached)
            continue
        label = attachment_name(attachment)
        sections.append(f"Attachment: {label}\n\n{attached.text}")
        warnings.extend(f"{label}: {warning}" for warning in attached.warnings)
    return ExtractedText(text="\n\n".join(sections), format="eml", warnings=tuple(warnings))


_ADDRESS_HEADERS = ("from", "to", "cc", "reply-to")


def display_names(message: EmailMessage) -> str:
    """The names a mail client shows for the sender and recipients, one line
    ("From: Priya Desai; To: ..."), or "".

    A display name is free text the recipient reads in the message's header:
    a black-box round put the copied passage there, with a clean body.
    """
    shown = []
    for header in _ADDRESS_HEADERS:
        names = []
        for value in message.get_all(header) or []:
            for address in getattr(value, "addresses", ()):
                if address.display_name.strip():
                    names.append(address.display_name.strip())
        if names:
            shown.append(f"{header.title()}: {', '.join(names)}")
    return "; ".join(shown)


def body_sections(plain: list[str], html: list[str]) -> list[str]:
    """The texts of a message body to check: every plain-text part, and the
    text of each HTML part that holds a word none of them has.

    The plain part of a multipart/alternative message is what a text-only
    client shows; nearly every recipient sees the HTML. Reading only the
    plain part let an HTML alternative carry another family's details past
    the check; reading both always would show each passage twice.
    """
    sections = list(plain)
    plain_words = set(_WORD.findall(" ".join(plain).lower()))
    for part in html:
        text = html_to_text(part)
        if not set(_WORD.findall(text.lower())) <= plain_words:
            sections.append(text)
    return sections


def attachment_name(part: EmailMessage) -> str:
    return part.get_filename() or f"(unnamed {part.get_content_type()})"


def _attachment_text(
    part: EmailMessage, message_name: str, limits: ExtractionLimits, depth: int
) -> ExtractedText | str:
    """The attachment's text, or a warning saying why it was not read."""
    from provenance.extract import attached_text, parse_bytes

    label = attachment_name(part)
    forwarded = part.get_content_type() == "message/rfc822"
    suffix = ".eml" if forwarded else PurePath(label).suffix.lower()
    refusal = None
    if suffix not in _READABLE_ATTACHMENTS:
        refusal = f"type {suffix or part.get_content_type()}"
    elif suffix == ".eml" and depth >= _MAX_NESTING:
        refusal = f"messages nested over {_MAX_NESTING} deep"
    inside = f"{message_name}/{label}"

    def read() -> ExtractedText:
        data = attachment_bytes(part)
        if suffix == ".eml":
            return _extract_message(data, inside, limits, depth + 1)
        return parse_bytes(data, inside, limits)

    return attached_text(label, refusal, read)


def attachment_bytes(part: EmailMessage) -> bytes:
    """The attached file's bytes; for a forwarded message (message/rfc822),
    the message itself, as an .eml file would hold it."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        forwarded = inner[0] if isinstance(inner, list) and inner else None
        if not isinstance(forwarded, Message):
            return b""
        return _encoded_message(part, forwarded) or forwarded.as_bytes()
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _encoded_message(part: Message, parsed: Message) -> bytes | None:
    """The forwarded message's bytes when a client base64- or quoted-printable-
    encoded the message/rfc822 part, else None.

    RFC 2046 forbids that encoding, so the standard library parses the
    encoded text itself as a message with no headers; mail clients decode it
    and show the forwarded message, another family's minutes included.
    """
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        return None
    encoded = parsed.as_bytes().lstrip(b"\r\n")
    try:
        if encoding == "base64":
            return base64.b64decode(encoded, validate=False)
        return quopri.decodestring(encoded)
    except (binascii.Error, ValueError):
        return None


def unflowed(text: str, delete_space: bool) -> str:
    """A `format=flowed` text part as a mail client shows it (RFC 3676).

    A line ending in a space is a soft break: the client joins it to the
    next, and with `delsp=yes` drops that space, so "Kay " + "den" reads
    "Kayden". Read as written, a copy broken that way was a row of word
    pieces. A leading space added to protect a line ("space-stuffing") goes.

    >>> unflowed("Kay \\r\\nden was seen.\\r\\n Next", True)
    'Kayden was seen.\\nNext'
    """
    shown: list[str] = []
    joined = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.removeprefix(" ")
        if line.endswith(" ") and line != "-- ":  # "-- " is the signature line
            joined += line[:-1] if delete_space else line
        else:
            shown.append(joined + line)
            joined = ""
    if joined:
        shown.append(joined)
    return "\n".join(shown)


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


_UUENCODED = re.compile(
    r"^begin [0-7]{3,4} (?P<name>[^\r\n]+)\r?\n(?P<lines>.*?)^end[ \t]*\r?$", re.M | re.S
)


def _uuencoded_files(text: str) -> tuple[str, list[EmailMessage]]:
    """Files written into a plain-text body as uuencoded blocks ("begin 644
    minutes.docx" ... "end"), taken out of the text as attachments.

    Older mail programs attach files this way and several clients still show
    such a block as an attached file: read as text, a copied document was
    a block of line noise.
    """
    files: list[EmailMessage] = []
    kept: list[str] = []
    done = 0
    for found in _UUENCODED.finditer(text):
        data = bytearray()
        try:
            for line in found.group("lines").splitlines():
                if line.strip() and line.strip() != "`":
                    data += binascii.a2b_uu(line)
        except binascii.Error:
            continue  # not uuencoded after all: left as text
        attached = EmailMessage()
        attached.set_content(
            bytes(data),
            maintype="application",
            subtype="octet-stream",
            filename=found.group("name").strip(),
        )
        files.append(attached)
        kept.append(text[done : found.start()])
        done = found.end()
    return "".join(kept) + text[done:], files


class MessageParts:
    """Sorts every part of a message, however deeply nested, into plain text,
    HTML, attachments and parts that are none of these (`unread`).

    The indexer and `check-eml` both sort a message with this, so a file
    nested inside the HTML part's multipart/related (where some clients put
    attachments and inline images) is seen by the pre-send check as well.
    """

    def __init__(self, message: EmailMessage) -> None:
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments: list[EmailMessage] = []
        self.unread: list[EmailMessage] = []
        self.warnings: list[str] = []
        self._walk(message)
        self.warnings.extend(f"part not read: {attachment_name(part)}" for part in self.unread)
        # Images written into an HTML part (data: addresses), each decoded.
        self.body_images = [image for html in self.html for image in data_images(html)]
        if self.body_images:
            self.warnings.append(f"{len(self.body_images)} image(s) in the HTML body not read")

    def _walk(self, part: EmailMessage) -> None:
        if part.is_attachment():
            self.attachments.append(part)
        elif part.is_multipart():
            # multipart/* and message/rfc822 (a forwarded message shown inline)
            for subpart in cast(list[EmailMessage], part.get_payload()):
                encoded = _encoded_message(part, subpart)
                if encoded is not None:
                    subpart = email.message_from_bytes(encoded, policy=policy.default)
                self._walk(subpart)
        elif part.get_content_type() == "text/plain":
            text = self._decoded(part)
            if str(part.get_param("format", "")).lower() == "flowed":
                text = unflowed(text, str(part.get_param("delsp", "")).lower() == "yes")
            text, files = _uuencoded_files(text)
            self.plain.append(text)
            self.attachments.extend(files)
        elif part.get_content_type() == "text/html":
            self.html.append(self._decoded(part))
        elif part.get_filename():  # an inline file (a PDF shown in the message) is still a file
            self.attachments.append(part)
        else:
            self.unread.append(part)

    def _decoded(self, part: EmailMessage) -> str:
        """Decode a text part, surviving a charset Python does not know."""
        try:
            return cast(str, part.get_content())
        except (LookupError, ValueError):
            charset = part.get_content_charset()
            self.warnings.append(f"unknown charset {charset!r} in e-mail; decoded as UTF-8")
            payload = part.get_payload(decode=True)
            raw = payload if isinstance(payload, bytes) else b""
            return raw.decode("utf-8", errors="replace")


# Tags whose content is never shown, and tags that start a new line.
_HIDDEN_TAGS = frozenset({"script", "style", "title", "template"})
_BLOCK_TAG_NAMES = (
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table td th tr ul"
)
_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_WORD = re.compile(r"\w+")
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
    parser = _HtmlText(depth)
    parser.feed(html)
    parser.close()
    generated = [_css_unescaped(text) for text in parser.generated if text.strip()]
    shown = "".join(parser.pieces) + "".join(f"\n\n{text}" for text in generated)
    return _BLANK_LINES.sub("\n\n", shown).strip(" \n")


# Text a style sheet puts on the page itself (`p::before { content: "..." }`).
_CSS_CONTENT = re.compile(r"""content\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
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
        self._open_blocks: list[tuple[str, bool]] = []  # tag, whether it ends a line
        self._overrides: list[str] = []  # tags that opened a right-to-left override
        self._style_depth = 0
        self._raw_depth = 0  # inside <textarea>, <xmp>, <plaintext>: shown as written
        self._gapped: list[str] = []  # inline elements styled with a gap around them
        self.generated: list[str] = []  # text style sheets put on the page (`content:`)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_depth and tag not in _HIDDEN_TAGS:
            return
        values = {name: value or "" for name, value in attrs}
        style = values.get("style", "")
        if tag in _HIDDEN_TAGS:
            self._hidden_depth += 1
            self._style_depth += tag == "style"
        elif tag == "br":
            self._newline()
        elif tag in _BLOCK_TAGS:
            ends_line = _INLINE_STYLE.search(style) is None
            self._open_blocks.append((tag, ends_line))
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
        if shown.strip():
            self.handle_data(f" {shown} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
            if tag == "style":
                self._style_depth = max(0, self._style_depth - 1)
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
            opened = [n for n, (name, _) in enumerate(self._open_blocks) if name == tag]
            ends_line = self._open_blocks.pop(opened[-1])[1] if opened else True
            if ends_line:
                self._newline()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

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
