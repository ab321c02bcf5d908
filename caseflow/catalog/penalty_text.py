"""Reading the penalty clauses of one quoted article into `PenaltyOption` values.

The reader is deliberately literal: it recognises a fixed vocabulary of measures (责令改正, 责令退回,
罚款 as a multiple or a fixed range, 暂停医药服务, 暂停联网结算, 解除服务协议, 吊销执业资格, 没收违法所得,
警告, 约谈, 禁止从事…, 停止社会救助, 责令追回) and of connecting words, and never guesses. A piece of
text it cannot read completely yields no option and is returned as a *leftover* for a lint.

How an article is read:
- Enumerated items after "：（一）…" describe the violation, not the measures: they are dropped.
- Each sentence (。) is split at "，" and "；". The words before the first measure are the offence
  ("…的"). In the first sentence that is the premise of the article; in a later sentence (e.g.
  条例第四十一条第二款) it becomes the `condition` of that sentence's options. Words there that do
  not end in "的" make the whole sentence a leftover.
- After the first measure, a "；" starts a new clause; words before the clause's first measure
  ending in "的" ("逾期不改正的", "拒不改正或者造成严重后果的") are the clause's `condition`, taken
  verbatim. If those words do not end in "的" the whole clause is a leftover (nothing invented).
- "对用人单位…" / "对其直接负责的主管人员和其他直接责任人员…" set the target for the rest of the clause;
  "其法定代表人或者主要负责人" (条例第四十三条) sets PRINCIPAL_OFFICER — another person than the
  直接责任人员.
- The first "由…部门/机关/机构" names the acting authority; a later, different one (e.g. "由有关主管
  部门依法吊销执业资格") marks the measures after it as `by_other_authority` (a referral).
- 处分 (依法给予处分) is not an administrative penalty (行政处罚法 第九条): it is read as an option of
  kind 处分, always a referral — to the authority the piece names ("由有关部门依法给予处分",
  条例第四十三条), else to the 任免机关或者监察机关 — so it shows in the catalog but is never the
  bureau's own measure. "由有关主管部门依法处理" and cross-references ("依照…规定处理", "按照本条规定
  处理") yield no option and are listed as *skipped*.
- Optional measures ("并可以约谈", "可以处…罚款") are read like the others: `PenaltyOption` has no field
  for "may"; the verbatim `text` keeps the 可以.
- "以上"/"以下" include the number itself; "一年" is 12 months; "5年内禁止…" is a fixed term of 60 months.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial

from caseflow.catalog.model import (
    DISCIPLINE,
    DISCIPLINE_AUTHORITY,
    PARTY,
    PRINCIPAL_OFFICER,
    RESPONSIBLE_PERSON,
    PenaltyOption,
)

__all__ = [
    "ArticleReading",
    "extract_options",
    "extract_options_with_leftovers",
    "parse_number",
    "read_article",
]


@dataclass(frozen=True)
class ArticleReading:
    """One article read: its offence, its options, what was knowingly skipped, what was not read."""

    offence: str
    options: tuple[PenaltyOption, ...]
    skipped: tuple[tuple[str, str], ...]  # (text, why it gives no option)
    leftovers: tuple[str, ...]  # text that could not be read: no option was made from it


def extract_options(text: str) -> tuple[PenaltyOption, ...]:
    """The options the article states, in the order they appear."""
    return read_article(text).options


def extract_options_with_leftovers(text: str) -> tuple[tuple[PenaltyOption, ...], tuple[str, ...]]:
    reading = read_article(text)
    return reading.options, reading.leftovers


# ---------------------------------------------------------------- numbers

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_SUFFIX_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def parse_number(s: str) -> Decimal:
    """"2" → 2, "1.5" → 1.5, "1万" → 10000, "五百" → 500, "三千" → 3000, "一百零五" → 105."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千万]*)", s)
    if m:
        value = Decimal(m.group(1))
        for ch in m.group(2):
            value *= _SUFFIX_UNITS[ch]
        return value
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch != "万" for ch in s):
        raise ValueError(f"不是数字：{s}")
    total = section = digit = 0
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:  # 万
            total += (section + digit) * 10000
            section = digit = 0
    return Decimal(total + section + digit)


