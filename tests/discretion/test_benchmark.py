"""The 河南 裁量基准 as caseflow reads it (workflows/discretion/henan.yaml; 《行政处罚法》第三十二条、
第三十四条): which tier a case's circumstances lead to, the amounts it recommends inside the law, and what
the administrator is told is missing or unverified."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from caseflow.discretion import files
from caseflow.discretion.files import _load, benchmark_for
from caseflow.discretion.lint import check_benchmarks
from caseflow.discretion.recommend import recommend
from caseflow.errors import DefinitionError

FINE_40 = "《医疗保障基金使用监督管理条例》第四十条第一款：由医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款"


def tier_for(amount: str, *codes: str) -> tuple[str, Decimal, Decimal]:
    b = benchmark_for("河南省")
    assert b is not None
    entry = b.entry_for("罚款", FINE_40)
    rec = recommend(b, entry, Decimal(amount), [b.by_code[c] for c in codes])
    assert rec is not None
    return rec.tier.tier, rec.low, rec.high


@pytest.mark.parametrize(("amount", "codes", "expected"), [
    # 从轻 2–3×: 初次违法、金额 ≤ 2,000 元且及时改正
    ("2000.00", ("first_offence", "corrected"), ("从轻", Decimal("4000.00"), Decimal("6000.00"))),
    ("2000.01", ("first_offence", "corrected"), ("一般", Decimal("6000.03"), Decimal("8000.04"))),
    ("1500.00", ("first_offence",), ("一般", Decimal("4500.00"), Decimal("6000.00"))),  # not corrected
    # 一般 3–4×: ≤ 5,000 元, no 从轻 or 从重 circumstance
    ("5000.00", (), ("一般", Decimal("15000.00"), Decimal("20000.00"))),
    # 从重 4–5×: > 5,000 元, or a 从重 circumstance
    ("5000.01", (), ("从重", Decimal("20000.04"), Decimal("25000.05"))),
    ("3000.00", ("uncooperative",), ("从重", Decimal("12000.00"), Decimal("15000.00"))),
    # 《行政处罚法》第三十二条: 应当从轻或者减轻 — whatever the amount
    ("30000.00", ("remedied_harm",), ("从轻", Decimal("60000.00"), Decimal("90000.00"))),
])
def test_the_circumstances_lead_to_the_tier(amount, codes, expected):
    assert tier_for(amount, *codes) == expected


def test_the_entry_covers_the_articles_of_two_to_five_times_and_no_other():
    b = benchmark_for("河南")
    assert b is not None and b.citation == "《河南省医疗保障行政处罚裁量基准》"
    for basis in ("《医疗保障基金使用监督管理条例》第三十七条", "《中华人民共和国社会保险法》第八十七条", FINE_40):
        assert b.entry_for("罚款", basis) is not None
    assert b.entry_for("罚款", "《医疗保障基金使用监督管理条例》第三十八条：处造成损失金额1倍以上2倍以下的罚款") is None
    assert b.entry_for("责令退回", FINE_40) is None
    assert benchmark_for("甘肃省") is None  # structure only: nothing is recommended there


def test_the_administrator_is_told_what_is_missing_or_unverified():
    notes = check_benchmarks()
    assert {(n.province, n.level) for n in notes} >= {("甘肃省", "缺失"), ("河北省", "缺失"), ("河南省", "待核实")}
    assert any("「从重」档" in n.message and "4至5倍" in n.message for n in notes)


def test_a_tier_outside_the_law_or_an_unknown_circumstance_is_refused(tmp_path: Path):
    text = (Path(files.__file__).resolve().parents[2] / "workflows/discretion/henan.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("multiple: [4, 5]", "multiple: [4, 6]"), encoding="utf-8")
    with pytest.raises(DefinitionError, match="超出法定幅度"):
        _load(bad)
    bad.write_text(text.replace("{factor: first_offence}", "{factor: unheard_of}"), encoding="utf-8")
    with pytest.raises(DefinitionError, match="unheard_of"):
        _load(bad)
