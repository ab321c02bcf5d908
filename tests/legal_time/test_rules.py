"""statutory_unit: which statutory day counts are 工作日."""

import pytest

from caseflow.legal_time import PeriodUnit, statutory_rule, statutory_unit

WD, DAY = PeriodUnit.WORKING_DAY, PeriodUnit.DAY


@pytest.mark.parametrize(
    ("law", "length", "unit", "article"),
    [
        ("行政处罚法", 7, WD, "行政处罚法 第八十五条"),
        ("行政处罚法", 2, WD, "行政处罚法 第八十五条"),
        ("行政处罚法", 15, DAY, "行政处罚法 第八十五条"),
        ("行政处罚法", 10, DAY, "行政处罚法 第八十五条"),
        ("《中华人民共和国行政处罚法》", 5, WD, "行政处罚法 第八十五条"),
        ("行政强制法", 10, WD, "行政强制法 第六十九条"),
        ("行政强制法", 1, WD, "行政强制法 第六十九条"),
        ("行政强制法", 30, DAY, "行政强制法 第六十九条"),
        ("行政复议法", 10, WD, "行政复议法 第八十八条"),
        ("行政复议法", 60, DAY, "行政复议法 第八十八条"),
        ("行政复议法", 2, DAY, "行政复议法 第八十八条"),
        ("民事诉讼法", 5, DAY, None),
    ],
)
def test_statutory_unit(law: str, length: int, unit: PeriodUnit, article: str | None) -> None:
    assert statutory_unit(law, length) is unit
    rule = statutory_rule(law, length)
    assert rule.article == article
    assert rule.reason


def test_non_positive_length_is_refused() -> None:
    with pytest.raises(ValueError):
        statutory_unit("行政处罚法", 0)
