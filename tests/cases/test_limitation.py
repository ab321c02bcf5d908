"""追责时效 (issue 13, item 9), from 《行政处罚法》第三十六条:

违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长
至五年。前款规定的期限，从违法行为发生之日起计算；违法行为有连续或者继续状态的，从行为终了之日起计算。

The violation counts as discovered when the case is filed (立案, 2026-06-02 09:00 on the full path).
A period of years ends on the same day of the target year (民法典第二百零二条), a last day that is a
法定休假日 moving to the next working day (第二百零三条 / 民事诉讼法第八十五条).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import update

from caseflow.cases import service as case_service
from caseflow.cases.models import Case
from caseflow.cases.presenters import case_detail
from caseflow.db.session import unit_of_work
from tests.helpers import case_row, open_case, refused, sh, through, walk

FILING, APPROVAL = through("approve_filing")


def _filed(runner, case_no: str, *, violation_from: str, violation_until: str | None = None,
           recovery_only: bool = False) -> str:
    payload = {**FILING.payload, "violation_from": violation_from}
    payload["violation_until"] = violation_until or violation_from
    runner.fire(case_no, FILING.trigger, FILING.user, FILING.at, payload=payload)
    return runner.fire(case_no, APPROVAL.trigger, APPROVAL.user, APPROVAL.at,
                       payload={"recovery_only": True} if recovery_only else None)


def test_filed_on_the_last_day_of_two_years(engine, org, runner):
    case_no = open_case(engine, org)
    # Ended 2024-06-02: two years end 2026-06-02 (Tue), the day of 立案.
    assert _filed(runner, case_no, violation_from="2024-06-02") == "investigation"


def test_filing_after_two_years_is_refused(engine, org, runner):
    case_no = open_case(engine, org)
    # Ended 2024-05-31: two years end 2026-05-31, a Sunday → the period ends Mon 2026-06-01.
    runner.fire(case_no, FILING.trigger, FILING.user, FILING.at,
                payload={**FILING.payload, "violation_from": "2024-05-31", "violation_until": "2024-05-31"})
    refused(engine, runner, case_no, APPROVAL.trigger, APPROVAL.user, APPROVAL.at, code="LIMITATION_EXPIRED",
            phrases=("追责时效2年", "至2026年06月01日届满", "不再给予行政处罚", "第三十六条"))


def test_a_continuing_violation_counts_from_its_end(engine, org, runner):
    case_no = open_case(engine, org)
    assert _filed(runner, case_no, violation_from="2021-03-01", violation_until="2024-06-02") == "investigation"


def test_five_years_where_the_item_is_so_marked(engine, org, runner):
    """An item whose violations 涉及公民生命健康安全、金融安全且有危害后果 (the catalog overlay sets
    limitation_years: 5 with its reason): a violation ended 2021-06-02 may still be filed."""
    case_no = open_case(engine, org)
    with unit_of_work(engine) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        entry = {**case.catalog_entry, "limitation_years": 5, "limitation_reason": "测试"}
        s.execute(update(Case).where(Case.id == case.id).values(catalog_entry=entry))
    if runner._session is not None:
        runner._session.expire_all()
    assert _filed(runner, case_no, violation_from="2021-06-02") == "investigation"


def test_after_the_period_only_recovery_and_no_penalty_remain(engine, org, runner):
    case_no = open_case(engine, org)
    assert _filed(runner, case_no, violation_from="2023-01-10", recovery_only=True) == "investigation"
    walk(runner, case_no, through("record_inquiry")[2:])
    conclude = through("conclude_investigation")[-1]
    refund, fine = conclude.payload["penalties"]
    refused(engine, runner, case_no, conclude.trigger, conclude.user, conclude.at,
            payload=conclude.payload, code="LIMITATION_EXPIRED",
            phrases=("不再给予行政处罚：测试医院：罚款60,000.00元", "仍可责令退回"))
    recovery = {k: v for k, v in conclude.payload.items() if k not in ("violation_from", "violation_until")}
    assert runner.fire(case_no, conclude.trigger, conclude.user, conclude.at,
                       payload={**recovery, "penalties": [refund]}) == "case_review"
    rest = [s for s in through("decide_penalty") if s.at and s.at > conclude.at]
    rest = [replace(s, payload={}) if s.trigger in ("request_hearing",) else s for s in rest]
    walk(runner, case_no, [s for s in rest if s.trigger not in
                           ("request_hearing", "schedule_hearing", "conclude_hearing")][:-1])
    runner.fire(case_no, "waive_statement", "gaozhi", "2026-06-15 10:00")
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-06-15 11:00") == "decided"
    assert case_row(engine, case_no).violation_until == date(2023, 1, 10)


def test_the_case_page_warns_in_the_last_ninety_days(engine, org, runner):
    case_no = open_case(engine, org)
    # Ended 2024-08-03: two years end Mon 2026-08-03; on 2026-06-01 63 days are left.
    runner.fire(case_no, FILING.trigger, FILING.user, FILING.at,
                payload={**FILING.payload, "violation_from": "2024-08-03", "violation_until": "2024-08-03"})
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, full=True)
        early = case_detail(db_session=s, case=case, at=sh("2026-05-01 09:00"))["limitation"]
        late = case_detail(db_session=s, case=case, at=sh("2026-06-01 12:00"))["limitation"]
    assert early["warning"] is False and early["days_left"] == 94
    assert late["warning"] is True and late["days_left"] == 63 and late["expired"] is False
    assert late["last_day"] == "2026-08-03"


def test_conclusion_needs_the_date_of_the_violation(engine, org, runner):
    case_no = open_case(engine, org)
    filing = replace(FILING, payload={k: v for k, v in FILING.payload.items()
                                      if k not in ("violation_from", "violation_until")})
    walk(runner, case_no, [filing, *through("record_inquiry")[1:]])
    conclude = through("conclude_investigation")[-1]
    refused(engine, runner, case_no, conclude.trigger, conclude.user, conclude.at,
            payload=conclude.payload | {"violation_from": "", "violation_until": ""},
            code="VIOLATION_DATE_MISSING")


def test_impossible_violation_dates_are_refused(engine, org, runner):
    from caseflow.errors import InvalidInput

    case_no = open_case(engine, org)
    for bad, field in ((("2026-02-30", None), "violation_from"), (("2026-07-01", None), "violation_from"),
                       (("2026-03-01", "2026-02-01"), "violation_until")):
        err = refused(engine, runner, case_no, FILING.trigger, FILING.user, FILING.at,
                      payload={**FILING.payload, "violation_from": bad[0], "violation_until": bad[1]},
                      exc=InvalidInput, code="INVALID_INPUT")
        assert field in err.details
