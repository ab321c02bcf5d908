"""Password hashing with argon2id (argon2-cffi's recommended parameters) and one-time passwords."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# Verified against when the username is unknown, so that a miss costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash("caseflow-no-such-user")
# Letters and digits nobody confuses when reading a password aloud or from a screen (no 0/O, 1/l/I).
_ONE_TIME_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong password, a missing or malformed hash, or a
    password that is not text (an unpaired surrogate)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        return False


def one_time_password() -> str:
    """A random password to be changed at first login: three groups of four, e.g. `Kq7m-9TzR-bx4W`
    (about 71 bits)."""
    return "-".join("".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(3))
