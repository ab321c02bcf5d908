"""The statutory conducts (违法行为) of workflows/conducts.yaml: what a violation is qualified as.

Each conduct is one act in the statute's words (串换药品, 虚构医药服务项目 …) with the clause that
punishes it (处罚依据), the article that prohibits it (违反的规定, or None where the 条例 has none), the
amount its fine is a multiple of, who commits it, and the 社会保险法 articles that punish the same
fraud. The file is data a lawyer reviews; a malformed entry is refused when it loads, with a Chinese
DefinitionError naming the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from caseflow.catalog.model import CatalogItem
from caseflow.config import get_settings
from caseflow.errors import DefinitionError

__all__ = ["BASES", "FILE_NAME", "PARTIES", "Conduct", "conduct", "conducts", "conducts_for", "load_conducts"]

FILE_NAME = "conducts.yaml"
BASES = ("骗取金额", "造成损失金额")  # or None: the clause sets no multiple
PARTIES = ("定点医药机构", "个人", "医疗保障经办机构", "单位或者个人")
FIELDS = ("code", "name", "law", "article", "clause", "rule_breached", "base", "party", "fraud", "also")

_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ARTICLE = re.compile(r"第[〇一二三四五六七八九十百零]+条")
_CLAUSE = re.compile(r"(?:第[一二三四五六七八九十]+款)?(?:第（[一二三四五六七八九十]+）项)?")
_CITATION = re.compile(r"《[^》]+》第[〇一二三四五六七八九十百零]+条.*")


@dataclass(frozen=True)
class Conduct:
    code: str
    name: str  # the statute's words: 串换药品
    law: str  # 《医疗保障基金使用监督管理条例》
    article: str  # 第三十八条
    clause: str  # 第（四）项, 第一款第（三）项, 第二款; "" for a one-paragraph article without items
    rule_breached: str | None  # 《医疗保障基金使用监督管理条例》第十五条第一款; None: no prohibition article
    base: str | None  # 骗取金额 | 造成损失金额 | None
    party: str  # 定点医药机构 | 个人 | 医疗保障经办机构 | 单位或者个人
    fraud: bool  # 骗取
    also: tuple[str, ...] = ()  # 《中华人民共和国社会保险法》第八十七条 …

    @property
    def citation(self) -> str:
        """The punishing clause in full: 《医疗保障基金使用监督管理条例》第四十条第一款第（三）项."""
        return f"{self.law}{self.article}{self.clause}"

    @property
    def article_citation(self) -> str:
        """The punishing article, as a catalog basis cites it: 《医疗保障基金使用监督管理条例》第四十条."""
        return f"{self.law}{self.article}"


def _text(raw: dict[str, Any], key: str, where: str, *, empty: bool = False) -> str:
    value = raw[key]
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise DefinitionError(f"{where}：{key} 须为{'文字' if empty else '非空文字'}。")
    return value


def _conduct(raw: Any, where: str) -> Conduct:
    if not isinstance(raw, dict):
        raise DefinitionError(f"{where}：每个违法行为须为一个映射（code、name、law …）。")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise DefinitionError(f"{where}：未知字段 {'、'.join(map(str, unknown))}；可用字段：{'、'.join(FIELDS)}。")
    missing = [k for k in FIELDS if k not in raw]
    if missing:
        raise DefinitionError(f"{where}：缺少字段 {'、'.join(missing)}。")
    code = _text(raw, "code", where)
    where = f"{where}（{code}）"
    if not _CODE.fullmatch(code):
        raise DefinitionError(f"{where}：code 须为小写英文字母、数字和连字符。")
    article = _text(raw, "article", where)
    if not _ARTICLE.fullmatch(article):
        raise DefinitionError(f"{where}：article 须写作「第四十条」。")
    clause = _text(raw, "clause", where, empty=True)
    if not _CLAUSE.fullmatch(clause):
        raise DefinitionError(f"{where}：clause 须写作「第一款第（三）项」「第二款」「第（四）项」或空。")
    law = _text(raw, "law", where)
    if not (law.startswith("《") and law.endswith("》")):
        raise DefinitionError(f"{where}：law 须为带书名号的法规名称。")
    rule = raw["rule_breached"]
    if rule is not None and not (isinstance(rule, str) and _CITATION.fullmatch(rule)):
        raise DefinitionError(f"{where}：rule_breached 须为完整引文（《…》第…条）或 null。")
    base = raw["base"]
    if base is not None and base not in BASES:
        raise DefinitionError(f"{where}：base 须为 {'、'.join(BASES)} 或 null，不能是「{base}」。")
    party = raw["party"]
    if party not in PARTIES:
        raise DefinitionError(f"{where}：party 须为 {'、'.join(PARTIES)} 之一。")
    fraud = raw["fraud"]
    if not isinstance(fraud, bool):
        raise DefinitionError(f"{where}：fraud 须为 true 或 false。")
    also = raw["also"]
    if not isinstance(also, list) or not all(isinstance(a, str) and _CITATION.fullmatch(a) for a in also):
        raise DefinitionError(f"{where}：also 须为完整引文（《…》第…条）的列表，没有则写 []。")
    return Conduct(code=code, name=_text(raw, "name", where), law=law, article=article, clause=clause,
                   rule_breached=rule, base=base, party=party, fraud=fraud, also=tuple(also))


def load_conducts(path: Path) -> tuple[Conduct, ...]:
    """Every conduct of the file at `path`, in file order; DefinitionError if it is malformed."""
    where = f"workflows/{path.name}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"无法读取 {where}：{exc}") from exc
    if not isinstance(raw, dict) or set(raw) != {"conducts"} or not isinstance(raw["conducts"], list):
        raise DefinitionError(f"{where} 须只有一个键 conducts，其值为违法行为的列表。")
    out: list[Conduct] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw["conducts"], start=1):
        c = _conduct(entry, f"{where} 第{n}个违法行为")
        if c.code in seen:
            raise DefinitionError(f"{where} 第{n}个违法行为：code「{c.code}」重复。")
        seen.add(c.code)
        out.append(c)
    return tuple(out)


@cache
def _conducts_at(root: str) -> tuple[Conduct, ...]:
    return load_conducts(Path(root) / FILE_NAME)


def conducts() -> tuple[Conduct, ...]:
    """Every conduct of workflows/conducts.yaml, in file order (read once per workflows folder)."""
    return _conducts_at(str(get_settings().workflows_dir))


def conduct(code: str) -> Conduct | None:
    return next((c for c in conducts() if c.code == code), None)


def conducts_for(item: CatalogItem) -> tuple[Conduct, ...]:
    """The conducts a catalog item punishes, in file order: those whose punishing article is one of
    the item's bases (a basis citing a paragraph or item — 第四十一条第二款 — gives only the conducts
    under it)."""
    cited = [b.citation for b in item.bases]
    return tuple(c for c in conducts()
                 if any(c.article_citation == b or c.citation.startswith(b) for b in cited))
