"""Guards about evidence, 笔录 and the 案卷: evidence registered before 调查终结 and the choice of it
valid; a 笔录 made by at least two of the case's officers with valid 执法证, who showed them, in a
possible time span; nothing the 案卷评查 requires open at 批准结案."""

from __future__ import annotations

from caseflow.cases.context import StepContext
from caseflow.cases.evidence import evidence_of, officers_on_record
from caseflow.cases.file_review import review_case_file
from caseflow.cases.guards.base import Refusal, guard
from caseflow.legal_time import SHANGHAI


@guard
def evidence_registered(ctx: StepContext) -> Refusal:
    """调查终结 rests on registered 证据材料 (《行政处罚法》第四十条、第四十六条): at least one item in
    force, and the items chosen as its basis are among them."""
    seqs = {v.item.seq for v in evidence_of(ctx.db_session, ctx.case.id, include_withdrawn=False)}
    if not seqs:
        return {"problem": "本案尚未登记任何证据材料"}
    unknown = [n for n in ctx.payload.get("relied_on") or () if n not in seqs]
    if unknown:
        return {"problem": "所选证据" + "、".join(f"第{n}号" for n in unknown) + "不存在或已撤回"}
    return None


@guard
def record_officers_present(ctx: StepContext) -> Refusal:
    """The officers a 笔录 names are at least two of the case's officers, each with a 执法证 valid
    on the day it began (《行政处罚法》第四十二条、第五十五条)."""
    names = list(dict.fromkeys(ctx.payload.get("persons") or ctx.case.officer_names.split("、")))
    day = ctx.payload_time("acted_at").astimezone(SHANGHAI).date()
    valid = {o["name"] for o in officers_on_record(ctx.db_session, ctx.case, names, day)}
    invalid = [n for n in names if n not in valid]
    if invalid:
        return {"problem": "、".join(invalid) + "不是本案当日持有效执法证件的承办人员"}
    if len(valid) < 2:
        return {"problem": f"笔录所列执法人员只有{len(valid)}人"}
    return None


@guard
def credentials_shown_on_record(ctx: StepContext) -> Refusal:
    return None if ctx.payload.get("credentials_shown") is True else {}


@guard
def record_times_in_order(ctx: StepContext) -> Refusal:
    began, ended = ctx.payload.get("acted_at"), ctx.payload.get("ended_at")
    if began is not None and ended is not None and ended <= began:
        return {"began": began.astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M"),
                "ended": ended.astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M")}
    return None


@guard
def casefile_complete(ctx: StepContext) -> Refusal:
    """批准结案: nothing the 案卷评查 checklist requires is open (`file_review`)."""
    required = [f.message for f in review_case_file(ctx.db_session, ctx.case) if f.required]
    return {"problems": "".join(f"（{n}）{m}" for n, m in enumerate(required, 1))} if required else None
