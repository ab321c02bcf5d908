"""行政处理决定书 (issue 19 §6): the fund recovered where no 行政处罚 may be imposed.

《行政处罚法》第三十六条: 违法行为在二年内未被发现的，不再给予行政处罚 — counted from the end of a
continuing violation; the violation counts as discovered at 立案. 第九条 lists the 行政处罚; 责令退回
(《医疗保障基金使用监督管理条例》第三十八条、第四十条、第四十一条) is not one of them but a 责令改正 (第二十八条),
so it survives the period: the case is filed `recovery_only`, nothing punitive can be proposed or
decided, and its decision is a 行政处理决定书 — its own type and 文号 sequence, no 罚款, the 责令退回 into
the 医疗保障基金财政专户 (条例 第四十五条) within the agency's period, the 复议/诉讼 routes (《行政复议法》
第二十条, 《行政诉讼法》第四十六条) — served with a 送达回证, enforced by 催告 and the court
(《行政强制法》第五十三条、第五十四条) like a 决定书. The same document, with the ground, where the head
decides 不予行政处罚 but still orders the return.

The case: a violation continuing until 2024-03-31, so the two years end on Tue 2026-03-31; the clue
is registered 2026-06-01 and the case filed 2026-06-02 — two months too late to punish.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import Engine

from caseflow.casefile.service import _facts as casefile_facts
from caseflow.cases import service as case_service
from caseflow.cases.file_review import review_case_file
from caseflow.cases.models import PenaltyStage
from caseflow.db.session import unit_of_work
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.documents.renderer import render_pdf
from caseflow.numbering.service import current_number
from tests.documents.test_records import _docs
from tests.helpers import Org, Runner, case_row, deadlines, events, open_case, refused, through, walk

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "cases"

FILING, APPROVAL = through("approve_filing")
CONCLUDE = through("conclude_investigation")[-1]
REFUND, FINE = CONCLUDE.payload["penalties"]
FACTS = ("当事人2023年1月至2024年3月通过虚构诊疗项目方式，将未实际提供的康复理疗项目纳入医疗保障基金结算，"
         "骗取医疗保障基金支出30,000.00元。")
REASONS = ("当事人的上述行为违反了《医疗保障基金使用监督管理条例》第十五条第一款的规定，属于该条例第四十条第一款"
           "第（三）项规定的虚构医药服务项目骗取医疗保障基金支出的行为。")
RECOVERY = {"facts": FACTS, "reasons": REASONS, "relied_on": [], "penalties": [REFUND]}
FUND_ACCOUNT = ("栾川县财政局医疗保障基金财政专户", "中国工商银行栾川县支行", "1705021309200012345")


def _file_time_barred(runner: Runner, engine: Engine, case_no: str) -> None:
    """线索 and 立案 after the period: refused as a penalty case, filed for the return only."""
    runner.fire(case_no, FILING.trigger, FILING.user, FILING.at, payload={
        **FILING.payload, "facts": FACTS, "violation_from": "2023-01-05", "violation_until": "2024-03-31"})
    refused(engine, runner, case_no, APPROVAL.trigger, APPROVAL.user, APPROVAL.at, code="LIMITATION_EXPIRED",
            phrases=("自2024年03月31日起算", "至2026年03月31日届满", "不再给予行政处罚"))
    assert runner.fire(case_no, APPROVAL.trigger, APPROVAL.user, APPROVAL.at,
                       payload={"recovery_only": True}) == "investigation"


def _to_review(runner: Runner, engine: Engine, case_no: str) -> None:
    """Investigated; a 罚款 refused by the period; the 责令退回 alone reviewed and approved."""
    _file_time_barred(runner, engine, case_no)
    walk(runner, case_no, through("record_inquiry")[2:])
    refused(engine, runner, case_no, CONCLUDE.trigger, CONCLUDE.user, CONCLUDE.at, code="LIMITATION_EXPIRED",
            payload={**RECOVERY, "penalties": [REFUND, FINE]}, phrases=("罚款60,000.00元", "仍可责令退回"))
    assert runner.fire(case_no, CONCLUDE.trigger, CONCLUDE.user, CONCLUDE.at, payload=RECOVERY) == "case_review"
    runner.fire(case_no, "submit_legal_review", "diaocha1", "2026-06-10 14:00")
    runner.fire(case_no, "approve_legal_review", "shencha", "2026-06-11 09:00",
                opinion="违法行为已超过追责时效，不再给予行政处罚；责令退回骗取的医疗保障基金，事实清楚，依据正确。")
    assert runner.fire(case_no, "approve_penalty", "juzhang", "2026-06-12 09:00") == "notice"


def _decided(runner: Runner, engine: Engine, case_no: str) -> None:
    _to_review(runner, engine, case_no)
    runner.fire(case_no, "serve_notice", "gaozhi", "2026-06-15 09:00", payload={"method": "直接送达"})
    runner.fire(case_no, "waive_statement", "gaozhi", "2026-06-15 10:00")
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-06-15 11:00") == "decided"


def _serve(runner: Runner, case_no: str) -> str:
    return runner.fire(case_no, "serve_decision", "songda", "2026-06-16 10:00",
                       payload={"method": "直接送达", "recipient": "刘某（法定代表人）"})


def _doc(engine: Engine, case_no: str, doc_type: str) -> Document:
    return [d for d in _docs(engine, case_no) if d.doc_type == doc_type][-1]


def _statuses(engine: Engine, case_no: str) -> dict[str, str]:
    return {d.rule_code: d.status.value for d in deadlines(engine, case_no) if d.rule_code != "clue_check"}


def _pdf_text(pdf: bytes) -> str:
    """The text of every page, without whitespace and the page footers ("— 2 —")."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"—\d+—", "", "".join(text.split()))


