"""Guards of the 封存 procedure (《行政强制法》第十八条、第十九条、第二十四条、第二十五条).
"""

from __future__ import annotations

from caseflow.cases.context import StepContext
from caseflow.cases.guards.base import Refusal, _day, _fmt, guard, waited_for, waited_rule
from caseflow.deadlines import service as deadline_service


@guard
def sealing_term_running(ctx: StepContext) -> Refusal:
    d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id,
                                 rule_code=waited_for(ctx, "sealing_term_running")[0])
    if d is not None and ctx.at >= d.due_at:
        return {"due": _day(d)}
    return None


@guard
def sealing_items_listed(ctx: StepContext) -> Refusal:
    missing = []
    if not ctx.payload.get("reason") and not ctx.case.facts:
        missing.append("封存理由")
    if not ctx.payload.get("basis"):
        missing.append("封存依据")
    if not ctx.payload.get("items") and not ctx.case.sealed_items:
        missing.append("封存资料清单（名称、数量）")
    return {"missing": "、".join(missing)} if missing else None


# What 行政强制法 第十八条 requires on the spot, as the payload keys recording each.
ONSITE_STEPS = {
    "credentials_shown": "出示执法身份证件（第十八条第（三）项）",
    "party_notified": "通知当事人到场（第十八条第（四）项）",
    "reasons_and_rights_told": "当场告知理由、依据和当事人依法享有的权利、救济途径（第十八条第（五）项）",
    "statement_heard": "听取当事人的陈述和申辩（第十八条第（六）项）",
    "onsite_record": "制作现场笔录（第十八条第（七）项）",
    "record_signed": "现场笔录由当事人和执法人员签名或盖章，当事人拒绝的在笔录中注明；当事人不到场的由见证人签名（第十八条第（八）、（九）项）",
}


@guard
def sealing_onsite_procedure_complete(ctx: StepContext) -> Refusal:
    p = ctx.payload
    missing = [label for key, label in ONSITE_STEPS.items() if not p.get(key)]
    if not (p.get("items") or ctx.case.sealed_items):
        missing.append("封存清单（名称、数量）（第二十四条）")
    if int(p.get("list_copies") or 0) < 2:
        missing.append("封存清单一式二份，当事人和行政机关分别保存（第二十四条第三款）")
    return {"missing": "；".join(missing)} if missing else None


@guard
def sealing_not_extended_before(ctx: StepContext) -> Refusal:
    ext = ctx.case.sealing_extended_at
    return {"extended_at": _fmt(ext)} if ext else None


@guard
def sealing_extension_within_limit(ctx: StepContext) -> Refusal:
    days = ctx.payload.get("days") or 0  # an integer: the step's declared inputs typed it
    longest = waited_rule(ctx, "sealing_extension_within_limit").extension_length or 0  # 第二十五条: 30 日
    return {"days": days} if not 1 <= days <= longest else None
