"""证据材料 and 案卷 through the web: registering an item with a photo and a scan from the case page (the
plain form and the script's JSON answer) and through the API, downloading the same bytes back,
refusals that leave nothing behind (a renamed executable, a file over the limit, a body over the
limit, evidence after 调查终结), another agency's file, 撤回 with its reason, the 案卷评查 findings and
the 案卷 PDF, and the 笔录 step forms (问答 rows, 据以认定的证据)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import Engine, func, select

from caseflow.casefile.service import BoundVolume
from caseflow.cases import service as case_service
from caseflow.cases.models import CaseEvent
from caseflow.config import get_settings
from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN
from caseflow.evidence.models import EvidenceFile, EvidenceItem, EvidenceWithdrawal, StoredChunk, StoredFile
from caseflow.web.routes import api_evidence
from tests.helpers import Org, case_walked_to, events
from tests.web.conftest import case_path, login

ITEM = {"kind": "书证", "title": "住院病历12份", "source": "调取自测试医院病案室", "obtained_by": "复制",
        "collected_on": "2026-06-05", "proves": "证明当事人虚构诊疗项目的事实"}
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x01" * 120
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def pdf() -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def counts(engine: Engine) -> dict[str, int]:
    """Rows of every table an upload writes: a refusal must leave each as it was."""
    with unit_of_work(engine, write=False) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (EvidenceItem, EvidenceFile, EvidenceWithdrawal, StoredFile, StoredChunk, CaseEvent)}


@pytest.fixture
def investigating(engine: Engine, web_org: Org) -> str:
    """A case in 调查取证 (its 现场检查笔录 and 询问笔录 made: items 1 and 2)."""
    return case_walked_to(engine, web_org, "record_inquiry")


@pytest.fixture
def officer(client: TestClient, investigating: str) -> str:
    """diaocha1 signed in (an officer of the case); the page's CSRF token."""
    login(client, "diaocha1")
    return csrf_of(client.get(f"/cases/{case_path(investigating)}").text)


