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

from dataclasses import dataclass

from caseflow.documents.requirements import (  # noqa: F401 — the vocabularies are part of this API
    APPROVALS,
    CONTACT,
    CORRECTIVE_KINDS,
    EVIDENCE_KINDS,
    FINDINGS,
    FORM_HEAD,
    FUND_ACCOUNT,
    HEAD,
    HEARING_DAYS,
    ITEMS,
    PARTY,
    PARTY_ID,
    PAYMENT,
    PENALTIES,
    REMEDIES,
    REVIEW_CONCLUSIONS,
    SERVICE_METHODS,
    STATEMENT,
    TREASURY_ACCOUNT,
    FieldSpec,
    dunning_demands_fine,
    dunning_returns_fund,
    exemption,
    hearing_entitled,
    left_with_neighbour,
    need,
    only_when,
    record_head,
    returns_fund,
)
from caseflow.errors import NotFound

__all__ = ["CORRECTIVE_KINDS", "DOC_TYPES", "EVIDENCE_KINDS", "SERVICE_METHODS", "DocType", "FieldSpec",
           "get_doc_type"]


@dataclass(frozen=True)
class DocType:
    key: str
    title: str  # Chinese title printed on the document
    number_code: str | None  # 文号 代字 after the agency prefix ("罚决"); None: no 文号 of its own
    template: str  # file name in doc_templates/
    required: tuple[FieldSpec, ...]
    sealed: bool = True  # carries the agency's seal (internal forms do not)


def _notice(key: str, title: str, code: str, hearing: bool) -> DocType:
    hearing_spec = (HEARING_DAYS if hearing
                    else need(HEARING_DAYS.path, HEARING_DAYS.label, when=hearing_entitled))
    required = (*HEAD, *CONTACT, *PARTY_ID, *FINDINGS, *PENALTIES, *STATEMENT, hearing_spec)
    if not hearing:
        required += (need("hearing_entitled", "是否享有听证权利"),)
    return DocType(key, title, code, f"{key}.html", required)


