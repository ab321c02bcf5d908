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

from starlette.datastructures import FormData

from caseflow.cases.penalties import KINDS

PENALTY_KINDS = tuple(sorted(KINDS))
# Fields of the page's form that are not the step's input.
FORM_CONTROLS = frozenset({"csrf_token", "expected_version", "opinion", "back"})
MAX_ROWS = 300  # rows of a table field (the 问答 of a 询问笔录 the longest); the validator bounds each type
_ROW = re.compile(r"^(\w+)\[(\d{1,3})\]\.(\w+)$")


def payload_from_form(form: FormData) -> dict[str, Any]:
    """The step's payload from its form; fields left empty are left out."""
    payload: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, str]]] = {}
    for key, raw in form.multi_items():
        if key in FORM_CONTROLS or not isinstance(raw, str):
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
