"""The parts an item (事项) is made of: time limits, fee, special procedures, materials (办理材料),
steps (办理环节) and the reference to its form template."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field as PydanticField
from pydantic import Strict

from app.catalog.schema.base import FrozenModel
from app.catalog.schema.scalars import (
    NonEmptyStr,
    Number,
    OptionalText,
    PositiveInt,
    Slug,
    StrictBool,
)
from app.catalog.schema.vocabulary import (
    DayUnit,
    MaterialForm,
    MaterialKind,
    Medium,
    StepLevel,
    StepRole,
)


class TimeLimit(FrozenModel):
    """A period of days; 0 means 当场办结 (done on the spot)."""

    days: Annotated[int, Strict(), PydanticField(ge=0, le=3650)]
    unit: DayUnit

    def describe(self) -> str:
        return "当场办结" if self.days == 0 else f"{self.days}{self.unit.label}"


# A warning threshold (yellow before a time limit runs out), in working days.
WarnDays = Annotated[int, Strict(), PydanticField(ge=0, le=30)]


class Fee(FrozenModel):
    """收费: free, or an amount with its legal basis."""

    free: StrictBool
    amount: Number | None = PydanticField(default=None, gt=0, description="yuan (元)")
    basis: NonEmptyStr | None = PydanticField(default=None, description="收费依据")
    note: OptionalText | None = None


class SpecialProcedure(FrozenModel):
    """特别程序 (公示, 听证, 现场勘查, 鉴定 …) and whether its time counts in the limit."""

    name: NonEmptyStr
    limit: TimeLimit
    counts_in_limit: StrictBool
    basis: NonEmptyStr | None = None


class Material(FrozenModel):
    """办理材料. ``copies`` is the number of copies (份数); originals of 原件和复印件 are checked
    and handed back unless ``notes`` say otherwise."""

    id: Slug = PydanticField(description="stable slug, unique within the item")
    name: NonEmptyStr
    kind: MaterialKind = MaterialKind.SUPPORTING
    form: MaterialForm
    copies: PositiveInt
    required: StrictBool
    required_when: NonEmptyStr | None = PydanticField(
        default=None, description="when an optional material becomes necessary (视情形提交)"
    )
    deficiency_allowed: StrictBool = PydanticField(
        default=False, description="容缺: may be supplied after acceptance"
    )
    medium: Medium = Medium.PAPER
    source: NonEmptyStr | None = PydanticField(default=None, description="来源渠道")
    notes: OptionalText | None = None
    blank_form: StrictBool = PydanticField(default=False, description="a blank form is provided")
    sample: StrictBool = PydanticField(default=False, description="a filled-in sample is provided")


class Step(FrozenModel):
    """办理环节."""

    id: Slug
    name: NonEmptyStr
    role: StepRole
    level: StepLevel
    time_limit: TimeLimit
    warn_at_working_days: WarnDays | None = PydanticField(
        default=None,
        description="yellow this many working days before the step's time limit runs out; "
        "default: none (the step only turns 环节超时 once past its limit)",
    )
    description: OptionalText | None = None


class TemplateRef(FrozenModel):
    id: Slug
    version: PositiveInt
