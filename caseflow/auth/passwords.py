"""Password hashing with argon2id and one-time passwords.

The parameters are argon2-cffi's, RFC 9106's second recommended option: 3 passes over 64 MiB, 4 lanes
— about 50 ms of CPU and 64 MiB of memory for each hash or check while it runs. A process runs at
most `HASHES_AT_ONCE` of them at a time: a morning's logins arriving together queue for a few tens of
milliseconds each instead of holding 64 MiB apiece on every server thread (40 threads: 2.5 GB)."""

from __future__ import annotations

import secrets
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
HASHES_AT_ONCE = 2  # the machine's cores: more at once would only queue for the CPU, holding memory
_slots = threading.BoundedSemaphore(HASHES_AT_ONCE)

# Letters and digits nobody confuses when reading a password aloud or from a screen (no 0/O, 1/l/I).
_ONE_TIME_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so that a miss costs as much as a wrong
    password. Made once, on first use rather than at import (an argon2 hash, ≈0.1 s, that every
    process importing this module paid: `caseflow --help` included); every verification asks for it,
    so the first login of a process costs the same whether the username exists or not."""
    return hash_password("caseflow-no-such-user")


def hash_password(password: str) -> str:
    with _slots:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong password, a missing or malformed hash, or a
    password that is not text (an unpaired surrogate)."""
    dummy = _dummy_hash()
    try:
        with _slots:
            matches = _hasher.verify(password_hash or dummy, password)
        return matches and password_hash is not None
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        return False


def one_time_password() -> str:
    """A random password to be changed at first login: three groups of four, e.g. `Kq7m-9TzR-bx4W`
    (about 71 bits)."""
    return "-".join("".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))
