"""What the statutes require each 执法文书 to state, read back from the rendered PDF.

One row per required element: the document type, the article requiring it, the element, and the
strings that must be visible in the PDF — built from the sample data (`sample_data.py`), so the
row checks the party's name, the amount, the date the data holds, not a constant. The text is read
with `pdftotext -layout`; whitespace and the page footers ("— 2 —") are removed before comparing,
so a line or page break may fall anywhere inside an expected string.

The signature block (agency name, then the date under it) is checked as ONE string: a date that
is in the data but not printed under the name is the gap this file guards against, also when the
block falls at the very end of a page (`test_signature_date_survives_the_page_end`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from caseflow.documents.formatting import (
    citations,
    date_arabic,
    date_chinese,
    datetime_chinese,
    money,
    money_full,
    quantity,
)
from caseflow.documents.renderer import TEMPLATES_DIR, render_pdf
from caseflow.documents.types import DOC_TYPES
from caseflow.legal_time import SHANGHAI, default_calendar
from tests.documents.sample_data import sample

POPPLER = all(shutil.which(tool) for tool in ("pdftotext",))
pytestmark = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")

Data = dict[str, Any]

CFL = "《行政处罚法》"
QZF = "《行政强制法》"
MSS = "《民事诉讼法》"
TL = "《医疗保障基金使用监督管理条例》"
GBT = "GB/T 9704-2012"  # 发文机关署名、成文日期 (forms and letters without a statute of their own)


@dataclass(frozen=True)
class Element:
    doc: str  # document type key
    article: str  # where the law requires it
    what: str  # the element, in the law's words
    visible: Callable[[Data], list[str]]  # strings the PDF must show, built from the data

    @property
    def id(self) -> str:
        return f"{self.doc}-{self.what}"


def _party(d: Data) -> list[str]:
    p = d["parties"][0]
    return [p["name"], p["identifier"]]


def _party_address(d: Data) -> list[str]:
    p = d["parties"][0]
    return [f"当事人：{p['name']}", p["identifier"], p["address"]]


def _signed(d: Data) -> list[str]:
    """The agency's name with the document's date directly under it (the signature block)."""
    return [d["agency"]["name"] + date_chinese(d["issued_on"])]


def _remedies(d: Data) -> list[str]:
    a = d["agency"]
    return [f"60日内向{'或者'.join(a['review_bodies'])}申请行政复议",
            f"6个月内直接向{a['court']}提起行政诉讼"]


def _account(acct: dict[str, str]) -> list[str]:
    return [f"收款单位：{acct['payee']}", f"开户银行：{acct['bank']}", acct["account"]]


def _penalties(d: Data) -> list[str]:
    out = []
    for p in d["penalties"]:
        out.append(p.get("description") or p["kind"])
        if p.get("amount") is not None:
            out.append(money(p["amount"]))
    return out


def _head(text: str, n: int = 40) -> str:
    """The first n characters of a long text (facts, reasons): enough to show it is there."""
    return text.strip()[:n]


def _items(items: list[dict[str, Any]]) -> list[str]:
    return [f"{i['name']}{quantity(i['quantity'])}{i.get('unit') or ''}" for i in items]


def _fund_return(d: Data) -> list[str]:
    return ["退回原医疗保障基金财政专户", money_full(d["fund_return_total"]),
            f"自收到本决定书之日起{d['fund_return_due_days']}日内", *_account(d["agency"]["fund_return"])]


def _fine_payment(d: Data) -> list[str]:
    return [f"第六十七条第三款的规定，你单位应当自收到本决定书之日起{d['payment_due_days']}日内",
            "缴纳罚款人民币" + money_full(d["fine_total"]), "罚款依法上缴国库",
            *_account(d["agency"]["payment"])]


def _dunning_money(d: Data) -> list[str]:
    g = d["dunning"]
    return ["缴纳罚款人民币" + money_full(g["amount_due"]),
            "缴纳加处罚款人民币" + money_full(g["late_fee"]),
            "合计人民币" + money_full(g["amount_due"] + g["late_fee"]),
            "退回医疗保障基金人民币" + money_full(g["fund_return_due"])]


def _dunning_accounts(d: Data) -> list[str]:
    a = d["agency"]
    return ["退回原医疗保障基金财政专户", *_account(a["fund_return"]),
            "罚款依法上缴国库", *_account(a["payment"])]


def _late_fee_rule(_: Data) -> list[str]:
    return ["每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额"]


def _service(d: Data) -> Data:
    return d["service"]


ELEMENTS: list[Element] = [
    # ── 行政处罚事先告知书 / 听证告知书: 行政处罚法 第四十四条、第四十五条、第六十四条 ──────────
    *[row for doc in ("penalty_notice", "hearing_rights_notice") for row in (
        Element(doc, f"{CFL}第四十四条", "拟作出的行政处罚内容", _penalties),
        Element(doc, f"{CFL}第四十四条", "事实", lambda d: ["经查明：" + _head(d["facts"])]),
        Element(doc, f"{CFL}第四十四条", "理由", lambda d: [_head(d["reasons"])]),
        Element(doc, f"{CFL}第四十四条", "依据",
                lambda d: [f"依据{citations(d['bases'])}的规定，本机关拟对你单位作出如下行政处罚"]),
        Element(doc, f"{CFL}第四十四条、第四十五条", "陈述、申辩的权利", lambda d: [
            "享有陈述、申辩的权利", f"自收到本告知书之日起{d['statement_days']}个工作日内",
            "不因你单位陈述、申辩而给予更重的处罚"]),
        Element(doc, f"{CFL}第五十九条（当事人）", "当事人", _party),
        Element(doc, GBT, "行政机关名称和日期", _signed),
    )],
    Element("penalty_notice", f"{CFL}第四十四条", "陈述申辩期限的截止日",
            lambda d: [f"（即至{date_arabic(d['statement_due'])}止）"]),
    Element("hearing_rights_notice", f"{CFL}第四十四条、第六十三条", "要求听证的权利",
            lambda d: ["有要求举行听证的权利"]),
    Element("hearing_rights_notice", f"{CFL}第六十四条第（一）项", "告知后五日内提出听证要求",
            lambda d: [f"应当自收到本告知书之日起{d['hearing_request_days']}个工作日内",
                       "视为放弃听证权利"]),
    # ── 行政处理事先告知书: no 行政处罚 (追责时效, 第三十六条) — the 责令退回 told, 陈述、申辩 heard (the agency's
    # practice of due process, no article of the 行政处罚法 cited for it), no 听证 (第六十三条: 行政处罚 only)
    Element("recovery_notice", f"{CFL}第三十六条", "不再给予行政处罚的理由", lambda d: [
        "已超过《中华人民共和国行政处罚法》第三十六条规定的追责期限，本机关依法不再给予行政处罚"]),
    Element("recovery_notice", "《医疗保障基金使用监督管理条例》第四十条", "拟作出的处理内容及依据", lambda d: [
        f"依据{citations(d['bases'])}的规定，本机关拟对你单位作出如下行政处理"]),
    Element("recovery_notice", "正当程序（本机关惯例）", "陈述、申辩", lambda d: [
        f"自收到本告知书之日起{d['statement_days']}个工作日内", "提出陈述、申辩意见"]),
    Element("recovery_notice", f"{CFL}第五十九条（当事人）", "当事人", _party),
    Element("recovery_notice", GBT, "行政机关名称和日期", _signed),
    # ── 听证通知书: 行政处罚法 第六十四条 ────────────────────────────────────────────────
    Element("hearing_summons", f"{CFL}第六十四条第（二）项", "听证的时间、地点", lambda d: [
        datetime_chinese(d["hearing"]["held_on"]) + "在" + d["hearing"]["place"] + "公开举行听证"]),
    Element("hearing_summons", f"{CFL}第六十四条第（二）项", "行政机关名称和通知日期（举行听证七日前）",
            _signed),
    Element("hearing_summons", f"{CFL}第六十四条第（四）项", "主持人；申请回避",
            lambda d: [f"{d['hearing']['host']}担任主持人", "有权申请回避"]),
    Element("hearing_summons", f"{CFL}第六十四条第（五）项、第（六）项", "委托代理；拒不出席的后果",
            lambda d: ["委托一至二人代理", "视为放弃听证权利"]),
    Element("hearing_summons", f"{CFL}第六十四条第（二）项", "当事人", _party),
    # ── 行政处罚决定书: 行政处罚法 第五十九条 ──────────────────────────────────────────────
    Element("penalty_decision", f"{CFL}第五十九条第（一）项", "当事人的名称、地址", _party_address),
    Element("penalty_decision", f"{CFL}第五十九条第（二）项", "违法事实",
            lambda d: ["经查明：" + _head(d["facts"])]),
    Element("penalty_decision", f"{CFL}第五十九条第（二）项", "证据",
            lambda d: [f"{i}.{e}" for i, e in enumerate(d["evidence"], 1)]),
    Element("penalty_decision", f"{CFL}第五十九条第（三）项", "行政处罚的种类", _penalties),
    Element("penalty_decision", f"{CFL}第五十九条第（三）项", "行政处罚的依据",
            lambda d: [f"依据{citations(d['bases'])}的规定，本机关决定对你单位作出如下行政处罚"]),
    Element("penalty_decision", f"{CFL}第五十九条第（四）项、{TL}第四十五条",
            "履行方式和期限：责令退回的基金退回原医疗保障基金财政专户", _fund_return),
    Element("penalty_decision", f"{CFL}第五十九条第（四）项、第六十七条第三款、{TL}第四十五条",
            "履行方式和期限：罚款十五日内缴纳，依法上缴国库", _fine_payment),
    Element("penalty_decision", f"{CFL}第七十二条第一款第（一）项、{QZF}第四十五条",
            "加处罚款的标准和上限", _late_fee_rule),
    Element("penalty_decision", f"{CFL}第五十九条第（五）项", "申请行政复议、提起行政诉讼的途径和期限",
            _remedies),
    Element("penalty_decision", f"{CFL}第五十九条第（六）项", "行政机关名称和作出决定的日期", _signed),
    # ── 不予行政处罚决定书: 第五十九条 as far as it applies ─────────────────────────────────
    Element("no_penalty_decision", f"{CFL}第五十九条第（一）项", "当事人的姓名、地址", lambda d: [
        f"当事人：{d['parties'][0]['name']}", f"身份证号码：{d['parties'][0]['identifier']}",
        f"住址：{d['parties'][0]['address']}"]),
    Element("no_penalty_decision", f"{CFL}第五十九条第（二）项", "违法事实和证据",
            lambda d: ["经查明：" + _head(d["facts"]), *d["evidence"]]),
    Element("no_penalty_decision", f"{CFL}第五十九条第（三）项", "不予行政处罚的理由和依据",
            lambda d: [_head(d["reasons"]),
                       f"依据{citations(d['bases'])}的规定，本机关决定对你不予行政处罚"]),
    Element("no_penalty_decision", f"{CFL}第五十九条第（五）项", "申请行政复议、提起行政诉讼的途径和期限",
            _remedies),
    Element("no_penalty_decision", f"{CFL}第五十九条第（六）项", "行政机关名称和日期", _signed),
    # ── 行政处理决定书: 责令退回 without a 行政处罚, 第五十九条 as far as it applies ───────────────
    Element("recovery_decision", f"{CFL}第五十九条第（一）项", "当事人的名称、地址", _party_address),
    Element("recovery_decision", f"{CFL}第五十九条第（二）项", "违法事实和证据",
            lambda d: ["经查明：" + _head(d["facts"]), *d["evidence"]]),
    Element("recovery_decision", f"{CFL}第三十六条", "不再给予行政处罚的理由：追责时效届满", lambda d: [
        "第三十六条", f"于{date_arabic(d['exemption']['limitation']['counted_from'])}终了",
        f"至{date_arabic(d['exemption']['limitation']['last_day'])}届满",
        f"于{date_arabic(d['exemption']['limitation']['filed_on'])}立案时已超过该期限",
        "不再给予你单位行政处罚"]),
    Element("recovery_decision", f"{CFL}第五十九条第（三）项、{TL}第三十八条", "处理的内容和依据", lambda d: [
        _head(d["reasons"]), f"依据{citations(d['bases'])}的规定，本机关决定对你单位作出如下处理",
        "责令退回人民币" + money_full(d["penalties"][0]["amount"])]),
    Element("recovery_decision", f"{CFL}第五十九条第（四）项、{TL}第四十五条",
            "履行方式和期限：退回原医疗保障基金财政专户", _fund_return),
    Element("recovery_decision", f"{QZF}第五十三条、第五十四条", "不履行的后果：催告后申请人民法院强制执行",
            lambda d: ["第五十三条、第五十四条", "申请人民法院强制执行"]),
    Element("recovery_decision", f"{CFL}第五十九条第（五）项", "申请行政复议、提起行政诉讼的途径和期限",
            _remedies),
    Element("recovery_decision", f"{CFL}第五十九条第（六）项", "行政机关名称和日期", _signed),
    # ── 封存决定书: 行政强制法 第二十四条 ─────────────────────────────────────────────────
    Element("sealing_decision", f"{QZF}第二十四条第二款第（一）项", "当事人的名称、地址", _party_address),
    Element("sealing_decision", f"{QZF}第二十四条第二款第（二）项", "封存的理由、依据",
            lambda d: [_head(d["sealing"]["reason"]), citations(d["sealing"]["bases"])]),
    Element("sealing_decision", f"{QZF}第二十四条第二款第（二）项、第二十五条", "封存的期限", lambda d: [
        f"自{date_arabic(d['sealing']['from'])}起至{date_arabic(d['sealing']['to'])}止，"
        f"共{d['sealing']['term_days']}日"]),
    Element("sealing_decision", f"{QZF}第二十四条第二款第（三）项", "封存财物的名称、数量",
            lambda d: _items(d["sealing"]["items"])),
    Element("sealing_decision", f"{QZF}第二十四条第二款第（三）项", "封存场所（存放地点）",
            lambda d: ["封存物品存放地点：" + d["sealing"]["place"]]),
    Element("sealing_decision", f"{QZF}第二十四条第三款", "清单一式二份",
            lambda d: ["封存清单", f"（{d['doc_no']}附件）", "本清单一式两份，一份交当事人"]),
    Element("sealing_decision", f"{QZF}第二十四条第二款第（四）项", "申请行政复议或者提起行政诉讼的途径和期限",
            _remedies),
    Element("sealing_decision", f"{QZF}第二十四条第二款第（五）项", "行政机关的名称、印章和日期",
            lambda d: [*_signed(d), "（印章）"]),
    # ── 延长封存期限决定书: 行政强制法 第二十五条 ─────────────────────────────────────────
    Element("sealing_extension", f"{QZF}第二十五条第二款", "延长的理由",
            lambda d: ["延长封存期限的理由：" + _head(d["extension"]["reason"])]),
    Element("sealing_extension", f"{QZF}第二十五条第一款", "经负责人批准；延长后的期限", lambda d: [
        "经本机关负责人批准",
        f"延长{d['extension']['days']}日，延长后的封存期限至{date_arabic(d['extension']['new_to'])}止"]),
    Element("sealing_extension", f"{QZF}第二十五条第一款", "原封存决定和原期限", lambda d: [
        f"《封存决定书》（{d['extension']['sealed_doc_no']}）",
        f"至{date_arabic(d['extension']['to'])}止"]),
    Element("sealing_extension", f"{QZF}第二十四条第二款第（一）项", "当事人", _party_address),
    Element("sealing_extension", f"{QZF}第二十四条第二款第（四）项", "复议、诉讼的途径和期限", _remedies),
    Element("sealing_extension", f"{QZF}第二十四条第二款第（五）项", "行政机关名称和日期", _signed),
    # ── 解除封存决定书: 行政强制法 第二十八条 ─────────────────────────────────────────────
    Element("sealing_release", f"{QZF}第二十八条", "解除的封存和理由", lambda d: [
        f"作出《封存决定书》（{d['release']['sealed_doc_no']}）", _head(d["release"]["reason"]),
        d["release"]["basis"]]),
    Element("sealing_release", f"{QZF}第二十八条第二款", "解除之日，退还物品",
            lambda d: [f"自{date_arabic(d['issued_on'])}起解除", "退还你单位"]),
    Element("sealing_release", f"{QZF}第二十四条第二款第（一）项", "当事人", _party_address),
    Element("sealing_release", f"{QZF}第二十四条第二款第（五）项", "行政机关名称和日期", _signed),
    # ── 催告书: 行政强制法 第三十五条 ─────────────────────────────────────────────────────
    Element("dunning_notice", f"{QZF}第三十五条第（一）项", "履行义务的期限",
            lambda d: [f"至迟于{date_arabic(d['dunning']['pay_by'])}履行"]),
    Element("dunning_notice", f"{QZF}第三十五条第（二）项", "履行义务的方式",
            lambda d: ["履行方式：", "缴款凭证复印件送交本机关"]),
    Element("dunning_notice", f"{QZF}第三十五条第（三）项", "金钱给付：明确的金额", _dunning_money),
    Element("dunning_notice", f"{QZF}第三十五条第（三）项、{TL}第四十五条", "金钱给付：给付方式（账户）",
            _dunning_accounts),
    Element("dunning_notice", f"{QZF}第四十五条", "加处罚款的标准和上限", lambda d: [
        *_late_fee_rule(d), f"截至{date_arabic(d['dunning']['late_fee_as_of'])}"]),
    Element("dunning_notice", f"{QZF}第三十五条第（四）项、第三十六条", "陈述权和申辩权", lambda d: [
        "有权进行陈述和申辩", f"自收到本催告书之日起{d['statement_days']}个工作日内"]),
    Element("dunning_notice", f"{QZF}第三十五条", "所催告的决定", lambda d: [
        f"作出《行政处罚决定书》（{d['dunning']['decision_doc_no']}）",
        f"已于{date_arabic(d['dunning']['served_on'])}送达"]),
    Element("dunning_notice", f"{QZF}第三十五条", "当事人", _party),
    Element("dunning_notice", GBT, "行政机关名称和日期", _signed),
    # ── 送达回证: 民事诉讼法 第八十七条、第八十九条 ──────────────────────────────────────────
    Element("service_receipt", f"{MSS}第八十七条", "送达的文书", lambda d: [
        f"《{_service(d)['served_doc_title']}》", _service(d)["served_doc_no"]]),
    Element("service_receipt", f"{MSS}第八十七条", "受送达人",
            lambda d: ["受送达人", _service(d)["recipient"]]),
    Element("service_receipt", f"{MSS}第八十七条第二款", "收到日期（签收日期为送达日期）",
            lambda d: [datetime_chinese(_service(d)["served_at"]), "签收日期为送达日期"]),
    Element("service_receipt", f"{MSS}第八十七条", "签名或者盖章", lambda d: ["签名或者盖章"]),
    Element("service_receipt", f"{MSS}第八十九条", "留置送达：拒收事由和日期",
            lambda d: ["送达方式留置送达", "拒收事由", _service(d)["refusal_reason"]]),
    Element("service_receipt", f"{MSS}第八十九条", "留置送达：送达人、见证人", lambda d: [
        "、".join(_service(d)["server_names"]), "见证人", _service(d)["witness"]]),
    # ── internal forms and the 法制审核意见书, by their own data ───────────────────────────
    Element("filing_approval", GBT, "案号、案由、当事人", lambda d: [
        f"案号：{d['case']['case_no']}", _head(d["case"]["cause"], 12), *_party(d)]),
    Element("filing_approval", GBT, "审批意见、签名和日期", lambda d: [
        f"签名：{a['name']}{date_arabic(a['on'])}" for a in d["approvals"]]),
    Element("legal_review_opinion", f"{CFL}第五十八条", "审核的案件和当事人", lambda d: [
        f"案号：{d['case']['case_no']}", d["case"]["cause"], d["parties"][0]["name"]]),
    Element("legal_review_opinion", f"{CFL}第五十八条", "审核意见和结论", lambda d: [
        "审核意见：" + d["review"]["opinion"], f"审核结论：{d['review']['conclusion']}"]),
    Element("legal_review_opinion", GBT, "审核机构、审核人和日期", lambda d: [
        d["agency"]["review_unit"] + "审核人：" + d["review"]["reviewer"]
        + date_chinese(d["review"]["reviewed_on"])]),
    Element("closing_approval", GBT, "案号、处理结果、执行情况", lambda d: [
        f"案号：{d['case']['case_no']}", d["closing"]["result"],
        _head(d["closing"]["execution"], 20)]),
    Element("closing_approval", GBT, "审批签名和日期", lambda d: [
        f"签名：{d['approvals'][0]['name']}{date_arabic(d['approvals'][0]['on'])}", "签名：郑国华年月日"]),
    # ── 询问笔录 / 现场检查笔录: 行政处罚法 第四十二条、第五十五条 ───────────────────────────────
    *[row for doc, what, sign in (("inquiry_record", "询问", "被询问人签名："),
                                  ("inspection_record", "检查", "被检查人（在场人）签名：")) for row in (
        Element(doc, f"{CFL}第四十二条、第五十五条第一款", "执法人员不少于两人，出示执法证件", lambda d: [
            *[f"{o['name']}执法证号：{o['credential_no']}" for o in d["record"]["officers"]],
            "执法人员已出示执法证件"]),
        Element(doc, f"{CFL}第五十五条第二款", f"{what}应当制作笔录：时间、地点", lambda d, what=what: [
            f"{what}时间：{datetime_chinese(d['record']['started_at'])}",
            f"{what}地点：{d['record']['place']}"]),
        Element(doc, f"{CFL}第五十五条第二款", "笔录逐页签名、页码", lambda d, sign=sign: [
            sign, "记录人签名：", "第1页共2页", "第2页共2页"]),
    )],
    Element("inquiry_record", f"{CFL}第五十五条第二款", "被询问人、问和答", lambda d: [
        "被询问人：" + d["record"]["person"]["name"],
        *[f"问：{qa['q']}" for qa in d["record"]["qa"]],
        *[f"答：{qa['a'].splitlines()[0]}" for qa in d["record"]["qa"]]]),
    Element("inspection_record", f"{CFL}第五十五条第二款", "被检查人、检查情况", lambda d: [
        "被检查人：" + d["record"]["subject"]["name"],
        *[_head(line, 20) for line in d["record"]["findings"].splitlines()]]),
    # -layout interleaves the lines of a cell of several lines: the head of each title
    Element("evidence_list", f"{CFL}第四十六条", "证据的名称和种类", lambda d: [
        x for i in d["evidence_list"]["items"] for x in (_head(i["title"], 8), i["kind"])]),
    Element("evidence_list", f"{CFL}第四十六条", "案号、当事人、合计", lambda d: [
        f"案号：{d['case']['case_no']}", f"当事人：{d['parties'][0]['name']}",
        f"本清单共列证据{len(d['evidence_list']['items'])}项"]),
]

# Every document signed by the agency (all but the forms) carries its name with the date under it.
SIGNED = {t.key for t in DOC_TYPES.values() if t.sealed} - {"legal_review_opinion"}


def _plain(text: str) -> str:
    """pdftotext output without whitespace and without the page footers "— 2 —"."""
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))


def _text_of(pdf: bytes, folder: Path, name: str) -> str:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return _plain(out)


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """The visible text of each type's sample PDF, rendered once per module."""
    folder = tmp_path_factory.mktemp("statutory")
    cache: dict[str, str] = {}

    def get(key: str) -> str:
        if key not in cache:
            cache[key] = _text_of(render_pdf(key, sample(key)), folder, key)
        return cache[key]

    return get


