"""The public pages of 执法公示 (《行政处罚法》第四十八条), through HTTP and without logging in:

- /public/ lists the agencies that publish; /public/<slug> shows an agency's released, not
  withdrawn, still-visible decisions, searchable and paged; feed.json and feed.csv carry the same rows;
- a person's decision shows only the masked name: their full name, 身份证号, phone and address (and a
  patient's name) appear on no public page and in no feed;
- nothing internal: no case id or 案号, no user, no link into the workbench; the security headers apply;
- the case page's 「执法公示」 section: 待发布 with its limit, 已发布 with the public link, 已撤回 with the reason.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.db.session import unit_of_work
from caseflow.org.models import Agency
from caseflow.org.service import set_agency_settings
from caseflow.web.routes import public
from tests.helpers import Org, Runner
from tests.publication.cases import PERSON_SECRETS, hospital_decided, person_decided
from tests.web.conftest import login

SLUG = "luanchuan"  # the demo agency's setting


@pytest.fixture
def walker(engine: Engine, web_org: Org):  # type: ignore[no-untyped-def]
    r = Runner(engine, web_org, reload=True)
    yield r
    r.close()


def _pages(client: TestClient, *extra: str) -> dict[str, str]:
    """Every public page and feed of the agency (and the index), as text."""
    paths = ["/public/", f"/public/{SLUG}", f"/public/{SLUG}/withdrawn", f"/public/{SLUG}/feed.json",
             f"/public/{SLUG}/feed.csv", *extra]
    out = {}
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        out[path] = r.text
    return out


def _doc_nos(html: str) -> list[str]:
    return re.findall(r"<th>决定书文号</th><td>([^<]+)</td>", html)


def test_an_individuals_identifiers_appear_on_no_public_page(client: TestClient, engine: Engine, web_org: Org,
                                                           walker: Runner) -> None:
    no = person_decided(engine, web_org, walker)  # decided 2026-06-10
    walker.fire(no, "publish_decision", "shencha", "2026-06-11 09:00")
    pages = _pages(client, f"/public/{SLUG}?party={quote('张')}", f"/public/{SLUG}?q={quote('冒名就医')}")
    assert "张*（演示）" in pages[f"/public/{SLUG}"] and "王*梅" in pages[f"/public/{SLUG}"]
    assert "冒名就医" in pages[f"/public/{SLUG}?q={quote('冒名就医')}"]
    # A correction and then a withdrawal whose reasons name the person again: redacted as well.
    walker.fire(no, "correct_publication", "shencha", "2026-06-12 09:00", payload={
        "summary": "张某（演示）（电话13812345678）冒名就医，患者王小梅。", "reason": "张某（演示）申请更正。"})
    walker.fire(no, "withdraw_publication", "shencha", "2026-06-15 09:00", payload={
        "reason": "张某（演示）（身份证号码410324199003150018，住址河南省洛阳市栾川县潭头镇示范村）的处罚决定已被撤销。"})
    pages |= {f"after:{k}": v for k, v in _pages(client).items()}
    for path, body in pages.items():
        for secret in PERSON_SECRETS:
            assert secret not in body, (path, secret)
    assert "张*（演示）" in pages[f"after:/public/{SLUG}/withdrawn"]


def test_public_pages_need_no_login_and_show_only_what_was_released(
        client: TestClient, engine: Engine, web_org: Org, walker: Runner) -> None:
    released = hospital_decided(engine, web_org, walker, upto="serve_decision")
    walker.fire(released, "publish_decision", "shencha", "2026-07-09 10:00")
    hospital_decided(engine, web_org, walker)  # decided, not published: nowhere to be seen
    with unit_of_work(engine) as s:  # the other agency publishes too, but has released nothing
        other = s.get(Agency, web_org.other_agency_id)
        set_agency_settings(db_session=s, agency=other, raw={"publication": {"slug": "pingshan"}})
    assert client.cookies.get("caseflow_session") is None
    index = client.get("/public/")
    assert index.status_code == 200 and "栾川县医疗保障局" in index.text and "平山县医疗保障局" in index.text
    page = client.get(f"/public/{SLUG}")
    assert page.status_code == 200
    assert len(_doc_nos(page.text)) == 1
    assert "91410324MA47T3Q8WY" in page.text and "测试医院" in page.text  # an organisation in full
    assert "责令退回30,000.00元；罚款60,000.00元" in page.text
    assert "暂无公示的行政处罚决定" in client.get("/public/pingshan").text
    for path in ("/public/", f"/public/{SLUG}", f"/public/{SLUG}/feed.json", f"/public/{SLUG}/feed.csv"):
        r = client.get(path)
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "set-cookie" not in r.headers
        # Nothing internal: no 案号, no link into the workbench, no user.
        for internal in ("罚案〔", "/cases", "/api/", "陈审核", "孙决定", 'href="/"', "登录"):
            assert internal not in r.text, (path, internal)


def test_the_feeds_carry_the_same_rows_as_the_pages(client: TestClient, engine: Engine, web_org: Org,
                                                  walker: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    first = hospital_decided(engine, web_org, walker)  # decided 07-07
    walker.fire(first, "publish_decision", "shencha", "2026-07-08 10:00")
    person = person_decided(engine, web_org, walker)  # decided 06-10
    walker.fire(person, "publish_decision", "shencha", "2026-06-11 09:00")
    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    one, two = client.get(f"/public/{SLUG}"), client.get(f"/public/{SLUG}?page=2")
    assert "下一页" in one.text and "上一页" in two.text and "下一页" not in two.text
    shown = _doc_nos(one.text) + _doc_nos(two.text)
    feed = client.get(f"/public/{SLUG}/feed.json").json()
    rows = list(csv.reader(io.StringIO(client.get(f"/public/{SLUG}/feed.csv").text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["行政相对人名称", "行政相对人类别", "统一社会信用代码", "行政处罚决定书文号"]
    assert [r["doc_no"] for r in feed["records"]] == [r[3] for r in rows[1:]] == shown  # newest decision first
    keys = list(feed["fields"])
    assert [[str(r[k]) for k in keys] for r in feed["records"]] == rows[1:]
    assert feed["agency"] == "栾川县医疗保障局" and feed["period_months"] == 36
    assert feed["records"][0]["visible_until"] == "2029-07-07"
    assert "case_id" not in keys and "id" not in keys


def test_search_by_party_doc_no_and_keyword(client: TestClient, engine: Engine, web_org: Org,
                                           walker: Runner) -> None:
    hosp = hospital_decided(engine, web_org, walker)
    walker.fire(hosp, "publish_decision", "shencha", "2026-07-08 10:00")
    person = person_decided(engine, web_org, walker)
    walker.fire(person, "publish_decision", "shencha", "2026-06-11 09:00")
    both = _doc_nos(client.get(f"/public/{SLUG}").text)
    assert len(both) == 2

    def found(**q: str) -> list[str]:
        return _doc_nos(client.get(f"/public/{SLUG}", params=q).text)

    assert len(found(party="测试医院")) == 1 and found(party="测试医院") != found(party="张*")
    assert found(doc_no=both[1]) == [both[1]]
    assert len(found(q="冒名就医")) == 1 and len(found(q="第四十条")) == 1
    assert found(q="100%_") == [] and found(party="王小梅") == []  # wildcards are plain text; names as shown
    assert "没有符合条件的公示" in client.get(f"/public/{SLUG}", params={"q": "不存在的词"}).text


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=99999", "party=" + "长" * 60, "q=%00", "doc_no=a%ff"])
def test_bad_queries_get_a_chinese_message(client: TestClient, query: str) -> None:
    r = client.get(f"/public/{SLUG}?{query}")
    assert r.status_code in (400, 422), (query, r.status_code)
    assert "Traceback" not in r.text and "INVALID" not in r.text
    j = client.get(f"/public/{SLUG}/feed.json?{query}")
    assert j.status_code in (400, 422)
    # A NUL or broken UTF-8 is refused before any route (caseflow/web/request_guard.py), in Chinese too.
    assert "message" in j.json() if "json" in j.headers["content-type"] else "无法识别" in j.text


def test_an_unknown_agency_is_not_found(client: TestClient) -> None:
    r = client.get("/public/no-such-agency")
    assert r.status_code == 404 and "没有这个行政机关的公示" in r.text and 'href="/"' not in r.text
    assert client.get("/public/no-such-agency/feed.json").status_code == 404
    assert client.get(f"/public/{SLUG}/feed.csv").headers["content-type"].startswith("text/csv")


def test_after_its_period_the_public_page_hides_a_record(client: TestClient, engine: Engine, web_org: Org,
                                                        walker: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    no = hospital_decided(engine, web_org, walker)
    walker.fire(no, "publish_decision", "shencha", "2026-07-08 10:00")
    monkeypatch.setattr(public, "today", lambda: date(2029, 7, 7))
    assert len(_doc_nos(client.get(f"/public/{SLUG}").text)) == 1
    monkeypatch.setattr(public, "today", lambda: date(2029, 7, 8))
    assert _doc_nos(client.get(f"/public/{SLUG}").text) == []
    assert client.get(f"/public/{SLUG}/feed.json").json()["records"] == []
    login(client, "shencha")  # kept in the case
    section = client.get(f"/cases/{quote(no)}").text
    assert "执法公示" in section and "已发布" in section


def test_the_case_page_shows_the_publication(client: TestClient, engine: Engine, web_org: Org,
                                            walker: Runner) -> None:
    no = person_decided(engine, web_org, walker)
    login(client, "shencha")
    page = client.get(f"/cases/{quote(no)}").text
    section = page[page.index('id="publication"'):page.index('id="documents"')]
    assert "待发布" in section and "行政处罚决定公示期限" in section and "张*（演示）" in section
    assert "410324199003150018" not in section
    form = page[page.index('id="step-publish_decision"'):]
    form = form[:form.index("</form>")]
    assert "王*梅" in form and "王小梅" not in form  # the form starts from the redacted 摘要
    walker.fire(no, "publish_decision", "shencha", "2026-06-11 09:00")
    page = client.get(f"/cases/{quote(no)}").text
    section = page[page.index('id="publication"'):page.index('id="documents"')]
    assert "已发布" in section and f'href="/public/{SLUG}?doc_no=' in section
    walker.fire(no, "withdraw_publication", "shencha", "2026-06-12 09:00", payload={"reason": "原决定已被撤销。"})
    page = client.get(f"/cases/{quote(no)}").text
    section = page[page.index('id="publication"'):page.index('id="documents"')]
    assert "已撤回" in section and "原决定已被撤销。" in section
