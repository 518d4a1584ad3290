"""Loading and validating catalogue files: the bundled demo catalogue and every rejection rule."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.loader import bundled_catalog, collect_problems, load_catalog
from app.catalog.pinyin import initials_match
from app.catalog.schema import FieldType, HandlingKind, MaterialKind, StepLevel, StepRole
from app.errors import CatalogRejected
from app.system import paths

MINIMAL = Path(__file__).parent / "data" / "catalog" / "minimal.json"
ITEM = "事项 示例事项 (code T-001)"
TEMPLATE = "模板 示例申请表 (id sample v1)"

Doc = dict[str, Any]


def minimal_doc() -> Doc:
    data: Doc = json.loads(MINIMAL.read_text(encoding="utf-8"))
    return data


def write(path: Path, doc: Doc) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def item(doc: Doc) -> Doc:
    result: Doc = doc["items"][0]
    return result


def fields(doc: Doc) -> list[Doc]:
    result: list[Doc] = doc["templates"][0]["sections"][0]["fields"]
    return result


# --- the bundled demo catalogue --------------------------------------------------------------


def test_bundled_catalogue_loads_with_at_least_fifteen_items() -> None:
    catalog = bundled_catalog()
    assert len(catalog.items) >= 15
    assert len(catalog.templates) >= len({i.form_template.id for i in catalog.items})
    assert catalog.schema_version == 1
    assert len({i.code for i in catalog.items}) == len(catalog.items)


def test_bundled_catalogue_covers_the_required_town_items() -> None:
    names = {i.name for i in bundled_catalog().items}
    for required in [
        "最低生活保障",
        "临时救助",
        "特困人员救助供养",
        "困难残疾人生活补贴",
        "重度残疾人护理补贴",
        "高龄津贴",
        "城乡居民基本养老保险参保登记",
        "生育登记",
        "农村村民宅基地审批",
        "乡村建设规划许可证核发",
        "食品生产加工小作坊登记",
        "《就业创业证》申领",
        "门牌编制申请",
        "个体工商户设立登记",
        "林木采伐许可证核发（个人）",
        "老年人优待证办理",
    ]:
        assert required in names


def test_every_bundled_item_is_sourced_and_consistent() -> None:
    catalog = bundled_catalog()
    for entry in catalog.items:
        assert entry.sources, entry.name
        assert all(url.startswith(("http://", "https://")) for url in entry.sources)
        assert initials_match(entry.name, entry.pinyin_initials), entry.name
        template = catalog.template_for(entry)  # resolves, or KeyError
        applicant = template.applicant_field()
        assert applicant is not None and applicant.required, entry.name
        assert entry.steps[0].role is StepRole.CLERK and entry.steps[0].level is StepLevel.TOWN
        assert entry.fee.free, entry.name  # nearly every town item is free; the demo ones all are
        mains = [m for m in entry.materials if m.kind is not MaterialKind.SUPPORTING]
        assert mains and not any(m.deficiency_allowed for m in mains), entry.name
        if entry.handling_kind is HandlingKind.IMMEDIATE:
            assert entry.promised_limit.days == 0


def test_bundled_social_assistance_ends_with_a_county_decision() -> None:
    catalog = bundled_catalog()
    for name in ["最低生活保障", "临时救助", "特困人员救助供养", "重度残疾人护理补贴"]:
        entry = next(i for i in catalog.items if i.name == name)
        assert entry.steps[-1].level is StepLevel.COUNTY, name
    dibao = next(i for i in catalog.items if i.name == "最低生活保障")
    assert dibao.pinyin_initials == "zdshbz"
    form = catalog.template_for(dibao)
    assert form.field_states({"reason": "其他"})["reason_other"] == (True, True)
    assert form.field_states({"reason": "因病"})["reason_other"] == (False, False)
    types = {f.type for f in form.all_fields()}
    assert {FieldType.APPLICANT, FieldType.ADDRESS, FieldType.INTEGER, FieldType.DECIMAL} <= types


def test_bundled_catalogue_reads_from_the_resources_folder() -> None:
    files = sorted(paths.catalog_dir().glob("*.json"))
    assert len(files) == len(bundled_catalog().items)  # one file per item


# --- rejections ------------------------------------------------------------------------------

Mutation = Callable[[Doc], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Mutation:
    def mutate(doc: Doc) -> None:
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return mutate


def _cycle(doc: Doc) -> None:
    """reason_other is shown when b is filled in, and b when reason_other is."""
    fields(doc).append(
        {
            "key": "b",
            "label": "乙",
            "type": "text",
            "visible_if": {"field": "reason_other", "op": "not_empty"},
        }
    )
    fields(doc)[2]["visible_if"] = {
        "all": [
            {"field": "reason", "op": "equals", "value": "其他"},
            {"field": "b", "op": "not_empty"},
        ]
    }


I0 = ["items", 0]
F = ["templates", 0, "sections", 0, "fields"]

CASES: list[tuple[str, Mutation, str]] = [
    ("missing_required_key", _delete([*I0, "category"]), f"{ITEM}: category: 缺少必填项"),
    ("unknown_key", _set([*I0, "catgory"], "x"), f"{ITEM}: catgory: 不认识的字段"),
    (
        "wrong_type",
        _set([*I0, "materials", 0, "copies"], "2"),
        f"{ITEM}: materials[0].copies: 应为整数",
    ),
    (
        "non_positive_copies",
        _set([*I0, "materials", 2, "copies"], 0),
        f"{ITEM}: materials[2].copies: 必须大于 0",
    ),
    ("bad_enum", _set([*I0, "item_type"], "行政处罚"), f"{ITEM}: item_type: 取值“行政处罚”无效"),
    ("no_sources", _set([*I0, "sources"], []), f"{ITEM}: sources: 至少需要 1 项"),
    ("bad_source", _set([*I0, "sources"], ["见办事指南"]), f"{ITEM}: sources[0]: 格式不正确"),
    (
        "promised_over_legal",
        _set([*I0, "promised_limit", "days"], 25),
        f"{ITEM}: promised_limit.days: 承诺时限（25个工作日）不能超过法定时限（20个工作日）",
    ),
    (
        "immediate_with_promise",
        _set([*I0, "handling_kind"], "即办件"),
        f"{ITEM}: promised_limit.days: 即办件的承诺时限应为 0",
    ),
    (
        "duplicate_material_id",
        _set([*I0, "materials", 2, "id"], "id_card"),
        f"{ITEM}: materials[2].id: 材料标识“id_card”重复",
    ),
    (
        "deficiency_on_application_form",
        _set([*I0, "materials", 0, "deficiency_allowed"], True),
        f"{ITEM}: materials[0].deficiency_allowed: 申请书/申请表属于主要材料，不得容缺",
    ),
    (
        "deficiency_on_optional_material",
        _set([*I0, "materials", 2, "required"], False),
        f"{ITEM}: materials[2].deficiency_allowed: 非必要材料无需设置容缺",
    ),
    (
        "first_step_not_town_clerk",
        _set([*I0, "steps", 0, "role"], "approver"),
        f"{ITEM}: steps[0]: 第一个环节必须是乡镇窗口受理",
    ),
    (
        "county_step_with_town_role",
        _set([*I0, "steps", 2, "role"], "approver"),
        f"{ITEM}: steps[2].role: 县级环节的 role 必须为 county",
    ),
    (
        "wrong_pinyin",
        _set([*I0, "pinyin_initials"], "slsh"),
        f"{ITEM}: pinyin_initials: 拼音首字母“slsh”与事项名称“示例事项”不符",
    ),
    (
        "charged_without_basis",
        _set([*I0, "fee"], {"free": False, "amount": 10}),
        f"{ITEM}: fee.basis: 收费事项必须填写收费依据",
    ),
    (
        "template_ref_unresolved",
        _set([*I0, "form_template", "version"], 2),
        f"{ITEM}: form_template: 找不到表单模板 sample 第 2 版（现有版本：1）",
    ),
    (
        "subject_mismatch",
        _set([*I0, "subject"], "both"),
        f"{ITEM}: subject: 服务对象为自然人、法人，但表单模板 sample 第 1 版的申请人类型不一致",
    ),
    (
        "unknown_field_type",
        _set([*F, 3, "type"], "colour"),
        f"{TEMPLATE}: sections[0].fields[3].type: 取值“colour”无效",
    ),
    (
        "select_without_options",
        _delete([*F, 1, "options"]),
        f"{TEMPLATE}: sections[0].fields[1].options: select 字段必须提供非空的 options",
    ),
    (
        "duplicate_option",
        _set([*F, 1, "options"], ["因病", "因病"]),
        f"{TEMPLATE}: sections[0].fields[1].options: 选项重复：因病",
    ),
    (
        "options_on_text",
        _set([*F, 2, "options"], ["a"]),
        f"{TEMPLATE}: sections[0].fields[2].options: "
        "只有 select / multi_select 字段可以设置 options",
    ),
    (
        "condition_missing_field",
        _set([*F, 2, "visible_if", "field"], "nope"),
        f"{TEMPLATE}: sections[0].fields[2].visible_if.field: 条件引用的字段“nope”在本模板中不存在",
    ),
    (
        "condition_on_itself",
        _set([*F, 2, "required_if"], {"field": "reason_other", "op": "not_empty"}),
        f"{TEMPLATE}: sections[0].fields[2].required_if.field: 条件不能引用字段自身",
    ),
    (
        "in_value_not_an_option",
        _set([*F, 2, "visible_if"], {"field": "reason", "op": "in", "value": ["其他", "火星"]}),
        f"{TEMPLATE}: sections[0].fields[2].visible_if.value[1]: “火星”不在字段“申请原因”的选项中",
    ),
    (
        "nested_condition_wrong_operand",
        _set(
            [*F, 2, "visible_if"],
            {
                "any": [
                    {"field": "reason", "op": "equals", "value": "其他"},
                    {"field": "family_size", "op": "equals", "value": "三"},
                ]
            },
        ),
        f"{TEMPLATE}: sections[0].fields[2].visible_if.any[1].value: 应为数字",
    ),
    (
        "operator_unfit_for_type",
        _set([*F, 2, "visible_if"], {"field": "reason", "op": "is_true"}),
        f"{TEMPLATE}: sections[0].fields[2].visible_if.op: 运算符 is_true 不适用于 select 类型字段",
    ),
    (
        "malformed_condition",
        _set([*F, 2, "visible_if"], {"field": "reason", "op": "equals", "vaule": "其他"}),
        f"{TEMPLATE}: sections[0].fields[2].visible_if.vaule: 不认识的字段",
    ),
    (
        "condition_cycle",
        _cycle,
        f"{TEMPLATE}: sections[0].fields[2].visible_if: "
        "visible_if 形成循环依赖：reason_other → b → reason_other",
    ),
    (
        "bad_regex",
        _set([*F, 2, "pattern"], "^(\\d+$"),
        f"{TEMPLATE}: sections[0].fields[2].pattern: 正则表达式无法编译",
    ),
    (
        "min_above_max",
        _set([*F, 3, "min"], 30),
        f"{TEMPLATE}: sections[0].fields[3].min: 下限 30 大于上限 20",
    ),
    (
        "default_not_an_option",
        _set([*F, 1, "default"], "因懒"),
        f"{TEMPLATE}: sections[0].fields[1].default: “因懒”不在字段“申请原因”的选项中",
    ),
    (
        "duplicate_field_key",
        _set([*F, 3, "key"], "reason"),
        f"{TEMPLATE}: sections[0].fields[3].key: 字段键“reason”重复",
    ),
    (
        "no_applicant_field",
        _set([*F, 0, "type"], "text"),
        f"{TEMPLATE}: sections: 表单模板必须有一个申请人（applicant）字段",
    ),
    (
        "bad_field_key",
        _set([*F, 3, "key"], "FamilySize"),
        f"{TEMPLATE}: sections[0].fields[3].key: 格式不正确",
    ),
    (
        "unsupported_schema_version",
        _set(["schema_version"], 2),
        "schema_version: 不支持的目录格式版本 2",
    ),
    ("bad_date", _set(["published_at"], "2026-13-01"), "published_at: 应为 YYYY-MM-DD 格式的日期"),
    ("items_not_a_list", _set(["items"], {"code": "x"}), "items: 应为数组"),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_rejects_a_crafted_file_naming_file_item_and_field(
    tmp_path: Path, name: str, mutate: Mutation, expected: str
) -> None:
    doc = minimal_doc()
    mutate(doc)
    file = write(tmp_path / f"{name}.json", doc)
    catalog, problems = collect_problems([file])
    assert catalog is None
    assert any(line.startswith(f"{file}: ") and expected in line for line in problems), problems


def test_the_untouched_fixture_is_valid(tmp_path: Path) -> None:
    catalog, problems = collect_problems([write(tmp_path / "ok.json", minimal_doc())])
    assert problems == []
    assert catalog is not None and [i.code for i in catalog.items] == ["T-001"]


def test_bad_json_syntax_names_line_and_column(tmp_path: Path) -> None:
    file = tmp_path / "broken.json"
    file.write_text(
        '{\n  "schema_version": 1,\n  "issuer": "x"\n  "items": []\n}\n', encoding="utf-8"
    )
    _, problems = collect_problems([file])
    assert problems == [f"{file}: JSON 语法错误（第 4 行第 3 列）：缺少逗号"]


def test_not_utf8_duplicate_keys_and_wrong_top_level_are_reported(tmp_path: Path) -> None:
    latin = tmp_path / "gbk.json"
    latin.write_bytes('{"issuer": "示例"}'.encode("gbk"))
    dupes = tmp_path / "dupes.json"
    doc = json.dumps(minimal_doc(), ensure_ascii=False)
    dupes.write_text(doc.replace('"issuer":', '"issuer": "甲", "issuer":', 1), encoding="utf-8")
    array = tmp_path / "array.json"
    array.write_text("[]", encoding="utf-8")
    _, problems = collect_problems([latin, dupes, array])
    assert any(p.startswith(f"{latin}: 文件不是 UTF-8 编码") for p in problems)
    assert f"{dupes}: JSON 对象中键“issuer”重复出现" in problems
    assert f"{array}: 文件顶层应为 JSON 对象" in problems


def test_missing_paths_and_empty_folders_are_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    _, problems = collect_problems([tmp_path / "nope.json", empty])
    assert problems == [
        f"{tmp_path / 'nope.json'}: 文件或文件夹不存在",
        f"{empty}: 文件夹中没有 .json 目录文件",
    ]


def test_duplicate_item_code_across_two_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a.json", minimal_doc())
    second_doc = minimal_doc()
    second_doc["templates"][0]["version"] = 2
    item(second_doc)["form_template"]["version"] = 2
    second = write(tmp_path / "b.json", second_doc)
    catalog, problems = collect_problems([tmp_path])
    assert catalog is None
    assert problems == [f"{second}: {ITEM}: code: 事项编码“T-001”与 {first} 中的事项重复"]


def test_duplicate_template_version_across_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a.json", minimal_doc())
    other = minimal_doc()
    item(other)["code"] = "T-002"
    second = write(tmp_path / "b.json", other)
    _, problems = collect_problems([first, second])
    assert problems == [
        f"{second}: {TEMPLATE}: version: 表单模板 sample 第 1 版与 {first} 中的模板重复"
    ]


def test_files_merge_and_may_hold_items_and_templates_apart(tmp_path: Path) -> None:
    doc = minimal_doc()
    items_only = {**doc, "templates": []}
    templates_only = {**doc, "items": []}
    write(tmp_path / "1-items.json", items_only)
    write(tmp_path / "2-templates.json", templates_only)
    catalog = load_catalog([tmp_path])
    assert [i.code for i in catalog.items] == ["T-001"]
    assert catalog.template_for(catalog.items[0]).title == "示例申请表"
    assert catalog.published_at is not None and catalog.issuer == "测试发布机构"


def test_headers_must_agree_across_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a.json", minimal_doc())
    other = {**minimal_doc(), "items": [], "templates": [], "catalog_version": "test-2"}
    second = write(tmp_path / "b.json", other)
    _, problems = collect_problems([tmp_path])
    assert problems == [f"{second}: catalog_version: “test-2”与 {first} 中的“test-1”不一致"]


def test_a_file_with_three_problems_reports_all_three(tmp_path: Path) -> None:
    doc = minimal_doc()
    item(doc)["materials"][1]["copies"] = -1  # structure: the item fails pydantic validation
    del doc["templates"][0]["sections"][0]["fields"][1]["options"]  # template rule
    doc["issuer"] = ""  # header
    file = write(tmp_path / "three.json", doc)
    catalog, problems = collect_problems([file])
    assert catalog is None
    assert problems == [
        f"{file}: issuer: 不能为空",
        f"{file}: {ITEM}: materials[1].copies: 必须大于 0",
        f"{file}: {TEMPLATE}: sections[0].fields[1].options: select 字段必须提供非空的 options",
    ]


def test_load_catalog_raises_catalog_rejected_with_every_problem(tmp_path: Path) -> None:
    doc = minimal_doc()
    item(doc)["promised_limit"]["days"] = 30
    item(doc)["materials"][0]["deficiency_allowed"] = True
    file = write(tmp_path / "bad.json", doc)
    with pytest.raises(CatalogRejected) as raised:
        load_catalog([file])
    assert len(raised.value.problems) == 2
    assert raised.value.problems == collect_problems([file])[1]
    assert "当前在用目录保持不变" in str(raised.value)


def test_one_bad_item_does_not_hide_problems_of_the_others(tmp_path: Path) -> None:
    doc = minimal_doc()
    second = copy.deepcopy(item(doc))
    second.update(code="T-002", name="第二事项", pinyin_initials="dexx")
    second["steps"][0]["level"] = "county"
    item(doc)["legal_limit"] = "二十天"
    doc["items"].append(second)
    file = write(tmp_path / "two.json", doc)
    _, problems = collect_problems([file])
    assert f"{file}: {ITEM}: legal_limit: 应为对象" in problems
    assert any("事项 第二事项 (code T-002): steps[0]: 第一个环节" in p for p in problems)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=_json, key=st.sampled_from(["items", "templates", "issuer", "schema_version"]))
def test_arbitrary_json_is_reported_never_raised(tmp_path: Path, junk: Any, key: str) -> None:
    doc = minimal_doc()
    doc[key] = junk
    file = write(tmp_path / "junk.json", doc)
    catalog, problems = collect_problems([file])
    assert (catalog is None) == bool(problems)
    whole = write(tmp_path / "whole.json", junk) if not isinstance(junk, dict) else None
    if whole is not None:
        assert collect_problems([whole])[1]


def test_rules_still_run_on_the_valid_parts_of_a_broken_item(tmp_path: Path) -> None:
    doc = minimal_doc()
    item(doc)["materials"][2]["copies"] = 0  # makes the item structurally invalid
    item(doc)["materials"][0]["deficiency_allowed"] = True  # a rule on another material
    item(doc)["steps"][1]["time_limit"]["days"] = 30  # a rule on a step
    item(doc)["pinyin_initials"] = "abcd"  # and one on the header fields
    file = write(tmp_path / "partial.json", doc)
    _, problems = collect_problems([file])
    assert problems == [
        f"{file}: {ITEM}: materials[2].copies: 必须大于 0",
        f"{file}: {ITEM}: pinyin_initials: 拼音首字母“abcd”与事项名称“示例事项”不符"
        "（按常用读音应为“slsx”，多音字可取其他读音）",
        f"{file}: {ITEM}: materials[0].deficiency_allowed: "
        "申请书/申请表属于主要材料，不得容缺（只有次要材料可以容缺后补）",
        f"{file}: {ITEM}: steps[1].time_limit.days: 环节时限（30个工作日）不能超过法定时限"
        "（20个工作日）",
    ]


def test_duplicate_code_is_found_even_when_the_first_copy_is_broken(tmp_path: Path) -> None:
    broken = minimal_doc()
    item(broken)["legal_limit"] = None
    first = write(tmp_path / "a.json", broken)
    other = minimal_doc()
    other["templates"][0]["version"] = 2
    item(other)["form_template"]["version"] = 2
    second = write(tmp_path / "b.json", other)
    _, problems = collect_problems([tmp_path])
    assert problems == [
        f"{first}: {ITEM}: legal_limit: 应为对象",
        f"{second}: {ITEM}: code: 事项编码“T-001”与 {first} 中的事项重复",
    ]


def test_a_broken_template_is_not_also_reported_as_missing(tmp_path: Path) -> None:
    doc = minimal_doc()
    fields(doc)[3]["type"] = "colour"
    file = write(tmp_path / "broken_template.json", doc)
    _, problems = collect_problems([file])
    assert len(problems) == 1
    assert "sections[0].fields[3].type: 取值“colour”无效" in problems[0]
