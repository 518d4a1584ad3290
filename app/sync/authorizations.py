"""The centre's proxy authorizations (代办委托), taken down from the county page by page: a
proxy's filing made at a village laptop is taken in, and its result handed to the proxy (代领), at
any window of the centre, which checks the authorization it was filed under.

One is added here with its resident as an applicant and its proxy agent's account (accounts are
taken down first). One this workstation registered itself is already here. A case pulled before
its authorization (the county registered it between the two pulls) is linked when it arrives.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.cases.proxy import authorization_named
from app.errors import AppError
from app.sync.protocol import AuthorizationTerms
from app.sync.transport import Transport
from app.workflow.states import Action
from db.models import Applicant, Case, CaseAction, ProxyAuthorization, User
from db.store import Store

PAGE = 500


class ProxyUnknown(AppError):
    """An authorization names a proxy agent whose account has not come down yet (it will at the
    next sync: accounts are taken down first)."""

    code = "E616"


def pull_authorizations(store: Store, transport: Transport, *, page: int = PAGE) -> int:
    """Take down the centre's authorizations this store lacks; returns how many were added."""
    added = 0
    while True:
        with store.reader() as session:
            after = settings.AUTHORIZATION_CURSOR.get(session)
        answer = transport.authorizations(after, page)
        with store.session() as session, session.begin():
            for copy in answer.authorizations:
                added += _add(session, copy.terms)
            settings.AUTHORIZATION_CURSOR.set(session, answer.cursor)
        if not answer.more:
            return added


def _add(session: Session, terms: AuthorizationTerms) -> int:
    if authorization_named(session, terms.authorization_no) is not None:
        return 0
    proxy_id = session.scalar(select(User.id).where(User.username == terms.proxy))
    if proxy_id is None:  # the county registers only its own proxies' (taken down before this)
        raise ProxyUnknown(f"代办员账号 {terms.proxy} 尚未同步到本机，下次同步时再取代办委托。")
    resident = Applicant(
        kind="natural",
        name=terms.resident.name,
        id_number=terms.resident.id_number,
        phone=terms.resident.phone,
    )
    session.add(resident)
    session.flush()
    auth = ProxyAuthorization(
        authorization_no=terms.authorization_no,
        proxy_user_id=proxy_id,
        applicant_id=resident.id,
        matters=list(terms.matters),
        may_collect=terms.may_collect,
        valid_from=terms.valid_from,
        valid_until=terms.valid_until,
        signed_on=terms.signed_on,
    )
    session.add(auth)
    session.flush()
    link_filings(session, auth)
    return 1


def link_filings(session: Session, auth: ProxyAuthorization) -> None:
    """Give the cases filed under ``auth`` that arrived before it their authorization."""
    orphans = session.execute(
        select(Case, CaseAction.payload)
        .join(CaseAction, CaseAction.case_id == Case.id)
        .where(Case.authorization_id.is_(None), CaseAction.action == Action.CREATE_DRAFT.value)
    ).all()
    for case, payload in orphans:
        if payload.get("authorization_no") == auth.authorization_no:
            case.authorization_id = auth.id
            case.proxy_user_id = auth.proxy_user_id
