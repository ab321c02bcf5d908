"""更正 as a form: the fields of one issued document that a correction may change (`cases.corrections`
says which), filled with what the document says now; and the submitted form back as the corrections
the service takes — only what changed. Nobody types JSON."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from caseflow.cases.corrections import LISTS_OF_TEXT, ROWS, TEXTS

ROW_LABELS = {"address": "地址", "phone": "联系电话", "description": "表述"}
CORRECTABLE = frozenset({*TEXTS, *LISTS_OF_TEXT, *ROWS})  # the keys of a document's data a form shows


def correction_fields(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """[{name, label, value, long}] for the template, in the document's order of reading."""
    fields: list[dict[str, Any]] = []
    for key, label in TEXTS.items():
        if data.get(key):
            fields.append({"name": f"c.{key}", "label": label, "value": data[key], "long": True})
    for key, label in LISTS_OF_TEXT.items():
        if data.get(key):
            fields.append({"name": f"c.{key}", "label": f"{label}（每行一项）", "value": "\n".join(data[key]),
                           "long": True})
    for key, (_, wording) in ROWS.items():
        for i, row in enumerate(data.get(key) or ()):
            whose = row.get("name") or row.get("kind") or f"第{i + 1}项"
            for w in sorted(wording):
                fields.append({"name": f"c.{key}.{i}.{w}", "label": f"{whose}的{ROW_LABELS.get(w, w)}",
                               "value": row.get(w) or "", "long": False})
    return fields


def corrections_from_form(data: Mapping[str, Any], form: Mapping[str, Any]) -> dict[str, Any]:
    """What the form changed, in the shape of the document's data."""
    out: dict[str, Any] = {}
    for key in TEXTS:
        typed = form.get(f"c.{key}")
        if typed is not None and str(typed).strip() != str(data.get(key) or "").strip():
            out[key] = str(typed)
    for key in LISTS_OF_TEXT:
        typed = form.get(f"c.{key}")
        if typed is not None:
            lines = [line.strip() for line in str(typed).splitlines() if line.strip()]
            if lines != list(data.get(key) or []):
                out[key] = lines
    for key, (_, wording) in ROWS.items():
        rows = copy.deepcopy(list(data.get(key) or []))
        changed = False
        for i, row in enumerate(rows):
            for w in wording:
                typed = form.get(f"c.{key}.{i}.{w}")
                if typed is not None and str(typed).strip() != str(row.get(w) or "").strip():
                    row[w], changed = str(typed).strip() or None, True
        if changed:
            out[key] = rows
    return out
