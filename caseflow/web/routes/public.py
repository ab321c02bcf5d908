"""The public pages of 执法公示 (《行政处罚法》第四十八条), served without a session: no route here
depends on the viewer (caseflow/web/deps.py), and none shows more than what was published.

- `/public/` — the agencies that opened public pages;
- `/public/{slug}` — an agency's records the public may see: released, not withdrawn, within the
  公示期限; searchable by 当事人, 文号 and a keyword; 20 a page;
- `/public/{slug}/withdrawn` — its withdrawals with their reasons (第四十八条第二款: 公开说明理由);
- `/public/{slug}/feed.json`, `/public/{slug}/feed.csv` — the same records for the 信用 platform.

The slug is the agency's own setting (`publication.slug`, e.g. luanchuan): a code it chose to make
public, never an internal id; an agency without one has no public pages. No case id, 案号, user or
link into the workbench appears. Each page reads the (small) agency table, then its records in one
query on an index. Bad query parameters get a Chinese message on the page (422), never a trace.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.legal_time import SHANGHAI
from caseflow.publication import presenters
from caseflow.publication import service as publication_service
from caseflow.publication.service import PublicAgency, Search
from caseflow.web.deps import EngineDep
from caseflow.web.params import Text

router = APIRouter(prefix="/public")

PAGE_SIZE = 20
MAX_PAGE = 500
FEED_LIMIT = 5000  # records in one feed: more than three years of a county bureau's decisions
CACHE = {"Cache-Control": "public, max-age=60"}  # a withdrawal shows within a minute
Word = Text(50)  # 当事人名称, 关键词
DocNo = Text(60)  # 文号
LABELS = {"party": "当事人名称", "doc_no": "决定书文号", "q": "关键词", "page": "页码"}


def today() -> date:
    """The day the pages are shown for (Beijing time); the 公示期限 is counted against it."""
    return utcnow().astimezone(SHANGHAI).date()


class PublicQuery(BaseModel):
    """What a visitor may ask: three search words and a page; anything else is ignored."""

    model_config = ConfigDict(extra="ignore")
    party: Word = ""
    doc_no: DocNo = ""
    q: Word = ""
    page: int = Field(default=1, ge=1, le=MAX_PAGE)

    @property
    def search(self) -> Search:
        return Search(party=self.party.strip(), doc_no=self.doc_no.strip(), q=self.q.strip())


class BadQuery(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _query(request: Request) -> PublicQuery:
    raw = {k: v for k, v in request.query_params.items() if k in LABELS}
    try:
        return PublicQuery.model_validate(raw)
    except ValidationError as exc:
        fields = dict.fromkeys(LABELS.get(str(e["loc"][0]), "查询条件") for e in exc.errors() if e.get("loc"))
        what = "、".join(fields) or "查询条件"
        raise BadQuery(f"{what}填写有误：文字不超过50字（文号60字），页码为1至{MAX_PAGE}的整数。") from None


NO_AGENCY = "没有这个行政机关的公示。"


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = request.app.state.templates.TemplateResponse(request, name, context, status_code=status)
    if status == 200:
        response.headers.update(CACHE)
    return response


def _not_found(request: Request) -> Response:
    return _page(request, "public_error.html", {"title": "未找到", "message": NO_AGENCY}, 404)


def _bad(request: Request, message: str) -> Response:
    return _page(request, "public_error.html", {"title": "查询条件有误", "message": message}, 422)


def _agency(engine: Any, slug: str) -> PublicAgency | None:
    with unit_of_work(engine, write=False) as s:
        return publication_service.agency_by_slug(db_session=s, slug=slug)


def _opened(request: Request, engine: Any, slug: str, *,
            as_json: bool = False) -> tuple[PublicAgency, PublicQuery] | Response:
    """The publishing agency of `slug` and the request's query — or the answer refusing them: 404 for
    an unknown agency, 422 for a bad query (a page, or JSON for the feed)."""
    agency = _agency(engine, slug)
    if agency is None:
        return (JSONResponse({"code": "NOT_FOUND", "message": NO_AGENCY}, status_code=404) if as_json
                else _not_found(request))
    try:
        return agency, _query(request)
    except BadQuery as exc:
        return (JSONResponse({"code": "INVALID_INPUT", "message": exc.message}, status_code=422) if as_json
                else _bad(request, exc.message))


def _url(path: str, query: PublicQuery, page: int) -> str:
    params = {k: v for k, v in (("party", query.party), ("doc_no", query.doc_no), ("q", query.q)) if v}
    if page > 1:
        params["page"] = str(page)
    return path + (f"?{urlencode(params)}" if params else "")


def _period(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


@router.get("/", include_in_schema=False)
def index(request: Request, engine: EngineDep) -> Response:
    with unit_of_work(engine, write=False) as s:
        agencies = publication_service.publishing_agencies(db_session=s)
    return _page(request, "public_index.html", {"agencies": [{"name": a.name, "slug": a.slug} for a in agencies]})


@router.get("/{slug}", include_in_schema=False)
def agency_page(request: Request, slug: str, engine: EngineDep) -> Response:
    opened = _opened(request, engine, slug)
    if isinstance(opened, Response):
        return opened
    agency, query = opened
    with unit_of_work(engine, write=False) as s:
        rows = publication_service.public_records(
            db_session=s, agency=agency, today=today(), search=query.search,
            offset=(query.page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    path = f"/public/{agency.slug}"
    return _page(request, "public_agency.html", {
        "agency": {"name": agency.name, "slug": agency.slug}, "search": query.search,
        "searching": any((query.party, query.doc_no, query.q)),
        "records": [presenters.record(r, agency.setting.months) for r in rows[:PAGE_SIZE]],
        "page": query.page, "period": _period(agency.setting.months),
        "prev_url": _url(path, query, query.page - 1) if query.page > 1 else None,
        "next_url": _url(path, query, query.page + 1) if more and query.page < MAX_PAGE else None,
    })


@router.get("/{slug}/withdrawn", include_in_schema=False)
def withdrawn_page(request: Request, slug: str, engine: EngineDep) -> Response:
    opened = _opened(request, engine, slug)
    if isinstance(opened, Response):
        return opened
    agency, query = opened
    with unit_of_work(engine, write=False) as s:
        rows = publication_service.public_withdrawals(db_session=s, agency=agency, today=today(),
                                                      offset=(query.page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    path = f"/public/{agency.slug}/withdrawn"
    return _page(request, "public_withdrawn.html", {
        "agency": {"name": agency.name, "slug": agency.slug},
        "rows": [presenters.withdrawal(r) for r in rows[:PAGE_SIZE]], "page": query.page,
        "prev_url": _url(path, PublicQuery(), query.page - 1) if query.page > 1 else None,
        "next_url": _url(path, PublicQuery(), query.page + 1) if len(rows) > PAGE_SIZE else None,
    })


def _feed(engine: Any, agency: PublicAgency, query: PublicQuery) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with unit_of_work(engine, write=False) as s:
        rows = publication_service.public_records(db_session=s, agency=agency, today=today(), search=query.search,
                                                  limit=FEED_LIMIT)
        gone = publication_service.public_withdrawals(db_session=s, agency=agency, today=today(), limit=FEED_LIMIT)
    return ([presenters.record(r, agency.setting.months) for r in rows], [presenters.withdrawal(w) for w in gone])


@router.get("/{slug}/feed.json", include_in_schema=False)
def feed_json(request: Request, slug: str, engine: EngineDep) -> Response:
    opened = _opened(request, engine, slug, as_json=True)
    if isinstance(opened, Response):
        return opened
    agency, query = opened
    records, withdrawn = _feed(engine, agency, query)
    body = presenters.feed_json(agency_name=agency.name, records=records, withdrawals=withdrawn,
                                generated_at=utcnow(), months=agency.setting.months)
    return JSONResponse(body, headers=CACHE)


@router.get("/{slug}/feed.csv", include_in_schema=False)
def feed_csv(request: Request, slug: str, engine: EngineDep) -> Response:
    opened = _opened(request, engine, slug)
    if isinstance(opened, Response):
        return opened
    agency, query = opened
    records, _ = _feed(engine, agency, query)
    return Response(presenters.feed_csv(records), media_type="text/csv; charset=utf-8", headers={
        **CACHE, "Content-Disposition": f'attachment; filename="{agency.slug}-publications.csv"'})
