"""The demo's case of two violations: a hospital that invented 康复理疗 sessions and helped patients'
relatives 冒名就医 — two conducts of 《医疗保障基金使用监督管理条例》第四十条, each with its 违法明细
exported from the 医保 settlement system as an .xlsx (written here with openpyxl, then imported as an
officer's upload is), its own penalties and the 合计; the party's arguments answered by 复核.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from caseflow.cases import evidence_acts, violation_acts
from caseflow.db.session import unit_of_work
from caseflow.demo.evidence import demo_files
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN, short_inquiry
from caseflow.demo.walk import Step, walk
from caseflow.legal_time import SHANGHAI
from caseflow.org.service import get_user_by_username
from caseflow.violations.importer import TEMPLATE, import_details

PATIENTS = ("王小梅", "李建国", "赵秀英", "刘德华", "陈桂兰", "杨志强")
THERAPY = (("中频脉冲电治疗", Decimal("38.00")), ("红外线治疗", Decimal("12.00")), ("普通针刺", Decimal("25.00")))


def _xlsx(rows: list[tuple[object, ...]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "违规明细"
    sheet.append(["医保结算系统违规明细导出（演示）"])  # a title line above the header, as exports have
    sheet.append(list(TEMPLATE))
    for row in rows:
        sheet.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def therapy_sheet(first: date) -> bytes:
    """虚构医药服务项目: 24 康复理疗 charges never given (no 治疗记录), two a week for twelve weeks."""
    rows = []
    for n in range(24):
        name, price = THERAPY[n % len(THERAPY)]
        quantity = 10 + (n % 4) * 2
        amount = price * quantity
        fund = "职工医保" if n % 3 else "居民医保"
        rows.append((PATIENTS[n % len(PATIENTS)], fund, name, first + timedelta(days=3 * n), None, quantity,
                     price, amount, (amount * Decimal("0.8")).quantize(Decimal("0.01")), "无治疗记录"))
    return _xlsx(rows)


def impersonation_sheet(first: date) -> bytes:
    """诱导、协助他人冒名就医: four stays of relatives admitted under an insured patient's card."""
    stays = ((0, 6, Decimal("3260.00"), Decimal("2608.00")), (20, 5, Decimal("2875.50"), Decimal("2300.40")),
             (41, 7, Decimal("4120.00"), Decimal("3296.00")), (55, 4, Decimal("1980.00"), Decimal("1584.00")))
    rows = [(PATIENTS[i], "居民医保", "住院医疗费用（冒名住院）", first + timedelta(days=d),
             first + timedelta(days=d + nights), 1, None, amount, paid, "持他人医保凭证住院")
            for i, (d, nights, amount, paid) in enumerate(stays)]
    return _xlsx(rows)


def _evidence(engine: Engine, case_no: str, at: datetime) -> None:
    files = demo_files()
    items = [
        ({"kind": "书证", "title": "营业执照复印件", "source": "当事人提交", "obtained_by": "当事人提交",
          "collected_on": at.date().isoformat(), "proves": "证明当事人的主体资格"},
         [("营业执照.png", files["licence"])]),
        ({"kind": "书证", "title": "医疗保障定点医疗机构服务协议", "source": "调取自栾川县医疗保障中心",
          "obtained_by": "复制", "collected_on": at.date().isoformat(), "proves": "证明当事人系定点医疗机构"},
         []),
        ({"kind": "电子数据", "title": "医保结算系统违规明细导出表", "source": "栾川县医疗保障信息平台",
          "obtained_by": "系统导出", "collected_on": at.date().isoformat(), "proves": "证明违规费用及医疗保障基金支付的数额"},
         []),
    ]
    for payload, uploads in items:
        with unit_of_work(engine) as s:
            actor = get_user_by_username(db_session=s, username="diaocha1")
            evidence_acts.add_evidence(
                db_session=s, case_no=case_no, actor_id=actor.id, payload=payload, at=at,
                uploads=[evidence_acts.Upload(name=n, source=io.BytesIO(b)) for n, b in uploads])


def register_violations(engine: Engine, case_no: str, at: datetime, first: date) -> list[Decimal]:
    """The two violations, each with its 明细 imported from its .xlsx; their 骗取金额 in order."""
    today = at.astimezone(SHANGHAI).date()
    sheets = [
        ({"conduct": "虚构医药服务项目",
          "facts": "你单位在为住院参保人员提供诊疗服务时，对未实际提供的中频脉冲电治疗、红外线治疗、普通针刺等康复理疗项目，"
                   "按已提供申报医疗保障基金结算，住院病历的治疗记录、护理记录均无执行记录"},
         "康复理疗违规明细.xlsx", therapy_sheet(first)),
        ({"conduct": "诱导、协助他人冒名或者虚假就医、购药",
          "facts": "你单位明知住院患者系持他人医疗保障凭证就医，仍为其办理住院并以被冒用参保人员的名义申报医疗保障基金结算"},
         "冒名住院违规明细.xlsx", impersonation_sheet(first + timedelta(days=10))),
    ]
    out = []
    for payload, name, data in sheets:
        rows = import_details(data, name, today=today)
        with unit_of_work(engine) as s:
            actor = get_user_by_username(db_session=s, username="diaocha1")
            v = violation_acts.add_violation(db_session=s, case_no=case_no, actor_id=actor.id, payload=payload,
                                             imported=rows, at=at)
            assert v.amount_defrauded is not None
            out.append(v.amount_defrauded)
    return out


