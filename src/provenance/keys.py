"""The index's secret key: where it lives, how it is made, how it is checked.

Word ids are a keyed BLAKE2b hash of each normalised word. Without the key,
someone holding only the database cannot hash a guessed name or phrase and
look for it: the stored ids and band keys confirm nothing. The key therefore
never enters the database. It comes from, in order:

    $PROVENANCE_KEY        64 hex characters (a secret manager can inject it)
    --key-file / $PROVENANCE_KEY_FILE
    <database>.key         beside the database, created by `provenance init`

A key file must be a regular file that other users cannot read (0600, or 0640
for a service group). The database holds only a check value of the key
(a keyed hash of a fixed label), so a wrong key is refused at once rather
than silently finding nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from provenance.errors import IndexKeyError, KeyMismatchError

KEY_BYTES = 32
_CHECK_LABEL = b"provenance index key check v1"
_DATABASE_LABEL = b"provenance database encryption v1"
ENV_KEY = "PROVENANCE_KEY"
ENV_KEY_FILE = "PROVENANCE_KEY_FILE"


@dataclass(frozen=True)
class IndexKey:
    """A loaded key and where it came from (for messages, never the key itself)."""

    secret: bytes
    origin: str

    def check_value(self) -> str:
        return key_check_value(self.secret)

    def database_key(self) -> str:
        """The key an encrypted index file is encrypted with, derived from the secret."""
        return hashlib.blake2b(_DATABASE_LABEL, key=self.secret, digest_size=32).hexdigest()


def default_key_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".key")


def key_file_for(db_path: Path, explicit: Path | None = None) -> Path:
    """--key-file, else $PROVENANCE_KEY_FILE, else the file beside the database."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(ENV_KEY_FILE)
    return Path(from_env) if from_env else default_key_file(db_path)


def key_check_value(secret: bytes) -> str:
    """What the database stores to recognise its key: reveals nothing about it."""
    return hashlib.blake2b(_CHECK_LABEL, key=secret, digest_size=16).hexdigest()


def key_is_available(db_path: Path, key_file: Path | None = None) -> bool:
    return bool(os.environ.get(ENV_KEY)) or key_file_for(db_path, key_file).exists()


def load_key(db_path: Path, key_file: Path | None = None) -> IndexKey:
    """The key for the index at `db_path`.

    Raises:
        IndexKeyError: no key, an unreadable or badly formed key, or a key file
            other users can read.
    """
    from_env = os.environ.get(ENV_KEY)
    if from_env:
        return IndexKey(_parse_hex(from_env.strip(), f"${ENV_KEY}"), f"${ENV_KEY}")
    path = key_file_for(db_path, key_file)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IndexKeyError(
            f"No secret key for the index {db_path}: expected the key file {path}. "
            f"Restore it from your key backup, or set {ENV_KEY_FILE} to where it is. "
            "Without its key an index cannot be used; a new index needs `provenance init`."
        ) from None
    except OSError as error:
        raise IndexKeyError(f"Cannot read the key file {path}: {error.strerror}.") from error
    if not stat.S_ISREG(info.st_mode):
        raise IndexKeyError(f"The key file {path} is not a regular file.")
    if info.st_mode & stat.S_IRWXO:
        raise IndexKeyError(
            f"The key file {path} can be read by other users; restrict it with "
            f"`chmod 600 {path}` (or 640 for a service group)."
        )
    try:
        content = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise IndexKeyError(f"Cannot read the key file {path}: {error}.") from error
    return IndexKey(_parse_hex(content, str(path)), str(path))


def create_key_file(path: Path) -> IndexKey:
    """Write a new random key to `path` with mode 0600; never overwrites.

    Raises:
        IndexKeyError: the file exists already (overwriting it would orphan an index).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(KEY_BYTES)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise IndexKeyError(
            f"A key file already exists at {path}; it was not replaced "
            "(an index built with it would become unusable)."
        ) from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return IndexKey(secret, str(path))


def verify_key(key: IndexKey, stored_check: str | None, db_path: Path) -> None:
    """Refuse a key that is not the one the index was built with.

    Raises:
        KeyMismatchError: the check values differ.
    """
    if stored_check is None or not hmac.compare_digest(stored_check, key.check_value()):
        raise KeyMismatchError(
            f"The key from {key.origin} is not the key the index {db_path} was built "
            f"with. Use the right key file (--key-file or {ENV_KEY_FILE}); the index "
            "cannot be read with another key."
        )


def _parse_hex(text: str, origin: str) -> bytes:
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != KEY_BYTES:
        raise IndexKeyError(f"The key in {origin} is not {KEY_BYTES * 2} hexadecimal characters.")
    return secret
