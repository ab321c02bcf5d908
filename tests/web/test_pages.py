"""The pages: each renders for a signed-in user, forms carry CSRF, errors show in Chinese in place."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.demo.scenarios import PHARMACY_FINDING, to_legal_review
from caseflow.demo.walk import sh
from tests.helpers import Org, Runner, events, open_case, walk
from tests.web.conftest import case_path, login


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def test_every_page_renders(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "juzhang")
    for path in ("/", "/cases", "/cases?overdue=1&q=测试", "/cases-new?q=骗取", "/review", "/dashboard",
                 "/legal-time", "/legal-time?start=2026-09-30&period=7工作日", f"/cases/{case_path(no)}"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:500])
        assert "<html lang=\"zh-CN\">" in r.text and "Traceback" not in r.text


def test_case_page_shows_my_steps_as_forms_and_others_with_reasons(client: TestClient, engine: Engine,
                                                                   web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    html = client.get(f"/cases/{case_path(no)}").text
    assert 'id="step-submit_filing"' in html and 'name="csrf_token"' in html
    assert "流程图" in html and "<svg" in html
    assert 'id="documents"' in html  # the place kept for documents


def test_step_form_post_takes_the_step_and_redirects(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    html = client.get(f"/cases/{case_path(no)}").text
    r = client.post(f"/cases/{case_path(no)}/actions/submit_filing", follow_redirects=False,
                    data={"csrf_token": csrf_of(html), "source": "群众举报", "amount_involved": "1200.50",
                          "facts": "线索反映的违法事实。"})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "已办理「提请立案审批」" in page and "立案审批" in page
    assert events(engine, no)[-1].payload["source"] == "群众举报"


def test_step_form_without_csrf_is_refused(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    r = client.post(f"/cases/{case_path(no)}/actions/submit_filing", data={"source": "x"})
    assert r.status_code == 403 and "CSRF" in r.text
    assert events(engine, no)[-1].trigger != "submit_filing"


def test_refused_step_renders_the_page_with_the_rule(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    csrf = csrf_of(client.get(f"/cases/{case_path(no)}").text)
    client.post(f"/cases/{case_path(no)}/actions/submit_filing",
                data={"csrf_token": csrf, "facts": "线索反映的违法事实。"})
    login(client, "juzhang")
    csrf = csrf_of(client.get(f"/cases/{case_path(no)}").text)
    r = client.post(f"/cases/{case_path(no)}/actions/reject_filing", data={"csrf_token": csrf})
    assert r.status_code == 409
    assert "OPINION_REQUIRED" in r.text and "须填写意见或理由" in r.text


def test_review_queue_approves_in_place(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org, party=None)
    runner = Runner(engine, web_org, reload=True)
    finding = {**PHARMACY_FINDING, "penalties": [
        {"kind": "罚款", "amount": "3000.00",
         "basis": "《医疗保障基金使用监督管理条例》第四十条第一款：处骗取金额2倍以上5倍以下的罚款"}],
        "amount_defrauded": "1000.00"}
    walk(runner, no, to_legal_review(sh("2026-06-01 09:00"), finding))
    login(client, "shencha")
    html = client.get("/review").text
    assert no in html and "审核通过" in html
    r = client.post(f"/cases/{case_path(no)}/actions/approve_legal_review", follow_redirects=False,
                    data={"csrf_token": csrf_of(html), "opinion": "同意。", "back": "/review",
                          "expected_version": re.search(r'name="expected_version" value="(\d+)"', html).group(1)})
    assert r.status_code == 303 and r.headers["location"].startswith("/review?done=approve_legal_review&case=")
    assert events(engine, no)[-1].actor_id == web_org.users["shencha"]
    assert no not in client.get("/review").text


def test_new_case_form_shows_party_errors_by_field(client: TestClient, web_org: Org) -> None:
    login(client, "lian")
    html = client.get("/cases-new?item=004-05").text
    r = client.post("/cases-new", data={
        "csrf_token": csrf_of(html), "item_key": "004-05", "title": "测试案件",
        "party_kind": "individual", "party_name": "张某", "party_address": "栾川县",
        "party_id_number": "410324199003150019", "lead": "diaocha1", "assistant": "diaocha2"})
    assert r.status_code == 422
    assert 'class="ferr"' in r.text and "测试案件" in r.text  # the form keeps what was typed
    r = client.post("/cases-new", follow_redirects=False, data={
        "csrf_token": csrf_of(html), "item_key": "004-05", "title": "测试案件",
        "party_kind": "individual", "party_name": "张某", "party_address": "栾川县",
        "party_id_number": "410324199003150018", "lead": "diaocha1", "assistant": "diaocha2"})
    assert r.status_code == 303
    assert "登记案件" in client.get(r.headers["location"]).text


def test_calculator_shows_reasoning_and_chinese_errors(client: TestClient, web_org: Org) -> None:
    login(client, "lian")
    r = client.get("/legal-time", params={"start": "2026-09-30", "period": "7工作日"})
    assert "届满" in r.text and "理由" in r.text
    r = client.get("/legal-time", params={"start": "昨天", "period": "7工作日"})
    assert r.status_code == 422 and "无法识别起算时间" in r.text


def test_unknown_page_is_a_chinese_404(client: TestClient, web_org: Org) -> None:
    login(client, "lian")
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "页面不存在" in r.text


def test_api_docs_and_pages_load_nothing_from_outside(client: TestClient) -> None:
    """/docs serves Swagger UI's files itself; no page template points at a CDN."""
    html = client.get("/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    from caseflow.web.templating import STATIC_DIR

    templates = STATIC_DIR.parent / "templates"
    for page in templates.glob("*.html"):
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page.read_text()), page.name


