"""The fields of each step's form and how the submitted form becomes the step's payload.

Field names are the payload keys the guards and effects read (see caseflow/demo/scenarios.py).
Anything a form cannot express can be given as JSON in 「其他数据」; fields win over it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from caseflow.cases.guards import ONSITE_STEPS
from caseflow.cases.penalties import KINDS
from caseflow.documents.types import SERVICE_METHODS
from caseflow.errors import InvalidInput
from caseflow.workflow.registry import get_library

NO_PENALTY_GROUNDS = tuple(g.name for g in get_library().no_penalty_grounds.values())
PENALTY_ROWS = 3
ITEM_ROWS = 3


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, money, date, datetime, number, checkbox, select, list, penalties, items
    required: bool = False
    options: tuple[str, ...] = ()
    hint: str = ""


_VIOLATION_DATES = (
    Field("violation_from", "违法行为发生日期", "date", hint="追责时效由此起算（《行政处罚法》第三十六条）"),
    Field("violation_until", "违法行为终了日期", "date", hint="连续或者继续状态的，时效从终了之日起算"),
)
_FACTS = (
    Field("facts", "违法事实", "textarea", True),
    *_VIOLATION_DATES,
    Field("evidence", "证据", "textarea", True, hint="每行一项"),
    Field("reasons", "理由", "textarea",
          hint="违反的规定和裁量理由；不填则按所选依据写明，告知书、决定书照此载明"),
    Field("amount_defrauded", "骗取金额（元）", "money", hint="罚款以骗取金额的倍数计时必填"),
    Field("amount_loss", "造成损失金额（元）", "money", hint="罚款以损失金额的倍数计时必填"),
    Field("penalties", "拟处罚内容", "penalties", True),
)
_SERVICE = (
    Field("method", "送达方式", "select", True, SERVICE_METHODS),
    Field("recipient", "受送达人", hint="不填为当事人"),
    Field("receiver", "代收人", hint="非受送达人本人签收时填写"),
    Field("service_place", "送达地点", hint="不填为当事人地址"),
    Field("served_at", "送达时间", "datetime", hint="不填为现在；邮寄、公告送达见下两项"),
    Field("signed_at", "签收日期（邮寄送达）", "date",
          hint="邮寄送达以回执上注明的收件日期为送达日期（《民事诉讼法》第九十一条）"),
    Field("published_at", "公告日期（公告送达）", "date",
          hint="自发出公告之日起经过三十日视为送达（《民事诉讼法》第九十五条）"),
    Field("server_names", "送达人", "list", hint="不填为本案执法人员；多个用逗号分隔"),
    Field("witness", "见证人", hint="留置送达必填"),
    Field("refusal_reason", "拒收事由", hint="留置送达必填"),
    Field("service_note", "备注", hint="公告送达须说明无法以其他方式送达的情况"),
)
_SEALING_PLAN = (
    Field("reason", "封存理由", "textarea", True),
    Field("basis", "封存依据", required=True, hint="如《医疗保障基金使用监督管理条例》第二十七条第（五）项"),
    Field("items", "封存资料清单", "items", True),
)
_ONSITE = (
    Field("acted_at", "实施时间", "datetime", hint="当场实施后补录时填写实际实施的时间；不填为现在"),
    *(Field(k, v, "checkbox") for k, v in ONSITE_STEPS.items() if k != "onsite_record"),
    Field("onsite_record", "现场笔录", required=True, hint="如：现场笔录（当事人签名）"),
    Field("list_copies", "封存清单份数", "number", True, hint="一式二份"),
    Field("place", "封存资料存放地点", required=True, hint="如：当事人病案室（就地封存）"),
    Field("custodian", "保管人"),
    Field("witness", "见证人"),
    *_SEALING_PLAN,
)

STEP_FIELDS: dict[str, tuple[Field, ...]] = {
    "submit_filing": (
        Field("source", "线索来源"),
        Field("facts", "简要案情（涉嫌违法事实）", "textarea", True),
        *_VIOLATION_DATES,
        Field("amount_involved", "涉案金额（元）", "money"),
        Field("amount_defrauded", "骗取金额（元）", "money"),
        Field("amount_loss", "造成损失金额（元）", "money"),
    ),
    "start_investigation": (Field("credentials_shown", "出示的执法证号", "list", hint="多个用逗号分隔"),),
    "record_onsite_act": (
        Field("record", "笔录名称", required=True, hint="如：现场检查笔录、询问笔录"),
        Field("persons", "在场执法人员", "list", hint="多个用逗号分隔"),
    ),
    "conclude_investigation": _FACTS,
    # The amounts found at 调查终结 change only by 变更认定金额 (with its reason).
    "revise_proposal": tuple(f for f in _FACTS if not f.name.startswith("amount_")),
    "amend_amounts": (
        Field("amount_involved", "涉案金额（元）", "money"),
        Field("amount_defrauded", "骗取金额（元）", "money"),
        Field("amount_loss", "造成损失金额（元）", "money"),
        Field("penalties", "变更后的拟处罚内容", "penalties",
              hint="按新金额原拟处罚内容超出法定幅度时必填"),
    ),
    "approve_legal_review": (Field("major_case", "重大案件（须经集体讨论）", "checkbox"),),
    "approve_filing": (Field("recovery_only", "已超过追责时效，仅为责令退回或不予处罚立案", "checkbox"),),
    "serve_notice": _SERVICE,
    "serve_decision": _SERVICE,
    "serve_sealing_decision": _SERVICE,
    "request_hearing": (
        Field("requested_by", "申请方式", hint="如：当事人书面申请"),
        Field("postmarked_at", "邮戳日期", "date",
              hint="邮寄提出的，以邮戳日期为准（期间不包括在途时间，《民事诉讼法》第八十五条）"),
    ),
    "receive_statement": (
        Field("postmarked_at", "邮戳日期", "date", hint="邮寄提出的陈述、申辩，以邮戳日期为准"),
    ),
    "schedule_hearing": (
        Field("hearing_date", "听证时间", "datetime", True),
        Field("place", "听证地点", required=True),
        Field("host", "听证主持人", required=True, hint="非本案调查人员"),
        Field("clerk", "书记员"),
        *_SERVICE,
    ),
    "issue_dunning": _SERVICE,
    "release_sealing": _SERVICE,
    "refuse_retroactively": _SERVICE,
    "record_performance": (
        Field("receipt", "缴款凭证", hint="如：非税收入缴款书编号"),
        Field("amount_paid", "已缴金额（元）", "money"),
    ),
    "submit_for_approval": _SEALING_PLAN,
    "carry_out_sealing": _ONSITE,
    "seal_on_the_spot": _ONSITE,
    # The reasons are the step's required 「意见或理由」: they are printed in the 延长封存期限决定书
    # served on the party (行政强制法 第二十五条第二款).
    "extend_sealing": (
        Field("days", "延长天数", "number", True,
              hint="不超过三十日；延长理由写在「意见或理由」中，载入《延长封存期限决定书》送达当事人"),
        *_SERVICE,
    ),
    "decide_no_penalty": (
        Field("ground", "不予行政处罚的情形", "select", True, NO_PENALTY_GROUNDS),
        Field("education", "对当事人进行教育的情况", "textarea",
              hint="依《行政处罚法》第三十三条不予处罚的必填（第三十三条第三款），载入不予行政处罚决定书"),
    ),
    "record_remedy_filing": (
        Field("kind", "类别", "select", True, ("行政复议", "行政诉讼")),
        Field("filed_on", "申请或起诉日期", "date", True),
        Field("body", "复议机关或人民法院", required=True),
        Field("ref_no", "案号"),
    ),
    "record_remedy_outcome": (
        Field("outcome", "结果", "select", True, ("维持", "驳回", "确认违法", "变更", "撤销")),
        Field("decided_on", "复议决定或裁判日期", "date", True),
        Field("redo", "撤销并责令重新作出行政处罚决定", "checkbox"),
        Field("redo_by", "重新作出决定的期限", "date", hint="撤销并责令重新作出的，填写复议决定或判决确定的最后一日"),
        Field("penalties", "变更后的处罚内容", "penalties", hint="结果为变更时必填"),
        Field("proceeding_id", "复议或诉讼编号", hint="本案有多件尚未结束时填写"),
    ),
    "approve_deferred_payment": (
        Field("pay_by", "最后缴纳期限", "date", True, hint="暂缓至或分期的最后一期"),
        Field("installments", "分期安排", hint="如：2026年8月31日前缴纳5,000元，9月30日前缴纳其余部分"),
    ),
    "transfer_to_penalty": (
        Field("item_key", "转入的行政处罚事项编号", required=True, hint="如 004-05"),
        Field("title", "新案件案由", hint="不填则沿用本案案由"),
    ),
}

PENALTY_KINDS = tuple(sorted(KINDS))

# Steps that refuse, send back or end the matter: their button is drawn apart (red outline) so it is
# not taken for the approval beside it.
NEGATIVE_STEPS = frozenset({
    "reject_filing", "return_filing", "return_from_legal_review", "return_from_head_approval",
    "revoke_filing", "terminate", "reject_sealing", "refuse_retroactively",
})


def fields_for(trigger: str) -> tuple[Field, ...]:
    return STEP_FIELDS.get(trigger, ())


def _rows(form: FormData, prefix: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    out = []
    for i in range(20):
        row = {k: str(form.get(f"{prefix}[{i}].{k}", "")).strip() for k in keys}
        if any(row.values()):
            out.append(row)
    return out


def json_object(raw: str, *, field: str, label: str) -> dict[str, Any]:
    """A form field holding an optional JSON object (empty: {}); a clear 422 otherwise."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{label}不是合法的 JSON：{exc.msg}。", details={field: "JSON 格式错误"}) from None
    if not isinstance(value, dict):
        raise InvalidInput(f"{label}须为 JSON 对象。", details={field: "须为 {…}"})
    return value


