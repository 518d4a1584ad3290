"""Which fields of a form an ID card, or a typed ID number, fills (no Qt here).

The applicant is the form's applicant block (``type: applicant``) when it takes a natural person:
the card fills its 姓名, 公民身份号码 and the 住址's detail (the address as the card words it).
The 12-digit 区划代码 is not on the card: when the 住址 names one of the county's villages
(:meth:`DivisionList.in_address`) and no code was picked yet, that village's code is filled;
otherwise the code stays as it was. Other fields are the applicant's when the template names them so
(:data:`ROLES`: by key, or by exact label): 性别, 民族, 出生日期, 签发机关, 有效期限. A form
with no applicant block may have the applicant's own 姓名 and 公民身份号码 fields (same rule).
A spouse's or an agent's ID field (``spouse_id_number``, ``代办人身份证号``) is never touched.

A typed ID number fills 出生日期 and 性别 (:func:`id_values`) only where those are empty or still
hold what an earlier ID number put there, so nothing the clerk typed is overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.catalog.schema import ApplicantKind, FieldType, FormField, FormTemplate
from app.divisions.model import DivisionList
from app.idcard.card import IdCard
from app.validators import birth_date_of, check_id_number, sex_of

__all__ = [
    "ROLES",
    "applicant_block",
    "applicant_id_number",
    "card_values",
    "fillable_roles",
    "id_values",
]

#: role → (field keys, field labels) that mark a top-level field as the applicant's.
ROLES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "name": (frozenset({"name", "applicant_name"}), frozenset({"姓名", "申请人姓名"})),
    "id_number": (
        frozenset({"id_number", "applicant_id_number"}),
        frozenset({"公民身份号码", "居民身份证号", "身份证号", "身份证号码", "申请人身份证号"}),
    ),
    "sex": (frozenset({"sex", "gender"}), frozenset({"性别"})),
    "birth": (
        frozenset({"birth_date", "birthday", "date_of_birth"}),
        frozenset({"出生日期", "出生年月日", "出生"}),
    ),
    "nation": (frozenset({"nation", "ethnicity"}), frozenset({"民族"})),
    "authority": (frozenset({"id_authority", "issuing_authority"}), frozenset({"签发机关"})),
    "validity": (
        frozenset({"id_validity", "id_valid_period"}),
        frozenset({"有效期限", "身份证有效期限", "证件有效期限"}),
    ),
}
_TEXT_TYPES = (FieldType.TEXT, FieldType.TEXTAREA)
_FITS: dict[str, tuple[FieldType, ...]] = {
    "name": _TEXT_TYPES,
    "id_number": (FieldType.ID_NUMBER,),
    "sex": (FieldType.SELECT, *_TEXT_TYPES),
    "birth": (FieldType.DATE, *_TEXT_TYPES),
    "nation": (FieldType.SELECT, *_TEXT_TYPES),
    "authority": _TEXT_TYPES,
    "validity": _TEXT_TYPES,
}


def applicant_block(template: FormTemplate) -> FormField | None:
    """The first applicant block that takes a natural person."""
    return next(
        (
            spec
            for spec in template.all_fields()
            if spec.type is FieldType.APPLICANT
            and ApplicantKind.NATURAL_PERSON in (spec.applicant_kinds or [])
        ),
        None,
    )


def fillable_roles(template: FormTemplate) -> dict[str, FormField]:
    """role → the top-level field of the applicant that plays it (the first that fits)."""
    found: dict[str, FormField] = {}
    has_block = applicant_block(template) is not None
    for spec in template.all_fields():
        for role, (keys, labels) in ROLES.items():
            if role in found or (has_block and role in ("name", "id_number")):
                continue
            if (spec.key in keys or spec.label in labels) and spec.type in _FITS[role]:
                found[role] = spec
                break
    return found


def _fits_choice(spec: FormField, value: str) -> bool:
    return spec.type is not FieldType.SELECT or value in (spec.options or [])


def card_values(
    template: FormTemplate,
    data: Mapping[str, Any],
    card: IdCard,
    villages: DivisionList | None = None,
) -> dict[str, Any]:
    """The values ``card`` puts into the form (key → value), merged with ``data`` for the
    applicant block (the phone and 区划代码 typed stay; an empty code is found from the card's
    住址 in ``villages``). Empty: the form has no field for it."""
    values: dict[str, Any] = {}
    block = applicant_block(template)
    if block is not None:
        current = data.get(block.key)
        current = dict(current) if isinstance(current, Mapping) else {}
        address = current.get("address")
        address = dict(address) if isinstance(address, Mapping) else {}
        address["detail"] = card.address
        village = villages.in_address(card.address) if villages is not None else None
        if village is not None and not str(address.get("division_code") or "").strip():
            address["division_code"] = village.code
        current.update(
            kind=ApplicantKind.NATURAL_PERSON.value,
            name=card.name,
            id_number=card.id_number,
            address=address,
        )
        for part in ("uscc", "legal_representative"):
            current.pop(part, None)
        values[block.key] = current
    by_role: dict[str, str] = {
        "name": card.name,
        "id_number": card.id_number,
        "sex": card.sex,
        "birth": card.birth.isoformat(),
        "nation": card.nation_for_form(),
        "authority": card.authority,
        "validity": card.validity_text(),
    }
    for role, spec in fillable_roles(template).items():
        value = by_role[role]
        if role == "nation" and spec.type is FieldType.SELECT and value not in (spec.options or []):
            value = card.nation  # a list of names without 族
        if _fits_choice(spec, value):
            values[spec.key] = value
    return values


def applicant_id_number(template: FormTemplate, data: Mapping[str, Any]) -> str:
    """The applicant's ID number as typed ("" when the form has none or it is empty)."""
    block = applicant_block(template)
    if block is not None:
        value = data.get(block.key)
        if not isinstance(value, Mapping):
            return ""
        if value.get("kind", ApplicantKind.NATURAL_PERSON.value) != ApplicantKind.NATURAL_PERSON:
            return ""
        return str(value.get("id_number") or "").strip()
    spec = fillable_roles(template).get("id_number")
    return str(data.get(spec.key) or "").strip() if spec is not None else ""


def id_values(
    template: FormTemplate,
    data: Mapping[str, Any],
    id_number: str,
    previous: Mapping[str, Any],
) -> dict[str, Any]:
    """出生日期 and 性别 from a valid ``id_number`` (key → value): only for fields that are
    empty or still hold ``previous[key]`` (what an earlier ID number filled in). Empty when
    the number does not pass the ID check."""
    if not check_id_number(id_number).ok:
        return {}
    derived = {"birth": birth_date_of(id_number).isoformat(), "sex": sex_of(id_number)}
    values: dict[str, Any] = {}
    for role, value in derived.items():
        spec = fillable_roles(template).get(role)
        if spec is None or not _fits_choice(spec, value):
            continue
        current = data.get(spec.key)
        if current in (None, "") or (spec.key in previous and current == previous[spec.key]):
            values[spec.key] = value
    return values
