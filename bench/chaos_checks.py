"""The checks bench/chaos.py makes after its run, reading the database directly: every acknowledged
step has its audit event and documents, every case's state is its last event's, no document is
pending and each PDF matches its SHA-256, and each 案号/文号 sequence is used exactly 1…last."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import create_engine, select

NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")
Check = tuple[str, bool, str]  # name, passed, figures


def check(url: str, acked: list[dict[str, Any]]) -> list[Check]:
    engine = create_engine(url)
    with engine.connect() as conn:
        out = [*_steps_and_states(conn, acked), _documents(conn), _numbers(conn)]
    engine.dispose()
    return out


def _steps_and_states(conn: Any, acked: list[dict[str, Any]]) -> list[Check]:
    from caseflow.cases.models import Case, CaseEvent
    from caseflow.documents.models import Document

    cases = {no: (cid, state) for cid, no, state in conn.execute(
        select(Case.id, Case.case_no, Case.state))}
    events = {(cid, seq): (trigger, to) for cid, seq, trigger, to in conn.execute(
        select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.trigger, CaseEvent.to_state))}
    docs = {i: (cid, seq) for i, cid, seq in conn.execute(
        select(Document.id, Document.case_id, Document.event_seq))}

    def kept(a: dict[str, Any]) -> bool:  # its event (trigger, state reached) and its documents
        cid = cases.get(a["case_no"], (None,))[0]
        return (events.get((cid, a["seq"])) == (a["trigger"], a["state"])
                and all(docs.get(d) == (cid, a["seq"]) for d in a["documents"]))

    lost = [a for a in acked if not kept(a)]
    last: dict[int, tuple[int, str]] = {}
    for (cid, seq), (_, to) in events.items():
        if seq > last.get(cid, (0, ""))[0]:
            last[cid] = (seq, to)
    wrong = [no for no, (cid, state) in cases.items() if last.get(cid, (0, None))[1] != state]
    return [("确认的步骤均有办理记录及文书", not lost,
             f"确认 {len(acked)} 步，丢失 {len(lost)} 步" + (f"：{lost[:3]}" if lost else "")),
            ("案件状态与最后一条办理记录一致", not wrong,
             f"{len(cases)} 件案件，不一致 {len(wrong)} 件" + (f"：{wrong[:5]}" if wrong else ""))]


def _documents(conn: Any) -> Check:
    from caseflow.documents.models import Document, DocumentStatus

    counts = Counter(s for (s,) in conn.execute(select(Document.status)))
    bad = sum(1 for pdf, sha in conn.execute(select(Document.pdf, Document.sha256)
                                             .where(Document.status == DocumentStatus.rendered))
              if not pdf or hashlib.sha256(pdf).hexdigest() != sha)
    pending = counts[DocumentStatus.pending]
    return ("scheduler --once 之后无待生成文书，PDF 与 SHA-256 相符", pending == 0 and bad == 0,
            f"{sum(counts.values())} 份文书，待生成 {pending} 份，PDF 不符 {bad} 份")


def _numbers(conn: Any) -> Check:
    """Each sequence (agency, kind, year) of number_sequences is used exactly once for 1…last:
    案号 by the cases (kind case:penalty …), 文号 by the first version of each document."""
    from caseflow.cases.models import Case
    from caseflow.cases.numbering import KIND_WORD
    from caseflow.documents.models import Document
    from caseflow.documents.types import get_doc_type
    from caseflow.numbering.models import NumberSequence

    used: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    for agency, no in conn.execute(select(Case.agency_id, Case.case_no)):
        m, kind = NUMBER.search(no), next((k for k, w in KIND_WORD.items() if f"{w}案〔" in no), None)
        if m and kind:
            used[(agency, f"case:{kind}", int(m[1]))].append(int(m[2]))
    for agency, no, doc_type in conn.execute(
            select(Document.agency_id, Document.doc_no, Document.doc_type)
            .where(Document.supersedes_id.is_(None), Document.doc_no.is_not(None))):
        m, code = NUMBER.search(no), get_doc_type(doc_type).number_code
        if m and code:
            used[(agency, f"doc:{code}", int(m[1]))].append(int(m[2]))
    seqs = {(a, k, y): n for a, k, y, n in conn.execute(select(
        NumberSequence.agency_id, NumberSequence.kind, NumberSequence.year,
        NumberSequence.last_value))}
    gaps = [f"{k}/{y}: 用 {sorted(used.get((a, k, y), []))[:8]}… 至 {n}"
            for (a, k, y), n in seqs.items()
            if sorted(used.get((a, k, y), [])) != list(range(1, n + 1))]
    gaps += [f"{k}/{y} 无序号记录" for (a, k, y) in used if (a, k, y) not in seqs]
    figures = f"{len(seqs)} 个序号，已用 {sum(map(len, used.values()))} 个号"
    return ("案号、文号连续无缺号、无重号", not gaps, figures + (f"；{gaps[:5]}" if gaps else ""))
