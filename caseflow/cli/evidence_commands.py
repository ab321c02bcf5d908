"""`caseflow case evidence …` (登记、上传、撤回、列出证据材料), `caseflow case review` (案卷评查) and
`caseflow case file` (the bound 案卷 PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from caseflow.cli.lazy import default_engine, get_user_by_username, unit_of_work
from caseflow.cli.output import emit, json_object, reported_errors
from caseflow.errors import InvalidInput

if TYPE_CHECKING:
    from caseflow.cases.evidence_acts import Upload

app = typer.Typer(help="证据材料：登记、上传文件、撤回、列出。", no_args_is_help=True)


def _uploads(paths: list[Path]) -> list[Upload]:
    from caseflow.cases import evidence_acts

    out = []
    for p in paths:
        if not p.is_file():
            raise InvalidInput(f"找不到文件「{p}」。", code="FILE_MISSING", details={"files": str(p)})
        out.append(evidence_acts.Upload(name=p.name, source=p.open("rb")))
    return out


def _text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        mark = f"  〔已撤回：{r['withdrawn']['reason']}〕" if r["withdrawn"] else ""
        lines.append(f"{r['seq']:>3}. {r['title']}（{r['kind']}，{r['obtained_by']}，{r['source']}，"
                     f"收集人{'、'.join(r['collectors'])}，{r['collected_on']}）{mark}")
        lines += [f"       文件：{f['filename']}（{f['type']}，{f['size_text']}，SHA-256 {f['sha256'][:16]}…）"
                  + ("〔已撤回〕" if f["withdrawn"] else "") for f in r["files"]]
    return "\n".join(lines) or "（尚未登记证据）"


@app.command("list")
def list_evidence(case_no: str = typer.Argument(..., help="案号"),
                  as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出案件的证据材料（含已撤回的）。"""
    from caseflow.cases.evidence_listing import evidence_listing
    from caseflow.cases.lookup import get_case

    with reported_errors(as_json), unit_of_work(write=False) as s:
        rows = evidence_listing(s, get_case(db_session=s, case_no=case_no))
    emit(rows, as_json, _text)


@app.command("add")
def add(
    case_no: str = typer.Argument(..., help="案号"),
    as_user: str = typer.Option(..., "--as", help="登记人（本案承办人员）用户名"),
    data: str = typer.Option(..., help='证据数据（JSON），如 {"kind":"书证","title":"住院病历12份",'
                                       '"source":"调取自××医院","obtained_by":"复制","collected_on":"2026-06-03"}'),
    files: list[Path] = typer.Option([], "--file", help="证据文件（扫描件、照片、录音录像等），可多次指定"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """登记一项证据材料（调查取证阶段，本案承办人员），可同时上传文件。"""
    from caseflow.cases import evidence_acts

    with reported_errors(as_json):
        uploads = _uploads(files)
        with unit_of_work() as s:
            actor = get_user_by_username(db_session=s, username=as_user)
            item = evidence_acts.add_evidence(db_session=s, case_no=case_no, actor_id=actor.id,
                                              payload=json_object(data, field="data", what="证据数据"), uploads=uploads)
            out = {"case_no": case_no, "seq": item.seq, "title": item.title, "files": len(uploads)}
    emit(out, as_json, lambda o: f"{o['case_no']}：已登记证据第{o['seq']}号「{o['title']}」，上传文件{o['files']}个。")


@app.command("upload")
def upload(
    case_no: str = typer.Argument(..., help="案号"),
    seq: int = typer.Argument(..., help="证据序号"),
    files: list[Path] = typer.Argument(..., help="文件"),
    as_user: str = typer.Option(..., "--as", help="上传人（本案承办人员）用户名"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """为已登记的证据上传文件（如签名后的笔录扫描件）。"""
    from caseflow.cases import evidence_acts

    with reported_errors(as_json):
        uploads = _uploads(files)
        with unit_of_work() as s:
            actor = get_user_by_username(db_session=s, username=as_user)
            rows = evidence_acts.attach_files(db_session=s, case_no=case_no, seq=seq, actor_id=actor.id,
                                              uploads=uploads)
            out = {"case_no": case_no, "seq": seq, "files": [{"id": f.id, "filename": f.filename,
                                                              "sha256": f.sha256} for f in rows]}
    emit(out, as_json, lambda o: f"{o['case_no']}：证据第{o['seq']}号已上传文件" + "、".join(
        f"「{f['filename']}」" for f in o["files"]) + "。")


@app.command("withdraw")
def withdraw(
    case_no: str = typer.Argument(..., help="案号"),
    seq: int = typer.Argument(..., help="证据序号"),
    reason: str = typer.Option(..., help="撤回理由"),
    file_id: int = typer.Option(None, "--file-id", help="只撤回该证据的这个文件"),
    as_user: str = typer.Option(..., "--as", help="本案承办人员用户名"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """撤回证据（或其一个文件）：保留在案并注明理由，不删除。"""
    from caseflow.cases import evidence_acts

    with reported_errors(as_json), unit_of_work() as s:
        actor = get_user_by_username(db_session=s, username=as_user)
        evidence_acts.withdraw_evidence(db_session=s, case_no=case_no, seq=seq, actor_id=actor.id,
                                        reason=reason, file_id=file_id)
        out = {"case_no": case_no, "seq": seq, "file_id": file_id}
    emit(out, as_json, lambda o: f"{o['case_no']}：已撤回证据第{o['seq']}号" + ("的文件" if o["file_id"] else "") + "。")


def review(case_no: str = typer.Argument(..., help="案号"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """案卷评查：列出评查会指出的问题（标“须处理”的未处理不能结案）。"""
    from caseflow.cases.evidence_listing import file_review_listing
    from caseflow.cases.lookup import get_case

    with reported_errors(as_json), unit_of_work(write=False) as s:
        rows = file_review_listing(s, get_case(db_session=s, case_no=case_no))
    emit(rows, as_json, lambda rs: "\n".join(
        f"{'【须处理】' if r['required'] else '【提示】'}{r['message']}" for r in rs) or "案卷评查未发现问题。")


def case_file(
    case_no: str = typer.Argument(..., help="案号"),
    output: Path = typer.Option(..., "-o", "--output", help="保存为（PDF），如 案卷.pdf；有副卷时另存为 <名>-副卷.pdf"),
    preview: bool = typer.Option(False, help="未归档的案件：按现状装订预览（不保存）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """导出案件的案卷PDF（归档时装订：封面、卷内目录、文书、证据、备考表）。"""
    from caseflow.casefile.service import case_file as bound, preview_case_file

    with reported_errors(as_json):
        volumes = (preview_case_file if preview else bound)(default_engine(), case_no=case_no)
        written = []
        for v in volumes:
            path = output.with_name(f"{output.stem}-副卷{output.suffix}") if "副卷" in v.volume else output
            path.write_bytes(v.pdf)
            written.append({"volume": v.volume or "案卷", "path": str(path), "pages": v.pages, "sha256": v.sha256})
    emit(written, as_json, lambda ws: "\n".join(
        f"{w['volume']}：{w['path']}（{w['pages']}页，SHA-256 {w['sha256']}）" for w in ws))
