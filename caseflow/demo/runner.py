"""`caseflow demo`: seed the demo agency and cases once, then print every demo case's timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from caseflow.cases import service as case_service
from caseflow.cases.models import Case, OfficerRole, PartyRole
from caseflow.cases.presenters import case_detail, render_timeline
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.demo import scenarios as sc
from caseflow.demo.evidence import register_demo_evidence
from caseflow.demo.organisation import AGENCY_NAME, create_demo_agency, demo_users
from caseflow.demo.publication import release_demo_publication
from caseflow.demo.violations import two_violations
from caseflow.demo.walk import Step, sh, walk
from caseflow.legal_time import SHANGHAI
from caseflow.org.models import Agency
from caseflow.parties.models import PartyKind
from caseflow.parties.service import register_party

HOSPITAL = dict(kind=PartyKind.organisation, name="栾川县康宁医院（演示）", uscc="91410324MA47T3Q8WY",
                legal_representative="刘某", address="河南省洛阳市栾川县城关镇示范路1号",
                phone="0379-66800000")
PHARMACY = dict(kind=PartyKind.organisation, name="栾川县济民大药房（演示）", uscc="91410324MA9G5K7L2H",
                legal_representative="何某", address="河南省洛阳市栾川县城关镇示范路8号")
CLINIC = dict(kind=PartyKind.organisation, name="栾川县仁和医院（演示）", uscc="91410324MA46P8XG1A",
              legal_representative="周某", address="河南省洛阳市栾川县城关镇示范路26号")
PERSON = dict(kind=PartyKind.individual, name="张某（演示）", id_number="410324199003150018",
              address="河南省洛阳市栾川县潭头镇示范村")


def _open(engine: Engine, *, by: str, item: str, title: str,
          party: dict[str, object], at: datetime, officers: tuple[str, str] = ("diaocha1", "diaocha2"),
          ) -> str:
    with unit_of_work(engine) as s:
        agency = s.scalar(select(Agency).where(Agency.name == AGENCY_NAME))
        assert agency is not None
        users = demo_users(s, agency)
        p = register_party(db_session=s, agency_id=agency.id, **party)  # type: ignore[arg-type]
        case = case_service.open_case(
            db_session=s, actor=users[by], item_key=item, title=title,
            parties=[(p, PartyRole.principal)],
            officers=[(users[officers[0]], OfficerRole.lead), (users[officers[1]], OfficerRole.assistant)],
            at=at,
        )
        return case.case_no


def seed(engine: Engine, *, now: datetime | None = None, password_hash: str | None = None,
         progress: Callable[[str], None] = lambda _m: None) -> list[str]:
    """Create the demo agency and walk the demo cases; returns their 案号 in order."""
    now = now or utcnow()
    with unit_of_work(engine) as s:
        create_demo_agency(db_session=s, password_hash=password_hash)
    numbers: list[str] = []

    no = _open(engine, by="lian", item=sc.FRAUD_ITEM,
               title="栾川县康宁医院虚构诊疗项目骗取医疗保障基金案", party=HOSPITAL, at=sh("2026-06-01 09:00"))
    inquired = next(i for i, step in enumerate(sc.FULL_PATH) if step.trigger == "record_inquiry") + 1
    walk(engine, no, sc.FULL_PATH[:inquired])
    register_demo_evidence(engine, no)  # the 书证 and a photo, besides the two 笔录
    served = next(i for i, step in enumerate(sc.FULL_PATH) if step.trigger == "serve_decision") + 1
    walk(engine, no, sc.FULL_PATH[inquired:served])
    release_demo_publication(engine, no)  # 执法公示, after 送达 and before 履行
    walk(engine, no, sc.FULL_PATH[served:])
    numbers.append(no)
    progress(f"{no}：普通程序全流程（含听证）至归档")

    no = _open(engine, by="fengcun", item=sc.SEALING_ITEM,
               title="封存栾川县康宁医院住院病历及结算资料", party=HOSPITAL, at=sh("2026-10-19 15:00"),
               officers=("fengcun", "diaocha1"))
    walk(engine, no, sc.EMERGENCY_SEALING)
    numbers.append(no)
    progress(f"{no}：紧急情况当场封存 → 补办批准 → 转入处罚 → 解除 → 结案")

    # Cases left open, relative to today (09:00 Asia/Shanghai), so that their deadlines are live.
    today = now.astimezone(SHANGHAI).replace(hour=9, minute=0, second=0, microsecond=0)
    day = lambda n: today - timedelta(days=n)
    no = _open(engine, by="lian", item=sc.GENERAL_ITEM,
               title="栾川县济民大药房将个人负担费用纳入基金支付案", party=PHARMACY, at=day(6))
    walk(engine, no, sc.to_legal_review(day(6), sc.PHARMACY_FINDING))
    numbers.append(no)
    progress(f"{no}：待法制审核")

    no = _open(engine, by="lian", item=sc.INDIVIDUAL_ITEM,
               title="张某冒名就医骗取医保待遇案", party=PERSON, at=day(9))
    walk(engine, no, [
        *sc.to_legal_review(day(9), sc.PERSON_FINDING),
        Step("approve_legal_review", "shencha", day(5), opinion="同意。"),
        Step("approve_penalty", "juzhang", day(4)),
        Step("serve_notice", "gaozhi", day(3), payload={"method": "直接送达", "recipient": "张某"}),
    ])
    numbers.append(no)
    progress(f"{no}：已送达事先告知书，陈述申辩期内")

    no = _open(engine, by="lian", item=sc.GENERAL_ITEM,
               title="匿名举报某诊所串换药品（经核查不予立案）", party=PHARMACY, at=day(20))
    walk(engine, no, [
        Step("submit_filing", "lian", day(19), payload={
            "source": "匿名举报", "facts": "举报人反映该药房串换药品，将非医保药品串换为医保药品结算。"}),
        Step("reject_filing", "juzhang", day(18), opinion="经核查，举报事项无事实依据，不予立案。"),
    ])
    numbers.append(no)
    progress(f"{no}：不予立案")

    no = _open(engine, by="fengcun", item=sc.SEALING_ITEM,
               title="封存栾川县济民大药房进销存电子数据", party=PHARMACY, at=now - timedelta(hours=4),
               officers=("fengcun", "diaocha1"))
    walk(engine, no, [Step("seal_on_the_spot", "fengcun", now - timedelta(hours=3), payload=sc.ONSITE)])
    numbers.append(no)
    progress(f"{no}：当场封存，待24小时内补办批准")

    no = _open(engine, by="lian", item=sc.FRAUD_ITEM,
               title="栾川县仁和医院虚构医药服务项目、协助他人冒名就医骗取医疗保障基金案", party=CLINIC, at=day(30))
    two_violations(engine, no, day(30))
    numbers.append(no)
    progress(f"{no}：两项违法行为（违法明细由 Excel 导入），决定书已送达")

    no = _open(engine, by="lian", item=sc.GENERAL_ITEM,
               title="栾川县济民大药房串换药品造成医疗保障基金损失案", party=PHARMACY, at=day(12))
    walk(engine, no, sc.time_barred_recovery(day(12)))
    numbers.append(no)
    progress(f"{no}：超过追责时效，仅责令退回 → 行政处理决定书已送达，责令退回期限内")
    return numbers


def demo_exists(engine: Engine) -> bool:
    with unit_of_work(engine, write=False) as s:
        return s.scalar(select(Agency.id).where(Agency.name == AGENCY_NAME)) is not None


def timelines(engine: Engine) -> list[tuple[str, str, str]]:
    """(案号, 状态, timeline text) of every case of the demo agency."""
    out = []
    with unit_of_work(engine, write=False) as s:
        agency_id = s.scalar(select(Agency.id).where(Agency.name == AGENCY_NAME))
        for case_no in s.scalars(select(Case.case_no).where(Case.agency_id == agency_id).order_by(Case.id)):
            case = case_service.get_case(db_session=s, case_no=case_no, full=True)
            detail = case_detail(db_session=s, case=case)
            out.append((case_no, f"{detail['title']} — {detail['state_name']}", render_timeline(detail)))
    return out