def payload_from_form(trigger: str, form: FormData) -> dict[str, Any]:
    """The step's payload from its form; fields left empty are left out."""
    payload = json_object(str(form.get("payload_json", "")), field="payload_json", label="其他数据")
    for f in fields_for(trigger):
        if f.kind == "checkbox":
            if form.get(f.name):
                payload[f.name] = True
            continue
        if f.kind == "penalties":
            rows = _rows(form, "penalties", ("kind", "amount", "months", "basis"))
            if rows:
                payload["penalties"] = [{k: v for k, v in r.items() if v} for r in rows]
            continue
        if f.kind == "items":
            rows = _rows(form, "items", ("name", "quantity", "unit"))
            if rows:
                payload["items"] = rows
            continue
        value = str(form.get(f.name, "")).strip()
        if not value:
            continue
        if f.kind == "list":
            payload[f.name] = [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
        elif f.kind == "number":
            try:
                payload[f.name] = int(value)
            except ValueError:
                raise InvalidInput(f"「{f.label}」须为整数。", details={f.name: "须为整数"}) from None
        elif f.kind == "datetime":
            payload[f.name] = value if len(value) > 16 else value + ":00"
            payload[f.name] = payload[f.name].replace(" ", "T") + ("" if "+" in value else "+08:00")
        else:
            payload[f.name] = value
    return payload
