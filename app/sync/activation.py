"""Activating this workstation from the desktop (the 同步 desk): the administrator types the
county's address and the one-time activation code; the checks come before the network, the
trade itself is :func:`app.sync.session.activate`, and the outcome is audited either way (an
unreachable county changes nothing and is not).

Blocking (the network): the desk calls it off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor
from app.audit import AuditEvent, authorize, record_for
from app.errors import ValidationError
from app.permissions import Permission
from app.sync.session import ActivationRefused, activate
from app.sync.transport import CountyUnreachable
from app.units.declare import reads
from db.store import Store

URL_FIELD = "县级系统地址"
CODE_FIELD = "激活码"


@dataclass(frozen=True)
class Activated:
    county_url: str
    county_name: str


@reads
def county_link(session: Session, actor: Actor) -> str:
    """The county's address this workstation is activated against ("" while it is not)."""
    return settings.COUNTY_URL.get(session)


def county_address(text: str) -> str:
    """The address as stored (no trailing "/"), or a ValidationError naming the field."""
    url = text.strip().rstrip("/")
    if not url:
        raise ValidationError(
            URL_FIELD, "请填写县级系统地址，例如 https://county.example.cn:8700。"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise ValidationError(
            URL_FIELD,
            f"县级系统地址“{text.strip()}”格式不对：应以 http:// 或 https:// 开头，"
            "例如 https://county.example.cn:8700。",
        )
    try:
        parts.port  # noqa: B018 (a port out of range raises)
    except ValueError:
        raise ValidationError(URL_FIELD, f"县级系统地址“{text.strip()}”的端口号不对。") from None
    return url


def activate_workstation(store: Store, actor: Actor, *, county_url: str, code: str) -> Activated:
    """Trade ``code`` for this workstation's credential (administrators only; audited).

    Refused with nothing written: a user who is not an administrator (the refusal audited), a
    malformed address or an empty code (the field named), a workstation already activated.
    The county unreachable → :class:`CountyUnreachable`; the code refused (unknown, used) →
    :class:`ActivationRefused`, audited."""
    with store.session() as session:
        authorize(session, actor, Permission.SYNC_ACTIVATE)
    url = county_address(county_url)
    typed = code.strip()
    if not typed:
        raise ValidationError(CODE_FIELD, "请填写激活码（县级系统管理员发放，每个只能使用一次）。")
    with store.reader() as session:
        current = settings.COUNTY_URL.get(session)
    if current:
        raise ValidationError(URL_FIELD, f"本工作站已激活（县级系统 {current}），无需再次激活。")
    try:
        activation = activate(store, county_url=url, code=typed)
    except CountyUnreachable:
        raise CountyUnreachable(
            f"无法连接县级系统 {url}：请检查地址是否正确、网络是否畅通，"
            "或县级系统是否在运行，然后再试。本工作站仍可离线办理。"
        ) from None
    except ActivationRefused as refused:
        _audit(store, actor, AuditEvent.ACTIVATION_REFUSED, {"county_url": url})
        raise ActivationRefused(
            f"{refused.message.rstrip('。')}。请核对激活码（每个激活码只能使用一次），"
            "或向县级系统管理员申请新的激活码。"
        ) from None
    except ValueError:  # an answer that is not the county's (another web server at that address)
        raise ActivationRefused(
            f"{url} 的答复不是县级系统的激活答复：请核对县级系统地址。"
        ) from None
    _audit(
        store,
        actor,
        AuditEvent.WORKSTATION_ACTIVATED,
        {"county_url": url, "county_name": activation.county_name},
    )
    return Activated(url, activation.county_name)


def _audit(store: Store, actor: Actor, event: AuditEvent, detail: dict[str, str]) -> None:
    with store.session() as session, session.begin():
        record_for(session, actor, event, actor.workstation, detail)
