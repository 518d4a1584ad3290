"""What the 出件台's buttons do, each run in a writer task; each returns the sentence the desk
shows. No Qt here. The collector's full ID number goes to the use case and no further."""

from __future__ import annotations

from app.accounts.identity import masked
from app.cases import decisions, delivery
from app.cases.delivery import deliver_to_applicant
from ui.backend import DeskBackend


def mark_ready(b: DeskBackend, case_id: int, number: str) -> str:
    b.act(decisions.mark_ready, case_id)
    return f"{number} 已通知领取（转待出件），请通知申请人凭身份证件到窗口领取。"


def deliver_at_window(b: DeskBackend, case_id: int, number: str, name: str, id_number: str) -> str:
    b.act(deliver_to_applicant, case_id, name, id_number)
    return f"{number} 已出件：申请人本人 {name.strip()}（{masked(id_number)}）领取。"


def deliver_to_proxy(
    b: DeskBackend, case_id: int, number: str, name: str, authorization_no: str
) -> str:
    b.act(delivery.deliver_to_proxy, case_id, name.strip(), authorization_no.strip())
    return f"{number} 已出件：代办员 {name.strip()} 凭委托书 {authorization_no.strip()} 代领。"


def deliver_by_mail(
    b: DeskBackend, case_id: int, number: str, tracking_no: str, address: str
) -> str:
    b.act(decisions.deliver_by_mail, case_id, tracking_no.strip(), address.strip())
    return f"{number} 已邮寄送达：邮件单号 {tracking_no.strip()}，寄往 {address.strip()}。"


def archive(b: DeskBackend, case_id: int, number: str) -> str:
    b.act(decisions.archive, case_id)
    return f"{number} 已归档。"
