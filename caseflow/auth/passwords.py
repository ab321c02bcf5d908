"""Password hashing with argon2id (argon2-cffi's recommended parameters) and one-time passwords."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# Letters and digits nobody confuses when reading a password aloud or from a screen (no 0/O, 1/l/I).
_ONE_TIME_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so that a miss costs as much as a wrong
    password. Made once, on first use rather than at import (an argon2 hash, ≈0.1 s, that every
    process importing this module paid: `caseflow --help` included); every verification asks for it,
    so the first login of a process costs the same whether the username exists or not."""
    return _hasher.hash("caseflow-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong password, a missing or malformed hash, or a
    password that is not text (an unpaired surrogate)."""
    dummy = _dummy_hash()
    try:
        return _hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        return False


def one_time_password() -> str:
    """A random password to be changed at first login: three groups of four, e.g. `Kq7m-9TzR-bx4W`
    (about 71 bits)."""
    return "-".join("".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))
