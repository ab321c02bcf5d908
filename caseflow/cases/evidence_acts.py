"""Acts on a case's 证据材料 outside a step: 登记 an item (with its files), 上传 more files to it,
撤回 an item or a file with a reason. Each is checked by the rules of workflows/rules/<set>/
guards.yaml — evidence is collected while the case is under investigation (the procedure's
`collects_evidence_in`), by the case's own officers — and is an event of the case's audit trail, in
the caller's transaction with the bytes: a refused or failed upload leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.cases.audit import append_event
from caseflow.cases.evidence import evidence_of, next_seq
from caseflow.cases.lookup import get_case, procedure_of
from caseflow.cases.models import Case
from caseflow.cases.rules import refuse
from caseflow.db.base import utcnow
from caseflow.errors import InvalidInput, NotFound
from caseflow.evidence.files import inspect_upload
from caseflow.evidence.models import EvidenceFile, EvidenceItem, EvidenceWithdrawal
from caseflow.evidence.storage import FileStore, default_store
from caseflow.legal_time import SHANGHAI
from caseflow.org.actors import Actor
from caseflow.org.service import load_actor
from caseflow.workflow.input_values import check_required, free_text, validate_payload
from caseflow.workflow.registry import get_library

__all__ = ["Upload", "add_evidence", "attach_files", "investigation_act", "withdraw_evidence"]

MAX_FILES_PER_ACT = 50


@dataclass(frozen=True)
class Upload:
    """A file as received: its name as the officer's computer called it, its bytes (a seekable
    stream: a spooled upload, an open file), and what is printed under it in the 案卷."""

    name: str
    source: BinaryIO
    description: str | None = None


def investigation_act(db_session: Session, case_no: str, actor_id: int, what: str, *,
                      violations: bool = False) -> tuple[Case, Actor]:
    """The case of an act of the investigation — on its 证据材料, or (`violations`) its 违法行为 — if the
    actor is one of its officers and it is investigated now (the procedure's `collects_evidence_in`).
    Another agency's case is not found."""
    actor = load_actor(db_session=db_session, user_id=actor_id)
    case = get_case(db_session=db_session, case_no=case_no)
    if case.agency_id != actor.agency_id:
        raise NotFound(f"未找到案件「{case_no[:60]}」。")
    proc = procedure_of(case)
    if case.state not in proc.evidence_states:
        facts = {"case_no": case.case_no, "state": proc.state_name(case.state), "what": what,
                 "details": {"state": case.state}}
        raise refuse("violations_open", **facts) if violations else refuse("evidence_open", **facts)
    if actor.id not in {o.user_id for o in case.active_officers()}:
        raise (refuse("violations_by_case_officer", who=actor.full_name, what=what) if violations
               else refuse("evidence_by_case_officer", who=actor.full_name, what=what))
    return case, actor


def _case_bytes(db_session: Session, case_id: int) -> int:
    return int(db_session.scalar(select(func.coalesce(func.sum(EvidenceFile.size), 0))
                                 .where(EvidenceFile.case_id == case_id)) or 0)


def _store_files(db_session: Session, case: Case, actor: Actor, item_id: int, uploads: Sequence[Upload],
                 event_seq: int, at: datetime, store: FileStore) -> list[EvidenceFile]:
    if len(uploads) > MAX_FILES_PER_ACT:
        raise InvalidInput(f"一次最多上传{MAX_FILES_PER_ACT}个文件。", code="TOO_MANY_FILES",
                           details={"files": f"不能超过{MAX_FILES_PER_ACT}个"})
    used, out = _case_bytes(db_session, case.id), []
    for up in uploads:
        name = free_text(up.name, name="files", label="文件名", limit=255) or "未命名文件"
        name = name.replace("/", "_").replace("\\", "_").replace("\n", " ")
        facts = inspect_upload(up.source, name=name, case_bytes_used=used)
        used += facts.size
        store.put(db_session, up.source, sha256=facts.sha256, size=facts.size, mime=facts.mime)
        row = EvidenceFile(item_id=item_id, case_id=case.id, sha256=facts.sha256, filename=name,
                           mime=facts.mime, size=facts.size, pages=facts.pages,
                           description=free_text(up.description, name="description", label="说明", limit=500),
                           event_seq=event_seq, uploaded_at=at, uploaded_by_name=actor.full_name)
        db_session.add(row)
        out.append(row)
    db_session.flush()
    return out


def add_evidence(
    *, db_session: Session, case_no: str, actor_id: int, payload: dict[str, Any],
    uploads: Sequence[Upload] = (), at: datetime | None = None, store: FileStore | None = None,
) -> EvidenceItem:
    """登记 one item (the inputs of `evidence_item` in workflows/rules/<set>/inputs.yaml), with its files."""
    at = at or utcnow()
    case, actor = investigation_act(db_session, case_no, actor_id, "登记证据")
    library = get_library()
    inputs = library.for_procedure(procedure_of(case, library)).rules.input_group("evidence_item")
    values = validate_payload(inputs, payload)
    check_required(inputs, values, lambda attr: getattr(case, attr, None))
    officers = [o.user.full_name for o in case.active_officers()]
    if not values.get("collectors"):  # the form starts from the case's officers
        values["collectors"] = officers
    _check_collection(values, officers, at)
    seq = case.last_event_seq + 1
    item = EvidenceItem(
        case_id=case.id, seq=next_seq(db_session, case.id), kind=values["kind"], title=values["title"],
        source=values["source"], obtained_by=values["obtained_by"], collectors=values["collectors"],
        collected_on=values["collected_on"], pages=values.get("pages"), proves=values.get("proves"),
        note=values.get("note"), event_seq=seq, recorded_at=at, recorded_by_id=actor.id,
        recorded_by_name=actor.full_name,
    )
    db_session.add(item)
    db_session.flush()
    files = _store_files(db_session, case, actor, item.id, uploads, seq, at, store or default_store())
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="add_evidence",
        trigger_name=f"登记证据：{item.title}", from_state=case.state, to_state=case.state, at=at,
        payload={"seq": item.seq, "kind": item.kind, "title": item.title, "source": item.source,
                 "files": [{"name": f.filename, "sha256": f.sha256, "size": f.size} for f in files]},
    )
    return item


