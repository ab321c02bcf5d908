"""The demo's cases: one penalty case walked to 归档 through a hearing, one emergency 封存, and a few
cases left where an officer would find them on a Monday morning."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from caseflow.demo.walk import Step, sh
from caseflow.legal_time import SHANGHAI

# Items of 栾川县医疗保障局's list (workflows/catalog/list-004.yaml).
FRAUD_ITEM = "004-05"  # 对定点医药机构骗取医疗保障基金支出的处罚
INDIVIDUAL_ITEM = "004-06"  # 对个人骗取医疗保障基金支出、骗取医疗保障基金待遇…的处罚
GENERAL_ITEM = "004-03"  # 对定点医药机构基金使用一般违法行为的处罚
SEALING_ITEM = "004-12"  # 对可能被转移、隐匿或者灭失的医疗保险基金相关资料进行封存

FRAUD_BASIS_FINE = ("《医疗保障基金使用监督管理条例》第四十条第一款：由医疗保障行政部门责令退回，"
                    "处骗取金额2倍以上5倍以下的罚款")
FRAUD_BASIS_RETURN = "《医疗保障基金使用监督管理条例》第四十条第一款（责令退回）"

# 《行政处罚法》第五十五条: the 笔录 of the on-site inspection and of the inquiry, made in caseflow.
INSPECTION = {
    "acted_at": "2026-06-03 09:30", "ended_at": "2026-06-03 11:00", "place": "栾川县康宁医院住院部、医保办",
    "persons": ["王调查", "赵取证"], "recorder": "赵取证", "credentials_shown": True,
    "subject_name": "栾川县康宁医院", "subject_address": "栾川县城关镇君山路18号",
    "subject_representative": "刘某", "present": ["刘某（院长）", "孙某（医保办主任）"],
    "findings": "执法人员调取该院2026年1月至4月住院病历12份及对应结算单据。经比对，12份病历记载的"
                "康复理疗项目在治疗记录、护理记录中均无执行记录，当班护士表示未实施上述项目。",
    "measures": "对12份住院病历及结算单据复制并由当事人签字确认；对医保结算系统相关页面拍照。",
    "proves": "证明当事人虚构康复理疗项目并申报结算的事实",
}
INQUIRY = {
    "acted_at": "2026-06-04 09:00", "ended_at": "2026-06-04 10:40", "place": "栾川县医疗保障局询问室",
    "persons": ["王调查", "赵取证"], "recorder": "赵取证", "credentials_shown": True,
    "person_name": "刘某", "person_role": "当事人的法定代表人或负责人", "person_sex": "男",
    "person_work_unit": "栾川县康宁医院院长",
    "qa": [
        {"q": "我们是栾川县医疗保障局的执法人员，这是我们的执法证件。你是否申请执法人员回避？", "a": "不申请。"},
        {"q": "你院2026年1月至4月为12名住院患者申报的康复理疗项目是否实际提供？",
         "a": "没有实际提供，是医保办按套餐录入的。"},
        {"q": "上述项目共申报医疗保障基金支付多少元？", "a": "按结算单据合计30,000元。"},
    ],
    "proves": "证明当事人对虚构诊疗项目、骗取医疗保障基金支出的事实予以承认",
}

# What the party argued at the hearing, and the agency's answers on 复核 (given with the decision).
HEARING_ANSWERS = [
    {"argument": "涉案康复理疗项目系医保办工作人员按套餐批量录入所致，属于管理疏漏，医院没有骗取医疗保障基金的"
                 "故意，不应认定为骗取医疗保障基金支出。",
     "answer": "不采纳",
     "reason": "经查，12份住院病历的治疗记录、护理记录均无上述项目的执行记录，当事人仍以已实施上述项目申报结算，"
               "其法定代表人在询问中亦承认未实际提供；医保办以当事人名义录入和申报，后果由当事人承担。当事人的行为"
               "属于《医疗保障基金使用监督管理条例》第四十条第一款第（三）项规定的虚构医药服务项目，该意见不成立"},
    {"argument": "医院已于2026年6月8日主动退回全部涉案资金30,000.00元，请求免予罚款。",
     "answer": "部分采纳",
     "reason": "当事人主动退回全部违规资金、减轻违法行为危害后果的情节属实，本机关已依照《中华人民共和国行政处罚法》"
               "第三十二条第（一）项从轻处罚，按骗取金额的最低倍数2倍处以罚款；但该情节不属于依法不予行政处罚的"
               "情形，免予罚款的请求不成立"},
]

FULL_PATH: list[Step] = [
    Step("submit_filing", "lian", sh("2026-06-01 10:00"), payload={
        "source": "医保智能监控系统预警",
        "facts": "当事人2026年1月至4月通过虚构诊疗项目方式，骗取医疗保障基金支出30,000.00元。",
        "amount_involved": "30000.00", "amount_defrauded": "30000.00",
        "violation_from": "2026-01-05", "violation_until": "2026-04-28",  # 连续状态: 时效 from its end
    }),
    Step("approve_filing", "juzhang", sh("2026-06-02 09:00")),
    Step("start_investigation", "diaocha1", sh("2026-06-03 09:00"),
         payload={"credentials_shown": ["豫41032026002", "豫41032026003"]}),
    Step("record_inspection", "diaocha1", sh("2026-06-03 11:30"), payload=INSPECTION),
    Step("record_inquiry", "diaocha1", sh("2026-06-04 11:00"), payload=INQUIRY),
    Step("conclude_investigation", "diaocha1", sh("2026-06-10 09:00"), payload={
        "reasons": "当事人的上述行为违反了《医疗保障基金使用监督管理条例》第十五条第一款的规定，属于该条例"
                   "第四十条第一款第（三）项规定的虚构医药服务项目骗取医疗保障基金支出的行为。"
                   "当事人在调查期间主动退回全部违规资金，减轻了违法行为的危害后果，依法从轻处罚，"
                   "按骗取金额的2倍处以罚款。",
        # 《行政处罚法》第三十二条第（一）项: 应当从轻或者减轻 — the 河南 benchmark's 从轻 tier (2–3×)
        "factors": [{"factor": "remedied_harm",
                     "evidence": "当事人于2026年6月8日将30,000.00元退回医疗保障基金专户（银行回单）"}],
        "penalties": [
            {"kind": "责令退回", "amount": "30000.00", "basis": FRAUD_BASIS_RETURN},
            {"kind": "罚款", "amount": "60000.00", "basis": FRAUD_BASIS_FINE},
        ],
    }),
    Step("submit_legal_review", "diaocha1", sh("2026-06-10 14:00")),
    Step("approve_legal_review", "shencha", sh("2026-06-11 09:00"),
         opinion="事实清楚，证据确凿，适用依据正确，程序合法，处罚幅度适当（骗取金额2倍）。"),
    Step("approve_penalty", "juzhang", sh("2026-06-12 09:00")),
    Step("serve_notice", "gaozhi", sh("2026-06-15 09:00"),
         payload={"method": "直接送达", "recipient": "刘某（法定代表人）"}),
    Step("request_hearing", "gaozhi", sh("2026-06-16 09:00"), payload={"requested_by": "当事人书面申请"}),
    Step("schedule_hearing", "shencha", sh("2026-06-17 09:00"),
         payload={"hearing_date": "2026-07-06T09:00:00+08:00", "place": "局三楼会议室", "host": "陈审核"}),
    # The hearing reports what the party argued (听证笔录); the agency answers each on 复核 with its
    # decision (《行政处罚法》第四十五条、第六十五条).
    Step("conclude_hearing", "shencha", sh("2026-07-06 11:00"), payload={"arguments": [
        {"argument": a["argument"]} for a in HEARING_ANSWERS]},
         opinion="听证中，调查人员提出了当事人违法的事实、证据和行政处罚建议，当事人的委托代理人进行了申辩和质证，"
                 "听证笔录经当事人核对无误后签名。"),
    Step("decide_penalty", "jueding", sh("2026-07-07 09:00"), payload={"answers": HEARING_ANSWERS}),
    Step("serve_decision", "songda", sh("2026-07-08 10:00"),
         payload={"method": "直接送达", "recipient": "刘某（法定代表人）"}),
    Step("record_performance", "zhixing", sh("2026-07-20 10:00"),
         payload={"receipt": "非税收入缴款书 4103000712", "amount_paid": "90000.00"}),
    Step("approve_closure", "juzhang", sh("2026-07-21 09:00")),
    Step("archive", "zhixing", sh("2026-07-22 09:00")),
]

ONSITE = {
    "credentials_shown": True, "party_notified": True, "reasons_and_rights_told": True,
    "statement_heard": True, "onsite_record": "现场笔录（当事人签名）", "record_signed": True,
    "list_copies": 2,
    "reason": "当事人可能转移、隐匿2026年度住院病历及结算资料。",
    "basis": "《医疗保障基金使用监督管理条例》第二十七条第（五）项",
    "place": "当事人病案室（就地封存，加贴封条）",
    "items": [
        {"name": "2026年度住院病历", "quantity": 46, "unit": "份"},
        {"name": "医保结算单据", "quantity": 3, "unit": "盒"},
    ],
}

EMERGENCY_SEALING: list[Step] = [
    Step("seal_on_the_spot", "fengcun", sh("2026-10-19 15:30"), payload=ONSITE),
    Step("approve_retroactively", "juzhang", sh("2026-10-20 09:00")),
    Step("serve_sealing_decision", "pizhun", sh("2026-10-20 10:00"),
         payload={"method": "直接送达", "recipient": "刘某（法定代表人）"}),
    Step("transfer_to_penalty", "juzhang", sh("2026-11-05 09:00"), payload={"item_key": FRAUD_ITEM},
         opinion="封存资料显示存在骗取医保基金嫌疑，转入行政处罚程序。"),
    Step("release_sealing", "juzhang", sh("2026-11-06 09:00"),
         opinion="资料已复制固定，不再需要封存（《行政强制法》第二十八条第一款第（五）项）。"),
    Step("approve_closure", "juzhang", sh("2026-11-09 09:00")),
]


PHARMACY_FINDING = {  # item 004-03, 条例第三十八条: 罚款 1–2 × 造成损失金额
    "facts": "当事人将应由个人负担的医药费用纳入医疗保障基金支付，造成医疗保障基金损失4,200.00元。",
    "amount_loss": "4200.00",
    "penalties": [
        {"kind": "责令退回", "amount": "4200.00",
         "basis": "《医疗保障基金使用监督管理条例》第三十八条（造成医疗保障基金损失的，责令退回）"},
        {"kind": "罚款", "amount": "4200.00",
         "basis": "《医疗保障基金使用监督管理条例》第三十八条：处造成损失金额1倍以上2倍以下的罚款"},
    ],
}
PERSON_FINDING = {  # item 004-06, 条例第四十一条第二款: 冒名就医，罚款 2–5 × 骗取金额
    "facts": "当事人使用他人医疗保障凭证冒名就医，骗取医疗保障基金支出2,100.00元。",
    "amount_defrauded": "2100.00",
    "penalties": [
        {"kind": "责令退回", "amount": "2100.00",
         "basis": "《医疗保障基金使用监督管理条例》第四十一条（责令退回）"},
        {"kind": "罚款", "amount": "4200.00",
         "basis": "《医疗保障基金使用监督管理条例》第四十一条第二款：处骗取金额2倍以上5倍以下的罚款"},
    ],
}


def short_inquiry(at: datetime, facts: str) -> dict[str, object]:
    """A 询问笔录 of the party, an hour long, starting at `at`."""
    return {
        "acted_at": at.isoformat(), "ended_at": (at + timedelta(hours=1)).isoformat(),
        "place": "栾川县医疗保障局询问室", "persons": ["王调查", "赵取证"], "credentials_shown": True,
        "person_name": "当事人", "person_role": "当事人本人",
        "qa": [{"q": "执法人员已出示执法证件。你是否申请回避？", "a": "不申请。"},
               {"q": "请陈述有关情况。", "a": facts}],
    }


def to_legal_review(start: datetime, finding: dict[str, object]) -> list[Step]:
    """A small case from 线索登记 to 法制审核 in three days of office hours; the violation (unless the
    finding dates it) went on from four months to one month before the clue."""
    local = start.astimezone(SHANGHAI).date()
    finding = {"violation_from": (local - timedelta(days=120)).isoformat(),
               "violation_until": (local - timedelta(days=30)).isoformat(), **finding}
    return [
        Step("submit_filing", "lian", start + timedelta(hours=1),
             payload={"source": "群众举报", "facts": finding["facts"]}),
        Step("approve_filing", "juzhang", start + timedelta(days=1)),
        Step("start_investigation", "diaocha1", start + timedelta(days=1, hours=1)),
        Step("record_inquiry", "diaocha1", start + timedelta(days=2, hours=2),
             payload=short_inquiry(start + timedelta(days=2), str(finding["facts"]))),
        Step("conclude_investigation", "diaocha1", start + timedelta(days=3), payload=finding),
        Step("submit_legal_review", "diaocha1", start + timedelta(days=3, hours=5)),
    ]


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def time_barred_recovery(start: datetime) -> list[Step]:
    """A case filed after the 追责时效 (《行政处罚法》第三十六条): the pharmacy's violation ended some
    800 days before the clue, so the head files it only to recover the fund (`recovery_only`), the
    proposal is the 责令退回 alone (条例 第三十八条: not a 行政处罚, 第九条), and the case ends in a
    行政处理决定书, served — the 责令退回期限 running. Four office days from 线索 to 告知, then a week."""
    local = start.astimezone(SHANGHAI).date()
    began, ended = local - timedelta(days=1150), local - timedelta(days=800)
    facts = (f"当事人于{_cn(began)}至{_cn(ended)}期间，将保健食品、日用品串换为医疗保障药品目录内的药品，"
             "纳入医疗保障基金结算，共涉及参保人员41人次，造成医疗保障基金损失6,380.00元。")
    return [
        Step("submit_filing", "lian", start + timedelta(hours=1), payload={
            "source": "医疗保障经办机构移送", "facts": facts, "amount_involved": "6380.00",
            "amount_loss": "6380.00", "violation_from": began.isoformat(), "violation_until": ended.isoformat()}),
        Step("approve_filing", "juzhang", start + timedelta(days=1), payload={"recovery_only": True},
             opinion="违法行为已超过二年追责时效，不再给予行政处罚；为责令退回医疗保障基金立案。"),
        Step("start_investigation", "diaocha1", start + timedelta(days=1, hours=1)),
        Step("record_inquiry", "diaocha1", start + timedelta(days=2, hours=2),
             payload=short_inquiry(start + timedelta(days=2), facts)),
        Step("conclude_investigation", "diaocha1", start + timedelta(days=3), payload={
            "facts": facts,
            "reasons": "当事人的上述行为违反了《医疗保障基金使用监督管理条例》第十五条第一款的规定，属于该条例"
                       "第三十八条第（四）项规定的串换药品的行为。",
            "penalties": [{"kind": "责令退回", "amount": "6380.00",
                           "basis": "《医疗保障基金使用监督管理条例》第三十八条（造成医疗保障基金损失的，责令退回）"}],
        }),
        Step("submit_legal_review", "diaocha1", start + timedelta(days=3, hours=5)),
        Step("approve_legal_review", "shencha", start + timedelta(days=4),
             opinion="违法行为已超过追责时效，依法不再给予行政处罚；造成的医疗保障基金损失应当责令退回。"
                     "事实清楚，证据确凿，适用依据正确，程序合法。"),
        Step("approve_penalty", "juzhang", start + timedelta(days=5)),
        Step("serve_notice", "gaozhi", start + timedelta(days=6),
             payload={"method": "直接送达", "recipient": "何某（法定代表人）"}),
        Step("waive_statement", "gaozhi", start + timedelta(days=6, hours=2),
             payload={"waiver": "当事人书面放弃陈述、申辩"}),
        Step("decide_penalty", "jueding", start + timedelta(days=7)),
        Step("serve_decision", "songda", start + timedelta(days=8),
             payload={"method": "直接送达", "recipient": "何某（法定代表人）"}),
    ]
