"""What a password and a new username must be: the refusals, in Chinese, each with a stable code.

A password has at least 10 characters (at most 128), is not the username, is not one of the common
passwords people and attackers try first (nor the demo's published password), and is plain text.
A new username is 2–50 lower-case letters, digits, `.`, `_` or `-`, beginning with a letter or digit.
"""

from __future__ import annotations

import re

from caseflow.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 128
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")

# Lower-cased; a password equal to one of these, ignoring case, is refused.
COMMON = frozenset("""
1234567890 12345678910 0123456789 9876543210 1111111111 0000000000 1234512345 1234567890a
a123456789 a1234567890 abc1234567 abcd123456 abcdefghij 123456789a 123456789q 1qaz2wsx3edc
1q2w3e4r5t 1q2w3e4r5t6y qwertyuiop qwerty1234 qwerty12345 asdfghjkl1 zxcvbnm123 password12
password123 password1234 passw0rd123 p@ssw0rd123 admin12345 admin123456 administrator
woaini1314 woaini5201314 iloveyou123 5201314520 wang123456 zhang123456 li123456789 aa12345678
abc123456789 qq123456789 caseflow2026 caseflow123 yibao123456 changeme123 welcome123
""".split())


def check_password(password: str, *, username: str, field: str = "new_password") -> None:
    """Refuse a password the policy does not allow (InvalidInput with a code per reason)."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        _refuse("PASSWORD_INVALID", "密码含有无法识别的字符。", field)
    if any(ord(c) < 32 or c == "\x7f" for c in password):
        _refuse("PASSWORD_INVALID", "密码不能含有不可见的控制字符。", field)
    if len(password) < MIN_LENGTH:
        _refuse("PASSWORD_TOO_SHORT", f"密码至少需要{MIN_LENGTH}个字符（现为{len(password)}个）。", field)
    if len(password) > MAX_LENGTH:
        _refuse("PASSWORD_TOO_LONG", f"密码不能超过{MAX_LENGTH}个字符。", field)
    folded = password.strip().casefold()
    if folded == username.strip().casefold():
        _refuse("PASSWORD_IS_USERNAME", "密码不能与用户名相同。", field)
    if folded in COMMON or len(set(folded)) == 1:
        _refuse("PASSWORD_TOO_COMMON", "这个密码太常见，容易被猜中，请换一个。", field)


def check_username(username: str) -> str:
    if not USERNAME.match(username):
        raise InvalidInput("用户名须为2至50位小写字母、数字或 . _ -，以字母或数字开头。",
                           code="USERNAME_INVALID",
                           details={"username": "须为2至50位小写字母、数字或 . _ -"})
    return username


def _refuse(code: str, message: str, field: str) -> None:
    raise InvalidInput(message, code=code, details={field: message.rstrip("。")})
