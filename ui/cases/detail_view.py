"""One case, read-only: summary, form data, materials and the full timeline."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.cases.case_view import CaseView
from app.cases.queries import TimelineEntry
from app.workflow.fold import CHINA_TZ
from app.workflow.guards import DELIVERY_METHODS, RESULTS
from app.workflow.states import CaseState
from ui.cases.list_model import STATUS_COLOURS
from ui.widgets import fill_table, readonly_table


def timeline_note(entry: TimelineEntry) -> str:
    """What a timeline entry's payload says, in words (opinions, reasons, delivery…)."""
    p = entry.payload
    parts: list[str] = []
    if p.get("opinion"):
        parts.append(f"意见：{p['opinion']}")
    if p.get("reasons"):
        parts.append("理由：" + "；".join(str(r) for r in p["reasons"]))
    if p.get("reason"):
        parts.append(f"原因：{p['reason']}")
    if p.get("missing"):
        names = [m.get("name", "") if isinstance(m, dict) else str(m) for m in p["missing"]]
        parts.append("需补正：" + "、".join(names))
    if p.get("pending_materials"):
        parts.append(f"容缺材料 {len(p['pending_materials'])} 项，限 {p.get('deficiency_due')}")
    if p.get("result") in RESULTS:
        parts.append(f"结果：{RESULTS[p['result']]}")
    if p.get("method") in DELIVERY_METHODS:
        how = DELIVERY_METHODS[p["method"]]
        who = p.get("collector_name") or p.get("tracking_no") or ""
        parts.append(f"{how} {who}".strip())
    if p.get("note"):
        parts.append(str(p["note"]))
    return "；".join(parts)


class CaseDetailView(QWidget):
    case_changed = Signal(object, str)  # case id (None: cleared), its number; after each show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseDetail")
        self.setAccessibleName("办件详情")
        self.summary = QLabel("请在左侧选择一个办件。")
        self.summary.setObjectName("caseSummary")
        self.summary.setWordWrap(True)
        self.deadline = QLabel()
        self.deadline.setObjectName("caseDeadline")
        self.form_table = readonly_table("caseFormTable", ("项目", "内容"))
        self.materials_table = readonly_table(
            "caseMaterialsTable", ("材料", "形式", "份数", "状态")
        )
        self.timeline_table = readonly_table(
            "caseTimelineTable", ("时间", "办理环节", "办理人", "状态变为", "说明")
        )
        tabs = QTabWidget()
        tabs.setObjectName("caseDetailTabs")
        tabs.addTab(self.form_table, "申请信息")
        tabs.addTab(self.materials_table, "材料")
        tabs.addTab(self.timeline_table, "办理过程")
        self.tabs = tabs
        head = QFormLayout()
        head.addRow(self.summary)
        head.addRow(self.deadline)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(tabs, 1)

    def clear(self) -> None:
        self.summary.setText("请在左侧选择一个办件。")
        self.deadline.setText("")
        self.deadline.setStyleSheet("")
        for table in (self.form_table, self.materials_table, self.timeline_table):
            table.setRowCount(0)
        self.case_changed.emit(None, "")

    def show_case(self, view: CaseView) -> None:
        d = view.detail
        row = d.row
        number = row.official_no or row.receipt_no
        # The step is news only while the case is being reviewed (it stays set afterwards).
        reviewing = row.state in (CaseState.IN_REVIEW, CaseState.WITH_COUNTY)
        step = f" · 当前环节：{d.current_step_name}" if d.current_step_name and reviewing else ""
        result = f" · 结果：{d.result_no or ''}" if d.result_no else ""
        if row.state is CaseState.WITH_COUNTY and view.county_note:
            result += f" · {view.county_note}"
        self.summary.setText(
            f"<b>{number}</b> · {row.item_name}<br>"
            f"申请人：{row.applicant_name}（{row.applicant_id_masked}）· "
            f"状态：<b>{row.state.label}</b>{step}{result}"
        )
        dl = d.deadlines
        if dl.due_date is None:
            self.deadline.setText("承诺办结日：—")
            self.deadline.setStyleSheet("")
        else:
            text = f"承诺办结日：{dl.due_date:%Y-%m-%d}"
            if dl.provisional:
                text += "（暂定）"
            if dl.remaining_working_days is not None:
                left = dl.remaining_working_days
                text += f" · {'已超期 ' + str(-left) if left < 0 else '剩余 ' + str(left)} 个工作日"
            status = dl.status
            if dl.step is not None:  # the current step's own limit (环节时限)
                left = dl.step.remaining
                late = f"已超时 {-left}" if left < 0 else f"剩余 {left}"
                text += f" · 本环节时限：{dl.step.due:%Y-%m-%d}（{late} 个工作日）"
                if dl.step.status == "red" or (dl.step.status and status == "green"):
                    status = dl.step.status
            if dl.deficiency_due:
                text += f" · 容缺材料补交期限：{dl.deficiency_due:%Y-%m-%d}"
            self.deadline.setText(text)
            colour = STATUS_COLOURS.get(status or "")
            self.deadline.setStyleSheet(
                f"background:{colour}; padding:2px 6px;" if colour else "padding:2px 6px;"
            )
        fill_table(self.form_table, view.form_lines)
        fill_table(
            self.materials_table,
            [
                (
                    m.name,
                    m.form,
                    str(m.copies),
                    f"容缺待补（限 {m.due_on:%Y-%m-%d}）" if m.pending and m.due_on else "已收",
                )
                for m in d.materials
            ],
        )
        fill_table(
            self.timeline_table,
            [
                (
                    f"{e.at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}",
                    e.action.label,
                    e.actor_name,
                    e.to_state.label,
                    timeline_note(e),
                )
                for e in d.timeline
            ],
        )
        self.case_changed.emit(row.case_id, number)
