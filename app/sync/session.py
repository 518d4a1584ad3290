"""One sync of a workstation: activation once, then push everything pending, then pull, and the
figures a person (or the status bar) reads: queued, parked, last success."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select

from app import settings
from app.cases.log import PARKED
from app.errors import AppError
from app.sync.accounts import pull_accounts
from app.sync.authorizations import pull_authorizations
from app.sync.credential import NOT_ACTIVATED, load_secret, save_secret, secret_file
from app.sync.evaluations import pull_evaluations
from app.sync.gc_pause import young_collections_only
from app.sync.give_back import give_back_numbers
from app.sync.protocol import Activation, ActivationRequest
from app.sync.published import pull_published
from app.sync.pull import pull_changes
from app.sync.push import PENDING, SENT_KINDS, push_all
from app.sync.refold import fold_again
from app.sync.resnapshot import resnapshot
from app.sync.tls import refuse_untrusted, tls_context
from app.sync.transport import CountyUnreachable, EpochChanged, HttpTransport, Transport
from app.workcalendar import WorkCalendar
from db.base import utcnow
from db.models import OutboxEntry
from db.store import Store


class ActivationRefused(AppError):
    code = "E615"


def activate(store: Store, county_url: str, code: str, ca_pem: str = "") -> Activation:
    """Trade a one-time activation code for this workstation's credential. ``ca_pem``: the CA
    certificate(s) an https county is verified against from now on ("": the system's store)."""
    with store.reader() as session:
        request = ActivationRequest(
            centre=settings.TOWN_CODE.get(session),
            workstation=settings.WORKSTATION_CODE.get(session),
            code=code,
        )
    try:
        answer = httpx.post(
            f"{county_url.rstrip('/')}/v1/activate",
            json=request.model_dump(),
            timeout=15,
            verify=tls_context(ca_pem),
        )
    except httpx.HTTPError as error:
        refuse_untrusted(error, county_url)
        raise CountyUnreachable(f"无法连接县级系统 {county_url}：{type(error).__name__}") from error
    if answer.status_code != 200:
        detail = answer.json().get("detail", "") if answer.content else ""
        raise ActivationRefused(f"县级系统拒绝激活：{detail or answer.status_code}")
    activation = Activation.model_validate(answer.json())
    save_secret(store.store_id, activation.secret, secret_file(store))
    with store.session() as session, session.begin():
        settings.COUNTY_URL.set(session, county_url.rstrip("/"))
        settings.COUNTY_CA_PEM.set(session, ca_pem)
        settings.COUNTY_EPOCH.set(session, activation.epoch)
        settings.SYNC_CURSOR.set(session, 0)
        settings.AUTHORIZATION_CURSOR.set(session, 0)
        settings.EVALUATION_CURSOR.set(session, 0)
    return activation


def transport_for(store: Store, *, timeout: float | None = None) -> HttpTransport:
    with store.reader() as session:
        url, ca_pem = settings.COUNTY_URL.get(session), settings.COUNTY_CA_PEM.get(session)
    if not url:
        raise ActivationRefused(NOT_ACTIVATED)
    secret = load_secret(store.store_id, secret_file(store))
    if timeout is None:
        return HttpTransport(url, secret, ca_pem=ca_pem)
    return HttpTransport(url, secret, ca_pem=ca_pem, timeout=timeout)


@dataclass(frozen=True)
class SyncSummary:
    pushed: int
    replayed: int
    pulled: int
    parked: int
    queued: int
    cases: frozenset[int] = frozenset()  # this store's ids of the cases sync changed

    def line(self) -> str:
        return (
            f"已上传 {self.pushed}，重复确认 {self.replayed}，已下载 {self.pulled}，"
            f"暂挂待处理 {self.parked}，仍在队列 {self.queued}"
        )


def sync_now(store: Store, transport: Transport, calendar: WorkCalendar) -> SyncSummary:
    """Push until nothing pending is left to send, then pull until the county is quiet. A county
    restored from a backup (410) is snapshotted again first (``resnapshot``), then synced."""
    with young_collections_only():
        try:
            return _sync_now(store, transport, calendar)
        except EpochChanged:
            resnapshot(store, transport, calendar)
            return _sync_now(store, transport, calendar)


def _sync_now(store: Store, transport: Transport, calendar: WorkCalendar) -> SyncSummary:
    give_back_numbers(store, transport)  # once per county epoch (after a restore: needed)
    pushed = push_all(store, transport)
    parked_since = fold_again(store, pushed.parked_cases, calendar) if pushed.parked_cases else 0
    # Accounts first (an authorization names its proxy's account), then the authorizations (a
    # proxy's filing names its authorization), then the cases.
    pull_accounts(store, transport)
    pull_authorizations(store, transport)
    calendar = pull_published(store, transport, calendar)  # before the cases that use it
    pulled = pull_changes(store, transport, calendar)
    pull_evaluations(store, transport, calendar)  # after the cases, so each finds its case
    with store.session() as session, session.begin():
        settings.LAST_SYNC_AT.set(session, utcnow().isoformat(timespec="seconds"))
    status = sync_status(store)
    return SyncSummary(
        pushed.applied,
        pushed.replayed,
        pulled.added,
        pushed.parked + parked_since + pulled.parked,
        status.queued,
        frozenset(pushed.cases | pulled.cases),
    )


@dataclass(frozen=True)
class SyncRound:
    """One round of the desktop's sync: where things stand, and what went wrong if anything."""

    status: SyncStatus
    summary: SyncSummary | None  # None: not activated, or the county was not reached
    error: AppError | None


def sync_round(store: Store, calendar: WorkCalendar, *, timeout: float | None = None) -> SyncRound:
    """Sync if this workstation is activated; never raises an expected error (it is reported).
    ``timeout``: the HTTP timeout, if not the transport's default."""
    summary: SyncSummary | None = None
    error: AppError | None = None
    try:
        transport = transport_for(store, timeout=timeout)
    except AppError as refused:
        return SyncRound(sync_status(store), None, refused)
    try:
        summary = sync_now(store, transport, calendar)
    except AppError as failed:
        error = failed
    finally:
        transport.close()
    return SyncRound(sync_status(store), summary, error)


@dataclass(frozen=True)
class SyncStatus:
    county_url: str
    queued: int
    oldest_queued: dt.datetime | None
    parked: int
    last_sync: str

    def as_json(self) -> dict[str, object]:
        return {
            "county_url": self.county_url,
            "queued": self.queued,
            "oldest_queued": self.oldest_queued.isoformat() if self.oldest_queued else None,
            "parked": self.parked,
            "last_sync": self.last_sync or None,
        }


def sync_status(store: Store) -> SyncStatus:
    with store.reader() as session:
        queued, oldest = session.execute(
            select(func.count(), func.min(OutboxEntry.created_at)).where(
                OutboxEntry.status == PENDING, OutboxEntry.kind.in_(SENT_KINDS)
            )
        ).one()
        parked = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == PARKED)
        )
        return SyncStatus(
            settings.COUNTY_URL.get(session),
            queued or 0,
            oldest,
            parked or 0,
            settings.LAST_SYNC_AT.get(session),
        )
