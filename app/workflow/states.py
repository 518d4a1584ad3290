"""Case states and actions. The string values are the contract (stored, synced, printed in logs)."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    REFUSED = "refused"
    IN_REVIEW = "in_review"
    WITH_COUNTY = "with_county"
    DECIDED = "decided"
    AWAITING_DELIVERY = "awaiting_delivery"
    DELIVERED = "delivered"
    ARCHIVED = "archived"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    CaseState.DRAFT: "草稿",
    CaseState.SUBMITTED: "已提交",
    CaseState.RECEIVED: "已收件",
    CaseState.ACCEPTED: "已受理",
    CaseState.AWAITING_SUPPLEMENT: "待补正",
    CaseState.REFUSED: "不予受理",
    CaseState.IN_REVIEW: "审查中",
    CaseState.WITH_COUNTY: "已上报县级",
    CaseState.DECIDED: "已办结",
    CaseState.AWAITING_DELIVERY: "待出件",
    CaseState.DELIVERED: "已出件",
    CaseState.ARCHIVED: "已归档",
    CaseState.SUSPENDED: "挂起（特别程序）",
    CaseState.WITHDRAWN: "已撤回",
    CaseState.TERMINATED: "已终止",
}

TERMINAL_STATES = frozenset(
    {CaseState.REFUSED, CaseState.ARCHIVED, CaseState.WITHDRAWN, CaseState.TERMINATED}
)
# States in which the application is still pending: it may be withdrawn or terminated.
OPEN_STATES = frozenset(
    {
        CaseState.DRAFT,
        CaseState.SUBMITTED,
        CaseState.RECEIVED,
        CaseState.ACCEPTED,
        CaseState.AWAITING_SUPPLEMENT,
        CaseState.IN_REVIEW,
        CaseState.WITH_COUNTY,
        CaseState.SUSPENDED,
    }
)
# States in which the promise clock runs (so suspending it means something).
CLOCK_STATES = frozenset({CaseState.ACCEPTED, CaseState.IN_REVIEW, CaseState.WITH_COUNTY})


class Action(StrEnum):
    CREATE_DRAFT = "create_draft"
    SUBMIT = "submit"
    RECEIVE = "receive"
    ACCEPT = "accept"
    ACCEPT_WITH_DEFICIENCY = "accept_with_deficiency"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    REFUSE = "refuse"
    SUPPLY_DEFICIENT = "supply_deficient"
    START_REVIEW = "start_review"
    RECORD_OPINION = "record_opinion"
    NEXT_STEP = "next_step"
    REPORT_TO_COUNTY = "report_to_county"
    COUNTY_RETURNED = "county_returned"
    DECIDE = "decide"
    MARK_READY = "mark_ready"
    DELIVER = "deliver"
    ARCHIVE = "archive"
    SUSPEND = "suspend"
    RESUME = "resume"
    EXTEND = "extend"
    WITHDRAW = "withdraw"
    TERMINATE = "terminate"
    REASSIGN = "reassign"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.CREATE_DRAFT: "暂存草稿",
    Action.SUBMIT: "提交申请",
    Action.RECEIVE: "收件",
    Action.ACCEPT: "受理",
    Action.ACCEPT_WITH_DEFICIENCY: "容缺受理",
    Action.REQUEST_SUPPLEMENT: "一次性告知补正",
    Action.SUPPLEMENT: "补正收件",
    Action.REFUSE: "不予受理",
    Action.SUPPLY_DEFICIENT: "补交容缺材料",
    Action.START_REVIEW: "开始审查",
    Action.RECORD_OPINION: "填写审查意见",
    Action.NEXT_STEP: "转下一环节",
    Action.REPORT_TO_COUNTY: "上报县级",
    Action.COUNTY_RETURNED: "县级退回",
    Action.DECIDE: "办结",
    Action.MARK_READY: "转待出件",
    Action.DELIVER: "出件",
    Action.ARCHIVE: "归档",
    Action.SUSPEND: "挂起（特别程序）",
    Action.RESUME: "恢复办理",
    Action.EXTEND: "延期",
    Action.WITHDRAW: "撤回申请",
    Action.TERMINATE: "终止办理",
    Action.REASSIGN: "改派",
}
