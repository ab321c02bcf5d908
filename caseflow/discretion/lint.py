"""What an administrator must know of the benchmarks: provinces whose values are not entered yet,
values not checked against the published text (待核实), and entries whose bases the catalog does not
cite. Shown by `caseflow discretion check` — never on an officer's page."""

from __future__ import annotations

from dataclasses import dataclass

from caseflow.discretion.files import load_benchmarks

__all__ = ["Note", "check_benchmarks"]


@dataclass(frozen=True)
class Note:
    province: str
    level: str  # 缺失 | 待核实
    message: str


def check_benchmarks() -> list[Note]:
    notes: list[Note] = []
    for province, b in sorted(load_benchmarks().items()):
        if not b.entries:
            notes.append(Note(province, "缺失", f"{b.title}尚未录入条目（{b.file}）：该省机关不推荐裁量档次。"))
            continue
        if not b.source:
            notes.append(Note(province, "缺失", f"{b.title}未注明来源。"))
        for f in b.factors:
            if not f.verified:
                notes.append(Note(province, "待核实", f"情节「{f.name}」（{f.basis}）未与公布文本核对。"))
        for e in b.entries:
            for t in e.tiers:
                if not t.verified:
                    lo, hi = t.multiple
                    notes.append(Note(province, "待核实", f"第{e.item}项「{t.tier}」档（{t.text}；{lo:g}至{hi:g}倍）"
                                                          "未与公布文本核对。"))
    return notes