def _check_collection(values: dict[str, Any], officers: list[str], at: datetime) -> None:
    """Evidence is collected by the case's 执法人员 (《行政处罚法》第四十二条), on a day that has come."""
    errors = {}
    strangers = [n for n in values["collectors"] if n not in officers]
    if strangers:
        errors["collectors"] = "、".join(strangers) + "不是本案的承办人员（本案：" + "、".join(officers) + "）"
    if values["collected_on"] > at.astimezone(SHANGHAI).date():
        errors["collected_on"] = "收集日期晚于今天"
    if errors:
        raise InvalidInput("；".join(errors.values()) + "。", details=errors)


def _item(db_session: Session, case: Case, seq: int) -> EvidenceItem:
    item = db_session.scalar(select(EvidenceItem).where(EvidenceItem.case_id == case.id, EvidenceItem.seq == seq))
    if item is None:
        raise NotFound(f"本案没有第{seq}号证据。", code="EVIDENCE_NOT_FOUND")
    return item


def _withdrawn(db_session: Session, item: EvidenceItem, file_id: int | None = None) -> bool:
    stmt = select(EvidenceWithdrawal.id).where(EvidenceWithdrawal.item_id == item.id)
    stmt = stmt.where(EvidenceWithdrawal.file_id.is_(None) if file_id is None else EvidenceWithdrawal.file_id == file_id)
    return db_session.scalar(stmt.limit(1)) is not None


def attach_files(
    *, db_session: Session, case_no: str, seq: int, actor_id: int, uploads: Sequence[Upload],
    at: datetime | None = None, store: FileStore | None = None,
) -> list[EvidenceFile]:
    """上传 more files (scans, photos, recordings) to item `seq`."""
    at = at or utcnow()
    if not uploads:
        raise InvalidInput("请选择要上传的文件。", code="FILE_MISSING", details={"files": "请选择文件"})
    case, actor = investigation_act(db_session, case_no, actor_id, "上传证据文件")
    item = _item(db_session, case, seq)
    if _withdrawn(db_session, item):
        raise refuse("evidence_item_in_force", seq=seq, what="已撤回，不能再上传文件")
    event_seq = case.last_event_seq + 1
    files = _store_files(db_session, case, actor, item.id, uploads, event_seq, at, store or default_store())
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="upload_evidence_file",
        trigger_name=f"上传证据文件：{item.title}", from_state=case.state, to_state=case.state, at=at,
        payload={"seq": item.seq, "files": [{"name": f.filename, "sha256": f.sha256, "size": f.size}
                                            for f in files]},
    )
    return files


def withdraw_evidence(
    *, db_session: Session, case_no: str, seq: int, actor_id: int, reason: str | None,
    file_id: int | None = None, at: datetime | None = None,
) -> EvidenceWithdrawal:
    """撤回 item `seq` (or one of its files): it stays in the record, marked with the reason."""
    at = at or utcnow()
    why = free_text(reason, name="reason", label="撤回理由", limit=2000)
    if not why:
        raise InvalidInput("请填写撤回理由。", details={"reason": "不能为空"})
    case, actor = investigation_act(db_session, case_no, actor_id, "撤回证据")
    item = _item(db_session, case, seq)
    if _withdrawn(db_session, item):
        raise refuse("evidence_item_in_force", seq=seq, what="已撤回")
    name = item.title
    if file_id is not None:
        view = next(v for v in evidence_of(db_session, case.id) if v.item.id == item.id)
        f = next((f for f in view.files if f.id == file_id), None)
        if f is None:
            raise NotFound(f"第{seq}号证据没有该文件。", code="EVIDENCE_FILE_NOT_FOUND")
        if file_id in view.withdrawn_files:
            raise refuse("evidence_item_in_force", seq=seq, what=f"的文件「{f.filename}」已撤回")
        name = f"{item.title}的文件「{f.filename}」"
    w = EvidenceWithdrawal(case_id=case.id, item_id=item.id, file_id=file_id, reason=why,
                           event_seq=case.last_event_seq + 1, withdrawn_at=at, withdrawn_by_name=actor.full_name)
    db_session.add(w)
    db_session.flush()
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="withdraw_evidence",
        trigger_name=f"撤回证据：{name}", from_state=case.state, to_state=case.state, at=at, opinion=why,
        payload={"seq": seq, "file_id": file_id},
    )
    return w
