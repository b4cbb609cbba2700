"""Outlook messages (.msg): the subject, the names, the body and the attachments.

Trusts use Outlook: a message saved from it, or filed into the case record by
the case-management system, is a .msg, the Outlook counterpart of an .eml. It
is a compound file (olefile) of MAPI properties, one stream each
([MS-OXMSG]): the subject, the sender's and recipients' display names, the
plain-text body, the HTML body and the body as compressed RTF ([MS-OXRTFCP],
decompressed here: a short, fully specified algorithm). The text is laid out
as the .eml extractor lays it out; the HTML body, and the RTF body (which
Outlook shows when it is out of step with the others), are read when they
say more than the plain one (eml.body_sections).

Attachments are read with the same parsers and limits, messages attached to
messages up to `_MAX_NESTING` deep; any other attachment, or one that cannot be
read, is named in a warning and the rest of the message is still used (a
pre-send check then refuses to clear the message: api.check_file).
"""

from __future__ import annotations

import struct
from pathlib import PurePath
from typing import TYPE_CHECKING

import olefile

from provenance.errors import CorruptDocumentError
from provenance.extract import SUPPORTED_SUFFIXES, attached_text, parse_bytes
from provenance.extract.eml import body_sections
from provenance.extract.html_text import decode_html
from provenance.extract.package import OLE2_MAGIC, compound_file
from provenance.extract.rtf import extract_rtf
from provenance.extract.text import says_more
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_MAX_NESTING = 3
# Not .msg or .eml files: an attached message is read as one (3701000D), to a depth;
# a message file inside a message file could nest without end.
_READABLE = SUPPORTED_SUFFIXES - {".eml", ".msg"}
_SUBJECT, _BODY, _HTML, _RTF = "0037", "1000", "1013", "10090102"
_NAMES = (("From", "0C1A"), ("To", "0E04"), ("Cc", "0E03"))
_ATTACHMENT = "__attach_version1.0_#"
_ATTACHED_MESSAGE = "__substg1.0_3701000D"
_ATTACHED_DATA = "__substg1.0_37010102"
_ATTACHMENT_NAMES = ("3707", "3704", "3001")  # long file name, short file name, display name
# [MS-OXRTFCP] 2.1.2.1: the dictionary's first 207 bytes.
_RTF_PREBUFFER = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss "
    b"\\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
    b"{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"
)
_LZFU, _MELA = 0x75465A4C, 0x414C454D