_TYPES = (
    _notice("penalty_notice", "行政处罚事先告知书", "罚告", hearing=False),
    _notice("hearing_rights_notice", "行政处罚听证告知书", "听告", hearing=True),
    # Only 责令退回 (责令改正 …) intended, no 行政处罚: told as a 行政处理, without 听证 (第六十三条).
    _notice("recovery_notice", "行政处理事先告知书", "处告", hearing=False),
    DocType("hearing_summons", "听证通知书", "听通", "hearing_summons.html", (
        *HEAD, *CONTACT, *PARTY_ID[:2], need("case.cause", "案由"),
        need("hearing.held_on", "听证时间"), need("hearing.place", "听证地点"),
        need("hearing.host", "听证主持人"),
    )),
    DocType("penalty_decision", "行政处罚决定书", "罚决", "penalty_decision.html", (
        *HEAD, *PARTY, *FINDINGS, *PENALTIES, *PAYMENT, *REMEDIES,
    )),
    DocType("no_penalty_decision", "不予行政处罚决定书", "不罚决", "no_penalty_decision.html", (
        *HEAD, *PARTY, need("case.cause", "案由"), need("facts", "违法事实"),
        need("reasons", "不予行政处罚的理由"), need("bases[*].citation", "法律依据"), *REMEDIES,
    )),
    DocType("recovery_decision", "行政处理决定书", "处决", "recovery_decision.html", (
        *HEAD, *PARTY, *FINDINGS,
        need("penalties[*].kind", "处理内容", choices=CORRECTIVE_KINDS),
        need("fund_return_total", "责令退回金额", when=returns_fund),
        need("fund_return_due_days", "责令退回期限（日）", when=returns_fund),
        *only_when(FUND_ACCOUNT, returns_fund),
        *(need(f"exemption.limitation.{key}", label, when=lambda d: exemption(d, "limitation"))
          for key, label in (("years", "追责时效（年）"), ("counted_from", "追责时效起算日期"),
                             ("last_day", "追责时效届满日期"), ("filed_on", "立案日期"))),
        need("exemption.ground_basis", "不予行政处罚的依据", when=lambda d: exemption(d, "ground")),
        *REMEDIES,
    )),
    DocType("sealing_decision", "封存决定书", "封决", "sealing_decision.html", (
        *HEAD, *PARTY, need("sealing.reason", "封存理由"), need("sealing.bases[*].citation", "封存依据"),
        need("sealing.term_days", "封存期限（日）"), need("sealing.from", "封存起始日期"),
        need("sealing.to", "封存截止日期"), need("sealing.place", "封存物品存放地点"), *ITEMS,
        need("officers[*].name", "执法人员姓名（至少两名）", min_items=2),
        need("officers[*].credential_no", "执法证号（至少两名）", min_items=2),
        *REMEDIES,
    )),
    DocType("sealing_release", "解除封存决定书", "解封决", "sealing_release.html", (
        *HEAD, *PARTY, need("release.sealed_doc_no", "原封存决定书文号"),
        need("release.reason", "解除封存的理由"),
    )),
    DocType("sealing_extension", "延长封存期限决定书", "延封决", "sealing_extension.html", (
        *HEAD, *PARTY, need("extension.sealed_doc_no", "原封存决定书文号"),
        need("extension.to", "原封存期限截止日期"), need("extension.days", "延长天数"),
        need("extension.new_to", "延长后的封存期限截止日期"), need("extension.reason", "延长封存期限的理由"),
        *REMEDIES,
    )),
    DocType("service_receipt", "送达回证", None, "service_receipt.html", (
        need("agency.name", "行政机关名称"),
        need("service.served_doc_title", "送达文书名称"), need("service.served_doc_no", "送达文书文号"),
        need("service.recipient", "受送达人"), need("service.place", "送达地点"),
        need("service.method", "送达方式", choices=SERVICE_METHODS),
        need("service.server_names[*]", "送达人"),
        need("service.witness", "见证人（留置送达）", when=left_with_neighbour),
        need("service.refusal_reason", "拒收事由（留置送达）", when=left_with_neighbour),
    ), sealed=False),
    DocType("dunning_notice", "催告书", "催告", "dunning_notice.html", (
        *HEAD, *CONTACT, *PARTY_ID, need("dunning.decision_doc_no", "决定书文号"),
        need("dunning.amount_due", "应缴罚款金额", when=dunning_demands_fine),
        need("dunning.late_fee", "加处罚款金额", when=dunning_demands_fine),
        need("dunning.pay_by", "履行期限"), *only_when(TREASURY_ACCOUNT, dunning_demands_fine),
        *only_when(FUND_ACCOUNT, dunning_returns_fund),
        *STATEMENT, need("agency.court", "申请强制执行的法院"),
    )),
    DocType("filing_approval", "立案审批表", None, "filing_approval.html", (
        *FORM_HEAD, need("facts", "简要案情"), *APPROVALS,
    ), sealed=False),
    DocType("legal_review_opinion", "法制审核意见书", "审核", "legal_review_opinion.html", (
        *HEAD, need("case.case_no", "案号"), need("case.cause", "案由"),
        need("parties[*].name", "当事人名称或姓名"), need("review.opinion", "审核意见"),
        need("review.conclusion", "审核结论", choices=REVIEW_CONCLUSIONS),
        need("review.reviewer", "审核人"),
        need("review.reviewed_on", "审核日期"),
    ), sealed=False),
    DocType("closing_approval", "结案审批表", None, "closing_approval.html", (
        *FORM_HEAD, need("closing.result", "处理结果"), need("closing.execution", "执行情况"),
        *APPROVALS,
    ), sealed=False),
    DocType("inquiry_record", "询问笔录", None, "inquiry_record.html", (
        *record_head("询问", "询问人"),
        need("record.person.name", "被询问人姓名"),
        need("record.qa[*].q", "询问内容（问）"),
        need("record.qa[*].a", "回答内容（答）"),
    ), sealed=False),
    DocType("inspection_record", "现场检查笔录", None, "inspection_record.html", (
        *record_head("检查", "检查人"),
        need("record.subject.name", "被检查单位或者个人名称"),
        need("record.findings", "检查情况"),
    ), sealed=False),
    DocType("evidence_list", "证据清单", None, "evidence_list.html", (
        need("agency.name", "行政机关名称"),
        need("case.case_no", "案号"),
        need("evidence_list.items[*].seq", "证据序号"),
        need("evidence_list.items[*].title", "证据名称"),
        need("evidence_list.items[*].kind", "证据种类", choices=EVIDENCE_KINDS),
    ), sealed=False),
)

DOC_TYPES: dict[str, DocType] = {t.key: t for t in _TYPES}


def get_doc_type(key: str) -> DocType:
    try:
        return DOC_TYPES[key]
    except KeyError:
        raise NotFound(f"未知的文书类型：{key}", code="DOCUMENT_TYPE_UNKNOWN",
                       details={"doc_type": key}) from None
