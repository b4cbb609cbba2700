"""Plain text and Markdown: decode the bytes, change nothing else.

Match offsets for these files index into the decoded text (Python str
offsets), so the text returned is exactly the decoded file: newlines ("\\r\\n"
included) and every other character are kept. The one exception is a
byte-order mark, which is an encoding signature rather than text and is
dropped by the decoder; offsets count from the first character after it.

Decoding order, and why:
1. A UTF-8/16/32 byte-order mark is authoritative.
2. Bytes with no NUL that are valid UTF-8 are UTF-8 (nothing else plausibly is).
3. Otherwise Windows-1252 if the text is mostly ASCII: that is what Windows
   wrote for years, and charset-normalizer guesses badly on a few accented
   bytes (a lone "café" comes back as UTF-16 or cp1006).
4. Otherwise charset-normalizer's best guess; no guess means binary.
Whatever was decoded must then look like text, so a binary file named .txt is
refused instead of being indexed as noise.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from provenance.errors import CorruptDocumentError
from provenance.models import ExtractedText

if TYPE_CHECKING:
    from provenance.extract import ExtractionLimits

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of formats people save with the wrong name, for a message that says
# what the file really is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip package (.docx?)"),
    (bytes.fromhex("d0cf11e0a1b11ae1"), "an old Office file (.doc?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)

# C0 and C1 control characters other than tab, newline, vertical tab, form feed, CR.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05
_MAX_NON_ASCII_SHARE_FOR_CP1252 = 0.3
_UTF16_32 = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]


def extract_plain_text(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Decode a .txt file (see the module docstring for the order of guesses).

    Raises:
        CorruptDocumentError: the bytes are not text in any plausible encoding.
    """
    return _extract(data, name, "txt")


def extract_markdown(data: bytes, name: str, limits: ExtractionLimits) -> ExtractedText:
    """Decode a .md file exactly as a .txt file: Markdown syntax is left in place."""
    return _extract(data, name, "md")


def _extract(data: bytes, name: str, fmt: str) -> ExtractedText:
    if not data:
        return ExtractedText(text="", format=fmt, encoding="utf-8", warnings=("empty file",))
    text, encoding = decode_text(data, name)
    warnings: tuple[str, ...] = ()
    if encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        warnings = (f"decoded as {encoding}, not UTF-8",)
    return ExtractedText(text=text, format=fmt, encoding=encoding, warnings=warnings)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The decoded text and the name of the encoding used (the module
    docstring gives the order of guesses); for every text-based format.

    Raises:
        CorruptDocumentError: the bytes are not text in any plausible encoding.
    """
    text, encoding = _decode(data, name)
    if _looks_binary(text):
        raise _binary_error(data, name)
    return text, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Return the decoded text and the name of the encoding used."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise CorruptDocumentError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} ({exc.reason} at byte {exc.start})"
                ) from None
    has_nul = b"\x00" in data
    if not has_nul:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            non_ascii = len(text) - len(text.encode("ascii", "ignore"))
            if non_ascii <= _MAX_NON_ASCII_SHARE_FOR_CP1252 * len(text):
                return text, "cp1252"
    # Without NUL bytes the text cannot be UTF-16/32, whatever the statistics say.
    exclusion = [] if has_nul else _UTF16_32
    import charset_normalizer  # only for text that is not UTF-8: ~80 ms to import

    best = charset_normalizer.from_bytes(data, cp_exclusion=exclusion).best()
    if best is None:
        raise _binary_error(data, name)
    return str(best), str(best.encoding)


def _looks_binary(text: str) -> bool:
    """True if `text` holds a NUL or more control characters than real text has."""
    if "\x00" in text:
        return True
    return _control_count(text) > _MAX_CONTROL_SHARE * len(text)


# The ASCII bytes that are not in _CONTROL_CHARS: deleting them leaves the controls.
_ASCII_NOT_CONTROL = bytes(byte for byte in range(128) if not _CONTROL_CHARS.fullmatch(chr(byte)))


def _control_count(text: str) -> int:
    """How many characters of `text` match _CONTROL_CHARS.

    Plain ASCII text (most records) is counted with one C-level bytes.translate
    instead of the regex, which walks the text character by character (~2 s
    of a 15,000-file index).
    """
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NOT_CONTROL))
    return len(_CONTROL_CHARS.findall(text))


def _binary_error(data: bytes, name: str) -> CorruptDocumentError:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return CorruptDocumentError(
                f"{name}: looks like a binary file, not text: it is {what}; "
                "give it the right extension"
            )
    return CorruptDocumentError(f"{name}: looks like a binary file, not text")


_WORD = re.compile(r"\w+")


def says_more(text: str, already: list[str]) -> bool:
    """Whether `text` holds a word none of the texts `already` read has: a
    second rendering of a body (an HTML alternative, an RTF body) is checked
    only when it shows something the first one does not.

    >>> says_more("Kayden was seen", ["kayden WAS seen."]), says_more("Dean", ["Kayden"])
    (False, True)
    """
    seen = set(_WORD.findall(" ".join(already).lower()))
    return not set(_WORD.findall(text.lower())) <= seen
