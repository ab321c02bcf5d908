"""A case's 证据材料 as the engine reads them: the items in force (not withdrawn) with their files,
the officers present at a 笔录 with their 执法证, and the evidence paragraph a 决定书 states.

Writing evidence (登记, 上传, 撤回) is `evidence_acts`; a 笔录 becomes an item through its step's
effect (`register_record_evidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.db.memo import forget_kind, memo
from caseflow.evidence.models import EvidenceFile, EvidenceItem, EvidenceWithdrawal
from caseflow.org.models import EnforcementCredential, User

__all__ = ["IDENTITY_DOCS", "SERVICE_AGREEMENT", "EvidenceView", "evidence_by_case", "evidence_line", "evidence_of", "next_seq", "officers_on_record", "relied_items"]

# Who a 询问笔录 heard decides the kind of evidence it is (《行政处罚法》第四十六条): the party's own
# account — in person, by its legal representative or by the one it entrusted — is 当事人的陈述;
# anyone else's is 证人证言.
PARTY_ROLES = frozenset({"当事人本人", "当事人的法定代表人或负责人", "受当事人委托的人"})
# 书证 that prove who the party is (主体资格) and, for a 定点医药机构, that it is one (its 定点服务协议
# with the 经办机构): bound first among the 书证, each expected by 评查.
IDENTITY_DOCS = re.compile(r"营业执照|身份证|登记证|许可证|执业证|资格证|信用代码")
SERVICE_AGREEMENT = re.compile(r"定点.*协议|服务协议")


@dataclass
class EvidenceView:
    item: EvidenceItem
    files: list[EvidenceFile] = field(default_factory=list)
    withdrawn: EvidenceWithdrawal | None = None
    withdrawn_files: dict[int, EvidenceWithdrawal] = field(default_factory=dict)

    @property
    def live_files(self) -> list[EvidenceFile]:
        return [f for f in self.files if f.id not in self.withdrawn_files]

    @property
    def pages(self) -> int | None:
        if self.item.pages is not None:
            return self.item.pages
        counted = [f.pages for f in self.live_files if f.pages]
        return sum(counted) if counted else None


_EVIDENCE_ROWS = (EvidenceItem, EvidenceFile, EvidenceWithdrawal)


@event.listens_for(Session, "before_flush")
def _evidence_written(session: Session, _context: Any, _instances: Any) -> None:
    """Evidence written in a transaction is read with it: what was read before is forgotten."""
    if any(isinstance(o, _EVIDENCE_ROWS) for o in session.new):
        forget_kind(session, "evidence")


def evidence_of(db_session: Session, case_id: int, *, include_withdrawn: bool = True) -> list[EvidenceView]:
    """The case's items in 序号 order, with their files and withdrawals (three queries) — read once per
    transaction (a step's guard, effect and 证据清单 share them), again once evidence is added in it."""
    if any(isinstance(o, _EVIDENCE_ROWS) for o in db_session.new):
        forget_kind(db_session, "evidence")  # this very transaction registers evidence (a 笔录)
    return memo(db_session, ("evidence", case_id, include_withdrawn), lambda: evidence_by_case(
        db_session, [case_id], include_withdrawn=include_withdrawn).get(case_id, []))


def evidence_by_case(db_session: Session, case_ids: list[int], *,
                     include_withdrawn: bool = True) -> dict[int, list[EvidenceView]]:
    """The items of several cases (a page of the 法制审核队列) in the same three queries."""
    items = db_session.scalars(select(EvidenceItem).where(EvidenceItem.case_id.in_(case_ids))
                               .order_by(EvidenceItem.case_id, EvidenceItem.seq)).all()
    views = {i.id: EvidenceView(i) for i in items}
    for f in db_session.scalars(select(EvidenceFile).where(EvidenceFile.case_id.in_(case_ids))
                                .order_by(EvidenceFile.id)):
        views[f.item_id].files.append(f)
    for w in db_session.scalars(select(EvidenceWithdrawal).where(EvidenceWithdrawal.case_id.in_(case_ids))):
        if w.file_id is None:
            views[w.item_id].withdrawn = w
        else:
            views[w.item_id].withdrawn_files[w.file_id] = w
    out: dict[int, list[EvidenceView]] = {}
    for v in views.values():
        if include_withdrawn or v.withdrawn is None:
            out.setdefault(v.item.case_id, []).append(v)
    return out


def next_seq(db_session: Session, case_id: int) -> int:
    last = db_session.scalar(select(func.max(EvidenceItem.seq)).where(EvidenceItem.case_id == case_id))
    return int(last or 0) + 1


def relied_items(db_session: Session, case: Case) -> list[EvidenceView]:
    """The items the 决定书 rests on: those chosen at 调查终结, in force."""
    chosen = set(case.relied_evidence or ())
    return [v for v in evidence_of(db_session, case.id, include_withdrawn=False) if v.item.seq in chosen]


def evidence_line(item: EvidenceItem) -> str:
    """How a 决定书 names one piece of evidence: 名称（种类，来源），证明目的."""
    line = f"{item.title}（{item.kind}，{item.source}）"
    proves = (item.proves or "").strip().rstrip("。；;")
    return f"{line}，{proves}" if proves else line


def officers_on_record(db_session: Session, case: Case, names: list[str], day: date) -> list[dict[str, Any]]:
    """The named officers of the case with a 执法证 valid on `day`: [{name, credential_no}], in the
    order named; a name that is not such an officer is left out (the guard refuses it first)."""
    active = {o.user.full_name: o.user_id for o in case.active_officers()}
    ids = [active[n] for n in names if n in active]
    if not ids:
        return []
    rows = db_session.execute(
        select(User.id, User.full_name, EnforcementCredential.number)
        .join(EnforcementCredential, EnforcementCredential.user_id == User.id)
        .where(User.id.in_(ids), EnforcementCredential.revoked.is_(False),
               EnforcementCredential.valid_from <= day, EnforcementCredential.valid_until >= day)
        .order_by(EnforcementCredential.valid_from.desc())
    ).all()
    numbers: dict[str, str] = {}
    for _, name, number in rows:
        numbers.setdefault(name, number)
    return [{"name": n, "credential_no": numbers[n]} for n in names if n in numbers]
