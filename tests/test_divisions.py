"""The county's village list (区划名单): loading, the picker's search, and the check of a form's
区划代码 against the centre's county, warned about or refused by the centre's setting."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from app import settings
from app.cases import intake
from app.divisions.loader import county_divisions, divisions_dir, load_divisions, parse_divisions
from app.divisions.policy import CentreDivisions, OutOfCounty, centre_divisions
from app.errors import InputFileError
from app.forms import FormInvalid, check_form
from app.validators import check_division_code
from tests.centre import TOWN, Centre, centre

__all__ = ["centre"]

VILLAGES = county_divisions("511899")
LABEL = "户籍地址的区划代码"
ELSEWHERE = "111899101001"  # a valid province prefix (11), a county that is not the centre's
DIBAO = "最低生活保障"


def _centre(rule: OutOfCounty = OutOfCounty.WARN) -> CentreDivisions:
    return CentreDivisions(TOWN, VILLAGES, rule)


def _names(text: str) -> list[str]:
    return [d.name for d in _centre().search(text)]


# --- the list ------------------------------------------------------------------------------------


def test_the_bundled_demo_list_is_the_demo_towns_villages() -> None:
    assert VILLAGES is not None and VILLAGES.demo
    assert (VILLAGES.county_code, VILLAGES.county_name) == ("511899", "示例县")
    assert VILLAGES.towns == (("511899101", "清河镇"),)
    codes = [d.code for d in VILLAGES.divisions]
    assert len(codes) == 17 and len(set(codes)) == 17
    assert all(code.startswith(TOWN[:9]) for code in codes)
    # Every code the demo seed and the catalogue's examples use is on it (app/demo/forms.py
    # draws villages 201-214; docs/catalog.md shows 511899101201).
    assert {f"511899101{n}" for n in range(201, 215)} <= set(codes)
    assert VILLAGES.by_code("511899101201") is not None


def test_every_bundled_file_loads_and_is_named_for_its_county() -> None:
    files = sorted(divisions_dir().glob("*.json"))
    assert files
    for path in files:
        assert load_divisions(path).county_code == path.stem


def _shape() -> dict[str, Any]:
    return copy.deepcopy(json.loads((divisions_dir() / "511899.json").read_text("utf-8")))


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["towns"][0]["villages"][0].update(code="511899102001"), "不属于乡镇"),
        (lambda d: d["county"].update(code="521899"), "不属于县 521899"),
        (lambda d: d["towns"][0]["villages"].append(d["towns"][0]["villages"][0]), "两次"),
        (lambda d: d["towns"][0]["villages"][0].update(code="51189910100"), "villages"),
        (lambda d: d.update(format=2), "format"),
        (lambda d: d["county"].pop("name"), "county.name"),
    ],
)
def test_a_wrong_list_is_refused_naming_the_problem(change: Any, fragment: str) -> None:
    data = _shape()
    change(data)
    with pytest.raises(InputFileError, match="区划名单格式不正确") as caught:
        parse_divisions(data)
    assert fragment in str(caught.value)


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "511899.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"511899\.json"):
        load_divisions(path)


def test_a_county_without_a_list_has_none() -> None:
    assert county_divisions("330106") is None
    assert county_divisions("../../x") is None


# --- the search ---------------------------------------------------------------------------------


def test_search_by_name_initials_and_code() -> None:
    assert _names("东湖") == ["东湖村"]
    assert _names("社区") == ["清河社区", "新街社区", "河滨社区"]
    assert _names("dhc") == ["东湖村", "大河村"]  # two villages share the initials
    assert _names("DH") == ["东湖村", "大河村"]  # upper case, as typed with Caps Lock
    assert _names("cx") == _names("zx") == ["长兴村"]  # 长 read cháng or zhǎng
    assert _names("201") == ["东湖村"]  # the village's last digits
    assert _names("511899101201") == ["东湖村"]
    assert len(_names("5118991012")) == 14  # the start of the codes: the villages 201-214
    assert _names("５１１８９９１０１２０１") == ["东湖村"]  # full-width digits
    assert _names("") == [] and _names("xyz") == []


def test_a_name_beats_initials_and_the_centres_town_comes_first() -> None:
    data = _shape()
    data["towns"].insert(
        0,
        {
            "code": "511899102",
            "name": "白沙镇",
            "villages": [{"code": "511899102201", "name": "东湖村"}],
        },
    )
    county = parse_divisions(data)
    found = CentreDivisions(TOWN, county).search("东湖")
    assert [(d.town_name, d.code) for d in found] == [
        ("清河镇", "511899101201"),
        ("白沙镇", "511899102201"),
    ]


# --- the check ----------------------------------------------------------------------------------


def test_the_issues_example_passes_today_but_not_at_this_centre() -> None:
    assert check_division_code(ELSEWHERE).ok  # the form of the code alone lets it through
    assert check_division_code(ELSEWHERE).warning is None

    warned = _centre(OutOfCounty.WARN).check(ELSEWHERE, LABEL)
    assert warned.ok
    assert warned.warning == (
        "户籍地址的区划代码111899101001不属于本县（示例县 511899），请与申请人核对"
    )

    refused = _centre(OutOfCounty.REFUSE).check(ELSEWHERE, LABEL)
    assert not refused.ok
    assert refused.error == (
        "户籍地址的区划代码111899101001不属于本县（示例县 511899），本中心不予通过，请核对"
    )


def test_codes_of_the_county_pass_and_unknown_villages_of_a_listed_town_warn() -> None:
    rule = _centre(OutOfCounty.REFUSE)
    assert rule.check("511899101201", LABEL) == check_division_code("511899101201", LABEL)
    other_town = rule.check("511899102203", LABEL)  # a town whose villages are not listed
    assert other_town.ok and other_town.warning is None
    unknown = rule.check("511899101299", LABEL)
    assert unknown.ok
    assert unknown.warning == "户籍地址的区划代码511899101299不在本县的村（社区）名单中，请核对"


def test_the_form_of_the_code_is_checked_first_and_names_left_unpicked_are_named() -> None:
    rule = _centre()
    assert rule.check("51189910120", LABEL).error == (
        "户籍地址的区划代码应为12位数字（统计用区划代码），当前为11位"
    )
    assert rule.check("dhc", LABEL).error == (
        "户籍地址的区划代码：请从名单中选择村（社区），或输入12位数字代码"
    )
    assert rule.check("", LABEL).error == "请填写户籍地址的区划代码"


def test_a_centre_without_a_town_code_checks_only_the_form() -> None:
    unset = CentreDivisions(settings.TOWN_CODE.default, None, OutOfCounty.REFUSE)
    assert unset.county_code is None
    assert unset.check(ELSEWHERE, LABEL) == check_division_code(ELSEWHERE, LABEL)
    no_list = CentreDivisions("330106001000", None, OutOfCounty.REFUSE)
    assert no_list.check("330106001201", LABEL).ok
    assert no_list.check(ELSEWHERE, LABEL).error == (
        "户籍地址的区划代码111899101001不属于本县（330106），本中心不予通过，请核对"
    )


# --- the centre's settings and the forms ---------------------------------------------------------


def test_the_centres_rule_comes_from_its_settings(centre: Centre) -> None:
    with centre.store.reader() as session:
        read = centre_divisions(session)
    assert read.out_of_county is OutOfCounty.WARN  # the default
    assert read.county_code == "511899" and read.villages == VILLAGES
    with centre.store.session() as session, session.begin():
        settings.OUT_OF_COUNTY_CODES.set(session, "refuse")
    with centre.store.reader() as session:
        assert centre_divisions(session).out_of_county is OutOfCounty.REFUSE


def _dibao_elsewhere(centre: Centre) -> dict[str, Any]:
    from app.demo.forms import sample_form_data

    form = sample_form_data(centre.template(DIBAO), centre.rng)
    form["residence"] = {"division_code": ELSEWHERE, "detail": "北京市某区某街1号"}
    return form


def test_check_form_warns_or_refuses_per_rule(centre: Centre) -> None:
    template = centre.template(DIBAO)
    form = _dibao_elsewhere(centre)
    assert check_form(template, form).ok  # the form of the code only
    warned = check_form(template, form, _centre(OutOfCounty.WARN).check)
    assert warned.ok
    (warning,) = warned.warnings
    assert warning.key == "residence"
    assert warning.message.startswith("户籍地址的区划代码111899101001不属于本县（示例县 511899）")
    refused = check_form(template, form, _centre(OutOfCounty.REFUSE).check)
    assert [p.key for p in refused.problems] == ["residence"]


def test_the_applicant_address_carries_the_warning_too(centre: Centre) -> None:
    template = centre.template(DIBAO)
    form = _dibao_elsewhere(centre)
    form["residence"]["division_code"] = "511899101201"
    form["applicant"]["address"] = {"division_code": ELSEWHERE, "detail": "某街1号"}
    warned = check_form(template, form, _centre().check)
    assert warned.ok
    (warning,) = warned.warnings
    assert warning.key == "applicant"
    assert warning.message.startswith("申请人住址的区划代码111899101001不属于本县")


def test_the_window_refuses_a_code_of_another_county_when_set_to(centre: Centre) -> None:
    c = centre
    materials = [intake.MaterialIn(k) for k in c.required_materials(DIBAO)]
    with c.store.session() as session, session.begin():
        settings.OUT_OF_COUNTY_CODES.set(session, "refuse")
    with pytest.raises(FormInvalid) as caught:
        intake.receive_walk_in(
            c.ctx, c.actor("clerk"), c.item_id(DIBAO), _dibao_elsewhere(c), materials
        )
    assert "户籍地址的区划代码111899101001不属于本县" in caught.value.message

    with c.store.session() as session, session.begin():
        settings.OUT_OF_COUNTY_CODES.set(session, "warn")
    change = intake.receive_walk_in(
        c.ctx, c.actor("clerk"), c.item_id(DIBAO), _dibao_elsewhere(c), materials
    )
    assert change.case_id


def test_the_administrator_sets_the_rule_checked_and_audited(centre: Centre) -> None:
    from sqlalchemy import select

    from app.audit import AuditEvent
    from app.errors import ValidationError
    from app.settings.service import OUT_OF_COUNTY_RULES, save_settings
    from db.models import AuditEntry

    assert set(OUT_OF_COUNTY_RULES) == {rule.value for rule in OutOfCounty}
    admin = centre.actor("admin")
    with centre.store.session() as session, pytest.raises(ValidationError) as caught:
        save_settings(session, admin, {"out_of_county_codes": "block"})
    assert caught.value.field == "外县区划代码"
    assert str(caught.value).endswith("外县区划代码应为“提醒核对”或“不予通过”")
    with centre.store.session() as session:
        save_settings(session, admin, {"out_of_county_codes": "refuse"})
    with centre.store.reader() as session:
        assert settings.OUT_OF_COUNTY_CODES.get(session) == "refuse"
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.SETTINGS_CHANGED)
        ).one()
    assert entry.detail["out_of_county_codes"] == {"before": "warn", "after": "refuse"}


def test_a_list_that_does_not_load_leaves_the_picker_off_not_the_window(
    centre: Centre,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from app.divisions import loader

    (tmp_path / "511899.json").write_text('{"format": 1}', encoding="utf-8")
    monkeypatch.setattr(loader, "divisions_dir", lambda: tmp_path)
    county_divisions.cache_clear()
    try:
        with centre.store.reader() as session:
            read = centre_divisions(session)
    finally:
        county_divisions.cache_clear()
    assert read.villages is None and read.county_code == "511899"
    assert read.check(ELSEWHERE, LABEL).warning  # the county rule still holds
    assert "区划名单未能载入" in caplog.text
