"""A submitted step form as the step's payload.

The form of a step is drawn from the inputs its transition declares (`workflows/procedures`
`inputs:`, see `caseflow.workflow.inputs`); its field names are the payload keys. Here the form
only becomes a payload: rows (`penalties[0].kind`) become lists of rows and empty fields are left
out. Typing and checking — dates, money, integers, unknown fields — is the one validator's
(`caseflow.workflow.input_values`), run by the service for forms and the API alike.
"""

from __future__ import annotations

import re
from typing import Any

from datetime import datetime

from starlette.datastructures import FormData, UploadFile

from caseflow.cases.penalties import KINDS
from caseflow.legal_time import SHANGHAI
from caseflow.violations.details import to_json
from caseflow.violations.importer import import_details

PENALTY_KINDS = tuple(sorted(KINDS))
# Fields of the page's form that are not the step's input.
FORM_CONTROLS = frozenset({"csrf_token", "expected_version", "opinion", "back"})
MAX_ROWS = 300  # rows of a table field (the 问答 of a 询问笔录 the longest); the validator bounds each type
_ROW = re.compile(r"^(\w+)\[(\d{1,3})\]\.(\w+)$")
FILE_SUFFIX = "_file"  # `details_file`: the 违法明细 of a `details` input, as a spreadsheet


def _spreadsheet_rows(upload: UploadFile) -> list[dict[str, Any]]:
    """A `details` input's spreadsheet as rows (refused row by row, numbered as in the file)."""
    rows = import_details(upload.file.read(), upload.filename or "", today=datetime.now(SHANGHAI).date())
    return to_json(rows)


def payload_from_form(form: FormData, *, spreadsheets: bool = False) -> dict[str, Any]:
    """The step's payload from its form; fields left empty are left out. With `spreadsheets`, a file
    `<name>_file` is the rows of the `details` input `<name>` (the step forms; the 登记违法行为 form
    imports its file itself)."""
    payload: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, str]]] = {}
    for key, raw in form.multi_items():
        if isinstance(raw, UploadFile):
            if spreadsheets and key.endswith(FILE_SUFFIX) and (raw.filename or raw.size):
                payload[key.removesuffix(FILE_SUFFIX)] = _spreadsheet_rows(raw)
            continue
        if key in FORM_CONTROLS:
            continue
        value = raw.strip()
        m = _ROW.match(key)
        if m:
            if value and int(m.group(2)) < MAX_ROWS:
                rows.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = value
        elif value:
            payload[key] = value
    for name, by_index in rows.items():
        payload[name] = [by_index[i] for i in sorted(by_index)]
    return payload
