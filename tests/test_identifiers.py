"""统一社会信用代码 and 身份证号 are checked by their check characters, with Chinese reasons."""

from __future__ import annotations

import pytest

from caseflow.errors import InvalidInput
from caseflow.parties.identifiers import normalise_ric, normalise_uscc


def test_valid_identifiers_are_normalised():
    assert normalise_uscc("91410324MA47T3Q8WY") == "91410324MA47T3Q8WY"
    assert normalise_uscc("91410324 MA47T3Q8WY") == "91410324MA47T3Q8WY"
    assert normalise_ric("410324199003150018") == "410324199003150018"


@pytest.mark.parametrize(("value", "reason"), [
    ("91410324MA47T3Q8WX", "校验位不正确"),
    ("91410324MA47T3Q8W", "应为18位"),
])
def test_bad_uscc_is_refused_with_its_reason(value, reason):
    with pytest.raises(InvalidInput) as exc:
        normalise_uscc(value)
    assert reason in exc.value.message and reason in exc.value.details["uscc"]


@pytest.mark.parametrize(("value", "reason"), [
    ("410324199003150019", "校验码不正确"),
    ("41032419900315001", "应为18位"),
    ("41032419850315001X", "出生日期或地区码无效"),  # 栾川县 (410324) exists only since 1986
    ("410324199013150011", "出生日期或地区码无效"),  # month 13
])
def test_bad_id_number_is_refused_with_its_reason(value, reason):
    with pytest.raises(InvalidInput) as exc:
        normalise_ric(value)
    assert reason in exc.value.message


def _with_check_digit(first17: str) -> str:
    """GB 11643-1999: ISO 7064 MOD 11-2 over the first seventeen digits."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def test_an_id_number_born_after_today_is_no_persons():
    from datetime import date

    born_2030 = _with_check_digit("41032420300101001")
    with pytest.raises(InvalidInput) as exc:
        normalise_ric(born_2030, today=date(2026, 12, 5))
    assert "出生日期晚于今天" in exc.value.message
    assert normalise_ric(born_2030, today=date(2030, 1, 1)) == born_2030  # born today: a person
