"""Cases walked to a decision for the publication tests: the organisation of the demo's main case
(FULL_PATH, decided 2026-07-07) and a person (the demo's 张某, with a phone) whose 违法事实 names
their 身份证号, phone and address and a patient — all of which the publication must hide."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from caseflow.demo import runner as demo
from caseflow.demo import scenarios as sc
from caseflow.demo.walk import Step, sh
from tests.helpers import Org, Runner, open_case, through, walk

PERSON = dict(demo.PERSON, phone="13812345678")
PERSON_NAME = str(PERSON["name"])  # 张某（演示）
PERSON_SECRETS = (PERSON_NAME, "张某", str(PERSON["id_number"]), "13812345678", str(PERSON["address"]),
                  "王小梅", "潭头镇示范村")
PERSON_FACTS = (f"当事人{PERSON_NAME}（身份证号码{PERSON['id_number']}，联系电话13812345678，住址{PERSON['address']}）"
                "于2026年3月持患者王小梅的医疗保障凭证冒名就医，骗取医疗保障基金支出2,100.00元。"
                "张某对上述事实供认不讳。")
START = sh("2026-06-01 09:00")


def person_path() -> list[Step]:
    """The person's case from 线索登记 to 作出处罚决定 (2026-06-10), the statement waived."""
    finding = dict(sc.PERSON_FINDING, facts=PERSON_FACTS)
    return [
        *sc.to_legal_review(START, finding),
        Step("approve_legal_review", "shencha", START + timedelta(days=4), opinion="同意。"),
        Step("approve_penalty", "juzhang", START + timedelta(days=7)),
        Step("serve_notice", "gaozhi", START + timedelta(days=8), payload={"method": "直接送达"}),
        Step("waive_statement", "gaozhi", START + timedelta(days=8, hours=2),
             payload={"waiver": "当事人书面放弃陈述、申辩"}),
        Step("decide_penalty", "jueding", START + timedelta(days=9)),
    ]


def person_decided(engine: Engine, org: Org, runner: Runner) -> str:
    no = open_case(engine, org, party=PERSON, item=sc.INDIVIDUAL_ITEM, at=START)
    walk(runner, no, person_path())
    return no


def hospital_decided(engine: Engine, org: Org, runner: Runner, upto: str = "decide_penalty") -> str:
    """The demo's main case (FULL_PATH) up to `upto` (作出决定 2026-07-07, 送达 07-08)."""
    no = open_case(engine, org)
    walk(runner, no, through(upto))
    return no
