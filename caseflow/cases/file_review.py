"""案卷评查: the checklist a 评查 panel runs over a case file, run by the engine on every case — shown
on the case page and to the head before 批准结案, printed (what is left open) in the 案卷's 备考表.

Each finding has a stable code, a plain Chinese message and whether it is *required*: a required
finding is something the case can still put right (a corrected 决定书 not yet served, a document
without its PDF), and 批准结案 is refused while one is open (`casefile_complete`). The others are
marked as a panel would mark them — a limit the agency missed, a 笔录 without its signed scan — but
cannot be undone at 结案, so they are stated in the 备考表 instead of blocking the case forever.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases.evidence import IDENTITY_DOCS, SERVICE_AGREEMENT, evidence_line, evidence_of
from caseflow.cases.lookup import procedure_of
from caseflow.cases.models import Case
from caseflow.cases.violations import in_force
from caseflow.db.memo import is_read_only
from caseflow.deadlines.models import DeadlineStatus
from caseflow.deadlines.service import for_case
from caseflow.documents import snapshot
from caseflow.documents.models import Delivery, Document
from caseflow.documents.service import documents_of, documents_of_types, latest_document
from caseflow.legal_time import SHANGHAI
from caseflow.workflow.definition import AGENCY
from caseflow.workflow.registry import get_library

__all__ = ["Finding", "review_case_file"]

DECISION_TYPES = ("penalty_decision", "no_penalty_decision", "recovery_decision")
RECORD_TYPES = ("inquiry_record", "inspection_record")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    required: bool


def _local(dt) -> str:  # noqa: ANN001 - a datetime
    return dt.astimezone(SHANGHAI).strftime("%Y年%m月%d日")


def _served(db_session: Session, case: Case) -> list[Finding]:
    """Every document a step serves, in its newest version, with a recorded 送达 and 送达回证: required
    for a 决定书 (《行政处罚法》第六十一条), noted for the others (a 封存决定书 whose 补办批准 was refused
    and the measure lifted at once was rightly never served)."""
    served_types = {d for t in procedure_of(case).transitions for d in t.serves}
    newest: dict[tuple[str, int], Document] = {}
    for d in documents_of_types(db_session=db_session, case_id=case.id, doc_types=served_types):
        newest[(d.doc_type, d.series)] = d
    received = _received(db_session, case.id) if newest else set()
    return [Finding("DOCUMENT_NOT_SERVED", f"《{d.label}》没有送达回证（更正后的版本须重新送达）。",
                    d.doc_type in DECISION_TYPES)
            for d in newest.values() if d.id not in received]


def _received(db_session: Session, case_id: int) -> set[int]:
    """The documents of the case served with a 送达回证: a page reads them with the documents it
    shows; a step asks the table (a delivery it just recorded is not in a document it holds)."""
    if is_read_only(db_session):
        return {dl.document_id for d in documents_of(db_session=db_session, case_id=case_id)
                for dl in d.deliveries if dl.receipt_id is not None}
    return set(db_session.scalars(select(Delivery.document_id).where(
        Delivery.case_id == case_id, Delivery.receipt_id.is_not(None))))


def _evidence(db_session: Session, case: Case) -> list[Finding]:
    views = evidence_of(db_session, case.id)
    live = [v for v in views if v.withdrawn is None]
    out: list[Finding] = []
    decision = latest_document(db_session=db_session, case_id=case.id, doc_types=DECISION_TYPES)
    if decision is not None:
        lines = set(snapshot.decode(decision.data).get("evidence") or ())
        known = {evidence_line(v.item) for v in live}
        if case.relied_evidence is None:
            out.append(Finding("EVIDENCE_NOT_ITEMISED", "决定书所列证据系文字登记，未逐项登记为证据材料"
                               "（本案调查终结早于证据逐项登记）。", False))
        else:
            unknown = sorted(lines - known)
            if unknown:
                out.append(Finding("EVIDENCE_WITHOUT_ITEM", "决定书列明的证据在证据材料中没有对应（或已撤回）："
                                   + "；".join(unknown) + "。", True))
    papers = [v.item.title for v in live if v.item.kind == "书证"]
    if live and not any(IDENTITY_DOCS.search(t) for t in papers):
        out.append(Finding("PARTY_IDENTITY_MISSING",
                           "未登记证明当事人主体资格的证据（营业执照、执业许可证、身份证件等）。", False))
    if live and "定点" in (case.item_name or "") and not any(SERVICE_AGREEMENT.search(t) for t in papers):
        out.append(Finding("SERVICE_AGREEMENT_MISSING",
                           "未登记证明当事人系定点医药机构的证据（医疗保障定点服务协议）。", False))
    for v in live:
        i = v.item
        if i.document_id is not None and not v.live_files:
            out.append(Finding("RECORD_NOT_SIGNED", f"证据{i.seq}「{i.title}」未上传签名后的扫描件"
                               "（被询问人或在场人、执法人员签名）。", False))
        elif i.document_id is None and not v.live_files:
            out.append(Finding("EVIDENCE_PAPER_ONLY", f"证据{i.seq}「{i.title}」没有扫描件或电子文件，"
                               "仅有纸质原件。", False))
    return out


def _records(db_session: Session, case: Case) -> list[Finding]:
    out = []
    for d in documents_of_types(db_session=db_session, case_id=case.id, doc_types=RECORD_TYPES):
        officers = (snapshot.decode(d.data).get("record") or {}).get("officers") or []
        if len(officers) < 2:
            out.append(Finding("RECORD_ONE_OFFICER", f"《{d.title}》（{_local(d.issued_at)}）执法人员不足两人。", False))
    return out


def _limits(db_session: Session, case: Case) -> list[Finding]:
    rules = get_library().for_procedure(procedure_of(case)).deadlines
    out = []
    for d in for_case(db_session=db_session, case_id=case.id):
        rule = rules.get(d.rule_code)
        if rule is not None and rule.holder != AGENCY:
            continue  # the party's windows close; nobody is late
        late = (d.status is DeadlineStatus.met and d.closed_at is not None and d.closed_at > d.due_at) \
            or d.status is DeadlineStatus.overdue
        if late:
            when = f"，{_local(d.closed_at)}办结" if d.closed_at else ""
            out.append(Finding("LIMIT_MISSED", f"「{d.name}」超过法定期限（{_local(d.due_at)}届满{when}）。", False))
    return out


def _violations(case: Case) -> list[Finding]:
    """Amounts found without their 违法明细 (a case concluded with the amounts alone, or migrated from
    before violations were itemised): noted — the multiple and the 责令退回 rest on a total."""
    return [Finding("AMOUNTS_NOT_ITEMISED", f"违法金额（{v.amount_defrauded or v.amount_loss:,.2f}元）未逐项登记违法行为"
                    "和违法明细，罚款倍数和责令退回金额以填写的总数为据。", False)
            for v in in_force(case) if not v.conduct_code and (v.amount_defrauded or v.amount_loss)]


def review_case_file(db_session: Session, case: Case) -> list[Finding]:
    """The checklist's findings for the case, required ones first."""
    found = [*_served(db_session, case), *_evidence(db_session, case), *_violations(case),
             *_records(db_session, case), *_limits(db_session, case)]
    return sorted(found, key=lambda f: not f.required)
