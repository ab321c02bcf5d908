"""复议 and 诉讼 on the case, 暂缓缴纳, and one whole case whose every period is counted as the
statutes say (issue 13, item 10 and the "done means").

From the statutes (../shared/legal):
- 《民事诉讼法》第九十五条 公告送达: 经过三十日视为送达; 第九十一条 邮寄送达: 回执上的收件日期.
- 《行政处罚法》第六十七条第三款: 15 日 to pay from receipt of the 决定书; 第七十二条: 3% a day after;
  第七十三条: 复议/诉讼 do not stop enforcement, but 加处罚款 is not counted while they are pending.
- 《行政复议法》第二十条 (60 日), 《行政诉讼法》第四十六条 (6 个月); a last day that is a 法定休假日
  ends on the next working day (民事诉讼法第八十五条); 2026 中秋 09-25 – 09-27 (国务院办公厅通知).
- 《行政强制法》第五十三条、第五十四条: 催告 ten working days after its service; no court application
  while the party may still apply or sue, nor while its 复议/诉讼 is pending.
- 《行政复议法》第六十三条 (变更), 第六十四条 (撤销，可以责令重新作出); 《行政处罚法》第六十六条第二款.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from caseflow.cases import service as case_service
from caseflow.cases.models import PenaltyStage
from caseflow.cases.presenters import case_detail
from caseflow.db.session import unit_of_work
from caseflow.documents.models import Document
from caseflow.errors import InvalidInput
from tests.helpers import case_row, deadlines, events, open_case, refused, sh, through, walk

FILE_REVIEW = {"kind": "行政复议", "filed_on": "2026-08-05", "body": "栾川县人民政府",
               "ref_no": "栾政复〔2026〕12号"}


def _due(engine, case_no: str, rule: str) -> date:
    rows = [d for d in deadlines(engine, case_no, rule) if d.status.value != "cancelled"]
    assert rows, rule
    assert rows[-1].due_date is not None
    return rows[-1].due_date


def _late_fee(engine, case_no: str, at: str) -> dict | None:
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, full=True)
        return case_detail(db_session=s, case=case, at=sh(at))["late_fee"]


def test_a_whole_case_with_public_notice_post_and_a_pending_review(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_penalty"))  # 罚款60,000元, 责令退回30,000元
    # 告知书 by 公告送达, published 06-15: served 07-15; 陈述申辩 and 听证申请 end 07-22.
    runner.fire(case_no, "serve_notice", "gaozhi", "2026-06-15 10:00", payload={
        "method": "公告送达", "published_at": "2026-06-15", "service_note": "下落不明，公告送达"})
    assert _due(engine, case_no, "statement_period") == date(2026, 7, 22)
    assert _due(engine, case_no, "hearing_request") == date(2026, 7, 22)
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-22 10:00",
            code="STATEMENT_PERIOD_RUNNING")
    runner.fire(case_no, "decide_penalty", "jueding", "2026-07-23 09:00")
    # 七日送达 (the agency's): 07-24, 27, 28, 29, 30, 31, 08-03.
    assert _due(engine, case_no, "decision_service") == date(2026, 8, 3)
    # 决定书 posted, signed for on 07-27 (Mon), entered 07-28.
    runner.fire(case_no, "serve_decision", "songda", "2026-07-28 09:00",
                payload={"method": "邮寄送达", "signed_at": "2026-07-27"})
    assert _due(engine, case_no, "payment") == date(2026, 8, 11)
    assert _due(engine, case_no, "fund_return") == date(2026, 8, 11)
    assert _due(engine, case_no, "review_window") == date(2026, 9, 28)  # 09-25 中秋 → Mon 09-28
    assert _due(engine, case_no, "suit_window") == date(2027, 1, 27)
    # The party applies for 行政复议 on 08-05, recorded the next day by the 法制审核股.
    runner.fire(case_no, "record_remedy_filing", "shencha", "2026-08-06 09:00", payload=FILE_REVIEW)
    # Enforcement is not stopped (第七十三条第一款): 催告 once the 15 日 have run, served 08-12.
    runner.fire(case_no, "issue_dunning", "zhixing", "2026-08-12 10:00")
    assert _due(engine, case_no, "dunning_period") == date(2026, 8, 26)
    # …but no 加处罚款 accrues while the 复议 is pending (第七十三条第三款).
    pending_fee = _late_fee(engine, case_no, "2026-09-01 09:00")
    assert pending_fee is not None and pending_fee["days"] == 0 and pending_fee["amount"] == "0.00"
    refused(engine, runner, case_no, "apply_court_enforcement", "zhixing", "2026-09-01 09:00",
            opinion="逾期未履行", code="REMEDY_PERIODS_RUNNING")
    # 复议决定 维持 on 10-09: from 10-10 the days count again — 10-10 … 10-20 are 11 days.
    runner.fire(case_no, "record_remedy_outcome", "shencha", "2026-10-12 09:00",
                payload={"outcome": "维持", "decided_on": "2026-10-09"}, opinion="复议机关维持原处罚决定。")
    fee = _late_fee(engine, case_no, "2026-10-20 09:00")
    assert fee is not None and fee["days"] == 11
    assert fee["amount"] == "19800.00"  # 60,000 × 3% × 11
    # The party then sues (within the six months): still no court application while it is pending.
    runner.fire(case_no, "record_remedy_filing", "shencha", "2027-01-21 09:00",
                payload={"kind": "行政诉讼", "filed_on": "2027-01-20", "body": "栾川县人民法院"})
    refused(engine, runner, case_no, "apply_court_enforcement", "zhixing", "2027-02-01 09:00",
            opinion="逾期未履行", code="REMEDY_PENDING", phrases=("行政诉讼（栾川县人民法院，2027年01月20日）",))
    runner.fire(case_no, "record_remedy_outcome", "shencha", "2027-03-02 09:00",
                payload={"outcome": "驳回", "decided_on": "2027-03-01"}, opinion="判决驳回诉讼请求。")
    assert runner.fire(case_no, "apply_court_enforcement", "zhixing", "2027-03-02 10:00",
                       opinion="逾期未履行，申请强制执行。") == "court_enforcement"
    # No overdue alert ever concerned the party's windows.
    assert {d.rule_code for d in deadlines(engine, case_no) if d.status.value == "overdue"} == set()


def _served_decision(engine, org, runner) -> str:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))  # served 07-08; payment ends 07-23
    runner.fire(case_no, "record_remedy_filing", "shencha", "2026-07-15 09:00",
                payload={**FILE_REVIEW, "filed_on": "2026-07-14"})
    return case_no


def test_a_filing_is_recorded_with_what_the_law_needs(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    err = refused(engine, runner, case_no, "record_remedy_filing", "shencha", "2026-07-15 09:00",
                  payload={"kind": "上访", "filed_on": "2026-07-20", "body": ""}, exc=InvalidInput,
                  code="INVALID_INPUT")
    assert err.details == {"kind": "须为：行政复议、行政诉讼"}  # 《行政处罚法》第七条: 复议 or 诉讼
    err = refused(engine, runner, case_no, "record_remedy_filing", "shencha", "2026-07-15 09:00",
                  payload={"kind": "行政复议", "filed_on": "2026-07-14", "body": ""}, exc=InvalidInput,
                  code="INVALID_INPUT", phrases=("请填写：「复议机关或人民法院」",))
    assert err.details == {"body": "必填"}
    err = refused(engine, runner, case_no, "record_remedy_filing", "shencha", "2026-07-15 09:00",
                  payload={"kind": "行政复议", "filed_on": "2026-07-20", "body": "栾川县人民政府"},
                  exc=InvalidInput, code="INVALID_INPUT")
    assert err.details == {"filed_on": "不能晚于今天"}
    refused(engine, runner, case_no, "record_remedy_outcome", "shencha", "2026-07-15 09:00",
            payload={"outcome": "维持", "decided_on": "2026-07-15"}, opinion="维持",
            code="REMEDY_NOT_PENDING")
    refused(engine, runner, case_no, "record_remedy_filing", "zhixing", "2026-07-15 09:00",
            payload=FILE_REVIEW | {"filed_on": "2026-07-14"}, code="POST_REQUIRED")


def test_revoked_and_to_be_decided_again_reopens_the_investigation(engine, org, runner):
    case_no = _served_decision(engine, org, runner)
    refused(engine, runner, case_no, "record_remedy_outcome", "shencha", "2026-09-02 09:00",
            payload={"outcome": "撤销", "decided_on": "2026-09-01", "redo": True}, opinion="主要事实不清",
            exc=InvalidInput, code="INVALID_INPUT")  # the date set to decide again is required
    assert runner.fire(case_no, "record_remedy_outcome", "shencha", "2026-09-02 09:00",
                       payload={"outcome": "撤销", "decided_on": "2026-09-01", "redo": True,
                                "redo_by": "2026-10-31"},
                       opinion="复议机关以主要事实不清为由撤销，责令重新作出。") == "investigation"
    case = case_row(engine, case_no)
    assert case.decided_at is None and case.decision_served_at is None and case.notice_served_at is None
    assert case.penalties_at(PenaltyStage.decided) == []
    st = {d.rule_code: d.status.value for d in deadlines(engine, case_no)}
    assert st["payment"] == st["review_window"] == st["suit_window"] == "cancelled"
    assert _due(engine, case_no, "redo_decision") == date(2026, 10, 31)


def test_revoked_for_good_ends_the_case(engine, org, runner):
    case_no = _served_decision(engine, org, runner)
    assert runner.fire(case_no, "record_remedy_outcome", "shencha", "2026-09-02 09:00",
                       payload={"outcome": "撤销", "decided_on": "2026-09-01"},
                       opinion="违法事实不能成立，撤销。") == "terminated"
    assert all(d.status.value != "open" for d in deadlines(engine, case_no))


def test_changed_issues_a_corrected_decision(engine, org, runner):
    case_no = _served_decision(engine, org, runner)
    changed = [{"kind": "责令退回", "amount": "30000.00", "basis": "《医疗保障基金使用监督管理条例》第四十条第一款（责令退回）"},
               {"kind": "罚款", "amount": "45000.00",
                "basis": "《医疗保障基金使用监督管理条例》第四十条第一款：处骗取金额2倍以上5倍以下的罚款"}]
    refused(engine, runner, case_no, "record_remedy_outcome", "shencha", "2026-09-02 09:00",
            payload={"outcome": "变更", "decided_on": "2026-09-01"}, opinion="变更罚款",
            exc=InvalidInput, code="INVALID_INPUT")
    runner.fire(case_no, "record_remedy_outcome", "shencha", "2026-09-02 09:00",
                payload={"outcome": "变更", "decided_on": "2026-09-01", "penalties": changed},
                opinion="复议机关认为罚款幅度不当，变更为45,000元。")
    case = case_row(engine, case_no)
    assert {(p.kind, p.amount) for p in case.penalties_at(PenaltyStage.decided)} == {
        ("责令退回", Decimal("30000.00")), ("罚款", Decimal("45000.00"))}
    with unit_of_work(engine, write=False) as s:
        docs = list(s.scalars(select(Document).where(Document.case_id == case.id,
                                                     Document.doc_type == "penalty_decision")
                              .order_by(Document.version)))
    assert [d.version for d in docs] == [1, 2] and docs[0].doc_no == docs[1].doc_no
    assert "变更原行政处罚决定" in (docs[1].reason or "")
    assert events(engine, case_no)[-1].payload["remedy_outcome"]["outcome"] == "变更"


def test_deferred_payment_moves_the_payment_limit(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))  # payment ends 07-23
    refused(engine, runner, case_no, "approve_deferred_payment", "juzhang", "2026-07-15 09:00",
            payload={"pay_by": "2026-07-20"}, opinion="经济困难", exc=InvalidInput, code="INVALID_INPUT")
    runner.fire(case_no, "approve_deferred_payment", "juzhang", "2026-07-15 09:00",
                payload={"pay_by": "2026-09-30", "installments": "8月31日前3万元，9月30日前其余部分"},
                opinion="当事人确有经济困难，书面申请分期缴纳。")
    assert _due(engine, case_no, "payment") == date(2026, 9, 30)
    refused(engine, runner, case_no, "issue_dunning", "zhixing", "2026-08-01 09:00",
            code="PAYMENT_PERIOD_RUNNING")
    assert _late_fee(engine, case_no, "2026-08-01 09:00") is None  # nothing late before 09-30


def test_the_decision_made_again_meets_the_date_the_body_set(engine, org, runner):
    case_no = _served_decision(engine, org, runner)
    runner.fire(case_no, "record_remedy_outcome", "shencha", "2026-09-02 09:00",
                payload={"outcome": "撤销", "decided_on": "2026-09-01", "redo": True, "redo_by": "2026-10-31"},
                opinion="撤销，责令重新作出。")
    conclude, submit, review = (s for s in through("approve_legal_review")
                                if s.trigger in ("conclude_investigation", "submit_legal_review",
                                                 "approve_legal_review"))
    walk(runner, case_no, [replace(conclude, at=sh("2026-09-10 09:00")), replace(submit, at=sh("2026-09-10 10:00")),
                           replace(review, at=sh("2026-09-11 09:00"))])
    runner.fire(case_no, "decide_no_penalty", "juzhang", "2026-09-20 09:00",
                opinion="重新调查后认定违法事实不能成立。", payload={"ground": "facts_not_established"})
    assert [d.status.value for d in deadlines(engine, case_no, "redo_decision")] == ["met"]