ARGUMENTS = [
    {"argument": "冒名住院系患者家属自行持他人医保凭证办理，医院工作人员无法识别，不应由医院承担责任。",
     "answer": "不采纳",
     "reason": "经查，你单位入院登记时未按《医疗保障基金使用监督管理条例》第十五条第一款的规定核验参保人员医疗保障凭证，"
               "且护士站询问笔录证实工作人员知悉患者并非参保人本人，仍以被冒用人员名义申报结算，该意见不成立"},
    {"argument": "已主动退回全部违规费用，请求从轻处罚。",
     "answer": "采纳",
     "reason": "你单位于调查期间主动退回违规资金属实，本机关已依照《中华人民共和国行政处罚法》第三十二条第（一）项从轻处罚"},
]


def two_violations(engine: Engine, case_no: str, start: datetime) -> None:
    """线索 → 立案 → 调查 (evidence, the two violations from .xlsx) → 调查终结 with a 罚款 and a 责令退回 per
    violation (从轻: twice each 骗取金额) → 法制审核 → 批准 → 告知 → 陈述、申辩 (two arguments) → 决定, each
    argument answered → 送达."""
    first = (start - timedelta(days=150)).astimezone(SHANGHAI).date()
    clue = "医保智能监控系统提示当事人2026年6月至8月康复理疗及住院费用异常，涉嫌虚构医药服务项目、协助他人冒名住院。"
    facts = ("你单位在2026年度医疗保障基金使用中，存在虚构医药服务项目、协助他人冒名住院两项违法行为，"
             "以欺诈手段骗取医疗保障基金支出。")
    walk(engine, case_no, [
        Step("submit_filing", "lian", start + timedelta(hours=1), payload={"source": "医保智能监控系统预警", "facts": clue}),
        Step("approve_filing", "juzhang", start + timedelta(days=1)),
        Step("start_investigation", "diaocha1", start + timedelta(days=1, hours=1)),
        Step("record_inquiry", "diaocha1", start + timedelta(days=2, hours=2),
             payload=short_inquiry(start + timedelta(days=2), "承认部分康复理疗项目未实际提供，冒名住院系家属所为。")),
    ])
    _evidence(engine, case_no, start + timedelta(days=2, hours=3))
    defrauded = register_violations(engine, case_no, start + timedelta(days=3), first)
    penalties = []
    for seq, amount in enumerate(defrauded, start=1):
        penalties += [{"kind": "责令退回", "amount": str(amount), "basis": FRAUD_BASIS_RETURN, "violation": seq},
                      {"kind": "罚款", "amount": str(amount * 2), "basis": FRAUD_BASIS_FINE, "violation": seq}]
    total = sum(defrauded, Decimal(0))
    walk(engine, case_no, [
        Step("conclude_investigation", "diaocha1", start + timedelta(days=4), payload={
            "facts": facts,
            "factors": [{"factor": "remedied_harm",
                         "evidence": f"当事人于调查期间将{total:,.2f}元退回医疗保障基金专户（银行回单）"}],
            "penalties": penalties}),
        Step("submit_legal_review", "diaocha1", start + timedelta(days=4, hours=5)),
        Step("approve_legal_review", "shencha", start + timedelta(days=5),
             opinion="两项违法行为事实清楚，证据确凿，适用依据正确，程序合法，处罚幅度适当（各为骗取金额的2倍）。"),
        Step("approve_penalty", "juzhang", start + timedelta(days=6)),
        Step("serve_notice", "gaozhi", start + timedelta(days=7),
             payload={"method": "直接送达", "recipient": "周某（法定代表人）"}),
        Step("receive_statement", "gaozhi", start + timedelta(days=8),
             payload={"arguments": [{"argument": a["argument"]} for a in ARGUMENTS]},
             opinion="当事人提交书面陈述、申辩意见，不申请听证。"),
        Step("decide_penalty", "jueding", start + timedelta(days=15), payload={"answers": ARGUMENTS}),
        Step("serve_decision", "songda", start + timedelta(days=16),
             payload={"method": "直接送达", "recipient": "周某（法定代表人）"}),
    ])
