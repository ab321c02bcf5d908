"""`caseflow discretion …`: the provinces' 裁量基准 as caseflow applies them (for the administrator
and the 法制审核股: what each tier demands, and what is missing or unverified)."""

from __future__ import annotations

from typing import Any

import typer

from caseflow.cli.output import emit, reported_errors

app = typer.Typer(help="裁量基准：查看与检查（workflows/discretion/）。", no_args_is_help=True)


def _show(b: Any) -> dict[str, Any]:
    from caseflow.discretion.model import EFFECTS

    return {
        "province": b.province, "title": b.title, "source": b.source, "verified": b.verified,
        "factors": [{"code": f.code, "name": f.name, "effect": EFFECTS[f.effect], "basis": f.basis,
                     "verified": f.verified}
                    for f in b.factors],
        "entries": [{"item": e.item, "name": e.name, "bases": list(e.bases), "measure": e.measure,
                     "base": e.base_name, "tiers": [{"tier": t.tier, "multiple": [f"{m:g}" for m in t.multiple],
                                                     "text": t.text, "verified": t.verified} for t in e.tiers]}
                    for e in b.entries],
    }


def _text(rows: list[dict[str, Any]]) -> str:
    out = []
    for b in rows:
        out.append(f"━━ {b['title']}（{b['province']}）{'' if b['verified'] else '〔待核实〕'}\n来源：{b['source'] or '（未录入）'}")
        for f in b["factors"]:
            out.append(f"  情节 {f['code']}：{f['name']}（{f['effect']}；{f['basis']}）{'' if f['verified'] else '〔待核实〕'}")
        for e in b["entries"]:
            out.append(f"  第{e['item']}项 {e['name']}：{'、'.join(e['bases'])}（{e['measure']}，{e['base']}的倍数）")
            out += [f"    {t['tier']} {t['multiple'][0]}–{t['multiple'][1]}倍：{t['text']}{'' if t['verified'] else '〔待核实〕'}"
                    for t in e["tiers"]]
        if not b["entries"]:
            out.append("  （尚未录入条目）")
    return "\n".join(out)


@app.command("show")
def show(province: str = typer.Argument(None, help="省份，如 河南省；不填为全部"),
         as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出裁量基准：情节、条目、各档倍数与条件，未核实的标〔待核实〕。"""
    from caseflow.discretion.files import load_benchmarks

    with reported_errors(as_json):
        rows = [_show(b) for p, b in sorted(load_benchmarks().items()) if not province or p.startswith(province)]
    emit(rows, as_json, _text)


@app.command("check")
def check(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """检查裁量基准：尚未录入的省份、未与公布文本核对（待核实）的数值。"""
    from caseflow.discretion.lint import check_benchmarks

    with reported_errors(as_json):
        rows = [{"province": n.province, "level": n.level, "message": n.message} for n in check_benchmarks()]
    emit(rows, as_json, lambda rs: "\n".join(f"【{r['level']}】{r['province']}：{r['message']}" for r in rs)
         or "裁量基准均已录入并核实。")
