"""The party's arguments answered (《行政处罚法》第四十五条: 对当事人提出的事实、理由和证据，应当进行复核；
当事人提出的事实、理由或者证据成立的，行政机关应当采纳).

What the party argued is recorded where it was heard — 收到陈述、申辩 (告知岗) and 听证结束 (the hearing's
主持人: the 听证笔录 reports, it does not decide) — without an answer. The agency answers each on 复核
with the step that leaves 复核: 作出行政处罚决定 or 作出不予行政处罚决定 (第六十五条: 根据听证笔录作出决定),
or 变更拟处罚意见 where an argument holds and the proposal changes. A decision is not made while an
argument recorded has no answer (guards/arguments.py), and the 决定书 states each with its answer.

`cases.arguments` holds the rows: argument, heard (陈述、申辩 | 听证), heard_on, answer (None until
answered), reason, answered_on. An answer names the argument it answers by its words (as recorded;
spacing aside); an answer to an argument not recorded is refused — the party's words are the record's.
"""

from __future__ import annotations

from typing import Any

from caseflow.cases.context import StepContext
from caseflow.cases.models import Case
from caseflow.errors import InvalidInput

RECORD_INPUT = "arguments"  # 收到陈述、申辩, 听证结束: the party's words (`answers: false`)
ANSWER_INPUT = "answers"  # the steps of 复核: each recorded argument with its answer
HEARD = {"receive_statement": "陈述、申辩", "conclude_hearing": "听证"}
VERDICT = {"采纳": "予以采纳", "部分采纳": "予以部分采纳", "不采纳": "不予采纳"}
_END = "。；;，,、 　"


def recorded(case: Case) -> list[dict[str, Any]]:
    return [dict(a) for a in case.arguments or ()]


def _key(words: Any) -> str:
    return "".join(str(words or "").split())


def match_answers(case: Case, rows: list[dict[str, Any]]) -> tuple[dict[int, dict[str, Any]], list[int]]:
    """{index of the recorded argument: the row answering it}, and the rows answering none (their
    indexes). The same words recorded twice are answered in order."""
    free: dict[str, list[int]] = {}
    for i, a in enumerate(recorded(case)):
        free.setdefault(_key(a.get("argument")), []).append(i)
    matched: dict[int, dict[str, Any]] = {}
    unknown: list[int] = []
    for j, row in enumerate(rows):
        slots = free.get(_key(row.get("argument")))
        if slots:
            matched[slots.pop(0)] = row
        else:
            unknown.append(j)
    return matched, unknown


def unanswered(case: Case, payload: dict[str, Any]) -> list[str]:
    """The arguments recorded that neither the case nor this step's answers answer."""
    matched, _ = match_answers(case, payload.get(ANSWER_INPUT) or [])
    return [a["argument"] for i, a in enumerate(recorded(case)) if not a.get("answer") and i not in matched]


def record_arguments(ctx: StepContext) -> None:
    """收到陈述、申辩 / 听证结束: the party's arguments, added to those recorded, without an answer."""
    rows = ctx.payload.get(RECORD_INPUT) or []
    if not rows:
        return
    trigger = ctx.transition.trigger if ctx.transition else ""
    heard = HEARD.get(trigger) or (ctx.transition.name if ctx.transition else "")
    on = ctx.local_day.isoformat()
    ctx.case.arguments = [*recorded(ctx.case), *({
        "argument": r["argument"], "heard": heard, "heard_on": on,
        "answer": None, "reason": None, "answered_on": None,
    } for r in rows)]


def record_answers(ctx: StepContext) -> None:
    """The agency's answers on 复核, each to the recorded argument it names (a later answer replaces an
    earlier one: the last 复核 is the agency's)."""
    rows = ctx.payload.get(ANSWER_INPUT) or []
    if not rows:
        return
    matched, unknown = match_answers(ctx.case, rows)
    if unknown:  # the guard `answers_to_recorded_arguments` refuses it first where the step names it
        raise InvalidInput("复核结论须针对已记录的当事人意见。",
                           details={f"{ANSWER_INPUT}[{j}].argument": "不是已记录的当事人意见" for j in unknown})
    on = ctx.local_day.isoformat()
    out = recorded(ctx.case)
    for i, row in matched.items():
        out[i].update(answer=row["answer"], reason=row.get("reason"), answered_on=on)
    ctx.case.arguments = out


def _clause(words: str) -> str:
    """Words as one clause: lines joined, the closing punctuation left off."""
    lines = [ln.strip().rstrip(_END) for ln in str(words).splitlines() if ln.strip().rstrip(_END)]
    return "；".join(lines)


def answered_text(argument: dict[str, Any]) -> str:
    """'当事人提出：…。经复核，本机关认为：…，不予采纳。' — one paragraph of the 决定书."""
    said = f"当事人提出：{_clause(argument['argument'])}。"
    answer = argument.get("answer")
    if not answer:
        return said
    reason = _clause(argument.get("reason") or "")
    if not reason:  # 采纳 needs no reason: the argument holds
        return f"{said}经复核，本机关认为该意见成立，{VERDICT[answer]}。"
    if reason.endswith("采纳"):  # the reason already says it ("…，不予采纳")
        return f"{said}经复核，本机关认为：{reason}。"
    return f"{said}经复核，本机关认为：{reason}，{VERDICT[answer]}。"


def answered_paragraphs(case: Case) -> list[str]:
    return [answered_text(a) for a in recorded(case)]


def form_rows(case: Case, name: str = ANSWER_INPUT) -> dict[str, str]:
    """The recorded arguments (and answers given) as a step form starts from them."""
    out: dict[str, str] = {}
    for i, a in enumerate(recorded(case)):
        for key in ("argument", "answer", "reason"):
            if a.get(key):
                out[f"{name}[{i}].{key}"] = str(a[key])
    return out