def test_every_type_has_its_elements_listed():
    assert {e.doc for e in ELEMENTS} == set(DOC_TYPES)
    assert SIGNED <= {e.doc for e in ELEMENTS if "名称" in e.what and "日期" in e.what}


@pytest.mark.parametrize("element", ELEMENTS, ids=[e.id for e in ELEMENTS])
def test_required_element_is_visible_in_the_pdf(element: Element, pdf_text: Callable[[str], str]):
    text = pdf_text(element.doc)
    wanted = element.visible(sample(element.doc))
    assert wanted, element
    missing = [w for w in wanted if _plain(w) not in text]
    assert not missing, f"{element.doc} ({element.article}, {element.what}): not shown: {missing}"


@pytest.mark.parametrize("key", sorted(SIGNED))
def test_signature_shows_the_date_under_the_agency_name(key: str, pdf_text: Callable[[str], str]):
    data = sample(key)
    assert _plain(data["agency"]["name"] + date_chinese(data["issued_on"])) in pdf_text(key)


def test_hearing_summons_sample_is_issued_seven_working_days_ahead():
    """行政处罚法 第六十四条第（二）项 (七日 = 工作日, 第八十五条): the sample the row above checks is
    itself a lawful notice — seven working days lie between the notice and the hearing day."""
    data = sample("hearing_summons")
    calendar = default_calendar()
    day, held = data["issued_on"], data["hearing"]["held_on"].astimezone(SHANGHAI).date()
    between = sum(calendar.is_working_day(day + timedelta(days=n))
                  for n in range(1, (held - day).days))
    assert between >= 7


