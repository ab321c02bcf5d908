"""Every step declares its inputs in workflows/, and one validator turns a payload into typed values
from that declaration — for the service, the API and the forms alike."""

from __future__ import annotations

import ast
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from caseflow.cases.guards import ONSITE_STEPS
from caseflow.errors import DefinitionError, InvalidInput
from caseflow.workflow.input_values import check_required, validate_payload
from caseflow.workflow.inputs import InputDef, resolve
from caseflow.workflow.registry import get_library

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


def _inputs(*specs: InputDef) -> tuple[InputDef, ...]:
    return specs


SERVED = InputDef("served_at", "送达时间", "datetime")
DAY = InputDef("pay_by", "最后缴纳期限", "date")
MONEY = InputDef("amount_loss", "造成损失金额（元）", "money")
DAYS = InputDef("days", "延长天数", "integer", min=0, max=3650)
TEXT = InputDef("place", "听证地点", "text", max_length=300)
FLAG = InputDef("major_case", "重大案件", "flag")
CHOICE = InputDef("method", "送达方式", "choice", choices=("直接送达", "邮寄送达"))
NAMES = InputDef("server_names", "送达人", "names")
PENALTIES = InputDef("penalties", "拟处罚内容", "penalties")
ALL = (SERVED, DAY, MONEY, DAYS, TEXT, FLAG, CHOICE, NAMES, PENALTIES)


def _refused(payload: dict, inputs=ALL) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as info:
        validate_payload(inputs, payload)
    assert info.value.code == "INVALID_INPUT"
    return info.value.details  # type: ignore[return-value]


@pytest.mark.parametrize("typed", ["2026-12-05", "2026/12/5", "2026年12月5日", " 2026.12.05 "])
def test_dates_are_taken_as_people_write_them(typed: str) -> None:
    assert validate_payload(ALL, {"pay_by": typed}) == {"pay_by": date(2026, 12, 5)}


@pytest.mark.parametrize("typed", ["2026-12-05 10:00", "2026-12-05T10:00", "2026/12/5 10:00",
                                   "2026年12月5日 10:00", "2026-12-05T02:00Z", "2026-12-05T10:00:00+08:00"])
def test_times_are_beijing_time_unless_a_zone_is_given(typed: str) -> None:
    assert validate_payload(ALL, {"served_at": typed})["served_at"] == datetime(2026, 12, 5, 10, 0, tzinfo=SH)


@pytest.mark.parametrize(("key", "typed"), [
    ("pay_by", "2026-02-30"), ("pay_by", "tomorrow"), ("pay_by", "明天"), ("pay_by", 20261205),
    ("served_at", "2026-02-29 10:00"), ("served_at", "2026-12-05 25:00"), ("served_at", "0001-01-01"),
    ("served_at", "2026-12-05 10:00 北京"), ("served_at", {"date": "2026-12-05"}), ("pay_by", "1899-12-31"),
])
def test_impossible_or_free_text_dates_are_refused_by_field(key: str, typed: object) -> None:
    assert set(_refused({key: typed})) == {key}


@pytest.mark.parametrize(("typed", "value"), [("12,680.50", "12680.50"), ("12680.5", "12680.50"),
                                              ("￥1，000元", "1000.00"), (3000, "3000.00"), ("0", "0.00")])
def test_money_is_yuan_exact_to_the_fen(typed: object, value: str) -> None:
    assert validate_payload(ALL, {"amount_loss": typed}) == {"amount_loss": Decimal(value)}


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-Infinity", "1e12", "999999999999999999999", "-5",
                                   "100.001", "3万", True, [], {"amount": 1}])
def test_money_that_is_not_a_finite_amount_in_fen_is_refused(typed: object) -> None:
    assert set(_refused({"amount_loss": typed})) == {"amount_loss"}


@pytest.mark.parametrize("typed", [1.5, "1.5", "三十", True, 2**63, "99999999999999", -1, 3651])
def test_integers_are_whole_and_bounded(typed: object) -> None:
    assert set(_refused({"days": typed})) == {"days"}


@pytest.mark.parametrize("typed", ["a\x00b", "\ud800", "a\x07b", 123.4, ["x"], {"x": 1}, "长" * 301])
def test_text_with_nul_surrogates_control_characters_or_too_long_is_refused(typed: object) -> None:
    assert set(_refused({"place": typed})) == {"place"}


def test_text_is_normalised() -> None:
    # NFC: the decomposed e + ◌́ becomes é; one-line text keeps no line breaks.
    assert validate_payload(ALL, {"place": "  Cafe\u0301\n 会议室 "}) == {"place": "Café 会议室"}


def test_unknown_fields_are_refused_and_named() -> None:
    details = _refused({"served_at": "2026-12-05", "actor_id": 1, "base_amount": "1"})
    assert details == {"actor_id": "本步骤不接受此项", "base_amount": "本步骤不接受此项"}


def test_a_choice_is_one_of_its_words() -> None:
    assert validate_payload(ALL, {"method": "邮寄送达"}) == {"method": "邮寄送达"}
    assert _refused({"method": "飞鸽传书"}) == {"method": "须为：直接送达、邮寄送达"}


