"""What is published of a 行政处罚决定, built from the issued 决定书's stored data (`snapshot.decode`):
the party (an organisation's name and 统一社会信用代码, a person's masked name), the 违法事实摘要, the
处罚依据, the 处罚内容, the 机关, the 决定日期 and the 文号 — redacted by `redaction`. Nothing else of the
决定书 (addresses, evidence, officers, the 案号) leaves the case."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from caseflow.publication.redaction import People, public_party_name, redact

SUMMARY_LIMIT = 500  # characters of the 摘要 built from the 决定书's 违法事实
PARTY_KINDS = {"organisation": "法人及非法人组织", "individual": "自然人"}


@dataclass(frozen=True)
class Content:
    party_name: str
    party_kind: str  # organisation | individual (of the first party)
    credit_code: str | None
    doc_no: str
    summary: str
    basis: str
    penalty: str
    agency_name: str
    decided_on: date

    def fields(self) -> dict[str, Any]:
        return asdict(self)


def summarise(facts: str, limit: int = SUMMARY_LIMIT) -> str:
    """The 违法事实 as one paragraph, cut after the last full sentence within `limit` characters."""
    text = re.sub(r"\s*\n\s*", "", (facts or "").strip())
    text = re.sub(r"[ \t　]+", " ", text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind("。")
    return (cut[: end + 1] if end > limit // 2 else cut) + "……"


def _amount(value: Any) -> str:
    return f"{Decimal(str(value)):,.2f}元"


def penalty_text(penalties: list[Mapping[str, Any]]) -> str:
    """处罚内容: 罚款60,000.00元；责令退回30,000.00元；暂停医药服务6个月."""
    parts = []
    for p in penalties:
        words = p.get("description") or "".join((
            "对直接负责的主管人员和其他直接责任人员" if p.get("target") == "responsible_person" else "",
            str(p.get("kind") or ""),
            _amount(p["amount"]) if p.get("amount") is not None else "",
            f"{p['months']}个月" if p.get("months") else "",
        ))
        parts.append(str(words))
    return "；".join(x for x in parts if x)


def people_of(data: Mapping[str, Any]) -> People:
    return People.of_parties(data.get("parties") or [])


def content_of(data: Mapping[str, Any], *, summary: str | None = None) -> Content:
    """The public content of a 决定书 (its decoded data); `summary`, when given, replaces the 摘要
    built from the 违法事实 — redacted all the same."""
    parties = list(data.get("parties") or [])
    people = people_of(data)
    orgs = [p for p in parties if p.get("kind") == "organisation"]
    credit = "、".join(str(p["identifier"]) for p in orgs if p.get("identifier")) or None
    text = summary if summary and summary.strip() else summarise(str(data.get("facts") or ""))
    bases = [str(b["citation"]) for b in data.get("bases") or [] if b.get("citation")]
    cited = list(dict.fromkeys(bases or [str(p["basis"]) for p in data.get("penalties") or [] if p.get("basis")]))
    return Content(
        party_name="、".join(public_party_name(p) for p in parties),
        party_kind=str(parties[0].get("kind")) if parties else "organisation",
        credit_code=credit,
        doc_no=str(data.get("doc_no") or ""),
        summary=redact(text.strip(), people),
        basis="；".join(cited),
        penalty=penalty_text(list(data.get("penalties") or [])),
        agency_name=str((data.get("agency") or {}).get("name") or ""),
        decided_on=data["issued_on"],
    )
