"""A running case keeps its rules (issue 14 §1): a procedure version names the rule set it was
published with, so a changed rule — here the 听证申请期限 of 《行政处罚法》第六十四条第（一）项, five
working days, as if an amendment made it seven — reaches only the cases opened under the new version,
as the case's catalog snapshot does for the catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from caseflow.cases import service as case_service
from caseflow.cases.models import OfficerRole, PartyRole
from caseflow.config import get_settings
from caseflow.db.session import unit_of_work
from caseflow.demo.organisation import demo_users
from caseflow.org.models import Agency
from caseflow.parties.service import register_party
from caseflow.workflow.registry import load_library
from tests.helpers import HOSPITAL, deadlines, open_case, sh, through, walk


def _new_version(tmp_path: Path) -> Path:
    """A copy of workflows/ where the rules were changed the way the README says: rules/v2 and a
    procedure version 2 that names it."""
    root = tmp_path / "workflows"
    shutil.copytree(get_settings().workflows_dir, root)
    shutil.copytree(root / "rules" / "v1", root / "rules" / "v2")
    limits = yaml.safe_load((root / "rules" / "v2" / "deadlines.yaml").read_text(encoding="utf-8"))
    limits["hearing_request"]["length"] = 7
    (root / "rules" / "v2" / "deadlines.yaml").write_text(yaml.safe_dump(limits, allow_unicode=True),
                                                          encoding="utf-8")
    v1 = (root / "procedures" / "penalty_general.v1.yaml").read_text(encoding="utf-8")
    v2 = v1.replace("version: 1\n", "version: 2\n", 1).replace("rules: v1 ", "rules: v2 ", 1)
    (root / "procedures" / "penalty_general.v2.yaml").write_text(v2, encoding="utf-8")
    return root


def _serve_notice(engine, org, case_no: str, library) -> None:
    with unit_of_work(engine) as s:
        case_service.fire(db_session=s, case_no=case_no, trigger="serve_notice", actor_id=org.users["gaozhi"],
                          at=sh("2026-06-15 09:00"), library=library)


def test_an_open_case_keeps_its_rules_while_a_new_case_gets_the_new_ones(engine, org, runner, tmp_path):
    running = open_case(engine, org)  # under penalty_general v1 (rules v1)
    walk(runner, running, through("approve_penalty"))
    edited = load_library(_new_version(tmp_path))
    assert edited.procedure("penalty_general").version == 2

    with unit_of_work(engine) as s:  # a new case, opened once the new version is published
        agency = s.get(Agency, org.agency_id)
        users = demo_users(s, agency)
        party = register_party(db_session=s, agency_id=agency.id, **HOSPITAL)
        new = case_service.open_case(
            db_session=s, actor=users["lian"], item_key="004-05", title="新版本下的案件",
            parties=[(party, PartyRole.principal)],
            officers=[(users["diaocha1"], OfficerRole.lead), (users["diaocha2"], OfficerRole.assistant)],
            at=sh("2026-06-01 09:00"), library=edited)
        new_no, version = new.case_no, new.procedure_version
    assert version == 2
    for step in through("approve_penalty"):
        with unit_of_work(engine) as s:
            case_service.fire(db_session=s, case_no=new_no, trigger=step.trigger,
                              actor_id=org.users[step.user], payload=step.payload, opinion=step.opinion,
                              at=step.at, library=edited)

    _serve_notice(engine, org, running, edited)
    _serve_notice(engine, org, new_no, edited)
    # 2026-06-15 (Mon): five working days 16, 17, 18, (19–21 端午), 22, 23; seven run to 06-25.
    (old_period,) = deadlines(engine, running, "hearing_request")
    (new_period,) = deadlines(engine, new_no, "hearing_request")
    assert old_period.due_date.isoformat() == "2026-06-23"
    assert new_period.due_date.isoformat() == "2026-06-25"


def test_every_procedure_version_names_an_existing_rule_set():
    library = load_library(get_settings().workflows_dir)
    for proc in library.procedures.values():
        assert proc.rules in library.rule_sets, proc.key
        assert library.for_procedure(proc).rules.name == proc.rules
