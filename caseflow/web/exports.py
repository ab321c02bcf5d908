"""案件查询 exported to Excel (.xlsx, openpyxl): the rows the list shows, every page of them."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

COLUMNS = (("案号", "case_no", 24), ("当事人", "party", 28), ("案由", "title", 40),
           ("事项", "item", 36), ("程序", "procedure", 18), ("状态", "state_name", 16),
           ("登记时间", "opened_at", 18), ("承办人", "lead_officer", 10), ("最近期限", "next_due_at", 18),
           ("逾期", "overdue", 6))


def cases_xlsx(rows: list[dict[str, Any]], *, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "案件"
    ws.append([c[0] for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        values = {**r, "item": f"{r['item_key']} {r['item_name']}", "overdue": "是" if r["overdue"] else ""}
        ws.append([_plain(values.get(key)) for _, key, _ in COLUMNS])
    for i, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    """A cell's value; text that a spreadsheet would read as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