def _number(engine: Engine, org: Org, code: str) -> int:
    with unit_of_work(engine, write=False) as s:
        return current_number(db_session=s, agency_id=org.agency_id, kind=f"doc:{code}", year=2026)


# ── the decision ─────────────────────────────────────────────────────────────────────────────
def test_a_time_barred_case_ends_in_a_recovery_decision_without_a_fine(engine, org, runner):
    case_no = open_case(engine, org)
    _decided(runner, engine, case_no)
    case = case_row(engine, case_no)
    assert case.decision_kind == "recovery"
    assert [(p.kind, p.amount) for p in case.penalties_at(PenaltyStage.decided)] == [("责令退回", Decimal("30000.00"))]

    docs = _docs(engine, case_no)
    decided = [(d.doc_type, d.title, d.doc_no) for d in docs if d.trigger == "decide_penalty"]
    assert decided == [("recovery_decision", "行政处理决定书", "栾医保处决〔2026〕1号")]  # not a 行政处罚决定书
    assert (_number(engine, org, "罚决"), _number(engine, org, "处决")) == (0, 1)

    data = snapshot.decode(_doc(engine, case_no, "recovery_decision").data)
    assert "fine_total" not in data and "payment_due_days" not in data and "discretion" not in data
    assert [p["kind"] for p in data["penalties"]] == ["责令退回"]
    assert data["fund_return_total"] == Decimal("30000.00") and data["fund_return_due_days"] == 15
    assert data["exemption"] == {"limitation": {
        "years": 2, "counted_from": date(2024, 3, 31), "last_day": date(2026, 3, 31), "continuing": True,
        "filed_on": date(2026, 6, 2)}}
    assert data["reasons"] == REASONS
    assert [b["citation"] for b in data["bases"]] == ["《医疗保障基金使用监督管理条例》第四十条第一款"]
    # A 行政处理 is not published as a 行政处罚 (第四十八条): no publication limit runs for it.
    assert _statuses(engine, case_no) == {"case_handling": "met", "statement_period": "met",
                                          "decision_service": "open"}
    refused(engine, runner, case_no, "publish_decision", "shencha", "2026-06-15 15:00",
            code="PUBLICATION_NO_DECISION")