@pytest.fixture
def small_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A per-file limit of 1 MiB (so the body limit of the upload routes is 2 MiB)."""
    monkeypatch.setattr(get_settings(), "evidence_max_file_mib", 1)
    yield


def register_on_page(client: TestClient, case_no: str, csrf: str, files: list[tuple[str, bytes]],
                     *, as_json: bool = False, **fields: str) -> Any:
    data = {"csrf_token": csrf, **ITEM, **fields}
    headers = {"Accept": "application/json"} if as_json else {}
    return client.post(f"/cases/{case_path(case_no)}/evidence", data=data, headers=headers,
                       files=[("files", (name, body)) for name, body in files] or None, follow_redirects=False)


def register_by_api(client: TestClient, case_no: str, csrf: str, files: list[tuple[str, bytes]],
                    item: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/cases/{case_path(case_no)}/evidence", headers={"X-CSRF-Token": csrf},
                       data={"data": json.dumps(item or ITEM, ensure_ascii=False), "description": "扫描件"},
                       files=[("files", (name, body)) for name, body in files] or [("files", ("", b""))])


def listing(client: TestClient, case_no: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/cases/{case_path(case_no)}/evidence")
    assert r.status_code == 200, r.text
    return r.json()


# ── 登记 and download ──────────────────────────────────────────────────────
def test_a_photo_and_a_scan_registered_on_the_page_come_back_byte_for_byte(
        client: TestClient, investigating: str, officer: str) -> None:
    photo, scan = png(), pdf()
    r = register_on_page(client, investigating, officer, [("现场照片.png", photo), ("病历扫描.pdf", scan)],
                         description="病案室现场")
    assert r.status_code == 303, r.text
    assert r.headers["location"].endswith("#evidence")
    page = client.get(r.headers["location"]).text
    assert "已办理「登记证据：住院病历12份」" in page
    assert "现场照片.png" in page and "病历扫描.pdf" in page and "PNG图片" in page

    item = next(i for i in listing(client, investigating) if i["title"] == "住院病历12份")
    assert item["seq"] == 3 and item["collectors"] == ["王调查", "赵取证"]  # from the case's officers
    by_name = {f["filename"]: f for f in item["files"]}
    assert by_name["病历扫描.pdf"]["pages"] == 2 and by_name["现场照片.png"]["description"] == "病案室现场"
    for name, body, mime in (("现场照片.png", photo, "image/png"), ("病历扫描.pdf", scan, "application/pdf")):
        f = by_name[name]
        assert f["sha256"] == hashlib.sha256(body).hexdigest() and f["mime"] == mime
        for url in (f"/evidence-files/{f['id']}", f["download_url"]):
            got = client.get(url)
            assert got.status_code == 200 and got.content == body
            assert got.headers["content-type"].startswith(mime)
            assert got.headers["x-content-type-options"] == "nosniff"
            assert got.headers["x-content-sha256"] == hashlib.sha256(body).hexdigest()
            disposition = got.headers["content-disposition"]
            assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
            assert "%E7%8E%B0%E5%9C%BA" in disposition or "%E7%97%85%E5%8E%86" in disposition


def test_the_pages_script_gets_json_and_the_api_registers_with_its_files(
        client: TestClient, investigating: str, officer: str) -> None:
    r = register_on_page(client, investigating, officer, [("a.png", png())], as_json=True)
    assert r.status_code == 200 and r.json()["location"].endswith("?done=add_evidence#evidence")
    r = register_on_page(client, investigating, officer, [], as_json=True, kind="")
    assert r.status_code == 422 and r.json()["code"] == "INVALID_INPUT" and "kind" in r.json()["details"]

    r = register_by_api(client, investigating, officer, [("扫描.pdf", pdf())],
                        item={**ITEM, "title": "结算明细表", "collectors": "王调查、赵取证", "pages": 2})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["title"] == "结算明细表" and body["pages"] == 2 and body["files"][0]["description"] == "扫描件"
    seq = body["seq"]
    r = client.post(f"/api/cases/{case_path(investigating)}/evidence/{seq}/files",
                    headers={"X-CSRF-Token": officer}, files=[("files", ("补充.png", png()))])
    assert r.status_code == 201 and [f["filename"] for f in r.json()["files"]] == ["扫描.pdf", "补充.png"]
    bad = client.post(f"/api/cases/{case_path(investigating)}/evidence", headers={"X-CSRF-Token": officer},
                      data={"data": "{not json"})
    assert bad.status_code == 422 and bad.json()["details"] == {"data": "不是合法的 JSON"}
    nothing = client.post(f"/api/cases/{case_path(investigating)}/evidence/{seq}/files",
                          headers={"X-CSRF-Token": officer}, data={"description": "x"})
    assert nothing.status_code == 422 and nothing.json()["code"] == "FILE_MISSING"
    missing = client.post(f"/api/cases/{case_path(investigating)}/evidence/99/files",
                          headers={"X-CSRF-Token": officer}, files=[("files", ("a.png", png()))])
    assert missing.status_code == 404 and missing.json()["code"] == "EVIDENCE_NOT_FOUND"


def test_an_upload_is_spooled_to_disk_and_handed_on_as_a_stream(
        client: TestClient, investigating: str, officer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real = api_evidence.add_evidence

    def spy(**kwargs: Any) -> Any:
        seen.extend(up.source for up in kwargs["uploads"])
        return real(**kwargs)

    monkeypatch.setattr(api_evidence, "add_evidence", spy)
    body = b"\xe8\xaf\x81\xe6\x8d\xae,1\n" * 300_000  # 3 MB of CSV text: more than the 1 MB spooled in memory
    assert register_by_api(client, investigating, officer, [("明细.csv", body)]).status_code == 201
    assert len(seen) == 1 and getattr(seen[0], "_rolled", False)  # on disk, not in memory


def test_a_form_without_csrf_is_refused_before_anything_is_stored(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    before = counts(engine)
    r = register_on_page(client, investigating, "forged", [("a.png", png())])
    assert r.status_code == 403
    assert counts(engine) == before


# ── refusals leave nothing behind ─────────────────────────────────────────
def test_a_renamed_executable_is_refused_and_nothing_is_added(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    before = counts(engine)
    r = register_by_api(client, investigating, officer, [("photo.jpg", ELF)])
    assert r.status_code == 422 and r.json()["code"] == "FILE_TYPE_NOT_ALLOWED"
    assert "可执行程序" in r.json()["message"] and "与扩展名无关" in r.json()["message"]
    # one good photo and a Windows program renamed as a scan: the whole act is refused
    r = register_on_page(client, investigating, officer, [("ok.png", png()), ("scan.pdf", WINDOWS_EXE)],
                         as_json=True)
    assert r.status_code == 422 and r.json()["code"] == "FILE_TYPE_NOT_ALLOWED"
    assert "scan.pdf" in r.json()["message"] and "Windows可执行程序" in r.json()["message"]
    r = register_on_page(client, investigating, officer, [("photo.jpg", ELF)])  # no script: the page again
    assert r.status_code == 422 and "不是可作为证据上传的文件类型" in r.text
    assert 'value="住院病历12份"' in r.text  # what was typed stays
    assert counts(engine) == before


def test_a_file_over_the_limit_and_a_body_over_the_limit_are_refused(
        client: TestClient, engine: Engine, investigating: str, officer: str, small_files: None) -> None:
    before = counts(engine)
    r = register_by_api(client, investigating, officer, [("明细.csv", b"a,b,c\n" * 300_000)])  # 1.7 MiB
    assert r.status_code == 422 and r.json()["code"] == "FILE_TOO_LARGE" and "1MB" in r.json()["message"]
    r = register_by_api(client, investigating, officer, [("大.csv", b"a,b,c\n" * 600_000)])  # 3.4 MiB > 2 MiB
    assert r.status_code == 413 and r.json()["code"] == "REQUEST_TOO_LARGE"
    r = register_on_page(client, investigating, officer, [("大.csv", b"a,b,c\n" * 600_000)])
    assert r.status_code == 413 and "内容过大" in r.text

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it is read, never buffered
        yield (b'--b\r\nContent-Disposition: form-data; name="files"; filename="x.csv"\r\n'
               b"Content-Type: text/csv\r\n\r\n")
        for _ in range(3):
            yield b"a,b,c\n" * 200_000
        yield b"\r\n--b--\r\n"

    r = client.post(f"/api/cases/{case_path(investigating)}/evidence/1/files", content=chunked(),
                    headers={"X-CSRF-Token": officer, "Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413 and r.json()["code"] == "REQUEST_TOO_LARGE"
    assert counts(engine) == before
    # other routes keep the small limit
    r = client.post(f"/cases/{case_path(investigating)}/evidence/1/withdraw", data={"reason": "x" * (3 << 20)})
    assert r.status_code == 413


def test_after_the_investigation_is_concluded_evidence_is_closed(
        client: TestClient, engine: Engine, web_org: Org) -> None:
    no = case_walked_to(engine, web_org, "conclude_investigation")
    csrf = login(client, "diaocha1")
    page = client.get(f"/cases/{case_path(no)}").text
    assert 'id="evidence-add"' not in page and "补充调查" in page  # no form: said why
    before = counts(engine)
    r = register_by_api(client, no, csrf, [("a.png", png())])
    assert r.status_code == 409 and r.json()["code"] == "EVIDENCE_CLOSED"
    assert "调查取证" in r.json()["message"]
    r = client.post(f"/api/cases/{case_path(no)}/evidence/1/files", headers={"X-CSRF-Token": csrf},
                    files=[("files", ("a.png", png()))])
    assert r.status_code == 409 and r.json()["code"] == "EVIDENCE_CLOSED"
    page_csrf = csrf_of(page)
    r = register_on_page(client, no, page_csrf, [("a.png", png())])
    assert r.status_code == 409 and "不能登记证据" in r.text
    assert counts(engine) == before


def test_only_the_cases_officers_may_add_evidence(client: TestClient, investigating: str) -> None:
    csrf = login(client, "shencha")
    page = client.get(f"/cases/{case_path(investigating)}").text
    assert 'id="evidence-add"' not in page and "证据由本案承办人员" in page
    r = register_by_api(client, investigating, csrf, [("a.png", png())])
    assert r.status_code == 409 and r.json()["code"] == "EVIDENCE_NOT_OFFICER"


def test_another_agencys_user_finds_neither_the_file_nor_the_evidence(
        client: TestClient, investigating: str, officer: str) -> None:
    r = register_by_api(client, investigating, officer, [("a.png", png())])
    file_id = r.json()["files"][0]["id"]
    assert client.get(f"/evidence-files/{file_id}").status_code == 200
    login(client, "ps_lian")
    r = client.get(f"/evidence-files/{file_id}")
    assert r.status_code == 404 and "未找到该证据文件" in r.text
    r = client.get(f"/api/evidence-files/{file_id}")
    assert r.status_code == 404 and r.json()["code"] == "EVIDENCE_FILE_NOT_FOUND"
    assert client.get(f"/api/evidence-files/{file_id + 1000}").json()["code"] == "EVIDENCE_FILE_NOT_FOUND"
    for path in ("evidence", "file-review", "casefile.pdf?preview=true"):
        assert client.get(f"/api/cases/{case_path(investigating)}/{path}").status_code == 404


# ── 撤回 ───────────────────────────────────────────────────────────────────
def test_withdrawing_needs_a_reason_and_the_item_shows_withdrawn(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    r = register_by_api(client, investigating, officer, [("a.png", png()), ("b.png", png()[:-1] + b"\x82")])
    seq, files = r.json()["seq"], r.json()["files"]
    url = f"/cases/{case_path(investigating)}/evidence/{seq}/withdraw"
    before = counts(engine)
    r = client.post(url, data={"csrf_token": officer, "reason": "  "})
    assert r.status_code == 422 and "请填写撤回理由" in r.text
    assert counts(engine) == before
    r = client.post(f"/api/cases/{case_path(investigating)}/evidence/{seq}/withdraw",
                    headers={"X-CSRF-Token": officer}, json={"reason": "拍摄对象错误", "file_id": files[1]["id"]})
    assert r.status_code == 200 and r.json()["files"][1]["withdrawn"] == {"reason": "拍摄对象错误"}
    assert r.json()["withdrawn"] is None
    r = client.post(url, data={"csrf_token": officer, "reason": "与本案无关，误登记"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("done=withdraw_evidence#evidence")
    page = client.get(r.headers["location"]).text
    row = page[page.index(f'id="evidence-{seq}"'):]
    row = row[:row.index("</tr>")]
    assert 'class="withdrawn"' in row and "已撤回：与本案无关，误登记" in row and "已撤回：拍摄对象错误" in row
    assert events(engine, investigating)[-1].opinion == "与本案无关，误登记"
    item = next(i for i in listing(client, investigating) if i["seq"] == seq)
    assert item["withdrawn"]["reason"] == "与本案无关，误登记"
    r = client.post(url, data={"csrf_token": officer, "reason": "再撤一次"}, headers={"Accept": "application/json"})
    assert r.status_code == 409 and r.json()["code"] == "EVIDENCE_WITHDRAWN"


# ── 案卷评查 and the 案卷 ───────────────────────────────────────────────────
def test_the_file_review_lists_its_findings_on_the_api_and_the_page(
        client: TestClient, investigating: str, officer: str) -> None:
    assert register_by_api(client, investigating, officer, []).status_code == 201  # paper only
    r = client.get(f"/api/cases/{case_path(investigating)}/file-review")
    assert r.status_code == 200
    found = {f["code"]: f for f in r.json()}
    assert {"PARTY_IDENTITY_MISSING", "EVIDENCE_PAPER_ONLY", "RECORD_NOT_SIGNED"} <= set(found)
    assert found["EVIDENCE_PAPER_ONLY"]["required"] is False and "证据3" in found["EVIDENCE_PAPER_ONLY"]["message"]
    page = client.get(f"/cases/{case_path(investigating)}").text
    section = page[page.index('id="file-review"'):]
    assert "案卷评查" in page and found["EVIDENCE_PAPER_ONLY"]["message"] in section
    assert "预览案卷（PDF）" in section and "下载案卷" not in section  # not archived


def test_the_casefile_routes_answer_with_the_bound_pdf(
        client: TestClient, investigating: str, officer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def preview(engine: Engine, **kw: Any) -> list[BoundVolume]:
        calls.append(kw)
        return [BoundVolume("正卷预览（未归档）", "", b"%PDF-1.7 zheng", "a" * 64, 3, []),
                BoundVolume("副卷预览（未归档）", "", b"%PDF-1.7 fu", "b" * 64, 1, [])]

    monkeypatch.setattr(api_evidence, "preview_case_file", preview)
    r = client.get(f"/cases/{case_path(investigating)}/casefile.pdf?preview=1")
    assert r.status_code == 200 and r.content == b"%PDF-1.7 zheng"
    assert r.headers["content-type"] == "application/pdf" and r.headers["content-disposition"].startswith("inline")
    assert calls[-1]["case_no"] == investigating and calls[-1]["agency_id"] is not None
    r = client.get(f"/api/cases/{case_path(investigating)}/casefile.pdf?preview=true&volume=副卷&download=true")
    assert r.content == b"%PDF-1.7 fu" and r.headers["content-disposition"].startswith("attachment")
    assert "%E5%89%AF%E5%8D%B7" in r.headers["content-disposition"]  # 副卷 in the name
    # not archived: no bound 案卷
    r = client.get(f"/api/cases/{case_path(investigating)}/casefile.pdf")
    assert r.status_code == 404 and r.json()["code"] == "CASE_FILE_NOT_BOUND"
    assert client.get(f"/api/cases/{case_path(investigating)}/casefile.pdf?volume=甲卷").status_code == 422


# ── the 笔录 step forms ──────────────────────────────────────────────────────
def test_the_inquiry_form_draws_question_and_answer_rows_and_records_them(
        client: TestClient, engine: Engine, investigating: str, officer: str, renders: list[int | None]) -> None:
    page = client.get(f"/cases/{case_path(investigating)}").text
    form = page[page.index('id="step-record_inquiry"'):]
    form = form[:form.index("</form>")]
    assert 'name="qa[4].q"' in form and 'name="qa[4].a"' in form and 'name="qa[5].q"' not in form
    assert "data-qa-add" in form and "添加一问一答" in form
    inquiry = {"csrf_token": csrf_of(page), "acted_at": "2026-06-05 09:00", "ended_at": "2026-06-05 09:40",
               "place": "栾川县医疗保障局询问室", "persons": "王调查、赵取证", "credentials_shown": "1",
               "person_name": "孙某", "person_role": "证人", "qa[0].q": "你在医院担任什么职务？",
               "qa[0].a": "收费室负责人。", "qa[1].q": "", "qa[1].a": ""}
    r = client.post(f"/cases/{case_path(investigating)}/actions/record_inquiry",
                    data={**inquiry, "qa[2].q": "结算单是谁制作的？"})
    assert r.status_code == 422
    row = r.text[r.text.index('data-index="2"'):r.text.index('data-index="3"')]
    assert "问和答都须填写" in row  # under the row typed, though the validator counts it as the second
    assert 'name="qa[2].q" rows="1">结算单是谁制作的？</textarea>' in r.text
    r = client.post(f"/cases/{case_path(investigating)}/actions/record_inquiry",
                    data={**inquiry, "qa[2].q": "结算单是谁制作的？", "qa[2].a": "由收费室制作。"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    last = events(engine, investigating)[-1]
    assert last.trigger == "record_inquiry"
    assert last.payload["qa"] == [{"q": "你在医院担任什么职务？", "a": "收费室负责人。"},
                                  {"q": "结算单是谁制作的？", "a": "由收费室制作。"}]
    item = listing(client, investigating)[-1]
    assert item["title"] == "询问笔录（孙某）" and item["kind"] == "证人证言" and item["document_id"]


def test_the_conclusion_form_offers_the_evidence_to_rely_on(
        client: TestClient, engine: Engine, investigating: str, officer: str, renders: list[int | None]) -> None:
    page = client.get(f"/cases/{case_path(investigating)}").text
    form = page[page.index('id="step-conclude_investigation"'):]
    form = form[:form.index("</form>")]
    assert 'name="relied_on"' in form and "data-refs-boxes" in form
    assert re.search(r'<input type="checkbox" value="2">\s*2\. 询问笔录', form)  # no name: the script fills relied_on
    url = f"/cases/{case_path(investigating)}/actions/conclude_investigation"
    r = client.post(url, follow_redirects=False, data={
        "csrf_token": officer, "facts": "当事人虚构诊疗项目骗取医疗保障基金支出30,000.00元。",
        "violation_from": "2026-01-05", "violation_until": "2026-04-28", "amount_defrauded": "30000.00",
        "relied_on": "2、1", "reasons": "违反《医疗保障基金使用监督管理条例》第十五条第一款。",
        "penalties[0].kind": "责令退回", "penalties[0].amount": "30000.00", "penalties[0].basis": FRAUD_BASIS_RETURN,
        "penalties[1].kind": "罚款", "penalties[1].amount": "60000.00", "penalties[1].basis": FRAUD_BASIS_FINE,
        # 2×: the 河南 benchmark's 从轻 tier, on the circumstance found (《行政处罚法》第三十二条第（一）项)
        "factors[0].factor": "remedied_harm", "factors[0].evidence": "退款回单"})
    assert r.status_code == 303, r.text
    with unit_of_work(engine, write=False) as s:
        assert case_service.get_case(db_session=s, case_no=investigating).relied_evidence == [1, 2]
    assert [i["relied_on"] for i in listing(client, investigating)] == [True, True]


def test_the_upload_routes_are_documented_as_multipart(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()["paths"]
    body = spec["/api/cases/{case_no}/evidence"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(body["properties"]) == {"data", "files", "description"} and body["required"] == ["data"]
    assert "413" in spec["/api/cases/{case_no}/evidence/{seq}/files"]["post"]["responses"]
    for path in ("/api/cases/{case_no}/evidence/{seq}/withdraw", "/api/cases/{case_no}/file-review",
                 "/api/evidence-files/{file_id}", "/api/cases/{case_no}/casefile.pdf"):
        assert path in spec
