"""Read model of an issued document for people and programs: a JSON-ready dict (CLI and web)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from caseflow.legal_time import SHANGHAI

__all__ = ["document_row"]


def local(dt: datetime | None) -> str | None:
    """A moment as the pages and the CLI print it: 北京时间 to the minute."""
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if dt else None


def document_row(doc: Any) -> dict[str, Any]:
    """The document's metadata and its deliveries (times in 北京时间); never the PDF itself."""
    return {
        "id": doc.id, "doc_type": doc.doc_type, "title": doc.title, "doc_no": doc.doc_no,
        "version": doc.version, "series": doc.series, "supersedes_id": doc.supersedes_id,
        "status": doc.status.value, "status_name": doc.status.label, "sha256": doc.sha256,
        "size": doc.size, "issued_at": local(doc.issued_at), "issued_by": doc.issued_by_name,
        "trigger": doc.trigger, "reason": doc.reason,
        "deliveries": [{"method": d.method, "served_at": local(d.served_at), "recipient": d.recipient,
                        "receipt_id": d.receipt_id} for d in doc.deliveries],
    }
