"""The rules across items and templates (:func:`cross_rules`): unique item codes and template
versions, resolvable template references, and subjects (服务对象) matching the template's
applicant kinds."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.catalog.schema.items import Item
from app.catalog.schema.templates import FormTemplate
from app.catalog.schema.vocabulary import ApplicantKind, Subject

_SUBJECT_KINDS: dict[Subject, frozenset[ApplicantKind]] = {
    Subject.NATURAL_PERSON: frozenset({ApplicantKind.NATURAL_PERSON}),
    Subject.LEGAL_PERSON: frozenset({ApplicantKind.LEGAL_PERSON}),
    Subject.BOTH: frozenset({ApplicantKind.NATURAL_PERSON, ApplicantKind.LEGAL_PERSON}),
}

#: (kind "item" | "template", index, path within that object, message)
CrossProblem = tuple[str, int, str, str]


def cross_rules(
    items: Sequence[Item],
    templates: Sequence[FormTemplate],
    origin: Callable[[str, int], str],
) -> list[CrossProblem]:
    """Rules across items and templates: unique keys, resolvable references, matching subjects.

    ``origin(kind, index)`` names where an object came from (a file, or ``items[3]``), for
    messages about duplicates.
    """
    problems: list[CrossProblem] = []
    first_item: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.code in first_item:
            other = origin("item", first_item[item.code])
            problems.append(
                ("item", index, "code", f"事项编码“{item.code}”与 {other} 中的事项重复")
            )
        else:
            first_item[item.code] = index
    first_template: dict[tuple[str, int], int] = {}
    for index, template in enumerate(templates):
        key = (template.id, template.version)
        if key in first_template:
            other = origin("template", first_template[key])
            problems.append(
                (
                    "template",
                    index,
                    "version",
                    f"表单模板 {template.id} 第 {template.version} 版与 {other} 中的模板重复",
                )
            )
        else:
            first_template[key] = index
    for index, item in enumerate(items):
        ref = item.form_template
        if (ref.id, ref.version) not in first_template:
            versions = sorted(t.version for t in templates if t.id == ref.id)
            hint = f"（现有版本：{', '.join(map(str, versions))}）" if versions else ""
            problems.append(
                (
                    "item",
                    index,
                    "form_template",
                    f"找不到表单模板 {ref.id} 第 {ref.version} 版{hint}",
                )
            )
            continue
        template = templates[first_template[(ref.id, ref.version)]]
        applicant = template.applicant_field()
        if applicant is not None and applicant.applicant_kinds:
            kinds = frozenset(applicant.applicant_kinds)
            if kinds != _SUBJECT_KINDS[item.subject]:
                wanted = "、".join(k.label for k in sorted(_SUBJECT_KINDS[item.subject]))
                problems.append(
                    (
                        "item",
                        index,
                        "subject",
                        f"服务对象为{item.subject.label}，但表单模板 {ref.id} 第 {ref.version} 版"
                        f"的申请人类型不一致（应为：{wanted}）",
                    )
                )
    return problems