def test_flags_and_names() -> None:
    assert validate_payload(ALL, {"major_case": "1", "server_names": "王某，李某、 "}) == {
        "major_case": True, "server_names": ["王某", "李某"]}
    assert validate_payload(ALL, {"major_case": False}) == {"major_case": False}
    assert set(_refused({"major_case": "也许"})) == {"major_case"}


def test_penalty_rows_are_typed_and_the_base_of_a_multiple_is_never_taken_from_the_client() -> None:
    rows = [{"kind": "罚款", "amount": "12,000", "basis": "《条例》第四十条"},
            {"kind": "暂停医药服务", "months": "6", "basis": "《条例》第四十条", "party_id": 3}]
    assert validate_payload(ALL, {"penalties": rows})["penalties"] == [
        {"kind": "罚款", "amount": Decimal("12000.00"), "basis": "《条例》第四十条"},
        {"kind": "暂停医药服务", "months": 6, "basis": "《条例》第四十条", "party_id": 3}]
    details = _refused({"penalties": [{"kind": "罚款", "amount": "1", "base_amount": "30000"}]})
    assert "罚款的计算基数取本案认定的金额" in details["penalties[0].base_amount"]


def test_required_inputs_may_come_from_what_the_case_records() -> None:
    facts = InputDef("facts", "违法事实", "long_text", required=True, from_case="facts")
    host = InputDef("host", "听证主持人", "text", required=True)
    check_required((facts,), {}, {"facts": "已记录的事实"}.get)
    with pytest.raises(InvalidInput) as info:
        check_required((facts, host), {}, {}.get)
    assert info.value.details == {"facts": "必填", "host": "必填"}
    assert "「违法事实」" in info.value.message and "「听证主持人」" in info.value.message


def test_a_declaration_names_known_types_and_groups() -> None:
    with pytest.raises(DefinitionError):
        resolve([{"name": "x", "label": "x", "type": "colour"}], {}, "test", {})
    with pytest.raises(DefinitionError):
        resolve(["@nowhere"], {}, "test", {})
    with pytest.raises(DefinitionError):
        resolve(["@a"], {"a": ["@a"]}, "test", {})
    with pytest.raises(DefinitionError):
        resolve([{"name": "x", "label": "x", "type": "text", "colour": 1}], {}, "test", {})


# ── the declarations in workflows/ ──────────────────────────────────────
def test_every_onsite_element_of_article_18_is_an_input_of_both_ways_of_sealing() -> None:
    proc = get_library().procedure("sealing")
    for trigger in ("carry_out_sealing", "seal_on_the_spot"):
        names = {i.name for i in proc.inputs_of(trigger)}
        assert set(ONSITE_STEPS) <= names, trigger


P_IS_PAYLOAD = {"document_builders.py", "sealing.py"}  # modules where `p` is a step's payload


def _payload_keys_read_in(path: Path) -> set[str]:
    """The payload keys a module reads: `payload.get("k")`, `payload["k"]`, `p.get("k")` …"""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        target = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and node.args and isinstance(node.args[0], ast.Constant):
            target, key = node.func.value, node.args[0].value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            target, key = node.value, node.slice.value
        if target is None or not isinstance(key, str):
            continue
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "payload" or (name == "p" and path.name in P_IS_PAYLOAD):
            keys.add(key)
    return keys


def test_every_payload_key_the_engine_reads_is_declared_by_some_step() -> None:
    lib = get_library()
    declared = {i.name for proc in lib.procedures.values() for t in proc.transitions for i in t.inputs}
    read: set[str] = set()
    for path in sorted((ROOT / "caseflow" / "cases").rglob("*.py")):
        read |= _payload_keys_read_in(path)
    # Keys of rows inside a table and of the audit payloads the engine writes itself.
    own = {"kind", "amount", "name", "quantity", "unit", "note", "removed_officer_id", "document"}
    assert read - own - declared == set()


def test_steps_without_inputs_take_none() -> None:
    proc = get_library().procedure("penalty_general")
    assert proc.inputs_of("approve_penalty") == ()
    with pytest.raises(InvalidInput) as info:
        validate_payload(proc.inputs_of("approve_penalty"), {"facts": "x"})
    assert info.value.details == {"facts": "本步骤不接受此项"}


def test_the_ways_of_service_offered_are_those_a_service_receipt_records() -> None:
    from caseflow.documents.types import SERVICE_METHODS

    method = next(i for i in get_library().rules.input_group("service") if i.name == "method")
    assert method.choices == SERVICE_METHODS  # 《民事诉讼法》第八十七条至第九十五条


def test_a_required_input_given_blank_is_refused_even_where_the_case_records_one() -> None:
    facts = InputDef("facts", "违法事实", "long_text", required=True, from_case="facts")
    typed = validate_payload((facts,), {"facts": "   "})
    with pytest.raises(InvalidInput) as info:
        check_required((facts,), typed, {"facts": "线索反映的违法事实。"}.get)
    assert info.value.details == {"facts": "必填"}


def test_what_an_input_starts_from_is_something_a_case_records() -> None:
    from caseflow.cases.models import Case

    lib = get_library()
    names = {i.from_case for proc in lib.procedures.values() for t in proc.transitions for i in t.inputs
             if i.from_case}
    assert names and all(hasattr(Case, n) for n in names), sorted(n for n in names if not hasattr(Case, n))
