"""An item's own 岗责体系 decides which section's post takes a step; the procedure file's posts
(栾川's default) apply where the list names none or agrees with them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Engine

from caseflow.cases import service as case_service
from caseflow.cases.models import PartyRole
from caseflow.catalog.service import Catalog, get_catalog
from caseflow.db.session import unit_of_work
from caseflow.errors import RuleViolation
from caseflow.org.models import Agency
from caseflow.org.service import create_user, grant_post, load_actor
from caseflow.parties.service import register_party
from tests.helpers import HOSPITAL, Org, Runner, case_row, refused, sh


def _catalog_with_filing_post_in(section: str) -> Catalog:
    base = get_catalog()
    item = base.item("004-05")
    post_map = tuple(
        replace(a, section=section) if a.post == "立案岗" else a for a in item.post_map
    )
    return Catalog(items={**base.items, item.key: replace(item, post_map=post_map)})


def _open(engine: Engine, org: Org, username: str, catalog: Catalog) -> str:
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        assert agency is not None
        actor = load_actor(db_session=s, user_id=org.users[username])
        party = register_party(db_session=s, agency_id=agency.id, **HOSPITAL)
        case = case_service.open_case(
            db_session=s, actor=actor, item_key="004-05", title="测试案件",
            parties=[(party, PartyRole.principal)], at=sh("2026-06-01 09:00"), catalog=catalog,
        )
        return case.case_no


@pytest.fixture
def filing_clerk(engine: Engine, org: Org) -> str:
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        assert agency is not None
        u = create_user(db_session=s, agency=agency, username="fz_lian", full_name="法制股立案员")
        grant_post(db_session=s, user=u, post="立案岗", section_name="法制审核股")
        org.users["fz_lian"] = u.id
    return "fz_lian"


def test_the_published_luanchuan_posts_match_the_procedure_defaults(engine: Engine, org: Org) -> None:
    no = _open(engine, org, "lian", get_catalog())
    assert case_row(engine, no).post_sections is None


def test_an_item_seating_a_post_elsewhere_moves_the_step_there(
        engine: Engine, org: Org, runner: Runner, filing_clerk: str) -> None:
    catalog = _catalog_with_filing_post_in("法制审核股")
    with pytest.raises(RuleViolation) as info:
        _open(engine, org, "lian", catalog)
    assert info.value.code == "POST_REQUIRED" and "法制审核股·立案岗" in info.value.message

    no = _open(engine, org, filing_clerk, catalog)
    assert case_row(engine, no).post_sections == {"立案岗": "法制审核股"}
    refused(engine, runner, no, "submit_filing", "lian", "2026-06-01 10:00",
            code="POST_REQUIRED", phrases=("法制审核股·立案岗",))
    assert runner.fire(no, "submit_filing", filing_clerk, "2026-06-01 10:00",
                       payload={"facts": "线索反映的违法事实。"}) == "filing_approval"
    # The seat is fixed when the case is opened: the catalog the later steps see does not matter.
    assert runner.fire(no, "approve_filing", "juzhang", "2026-06-01 11:00",
                       ) == "investigation"
