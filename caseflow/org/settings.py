"""An agency's settings: the limits the sources leave to it, reminders, and what its documents name.

Stored as JSON on the agency row (`Agency.settings`) and validated here, so a bad edit is refused
with a Chinese message instead of breaking a case later.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.db.memo import memo
from caseflow.errors import InvalidInput
from caseflow.legal_time import PeriodUnit
from caseflow.org.models import Agency

if TYPE_CHECKING:  # for the hints only: a document's render loads no workflow definition (bench/cli.py)
    from caseflow.workflow.definition import DeadlineRule


class LimitSetting(BaseModel):
    length: int = Field(gt=0, le=365)
    unit: PeriodUnit | None = None  # None: the unit the rule file gives


class ReminderSetting(BaseModel):
    working_days_before: int = Field(default=1, ge=0, le=10)  # for periods in days or months
    hours_before: int = Field(default=2, ge=0, le=23)  # for periods in hours (24小时补办批准)


class PaymentAccount(BaseModel):
    payee: str = ""  # 收款单位
    bank: str = ""  # 开户银行
    account: str = ""  # 账号


class CaseFileSetting(BaseModel):
    """How the agency binds its 案卷 — archival practice (文书档案 立卷), not a statute: configurable
    defaults, unverified against the agency's own 档案 rules."""

    retention: str = Field(default="长期", max_length=20, title="保管期限（默认值，未核实本机关档案管理规定）")
    two_volumes: bool = Field(default=False, title="分正卷、副卷（副卷收审批表、法制审核意见书等内部文书）")
    checker: str = Field(default="", max_length=50, title="案卷检查人（空则留待手写）")


class DiscretionSetting(BaseModel):
    """Whose 裁量基准 the agency applies (workflows/discretion/<province>.yaml; 医保发〔2021〕35号: the
    provinces set them); empty: none is applied and no tier is recommended."""

    province: str = Field(default="", max_length=20, title="适用的裁量基准（省份）")
    collective_for_mitigation: bool = Field(
        default=True, title="减轻处罚须经集体讨论（默认值，按本机关重大行政执法决定法制审核与集体讨论制度设置）")


class PublicationSetting(BaseModel):
    """执法公示 (《行政处罚法》第四十八条; caseflow/publication): the address of the agency's public pages
    (/public/<slug>: a short code the agency chooses, e.g. its 机关代字 romanised — never an internal
    id; empty: no public pages) and how long a decision stays on them, counted from the 决定日期 (after
    it the record stays in the case but the public pages no longer show it)."""

    slug: str = Field(default="", max_length=40, pattern=r"^(?:[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)?$",
                      title="公示网页地址代码（小写字母、数字和连字符，如 luanchuan；空则不开放公示网页）")
    months: int = Field(default=36, ge=3, le=120, title=(
        "公示期限（月）（默认值，待核实：三年，按《失信行为纠正后的信用信息修复管理办法（试行）》"
        "（国家发展改革委令2023年第58号）一般失信行为行政处罚信息的最长公示期限）"))


AUTO_FONT = "auto"
# A family name goes into the documents' stylesheet (caseflow/documents/renderer.py): none of these.
_FONT_NAME_REFUSED = set("\"'`;{}<>\\")


class DocumentStyle(BaseModel):
    """How the agency's 执法文书 look. Every default is a default of practice, none a statute's: the
    fonts and 两端对齐 follow the 公文 convention (GB/T 9704—2012《党政机关公文格式》: 正文仿宋体,
    标题小标宋体), the 成文日期 in Chinese numerals is what the documents have always printed.
    A font is "auto" (the first of the usual faces installed on the machine) or a family the agency
    names; one not installed is replaced by Noto Serif CJK SC
    (`caseflow.documents.renderer.font_warning` says so)."""

    body_font: str = Field(default=AUTO_FONT, title=(
        "正文字体（默认 auto：本机装有仿宋_GB2312、仿宋等仿宋字体时用仿宋，没有时用 Noto Serif CJK SC；"
        "也可填写本机已安装的字体名称。仿宋是公文排版惯例，不是法定要求）"))
    title_font: str = Field(default=AUTO_FONT, title=(
        "标题字体（默认 auto：本机装有方正小标宋简体或华文中宋时用它，没有时用 Noto Serif CJK SC；"
        "也可填写本机已安装的字体名称。小标宋是公文排版惯例，不是法定要求）"))
    date_numerals: Literal["chinese", "arabic"] = Field(default="chinese", title=(
        "成文日期的写法（两种都可以：默认 chinese，汉字，如二〇二六年十二月五日，本系统文书一向的写法；"
        "arabic，阿拉伯数字，如2026年12月5日，GB/T 9704—2012《党政机关公文格式》规定的写法）"))
    justify: bool = Field(default=True, title="正文两端对齐（默认对齐，排版惯例；不对齐则左对齐）")

    @field_validator("body_font", "title_font")
    @classmethod
    def _font_family(cls, value: str) -> str:
        name = value.strip()
        if not name:
            raise PydanticCustomError("font_family", "字体名称不能为空（自动选择请填 auto）")
        if len(name) > 60:
            raise PydanticCustomError("font_family", "字体名称不能超过60个字符")
        if _FONT_NAME_REFUSED & set(name) or not name.isprintable():
            raise PydanticCustomError(
                "font_family", "字体名称不能含有引号、分号、花括号、尖括号、反斜杠或控制字符：{name}", {"name": name})
        return AUTO_FONT if name.lower() == AUTO_FONT else name

    @field_validator("date_numerals", mode="before")
    @classmethod
    def _numerals(cls, value: Any) -> Any:
        if value not in ("chinese", "arabic"):
            raise PydanticCustomError("date_numerals", "成文日期的写法须为 chinese（汉字）或 arabic（阿拉伯数字）")
        return value


