"""Realistic data for every document type: one case of 栾川县医疗保障局 against a 定点医疗机构
(虚构医药服务项目, 条例 第四十条), plus an individual for the 不予行政处罚 decision.

`sample(key)` returns a fresh deep copy, so a test may change it freely.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

ORG_USCC = "91410324MA47T3Q8WY"  # passes stdnum.cn.uscc (checked in the tests)
PERSON_ID = "410324199003150018"  # passes stdnum.cn.ric

AGENCY: dict[str, Any] = {
    "name": "栾川县医疗保障局",
    "address": "河南省洛阳市栾川县城关镇伊河路东段16号",
    "postcode": "471500",
    "phone": "0379-66812345",
    "contact": "李明",
    "review_bodies": ["栾川县人民政府"],  # 行政复议法 (2023) 第二十四条: the county government
    "court": "栾川县人民法院",
    "payment": {  # 罚款、没收的违法所得: 依法上缴国库 (条例 第四十五条)
        "payee": "栾川县财政局非税收入汇缴结算户",
        "bank": "中国农业银行股份有限公司栾川县支行",
        "account": "16-660101040000123",
    },
    "fund_return": {  # 退回的基金: 原医疗保障基金财政专户 (条例 第四十五条)
        "payee": "栾川县财政局医疗保障基金财政专户",
        "bank": "中国工商银行股份有限公司栾川支行",
        "account": "1705021309200088765",
    },
    "review_unit": "栾川县医疗保障局法制审核股",
}

ORG: dict[str, Any] = {
    "kind": "organisation",
    "name": "栾川县康泰医院有限公司",
    "identifier": ORG_USCC,
    "address": "河南省洛阳市栾川县城关镇君山路88号",
    "representative": "王建国",
    "phone": "0379-66823456",
}

PERSON: dict[str, Any] = {
    "kind": "individual",
    "name": "张丽华",
    "identifier": PERSON_ID,
    "address": "河南省洛阳市栾川县栾川乡双堂村3组15号",
    "phone": "13803790001",
}

CASE: dict[str, Any] = {
    "case_no": "栾医保罚案〔2026〕1号",
    "title": "栾川县康泰医院有限公司虚构医药服务项目案",
    "item_name": "对定点医药机构骗取医疗保障基金支出的处罚",
    "opened_on": date(2026, 8, 3),
    "cause": "栾川县康泰医院有限公司涉嫌虚构医药服务项目骗取医疗保障基金支出",
    "source": "医疗保障经办机构移送",
    "received_on": date(2026, 7, 28),
}

FACTS = (
    "2026年1月1日至2026年6月30日期间，你单位康复理疗科在为住院参保人员提供诊疗服务时，"
    "将未实际提供的中频脉冲电治疗、普通针刺等理疗项目记入费用明细，纳入医疗保障基金结算，"
    "共涉及参保人员37人次，骗取医疗保障基金支出12,345.67元。"
)

EVIDENCE = [
    "你单位营业执照、医疗机构执业许可证及定点医药机构服务协议复印件",
    "医疗保障信息系统结算数据及住院费用明细清单",
    "涉案参保人员住院病历、理疗治疗单及询问笔录",
    "你单位康复理疗科负责人询问笔录及现场检查笔录",
]

REASONS = (
    "本机关认为，你单位的上述行为违反了《医疗保障基金使用监督管理条例》第十五条第一款的规定，"
    "属于该条例第四十条第一款第（三）项规定的虚构医药服务项目骗取医疗保障基金支出的行为。"
    "鉴于你单位在调查中能够如实陈述违法事实，综合考虑违法行为的事实、性质、情节和社会危害程度，"
    "按骗取金额的2倍处以罚款。"
)

BASES = [{
    "citation": "《医疗保障基金使用监督管理条例》第四十条第一款",
    "text": "定点医药机构通过下列方式骗取医疗保障基金支出的，由医疗保障行政部门责令退回，"
            "处骗取金额2倍以上5倍以下的罚款……（三）虚构医药服务项目；",
}]

PENALTIES = [
    {"kind": "责令退回", "amount": Decimal("12345.67"), "months": None, "target": "party",
     "description": "责令退回骗取的医疗保障基金人民币12,345.67元"},
    {"kind": "罚款", "amount": Decimal("24691.34"), "months": None, "target": "party",
     "description": "处骗取金额2倍的罚款，即罚款人民币24,691.34元"},
]

OFFICERS = [
    {"name": "赵志强", "credential_no": "41032400123"},
    {"name": "孙晓燕", "credential_no": "41032400124"},
]


def _common(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": AGENCY, "case": CASE, "parties": [ORG], "officers": OFFICERS,
    }
    data.update(extra)
    return data


def _finding(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"facts": FACTS, "evidence": EVIDENCE, "reasons": REASONS,
                            "bases": BASES, "penalties": PENALTIES}
    return _common(**{**base, **extra})


_SAMPLES: dict[str, dict[str, Any]] = {
    "penalty_notice": _finding(
        doc_no="栾医保罚告〔2026〕3号", issued_on=date(2026, 10, 12),
        statement_days=5, statement_due=date(2026, 10, 19), hearing_entitled=False,
    ),
    "recovery_notice": _finding(  # 追责时效 passed: only the 责令退回, told as a 行政处理, no 听证
        doc_no="栾医保处告〔2026〕1号", issued_on=date(2026, 10, 12),
        penalties=[p for p in PENALTIES if p["kind"] == "责令退回"],
        statement_days=5, statement_due=date(2026, 10, 19), hearing_entitled=False, time_barred=True,
    ),
    "hearing_rights_notice": _finding(
        doc_no="栾医保听告〔2026〕2号", issued_on=date(2026, 10, 12),
        penalties=[*PENALTIES, {
            "kind": "暂停医药服务", "amount": None, "months": 6, "target": "party",
            "description": "责令暂停康复理疗科涉及医疗保障基金使用的医药服务6个月",
        }],
        statement_days=5, hearing_entitled=True, hearing_request_days=5,
    ),
    "hearing_summons": _common(
        doc_no="栾医保听通〔2026〕2号", issued_on=date(2026, 10, 20),
        penalties=PENALTIES,
        hearing={"held_on": datetime(2026, 11, 2, 1, 30, tzinfo=timezone.utc),  # 9时30分 Beijing
                 "place": "栾川县医疗保障局三楼会议室", "host": "周文博", "clerk": "陈静",
                 "public": True, "requested_on": date(2026, 10, 15)},
    ),
    "penalty_decision": _finding(
        doc_no="栾医保罚决〔2026〕3号", issued_on=date(2026, 11, 23),
        procedure="本机关于2026年10月12日向你单位送达了《行政处罚事先告知书》"
                  "（栾医保罚告〔2026〕3号），告知你单位拟作出行政处罚的事实、理由、依据及依法享有的权利。",
        statement_summary="你单位在法定期限内提出了书面陈述、申辩，称涉案项目系系统录入错误所致。"
                          "经复核，你单位未能提供实际提供上述服务的证据，陈述、申辩理由不成立，本机关不予采纳。",
        fine_total=Decimal("24691.34"), payment_due_days=15,
        fund_return_total=Decimal("12345.67"), fund_return_due_days=15,
    ),
    "no_penalty_decision": _common(
        doc_no="栾医保不罚决〔2026〕1号", issued_on=date(2026, 9, 8),
        parties=[PERSON],
        case={**CASE, "case_no": "栾医保罚案〔2026〕4号", "opened_on": date(2026, 8, 10),
              "cause": "张丽华涉嫌将本人医疗保障凭证交由他人冒名使用"},
        facts="2026年5月，你将本人医疗保障凭证交由亲属使用，在定点零售药店购药1次，"
              "医疗保障基金支付186.50元。案发后你已主动退回上述款项。",
        evidence=["定点零售药店结算记录", "你的询问笔录", "退款凭证"],
        reasons="本机关认为，你的上述行为违反了《医疗保障基金使用监督管理条例》第十七条第一款的规定。"
                "鉴于你系初次违法，危害后果轻微并已及时改正，依法可以不予行政处罚。本机关已对你进行了教育。",
        bases=[{"citation": "《中华人民共和国行政处罚法》第三十三条第一款", "text": ""}],
    ),
    # 追责时效 passed (《行政处罚法》第三十六条): no penalty, the fund returned (条例 第三十八条).
    "recovery_decision": _common(
        doc_no="栾医保处决〔2026〕1号", issued_on=date(2026, 9, 15),
        case={**CASE, "case_no": "栾医保罚案〔2026〕6号", "opened_on": date(2026, 8, 20),
              "cause": "栾川县康泰医院有限公司涉嫌超标准收费造成医疗保障基金损失"},
        facts="2023年3月1日至2024年3月31日期间，你单位将住院参保人员的普通病房床位费按单人间标准收取，"
              "并纳入医疗保障基金结算，共涉及参保人员64人次，造成医疗保障基金损失8,640.00元。",
        evidence=["你单位营业执照、医疗机构执业许可证及定点医药机构服务协议复印件",
                  "医疗保障信息系统结算数据及住院费用明细清单", "你单位住院部负责人询问笔录"],
        reasons="本机关认为，你单位的上述行为违反了《医疗保障基金使用监督管理条例》第十五条第一款的规定，"
                "属于该条例第三十八条第（三）项规定的超标准收费的行为。",
        bases=[{"citation": "《医疗保障基金使用监督管理条例》第三十八条", "text": ""}],
        penalties=[{"kind": "责令退回", "amount": Decimal("8640.00"), "months": None, "target": "party"}],
        fund_return_total=Decimal("8640.00"), fund_return_due_days=15,
        exemption={"limitation": {"years": 2, "counted_from": date(2024, 3, 31), "continuing": True,
                                  "last_day": date(2026, 3, 31), "filed_on": date(2026, 8, 20)}},
    ),
    "sealing_decision": _common(
        doc_no="栾医保封决〔2026〕1号", issued_on=date(2026, 8, 5),
        sealing={
            "reason": "本机关在对你单位开展医疗保障基金使用监督检查中，发现你单位康复理疗科2026年"
                      "上半年的理疗治疗单、费用明细等资料与医疗保障结算数据不符，上述资料可能被转移、"
                      "隐匿或者灭失。",
            "bases": [
                {"citation": "《医疗保障基金使用监督管理条例》第二十七条第（五）项", "text": ""},
                {"citation": "《中华人民共和国行政强制法》第二十四条", "text": ""},
            ],
            "term_days": 30, "from": date(2026, 8, 5), "to": date(2026, 9, 3),
            "place": "栾川县康泰医院有限公司病案室（就地封存）",
            "items": [
                {"name": "康复理疗科理疗治疗单", "spec": "2026年1月至6月", "quantity": 6,
                 "unit": "册", "location": "病案室2号柜", "note": "已加贴封条"},
                {"name": "住院费用明细清单", "spec": "A4纸质", "quantity": Decimal("412"),
                 "unit": "页", "location": "病案室2号柜", "note": ""},
                {"name": "理疗设备使用登记本", "spec": "", "quantity": 2, "unit": "本",
                 "location": "康复理疗科护士站", "note": ""},
            ],
            "witness": "刘建设（城关镇君山社区工作人员）",
        },
    ),
    "sealing_release": _common(
        doc_no="栾医保解封决〔2026〕1号", issued_on=date(2026, 8, 28),
        release={"sealed_doc_no": "栾医保封决〔2026〕1号", "sealed_on": date(2026, 8, 5),
                 "reason": "经查，被封存资料已复制固定并完成核查，不再需要采取封存措施。",
                 "basis": "《中华人民共和国行政强制法》第二十八条第一款第（五）项"},
    ),
    "sealing_extension": _common(
        doc_no="栾医保延封决〔2026〕1号", issued_on=date(2026, 8, 28),
        extension={"sealed_doc_no": "栾医保封决〔2026〕1号", "sealed_on": date(2026, 8, 5),
                   "items": [{"name": "康复理疗科理疗治疗单", "quantity": 6, "unit": "册"},
                             {"name": "住院费用明细清单", "quantity": Decimal("412"), "unit": "页"},
                             {"name": "理疗设备使用登记本", "quantity": 2, "unit": "本"}],
                   "place": "栾川县康泰医院有限公司病案室（就地封存）",
                   "from": date(2026, 8, 5), "term_days": 30, "to": date(2026, 9, 3),
                   # 09-03 + 30 日 = 10-03, in the 国庆 holiday (10-01 – 10-07) → 10-08
                   "days": 30, "new_to": date(2026, 10, 8),
                   "reason": "被封存的理疗治疗单须与医疗保障结算数据逐份比对，涉及参保人员37人次，"
                             "情况复杂，在原封存期限内难以查清。",
                   "basis": "《中华人民共和国行政强制法》第二十五条第一款"},
    ),
    "service_receipt": _common(
        service={"served_doc_title": "行政处罚决定书", "served_doc_no": "栾医保罚决〔2026〕3号",
                 "recipient": "栾川县康泰医院有限公司", "place": "河南省洛阳市栾川县城关镇君山路88号",
                 "method": "留置送达", "served_at": datetime(2026, 11, 24, 6, 30, tzinfo=timezone.utc),
                 "server_names": ["赵志强", "孙晓燕"], "witness": "刘建设（城关镇君山社区工作人员）",
                 "refusal_reason": "该单位法定代表人王建国拒绝签收", "note": "留置送达过程已全程录像"},
    ),
    "dunning_notice": _common(
        doc_no="栾医保催告〔2026〕1号", issued_on=date(2026, 12, 21),
        statement_days=3,
        dunning={"decision_doc_no": "栾医保罚决〔2026〕3号", "decision_on": date(2026, 11, 23),
                 "served_on": date(2026, 11, 24), "fine": Decimal("24691.34"),
                 "amount_due": Decimal("24691.34"), "late_fee": Decimal("3703.70"),
                 "late_fee_as_of": date(2026, 12, 14), "pay_by": date(2027, 1, 8),
                 "fund_return_due": Decimal("12345.67")},  # not yet returned either
    ),
    "filing_approval": _common(
        facts="栾川县医疗保障中心在日常稽核中发现，栾川县康泰医院有限公司康复理疗科2026年上半年"
              "理疗项目结算量异常，部分理疗项目疑未实际提供即纳入医疗保障基金结算，涉及金额约1.2万元。"
              "经初步核查，该单位涉嫌虚构医药服务项目骗取医疗保障基金支出，符合立案条件。",
        bases=BASES,
        approvals=[
            {"role": "承办人意见", "name": "赵志强、孙晓燕", "opinion": "建议立案调查。",
             "on": date(2026, 8, 1)},
            {"role": "审核意见", "name": "钱立新", "opinion": "同意立案。", "on": date(2026, 8, 2)},
            {"role": "负责人审批", "name": "郑国华", "opinion": "同意。", "on": date(2026, 8, 3)},
        ],
    ),
    "legal_review_opinion": _common(
        doc_no="栾医保审核〔2026〕5号", issued_on=date(2026, 11, 16),
        penalties=PENALTIES,
        review={"submitted_by": "基金监管股", "submitted_on": date(2026, 11, 10),
                "points": [
                    {"item": "执法主体", "finding": "本局对本案具有管辖权，执法人员均持有行政执法证件。"},
                    {"item": "事实和证据", "finding": "违法事实清楚，证据确实充分。"},
                    {"item": "程序", "finding": "立案、调查、告知、陈述申辩等程序合法。"},
                    {"item": "适用依据和裁量", "finding": "适用依据正确，罚款数额在法定幅度内，裁量适当。"},
                ],
                "opinion": "同意基金监管股提出的处理意见。", "conclusion": "同意",
                "reviewer": "吴雅琴", "reviewed_on": date(2026, 11, 16)},
    ),
    "closing_approval": _common(
        closing={"decision_doc_no": "栾医保罚决〔2026〕3号",
                 "result": "责令退回医疗保障基金12,345.67元，罚款24,691.34元。",
                 "execution": "当事人已于2026年12月30日缴清罚款及加处罚款，并退回医疗保障基金12,345.67元。",
                 "reason": "处罚决定已执行完毕。"},
        approvals=[
            {"role": "承办人意见", "name": "赵志强", "opinion": "建议结案。", "on": date(2027, 1, 5)},
            {"role": "负责人审批", "name": "郑国华", "opinion": None, "on": None},
        ],
    ),
}


def sample(key: str) -> dict[str, Any]:
    """A fresh copy of the sample data for one document type."""
    return copy.deepcopy(_SAMPLES[key])


def keys() -> list[str]:
    return list(_SAMPLES)


# --- 询问笔录, 现场检查笔录, 证据清单 (行政处罚法 第四十二条、第四十六条、第五十五条) -------------------

WITNESS_ID = "410324199006120025"  # passes stdnum.cn.ric (女, 1990-06-12)

INQUIRY_QA: list[dict[str, str]] = [
    {"q": "以上内容你是否听清楚？是否申请回避？", "a": "听清楚了，不申请回避。"},
    {"q": "请介绍一下你的基本情况。",
     "a": "我叫李红梅，1990年6月出生，2018年起在栾川县康泰医院有限公司工作，现任康复理疗科护士长，"
          "负责科室理疗治疗单的登记和费用录入。"},
    {"q": "2026年1月至6月，你科室住院病人的理疗项目是如何记账的？",
     "a": "医生在医嘱中开具理疗项目，由治疗师实施后在理疗治疗单上签字，护士站根据治疗单在医院信息系统中录入费用。"},
    {"q": "经核查，参保人员刘某等37人次的理疗治疗单上没有治疗师签字，但费用明细中记有中频脉冲电治疗、"
          "普通针刺等项目。这是怎么回事？",
     "a": "这部分是按医嘱直接录入的。\n当时科室治疗师人手不够，有些项目没有实际做，但是费用已经按医嘱录进去了。"},
    {"q": "这些费用是否纳入了医疗保障基金结算？", "a": "是的，出院时都通过医保系统结算了。"},
    {"q": "你还有什么需要补充的吗？", "a": "没有了。"},
]

_INQUIRY_RECORD: dict[str, Any] = {
    "started_at": datetime(2026, 8, 6, 1, 30, tzinfo=timezone.utc),  # 9时30分 Beijing
    "ended_at": datetime(2026, 8, 6, 3, 5, tzinfo=timezone.utc),  # 11时05分
    "place": "栾川县医疗保障局二楼询问室",
    "sequence": 1,
    "officers": OFFICERS,
    "recorder": "孙晓燕",
    "person": {"name": "李红梅", "sex": "女", "id_number": WITNESS_ID, "phone": "13903790218",
               "work_unit": "栾川县康泰医院有限公司康复理疗科护士长",
               "address": "河南省洛阳市栾川县城关镇君山路92号院3号楼2单元401室",
               "relation": "当事人的工作人员"},
    "credentials_shown": True,
    "qa": INQUIRY_QA,
}

_INSPECTION_RECORD: dict[str, Any] = {
    "started_at": datetime(2026, 8, 5, 0, 40, tzinfo=timezone.utc),  # 8时40分 Beijing
    "ended_at": datetime(2026, 8, 5, 3, 20, tzinfo=timezone.utc),  # 11时20分
    "place": "栾川县康泰医院有限公司康复理疗科、病案室",
    "officers": OFFICERS,
    "recorder": "孙晓燕",
    "subject": {"name": "栾川县康泰医院有限公司", "address": ORG["address"],
                "representative": "王建国", "phone": ORG["phone"]},
    "present": [
        {"name": "王建国", "position": "法定代表人", "phone": "13703790066"},
        {"name": "李红梅", "position": "康复理疗科护士长"},
    ],
    "credentials_shown": True,
    "findings": (
        "执法人员在该单位法定代表人王建国的陪同下，对康复理疗科及病案室进行了现场检查。\n"
        "康复理疗科设有中频脉冲电治疗仪2台、针灸床6张，现场有治疗师1名在岗。"
        "科室理疗设备使用登记本记载，2026年1月至6月中频脉冲电治疗仪累计使用412次。\n"
        "病案室存有康复理疗科2026年1月至6月理疗治疗单6册。经现场抽查，参保人员刘某等37人次的"
        "治疗单无治疗师签字，与医疗保障信息系统结算的理疗项目费用明细不符。"
    ),
    "measures": "对理疗治疗单、理疗设备使用登记本拍照6张并复制42页，由该单位在复印件上签章确认；"
                "对上述原件依法实施封存（栾医保封决〔2026〕1号）。",
}

_EVIDENCE_ITEMS: list[dict[str, Any]] = [
    {"seq": 1, "kind": "书证", "title": "营业执照、医疗机构执业许可证及定点医药机构服务协议复印件",
     "source": "栾川县康泰医院有限公司提供", "obtained_by": "复制", "collectors": ["赵志强", "孙晓燕"],
     "collected_on": date(2026, 8, 5), "pages": 9,
     "proves": "当事人主体资格及定点医疗机构身份"},
    {"seq": 2, "kind": "电子数据", "title": "医疗保障信息系统结算数据及住院费用明细清单",
     "source": "栾川县医疗保障中心信息系统", "obtained_by": "调取", "collectors": ["赵志强", "孙晓燕"],
     "collected_on": date(2026, 8, 4), "pages": 412,
     "proves": "涉案理疗项目纳入医疗保障基金结算的金额",
     "files": [{"filename": "康泰医院2026上半年结算明细.xlsx",
                "sha256": "9f2c4e1a7b3d58c0e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70"}]},
    {"seq": 3, "kind": "现场笔录", "title": "现场检查笔录", "source": "栾川县康泰医院有限公司康复理疗科、病案室",
     "obtained_by": "现场检查", "collectors": ["赵志强", "孙晓燕"], "collected_on": date(2026, 8, 5),
     "pages": 3, "proves": "理疗治疗单无治疗师签字，与结算明细不符"},
    {"seq": 4, "kind": "视听资料", "title": "现场检查照片", "source": "栾川县康泰医院有限公司病案室",
     "obtained_by": "拍照", "collectors": ["孙晓燕"], "collected_on": date(2026, 8, 5), "pages": None,
     "proves": "现场检查时理疗治疗单的保存状况",
     "files": [{"filename": "IMG_0801.jpg",
                "sha256": "0b7e55d2c9a14f3e8d6c2b1a09f8e7d6c5b4a3928171605f4e3d2c1b0a998877"},
               {"filename": "IMG_0802.jpg",
                "sha256": "5c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d"}]},
    {"seq": 5, "kind": "证人证言", "title": "李红梅询问笔录", "source": "栾川县医疗保障局二楼询问室",
     "obtained_by": "询问", "collectors": ["赵志强", "孙晓燕"], "collected_on": date(2026, 8, 6),
     "pages": 4, "proves": "涉案理疗项目未实际提供但已录入费用并结算"},
]

_SAMPLES.update({
    "inquiry_record": _common(record=_INQUIRY_RECORD),
    "inspection_record": _common(record=_INSPECTION_RECORD),
    "evidence_list": _common(evidence_list={
        "items": _EVIDENCE_ITEMS, "prepared_by": "赵志强", "prepared_on": date(2026, 9, 20),
    }),
})
