"""What a publication may not show, as a small table of rules a reviewer can read.

A published decision names an organisation in full with its 统一社会信用代码; a person (公民) only by a
partly masked name — 张某 → 张*, 王小梅 → 王*梅 — and never by 身份证号, telephone, address or personal
medical data (《行政处罚法》第四十八条 makes the decision public, not the person's privacy: 《个人信息
保护法》第二十八条 counts medical data as sensitive). The structured fields that carry those (the
parties' identifiers, addresses, phones; the evidence; the 病历) are simply not published; free text
(the 违法事实摘要, a withdrawal's reason) goes through `redact`:

1. the case's own people, by what the 决定书 records of them: every individual party's name (masked),
   身份证号, phone and address wherever they occur;
2. then `RULES`, in order: 18-digit ID numbers, card and record numbers, mobile and landline
   numbers, addresses after 住址/家住…, diagnoses after 诊断为/患有…, and the names following
   患者/参保人员/就诊人… (a surname from `SURNAMES` and one or two more characters).

Rules find what follows a pattern; they cannot understand a sentence. The reviewer who releases the
publication reads the result (the form shows it) and may rewrite the 摘要.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

HIDDEN = "（已隐去）"

# Two-character surnames kept whole when a name is masked (欧阳小梅 → 欧阳*梅).
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容",
                     "夏侯", "端木", "独孤", "长孙", "宇文", "司徒", "司空", "申屠", "南宫", "万俟")
# Common single-character surnames that start a name after 患者 etc. Characters that are surnames
# but mostly ordinary words right after those keywords (和、于、向、应、时、全、明、成、文、安、关、解、单、
# 华、路、古、同、及) are left out: "患者和家属" stays as it is.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季"
    "裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍喻祁蒲房滕屈饶牟艾尤穆农卓吉缪简车项连芦麦褚娄窦戚岑景党宫费"
    "卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝")
# Characters that end a name: what follows a name in a sentence, not what is in one.
_NOT_IN_NAME = "在于的等和与及住就因为系是将已未被到来去均共计先后曾向对从由经自院所诊患病"
_CJK = r"\u4e00-\u9fff"
_GIVEN = rf"[{_CJK}](?<![{_NOT_IN_NAME}])"  # one character of a given name
_NAME = (rf"(?:{'|'.join(COMPOUND_SURNAMES)}|[{''.join(sorted(SURNAMES))}])"
         rf"(?:某某|某|{_GIVEN}{_GIVEN}?)")
# Whom a 摘要 names only as a patient, an insured person, a relative …
PERSON_WORDS = ("住院患者", "患者", "病人", "参保人员", "参保人", "就诊人", "就医人", "被冒名人", "冒名人",
                "受益人", "家属")

_NOT_DONE = f"(?!{re.escape(HIDDEN)})"  # what a rule hid before is not hidden again

_SUFFIX = re.compile(r"^(.*?)([（(][^（）()]*[）)])$")


def mask_name(name: str) -> str:
    """A person's name partly masked: the surname and — for three characters or more — the last
    character stay: 张某 → 张*, 王小梅 → 王*梅, 欧阳小梅 → 欧阳*梅; a remark in brackets stays:
    张某（演示） → 张*（演示）."""
    name = name.strip()
    m = _SUFFIX.match(name)
    base, suffix = (m.group(1), m.group(2)) if m and m.group(1) else (name, "")
    if not base:
        return suffix
    surname = next((s for s in COMPOUND_SURNAMES if base.startswith(s) and len(base) > len(s)), base[0])
    given = base[len(surname):]
    if len(given) <= 1:
        return f"{surname}*{suffix}" if given or len(base) == 1 else f"{surname}{suffix}"
    return f"{surname}{'*' * (len(given) - 1)}{given[-1]}{suffix}"


@dataclass(frozen=True)
class Rule:
    """One thing never published: what it is (in words), where it is found, what is shown instead."""

    what: str
    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], str]


def _keep_word(m: re.Match[str]) -> str:
    return m.group("word") + HIDDEN


def _mask_names(m: re.Match[str]) -> str:
    names = re.split(r"(、)", m.group("names"))
    return m.group("word") + (m.group("sep") or "") + "".join(n if n == "、" else mask_name(n) for n in names)


RULES: tuple[Rule, ...] = (
    Rule("身份证号码（18位）", re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"),
         lambda m: "（身份证号码已隐去）"),
    Rule("医保卡号、社保卡号、病历号、住院号等编号",
         re.compile(r"(?P<word>医保卡号|社保卡号|社会保障卡号|医疗保障卡号|就诊卡号|银行卡号|银行账号|病历号|病案号|"
                    r"住院号|门诊号)(?:码)?[：:为是\s]*[0-9A-Za-z][0-9A-Za-z\-]{3,}"), _keep_word),
    Rule("手机号码", re.compile(r"(?<![\d])(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)"),
         lambda m: "（电话已隐去）"),
    Rule("固定电话",
         re.compile(r"(?<![\d])(?:[(（]0\d{2,3}[)）]\s?\d{7,8}|0\d{2,3}[-－—\s]\d{7,8}|0\d{9,11})(?:[-－]\d{1,5})?(?!\d)"),
         lambda m: "（电话已隐去）"),
    Rule("联系电话后的号码", re.compile(r"(?P<word>(?:联系)?电话|手机|联系方式)[：:为是\s]*[\d\-－+（）() ]{7,}\d"),
         _keep_word),
    Rule("住址", re.compile(r"(?P<word>住址|家住|现住|住所地?|居住地|户籍地|户籍所在地|家庭住址)[：:为是在于\s]*+"
                          rf"{_NOT_DONE}[^，。；,;\n]{{2,60}}"), _keep_word),
    Rule("病情、诊断", re.compile(rf"(?P<word>诊断为|诊断：|诊断:|患有|罹患|病情为|确诊为){_NOT_DONE}[^，。；,;\n]{{1,40}}"),
         _keep_word),
    Rule("患者、参保人员等的姓名",
         re.compile(rf"(?P<word>{'|'.join(PERSON_WORDS)})(?P<sep>[：:\s]?)(?P<names>{_NAME}(?:、{_NAME})*)"),
         _mask_names),
)


@dataclass(frozen=True)
class People:
    """What the 决定书 records of the case's individual parties (and every party's phone): hidden
    wherever it appears in free text, before the general rules run."""

    names: tuple[str, ...] = ()
    secrets: tuple[str, ...] = field(default=())  # 身份证号, phones, addresses

    @classmethod
    def of_parties(cls, parties: Iterable[Mapping[str, Any]]) -> People:
        names: list[str] = []
        secrets: list[str] = []
        for p in parties:
            if p.get("phone"):
                secrets.append(str(p["phone"]))
            if p.get("kind") != "individual":
                continue
            name = str(p.get("name") or "").strip()
            if name:
                names.append(name)
                m = _SUFFIX.match(name)
                if m and m.group(1):
                    names.append(m.group(1).strip())  # 张某（演示） is also written 张某
            secrets += [str(p[k]) for k in ("identifier", "address") if p.get(k)]
        return cls(tuple(dict.fromkeys(n for n in names if n)), tuple(dict.fromkeys(s for s in secrets if len(s) >= 4)))


def redact(text: str, people: People = People()) -> str:
    """Free text as it may be published: the case's people hidden, then every rule of `RULES`.
    Running it again changes nothing."""
    out = text
    for secret in sorted(people.secrets, key=len, reverse=True):
        out = out.replace(secret, HIDDEN)
    for name in sorted(people.names, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    for rule in RULES:
        out = rule.pattern.sub(rule.replace, out)
    return out


def public_party_name(party: Mapping[str, Any]) -> str:
    """An organisation's name in full, a person's masked."""
    name = str(party.get("name") or "").strip()
    return mask_name(name) if party.get("kind") == "individual" else name