# ── the signature block at the very end of a page ──────────────────────────────────────────────

def _release_with_lines(n: int) -> Data:
    """A one-page 解除封存决定书 (no representative, no phone) whose reason has n lines."""
    data = sample("sealing_release")
    data["parties"][0].update(representative=None, phone=None)
    data["release"]["reason"] = "\n".join(["经查，被封存资料已复制固定。"] * n)
    return data


def _dunning_with_contacts(n: int) -> Data:
    data = sample("dunning_notice")
    data["agency"]["contact"] = "、".join(["李明"] * (1 + 9 * n))  # ~ one more line per step
    return data


def _signature_pages(pdf: bytes, folder: Path) -> Iterator[int]:
    path = folder / "sweep.pdf"
    path.write_bytes(pdf)
    for page, chunk in enumerate(subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
            text=True).stdout.split("\f"), 1):
        if "（印章）" in chunk:
            yield page


@pytest.mark.parametrize(("key", "grow", "steps"), [
    ("sealing_release", _release_with_lines, range(1, 7)),
    ("dunning_notice", _dunning_with_contacts, range(3, 10)),
], ids=["sealing_release", "dunning_notice"])
def test_signature_date_survives_the_page_end(key: str, grow: Callable[[int], Data], steps: range,
                                              tmp_path: Path):
    """The text grows line by line until the signature block has moved to the next page: at every
    step, also where the block meets the page end, the date is printed under the agency's name
    (a floated block cut by the page end once lost its date line)."""
    pages = set()
    for n in steps:
        data = grow(n)
        pdf = render_pdf(key, data)
        text = _text_of(pdf, tmp_path, f"{key}-{n}")
        assert _plain(data["agency"]["name"] + date_chinese(data["issued_on"])) in text, (key, n)
        pages.update(_signature_pages(pdf, tmp_path))
    assert len(pages) >= 2, "the sweep never carried the signature over a page end"


# ── wording ─────────────────────────────────────────────────────────────────────────────────────

def test_late_fee_cap_is_worded_as_the_statutes_word_it():
    """行政强制法 第四十五条第二款 / 行政处罚法 第七十二条: 加处罚款的数额「不得」超出罚款的数额."""
    for template in TEMPLATES_DIR.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert "不超出" not in source.replace("不得超出", ""), template.name
