"""`check-eml`: a draft e-mail's body and every attachment, checked before it is sent.

The message is split with the standard library's `email` package, every
part however deeply nested (`extract.eml.MessageParts`, as the indexer
sorts it); the body (subject included) and each attachment are written to
a private temporary folder and checked one by one through the gate, so
each is logged. A forwarded message (an attached .eml) is read as the
indexer reads one, its own attachments included, and checked as one part.
An attachment of any other type, or one that cannot be read, "could not be
checked": the message is not cleared.

The message's verdict is the worst of its parts: `leak` if any part carries
another case's text (the definite finding, exit 1), else `not checked` if
any part could not be checked (exit 2), else `clean` (exit 0). Problems that
stop every part (no index, unknown case, audit log) are raised, not
reported per part.

An image cannot be read, so by default it leaves the message not checked:
a screenshot of another family's record is a leak too. A trust whose HTML
e-mails carry a signature logo can let small images through unread
(`images_up_to_kb`, `check-eml --allow-images-up-to`): such a part is
reported as "not read" and does not hold the message. Only a part that is
an image by its content type *and* by its first bytes (PNG, JPEG, GIF,
WebP) counts, so a PDF labelled image/png is not let through.
"""

from __future__ import annotations

import email
import email.policy
import re
import tempfile
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from provenance.api import CheckedDocument
from provenance.errors import (
    AuditLogError,
    CorruptDocumentError,
    DocumentTooLargeError,
    ExtractionError,
    IndexDatabaseError,
    UnknownCaseError,
)
from provenance.extract import SUPPORTED_SUFFIXES, extract_text
from provenance.extract.eml import (
    NESTED_TOO_DEEP,
    MessageParts,
    attachment_bytes,
    body_sections,
    display_names,
)
from provenance.gate import Caller, check_logged
from provenance.report import check_to_json

# Attachments checked as documents; a forwarded message is walked as a part instead.
CHECKABLE_SUFFIXES = SUPPORTED_SUFFIXES - {".eml"}
MAX_MESSAGE_BYTES = 60 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class PartResult:
    """One part of the message: the body or an attachment."""

    name: str  # "body" or the attachment's file name
    verdict: str  # clean, leak, not checked, not read (an image let through)
    cross_case: int  # passages from another case
    reason: str  # why it could not be checked, else ''
    checked: CheckedDocument | None


@dataclass(frozen=True)
class MessageResult:
    message: str
    case_id: str
    parts: tuple[PartResult, ...]

    @property
    def verdict(self) -> str:
        verdicts = {part.verdict for part in self.parts}
        for worst in ("leak", "not checked"):
            if worst in verdicts:
                return worst
        return "clean"


def check_message(
    path: Path, case_id: str, db_path: Path, caller: Caller, *, images_up_to_kb: int = 0
) -> MessageResult:
    """Check the body and attachments of the .eml file at `path` for `case_id`.

    Images of at most `images_up_to_kb` KB are let through unread (0: none).

    Raises:
        ExtractionError: the file cannot be read or is not an e-mail message.
        IndexDatabaseError, UnknownCaseError, AuditLogError: nothing can be checked.
    """
    message, sorted_parts = _read_message(path)
    parts: list[PartResult] = []
    with tempfile.TemporaryDirectory(prefix="provenance-eml-") as folder:
        body = _body_text(message, sorted_parts)
        if body.strip():
            body_file = Path(folder) / "body.txt"
            body_file.write_text(body, encoding="utf-8")
            parts.append(_check_part("body", body_file, f"{path} (body)", case_id, db_path, caller))
        for number, image in enumerate(sorted_parts.body_images, start=1):
            parts.append(_body_image(number, image, images_up_to_kb))
        others = [*sorted_parts.attachments, *sorted_parts.unread]
        for number, attachment in enumerate(others, start=1):
            name = attachment.get_filename() or (
                f"attachment {number} (no name, {attachment.get_content_type()})"
            )
            suffix = Path(name).suffix.lower()
            if attachment.get_content_type() == "message/rfc822" or suffix == ".eml":
                forwarded = _forwarded_text(attachment, name, Path(folder) / f"{number}.eml")
                if isinstance(forwarded, PartResult):
                    parts.append(forwarded)
                    continue
                saved = Path(folder) / f"{number}-forwarded.txt"
                saved.write_text(forwarded, encoding="utf-8")
                parts.append(_check_part(name, saved, f"{path}/{name}", case_id, db_path, caller))
                continue
            let_through = _small_image(attachment, name, images_up_to_kb)
            if let_through is not None:
                parts.append(let_through)
                continue
            if suffix not in CHECKABLE_SUFFIXES or attachment.is_multipart():
                reason = f"attachments of this type ({suffix or 'no extension'}) cannot be checked"
                parts.append(PartResult(name, "not checked", 0, reason, None))
                continue
            payload = attachment.get_payload(decode=True)
            if not isinstance(payload, bytes):
                parts.append(PartResult(name, "not checked", 0, "could not be decoded", None))
                continue
            saved = Path(folder) / f"{number}-{_safe_name(name)}"
            saved.write_bytes(payload)
            parts.append(_check_part(name, saved, f"{path}/{name}", case_id, db_path, caller))
    return MessageResult(str(path), case_id, tuple(parts))


