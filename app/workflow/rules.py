"""What the workflow needs to know about an item: its time limits and the shape of its steps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.actor import Role

INTAKE_ROLE = "clerk"
COUNTY_LEVEL = "county"


@dataclass(frozen=True)
class StepInfo:
    key: str
    name: str
    role: str  # clerk | approver | supervisor | county
    level: str  # town | county


@dataclass(frozen=True)
class MaterialRule:
    key: str
    name: str
    required: bool
    deficiency_allowed: bool


@dataclass(frozen=True)
class ItemRules:
    promised_days: int
    promised_unit: str  # working | natural
    steps: tuple[StepInfo, ...]
    deficiency_allowed: frozenset[str] = frozenset()  # material keys that may be 容缺
    required_materials: frozenset[str] = frozenset()
    material_names: Mapping[str, str] = field(default_factory=dict)  # key -> 材料名称

    @classmethod
    def of(
        cls,
        promised_days: int,
        promised_unit: str,
        steps: Iterable[StepInfo],
        materials: Iterable[MaterialRule],
    ) -> ItemRules:
        """The rules from an item's limit, steps and materials, wherever the item is kept (a
        workstation's rows, the county's copy as published)."""
        listed = list(materials)
        return cls(
            promised_days=promised_days,
            promised_unit=promised_unit,
            steps=tuple(steps),
            deficiency_allowed=frozenset(m.key for m in listed if m.deficiency_allowed),
            required_materials=frozenset(m.key for m in listed if m.required),
            material_names={m.key: m.name for m in listed},
        )

    def named(self, keys: Iterable[str]) -> str:
        """``“A”、“B”`` in the item's own order, for a message naming materials."""
        wanted = set(keys)
        ordered = [k for k in self.material_names if k in wanted]
        ordered += sorted(wanted - set(ordered))
        return "、".join(f"“{self.material_names.get(k, k)}”" for k in ordered)

    @property
    def review_steps(self) -> tuple[int, ...]:
        """Town steps after intake, done in the back office (approver or supervisor)."""
        return tuple(
            i for i, s in enumerate(self.steps) if s.level != COUNTY_LEVEL and s.role != INTAKE_ROLE
        )

    @property
    def county_steps(self) -> tuple[int, ...]:
        return tuple(i for i, s in enumerate(self.steps) if s.level == COUNTY_LEVEL)

    def step_role(self, index: int) -> Role | None:
        role = self.steps[index].role
        return Role(role) if role in Role.__members__.values() else None
