"""The 出件台's action panel: 通知领取, the three ways a result leaves the centre (本人领取 with
the collector's ID checked, 代办员代领 under a 代办委托书, 邮寄送达) and 归档."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.cases.case_view import CaseView
from app.workflow.states import Action
from ui.desks.review.pages import Page, action_button
from ui.widgets import line_edit


class WindowPage(Page):
    """本人领取: the name and ID number typed from the collector's card, checked on submit."""

    def __init__(self) -> None:
        super().__init__("deliveryWindowPage", "核验身份并出件", "deliveryWindowSubmit")
        self.name = line_edit("deliveryCollectorName", "领取人姓名", "与身份证件一致")
        self.id_number = line_edit("deliveryCollectorId", "领取人身份证号", "18位居民身份证号")
        self.id_number.setMaxLength(18)
        self.form.addRow("领取人姓名：", self.name)
        self.form.addRow("领取人身份证号：", self.id_number)
        self.first = self.name
        self.tab_order(self.name, self.id_number)


class ProxyPage(Page):
    def __init__(self) -> None:
        super().__init__("deliveryProxyPage", "核验委托并出件", "deliveryProxySubmit")
        self.name = line_edit("deliveryProxyName", "代领人姓名", "代办员姓名")
        self.authorization_no = line_edit(
            "deliveryAuthorizationNo", "代办委托书编号", "如 WT-W01-20260302-00001"
        )
        self.form.addRow("代领人姓名：", self.name)
        self.form.addRow("代办委托书编号：", self.authorization_no)
        self.first = self.name
        self.tab_order(self.name, self.authorization_no)


class MailPage(Page):
    def __init__(self) -> None:
        super().__init__("deliveryMailPage", "登记邮寄出件", "deliveryMailSubmit")
        self.tracking_no = line_edit("deliveryTrackingNo", "邮件单号", "EMS 等邮件单号")
        self.address = line_edit("deliveryAddress", "邮寄地址", "收件地址")
        self.form.addRow("邮件单号：", self.tracking_no)
        self.form.addRow("邮寄地址：", self.address)
        self.first = self.tracking_no
        self.tab_order(self.tracking_no, self.address)


class DeliveryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deliveryPanel")
        self.setAccessibleName("出件操作")
        self.mark_ready = action_button(
            "通知领取", "deliveryMarkReady", "F6", "结果已到窗口，转待出件并通知申请人"
        )
        self.archive = action_button("归档", "deliveryArchive", "F8", "已出件的办件归档")
        top = QHBoxLayout()
        top.addWidget(self.mark_ready)
        top.addWidget(self.archive)
        top.addStretch(1)

        self.window_page = WindowPage()
        self.proxy_page = ProxyPage()
        self.mail_page = MailPage()
        self.stack = QStackedWidget()
        self.stack.setObjectName("deliveryPages")
        self.methods = QButtonGroup(self)
        methods = QHBoxLayout()
        methods.addWidget(QLabel("出件方式："))
        self.by_applicant = QRadioButton()
        self.by_proxy = QRadioButton()
        self.by_mail = QRadioButton()
        for index, (radio, text, name, page) in enumerate(
            (
                (self.by_applicant, "本人领取", "deliveryByApplicant", self.window_page),
                (self.by_proxy, "代办员代领", "deliveryByProxy", self.proxy_page),
                (self.by_mail, "邮寄送达", "deliveryByMail", self.mail_page),
            )
        ):
            radio.setText(f"{text}（Alt+{index + 1}）")
            radio.setObjectName(name)
            radio.setAccessibleName(text)
            radio.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            self.methods.addButton(radio, index)
            methods.addWidget(radio)
            self.stack.addWidget(page)
        methods.addStretch(1)
        self.methods.idClicked.connect(self._method_chosen)
        self.by_applicant.setChecked(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(methods)
        layout.addWidget(self.stack, 1)

    @property
    def pages(self) -> tuple[Page, ...]:
        return (self.window_page, self.proxy_page, self.mail_page)

    def _method_chosen(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        if page.first.isEnabled():
            page.first.setFocus()

    def reset(self) -> None:
        """Another case: empty inputs (the collector's ID number never outlives its case)."""
        for page in self.pages:
            page.clear()

    def suggest_address(self, view: CaseView) -> None:
        """The mail address starts as the applicant's address from the form."""
        if not self.mail_page.address.text():
            address = next((v for k, v in view.form_lines if k.endswith("住址")), "")
            self.mail_page.address.setText(address)

    def show_state(self, view: CaseView | None, busy: bool) -> None:
        actions = frozenset() if view is None or busy else view.actions
        self.mark_ready.setEnabled(Action.MARK_READY in actions)
        self.archive.setEnabled(Action.ARCHIVE in actions)
        deliver = Action.DELIVER in actions
        for button in self.methods.buttons():
            button.setEnabled(deliver)
        for page in self.pages:
            page.setEnabled(deliver)