def _multiple(s: str) -> Decimal:
    if s.startswith("百分之"):
        return parse_number(s[3:]) / 100
    if s.startswith("千分之"):
        return parse_number(s[3:]) / 1000
    return parse_number(s.removesuffix("倍"))


def _months(s: str) -> int:
    unit = 12 if s.endswith("年") else 1
    value = parse_number(s.removesuffix("年").removesuffix("个月")) * unit
    if value != value.to_integral_value():
        raise ValueError(f"月数不是整数：{s}")
    return int(value)


# ---------------------------------------------------------------- vocabulary

_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
_MULT = rf"(?:{_NUM}倍|百分之{_NUM}|千分之{_NUM})"
_AMOUNT = r"(?:\d+(?:\.\d+)?[十百千万]*|[零〇一二两三四五六七八九十百千万]+)元"
_PERIOD = rf"{_NUM}(?:个月|年)"
_BASE_END = r"[^，；。\d.零〇一二两三四五六七八九十百千万]"  # a base is named, never a bare number
_PERSONS = (r"其?(?:直接负责的主管人员和其他直接责任人员"
            r"|法定代表人、主要负责人、直接负责的主管人员和其他责任人员|有关责任人员)")
_PERSON_START = re.compile(rf"对?{_PERSONS}")
_PRINCIPAL_START = re.compile(r"对?其?法定代表人或者主要负责人")

_FINE_MULTIPLE = re.compile(
    rf"处以?(?!以)(?P<base>[^，；。]*?{_BASE_END})(?P<lo>{_MULT})(?:以上|至)(?P<hi>{_MULT})(?:以下)?的?罚款")
_FINE_FIXED = re.compile(rf"处以?(?P<lo>{_AMOUNT})(?:以上|至)(?P<hi>{_AMOUNT})(?:以下)?的?罚款")
_SUSPEND = re.compile(
    rf"(?:责令[^，；。]{{0,12}}?)?暂停(?P<pre>[^，；。]*?)(?P<lo>{_PERIOD})(?:以上|至)"
    rf"(?P<hi>{_PERIOD})(?:以下)?(?P<post>[^，；。并]*)")
_BAN = re.compile(rf"(?P<n>{_NUM}年)内禁止从事(?P<what>[^，；。并]+)")
_RETURN = re.compile(r"责令(?:其)?(?P<kind>退回|追回)(?P<obj>[^，；。并]*)")
_SIMPLE = re.compile(
    r"责令(?:其)?限期改正|责令(?:其)?改正|约谈(?:有关负责人|其?主要负责人|负责人)?|警告"
    r"|解除(?:其)?服务协议|吊销(?:其)?执业资格|没收违法所得|停止社会救助")
_SIMPLE_KIND = {"责令限期改正": "责令限期改正", "责令改正": "责令改正", "约谈": "约谈", "警告": "警告",
                "解除": "解除服务协议", "吊销": "吊销执业资格", "没收违法所得": "没收违法所得",
                "停止社会救助": "停止社会救助"}

_DISCIPLINE = re.compile(r"(?:依法)?给予处分")
_SKIPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"依法处理"), "转由其他主管部门依法处理，条文未载明具体措施"),
    (re.compile(r"除依照[^，；。]*?规定处理外"), "衔接语：在前款处理之外另行适用"),
    (re.compile(r"(?:依照|按照)[^，；。]*?规定(?:处理|给予行政处罚|处罚)"),
     "援引其他条款或者法律，本身不设处罚措施"),
)
_AUTHORITY = re.compile(r"由(?P<who>[^，；。由]*?(?:部门|机关|机构))")
_PARTY_TARGET = re.compile(r"对(?:用人)?单位(?!罚款)")
_FILLER = re.compile(r"还应当|并且|并|可以|可|依法|予以|给予|决定|直至|同时")


# ---------------------------------------------------------------- reading atoms


@dataclass
class _State:
    acting: str | None = None  # the first authority the article names
    options: list[PenaltyOption] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)


