"""The data of the 笔录 made in caseflow (询问笔录, 现场检查笔录) and of the 证据清单, built from the
step's input and the case's 证据材料 (data contract: `caseflow.documents.types`)."""

from __future__ import annotations

import re
from typing import Any

from caseflow.cases.document_source import _day, _Source, _text
from caseflow.cases.evidence import evidence_of, officers_on_record
from caseflow.legal_time import SHANGHAI

_NAME_AND_POST = re.compile(r"^(?P<name>[^（(]+)[（(](?P<post>[^）)]*)[）)]$")


def _record_common(src: _Source) -> dict[str, Any]:
    p = src.step.payload
    began = p.get("acted_at") or src.step.at
    names = list(p.get("persons") or src.case.officer_names.split("、"))
    return {
        "started_at": began, "ended_at": p.get("ended_at"), "place": _text(p.get("place")),
        "officers": officers_on_record(src.db_session, src.case, names, began.astimezone(SHANGHAI).date()),
        "recorder": _text(p.get("recorder")), "credentials_shown": bool(p.get("credentials_shown")),
    }


def _inquiry_record(src: _Source) -> dict[str, Any]:
    p = src.step.payload
    person = {"name": _text(p.get("person_name")), "relation": _text(p.get("person_role")),
              "sex": _text(p.get("person_sex")), "id_number": _text(p.get("person_id_number")),
              "phone": _text(p.get("person_phone")), "work_unit": _text(p.get("person_work_unit")),
              "address": _text(p.get("person_address"))}
    # 第N次询问: this person's 询问笔录 so far, this one included (its event is written first).
    times = sum(1 for e in src.events("record_inquiry") if (e.payload or {}).get("person_name") == person["name"])
    return {"record": {**_record_common(src), "person": person, "sequence": max(times, 1),
                       "qa": [{"q": r["q"], "a": r["a"]} for r in p.get("qa") or ()]}}


def _present(entry: str) -> dict[str, str]:
    m = _NAME_AND_POST.match(entry.strip())
    return {"name": m["name"].strip(), "position": m["post"].strip()} if m else {"name": entry.strip(), "position": ""}


def _inspection_record(src: _Source) -> dict[str, Any]:
    p = src.step.payload
    return {"record": {
        **_record_common(src),
        "subject": {"name": _text(p.get("subject_name")), "address": _text(p.get("subject_address")),
                    "representative": _text(p.get("subject_representative"))},
        "present": [_present(n) for n in p.get("present") or ()],
        "findings": _text(p.get("findings")), "measures": _text(p.get("measures")),
    }}


def _evidence_list(src: _Source) -> dict[str, Any]:
    """The items in force, in 序号 order (withdrawn ones stay in the record, not in the list)."""
    items = []
    for v in evidence_of(src.db_session, src.case.id, include_withdrawn=False):
        i = v.item
        items.append({"seq": i.seq, "kind": i.kind, "title": i.title, "source": i.source,
                      "obtained_by": i.obtained_by, "collectors": list(i.collectors),
                      "collected_on": i.collected_on, "pages": v.pages, "proves": i.proves or "",
                      "files": [{"filename": f.filename, "sha256": f.sha256} for f in v.live_files]})
    return {"evidence_list": {"items": items, "prepared_by": src.step.actor_name,
                              "prepared_on": _day(src.step.at)}}