class AgencySettings(BaseModel):
    address: str = ""
    phone: str = ""
    postcode: str = ""
    review_bodies: list[str] = Field(default_factory=list)  # 行政复议机关
    court: str = ""  # 行政诉讼 / 申请强制执行的人民法院
    # 《医疗保障基金使用监督管理条例》第四十五条: 罚款、没收的违法所得依法上缴国库 (paid into the
    # 非税收入 account); 退回的基金退回原医疗保障基金财政专户 (the fund's own account at the 财政局).
    payment: PaymentAccount = Field(default_factory=PaymentAccount,
                                    title="罚没款缴款账户（非税收入，上缴国库）")
    fund_return: PaymentAccount = Field(default_factory=PaymentAccount,
                                        title="医疗保障基金财政专户（责令退回的基金）")
    doc_prefix: str = ""  # 机关代字 of 文号; empty: the agency's short name
    limits: dict[str, LimitSetting] = Field(default_factory=dict)  # rule code → length/unit
    reminders: ReminderSetting = Field(default_factory=ReminderSetting)
    casefile: CaseFileSetting = Field(default_factory=CaseFileSetting)
    discretion: DiscretionSetting = Field(default_factory=DiscretionSetting)
    publication: PublicationSetting = Field(default_factory=PublicationSetting)
    documents: DocumentStyle = Field(default_factory=DocumentStyle,
                                     title="文书样式（字体、两端对齐、成文日期写法）")


def read_settings(raw: dict[str, Any] | None) -> AgencySettings:
    try:
        return AgencySettings.model_validate(raw or {})
    except ValidationError as exc:
        details = {".".join(str(p) for p in e["loc"]): e["msg"] for e in exc.errors()}
        raise InvalidInput("机关设置格式有误。", code="AGENCY_SETTINGS_INVALID", details=details) from exc


def check_limits(settings: AgencySettings, rules: dict[str, DeadlineRule]) -> None:
    """Only limits the sources leave open (`configurable: true` in workflows/rules/<set>/deadlines.yaml) may be set."""
    errors: dict[str, str] = {}
    for code in settings.limits:
        rule = rules.get(code)
        if rule is None:
            errors[f"limits.{code}"] = "没有这个期限"
        elif not rule.configurable:
            errors[f"limits.{code}"] = f"「{rule.name}」由法律规定（{rule.basis}），不能在机关设置中修改"
    if errors:
        raise InvalidInput("机关设置中的期限不能修改：" + "；".join(errors.values()) + "。",
                           code="LIMIT_NOT_CONFIGURABLE", details=errors)


def effective_rule(rule: DeadlineRule, settings: AgencySettings) -> DeadlineRule:
    """The rule with the agency's length/unit where the rule is configurable."""
    own = settings.limits.get(rule.code)
    if own is None or not rule.configurable:
        return rule
    return replace(rule, length=own.length, unit=own.unit or rule.unit)


def agency_row(db_session: Session, agency_id: int) -> tuple[Any, str | None]:
    """The agency's settings (raw JSON) and province, read once per transaction (a step's guards,
    effects and documents all ask)."""
    return memo(db_session, ("agency", agency_id), lambda: tuple(db_session.execute(
        select(Agency.settings, Agency.province).where(Agency.id == agency_id)).one()))