def _measure_at(atom: str, pos: int) -> tuple[int, Callable[..., PenaltyOption]] | None:
    """A measure starting at `pos`: (end, make(**target/condition/authority/text)) or None.

    A range whose lower end exceeds its upper end is not read (None): it would be a misprint.
    """
    make: Callable[..., PenaltyOption]
    if m := _FINE_MULTIPLE.match(atom, pos):
        base, lo, hi = m.group("base"), _multiple(m.group("lo")), _multiple(m.group("hi"))
        make = partial(PenaltyOption, kind="罚款", base=base, multiple_min=lo, multiple_max=hi)
    elif m := _FINE_FIXED.match(atom, pos):
        lo, hi = parse_number(m.group("lo")[:-1]), parse_number(m.group("hi")[:-1])
        make = partial(PenaltyOption, kind="罚款", amount_min=lo, amount_max=hi)
    elif m := _SUSPEND.match(atom, pos):
        what = m.group("pre") + m.group("post")
        kind = ("暂停联网结算" if "联网结算" in what else "暂停医药服务" if "医药服务" in what
                else None)
        if kind is None:
            return None
        low, high = _months(m.group("lo")), _months(m.group("hi"))
        lo, hi = Decimal(low), Decimal(high)
        make = partial(PenaltyOption, kind=kind, months_min=low, months_max=high)
    elif m := _BAN.match(atom, pos):
        n = _months(m.group("n"))
        lo = hi = Decimal(n)
        make = partial(PenaltyOption, kind="禁止从事" + m.group("what"), months_min=n, months_max=n)
    elif m := _RETURN.match(atom, pos):
        lo = hi = Decimal(0)
        make = partial(PenaltyOption, kind="责令" + m.group("kind"), base=m.group("obj") or None)
    elif m := _SIMPLE.match(atom, pos):
        word = m.group(0).replace("其", "")
        lo = hi = Decimal(0)
        make = partial(PenaltyOption,
                       kind=next(v for k, v in _SIMPLE_KIND.items() if word.startswith(k)))
    elif m := _DISCIPLINE.match(atom, pos):
        lo = hi = Decimal(0)
        make = partial(PenaltyOption, kind=DISCIPLINE)
    else:
        return None
    return None if lo > hi else (m.end(), make)


def _target_at(text: str, pos: int) -> tuple[re.Match[str], str] | None:
    """A change of target at `pos`: (the words, PARTY / RESPONSIBLE_PERSON / PRINCIPAL_OFFICER)."""
    if m := _PRINCIPAL_START.match(text, pos):
        return m, PRINCIPAL_OFFICER
    if m := _PERSON_START.match(text, pos):
        return m, RESPONSIBLE_PERSON
    if m := _PARTY_TARGET.match(text, pos):
        return m, PARTY
    return None


def _starts_measure(atom: str) -> bool:
    """Whether the atom opens the measures: (fillers/target) then a measure, a skip or "由…"."""
    pos = 0
    while pos < len(atom):
        if _AUTHORITY.match(atom, pos) or _measure_at(atom, pos) is not None:
            return True
        if any(p.match(atom, pos) for p, _ in _SKIPS):
            return True
        found = _target_at(atom, pos)
        m = found[0] if found else _FILLER.match(atom, pos)
        if not m:
            return False
        pos = m.end()
    return False


def _read_atom(atom: str, target: str, condition: str | None, state: _State) -> str | None:
    """Options of one "，"-piece appended to `state`; returns the target after it, None if unread."""
    pos, other, named = 0, None, None
    options: list[PenaltyOption] = []
    skipped: list[tuple[str, str]] = []
    acting = state.acting
    while pos < len(atom):
        if skip := next(((m, why) for p, why in _SKIPS if (m := p.match(atom, pos))), None):
            pos = skip[0].end()
            skipped.append((atom, skip[1]))
            continue
        if found := _measure_at(atom, pos):
            pos, make = found
            option = make(target=target, condition=condition, by_other_authority=other, text=atom)
            if option.kind == DISCIPLINE:  # always a referral, see the module docstring
                option = replace(option, by_other_authority=named or DISCIPLINE_AUTHORITY)
            options.append(option)
            continue
        if change := _target_at(atom, pos):
            m, target = change
        elif m := _AUTHORITY.match(atom, pos):
            named = m.group("who")
            if acting is None:
                acting = named
            other = None if named == acting else named
        elif not (m := _FILLER.match(atom, pos)):
            return None
        pos = m.end()
    if not options and not skipped:
        return None  # only connecting words: nothing was said
    state.acting = acting
    state.options.extend(options)
    state.skipped.extend(skipped)
    return target


