"""代办台 › 新建代办: choose one of the agent's authorizations in force and one of its items,
fill in the item's form, then 暂存 (a draft) or 提交 (submitted to the window).

The applicant is the authorization's resident: the form leaves the applicant block out and the
use case fills it from the signed 代办委托书, so the full ID number never reaches this screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cases import proxy
from app.cases.changes import CaseChange
from app.cases.proxy import AuthorizationRow
from app.errors import AppError
from app.forms import FormInvalid
from app.intake import proxy_drafts
from app.intake.proxy_drafts import UnfinishedFiling
from app.intake.spec import IntakeSpec, intake_spec
from ui.desk_base import Desk
from ui.desks.intake.checks import has_input
from ui.form import FormView
from ui.widgets import push_button


def _button(text: str, name: str, shortcut: str, tip: str) -> QPushButton:
    button = push_button(text, name, tip=f"{tip}（{QKeySequence(shortcut).toString()}）")
    button.setShortcut(QKeySequence(shortcut))
    return button


class NewFilingPane(QWidget):
    """A filed case's id goes to ``on_filed`` (the desk shows it in the agent's list)."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.setObjectName("proxyNewFiling")
        self.desk = desk
        self.authorizations: list[AuthorizationRow] = []
        self.form: FormView | None = None
        self._spec: IntakeSpec | None = None
        self.on_filed: Callable[[int], None] | None = None
        self._looked_for_unfinished = False  # the last sitting's unfinished filing, once
        self._resume_values: tuple[int, dict[str, Any]] | None = None  # item id, form as typed
        self._stored = False  # a kept filing of this pane is in the store (resumed or kept)
        self._opening = 0  # the latest form asked for: only that one is shown
        self._blank: dict[str, Any] = {}

        self.authorization = QComboBox()
        self.authorization.setObjectName("filingAuthorization")
        self.authorization.setAccessibleName("代办委托书")
        self.authorization.setMinimumContentsLength(28)
        self.authorization.currentIndexChanged.connect(lambda _n: self._authorization_changed())
        self.item = QComboBox()
        self.item.setObjectName("filingItem")
        self.item.setAccessibleName("代办事项")
        self.item.setMinimumContentsLength(18)
        self.item.currentIndexChanged.connect(lambda _n: self._item_changed())
        self.resident = QLabel()
        self.resident.setObjectName("filingResident")
        self.resident.setWordWrap(True)
        self.save_button = _button("暂存", "saveDraftButton", "Ctrl+S", "暂存为草稿，稍后提交")
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button = _button("提交", "submitFilingButton", "Ctrl+Return", "提交到窗口收件")
        self.submit_button.clicked.connect(self.submit)

        top = QHBoxLayout()
        top.addWidget(QLabel("代办委托书："))
        top.addWidget(self.authorization, 2)
        top.addWidget(QLabel("事项："))
        top.addWidget(self.item, 1)
        self.form_holder = QVBoxLayout()
        self.placeholder = QLabel()
        self.placeholder.setObjectName("filingPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.form_holder.addWidget(self.placeholder, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.resident)
        layout.addLayout(self.form_holder, 1)
        layout.addLayout(buttons)
        self._enable()

    # --- choosing ------------------------------------------------------------------------------

    def set_authorizations(self, rows: list[AuthorizationRow]) -> None:
        """The agent's authorizations changed: keep the one chosen (and the form) if it is still
        in force."""
        current = self.current_authorization()
        usable = [r for r in rows if r.in_force and any(i.item_id for i in r.items)]
        self.authorizations = usable
        self.authorization.blockSignals(True)
        self.authorization.clear()
        for row in usable:
            self.authorization.addItem(
                f"{row.authorization_no} · {row.resident_name}（至 {row.valid_until:%Y-%m-%d}）",
                row.authorization_id,
            )
        index = -1
        if current is not None:
            index = self.authorization.findData(current.authorization_id)
        self.authorization.setCurrentIndex(index if index >= 0 else 0 if usable else -1)
        self.authorization.blockSignals(False)
        kept = self.current_authorization()
        if current is None or kept is None or kept.authorization_id != current.authorization_id:
            self._authorization_changed()
        if not self._looked_for_unfinished:
            self._looked_for_unfinished = True
            backend = self.desk.env.backend
            self.desk.env.runner.read(
                lambda: backend.run(proxy_drafts.unfinished_filing),
                self._resume,
                self.desk.failed,
                owner=self,
            )

    def current_authorization(self) -> AuthorizationRow | None:
        index = self.authorization.currentIndex()
        return self.authorizations[index] if 0 <= index < len(self.authorizations) else None

    def _authorization_changed(self, item_id: int | None = None) -> None:
        """Fill the authorization's items and open the form of ``item_id`` (else the first)."""
        auth = self.current_authorization()
        self.item.blockSignals(True)
        self.item.clear()
        if auth is not None:
            for delegated in auth.items:
                if delegated.item_id is not None:
                    self.item.addItem(delegated.name, delegated.item_id)
            self.resident.setText(
                f"申请人（委托人）：<b>{auth.resident_name}</b>（{auth.resident_id_masked}）"
                f" — 姓名、身份证号和联系电话按代办委托书 {auth.authorization_no} 填入申请，"
                "无需再填。"
            )
        else:
            self.resident.setText("")
        wanted = self.item.findData(item_id) if item_id is not None else -1
        self.item.setCurrentIndex(wanted if wanted >= 0 else 0 if self.item.count() else -1)
        self.item.blockSignals(False)
        self._item_changed()

    def _item_changed(self) -> None:
        item_id = self.item.currentData()
        self._drop_form()
        if item_id is None:
            self.placeholder.setText(
                "请先在“代办委托书”页登记委托，再选择委托书和事项。"
                if not self.authorizations
                else "请选择事项。"
            )
            return
        self.placeholder.setText("正在打开表单…")
        backend = self.desk.env.backend
        self._opening += 1
        opening = self._opening
        self.desk.env.runner.read(
            lambda: backend.lookup(intake_spec, int(item_id)),
            lambda spec: self._show_form(spec, opening),
            self.desk.failed,
            owner=self,
        )

    def _drop_form(self) -> None:
        if self.form is not None:
            self.form_holder.removeWidget(self.form)
            self.form.deleteLater()
            self.form = None
        self._spec = None
        self.placeholder.show()
        self._enable()

    def _show_form(self, spec: IntakeSpec, opening: int) -> None:
        if opening != self._opening or spec.item_id != self.item.currentData():
            return  # another item (or authorization) was chosen meanwhile
        self._drop_form()
        self._spec = spec
        self.form = FormView(proxy.filing_template(spec.template), divisions=spec.divisions)
        self.form.setObjectName("proxyForm")
        self._blank = self.form.value()  # the template's defaults: nothing typed yet
        resume, self._resume_values = self._resume_values, None
        if resume is not None and resume[0] == spec.item_id:
            self.form.set_value(resume[1])
            self._stored = True
        self.placeholder.hide()
        self.form_holder.addWidget(self.form, 1)
        # Tab goes choose → fill in → 暂存 / 提交: the form was built after the buttons, so
        # move the buttons behind the form's last editor in the focus chain.
        last: QWidget = self.form
        step = self.form.nextInFocusChain()
        while step is not None and self.form.isAncestorOf(step):
            last = step
            step = step.nextInFocusChain()
        QWidget.setTabOrder(last, self.save_button)
        QWidget.setTabOrder(self.save_button, self.submit_button)
        self._enable()

    def _enable(self) -> None:
        ready = self.form is not None and self._spec is not None
        self.save_button.setEnabled(ready)
        self.submit_button.setEnabled(ready)

    # --- filing ------------------------------------------------------------------------------

    def _checked(self) -> tuple[int, dict[str, Any], int] | None:
        auth = self.current_authorization()
        if self.form is None or self._spec is None or auth is None:
            return None
        check = self.form.check()
        if not check.ok:
            self.form.focus_first_problem()
            first = check.problems[0].message
            more = f"等 {len(check.problems)} 处" if len(check.problems) > 1 else ""
            self.desk.say(f"表单有误：{first}{more}，请按提示修改。", error=True)
            return None
        return self._spec.item_id, self.form.value(), auth.authorization_id

    def save_draft(self) -> None:
        filing = self._checked()
        if filing is None:
            return
        backend = self.desk.env.backend
        self.desk.env.runner.write(
            lambda: backend.act(proxy.file_for_resident, *filing),
            lambda change: self._filed(change, "已暂存草稿"),
            self._refused,
            owner=self,
        )

    def submit(self) -> None:
        filing = self._checked()
        if filing is None:
            return
        backend = self.desk.env.backend
        self.desk.env.runner.write(
            lambda: backend.act(proxy.file_for_resident, *filing, submit=True),
            lambda change: self._filed(change, "已提交代办申请"),
            self._refused,
            owner=self,
        )

    def _filed(self, change: CaseChange, what: str) -> None:
        if self.form is not None:
            self.form.reset()
        if self._stored:  # the kept filing is now a case: it is not kept twice
            self._stored = False
            self._forget_kept()
        then = (
            "请携带纸质材料和代办委托书到窗口办理收件。"
            if what == "已提交代办申请"
            else "可在“我的代办件”中提交。"
        )
        self.desk.say(f"{what}，收件号 {change.receipt_no}。{then}")
        if self.on_filed is not None:
            self.on_filed(change.case_id)

    def _refused(self, error: AppError) -> None:
        self.desk.failed(error)
        if isinstance(error, FormInvalid) and self.form is not None:
            self.form.check()
            self.form.focus_first_problem()

    # --- the sitting ends, and the next one resumes ---------------------------------------

    def keep_for_later(self) -> str | None:
        """The sitting ends (sign-out, lock, the window closes): keep a filing with anything
        typed, as typed, at once; what to tell the agent, or None when nothing needed keeping."""
        auth = self.current_authorization()
        if self.form is None or self._spec is None or auth is None:
            return None
        value = self.form.value()
        if value == self._blank or not has_input(value):
            if self._stored:  # brought back, then emptied: nothing is left to keep
                self._stored = False
                self._forget_kept()
            return None
        backend = self.desk.env.backend
        item_id, authorization_id = self._spec.item_id, auth.authorization_id
        self._stored = True  # kept now: a later sitting's keep replaces it
        self.desk.env.runner.write(
            lambda: backend.run(proxy_drafts.keep_filing, authorization_id, item_id, value),
            lambda _kept: None,
            self.desk.failed,
            owner=self,
            changes_cases=False,  # in no case list: nothing else refreshes
        )
        return proxy_drafts.kept_notice(self._spec.name, auth.resident_name)

    def _forget_kept(self) -> None:
        backend = self.desk.env.backend
        self.desk.env.runner.write(
            lambda: backend.run(proxy_drafts.drop_filings),
            lambda _n: None,
            self.desk.failed,
            owner=self,
            changes_cases=False,
        )

    def _resume(self, kept: UnfinishedFiling | None) -> None:
        """Put the last sitting's unfinished filing back on this tab, as typed."""
        if kept is None:
            return
        index = self.authorization.findData(kept.authorization_id)
        auth = self.authorizations[index] if index >= 0 else None
        if auth is None or not any(i.item_id == kept.item_id for i in auth.items):
            self.desk.say(
                f"上次未完成的代办申请（{kept.item_name}，{kept.resident_name}）的委托书已不在"
                "有效期内或未委托该事项，无法继续填写。",
                error=True,
            )
            return
        self._resume_values = (kept.item_id, kept.form_data)
        self.authorization.blockSignals(True)
        self.authorization.setCurrentIndex(index)
        self.authorization.blockSignals(False)
        self._authorization_changed(kept.item_id)  # opens the item's form, then fills it
        self.desk.say(
            f"已恢复上次未完成的代办申请：{kept.item_name}（{kept.resident_name}），"
            "请在“新建代办”中继续填写后暂存或提交。"
        )
