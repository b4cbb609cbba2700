"""E-mail (.eml): the subject, the body a recipient reads, and its attachments.

The text is "Subject: ...", a blank line, the body, then each attachment as
"Attachment: NAME", a blank line and its text. The body is its plain-text
parts, and each HTML part whose words are not all in them (`body_sections`):
an HTML alternative usually repeats the plain text with markup, but a mail
client shows the HTML, so one that says more must be read. HTML is
converted to text by html_text.py (the standard library's parser).

Attachments are read because a store's e-mails carry the records that leak:
strategy minutes sent round as a .docx are the text a plan copies from, and
indexing only the covering note would miss them. Attachments in .txt, .md,
.docx, .doc, .pdf, .html/.htm, .rtf, .odt, .msg and .eml (also forwarded messages, up
to `_MAX_NESTING` deep) are extracted with the same parsers and limits (this runs inside the parser
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
from pathlib import PurePath
from typing import TYPE_CHECKING, cast

from provenance.errors import CorruptDocumentError, ProvenanceError
from provenance.extract import SUPPORTED_SUFFIXES
from provenance.extract.html_text import data_images, html_to_text
from provenance.extract.text import says_more
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits


_MAX_NESTING = 3  # messages attached to messages: deeper ones are named, not read
# The standard library's parser recurses once per nested multipart level.
NESTED_TOO_DEEP = "an e-mail whose parts are nested too deeply to read (hundreds of levels)"
# Every format the extractor reads; a forwarded message file (.eml) to _MAX_NESTING.
_READABLE_ATTACHMENTS = SUPPORTED_SUFFIXES


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
    for part in html:
        text = html_to_text(part)
        if says_more(text, plain):
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
