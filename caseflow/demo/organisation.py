"""The demo agency (栾川县医疗保障局), its sections, one user per post, and their 执法证."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from caseflow.org.models import Agency, User
from caseflow.org.service import (
    create_agency,
    create_user,
    grant_post,
    issue_credential,
    set_agency_settings,
)

AGENCY_NAME = "栾川县医疗保障局"
FUND = "基金监管股"
LEGAL = "法制审核股"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    posts: tuple[tuple[str, str | None], ...]
    credential: str | None = None


# 栾川县医疗保障局行政执法岗责体系 (seeds/004): 审查岗 and the sealing 执行岗 in 法制审核股,
# every other post in 基金监管股; the head (局负责人) approves.
DEMO_USERS = (
    DemoUser("lian", "李立安", (("立案岗", FUND),), "豫41032026001"),
    DemoUser("diaocha1", "王调查", (("调查岗", FUND),), "豫41032026002"),
    DemoUser("diaocha2", "赵取证", (("调查岗", FUND),), "豫41032026003"),
    DemoUser("shencha", "陈审核", (("审查岗", LEGAL),), "豫41032026004"),
    DemoUser("gaozhi", "刘告知", (("告知岗", FUND),), "豫41032026005"),
    DemoUser("jueding", "孙决定", (("决定岗", FUND),), "豫41032026006"),
    DemoUser("songda", "周送达", (("送达岗", FUND),), "豫41032026007"),
    DemoUser("zhixing", "吴执行", (("执行岗", FUND),), "豫41032026008"),
    DemoUser("pizhun", "郑批准", (("批准决定岗", FUND),), "豫41032026009"),
    DemoUser("fengcun", "冯封存", (("执行岗", LEGAL),), "豫41032026010"),
    DemoUser("jianguan", "何监管", (("事后监管岗", FUND),), "豫41032026011"),
    DemoUser("juzhang", "张局长", (("局负责人", None),), None),
    # 股室负责人: reached by the overdue alerts of their section's steps.
    DemoUser("jjgz", "钱股长", (("股长", FUND),), None),
    DemoUser("fzgz", "褚股长", (("股长", LEGAL),), None),
)

# What the documents name and the settings an agency may choose (caseflow/org/settings.py).
# Demo values: a real bureau enters its own address, account, 复议机关 and the competent court.
DEMO_SETTINGS = {
    "address": "栾川县城关镇君山东路（县行政服务中心）",
    "phone": "0379-66812345",
    "postcode": "471500",
    "review_bodies": ["栾川县人民政府"],
    "court": "栾川县人民法院",
    # 条例 第四十五条: 罚款、没收的违法所得 to the 非税收入 account (上缴国库), 责令退回的基金 back
    # to the 医疗保障基金财政专户.
    "payment": {"payee": "栾川县财政局非税收入汇缴结算户", "bank": "中国农业银行栾川县支行",
                "account": "16-645101040000001"},
    "fund_return": {"payee": "栾川县财政局医疗保障基金财政专户", "bank": "中国工商银行栾川县支行",
                    "account": "1705021309200012345"},
    "doc_prefix": "栾医保",
    "limits": {"statement_period": {"length": 5}},
    "reminders": {"working_days_before": 1, "hours_before": 2},
    # 执法公示: the public pages at /public/luanchuan (the 机关 romanised, never an internal id).
    "publication": {"slug": "luanchuan"},
}


def create_demo_agency(*, db_session: Session, password_hash: str | None = None) -> Agency:
    agency = create_agency(
        db_session=db_session, name=AGENCY_NAME, short_name="栾医保", province="河南省",
        sections=[FUND, LEGAL, "办公室"],
        # 《河南省行政处罚听证办法》第四条 (legal/README.md "Hearing rights").
        hearing_threshold_individual=Decimal("5000.00"),
        hearing_threshold_organisation=Decimal("50000.00"),
    )
    set_agency_settings(db_session=db_session, agency=agency, raw=DEMO_SETTINGS)
    for spec in DEMO_USERS:
        user = create_user(db_session=db_session, agency=agency, username=spec.username,
                           full_name=spec.full_name, password_hash=password_hash)
        for post, section in spec.posts:
            grant_post(db_session=db_session, user=user, post=post, section_name=section)
        if spec.credential:
            issue_credential(db_session=db_session, user=user, number=spec.credential,
                             valid_from=date(2024, 1, 1), valid_until=date(2028, 12, 31))
    return agency


def demo_users(db_session: Session, agency: Agency) -> dict[str, User]:
    from sqlalchemy import select

    return {u.username: u for u in db_session.scalars(select(User).where(User.agency_id == agency.id))}
