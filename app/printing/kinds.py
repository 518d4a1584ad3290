"""The documents the centre hands out (DESIGN §4), and which decision produces which."""

from __future__ import annotations

from enum import StrEnum

from app.workflow.states import Action, CaseState


class DocKind(StrEnum):
    """The values are the contract: stored in ``printed_documents.doc_type`` and template names."""

    ACCEPTANCE_NOTICE = "acceptance_notice"  # 受理通知书
    MATERIALS_RECEIPT = "materials_receipt"  # 材料接收凭证
    SUPPLEMENT_NOTICE = "supplement_notice"  # 一次性告知书
    DEFICIENCY_NOTICE = "deficiency_notice"  # 容缺受理通知书
    REFUSAL_NOTICE = "refusal_notice"  # 不予受理通知书
    EXTENSION_NOTICE = "extension_notice"  # 特别程序/延期告知书
    COMPLETION_NOTICE = "completion_notice"  # 办结通知
    DELIVERY_RECEIPT = "delivery_receipt"  # 领取凭证/送达回证
    PROXY_AUTHORIZATION = "proxy_authorization"  # 代办委托书

    @property
    def label(self) -> str:
        """The Chinese title (the layout template may word the printed title differently)."""
        return DOC_LABELS[self]


DOC_LABELS = {
    DocKind.ACCEPTANCE_NOTICE: "受理通知书",
    DocKind.MATERIALS_RECEIPT: "材料接收凭证",
    DocKind.SUPPLEMENT_NOTICE: "一次性告知书",
    DocKind.DEFICIENCY_NOTICE: "容缺受理通知书",
    DocKind.REFUSAL_NOTICE: "不予受理通知书",
    DocKind.EXTENSION_NOTICE: "特别程序/延期告知书",
    DocKind.COMPLETION_NOTICE: "办结通知",
    DocKind.DELIVERY_RECEIPT: "领取凭证/送达回证",
    DocKind.PROXY_AUTHORIZATION: "代办委托书",
}

_K = DocKind
_BY_ACTION: dict[Action, tuple[DocKind, ...]] = {
    Action.ACCEPT: (_K.ACCEPTANCE_NOTICE, _K.MATERIALS_RECEIPT),
    Action.ACCEPT_WITH_DEFICIENCY: (_K.DEFICIENCY_NOTICE, _K.MATERIALS_RECEIPT),
    Action.REQUEST_SUPPLEMENT: (_K.SUPPLEMENT_NOTICE,),
    Action.REFUSE: (_K.REFUSAL_NOTICE,),
    Action.EXTEND: (_K.EXTENSION_NOTICE,),
    Action.SUSPEND: (_K.EXTENSION_NOTICE,),
    Action.DECIDE: (_K.COMPLETION_NOTICE,),
    Action.DELIVER: (_K.DELIVERY_RECEIPT,),
}


def documents_for(action: Action) -> list[DocKind]:
    """What a decision offers to print at once (accept → 受理通知书 + 材料接收凭证, …)."""
    return list(_BY_ACTION.get(action, ()))


# Which action in a case's history makes a document printable (for the timeline's 补打 menu).
_SOURCE: dict[DocKind, frozenset[Action]] = {
    _K.ACCEPTANCE_NOTICE: frozenset({Action.ACCEPT}),
    _K.MATERIALS_RECEIPT: frozenset({Action.RECEIVE, Action.SUPPLEMENT, Action.ACCEPT}),
    _K.SUPPLEMENT_NOTICE: frozenset({Action.REQUEST_SUPPLEMENT}),
    _K.DEFICIENCY_NOTICE: frozenset({Action.ACCEPT_WITH_DEFICIENCY}),
    _K.REFUSAL_NOTICE: frozenset({Action.REFUSE}),
    _K.EXTENSION_NOTICE: frozenset({Action.EXTEND, Action.SUSPEND}),
    _K.COMPLETION_NOTICE: frozenset({Action.DECIDE}),
    _K.DELIVERY_RECEIPT: frozenset({Action.DELIVER}),
}


def kinds_for_state(
    state: CaseState, actions: frozenset[Action] | set[Action], *, has_proxy: bool = False
) -> list[DocKind]:
    """The documents that make sense for a case now, given the actions in its history.

    A 代办委托书 is offered for any case filed by a proxy agent (``has_proxy``); drafts have none.
    """
    if state is CaseState.DRAFT:
        return []
    kinds = [kind for kind, sources in _SOURCE.items() if sources & set(actions)]
    if has_proxy:
        kinds.append(_K.PROXY_AUTHORIZATION)
    return kinds