def test_the_recovery_decision_reads_as_the_statute_requires(engine, org, runner, tmp_path):
    case_no = open_case(engine, org)
    _decided(runner, engine, case_no)
    doc = _doc(engine, case_no, "recovery_decision")
    pdf = render_pdf(doc.doc_type, snapshot.decode(doc.data))
    text = _pdf_text(pdf)
    for phrase in (
        "栾川县医疗保障局", "行政处理决定书", "栾医保处决〔2026〕1号", "当事人：测试医院",
        "统一社会信用代码：91410324MA47T3Q8WY", "地址：栾川县城关镇1号",
        "经查明：当事人2023年1月至2024年3月通过虚构诊疗项目方式", "上述事实有以下证据证明",
        "第四十条第一款第（三）项规定的虚构医药服务项目骗取医疗保障基金支出的行为",
        # why no penalty: 《行政处罚法》第三十六条 paraphrased, with the dates
        "根据《中华人民共和国行政处罚法》第三十六条的规定，违法行为在二年内未被发现的，不再给予行政处罚",
        "有连续或者继续状态，于2024年3月31日终了，追责期限至2026年3月31日届满，"
        "本机关于2026年6月2日立案时已超过该期限，依法不再给予你单位行政处罚",
        "但上述违法行为涉及的医疗保障基金应当依法追回",
        "依据《医疗保障基金使用监督管理条例》第四十条第一款的规定，本机关决定对你单位作出如下处理",
        "责令退回人民币30,000.00元（大写：叁万元整）",
        # 条例 第四十五条: back to the fund's account, within the agency's period
        "退回的基金退回原医疗保障基金财政专户", "应当自收到本决定书之日起15日内退回至以下账户", *FUND_ACCOUNT,
        # remedies and what follows a failure to return
        "你单位如不服本决定，可以自收到本决定书之日起60日内向栾川县人民政府申请行政复议",
        "6个月内直接向栾川县人民法院提起行政诉讼",
        "依照《中华人民共和国行政强制法》第五十三条、第五十四条的规定，经催告后申请人民法院强制执行",
        "二〇二六年六月十五日", "（印章）",
    ):
        assert "".join(phrase.split()) in text, phrase
    # No 罚款 decided or to pay (the article of the 责令退回 may be quoted in full, its 罚款 with it).
    for absent in ("罚款人民币", "缴纳罚款", "国库", "加处罚款", "行政处罚决定书"):
        assert absent not in text, absent
    if shutil.which("pdftoppm"):  # looked at by a person (tests/artifacts/cases/)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (tmp_path / "recovery.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "recovery.pdf"),
                        str(ARTIFACTS / "recovery_decision")], check=True)
        assert (ARTIFACTS / "recovery_decision-1.png").stat().st_size > 1000


def test_the_recovery_decision_has_its_own_number_sequence(engine, org, runner):
    penalty, first, second = open_case(engine, org), open_case(engine, org), open_case(engine, org)
    walk(runner, penalty, through("decide_penalty"))
    _decided(runner, engine, first)
    _decided(runner, engine, second)
    assert _doc(engine, penalty, "penalty_decision").doc_no == "栾医保罚决〔2026〕1号"
    assert [_doc(engine, n, "recovery_decision").doc_no for n in (first, second)] == [
        "栾医保处决〔2026〕1号", "栾医保处决〔2026〕2号"]


