"""Plausible form data for any template: for the demo centre, the tests and the benchmarks.

Fills every field that is visible and required (and, at random, some optional ones) with a
value of the right type that passes the validators; names and numbers are made up.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from app.catalog.schema import ApplicantKind, FieldType, FormField, FormTemplate
from app.validators import id_check_digit, uscc_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "桂兰", "建国", "志强", "海燕", "明", "丽", "军", "红梅", "国华", "玉兰", "德胜"]
DEMO_COUNTY = "511899"  # invented county code of the demo town (docs/catalog.md)
DEMO_TOWN = "511899101"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def id_number(rng: random.Random, born: dt.date | None = None) -> str:
    born = born or dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 60))
    first17 = f"{DEMO_COUNTY}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_digit(first17)


def uscc(rng: random.Random) -> str:
    first17 = f"92{DEMO_COUNTY}MA{rng.randrange(0, 10**7):07d}"
    return first17 + uscc_check_char(first17)


def mobile(rng: random.Random) -> str:
    return f"13{rng.randrange(0, 10**9):09d}"


def address(rng: random.Random) -> dict[str, str]:
    village = rng.randrange(201, 215)
    return {
        "division_code": f"{DEMO_TOWN}{village:03d}",
        "detail": "清河镇{}村{}组{}号".format(
            rng.choice("东南西北"), rng.randrange(1, 9), rng.randrange(1, 80)
        ),
    }


def applicant(spec: FormField, rng: random.Random) -> dict[str, Any]:
    kinds = spec.applicant_kinds or [ApplicantKind.NATURAL_PERSON]
    if ApplicantKind.NATURAL_PERSON in kinds:
        return {
            "kind": "natural_person",
            "name": person_name(rng),
            "id_number": id_number(rng),
            "phone": mobile(rng),
            "address": address(rng),
        }
    return {
        "kind": "legal_person",
        "name": f"清河镇{rng.choice(['丰收', '兴旺', '福源'])}食品作坊",
        "uscc": uscc(rng),
        "legal_representative": person_name(rng),
        "phone": mobile(rng),
        "address": address(rng),
    }


def _patterned(pattern: str, rng: random.Random) -> str | None:
    """A value for the patterns the catalogue uses (残疾人证号 = ID number + category + grade)."""
    candidates = [
        id_number(rng) + f"{rng.randint(1, 7)}{rng.randint(1, 4)}",
        id_number(rng),
        f"{rng.randrange(10**5, 10**6)}",
    ]
    return next((c for c in candidates if re.fullmatch(pattern, c)), None)


def field_value(spec: FormField, rng: random.Random) -> Any:
    kind = spec.type
    if kind is FieldType.APPLICANT:
        return applicant(spec, rng)
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        if spec.pattern is not None:
            return _patterned(spec.pattern, rng)
        text = f"{spec.label}（示例）"
        return text[: spec.max_length] if spec.max_length else text
    if kind is FieldType.INTEGER:
        low = int(spec.min) if spec.min is not None else 1
        high = int(spec.max) if spec.max is not None else low + 5
        return rng.randint(low, max(low, min(high, low + 5)))
    if kind is FieldType.DECIMAL:
        floor = float(spec.min) if spec.min is not None else 0.0
        ceiling = float(spec.max) if spec.max is not None else floor + 1000
        return round(floor + rng.random() * (ceiling - floor), 2)
    if kind is FieldType.DATE:
        return (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))).isoformat()
    if kind is FieldType.SELECT:
        return rng.choice(spec.options or [""])
    if kind is FieldType.MULTI_SELECT:
        return [rng.choice(spec.options or [""])]
    if kind is FieldType.CHECKBOX:
        return True
    if kind is FieldType.ID_NUMBER:
        return id_number(rng)
    if kind is FieldType.USCC:
        return uscc(rng)
    if kind is FieldType.PHONE:
        return mobile(rng)
    if kind is FieldType.ADDRESS:
        return address(rng)
    raise AssertionError(kind)


def sample_form_data(template: FormTemplate, rng: random.Random) -> dict[str, Any]:
    """Valid data: fill until every visible required field has a value (conditions may chain)."""
    data: dict[str, Any] = {}
    for _ in range(len(template.all_fields()) + 1):
        states = template.field_states(data)
        changed = False
        for spec in template.all_fields():
            state = states[spec.key]
            if spec.key in data or not state.visible:
                continue
            if state.required or rng.random() < 0.3:
                value = field_value(spec, rng)
                if value is not None:
                    data[spec.key] = value
                    changed = True
        if not changed:
            break
    states = template.field_states(data)
    return {k: v for k, v in data.items() if states[k].visible}
