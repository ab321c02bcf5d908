"""The laws the lint knows: workflows/catalog/known_laws.yaml, and statute texts to compare with.

Each entry has a name, a status — `known` (exists, belongs to the field), `unrelated` (exists, but
is not about medical insurance), `nonexistent` (a name that is cited but names no law) — and a
one-line note; `text` names a file in the legal folder holding the statute's text, `excerpt: true`
says that file holds only some articles (节录: an article missing from it is not known to be
missing from the law). A cited name is matched without its 《》〈〉 and spaces, and with or without
the "中华人民共和国" prefix.

`KnownLaws.statute_text` gives the words of the law for what a basis cites — the article, or the
款 it names — which the catalog reads its penalty options from (building.py) and the lint compares
quotations with (statute.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from caseflow.catalog.penalty_text import parse_number
from caseflow.config import get_settings
from caseflow.errors import DefinitionError

KNOWN = "known"
UNRELATED = "unrelated"
NONEXISTENT = "nonexistent"
_STATUSES = (KNOWN, UNRELATED, NONEXISTENT)
_PREFIX = "中华人民共和国"
_ARTICLE = re.compile(r"第[零〇一二三四五六七八九十百千\d]+条")
_STATUTE_ARTICLE = re.compile(r"^(第[零〇一二三四五六七八九十百千]+条)\s*(.*)$")
_ENUM_LINE = re.compile(r"^（[一二三四五六七八九十]+）")
_PARAGRAPH = re.compile(r"条第([一二三四五六七八九十]+)款")


@dataclass(frozen=True)
class Law:
    name: str  # without 《》
    status: str
    note: str
    rank: str = ""  # 法律, 行政法规, 部门规章, 地方政府规章, 规范性文件
    text_file: str | None = None
    articles: dict[str, str] = field(default_factory=dict)  # 第四十条 → text (paragraphs joined)
    paragraphs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 第四十条 → its 款
    excerpt: bool = False  # the text file holds only some of the law's articles


def canonical(name: str) -> str:
    """《中华人民共和国社会保险法》 → 中华人民共和国社会保险法 (brackets and spaces removed)."""
    return re.sub(r"[《》〈〉<>\s]", "", name)


def article_key(article: str) -> str | None:
    """第八十七条 from "第八十七条", "第四十七条第二款"; None for "第一章总则" or ""."""
    m = _ARTICLE.match(article.strip())
    return m.group(0) if m else None


def cites_part(article: str) -> bool:
    """Whether the citation names a 款/项 of the article: the quotation is then an excerpt."""
    return bool(re.search(r"条.*(?:款|项)", article))


def read_paragraphs(path: Path) -> dict[str, tuple[str, ...]]:
    """第X条 → its 款, from a statute in Markdown (one paragraph per line); an enumerated item
    （一）… belongs to the 款 it follows."""
    articles: dict[str, list[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#"):
            current = None
            continue
        m = _STATUTE_ARTICLE.match(line)
        if m:
            current = m.group(1)
            articles[current] = [m.group(2)]
        elif current and line and not line.startswith("<!--"):
            if _ENUM_LINE.match(line):
                articles[current][-1] += line
            else:
                articles[current].append(line)
    return {k: tuple(v) for k, v in articles.items()}


def read_statute(path: Path) -> dict[str, str]:
    """第X条 → its text, paragraphs joined, from a statute in Markdown (one article per line)."""
    return {k: "".join(v) for k, v in read_paragraphs(path).items()}


class KnownLaws:
    """Lookup of cited law names in the known-laws file."""

    def __init__(self, laws: list[Law]):
        self._by_name = {law.name: law for law in laws}

    def find(self, cited: str) -> Law | None:
        name = canonical(cited)
        for candidate in (name, _PREFIX + name, name.removeprefix(_PREFIX)):
            if candidate in self._by_name:
                return self._by_name[candidate]
        return None

    def __iter__(self) -> Iterator[Law]:
        return iter(self._by_name.values())

    def statute_text(self, law_name: str, article: str) -> str | None:
        """The law's words for a citation: the article, or the 款 when "第…条第…款" names one (a
        项 is one of the article's items: the measures are the article's). None when the legal
        folder does not hold them."""
        law = self.find(law_name) if law_name else None
        key = article_key(article)
        if law is None or key is None or key not in law.articles:
            return None
        if m := _PARAGRAPH.search(article):
            n = int(parse_number(m.group(1)))
            paragraphs = law.paragraphs.get(key, ())
            return paragraphs[n - 1] if 0 < n <= len(paragraphs) else None
        return law.articles[key]


def load_known_laws(path: Path, legal_dir: Path | None) -> KnownLaws:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"无法读取已知法规清单 {path.name}：{exc}") from exc
    laws = []
    for i, entry in enumerate(raw.get("laws") or []):
        name, status, note = entry.get("name"), entry.get("status"), entry.get("note")
        if not name or status not in _STATUSES or not note:
            raise DefinitionError(f"{path.name} 第{i + 1}条须写明 name、status（{'/'.join(_STATUSES)}）"
                                  "和 note。")
        text_file = entry.get("text")
        paragraphs: dict[str, tuple[str, ...]] = {}
        if text_file and legal_dir is not None and (legal_dir / text_file).exists():
            paragraphs = read_paragraphs(legal_dir / text_file)
        articles = {k: "".join(v) for k, v in paragraphs.items()}
        laws.append(Law(canonical(name), status, note, entry.get("rank", ""), text_file, articles,
                        paragraphs, bool(entry.get("excerpt"))))
    return KnownLaws(laws)


def default_known_laws() -> KnownLaws:
    """workflows/catalog/known_laws.yaml, with the statute texts of the `legal` folder next to
    the seeds."""
    settings = get_settings()
    return load_known_laws(settings.workflows_dir / "catalog" / "known_laws.yaml",
                           settings.seeds_dir.parent / "legal")
