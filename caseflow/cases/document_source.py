"""What a document's data is read from: the case, its agency's settings, deadlines, audit trail and
earlier documents, as the issuing step sees them (`_Source`), and the pieces every document shares
(agency, parties, bases, penalties, officers, the procedure so far). Nothing here writes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from caseflow.cases.arguments import answered_paragraphs
from caseflow.cases.discretion import discretion_text
from caseflow.cases.models import Case, CaseEvent, PartyRole, PenaltyItem, PenaltyStage
from caseflow.cases.violations import detail_rows, registered
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import DeadlineStatus
from caseflow.documents.models import Document
from caseflow.legal_time import SHANGHAI, WorkCalendar
from caseflow.org.models import User
from caseflow.org.settings import AgencySettings, PaymentAccount, effective_rule
from caseflow.parties.models import Party, PartyKind
from caseflow.violations.details import fund_split_text, totals
from caseflow.workflow.registry import WorkflowLibrary



@dataclass
class StepFacts:
    """What the issuing step knows beyond the case record."""

    trigger: str
    at: datetime
    actor_name: str
    opinion: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.at.astimezone(SHANGHAI).date()


def _day(value: datetime | None) -> date | None:
    return value.astimezone(SHANGHAI).date() if value else None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


@dataclass
class _Source:
    db_session: Session
    case: Case
    step: StepFacts
    library: WorkflowLibrary
    calendar: WorkCalendar
    settings: AgencySettings

    def events(self, *triggers: str) -> list[CaseEvent]:
        return list(self.db_session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == self.case.id, CaseEvent.trigger.in_(triggers))
            .order_by(CaseEvent.seq)
        ))

    def document(self, *doc_types: str) -> Document | None:
        """The newest version of the case's latest document of one of these types."""
        return self.db_session.scalar(
            select(Document).where(Document.case_id == self.case.id, Document.doc_type.in_(doc_types))
            .order_by(Document.id.desc()).limit(1)
        )

    def rule_days(self, code: str) -> tuple[int, str]:
        rule = effective_rule(self.library.deadlines[code], self.settings)
        return rule.length, "工作日" if rule.unit.value == "working_day" else "日"

    def due_day(self, rule_code: str) -> date | None:
        d = deadline_service.latest(db_session=self.db_session, case_id=self.case.id, rule_code=rule_code)
        return d.due_date if d is not None else None

    def fund_return_rule(self) -> str:
        """The 责令退回期限 rule: `fund_return` where the library has it, else the `payment` rule."""
        return "fund_return" if "fund_return" in self.library.deadlines else "payment"

    def met(self, rule_code: str) -> bool:
        """Whether the case's latest limit of `rule_code` was met (the duty performed)."""
        d = deadline_service.latest(db_session=self.db_session, case_id=self.case.id,
                                    rule_code=rule_code)
        return d is not None and d.status is DeadlineStatus.met


def _account(a: PaymentAccount) -> dict[str, str]:
    return {"payee": a.payee, "bank": a.bank, "account": a.account}


def _agency(src: _Source) -> dict[str, Any]:
    agency, s = src.case.agency, src.settings
    return {
        "name": agency.name, "address": s.address, "postcode": s.postcode, "phone": s.phone,
        "review_bodies": list(s.review_bodies), "court": s.court,
        "payment": _account(s.payment), "fund_return": _account(s.fund_return),
        "review_unit": f"{agency.name}法制审核股",
        "documents": s.documents.model_dump(mode="json"),  # the agency's document style (fonts, 成文日期)
    }


def _party(p: Party) -> dict[str, Any]:
    org = p.kind is PartyKind.organisation
    return {
        "kind": p.kind.value, "name": p.name, "identifier": (p.uscc if org else p.id_number) or "",
        "address": p.address, "representative": p.legal_representative if org else None,
        "phone": p.phone,
    }


def _case(src: _Source) -> dict[str, Any]:
    c = src.case
    # 案由 reads "…一案" in the documents: a title "…骗取医保基金案" gives "…骗取医疗保障基金" (the
    # statute's term, 《医疗保障基金使用监督管理条例》, not the colloquial 医保基金).
    cause = c.title.removesuffix("一案").removesuffix("案") if len(c.title) > 2 else c.title
    cause = cause.replace("医保基金", "医疗保障基金")
    return {"case_no": c.case_no, "title": c.title, "item_name": c.item_name, "cause": cause,
            "opened_on": _day(c.filed_at) or _day(c.opened_at), "source": c.source,
            "received_on": _day(c.opened_at)}


