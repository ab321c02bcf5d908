"""`caseflow doc`: list a case's documents, write one out as PDF (checked against its stored SHA-256),
re-issue a corrected version, record another service of one, and render the PDFs still pending."""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import typer

from caseflow.cli.lazy import default_engine, get_user_by_username, unit_of_work
from caseflow.cli.output import emit, json_object, reported_errors

app = typer.Typer(help="执法文书：列出、导出PDF、更正重出。", no_args_is_help=True)


def _list_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "本案尚无文书。"
    lines = []
    for r in rows:
        served = "；".join(f"{d['served_at']} {d['method']}给{d['recipient']}" for d in r["deliveries"])
        lines.append(
            f"[{r['id']}] {r['title']}{'（' + r['doc_no'] + '）' if r['doc_no'] else ''}"
            f"{' 第' + str(r['version']) + '版' if r['version'] > 1 else ''}  {r['issued_at']} {r['issued_by']}"
            f"  {r['status_name']}{'  SHA-256 ' + r['sha256'][:16] + '…' if r['sha256'] else ''}"
            + (f"\n      送达：{served}" if served else "")
            + (f"\n      更正理由：{r['reason']}" if r["reason"] else "")
        )
    return "\n".join(lines)


@app.command("list")
def list_documents(
    case_no: str = typer.Argument(..., help="案号"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出案件的全部文书（含历次更正版本）及其送达记录。"""
    from caseflow.cases.lookup import get_case
    from caseflow.documents.presenters import document_row
    from caseflow.documents.service import documents_of

    with reported_errors(as_json), unit_of_work(default_engine(), write=False) as s:
        case = get_case(db_session=s, case_no=case_no)
        rows = [document_row(d) for d in documents_of(db_session=s, case_id=case.id)]
    emit(rows, as_json, _list_text)


@lru_cache(maxsize=1)
def _freeze_at_exit() -> None:
    """Register `gc.freeze` to run at exit, once per process."""
    atexit.register(gc.freeze)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while one document is exported. The command loads
    SQLAlchemy, the models and WeasyPrint (≈140 000 objects, kept to the end) to render once: the
    collector's passes over them cost ≈0.15 s of a one-shot `doc render` and found ≈1 600 objects
    to free; a render's own garbage goes by reference counting. Restored after, for a caller that
    goes on (the tests' CliRunner).

    Two more passes over them are avoided (≈0.08 s each): the one the collector, enabled again,
    would start at once (everything allocated meanwhile is still its youngest generation), and the
    interpreter's last one at exit. Before enabling it, `gc.freeze()` + `gc.unfreeze()` moves the
    objects to the oldest generation, where they are collected as usual by later full passes; at
    exit, `gc.freeze()` (atexit) leaves them to the operating system. The command closes what it
    opened itself (the PDF written, the engine disposed), so nothing waits on that last pass."""
    _freeze_at_exit()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


@app.command("render")
def render(
    case_no: str = typer.Argument(..., help="案号"),
    doc_type: str = typer.Argument(..., help="文书类型，如 penalty_decision（见 doc list）"),
    output: Path = typer.Option(..., "-o", "--output", help="PDF 输出文件"),
    version: int = typer.Option(None, help="版本（默认最新）"),
    series: int = typer.Option(None, help="同类第几份（默认最近一份）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """导出案件的一份文书为 PDF：按存档数据重新生成，并与存档的 SHA-256 核对。"""
    with _collector_paused(), reported_errors(as_json):
        from caseflow.cases.lookup import get_case
        from caseflow.documents.service import find_document, pdf_of, verify

        engine = default_engine()
        try:
            with unit_of_work(engine, write=False) as s:
                case = get_case(db_session=s, case_no=case_no)
                doc_id = find_document(db_session=s, case_id=case.id, case_no=case.case_no,
                                       doc_type=doc_type, series=series, version=version)
            doc, pdf = pdf_of(engine, document_id=doc_id)
        finally:
            engine.dispose()  # closed now, not left to the collection at exit (frozen, see above)
        check = verify(doc)
        output.write_bytes(pdf)
        out = {"id": doc.id, "title": doc.title, "doc_no": doc.doc_no, "version": doc.version,
               "file": str(output), "size": len(pdf), "sha256": doc.sha256, "reproduced": check.ok}
    emit(out, as_json, lambda o: (
        f"已写出《{o['title']}》{o['doc_no'] or ''}（第{o['version']}版）到 {o['file']}，{o['size'] // 1024} KB。\n"
        + (f"按存档数据重新生成，与存档 SHA-256 一致：{o['sha256']}" if o["reproduced"]
           else f"注意：按存档数据重新生成的文件与存档 SHA-256（{o['sha256']}）不一致，已写出存档文件。")))


@app.command("reissue")
def reissue(
    document_id: int = typer.Argument(..., help="文书编号（见 doc list）"),
    as_user: str = typer.Option(..., "--as", help="办理人用户名"),
    reason: str = typer.Option(..., help="更正理由"),
    corrections: str = typer.Option("{}", help="更正的内容（JSON，结构同文书数据，如 {\"facts\": \"…\"}）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """更正文书：以原文号出具新版本，原版本保留。"""
    from caseflow.cases.document_acts import reissue_document
    from caseflow.documents.service import render_pending

    engine = default_engine()
    with reported_errors(as_json):
        changes = json_object(corrections, field="corrections", what="更正内容")
        with unit_of_work(engine) as s:
            actor = get_user_by_username(db_session=s, username=as_user)
            doc = reissue_document(db_session=s, document_id=document_id, actor_id=actor.id,
                                   reason=reason, corrections=changes)
            out = {"id": doc.id, "title": doc.title, "doc_no": doc.doc_no, "version": doc.version,
                   "case_id": doc.case_id}
        render_pending(engine, case_id=out["case_id"])
    emit(out, as_json, lambda o: f"已出具《{o['title']}》{o['doc_no'] or ''}第{o['version']}版（文书编号{o['id']}）。")


@app.command("deliver")
def deliver(
    document_id: int = typer.Argument(..., help="文书编号（见 doc list）"),
    as_user: str = typer.Option(..., "--as", help="办理人用户名"),
    method: str = typer.Option("直接送达", help="直接送达、留置送达、邮寄送达、委托送达、电子送达、公告送达"),
    served_at: str = typer.Option(None, help="送达时间，如 2026-07-11T15:00（默认现在）"),
    signed_at: str = typer.Option(None, help="邮寄送达：回执上注明的收件日期（《民事诉讼法》第九十一条）"),
    published_at: str = typer.Option(None, help="公告送达：发出公告的日期，经过三十日视为送达（第九十五条）"),
    recipient: str = typer.Option(None, help="受送达人（默认当事人）"),
    place: str = typer.Option(None, help="送达地点（默认当事人地址）"),
    witness: str = typer.Option(None, help="见证人（留置送达）"),
    refusal_reason: str = typer.Option(None, help="拒收事由（留置送达）"),
    note: str = typer.Option(None, help="备注（公告送达须说明无法以其他方式送达的情况）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """再次送达一份文书（如更正后的新版本、公告送达），并出具送达回证。"""
    from caseflow.cases.document_acts import deliver_document
    from caseflow.documents.service import render_pending

    payload = {k: v for k, v in {"method": method, "served_at": served_at, "signed_at": signed_at,
                                 "published_at": published_at, "recipient": recipient,
                                 "service_place": place, "witness": witness,
                                 "refusal_reason": refusal_reason, "service_note": note}.items() if v}
    engine = default_engine()
    with reported_errors(as_json):
        with unit_of_work(engine) as s:
            actor = get_user_by_username(db_session=s, username=as_user)
            d = deliver_document(db_session=s, document_id=document_id, actor_id=actor.id, payload=payload)
            out = {"delivery_id": d.id, "method": d.method, "recipient": d.recipient,
                   "receipt_id": d.receipt_id, "case_id": d.case_id}
        render_pending(engine, case_id=out["case_id"])
    emit(out, as_json, lambda o: f"已记录{o['method']}给{o['recipient']}，送达回证文书编号{o['receipt_id']}。")


@app.command("render-pending")
def render_pending_command(
    limit: int = typer.Option(500, min=1, help="本次最多生成的份数"),
) -> None:
    """生成尚未生成 PDF 的文书（通常由办理步骤或定时任务自动完成）。"""
    from caseflow.documents.service import render_pending

    with reported_errors():
        n = render_pending(default_engine(), limit=limit)
    typer.echo(f"已生成 {n} 份文书PDF。")
