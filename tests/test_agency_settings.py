"""Agency settings: only the limits the sources leave open may be changed, and a change is used."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from caseflow.db.session import unit_of_work
from caseflow.demo.organisation import DEMO_SETTINGS
from caseflow.errors import InvalidInput
from caseflow.org.models import Agency
from caseflow.org.service import set_agency_settings
from tests.helpers import Org, Runner, deadlines, open_case, through, walk


def test_a_statutory_limit_cannot_be_changed(engine: Engine, org: Org) -> None:
    with pytest.raises(InvalidInput) as info, unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        set_agency_settings(db_session=s, agency=agency, raw={"limits": {"decision_service": {"length": 10}}})
    assert info.value.code == "LIMIT_NOT_CONFIGURABLE" and "由法律规定" in info.value.message


def test_a_configurable_statement_period_is_used_by_the_next_notice(engine: Engine, org: Org, runner: Runner) -> None:
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        set_agency_settings(db_session=s, agency=agency, raw={**DEMO_SETTINGS, "limits": {"statement_period": {"length": 3}}})
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    period = next(d for d in deadlines(engine, case_no) if d.rule_code == "statement_period")
    assert "起算3个工作日" in period.reasoning[0]