def _split(text: str | None) -> list[str]:
    if not text:
        return []
    parts = [p.strip(" 　；;。") for p in text.replace("\r", "").split("\n")]
    if len(parts) == 1:
        parts = [p.strip(" 　。") for p in parts[0].split("；")]
    return [p for p in parts if p]


def _citation(basis: str) -> tuple[str, str]:
    """'《条例》第四十条第一款：由…处…罚款' → ('《条例》第四十条第一款', '由…处…罚款');
    a trailing remark in brackets is dropped: '《条例》第四十条第一款（责令退回）' → '《条例》第四十条第一款'."""
    head, sep, tail = basis.partition("：")
    head = head.strip()
    if head.endswith("）") and "（" in head:
        head = head[: head.rindex("（")]
    return head, tail.strip() if sep else ""


@lru_cache(maxsize=1)
def _statutes() -> Any:
    from caseflow.catalog.lint.laws import default_known_laws  # the texts of ../shared/legal

    return default_known_laws()


def statute_words(citation: str) -> str | None:
    """The law's own words for "《…》第四十条第一款" (the whole 款 with its items), when the legal
    folder holds that law; else None."""
    law, sep, article = citation.partition("》")
    return _statutes().statute_text(law + sep, article) if sep else None


def _bases(penalties: list[PenaltyItem]) -> list[dict[str, Any]]:
    """The bases cited, each with the law's words quoted in full where the legal folder holds them —
    else the officer's wording, stated as a paraphrase (never a cut quotation)."""
    out: dict[str, str] = {}
    for p in penalties:
        citation, text = _citation(p.basis)
        if citation and (citation not in out or (text and not out[citation])):
            out[citation] = text
    bases = []
    for c, t in out.items():
        words = statute_words(c)
        bases.append({"citation": c, "text": words or t, "quoted": words is not None})
    return bases


def _penalties(src: _Source, stage: PenaltyStage) -> list[dict[str, Any]]:
    roles = {cp.party_id: cp.role for cp in src.case.parties}
    return [{
        "kind": p.kind, "amount": p.amount, "months": p.months, "basis": _citation(p.basis)[0],
        "target": "responsible_person" if roles.get(p.party_id) is PartyRole.responsible_person else "party",
        "violation": p.violation_seq,
    } for p in src.case.penalties_at(stage)]


INLINE_DETAIL_ROWS = 10  # a longer 违法明细 is annexed (附件：违法明细表), a shorter one stated in the text


