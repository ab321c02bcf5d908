"""加处罚款 (行政处罚法 第七十二、七十三条), computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from caseflow.legal_time.late_fee import late_payment_fee

LAST = date(2026, 7, 23)  # served 07-08 + 15 日


@pytest.mark.parametrize(("as_of", "days", "amount"), [
    (date(2026, 7, 23), 0, "0.00"),  # the last day itself is not late
    (date(2026, 7, 24), 1, "1350.00"),  # 45,000 × 3%
    (date(2026, 8, 2), 10, "13500.00"),
    (date(2026, 8, 25), 33, "44550.00"),
    (date(2026, 8, 26), 34, "45000.00"),  # 45,900 → capped at the fine
    (date(2027, 1, 1), 162, "45000.00"),
])
def test_three_percent_a_day_capped_at_the_fine(as_of: date, days: int, amount: str) -> None:
    fee = late_payment_fee(D("45000.00"), LAST, as_of)
    assert (fee.days, fee.amount) == (days, D(amount))
    assert fee.capped == (D(amount) == D("45000.00"))


def test_days_while_review_or_suit_is_pending_are_not_counted() -> None:
    fee = late_payment_fee(D("10000.00"), LAST, date(2026, 8, 2), paused=[(date(2026, 7, 26), date(2026, 7, 31))])
    assert (fee.days, fee.paused_days, fee.amount) == (4, 6, D("1200.00"))
    assert "复议、诉讼期间6日不予计算" in "".join(fee.reasoning)


def test_cents_are_rounded_half_up() -> None:
    assert late_payment_fee(D("333.33"), LAST, date(2026, 7, 24)).amount == D("10.00")  # 9.9999
    assert late_payment_fee(D("0.50"), LAST, date(2026, 7, 24)).amount == D("0.02")  # 0.015


def test_the_case_shows_the_late_fee_once_the_payment_period_has_run_out(engine, org, runner) -> None:
    from caseflow.cases import service as case_service
    from caseflow.cases.presenters import case_detail
    from caseflow.db.session import unit_of_work
    from tests.helpers import open_case, sh, through, walk

    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))  # served 07-08: pay by 07-23
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        assert case_detail(db_session=s, case=case, at=sh("2026-07-23 18:00"))["late_fee"] is None
        fee = case_detail(db_session=s, case=case, at=sh("2026-07-25 09:00"))["late_fee"]
    assert fee["days"] == 2 and fee["fine"] == "60000.00"  # the demo decision: 罚款 60,000元
    assert fee["amount"] == "3600.00"  # 60,000 × 3% × 2