def extract_msg(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Return "Subject: ...", the names, the body and the text of the attachments.

    Raises:
        CorruptDocumentError: not an Outlook message, or a damaged one.
    """
    if not data.startswith(OLE2_MAGIC):
        raise CorruptDocumentError(f"{name}: not an Outlook message (no Office file signature)")
    with compound_file(data, name, "Outlook message") as package:
        if not package.exists("__properties_version1.0"):
            raise CorruptDocumentError(
                f"{name}: an Office file that is not an Outlook message "
                "(no message properties): a Word or Excel file named .msg?"
            )
        sections, warnings = _message(package, [], name, limits, depth=0)
    return ExtractedText(text="\n\n".join(sections), format="msg", warnings=tuple(warnings))


def _message(
    package: olefile.OleFileIO, prefix: list[str], name: str, limits: ExtractionLimits, depth: int
) -> tuple[list[str], list[str]]:
    """The sections and warnings of the message stored under `prefix`."""
    warnings: list[str] = []
    subject = _text(package, prefix, _SUBJECT)
    sections = [f"Subject: {subject}"] if subject.strip() else []
    shown = [(label, _text(package, prefix, tag)) for label, tag in _NAMES]
    names = "; ".join(f"{label}: {value}" for label, value in shown if value.strip())
    sections += [names] if names else []
    plain = _text(package, prefix, _BODY)
    html = _html(package, prefix, name)
    bodies = body_sections([plain] if plain.strip() else [], [html] if html.strip() else [])
    if package.exists(_path(prefix, _RTF)):
        # Outlook shows the RTF body when it is out of step with the plain one: read
        # it too where it holds a word the other bodies do not.
        rtf = _decompressed_rtf(_bytes(package, prefix, _RTF), name)
        body = extract_rtf(rtf, f"{name} (body)", limits)
        if says_more(body.text, bodies):
            bodies.append(body.text)
            warnings += body.warnings
    sections += bodies
    for attachment in _attachments(package, prefix):
        label, read = _attachment(package, attachment, name, limits, depth)
        if isinstance(read, str):
            warnings.append(read)
            continue
        sections.append(f"Attachment: {label}\n\n{read.text}")
        warnings += [f"{label}: {warning}" for warning in read.warnings]
    return sections, warnings


def _attachment(
    package: olefile.OleFileIO,
    prefix: list[str],
    name: str,
    limits: ExtractionLimits,
    depth: int,
) -> tuple[str, ExtractedText | str]:
    """An attachment's label and text, or a warning saying why it was not read."""
    if package.exists(_path(prefix, _ATTACHED_MESSAGE)):
        label = _text(package, prefix, "3001") or "attached message"
        if depth + 1 > _MAX_NESTING:
            return label, f"attachment not read: {label} (messages nested too deeply)"
        inner = [*prefix, _ATTACHED_MESSAGE]
        sections, warnings = _message(package, inner, name, limits, depth + 1)
        return label, ExtractedText(
            text="\n\n".join(sections), format="msg", warnings=tuple(warnings)
        )
    label = next(
        (found for tag in _ATTACHMENT_NAMES if (found := _text(package, prefix, tag).strip())),
        "(unnamed attachment)",
    )
    suffix = PurePath(label).suffix.lower()
    refusal = None if suffix in _READABLE else f"type {suffix or 'unknown'} not checked"
    if not package.exists(_path(prefix, _ATTACHED_DATA)):
        refusal = refusal or "no data (a link or an object)"
    data = b"" if refusal else _bytes(package, prefix, _ATTACHED_DATA)
    inside = f"{name} > {label}"
    return label, attached_text(label, refusal, lambda: parse_bytes(data, inside, limits))


def _attachments(package: olefile.OleFileIO, prefix: list[str]) -> list[list[str]]:
    """The attachment storages directly under `prefix`, in their order."""
    found = {
        tuple(entry[: len(prefix) + 1])
        for entry in package.listdir(streams=True, storages=True)
        if len(entry) > len(prefix)
        and entry[: len(prefix)] == prefix
        and entry[len(prefix)].startswith(_ATTACHMENT)
    }
    return [list(entry) for entry in sorted(found)]


def _path(prefix: list[str], stream: str) -> str:
    return "/".join([*prefix, stream if stream.startswith("__") else f"__substg1.0_{stream}"])


def _bytes(package: olefile.OleFileIO, prefix: list[str], stream: str) -> bytes:
    data: bytes = package.openstream(_path(prefix, stream)).read()
    return data


def _text(package: olefile.OleFileIO, prefix: list[str], tag: str) -> str:
    """A string property: UTF-16 (type 001F), else 8-bit (001E, Windows-1252)."""
    if package.exists(_path(prefix, f"{tag}001F")):
        return _bytes(package, prefix, f"{tag}001F").decode("utf-16-le", "replace").rstrip("\0")
    if package.exists(_path(prefix, f"{tag}001E")):
        return _bytes(package, prefix, f"{tag}001E").decode("cp1252", "replace").rstrip("\0")
    return ""


def _html(package: olefile.OleFileIO, prefix: list[str], name: str) -> str:
    """The HTML body: bytes in the page's own encoding (0102), or a string."""
    if package.exists(_path(prefix, f"{_HTML}0102")):
        return decode_html(_bytes(package, prefix, f"{_HTML}0102"), name)[0]
    return _text(package, prefix, _HTML)


def _decompressed_rtf(data: bytes, name: str) -> bytes:
    """Decompress an RTF body ([MS-OXRTFCP] 2.2.2): a 16-byte header, then
    control bytes whose bits, lowest first, say whether the next item is a
    literal byte or a 2-byte reference into a 4,096-byte ring dictionary."""
    if len(data) < 16:
        raise CorruptDocumentError(f"{name}: damaged compressed RTF body")
    _, raw_size, kind, _ = struct.unpack_from("<IIII", data, 0)
    if kind == _MELA:
        return data[16 : 16 + raw_size]
    if kind != _LZFU:
        raise CorruptDocumentError(f"{name}: compressed RTF body of an unknown kind")
    ring = bytearray(4096)
    ring[: len(_RTF_PREBUFFER)] = _RTF_PREBUFFER
    write = len(_RTF_PREBUFFER)
    out = bytearray()
    position = 16
    while position < len(data):
        control = data[position]
        position += 1
        for bit in range(8):
            if position >= len(data):
                return bytes(out)
            if not control & (1 << bit):
                byte = data[position]
                position += 1
                out.append(byte)
                ring[write] = byte
                write = (write + 1) % 4096
                continue
            if position + 1 >= len(data):
                return bytes(out)
            (reference,) = struct.unpack_from(">H", data, position)
            position += 2
            offset, length = reference >> 4, (reference & 0xF) + 2
            if offset == write:  # the end marker
                return bytes(out)
            for step in range(length):
                byte = ring[(offset + step) % 4096]
                out.append(byte)
                ring[write] = byte
                write = (write + 1) % 4096
            if len(out) > max(raw_size, 1) * 2 + 65536:
                raise CorruptDocumentError(f"{name}: damaged compressed RTF body")
    return bytes(out)
