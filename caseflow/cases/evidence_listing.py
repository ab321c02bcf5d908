"""A case's 证据材料 as every view lists them (case page, API, `caseflow case evidence list`), and the
案卷评查 findings as they are shown: plain data, Chinese labels, times in Beijing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from caseflow.cases.evidence import evidence_of
from caseflow.cases.file_review import review_case_file
from caseflow.cases.models import Case
from caseflow.evidence.files import type_label
from caseflow.legal_time import SHANGHAI

__all__ = ["evidence_listing", "file_review_listing", "human_size"]


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} 字节"


def _local(dt: Any) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def evidence_listing(db_session: Session, case: Case) -> list[dict[str, Any]]:
    out = []
    for v in evidence_of(db_session, case.id):
        i = v.item
        w = v.withdrawn
        out.append({
            "seq": i.seq, "kind": i.kind, "title": i.title, "source": i.source, "obtained_by": i.obtained_by,
            "collectors": list(i.collectors), "collected_on": i.collected_on.isoformat(), "pages": v.pages,
            "proves": i.proves, "note": i.note, "document_id": i.document_id,
            "recorded_by": i.recorded_by_name, "recorded_at": _local(i.recorded_at),
            "relied_on": i.seq in (case.relied_evidence or ()),
            "withdrawn": {"reason": w.reason, "at": _local(w.withdrawn_at), "by": w.withdrawn_by_name} if w else None,
            "files": [{
                "id": f.id, "filename": f.filename, "type": type_label(f.mime), "mime": f.mime, "size": f.size,
                "size_text": human_size(f.size), "sha256": f.sha256, "pages": f.pages,
                "description": f.description, "uploaded_at": _local(f.uploaded_at), "uploaded_by": f.uploaded_by_name,
                "withdrawn": ({"reason": v.withdrawn_files[f.id].reason} if f.id in v.withdrawn_files else None),
            } for f in v.files],
        })
    return out


def file_review_listing(db_session: Session, case: Case) -> list[dict[str, Any]]:
    return [{"code": f.code, "message": f.message, "required": f.required}
            for f in review_case_file(db_session, case)]
