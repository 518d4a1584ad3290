"""The catalogue's vocabulary: its enumerations (事项类型, 服务对象, 办件类型, material forms,
step roles, field types …). Values are what the JSON holds; ``label`` is what a person reads."""

from __future__ import annotations

from enum import StrEnum


class ItemType(StrEnum):
    """事项类型 (依申请行政权力 and 公共服务)."""

    ADMINISTRATIVE_LICENSE = "行政许可"
    ADMINISTRATIVE_CONFIRMATION = "行政确认"
    ADMINISTRATIVE_PAYMENT = "行政给付"
    ADMINISTRATIVE_RULING = "行政裁决"
    ADMINISTRATIVE_REWARD = "行政奖励"
    ADMINISTRATIVE_FILING = "行政备案"
    OTHER_ADMINISTRATIVE_POWER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"

    @property
    def label(self) -> str:
        return self.value


class Subject(StrEnum):
    """服务对象."""

    NATURAL_PERSON = "natural_person"
    LEGAL_PERSON = "legal_person"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"natural_person": "自然人", "legal_person": "法人", "both": "自然人、法人"}[
            self.value
        ]


class HandlingKind(StrEnum):
    """办件类型: done on the spot, or within a promised time."""

    IMMEDIATE = "即办件"
    PROMISED = "承诺件"

    @property
    def label(self) -> str:
        return self.value


class DayUnit(StrEnum):
    WORKING = "working"
    NATURAL = "natural"

    @property
    def label(self) -> str:
        return "个工作日" if self is DayUnit.WORKING else "个自然日"


class MaterialForm(StrEnum):
    ORIGINAL = "原件"
    COPY = "复印件"
    ORIGINAL_AND_COPY = "原件和复印件"

    @property
    def label(self) -> str:
        return self.value


class Medium(StrEnum):
    PAPER = "纸质"
    ELECTRONIC = "电子"
    PAPER_OR_ELECTRONIC = "纸质或电子"

    @property
    def label(self) -> str:
        return self.value


class MaterialKind(StrEnum):
    """Main materials (application, identity) may never be 容缺; supporting ones may."""

    APPLICATION = "application"
    IDENTITY = "identity"
    SUPPORTING = "supporting"

    @property
    def label(self) -> str:
        return {"application": "申请书/申请表", "identity": "身份证明", "supporting": "其他材料"}[
            self.value
        ]


class StepRole(StrEnum):
    CLERK = "clerk"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return {
            "clerk": "窗口受理员",
            "approver": "后台审批人员",
            "supervisor": "中心负责人",
            "county": "县级部门",
        }[self.value]


class StepLevel(StrEnum):
    TOWN = "town"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return "乡镇（街道）" if self is StepLevel.TOWN else "县级"


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    CHECKBOX = "checkbox"
    ID_NUMBER = "id_number"
    USCC = "uscc"
    PHONE = "phone"
    ADDRESS = "address"
    APPLICANT = "applicant"


class ApplicantKind(StrEnum):
    NATURAL_PERSON = "natural_person"
    LEGAL_PERSON = "legal_person"

    @property
    def label(self) -> str:
        return "自然人" if self is ApplicantKind.NATURAL_PERSON else "法人或其他组织"