def test_refusing_and_returning_steps_are_drawn_apart_from_approval(client: TestClient, engine: Engine,
                                                                    web_org: Org) -> None:
    from tests.helpers import case_walked_to

    no = case_walked_to(engine, web_org, "submit_filing")
    login(client, "juzhang")
    html = client.get(f"/cases/{case_path(no)}").text

    def button(trigger: str) -> str:
        form = html[html.index(f'id="step-{trigger}"'):]
        return re.search(r"<button class=\"(\w+)\">", form[:form.index("</form>")]).group(1)  # type: ignore[union-attr]

    assert (button("approve_filing"), button("reject_filing"), button("return_filing")) == (
        "primary", "danger", "danger")


def test_step_forms_start_from_what_the_case_already_records(client: TestClient, engine: Engine,
                                                             web_org: Org) -> None:
    from tests.helpers import case_walked_to

    no = case_walked_to(engine, web_org, "record_inquiry")  # evidence registered: 调查终结 is ready
    login(client, "diaocha1")
    html = client.get(f"/cases/{case_path(no)}").text
    form = html[html.index('id="step-conclude_investigation"'):]
    form = form[:form.index("</form>")]
    facts = re.search(r'<textarea name="facts"[^>]*>([^<]*)</textarea>', form).group(1)  # type: ignore[union-attr]
    assert facts.strip(), "the facts recorded at 立案 start the 调查终结 form"
    assert facts.strip() in html[:html.index('id="step-conclude_investigation"')]  # the same as shown above


def test_step_forms_are_drawn_from_the_declared_inputs_and_checked_by_them(client: TestClient, engine: Engine,
                                                                           web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    html = client.get(f"/cases/{case_path(no)}").text
    form = html[html.index('id="step-submit_filing"'):]
    form = form[:form.index("</form>")]
    for name in ("source", "facts", "violation_from", "violation_until", "amount_involved", "amount_defrauded",
                 "amount_loss"):  # the inputs 提请立案审批 declares in workflows/procedures
        assert f'name="{name}"' in form, name
    assert "JSON" not in html and "payload_json" not in html  # no officer types JSON
    # Money and dates as people write them; a field the step does not declare is refused.
    r = client.post(f"/cases/{case_path(no)}/actions/submit_filing",
                    data={"csrf_token": csrf_of(html), "facts": "线索反映的违法事实。", "amount_involved": "12,680.50",
                          "violation_from": "2026年3月1日", "major_case": "1"})
    assert r.status_code == 422 and "本步骤不接受「major_case」" in r.text
    assert 'value="12,680.50"' in r.text  # what was typed is kept
    r = client.post(f"/cases/{case_path(no)}/actions/submit_filing", follow_redirects=False,
                    data={"csrf_token": csrf_of(html), "facts": "线索反映的违法事实。", "amount_involved": "12,680.50",
                          "violation_from": "2026年3月1日"})
    assert r.status_code == 303
    payload = events(engine, no)[-1].payload
    assert payload["amount_involved"] == "12680.50" and payload["violation_from"] == "2026-03-01"


def test_on_site_forms_start_from_the_officers_and_penalty_kinds_from_the_items_basis(
        client: TestClient, engine: Engine, web_org: Org) -> None:
    from caseflow.cases.penalties import KINDS
    from tests.helpers import Runner, through

    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=False)
    walk(runner, no, through("start_investigation"))
    login(client, "diaocha1")
    html = client.get(f"/cases/{case_path(no)}").text
    form = html[html.index('id="step-record_inspection"'):]
    form = form[:form.index("</form>")]
    assert re.search(r'name="persons" value="王调查、赵取证"', form), form[:2000]
    walk(runner, no, through("record_inquiry")[len(through("start_investigation")):])
    html = client.get(f"/cases/{case_path(no)}").text
    form = html[html.index('id="step-conclude_investigation"'):]
    form = form[:form.index("</form>")]
    runner.close()
    offered = set(re.findall(r"<option[^>]*>([^<]+)</option>", form)) & KINDS
    assert offered and offered < KINDS and "停止社会救助" not in offered  # the basis' own, not all fifteen


