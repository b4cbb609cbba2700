"""API tokens for `provenance serve`: made, checked and revoked here, stored in the audit file.

A token is 32 random bytes from `secrets` (256 bits), shown once when made.
Only a per-token random salt and SHA-256(salt + token) are stored. A slow
password hash (scrypt, PBKDF2) exists to protect guessable secrets chosen by
people; a 256-bit random token cannot be guessed or brute-forced from its
hash whatever the hash's speed, and a fast hash keeps every request cheap.
The salt makes equal tokens hash differently and defeats precomputed
tables. Hashes are compared with `hmac.compare_digest` (constant time), and
every live token is compared, so timing says nothing about which one matched.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from provenance import audit
from provenance.errors import TokenError

TOKEN_PREFIX = "prov_"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


@dataclass(frozen=True)
class TokenInfo:
    """What `token list` shows: never the token or its hash."""

    name: str
    created_at: str
    revoked_at: str | None


def add_token(db_path: Path, name: str) -> str:
    """Make a token called `name` and return it; it cannot be shown again.

    Raises:
        TokenError: the name is invalid or already used (revoked names stay used,
            so the audit log's "who" stays unambiguous).
        AuditLogError: the audit file cannot be written.
    """
    if not _NAME.fullmatch(name):
        raise TokenError(
            f"Invalid token name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit (for example dms-gateway)."
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    if not audit.insert_token(db_path, name, salt, _digest(salt, token)):
        raise TokenError(
            f"A token named {name!r} already exists (or existed); choose another name."
        )
    return token


def revoke_token(db_path: Path, name: str) -> None:
    """Revoke the token called `name`; requests carrying it get 401 from then on.

    Raises:
        TokenError: no live token has that name.
    """
    if not audit.revoke_token(db_path, name):
        raise TokenError(f"No live token named {name!r}; `provenance token list` shows them.")


def list_tokens(db_path: Path) -> list[TokenInfo]:
    return [
        TokenInfo(stored.name, stored.created_at, stored.revoked_at)
        for stored in audit.stored_tokens(db_path)
    ]


def token_owner(db_path: Path, presented: str) -> str | None:
    """The name of the live token `presented` is, or None (revoked, unknown, malformed)."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        return None
    owner: str | None = None
    for stored in audit.stored_tokens(db_path):
        matches = hmac.compare_digest(_digest(stored.salt, presented), stored.digest)
        if matches and stored.revoked_at is None:
            owner = stored.name
    return owner


def _digest(salt: bytes, token: str) -> bytes:
    return hashlib.sha256(salt + token.encode("utf-8")).digest()
