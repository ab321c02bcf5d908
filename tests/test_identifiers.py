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