_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _small_image(attachment: EmailMessage, name: str, up_to_kb: int) -> PartResult | None:
    """The "not read" part for an image the policy lets through, else None."""
    if up_to_kb <= 0 or attachment.get_content_maintype() != "image":
        return None
    if Path(name).suffix.lower() in CHECKABLE_SUFFIXES or attachment.is_multipart():
        return None
    payload = attachment.get_payload(decode=True)
    return _small_image_bytes(payload, name, up_to_kb) if isinstance(payload, bytes) else None


def _body_image(number: int, payload: bytes, up_to_kb: int) -> PartResult:
    """An image written into the HTML body itself (a data: address): not read,
    so the message is not checked unless the policy lets it through."""
    name = f"image {number} in the message body"
    let_through = _small_image_bytes(payload, name, up_to_kb) if up_to_kb > 0 else None
    if let_through is not None:
        return let_through
    return PartResult(name, "not checked", 0, "an image cannot be read", None)


def _small_image_bytes(payload: bytes, name: str, up_to_kb: int) -> PartResult | None:
    """`_small_image` for the image's bytes."""
    if len(payload) > up_to_kb * 1024:
        return None
    is_webp = payload[:4] == b"RIFF" and payload[8:12] == b"WEBP"
    if not (is_webp or payload.startswith(_IMAGE_SIGNATURES)):
        return None
    size_kb = max(1, round(len(payload) / 1024))
    reason = (
        f"an image of {size_kb} KB; images up to {up_to_kb} KB are let through unread "
        "(--allow-images-up-to)"
    )
    return PartResult(name, "not read", 0, reason, None)


def _forwarded_text(attachment: EmailMessage, name: str, saved: Path) -> str | PartResult:
    """The text of a forwarded message (its subject, body and attachments, as
    the indexer reads an .eml), or why it is not checked.

    Forwarding another family's e-mail chain is a leak like any other, so the
    whole message is one part. Whatever inside it could not be read (an
    attachment of another type, messages nested too deep) leaves the part
    not checked, as it would on the outer message. The message is saved to
    `saved` and read from there, so its attachments are parsed in the
    extraction worker with its time and memory limits.
    """
    saved.write_bytes(attachment_bytes(attachment))
    try:
        extracted = extract_text(saved)
    except ExtractionError as error:
        return PartResult(name, "not checked", 0, error.reason, None)
    unread = [w for w in extracted.warnings if " not read" in w]
    if unread:
        return PartResult(name, "not checked", 0, f"forwarded message: {unread[0]}", None)
    return extracted.text


def message_to_json(result: MessageResult) -> dict[str, Any]:
    """The `check-eml --json` object: the verdict, then each part with its check."""
    return {
        "message": result.message,
        "case_id": result.case_id,
        "verdict": result.verdict,
        "parts": [
            {
                "name": part.name,
                "verdict": part.verdict,
                "cross_case": part.cross_case,
                "reason": part.reason,
                "check": None if part.checked is None else check_to_json(part.checked.result),
            }
            for part in result.parts
        ],
    }


def _check_part(
    name: str, file: Path, logged_as: str, case_id: str, db_path: Path, caller: Caller
) -> PartResult:
    try:
        checked = check_logged(file, case_id, db_path, caller, document_name=logged_as)
    except (IndexDatabaseError, UnknownCaseError, AuditLogError):
        raise
    except ExtractionError as error:
        return PartResult(name, "not checked", 0, error.reason, None)
    # The part was checked from a temporary file that is gone by now: its
    # report names the part of the message instead.
    checked = replace(checked, result=replace(checked.result, document=logged_as))
    leaks = sum(match.status == "cross_case" for match in checked.result.matches)
    return PartResult(name, checked.result.verdict, leaks, "", checked)


def _read_message(path: Path) -> tuple[EmailMessage, MessageParts]:
    try:
        size = path.stat().st_size
        if size > MAX_MESSAGE_BYTES:
            raise DocumentTooLargeError(
                f"{path}: {size:,} bytes, over the limit of {MAX_MESSAGE_BYTES:,} for a message"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExtractionError(f"{path}: file not found", reason="file not found") from None
    except OSError as error:
        raise ExtractionError(f"{path}: could not be read: {error.strerror}") from error
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        if not isinstance(message, EmailMessage) or not (message.keys() or message.is_multipart()):
            raise CorruptDocumentError(f"{path}: not an e-mail message (no headers found)")
        return message, MessageParts(message)
    except RecursionError:
        raise CorruptDocumentError(f"{path}: {NESTED_TOO_DEEP}") from None


def _body_text(message: EmailMessage, parts: MessageParts) -> str:
    """The subject, the names shown as sender and recipients, and the message
    text: every plain part, and each HTML part's text when it says more
    (`extract.eml.body_sections`)."""
    subject = str(message.get("subject", "") or "")
    heading = [line for line in (subject, display_names(message)) if line.strip()]
    return "\n\n".join(heading + body_sections(parts.plain, parts.html))


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE.sub("_", base).strip(" .")[:120] or "attachment"