# ── 送达, 执行, 催告, 法院, 结案 ───────────────────────────────────────────────────────────────────
def test_served_with_a_receipt_it_is_enforced_like_a_decision(engine, org, runner):
    case_no = open_case(engine, org)
    _decided(runner, engine, case_no)
    with unit_of_work(engine, write=False) as s:  # 评查: the decision without its 送达回证 blocks 结案
        case = case_service.get_case(db_session=s, case_no=case_no)
        found = {f.code: f.required for f in review_case_file(s, case)}
        assert found["DOCUMENT_NOT_SERVED"] is True
    assert _serve(runner, case_no) == "enforcement"
    assert events(engine, case_no)[-1].trigger_name == "送达行政处理决定书"
    decision = _doc(engine, case_no, "recovery_decision")
    (served,) = decision.deliveries
    receipt = snapshot.decode(_doc(engine, case_no, "service_receipt").data)["service"]
    assert (receipt["served_doc_title"], receipt["served_doc_no"]) == ("行政处理决定书", "栾医保处决〔2026〕1号")
    assert served.receipt_id == _doc(engine, case_no, "service_receipt").id
    # Only the return is to be performed: the 责令退回期限, no 罚款 limit; the party's remedies run.
    assert _statuses(engine, case_no) == {
        "case_handling": "met", "statement_period": "met", "decision_service": "met", "fund_return": "open",
        "review_window": "open", "suit_window": "open"}
    (fund_return,) = deadlines(engine, case_no, "fund_return")
    assert fund_return.due_date == date(2026, 7, 1)  # 06-16 + 15 日

    # 催告 once the period is over: the 催告书 cites the 行政处理决定书 and demands the return only.
    refused(engine, runner, case_no, "issue_dunning", "zhixing", "2026-06-30 09:00", code="PAYMENT_PERIOD_RUNNING")
    assert runner.fire(case_no, "issue_dunning", "zhixing", fund_return.due_at + timedelta(hours=1),
                       payload={"method": "直接送达"}) == "dunning"
    dunning = _doc(engine, case_no, "dunning_notice")
    d = snapshot.decode(dunning.data)["dunning"]
    assert (d["decision_doc_no"], d["decision_title"]) == ("栾医保处决〔2026〕1号", "行政处理决定书")
    assert d["fund_return_due"] == Decimal("30000.00") and d["fine"] is None and d["amount_due"] is None
    text = _pdf_text(render_pdf(dunning.doc_type, snapshot.decode(dunning.data)))
    for phrase in ("作出《行政处理决定书》（栾医保处决〔2026〕1号），决定责令你单位退回医疗保障基金人民币30,000.00元",
                   "退回医疗保障基金人民币30,000.00元（大写：叁万元整）", *FUND_ACCOUNT, "向栾川县人民法院申请强制执行"):
        assert "".join(phrase.split()) in text, phrase
    assert "罚款" not in text  # nor 加处罚款: 第七十二条 is for a 罚款

    # 申请人民法院强制执行 once the 催告 period and the party's 复议/诉讼 windows are over.
    refused(engine, runner, case_no, "apply_court_enforcement", "zhixing", "2026-07-20 09:00",
            code="REMEDY_PERIODS_RUNNING", opinion="催告期满仍未退回。")
    assert runner.fire(case_no, "apply_court_enforcement", "zhixing", "2026-12-21 09:00",
                       opinion="催告期满仍未退回，复议、诉讼期限已过。") == "court_enforcement"
    assert runner.fire(case_no, "record_court_outcome", "zhixing", "2027-01-20 09:00",
                       opinion="栾川县人民法院裁定准予强制执行，基金已退回。") == "closing"
    assert runner.fire(case_no, "approve_closure", "juzhang", "2027-01-21 09:00") == "closed"

    closing = snapshot.decode(_doc(engine, case_no, "closing_approval").data)["closing"]
    assert closing["decision_doc_no"] == "栾医保处决〔2026〕1号"
    assert closing["result"] == "责令退回30,000.00元（行政处理决定，未给予行政处罚）"
    with unit_of_work(engine, write=False) as s:  # the 案卷 and the 评查 read it as the case's decision
        case = case_service.get_case(db_session=s, case_no=case_no)
        assert casefile_facts(s, case).decision_no == "栾医保处决〔2026〕1号"
        assert not [f for f in review_case_file(s, case) if f.required]


def test_a_changed_recovery_decision_is_a_new_version_of_its_number(engine, org, runner):
    case_no = open_case(engine, org)
    _decided(runner, engine, case_no)
    _serve(runner, case_no)
    runner.fire(case_no, "record_remedy_filing", "shencha", "2026-07-10 09:00",
                payload={"kind": "行政复议", "filed_on": "2026-07-09", "body": "栾川县人民政府"})
    runner.fire(case_no, "record_remedy_outcome", "shencha", "2026-08-20 09:00", opinion="复议决定变更退回金额。",
                payload={"outcome": "变更", "decided_on": "2026-08-18",
                         "penalties": [{**REFUND, "amount": "25000.00"}]})
    versions = [d for d in _docs(engine, case_no) if d.doc_type == "recovery_decision"]
    assert [(d.doc_no, d.version) for d in versions] == [("栾医保处决〔2026〕1号", 1), ("栾医保处决〔2026〕1号", 2)]
    assert versions[-1].reason.endswith("变更原行政处理决定")
    assert snapshot.decode(versions[-1].data)["fund_return_total"] == Decimal("25000.00")


# ── 不予行政处罚, but the return ordered ───────────────────────────────────────────────────────
EDUCATION = "向当事人宣讲《医疗保障基金使用监督管理条例》，当事人书面承诺整改。"


