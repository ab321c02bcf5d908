"""Publications as people and programs read them: the rows of the public pages, the JSON and CSV
feeds for the 信用 platform (the same rows, the same fields), and a case's versions and withdrawals
for the case page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from caseflow.legal_time import SHANGHAI
from caseflow.publication.content import PARTY_KINDS
from caseflow.publication.models import Publication, PublicationWithdrawal
from caseflow.publication.service import visible_until

# The fields of a published record, in the feeds' order: key (JSON) and 中文 (CSV header, pages).
FIELDS = (
    ("party_name", "行政相对人名称"),
    ("party_kind", "行政相对人类别"),
    ("credit_code", "统一社会信用代码"),
    ("doc_no", "行政处罚决定书文号"),
    ("summary", "违法事实"),
    ("basis", "处罚依据"),
    ("penalty", "处罚内容"),
    ("agency_name", "处罚机关"),
    ("decided_on", "处罚决定日期"),
    ("published_on", "公示日期"),
    ("version", "公示版本"),
    ("visible_until", "公示截止日期"),
)
WITHDRAWAL_FIELDS = (
    ("doc_no", "行政处罚决定书文号"),
    ("party_name", "行政相对人名称"),
    ("decided_on", "处罚决定日期"),
    ("withdrawn_on", "撤回日期"),
    ("reason", "撤回理由"),
)


def _day(value: datetime) -> date:
    return value.astimezone(SHANGHAI).date()


def record(row: Any, months: int) -> dict[str, Any]:
    """One public record (a row of `service.public_records`) as the pages and feeds show it."""
    return {
        "party_name": row.party_name,
        "party_kind": PARTY_KINDS.get(row.party_kind, row.party_kind),
        "credit_code": row.credit_code or "",
        "doc_no": row.doc_no,
        "summary": row.summary,
        "basis": row.basis,
        "penalty": row.penalty,
        "agency_name": row.agency_name,
        "decided_on": row.decided_on.isoformat(),
        "published_on": _day(row.released_at).isoformat(),
        "version": row.version,
        "visible_until": visible_until(row.decided_on, months).isoformat(),
    }


def withdrawal(row: Any) -> dict[str, Any]:
    return {"doc_no": row.doc_no, "party_name": row.party_name, "decided_on": row.decided_on.isoformat(),
            "withdrawn_on": _day(row.withdrawn_at).isoformat(), "reason": row.reason}


def feed_json(*, agency_name: str, records: list[dict[str, Any]], withdrawals: list[dict[str, Any]],
              generated_at: datetime, months: int) -> dict[str, Any]:
    return {
        "agency": agency_name,
        "generated_at": generated_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
        "period_months": months,
        "fields": dict(FIELDS),
        "records": records,
        "withdrawn_fields": dict(WITHDRAWAL_FIELDS),
        "withdrawn": withdrawals,
    }


def _cell(value: Any) -> str:
    text = str(value)
    # A cell a spreadsheet would run as a formula is written as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def feed_csv(records: Iterable[dict[str, Any]]) -> str:
    """The records as CSV with a Chinese header (UTF-8 with BOM, so that Excel reads it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _, label in FIELDS])
    for r in records:
        writer.writerow([_cell(r[key]) for key, _ in FIELDS])
    return "\ufeff" + out.getvalue()


def version_rows(versions: list[Publication], withdrawals: list[PublicationWithdrawal]) -> list[dict[str, Any]]:
    """The case page's history of its publications: every version (newest first) and withdrawals."""
    withdrawn = {w.series: w for w in withdrawals}
    superseded = {v.supersedes_id for v in versions if v.supersedes_id}
    rows = []
    for v in reversed(versions):
        w = withdrawn.get(v.series)
        rows.append({
            "series": v.series, "version": v.version, "released_at": v.released_at, "by": v.released_by_name,
            "reason": v.reason, "summary": v.summary, "current": v.id not in superseded and w is None,
            "superseded": v.id in superseded, "withdrawn": w is not None,
        })
    return rows


def content_rows(content: Any, months: int) -> list[tuple[str, str]]:
    """What a record shows, label by label (the case page's 「执法公示」 and its preview)."""
    kind = PARTY_KINDS.get(content.party_kind, content.party_kind)
    rows = [("行政相对人名称", content.party_name), ("行政相对人类别", kind)]
    if content.credit_code:
        rows.append(("统一社会信用代码", content.credit_code))
    rows += [("行政处罚决定书文号", content.doc_no), ("违法事实", content.summary), ("处罚依据", content.basis),
             ("处罚内容", content.penalty), ("处罚机关", content.agency_name),
             ("处罚决定日期", f"{content.decided_on:%Y年%m月%d日}"),
             ("公示截止日期", f"{visible_until(content.decided_on, months):%Y年%m月%d日}")]
    return rows
