"""Who acts: a bureau other than the list's own named in an item, or a non-organ as 实施主体.

Bureau names are found as "<place>省/市/县/区/旗医疗保障局|医保局"; a name is the list's own when
the place before it ends with the place of the item's agency. A 医疗保险经办机构 or a service
centre is not an administrative organ and cannot impose penalties or coercive measures
(行政处罚法第十七条, 行政强制法第十七条).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from caseflow.catalog.lint.context import LintContext, is_penalty
from caseflow.catalog.lint.findings import ERROR, Finding
from caseflow.catalog.model import CatalogItem

_BUREAU = re.compile(r"(省|市|县|区|旗)(?:医疗保障局|医保局)")
_BUREAU_SUFFIX = re.compile(r"(?:医疗保障局|医保局)$")
_LEADING_WORDS = re.compile(r"^.*[报向由经送至及与或、，,的对在将为]")
_NOT_A_PLACE = re.compile(r"各|本|该|上级|同级|下级|所在")
_NOT_AN_ORGAN = re.compile(r"经办机构|服务中心|中心$")


def _texts(item: CatalogItem) -> list[str]:
    return [item.name, *(b.text for b in item.bases), *(t for _, t in item.responsibilities),
            item.accountability]


def other_bureaus(text: str, own_agency: str) -> list[str]:
    """Names of bureaus in `text` that are not `own_agency`."""
    own_place = _BUREAU_SUFFIX.sub("", own_agency)
    found = []
    for m in _BUREAU.finditer(text):
        before = text[max(0, m.start() - 5) : m.start()] + m.group(1)
        if own_place and before.endswith(own_place):
            continue
        place = _LEADING_WORDS.sub("", before[:-1])
        if not place or _NOT_A_PLACE.search(place):
            continue
        found.append(place + m.group(0))
    return found


def check_other_agency(ctx: LintContext) -> Iterator[Finding]:
    """OTHER_AGENCY_NAMED: an item of one bureau's list names another bureau."""
    for item in ctx.items:
        names = list(dict.fromkeys(n for t in _texts(item) for n in other_bureaus(t, item.agency)))
        if names:
            listed = "、".join(f"“{n}”" for n in names)
            yield Finding(item.source_file, item.key, "OTHER_AGENCY_NAMED", ERROR,
                          f"清单写明{listed}，而本清单的实施机关是“{item.agency}”。")


def check_agency_is_organ(ctx: LintContext) -> Iterator[Finding]:
    """AGENCY_NOT_ADMINISTRATIVE_ORGAN: the 实施主体 is a 经办机构 or a service centre — once for
    the list when all its items name it, else for each item."""
    for file, items in ctx.by_file.items():
        wrong = [i for i in items if _NOT_AN_ORGAN.search(i.agency)]
        if not wrong:
            continue
        agencies = {i.agency for i in wrong}
        if len(wrong) == len(items) and len(agencies) == 1:
            types = "、".join(dict.fromkeys(i.power_type for i in items))
            yield Finding(file, None, "AGENCY_NOT_ADMINISTRATIVE_ORGAN", ERROR,
                          f"全部{len(items)}个事项的实施主体为“{wrong[0].agency}”；经办机构不是行政机关，"
                          f"不能实施{types}（行政处罚法第十七条、行政强制法第十七条），"
                          "所引条文也规定由行政部门处理。")
            continue
        for item in wrong:
            law = "行政处罚法第十七条" if is_penalty(item) else "行政强制法第十七条"
            yield Finding(file, item.key, "AGENCY_NOT_ADMINISTRATIVE_ORGAN", ERROR,
                          f"实施主体为“{item.agency}”；经办机构不是行政机关，"
                          f"不能实施{item.power_type}（{law}），所引条文也规定由行政部门处理。")
