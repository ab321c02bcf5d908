"""`caseflow catalog …`: import published lists, list items, compute lawful ranges.

`range` also says when the lint (`caseflow catalog check`) flags the basis it computes under —
a wrong article, a law that does not exist, a quotation that differs from the statute …: the
range is the article's, the officer must know the list cites it wrongly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from caseflow.cli.catalog_check import check
from caseflow.cli.output import emit, reported_errors

app = typer.Typer(help="权责清单事项目录。", no_args_is_help=True)
app.command("check")(check)


@app.command("import")
def import_list(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="已公布的权责清单（文本导出）"),
    agency: str = typer.Option(None, help="清单未写明实施机关时指定机关名称"),
    out: Path = typer.Option(..., "-o", "--out", help="输出目录"),
    overlay: Path = typer.Option(None, help="人工更正文件（默认 workflows/catalog/overlay.yaml）"),
) -> None:
    """导入一份权责清单，生成事项目录草稿文件。"""
    from caseflow.catalog.building import build_list, load_overlay
    from caseflow.catalog.files import write_list
    from caseflow.config import get_settings

    with reported_errors():
        edits = load_overlay(overlay or get_settings().workflows_dir / "catalog" / "overlay.yaml")
        items = build_list(file, agency=agency, overlay=edits)
        path = write_list(items, out)
    typer.echo(f"已导入 {len(items)} 项（行政处罚 {sum(i.power_type == '行政处罚' for i in items)} 项，"
               f"行政强制 {sum(i.power_type == '行政强制' for i in items)} 项）→ {path}")


@app.command("build")
def build_all() -> None:
    """从 ../shared/seeds 的全部清单重新生成 workflows/catalog/（应用 overlay.yaml）。"""
    from caseflow.catalog.building import build_list, load_overlay
    from caseflow.catalog.files import write_list
    from caseflow.catalog.lint.laws import default_known_laws
    from caseflow.config import get_settings

    settings = get_settings()
    out = settings.workflows_dir / "catalog"
    with reported_errors():
        edits = load_overlay(out / "overlay.yaml")
        laws = default_known_laws()  # the statutes the options are read from
        for seed in sorted(settings.seeds_dir.glob("*.txt")):
            path = write_list(build_list(seed, overlay=edits, laws=laws), out)
            typer.echo(f"{seed.name} → {path.relative_to(settings.workflows_dir.parent)}")


@app.command("list")
def list_items(
    agency: str = typer.Option(None, help="按实施机关筛选"),
    search: str = typer.Option("", help="按事项名称或编号查找"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出事项目录：编号、实施机关、类型、程序、承办科室。"""
    from caseflow.catalog.model import LIMITATION_YEARS
    from caseflow.catalog.service import get_catalog

    with reported_errors(as_json):
        items = get_catalog().search(search, agency=agency)
    rows = [
        {"key": i.key, "agency": i.agency, "name": i.name, "power_type": i.power_type,
         "published_type": i.published_type, "procedure": i.procedure, "department": i.department,
         "bases": [b.citation for b in i.bases], "notes": list(i.notes),
         "limitation_years": i.limitation_years, "limitation_reason": i.limitation_reason}
        for i in items
    ]
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['key']}  {r['power_type']}  {r['procedure']:<15}  {r['agency']}  {r['department'] or '—'}  {r['name']}"
        + (f"  追责时效{r['limitation_years']}年（行政处罚法第三十六条）"
           if r["limitation_years"] != LIMITATION_YEARS else "")
        + ("  ⚠ " + "；".join(r["notes"]) if r["notes"] else "")
        for r in rs) or "（无事项）")


@app.command("range")
def range_(
    item: str = typer.Argument(..., help="事项编号，如 004-05"),
    basis: str = typer.Option(..., help="依据条款，如 第四十条 或 《医疗保障基金使用监督管理条例》第四十条"),
    amount: str = typer.Option(None, help="计算倍数罚款的基数（元），如骗取金额"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """计算某事项某依据下的法定处罚幅度。"""
    from caseflow.catalog.lint import check_catalog, on_basis
    from caseflow.catalog.service import basis_ranges, find_basis, get_catalog
    from caseflow.config import get_settings

    with reported_errors(as_json):
        catalog = get_catalog()
        entry = catalog.item(item)
        chosen = find_basis(entry, basis)
        rows = basis_ranges(entry, chosen, amount)
        flagged = on_basis(check_catalog(get_settings().seeds_dir, catalog), entry.key,
                           chosen.citation)
    out = {"item": entry.key, "name": entry.name, "basis": chosen.citation, "measures": rows,
           "basis_flagged": _flagged_sentence(chosen.citation) if flagged else None,
           "basis_findings": [f.to_dict() for f in flagged]}
    emit(out, as_json, _range_text)


def _flagged_sentence(citation: str) -> str:
    return (f"注意：清单核查（caseflow catalog check）发现本事项对{citation}的引用有误，"
            "适用前请核对法规原文。")


def _range_text(o: dict[str, Any]) -> str:
    from caseflow.catalog.lint.findings import SEVERITY_LABEL
    from caseflow.catalog.model import PARTY, TARGET_LABEL

    lines = [f"{o['item']} {o['name']}", f"依据：{o['basis']}"]
    if o["basis_flagged"]:
        lines.append(o["basis_flagged"])
        lines += [f"  - [{SEVERITY_LABEL[f['severity']]}] {f['title']}：{f['reason']}"
                  for f in o["basis_findings"]]
        lines.append("处罚措施及幅度：")
    for m in o["measures"]:
        who = "" if m["target"] == PARTY else f"对{TARGET_LABEL.get(m['target'], m['target'])}："
        lines.append(
            f"  {who}{m['kind']}" + (f"（{m['condition']}）" if m["condition"] else "")
            + (f"：{m['explanation']}" if m["minimum"] is not None else "")
            + (f"（转由{m['by_other_authority']}依法办理，不由本局作出）"
               if m["by_other_authority"] else ""))
    return "\n".join(lines)
