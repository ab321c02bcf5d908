"""The document types (执法文书) the system can render, and the data contract they share.

Every rendering takes ONE plain dict. Its keys are listed below; which ones a document type needs
is declared by that type's `required` field specs (`DOC_TYPES[key].required`), checked by
`caseflow.documents.fields.require_fields` before anything is rendered. Everything not required
by a type is optional for it and is simply left out of the document when absent.
"Missing" means absent, None, "" (or only spaces), [] or {}; 0, Decimal("0") and False are present.
A missing value raises InvalidInput(code="DOCUMENT_FIELDS_MISSING"); a value outside a fixed set
(parties[].kind, service.method, review.conclusion, evidence_list.items[].kind) raises
DOCUMENT_FIELDS_INVALID.

Types: `date` = datetime.date; `datetime` = timezone-aware datetime (naive ones are refused; shown
in the configured display zone, Asia/Shanghai); money = Decimal in 元 exact to the 分 (int and
str are accepted, float is refused).

Top level
  doc_no            str    finished 文号, e.g. "栾医保罚决〔2026〕3号" (`format_doc_number` +
                           the type's `number_code`); None for forms without 文号
  issued_on         date   date of the document (signature block, in Chinese numerals)
  agency            dict   the issuing 行政机关:
      name          str    "栾川县医疗保障局" (heading, signature)
      address, postcode, phone, contact (联系人)     str
      review_bodies list[str]  行政复议机关, e.g. ["栾川县人民政府"] (joined with 或者)
      court         str    the court for 行政诉讼, e.g. "栾川县人民法院"
      payment       dict   the account 罚款 and 没收的违法所得 are paid into (非税收入, 依法上缴国库,
                           条例 第四十五条): payee (收款单位), bank (开户银行), account (账号)
      fund_return   dict   the 医疗保障基金财政专户 that 责令退回 money goes back to (条例 第四十五条):
                           payee, bank, account
      review_unit   str    法制审核机构, e.g. "栾川县医疗保障局法制审核股" (legal_review_opinion)
  case              dict   case_no (案号), title, item_name (权力事项), cause (案由, e.g.
                           "栾川县康泰医院有限公司涉嫌虚构医药服务项目骗取医疗保障基金支出"),
                           opened_on (date, 立案日期), source (案件来源), received_on (date)
  parties           list[dict]  当事人, at least one where required:
      kind          "organisation" | "individual"  (values of `caseflow.parties.models.PartyKind`)
      name, identifier (统一社会信用代码 / 居民身份证号码), address   str
      representative (法定代表人或者负责人, organisations), phone   str, optional
  facts             str    违法事实 (one or more paragraphs separated by blank lines)
  evidence          list[str]  证据, one per entry
  reasons           str    理由: the rule broken and the reasons for the measure (裁量理由)
  discretion        str    裁量: the circumstances weighed, the benchmark's 条目 and tier, and the
                           裁量说明 where the proposal leaves the tier (告知书, 决定书, 法制审核意见书; optional)
  statement_summary str    陈述、申辩/听证 and whether it was adopted (decisions, optional)
  procedure         str    what was done before the decision (告知、送达…, optional)
  bases             list[dict]  法律依据: citation ("《医疗保障基金使用监督管理条例》第四十条第一款"),
                           text (article text, optional: quoted when present)
  penalties         list[dict]  行政处罚 (intended in 告知书, decided in 决定书):
      kind          str    "责令退回", "罚款", "暂停医药服务" …
      amount        money|None   shown in figures and 大写
      months        int|None
      description   str    optional wording; default is built from kind/amount/months
      target        "party" | "responsible_person"  (the latter prefixes 对直接负责的主管人员…)
      basis         str    optional citation for this measure
  fine_total        money  total of the 罚款 to pay (required when a penalty is a 罚款)
  payment_due_days  int    days to pay from receipt (15, 行政处罚法 第六十七条第三款); also the
                           period for 没收的违法所得
  confiscation_total money 没收的违法所得 to pay (optional), paid with the 罚款 into `agency.payment`
  fund_return_total money  total of the 责令退回 (required when a penalty is a 责令退回)
  fund_return_due_days int days to return it from receipt of the 决定书 (the agency's 责令退回期限)
  fund_return_due   date   optional: the last day of that period, when already known
  performance       str    how and by when to perform the non-monetary measures (optional)
  officers          list[dict]  执法人员: name, credential_no (执法证号)
  statement_days    int    陈述、申辩 period (告知书, 催告书), e.g. 5
  statement_days_unit str  "工作日" (default) or "日"
  statement_due     date   optional: the last day of that period, when already known
  hearing_entitled  bool   告知书: whether the party may ask for a hearing
  hearing_request_days int  days to ask for a hearing (5 工作日, 行政处罚法 第六十四条)
  approvals         list[dict]  form rows: role ("承办人意见" | "审核意见" | "负责人审批" …),
                           name, opinion, on (date); opinion/on left blank for hand-writing

Per type
  hearing  (hearing_summons): held_on (datetime), place, host (主持人), clerk (书记员, optional),
           public (bool, default True), private_reason (str, when not public),
           requested_on (date, optional)
  sealing  (sealing_decision): reason, bases (list of {citation, text}), term_days (int),
           from (date), to (date), place (存放地点), custodian (保管人, optional),
           items: list of {name, spec, quantity, unit, location, note} (name and quantity
           required), witness (optional, on the 清单)
  release  (sealing_release): sealed_doc_no (封存决定书文号), sealed_on (date, optional), reason,
           basis (citation, optional; default 行政强制法 第二十八条), items (list[str], optional:
           default "原《封存清单》所列全部物品"), effective_on (date, optional)
  extension (sealing_extension, 行政强制法 第二十五条第一款、第二款): sealed_doc_no (原封存决定书文号),
           sealed_on (date of that decision, optional), items (list of {name, quantity, unit},
           optional: default "有关物品"; the 清单 annexed to that decision is referred to), place
           (存放地点, optional), from (date the term began, optional), term_days (int, the term
           decided, optional), to (date, last day of the term before the extension), days (int,
           延长天数, 1–30), new_to (date, last day of the extended term as the deadline engine
           counts it), reason (延长理由: the 局负责人's written reasons, 第二十五条第二款), basis
           (citation, optional; default 《中华人民共和国行政强制法》第二十五条第一款)
  service  (service_receipt): served_doc_title ("行政处罚决定书"), served_doc_no, recipient,
           place, method (直接送达|留置送达|邮寄送达|委托送达|电子送达|公告送达), served_at
           (datetime, optional: blank for hand-writing), receiver (签收人 if not the recipient,
           optional), server_names (list[str]), witness and refusal_reason (required for
           留置送达), note (optional)
  dunning  (dunning_notice): decision_doc_no, decision_title (the decision's title, optional:
           default 行政处罚决定书; 行政处理决定书 where that is the case's decision), decision_on (date,
           optional), served_on (date, optional), fine (money, the fine decided, optional),
           amount_due (money unpaid),
           late_fee (money 加处罚款 so far, may be 0), late_fee_as_of (date, optional),
           pay_by (date), fund_return_due (money 责令退回 not yet returned, optional: demanded
           too, into `agency.fund_return`). amount_due and late_fee (and the 国库 account) are
           required unless the notice demands only a fund return (no fine, no amount_due).
  recovery (recovery_decision, 行政处理决定书): the fund is recovered where no 行政处罚 is imposed —
           the 追责时效 of 《行政处罚法》第三十六条 has passed, or the head decided 不予行政处罚 — by
           责令退回 (《医疗保障基金使用监督管理条例》第三十七条、第三十八条、第四十条、第四十一条), which is
           not a 行政处罚 of 《行政处罚法》第九条 but a 责令改正 (第二十八条). Uses the top-level keys of a
           decision (parties, facts, evidence, reasons, bases, statement_summary, procedure, performance)
           with `penalties` = the measures decided, each of CORRECTIVE_KINDS (责令退回, 责令追回, 责令改正,
           责令限期改正; any other kind is DOCUMENT_FIELDS_INVALID), and fund_return_total,
           fund_return_due_days (fund_return_due optional) and agency.fund_return where one is a
           责令退回. Why no 行政处罚 is imposed, optional (a measure the law sets without a penalty needs
           no reason), in `exemption`:
      limitation   dict  the period that ran out: years (int), counted_from (date the violation happened
                         or, if continuing, ended), continuing (bool, optional), last_day (date the
                         period ended), filed_on (date of 立案, when the violation counts as discovered)
      ground       str   the 不予行政处罚 ground (a name of workflows/rules/<set>/no_penalty_grounds.yaml),
      ground_basis str   its article (required with ground), education (str, the 教育 given,
                         第三十三条第三款, optional)
  review   (legal_review_opinion): submitted_by (送审机构, optional), submitted_on (date,
           optional), points (list of {item, finding}, optional), opinion, conclusion
           ("同意" | "退回"), reviewer, reviewed_on (date)
  closing  (closing_approval): decision_doc_no (optional), result (处理结果), execution (执行情况),
           reason (结案理由, optional)
  record   (inquiry_record, 询问笔录 — 行政处罚法 第五十五条: 出示执法证件, 询问应当制作笔录; 第四十二条:
           执法人员不得少于两人): started_at, ended_at (datetime, 询问时间 from … to …), place (询问地点),
           sequence (int, 第N次询问, optional), officers (list of {name, credential_no}, at least
           two: the 询问人 with their 执法证号), recorder (记录人, optional: a blank to write in),
           person (被询问人: name; sex, id_number, phone, work_unit (工作单位及职务), address, relation
           (与本案关系, e.g. "当事人的法定代表人", "证人") optional), credentials_shown (bool, optional:
           True prints "执法人员已出示执法证件", False or absent "（未记录出示执法证件）"), opening
           (optional: the first 问; default the standard notice naming the agency, the officers and
           their 执法证号, case.cause, the duty to answer truthfully and the right to 回避), qa (list
           of {q, a}, at least one: 问/答, line breaks kept), closing (optional: the sentence the
           被询问人 copies and signs; default "以上笔录我已看过（或已向我宣读过），与我所说的相符。")
  record   (inspection_record, 现场检查笔录 — the same articles): started_at, ended_at (datetime,
           检查时间), place (检查地点), officers (at least two, {name, credential_no}: 检查人),
           recorder (optional), subject (被检查单位或者个人: name; address, representative (法定代表人
           或者负责人), phone optional), present (在场人员, optional: list of {name, position (职务),
           phone (optional)}), credentials_shown (bool, optional, as above), findings (检查情况,
           paragraphs separated by line breaks), measures (现场采取的措施, optional: 拍照、复制、先行
           登记保存 …), closing (optional; default "以上笔录已经本人核对，与现场检查情况一致。")
           Both 笔录 print 案号 (no 文号), no seal, and on every page the signature line of the
           persons asked or inspected, the officers and the recorder, and "第 X 页 共 Y 页".
  evidence_list (evidence_list, 证据清单 — 行政处罚法 第四十六条): items (list, at least one, of:
           seq (int, 序号), kind (证据种类, one of 第四十六条's: 书证、物证、视听资料、电子数据、证人证言、
           当事人的陈述、鉴定意见、勘验笔录、现场笔录), title (证据名称), source (来源: 提供人或者调取
           地点), obtained_by (取得方式: 调取、复制、拍照、录音录像、先行登记保存、询问、现场检查 …),
           collectors (list[str], 收集人), collected_on (date), pages (int|None, 页数), proves
           (证明目的), files (list of {filename, sha256}: the stored files, shown under the title
           with the first 16 hex digits of the SHA-256) — all but seq, kind and title optional),
           prepared_by (制表人, optional), prepared_on (date, optional). Also shown when present:
           parties[0].name (当事人) and case.cause (案由).

The names `doc_type` and `data` are reserved (the templates receive the DocType and the dict).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from caseflow.errors import NotFound

__all__ = ["DOC_TYPES", "DocType", "FieldSpec", "get_doc_type"]


@dataclass(frozen=True)
class FieldSpec:
    """One required value: a path into the data dict and the Chinese label shown when it is missing.

    Paths: "agency.payment.account", "parties[0].name", "parties[*].name" (a list with at least
    `min_items` elements, each having the rest of the path), "agency.review_bodies[*]" (a list of
    at least `min_items` non-empty values). `when` makes the requirement conditional on the data;
    `choices` lists the only values allowed.
    """

    path: str
    label: str
    min_items: int = 1
    when: Callable[[Mapping[str, Any]], bool] | None = None
    choices: tuple[str, ...] | None = None  # the allowed values, when the wording depends on it

    def applies(self, data: Mapping[str, Any]) -> bool:
        return self.when is None or bool(self.when(data))


@dataclass(frozen=True)
class DocType:
    key: str
    title: str  # Chinese title printed on the document
    number_code: str | None  # 文号 代字 after the agency prefix ("罚决"); None: no 文号 of its own
    template: str  # file name in doc_templates/
    required: tuple[FieldSpec, ...]
    sealed: bool = True  # carries the agency's seal (internal forms do not)


PARTY_KINDS = ("organisation", "individual")
SERVICE_METHODS = ("直接送达", "留置送达", "邮寄送达", "委托送达", "电子送达", "公告送达")
REVIEW_CONCLUSIONS = ("同意", "退回")
# 行政处罚法 第四十六条: the kinds of evidence (the list is closed: 证据包括 …).
EVIDENCE_KINDS = ("书证", "物证", "视听资料", "电子数据", "证人证言", "当事人的陈述", "鉴定意见",
                  "勘验笔录", "现场笔录")


FINE, CONFISCATION, FUND_RETURN = "罚款", "没收违法所得", "责令退回"
# Measures that restore or correct, not 行政处罚 (《行政处罚法》第九条、第二十八条): what a 行政处理决定书
# orders, and what remains after the 追责时效 (第三十六条) — caseflow.cases.limitation reads it.
CORRECTIVE_KINDS = (FUND_RETURN, "责令追回", "责令改正", "责令限期改正")


def _has_penalty(data: Mapping[str, Any], *kinds: str) -> bool:
    return any(isinstance(p, Mapping) and p.get("kind") in kinds
               for p in data.get("penalties") or ())


def _has_fine(data: Mapping[str, Any]) -> bool:
    return _has_penalty(data, FINE)


def _pays_treasury(data: Mapping[str, Any]) -> bool:
    """罚款 and 没收的违法所得 go to the 国库 (非税收入) account, 条例 第四十五条."""
    return _has_penalty(data, FINE, CONFISCATION)


def _returns_fund(data: Mapping[str, Any]) -> bool:
    """责令退回: back to the 医疗保障基金财政专户, 条例 第四十五条."""
    return _has_penalty(data, FUND_RETURN)


def _dunning(data: Mapping[str, Any]) -> Mapping[str, Any]:
    dunning = data.get("dunning")
    return dunning if isinstance(dunning, Mapping) else {}


def _dunning_returns_fund(data: Mapping[str, Any]) -> bool:
    return _dunning(data).get("fund_return_due") is not None


def _dunning_demands_fine(data: Mapping[str, Any]) -> bool:
    """The 催告书 demands the fine unless it demands only the return of the fund (no fine named)."""
    named = any(_dunning(data).get(k) is not None for k in ("fine", "amount_due"))
    return named or not _dunning_returns_fund(data)


def _exemption(data: Mapping[str, Any], key: str) -> bool:
    exemption = data.get("exemption")
    return isinstance(exemption, Mapping) and exemption.get(key) not in (None, "", {})


def _hearing_entitled(data: Mapping[str, Any]) -> bool:
    return data.get("hearing_entitled") is True


def _left_with_neighbour(data: Mapping[str, Any]) -> bool:
    service = data.get("service")
    return isinstance(service, Mapping) and service.get("method") == "留置送达"


def _f(path: str, label: str, **kwargs: Any) -> FieldSpec:
    return FieldSpec(path, label, **kwargs)


def _when(specs: tuple[FieldSpec, ...], when: Callable[[Mapping[str, Any]], bool]
          ) -> tuple[FieldSpec, ...]:
    """The same specs, required only when `when` holds."""
    return tuple(_f(s.path, s.label, when=when) for s in specs)


HEAD = (_f("doc_no", "文号"), _f("issued_on", "文书日期"), _f("agency.name", "行政机关名称"))
CONTACT = (_f("agency.address", "行政机关地址"), _f("agency.phone", "行政机关联系电话"))
PARTY_ID = (  # addressed by name (告知书, 通知书, 催告书)
    _f("parties[*].name", "当事人名称或姓名"),
    _f("parties[*].kind", "当事人类型", choices=PARTY_KINDS),
    _f("parties[*].identifier", "当事人统一社会信用代码或身份证号码"),
)
PARTY = (*PARTY_ID, _f("parties[*].address", "当事人地址"))  # the 当事人 block of decisions
REMEDIES = (_f("agency.review_bodies[*]", "行政复议机关"), _f("agency.court", "行政诉讼管辖法院"))
FINDINGS = (
    _f("case.cause", "案由"),
    _f("facts", "违法事实"),
    _f("evidence[*]", "证据"),
    _f("reasons", "理由"),
    _f("bases[*].citation", "法律依据"),
)
PENALTIES = (_f("penalties[*].kind", "行政处罚种类"),)
TREASURY_ACCOUNT = (  # 罚款、没收的违法所得: 依法上缴国库
    _f("agency.payment.payee", "罚没款缴款账户（国库）收款单位"),
    _f("agency.payment.bank", "罚没款缴款账户（国库）开户银行"),
    _f("agency.payment.account", "罚没款缴款账户（国库）账号"),
)
FUND_ACCOUNT = (  # 退回的基金: 原医疗保障基金财政专户
    _f("agency.fund_return.payee", "医疗保障基金财政专户收款单位"),
    _f("agency.fund_return.bank", "医疗保障基金财政专户开户银行"),
    _f("agency.fund_return.account", "医疗保障基金财政专户账号"),
)
PAYMENT = (
    _f("fine_total", "罚款总额", when=_has_fine),
    _f("payment_due_days", "缴纳罚没款期限（日）", when=_pays_treasury),
    *_when(TREASURY_ACCOUNT, _pays_treasury),
    _f("fund_return_total", "责令退回金额", when=_returns_fund),
    _f("fund_return_due_days", "责令退回期限（日）", when=_returns_fund),
    *_when(FUND_ACCOUNT, _returns_fund),
)
STATEMENT = (_f("statement_days", "陈述、申辩期限"),)
HEARING_DAYS = _f("hearing_request_days", "要求听证的期限")
FORM_HEAD = (
    _f("agency.name", "行政机关名称"),
    _f("case.case_no", "案号"),
    _f("case.cause", "案由"),
    *PARTY_ID[:2],
)
APPROVALS = (_f("approvals[*].role", "审批环节"), _f("approvals[*].name", "审批人"))
ITEMS = (
    _f("sealing.items[*].name", "封存物品名称"),
    _f("sealing.items[*].quantity", "封存物品数量"),
)


def _record_head(what: str, who: str) -> tuple[FieldSpec, ...]:
    """询问笔录 / 现场检查笔录: 案号, time, place and the two officers with their 执法证号
    (行政处罚法 第四十二条、第五十五条)."""
    return (
        _f("agency.name", "行政机关名称"),
        _f("case.case_no", "案号"),
        _f("record.started_at", f"{what}开始时间"),
        _f("record.ended_at", f"{what}结束时间"),
        _f("record.place", f"{what}地点"),
        _f("record.officers[*].name", f"{who}姓名（执法人员至少两名）", min_items=2),
        _f("record.officers[*].credential_no", f"{who}执法证号（执法人员至少两名）", min_items=2),
    )


def _notice(key: str, title: str, code: str, hearing: bool) -> DocType:
    hearing_spec = (HEARING_DAYS if hearing
                    else _f(HEARING_DAYS.path, HEARING_DAYS.label, when=_hearing_entitled))
    required = (*HEAD, *CONTACT, *PARTY_ID, *FINDINGS, *PENALTIES, *STATEMENT, hearing_spec)
    if not hearing:
        required += (_f("hearing_entitled", "是否享有听证权利"),)
    return DocType(key, title, code, f"{key}.html", required)


_TYPES = (
    _notice("penalty_notice", "行政处罚事先告知书", "罚告", hearing=False),
    _notice("hearing_rights_notice", "行政处罚听证告知书", "听告", hearing=True),
    DocType("hearing_summons", "听证通知书", "听通", "hearing_summons.html", (
        *HEAD, *CONTACT, *PARTY_ID[:2], _f("case.cause", "案由"),
        _f("hearing.held_on", "听证时间"), _f("hearing.place", "听证地点"),
        _f("hearing.host", "听证主持人"),
    )),
    DocType("penalty_decision", "行政处罚决定书", "罚决", "penalty_decision.html", (
        *HEAD, *PARTY, *FINDINGS, *PENALTIES, *PAYMENT, *REMEDIES,
    )),
    DocType("no_penalty_decision", "不予行政处罚决定书", "不罚决", "no_penalty_decision.html", (
        *HEAD, *PARTY, _f("case.cause", "案由"), _f("facts", "违法事实"),
        _f("reasons", "不予行政处罚的理由"), _f("bases[*].citation", "法律依据"), *REMEDIES,
    )),
    DocType("recovery_decision", "行政处理决定书", "处决", "recovery_decision.html", (
        *HEAD, *PARTY, *FINDINGS,
        _f("penalties[*].kind", "处理内容", choices=CORRECTIVE_KINDS),
        _f("fund_return_total", "责令退回金额", when=_returns_fund),
        _f("fund_return_due_days", "责令退回期限（日）", when=_returns_fund),
        *_when(FUND_ACCOUNT, _returns_fund),
        *(_f(f"exemption.limitation.{key}", label, when=lambda d: _exemption(d, "limitation"))
          for key, label in (("years", "追责时效（年）"), ("counted_from", "追责时效起算日期"),
                             ("last_day", "追责时效届满日期"), ("filed_on", "立案日期"))),
        _f("exemption.ground_basis", "不予行政处罚的依据", when=lambda d: _exemption(d, "ground")),
        *REMEDIES,
    )),
    DocType("sealing_decision", "封存决定书", "封决", "sealing_decision.html", (
        *HEAD, *PARTY, _f("sealing.reason", "封存理由"), _f("sealing.bases[*].citation", "封存依据"),
        _f("sealing.term_days", "封存期限（日）"), _f("sealing.from", "封存起始日期"),
        _f("sealing.to", "封存截止日期"), _f("sealing.place", "封存物品存放地点"), *ITEMS,
        _f("officers[*].name", "执法人员姓名（至少两名）", min_items=2),
        _f("officers[*].credential_no", "执法证号（至少两名）", min_items=2),
        *REMEDIES,
    )),
    DocType("sealing_release", "解除封存决定书", "解封决", "sealing_release.html", (
        *HEAD, *PARTY, _f("release.sealed_doc_no", "原封存决定书文号"),
        _f("release.reason", "解除封存的理由"),
    )),
    DocType("sealing_extension", "延长封存期限决定书", "延封决", "sealing_extension.html", (
        *HEAD, *PARTY, _f("extension.sealed_doc_no", "原封存决定书文号"),
        _f("extension.to", "原封存期限截止日期"), _f("extension.days", "延长天数"),
        _f("extension.new_to", "延长后的封存期限截止日期"), _f("extension.reason", "延长封存期限的理由"),
        *REMEDIES,
    )),
    DocType("service_receipt", "送达回证", None, "service_receipt.html", (
        _f("agency.name", "行政机关名称"),
        _f("service.served_doc_title", "送达文书名称"), _f("service.served_doc_no", "送达文书文号"),
        _f("service.recipient", "受送达人"), _f("service.place", "送达地点"),
        _f("service.method", "送达方式", choices=SERVICE_METHODS),
        _f("service.server_names[*]", "送达人"),
        _f("service.witness", "见证人（留置送达）", when=_left_with_neighbour),
        _f("service.refusal_reason", "拒收事由（留置送达）", when=_left_with_neighbour),
    ), sealed=False),
    DocType("dunning_notice", "催告书", "催告", "dunning_notice.html", (
        *HEAD, *CONTACT, *PARTY_ID, _f("dunning.decision_doc_no", "决定书文号"),
        _f("dunning.amount_due", "应缴罚款金额", when=_dunning_demands_fine),
        _f("dunning.late_fee", "加处罚款金额", when=_dunning_demands_fine),
        _f("dunning.pay_by", "履行期限"), *_when(TREASURY_ACCOUNT, _dunning_demands_fine),
        *_when(FUND_ACCOUNT, _dunning_returns_fund),
        *STATEMENT, _f("agency.court", "申请强制执行的法院"),
    )),
    DocType("filing_approval", "立案审批表", None, "filing_approval.html", (
        *FORM_HEAD, _f("facts", "简要案情"), *APPROVALS,
    ), sealed=False),
    DocType("legal_review_opinion", "法制审核意见书", "审核", "legal_review_opinion.html", (
        *HEAD, _f("case.case_no", "案号"), _f("case.cause", "案由"),
        _f("parties[*].name", "当事人名称或姓名"), _f("review.opinion", "审核意见"),
        _f("review.conclusion", "审核结论", choices=REVIEW_CONCLUSIONS),
        _f("review.reviewer", "审核人"),
        _f("review.reviewed_on", "审核日期"),
    ), sealed=False),
    DocType("closing_approval", "结案审批表", None, "closing_approval.html", (
        *FORM_HEAD, _f("closing.result", "处理结果"), _f("closing.execution", "执行情况"),
        *APPROVALS,
    ), sealed=False),
    DocType("inquiry_record", "询问笔录", None, "inquiry_record.html", (
        *_record_head("询问", "询问人"),
        _f("record.person.name", "被询问人姓名"),
        _f("record.qa[*].q", "询问内容（问）"),
        _f("record.qa[*].a", "回答内容（答）"),
    ), sealed=False),
    DocType("inspection_record", "现场检查笔录", None, "inspection_record.html", (
        *_record_head("检查", "检查人"),
        _f("record.subject.name", "被检查单位或者个人名称"),
        _f("record.findings", "检查情况"),
    ), sealed=False),
    DocType("evidence_list", "证据清单", None, "evidence_list.html", (
        _f("agency.name", "行政机关名称"),
        _f("case.case_no", "案号"),
        _f("evidence_list.items[*].seq", "证据序号"),
        _f("evidence_list.items[*].title", "证据名称"),
        _f("evidence_list.items[*].kind", "证据种类", choices=EVIDENCE_KINDS),
    ), sealed=False),
)

DOC_TYPES: dict[str, DocType] = {t.key: t for t in _TYPES}


def get_doc_type(key: str) -> DocType:
    try:
        return DOC_TYPES[key]
    except KeyError:
        raise NotFound(f"未知的文书类型：{key}", code="DOCUMENT_TYPE_UNKNOWN",
                       details={"doc_type": key}) from None