# ---------------------------------------------------------------- sentences and clauses

_TAGS = re.compile(r"<[^>]*>|\[bookmark:[^\]]*\]")
_LABEL_AT_START = re.compile(
    r"^(?:\d+[.．、])?(?:【[^】]*】)*(?:《[^》]*》)?(?:（[^）]*）)?）?"
    r"第[零〇一二三四五六七八九十百千]+条(?:第[一二三四五六七八九十]+款)?[：:]?")
_LABEL_WITH_COLON = re.compile(
    r"^[^。；，]{0,120}?第[零〇一二三四五六七八九十百千]+条(?:第[一二三四五六七八九十]+款)?[：:]")
_ITEMS = re.compile(r"[：:]\s*（[一二三四五六七八九十]+）.*?(?:。|$)", re.S)
_HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！"})
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _normalise(text: str) -> str:
    text = _TAGS.sub("", text).translate(_FULLWIDTH_DIGITS)
    text = re.sub(r",(?=\d{3}(?!\d))", "", text)  # 10,000 → 10000
    text = text.translate(_HALF_TO_FULL)
    text = re.sub(r"[“”\"「」『』]", "", text)
    text = re.sub(r"[ \t\u3000\xa0]+", "", text)
    text = _LABEL_AT_START.sub("", text, count=1)
    text = _LABEL_WITH_COLON.sub("", text, count=1)
    text = _ITEMS.sub("。", text)
    return text


def _atoms(sentence: str) -> list[tuple[str, str]]:
    """(separator before, piece) for the "，"/"；" pieces, not splitting inside （…） or 《…》."""
    out: list[tuple[str, str]] = []
    depth, sep, start = 0, "", 0
    for i, ch in enumerate(sentence):
        if ch in "（《":
            depth += 1
        elif ch in "）》":
            depth = max(0, depth - 1)
        elif ch in "，；" and depth == 0:
            out.append((sep, sentence[start:i]))
            sep, start = ch, i + 1
    out.append((sep, sentence[start:]))
    return [(s, a) for s, a in out if a]


def _join(atoms: list[tuple[str, str]]) -> str:
    return "".join((s if i else "") + a for i, (s, a) in enumerate(atoms))


def _is_condition(text: str) -> bool:
    return re.sub(r"（[^（）]*）$", "", text).endswith("的")


def _read_clause(clause: list[tuple[str, str]], outer: str | None, state: _State) -> None:
    lead_end = next((i for i, (_, a) in enumerate(clause) if _starts_measure(a)), len(clause))
    target, condition = PARTY, outer
    if lead_end:
        words = _join(clause[:lead_end])
        if not _is_condition(words) or lead_end == len(clause):
            state.leftovers.append(_join(clause))
            return
        if (change := _target_at(words, 0)) and change[1] != PARTY:
            target, words = change[1], words[change[0].end():]
        condition = "，".join(c for c in (outer, words) if c)
    for _, atom in clause[lead_end:]:
        after = _read_atom(atom, target, condition, state)
        if after is None:
            state.leftovers.append(atom)
        else:
            target = after


def read_article(text: str) -> ArticleReading:
    """Read one article (with or without its "《…》第…条：" label, list items, HTML) into options."""
    state = _State()
    offence = ""
    sentences = [s.strip("：") for s in re.split(r"[。\n]+", _normalise(text)) if s.strip("：")]
    for index, sentence in enumerate(sentences):
        atoms = _atoms(sentence)
        start = next((i for i, (_, a) in enumerate(atoms) if _starts_measure(a)), None)
        if start is None:
            state.leftovers.append(sentence)
            continue
        premise = _join(atoms[:start])
        if premise and not _is_condition(premise):
            state.leftovers.append(sentence)
            continue
        if index == 0:
            offence, outer = premise, None
        else:
            outer = premise or None
        clause: list[tuple[str, str]] = []
        for sep, atom in atoms[start:]:
            if sep == "；" and clause:
                _read_clause(clause, outer, state)
                clause = []
            clause.append((sep, atom))
        if clause:
            _read_clause(clause, outer, state)
    return ArticleReading(offence=offence, options=tuple(state.options),
                          skipped=tuple(state.skipped), leftovers=tuple(state.leftovers))