def _violations(src: _Source, penalties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations registered one by one, each a block of the 告知书 and 决定书: its period, the
    conduct and its facts, the amounts with the split by 险种, the rule it breaches, the clause that
    punishes it, its 明细 (in the text or annexed) and the penalties for it. Empty for a case whose
    findings gave the amounts alone: its documents state the facts as one."""
    out = []
    several = len(registered(src.case)) > 1
    long = [v.seq for v in registered(src.case) if v.itemised and len(v.details or ()) > INLINE_DETAIL_ROWS]
    for n, v in enumerate(registered(src.case), start=1):
        rows = detail_rows(v)
        t = totals(rows) if rows else None
        mine = [p for p in penalties if p["violation"] == v.seq or (not several and p["violation"] is None)]
        out.append({
            "no": n, "seq": v.seq, "conduct": v.conduct, "facts": v.facts,
            "period_from": v.period_from, "period_until": v.period_until,
            "rule_breached": v.rule_breached, "punished_by": v.punished_by,
            "amount_involved": v.amount_involved, "fund_loss": v.amount_loss, "defrauded": v.amount_defrauded,
            "fund_split": fund_split_text(t) if t else "",
            "rows": len(rows), "annexed": v.seq in long,
            "annex": ("附件" if len(long) == 1 else f"附件{long.index(v.seq) + 1}") if v.seq in long else None,
            "details": [asdict(r) for r in rows],
            "penalties": mine,
        })
    return out


def _total(penalties: list[dict[str, Any]], kind: str) -> Decimal | None:
    """The sum of the amounts of one kind (罚款, 责令退回, 没收违法所得); None when there is none."""
    amounts = [p["amount"] for p in penalties if p["kind"] == kind and p["amount"] is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _fine_total(penalties: list[dict[str, Any]]) -> Decimal | None:
    return _total(penalties, "罚款")


def _count(n: int) -> str:
    return "一两三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def _you(src: _Source) -> str:
    """How the documents address the principal party (the `you` filter's words): 你单位 or 你."""
    principal = next((cp.party for cp in src.case.parties if cp.role is PartyRole.principal), None)
    return "你" if principal is not None and principal.kind is PartyKind.individual else "你单位"


def _reasons(src: _Source) -> str | None:
    c = src.case
    if c.reasons:
        return c.reasons
    several = registered(c)
    bases = "、".join(b["citation"] for b in _bases(c.penalties_at(PenaltyStage.reviewed)))
    if several and bases:  # each violation states its own rule and clause; the reasons sum them up
        what = f"上述{_count(len(several))}项违法行为" if len(several) > 1 else "上述违法行为"
        return f"综上，{_you(src)}的{what}事实清楚，证据确凿，依照{bases}的规定，应予处罚。"
    wrong = c.item_name.removeprefix("对").removesuffix("的处罚").removesuffix("的行政处罚")
    bases = "、".join(b["citation"] for b in _bases(c.penalties_at(PenaltyStage.reviewed)))
    if not bases:
        return None
    kind = wrong if wrong.endswith("行为") else f"{wrong}的违法行为"
    return f"当事人的上述行为属于{kind}，依照{bases}的规定，应予处罚。"


def _penalties_by_violation(src: _Source, stage: PenaltyStage, *, details: bool = True) -> dict[str, Any]:
    """The penalties of `stage`, the violations they are imposed for (each with its 明细, unless
    `details` is false), those for the case as a whole, and the totals of the 合计."""
    penalties = _penalties(src, stage)
    violations = _violations(src, penalties)
    return {"penalties": penalties,
            "violations": violations if details else [{**v, "details": []} for v in violations],
            "other_penalties": [p for p in penalties if len(violations) > 1 and p["violation"] is None],
            "fine_total": _fine_total(penalties), "fund_return_total": _total(penalties, "责令退回")}


def _finding(src: _Source, stage: PenaltyStage) -> dict[str, Any]:
    c = src.case
    return {"facts": c.facts, "evidence": _split(c.evidence), "reasons": _reasons(src),
            "discretion": discretion_text(c.discretion), "bases": _bases(c.penalties_at(stage)),
            **_penalties_by_violation(src, stage)}


def _officers(src: _Source) -> list[dict[str, Any]]:
    officers = src.case.active_officers()
    # the officers' users with their 执法证, in one query (then read from the session's identity map)
    users = {u.id: u for u in src.db_session.scalars(  # held: the identity map keeps them only while used
        select(User).where(User.id.in_([o.user_id for o in officers])).options(selectinload(User.credentials)))}
    out = []
    for o in officers:
        user = users[o.user_id]
        creds = [cr for cr in user.credentials if not cr.revoked and cr.valid_from <= src.step.day <= cr.valid_until]
        out.append({"name": user.full_name, "credential_no": creds[0].number if creds else None})
    return out


def _approval(role: str, e: CaseEvent) -> dict[str, Any]:
    return {"role": role, "name": e.actor_name, "opinion": e.opinion or "同意。", "on": _day(e.occurred_at)}


def _this_step(src: _Source) -> CaseEvent:
    s = src.step
    return CaseEvent(actor_name=s.actor_name, opinion=s.opinion, occurred_at=s.at)


def _procedure_text(src: _Source) -> str | None:
    notice = src.document("penalty_notice", "hearing_rights_notice", "recovery_notice")
    if notice is None or src.case.notice_served_at is None:
        return None
    served = src.case.notice_served_at.astimezone(SHANGHAI)
    text = (f"本机关于{served.year}年{served.month}月{served.day}日向当事人送达了《{notice.title}》"
            f"（{notice.doc_no}），告知拟作出{'行政处理' if notice.doc_type == 'recovery_notice' else '行政处罚'}"
            "的事实、理由、依据及依法享有的权利。")
    if src.case.statement_waived_at:
        text += "当事人书面放弃陈述、申辩权利。"
    if src.case.hearing_closed_at and src.case.hearing_date:
        held = src.case.hearing_date.astimezone(SHANGHAI)
        text += f"应当事人申请，本机关于{held.year}年{held.month}月{held.day}日依法举行了听证。"
    return text


def _statement_summary(src: _Source) -> str | None:
    """陈述、申辩 and the 听证 as the steps recorded them (their opinions, one paragraph), then each
    argument the party made with the agency's answer on 复核, a paragraph each: "当事人提出：…。经复核，
    本机关认为：…，不予采纳。" (《行政处罚法》第四十五条; caseflow/cases/arguments.py)."""
    said = [e.opinion for e in src.events("receive_statement", "conclude_hearing", "withdraw_hearing")
            if e.opinion]
    heard = "".join(s if s.endswith("。") else s + "。" for s in said)
    return "\n".join(p for p in (heard, *answered_paragraphs(src.case)) if p) or None
