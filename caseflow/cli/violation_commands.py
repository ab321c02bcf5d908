"""`caseflow case violation …`: 登记、撤回、列出 a case's violations, with the 违法明细 imported from an
.xlsx or .csv file (`--details`), and the blank 明细 template (`template`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from caseflow.cli.lazy import get_user_by_username, unit_of_work
from caseflow.cli.output import emit, json_object, reported_errors
from caseflow.errors import InvalidInput

app = typer.Typer(help="违法行为：登记（附违法明细）、撤回、列出。", no_args_is_help=True)


def _text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        mark = f"  〔已撤回：{r['withdrawn']['reason']}〕" if r["withdrawn"] else ""
        period = r["period_from"] + (f"至{r['period_until']}" if r["period_until"] else "") if r["period_from"] else "—"
        money = (f"，违规费用{r['amount_involved']}元，基金损失{r['amount_loss']}元" if r["amount_loss"] else "")
        lines.append(f"{r['seq']:>3}. {r['conduct']}（{period}{money}，明细{r['rows']}条）{mark}")
        if r["punished_by"]:
            lines.append(f"       违反：{r['rule_breached'] or '—'}；处罚依据：{r['punished_by']}")
    return "\n".join(lines) or "（尚未登记违法行为）"


@app.command("list")
def list_violations(case_no: str = typer.Argument(..., help="案号"),
                    as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出案件的违法行为（含已撤回的）。"""
    from caseflow.cases.lookup import get_case
    from caseflow.cases.violations import listing

    with reported_errors(as_json), unit_of_work(write=False) as s:
        rows = listing(get_case(db_session=s, case_no=case_no))
    emit(rows, as_json, _text)


@app.command("add")
def add(
    case_no: str = typer.Argument(..., help="案号"),
    as_user: str = typer.Option(..., "--as", help="登记人（本案承办人员）用户名"),
    data: str = typer.Option(..., help='违法行为（JSON），如 {"conduct":"虚构医药服务项目","facts":"……"}'),
    details: Path = typer.Option(None, "--details", help="违法明细文件（.xlsx 或 .csv），金额由明细合计"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """登记一项违法行为（调查取证阶段，本案承办人员），违法明细可从 Excel/CSV 导入。"""
    from caseflow.cases import violation_acts
    from caseflow.legal_time import SHANGHAI
    from caseflow.violations.importer import import_details

    with reported_errors(as_json):
        rows = None
        if details is not None:
            if not details.is_file():
                raise InvalidInput(f"找不到文件「{details}」。", code="FILE_MISSING", details={"details_file": str(details)})
            rows = import_details(details.read_bytes(), details.name, today=datetime.now(SHANGHAI).date())
        with unit_of_work() as s:
            actor = get_user_by_username(db_session=s, username=as_user)
            v = violation_acts.add_violation(db_session=s, case_no=case_no, actor_id=actor.id,
                                             payload=json_object(data, field="data", what="违法行为"), imported=rows)
            out = {"case_no": case_no, "seq": v.seq, "conduct": v.conduct, "rows": len(rows or v.details or []),
                   "amount_loss": f"{v.amount_loss:.2f}" if v.amount_loss is not None else None}
    emit(out, as_json, lambda o: f"{o['case_no']}：已登记违法行为第{o['seq']}项「{o['conduct']}」，明细{o['rows']}条"
         + (f"，基金损失{o['amount_loss']}元。" if o["amount_loss"] else "。"))


@app.command("withdraw")
def withdraw(
    case_no: str = typer.Argument(..., help="案号"),
    seq: int = typer.Argument(..., help="违法行为序号"),
    reason: str = typer.Option(..., help="撤回理由"),
    as_user: str = typer.Option(..., "--as", help="本案承办人员用户名"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """撤回一项违法行为：保留在案并注明理由，金额合计随之变更。"""
    from caseflow.cases import violation_acts

    with reported_errors(as_json), unit_of_work() as s:
        actor = get_user_by_username(db_session=s, username=as_user)
        violation_acts.withdraw_violation(db_session=s, case_no=case_no, seq=seq, actor_id=actor.id, reason=reason)
        out = {"case_no": case_no, "seq": seq}
    emit(out, as_json, lambda o: f"{o['case_no']}：已撤回违法行为第{o['seq']}项。")


@app.command("template")
def template(output: Path = typer.Option(Path("违法明细模板.xlsx"), "-o", help="保存到")) -> None:
    """生成空白的违法明细 Excel 模板。"""
    from caseflow.violations.importer import template_xlsx

    output.write_bytes(template_xlsx())
    typer.echo(f"已保存：{output}")