def test_the_case_page_says_what_happens_next_and_no_internal_text(client: TestClient, engine: Engine,
                                                                  web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "shencha")  # not the one to act: the page says who must, and by when
    html = client.get(f"/cases/{case_path(no)}").text
    nxt = re.sub(r"<[^>]+>", "", html[html.index('class="next-step'):html.index("</div>", html.index('class="next-step'))])
    assert "下一步：" in nxt and "提请立案审批" in nxt and "立案岗（李立安）" in nxt and "线索核查期限" in nxt, nxt
    shown = re.sub(r"<[^>]+>", " ", html)  # what a person reads (tooltips may keep the notes)
    for internal in ("POST_REQUIRED", "原文未核实", "可配置", "版本 ", "workflows/", ".yaml"):
        assert internal not in shown, internal
    login(client, "lian")  # the one to act: one primary step, the optional powers folded away
    html = client.get(f"/cases/{case_path(no)}").text
    assert 'href="#step-submit_filing">现在办理' in html
    assert html.index('id="step-submit_filing"') < html.index('class="more-actions"') \
        if 'class="more-actions"' in html else True


def test_a_return_is_shown_beside_the_step_that_answers_it(client: TestClient, engine: Engine,
                                                           web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    csrf = csrf_of(client.get(f"/cases/{case_path(no)}").text)
    client.post(f"/cases/{case_path(no)}/actions/submit_filing", data={"csrf_token": csrf, "facts": "线索反映的违法事实。"})
    login(client, "juzhang")
    csrf = csrf_of(client.get(f"/cases/{case_path(no)}").text)
    r = client.post(f"/cases/{case_path(no)}/actions/return_filing", follow_redirects=False,
                    data={"csrf_token": csrf, "opinion": "线索来源不清，请补充核实后再报。"})
    assert r.status_code == 303
    login(client, "lian")
    html = client.get(f"/cases/{case_path(no)}").text
    card = html[html.index('class="next-step'):html.index('class="case-grid"')]
    assert "退回立案申请" in card and "线索来源不清，请补充核实后再报。" in card and "现在办理" in card


def test_the_review_queue_shows_the_lawful_range_and_takes_the_review_points(client: TestClient, engine: Engine,
                                                                            web_org: Org) -> None:
    from caseflow.documents import snapshot
    from tests.documents.test_records import _docs
    from tests.helpers import Runner, through

    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=False)
    walk(runner, no, through("submit_legal_review"))
    runner.close()
    login(client, "shencha")
    page = client.get("/review").text
    card = page[page.index(no):]
    assert "法定幅度" in card and 'name="point_evidence"' in card and "审核通过（重大案件" in card
    # 法制审核 reads the evidence the proposal rests on: the 笔录 and the 证据清单, one click away.
    evidence = card[card.index("据以认定的证据"):card.index("</ol>")]
    assert "询问笔录（刘某）（当事人的陈述" in evidence and "现场检查笔录" in evidence and "证据清单（PDF）" in evidence
    r = client.post(f"/cases/{case_path(no)}/actions/approve_legal_review", follow_redirects=False,
                    data={"csrf_token": csrf_of(page), "back": "/review", "opinion": "同意。",
                          "point_evidence": "证据确实充分。"})
    assert r.status_code == 303 and r.headers["location"].startswith("/review?done=approve_legal_review")
    done = client.get(r.headers["location"]).text
    assert "已办理「法制审核通过」" in done and "查看出具的法制审核意见书" in done
    opinion = next(d for d in _docs(engine, no) if d.doc_type == "legal_review_opinion")
    assert snapshot.decode(opinion.data)["review"]["points"] == [{"item": "证据", "finding": "证据确实充分。"}]
