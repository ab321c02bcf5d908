"""The committed catalog is exactly what the importer makes of the seed lists (plus the overlay),
every item loads, a case can be opened under each item by its own agency, and the entry a case keeps
carries the item's 追责时效 (行政处罚法第三十六条)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from caseflow.catalog.building import Edit, apply_overlay, build_list, load_overlay
from caseflow.catalog.files import dump_items, entry_snapshot, item_hash, list_file_name
from caseflow.catalog.importer.serialise import from_dict
from caseflow.catalog.service import get_catalog
from caseflow.cases import service as case_service
from caseflow.cases.models import PartyRole
from caseflow.config import get_settings
from caseflow.db.session import unit_of_work
from caseflow.errors import DefinitionError, RuleViolation
from caseflow.org.models import Agency
from caseflow.org.service import create_agency, create_user, grant_post
from caseflow.parties.service import register_party
from tests.helpers import HOSPITAL, sh

SETTINGS = get_settings()
CATALOG_DIR = SETTINGS.workflows_dir / "catalog"
SEEDS = sorted(SETTINGS.seeds_dir.glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_committed_catalog_is_regenerated_from_the_seeds(seed: Path):
    items = build_list(seed, overlay=load_overlay(CATALOG_DIR / "overlay.yaml"))
    committed = (CATALOG_DIR / list_file_name(items[0])).read_text(encoding="utf-8")
    assert dump_items(items, seed.name) == committed, (
        f"{seed.name}: workflows/catalog differs from the importer's output — "
        "run `caseflow catalog build` and review the diff, or put a hand edit in overlay.yaml")


def test_catalog_holds_every_penalty_and_sealing_item_of_the_five_lists():
    items = get_catalog().items
    assert len(items) == 28  # 000: 7+1, 001: 5+1 (封存 typed 处罚), 002: 1, 003: 3+1, 004: 8+1
    by_type = {t: sorted(k for k, i in items.items() if i.power_type == t) for t in ("行政处罚", "行政强制")}
    assert by_type["行政强制"] == ["000-08", "001-06", "003-04", "004-12"]
    assert len(by_type["行政处罚"]) == 24
    assert all(i.procedure == ("sealing" if i.power_type == "行政强制" else "penalty_general")
               for i in items.values())
    sealing_typed_as_penalty = items["001-06"]
    assert sealing_typed_as_penalty.published_type == "行政处罚"
    assert sealing_typed_as_penalty.notes  # flagged, not silently changed


def _agency_with_registrar(s, name: str, made: dict) -> tuple[Agency, object]:
    if name not in made:
        agency = create_agency(db_session=s, name=name, short_name=name[:2] + "医保", province="—",
                               sections=["基金监管股", "法制审核股"])
        user = create_user(db_session=s, agency=agency, username=f"reg-{len(made)}", full_name="立案人员")
        grant_post(db_session=s, user=user, post="立案岗", section_name="基金监管股")
        grant_post(db_session=s, user=user, post="执行岗", section_name="法制审核股")
        made[name] = (agency, user)
    return made[name]


def test_a_case_can_be_opened_under_every_item_and_keeps_its_entry(engine):
    catalog = get_catalog()
    made: dict = {}
    with unit_of_work(engine) as s:
        for item in catalog.items.values():
            agency, user = _agency_with_registrar(s, item.agency, made)
            party = register_party(db_session=s, agency_id=agency.id, **HOSPITAL)
            case = case_service.open_case(
                db_session=s, actor=user, item_key=item.key, title=f"{item.name}（测试）",
                parties=[(party, PartyRole.principal)], at=sh("2026-06-01 09:00"),
            )
            assert case.procedure_code == item.procedure
            assert case.item_name == item.name
            assert case.catalog_hash == item_hash(item)
            assert case.catalog_entry["key"] == item.key
            assert [b["article"] for b in case.catalog_entry["bases"]] == [b.article for b in item.bases]


def test_an_item_of_another_agencys_list_is_refused(engine, org):
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        from caseflow.demo.organisation import demo_users

        lian = demo_users(s, agency)["lian"]
        party = register_party(db_session=s, agency_id=agency.id, **HOSPITAL)
        with pytest.raises(RuleViolation) as exc:
            case_service.open_case(db_session=s, actor=lian, item_key="000-03", title="越权立案",
                                   parties=[(party, PartyRole.principal)])
        assert exc.value.code == "ITEM_OF_ANOTHER_AGENCY" and "玉田县医疗保障局" in exc.value.message


def test_lawful_range_of_a_basis_follows_the_chosen_article():
    from decimal import Decimal

    from caseflow.catalog.service import basis_ranges, find_basis
    from caseflow.errors import InvalidInput

    item = get_catalog().item("004-05")
    basis = find_basis(item, "第四十条")
    assert basis.citation == "《医疗保障基金使用监督管理条例》第四十条"
    fine = next(m for m in basis_ranges(item, basis, Decimal("12345.67")) if m["kind"] == "罚款")
    assert (fine["minimum"], fine["maximum"]) == ("24691.34", "61728.35")
    with pytest.raises(InvalidInput):
        find_basis(item, "第九十九条")
    persons = [m for m in basis_ranges(get_catalog().item("004-01"), find_basis(
        get_catalog().item("004-01"), "第八十四条"), "10000.00") if m["target"] == "responsible_person"]
    assert [(m["minimum"], m["maximum"]) for m in persons] == [("500.00", "3000.00")]


# ---------------------------------------------------------------- 追责时效 (行政处罚法第三十六条)


def test_limitation_period_is_two_years_unless_the_overlay_says_otherwise():
    """行政处罚法第三十六条: 二年; 五年 only where the violation "涉及公民生命健康安全、金融安全且
    有危害后果" — a lawyer's call no item of the five lists has been given: all run under two."""
    assert {(i.limitation_years, i.limitation_reason) for i in get_catalog().items.values()} == {
        (2, None)}


def test_an_overlay_edit_of_the_limitation_records_its_reason():
    item = get_catalog().item("004-03")
    why = "行政处罚法第三十六条：本项过度诊疗涉及公民生命健康安全且有危害后果（示例）"
    [edited] = apply_overlay([item], [Edit("004-03", "limitation_years", 5, why)])
    assert (edited.limitation_years, edited.limitation_reason) == (5, why)
    with pytest.raises(DefinitionError):  # the reason is the edit's why, never edited alone
        apply_overlay([item], [Edit("004-03", "limitation_reason", "理由", "理由")])


def test_the_limitation_is_part_of_the_entry_a_case_keeps():
    item = get_catalog().item("004-03")
    extended = replace(item, limitation_years=5, limitation_reason="理由")
    assert entry_snapshot(item)["limitation_years"] == 2
    assert entry_snapshot(extended)["limitation_years"] == 5
    assert entry_snapshot(extended)["limitation_reason"] == "理由"
    assert item_hash(extended) != item_hash(item)
    # an entry kept before the field existed ran under the 二年 of 第三十六条
    old = {k: v for k, v in entry_snapshot(item).items() if not k.startswith("limitation")}
    assert from_dict(old) == item