def test_no_penalty_with_the_return_ordered_is_a_recovery_decision(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_legal_review"))  # reviewed: 责令退回 30,000 and 罚款 60,000
    refused(engine, runner, case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00",
            code="RETURN_NOT_REVIEWED", opinion="违法事实不能成立。",
            payload={"ground": "facts_not_established", "order_return": True},
            phrases=("违法事实不能成立的，不存在应当退回的医疗保障基金",))
    assert runner.fire(case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00",
                       opinion="违法行为轻微并及时改正，没有造成危害后果，不予行政处罚，但应当责令退回。",
                       payload={"ground": "minor_and_corrected", "education": EDUCATION,
                                "order_return": True}) == "decided"
    case = case_row(engine, case_no)
    assert case.decision_kind == "recovery"
    assert [(p.kind, p.amount) for p in case.penalties_at(PenaltyStage.decided)] == [("责令退回", Decimal("30000.00"))]
    kinds = [d.doc_type for d in _docs(engine, case_no) if d.trigger == "decide_no_penalty"]
    assert kinds == ["recovery_decision"]
    doc = _doc(engine, case_no, "recovery_decision")
    data = snapshot.decode(doc.data)
    assert data["exemption"] == {"ground": "违法行为轻微并及时改正，没有造成危害后果",
                                 "ground_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
                                 "education": EDUCATION}
    text = _pdf_text(render_pdf(doc.doc_type, data))
    for phrase in ("你单位的情形属于违法行为轻微并及时改正，没有造成危害后果，依据《中华人民共和国行政处罚法》"
                   "第三十三条第一款的规定，本机关决定对你单位不予行政处罚",
                   "第三十三条第三款的规定，本机关已对你单位进行教育：" + EDUCATION,
                   "责令退回人民币30,000.00元", *FUND_ACCOUNT):
        assert "".join(phrase.split()) in text, phrase
    assert "罚款人民币" not in text and "缴纳罚款" not in text and "第三十六条" not in text
    assert _serve(runner, case_no) == "enforcement"
    assert "fund_return" in _statuses(engine, case_no)


def test_no_penalty_without_a_reviewed_return_cannot_order_one(engine, org, runner):
    case_no = open_case(engine, org)
    conclude = replace(CONCLUDE, payload={**CONCLUDE.payload, "penalties": [FINE]})
    walk(runner, case_no, [*through("conclude_investigation")[:-1], conclude,
                           *through("approve_legal_review")[-2:]])
    refused(engine, runner, case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00",
            code="RETURN_NOT_REVIEWED", opinion="不予处罚。",
            payload={"ground": "minor_and_corrected", "education": EDUCATION, "order_return": True},
            phrases=("经法制审核的处理内容中没有责令退回",))
    # Without the return: the 不予行政处罚决定书, as before.
    assert runner.fire(case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00", opinion="不予处罚。",
                       payload={"ground": "minor_and_corrected", "education": EDUCATION}) == "decided"
    assert case_row(engine, case_no).decision_kind == "no_penalty"
    assert [d.doc_type for d in _docs(engine, case_no) if d.trigger == "decide_no_penalty"] == [
        "no_penalty_decision"]


def test_a_fined_case_still_gets_its_penalty_decision(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    assert case_row(engine, case_no).decision_kind == "penalty"
    assert [d.doc_type for d in _docs(engine, case_no) if d.trigger == "decide_penalty"] == ["penalty_decision"]
    assert "decision_publication" in _statuses(engine, case_no)


def test_the_party_is_told_of_a_recovery_not_a_penalty(engine, org, runner):
    """Nothing punitive reviewed: the 告知 is a 行政处理事先告知书 (no 听证: 《行政处罚法》第六十三条 grants it
    against 行政处罚 only) and the decision step is 作出行政处理决定."""
    case_no = open_case(engine, org)
    _decided(runner, engine, case_no)
    notice = _doc(engine, case_no, "recovery_notice")
    assert notice.doc_no.startswith("栾医保处告〔2026〕")
    text = _pdf_text(render_pdf(notice.doc_type, snapshot.decode(notice.data)))
    assert "行政处理事先告知书" in text and "拟对你单位作出如下行政处理" in text
    for absent in ("听证", "罚款人民币", "行政处罚事先告知书"):
        assert absent not in text, absent
    assert not [d for d in _docs(engine, case_no) if d.doc_type in ("penalty_notice", "hearing_rights_notice")]
    names = [e.trigger_name for e in events(engine, case_no)]
    assert "送达行政处理事先告知书" in names and "作出行政处理决定" in names
    assert "作出行政处罚决定" not in names
