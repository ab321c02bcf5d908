"""The password policy from its requirement: at least 10 characters, not the user name, not a common
password; each refusal in Chinese with its own stable code."""

from __future__ import annotations

import re

import pytest

from caseflow.auth.passwords import one_time_password
from caseflow.auth.policy import check_password, check_username
from caseflow.errors import InvalidInput


@pytest.mark.parametrize(("password", "code"), [
    ("short9char", None),  # exactly ten: allowed
    ("nine-char", "PASSWORD_TOO_SHORT"),
    ("", "PASSWORD_TOO_SHORT"),
    ("wangfang01", "PASSWORD_IS_USERNAME"),
    ("WangFang01", "PASSWORD_IS_USERNAME"),
    ("1234567890", "PASSWORD_TOO_COMMON"),
    ("Password123", "PASSWORD_TOO_COMMON"),
    ("caseflow2026", "PASSWORD_TOO_COMMON"),  # the demo's published password
    ("aaaaaaaaaaaa", "PASSWORD_TOO_COMMON"),
    ("tab\tinside-it", "PASSWORD_INVALID"),
    ("\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800", "PASSWORD_INVALID"),
    ("x" * 129, "PASSWORD_TOO_LONG"),
    ("医保基金监管要严格执法", None),
])
def test_policy(password: str, code: str | None) -> None:
    if code is None:
        check_password(password, username="wangfang01")
        return
    with pytest.raises(InvalidInput) as refused:
        check_password(password, username="wangfang01")
    assert refused.value.code == code
    assert refused.value.details == {"new_password": refused.value.message.rstrip("。")}
    assert re.search(r"[\u4e00-\u9fff]", refused.value.message)  # said in Chinese


def test_the_length_refusal_says_how_many() -> None:
    with pytest.raises(InvalidInput, match="至少需要10个字符（现为9个）"):
        check_password("123456789", username="x")


def test_one_time_passwords_pass_the_policy_and_differ() -> None:
    seen = {one_time_password() for _ in range(50)}
    assert len(seen) == 50
    for p in seen:
        check_password(p, username="lian")
        assert len(p) == 14 and not set(p) & set("0O1lI")


@pytest.mark.parametrize("name", ["wangfang", "li.na-2", "a1"])
def test_usernames_allowed(name: str) -> None:
    assert check_username(name) == name


@pytest.mark.parametrize("name", ["Wang", "王芳", "a", "-lead", "x" * 51, "has space", "nul\x00"])
def test_usernames_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_username(name)
    assert refused.value.code == "USERNAME_INVALID"
