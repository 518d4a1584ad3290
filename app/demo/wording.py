"""The canned wording of the demo cases: opinions, refusals, suspensions, returns, denials,
withdrawals and terminations."""

from __future__ import annotations

OPINIONS = (
    "经审查，申请材料齐全，情况属实，同意。",
    "已入户核查，家庭情况与申报一致，同意。",
    "经村（社区）评议无异议，公示期满无异议，同意。",
    "经现场查看，符合条件，同意报批。",
)
SUPERVISOR_OPINIONS = ("同意。", "同意，按程序报县级审批。", "经中心审核，同意。")
REFUSALS = (
    ("申请人户籍不在本镇，不属于本中心受理范围。", "户籍所在地乡镇人民政府（街道办事处）"),
    ("申请事项不属于本中心受理的赋权事项。", "县级相关主管部门"),
    ("申请人不符合申请条件（年龄未达到规定标准）。", ""),
)
SUPPLEMENT_HOW = "请携带原件及复印件一份到综合受理窗口补正"
SUSPENSIONS = (
    ("需组织现场踏勘与四邻听证", 5),
    ("需委托第三方开展检验鉴定", 8),
    ("申请人申请延期提交补充说明", 5),
)
EXTENSIONS = ("需补充征求相关部门意见", "案情复杂，需集体研究决定")
RETURNS = ("缺少相关证明材料复印件，请补充后重新上报", "村级评议记录不完整，请补充后重新上报")
DENIALS = ("经核查，家庭人均收入高于当地标准。", "经审查，申请人不符合规定条件。")
WITHDRAWALS = ("申请人主动申请撤回", "申请人已通过其他渠道办理，申请撤回")
TERMINATIONS = ("申请人户籍已迁出本镇，不再符合申请条件", "申请人死亡，终止办理")
TERMINATE_LATE = "容缺材料逾期未补交，按承诺终止办理"
