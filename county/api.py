"""The county service's HTTP interface (FastAPI): activation, push, pull.

Handlers are plain functions (FastAPI runs them in its thread pool): each request is one unit of
work on the county's store. A push is one transaction holding the county-wide lock
(``apply.one_at_a_time``) from its first operation to its commit; its operations are judged
together (``apply.Judging``), and a refused one writes nothing, so it never undoes another.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.evaluations.wire import Evaluations
from app.sync.failpoints import reached
from app.sync.protocol import (
    EPOCH_HEADER,
    Accounts,
    Activation,
    ActivationRequest,
    Authorizations,
    CalendarYears,
    CatalogueAnswer,
    Change,
    ChangesPage,
    NumbersAnswer,
    NumbersGiven,
    PushAnswer,
    PushRequest,
)
from app.workcalendar import WorkCalendar
from county.accounts import account_snapshot
from county.api_county import county_work_router, refuse_staff_token
from county.apply import Judging
from county.authorizations import authorizations_after
from county.calendar_years import CountyCalendar, calendar_answer
from county.catalogue import catalogue_answer
from county.credentials import code_digest, digest
from county.evaluations import evaluations_after
from county.folds import Folds
from county.given_numbers import give_back
from county.malformed import install_malformed_refusals
from county.progress.limits import ProgressLimits
from county.progress.router import progress_router
from county.refusals import BodyLimit, logged, station_name
from county.scope import in_scope
from county.seals import COUNTY_STATION, number_seal, seal
from county.store.engine import CountyStore
from county.store.models import CaseActionRow, CountyCase, Meta, Workstation
from county.work_protocol import Refused
from db.base import utcnow

MAX_PAGE = 1000  # changes (or authorizations, or evaluations) in one page
#: A push refused whole (county.refusals, county.malformed), for the OpenAPI document.
PUSH_REFUSALS: dict[int | str, dict[str, Any]] = {
    413: {"model": Refused, "description": "E413-BODY (over 4 MiB), E413-BATCH (over 500 ops)"},
    422: {"model": Refused, "description": "E422-FORMAT: not JSON, or not a list of objects"},
}


def _session(request: Request) -> Iterator[Session]:
    with _store(request).sessions() as opened:
        yield opened


def _store(request: Request) -> CountyStore:
    store = request.app.state.store
    assert isinstance(store, CountyStore)
    return store


def _workstation(request: Request, authorization: Annotated[str, Header()] = "") -> Workstation:
    """The workstation the bearer secret belongs to (read on its own, so the request's
    operations each get a transaction of their own)."""
    scheme, _, token = authorization.partition(" ")
    found = None
    if scheme.lower() == "bearer" and token:
        with _store(request).sessions() as db:
            found = db.scalar(select(Workstation).where(Workstation.secret_hash == digest(token)))
    if found is None:
        refuse_staff_token(request, token)
        raise HTTPException(401, "工作站凭证无效，请重新激活。")
    return found


Db = Annotated[Session, Depends(_session)]
Station = Annotated[Workstation, Depends(_workstation)]


def create_app(
    store: CountyStore,
    calendar: WorkCalendar | None = None,
    progress_limits: ProgressLimits | None = None,
) -> FastAPI:
    """``progress_limits``: the progress page's (``county/progress``), else its defaults."""
    app = FastAPI(title="OneWindow county service", version="1")
    days = CountyCalendar(calendar)  # the years the county published, unless one is given
    folds = Folds()  # the cases' projections as the service's requests left them

    app.state.store = store
    app.include_router(county_work_router(days))
    app.include_router(progress_router(days, progress_limits))  # 办件进度查询, public
    install_malformed_refusals(app)
    app.add_middleware(BodyLimit, store=store)

    @app.post("/v1/activate")
    def activate(request: ActivationRequest, db: Db) -> Activation:
        with db.begin():
            station = db.scalar(
                select(Workstation).where(
                    Workstation.centre_code == request.centre,
                    Workstation.code == request.workstation,
                )
            )
            if station is None or station.activation_hash != code_digest(request.code):
                raise HTTPException(403, "激活码无效或已使用。")
            secret = secrets.token_urlsafe(32)
            station.secret_hash, station.activation_hash = digest(secret), None
            station.activated_at = utcnow()
            meta = db.scalars(select(Meta)).one()
            return Activation(secret=secret, epoch=meta.epoch, county_name=meta.county_name)

    @app.post("/v1/ops", responses=PUSH_REFUSALS)
    def push(
        request: PushRequest,
        db: Db,
        station: Station,
        epoch: Annotated[str | None, Header(alias=EPOCH_HEADER)] = None,
    ) -> PushAnswer:
        with db.begin():  # one transaction, and the county-wide lock taken once, per request
            judging = Judging(db, days(db), folds)
            if epoch is not None and epoch != judging.epoch:
                raise HTTPException(410, "县级系统已从备份恢复，请重新同步全部数据。")
            answers = judging.answer_all(station, request.ops)
            reached("county.judged")
        reached("county.committed")
        judging.keep()  # committed: later requests start from the cases as this one left them
        who = station_name(station.centre_code, station.code)
        for answer in answers:
            if answer.outcome == "rejected":
                logged(who, answer.code or "", answer.message or "", answer.op_id)
        return PushAnswer(answers=answers)

    @app.post("/v1/numbers")
    def numbers(
        db: Db,
        station: Station,
        request: NumbersGiven,
        epoch: Annotated[str | None, Header(alias=EPOCH_HEADER)] = None,
    ) -> NumbersAnswer:
        """办件编号 given back after a restore from backup (``county/numbers.py``)."""
        with db.begin():
            if epoch is not None and epoch != db.scalars(select(Meta.epoch)).one():
                raise HTTPException(410, "县级系统已从备份恢复，请重新同步全部数据。")
            return give_back(db, station, request)

    @app.get("/v1/changes")
    def changes(
        db: Db,
        station: Station,
        cursor: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
        epoch: Annotated[str | None, Header(alias=EPOCH_HEADER)] = None,
    ) -> ChangesPage:
        meta = db.scalars(select(Meta)).one()
        current, key = meta.epoch, meta.seal_key
        if epoch is not None and epoch != current:
            raise HTTPException(410, "县级系统已从备份恢复，请重新同步全部数据。")
        rows = db.execute(
            select(CaseActionRow, CountyCase.official_no)
            .join(CountyCase, CountyCase.id == CaseActionRow.case_id)
            .where(
                CaseActionRow.centre_code == station.centre_code,
                CaseActionRow.id > cursor,
                *in_scope(station),
            )
            .order_by(CaseActionRow.id)
            .limit(limit + 1)
        ).all()
        page = [
            Change(
                cursor=row.id,
                county_seq=row.county_seq,
                official_no=number,
                envelope=row.envelope,
                seal=seal(key, row.payload_hash)
                if row.envelope.get("workstation") == COUNTY_STATION
                else None,
                number_seal=number_seal(key, row.envelope["case"]["uid"], number)
                if number is not None
                else None,
            )
            for row, number in rows[:limit]
        ]
        return ChangesPage(
            epoch=current,
            cursor=page[-1].cursor if page else cursor,
            more=len(rows) > limit,
            changes=page,
        )

    @app.get("/v1/authorizations")
    def authorizations(
        db: Db,
        station: Station,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    ) -> Authorizations:
        return authorizations_after(db, station, after, limit)

    @app.get("/v1/evaluations")
    def evaluations(
        db: Db,
        station: Station,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    ) -> Evaluations:
        """好差评: the centre's evaluations changed after feed number ``after``, in feed order
        (``county/evaluations.py``); a proxy agent's laptop gets none."""
        return evaluations_after(db, station, after, limit)

    @app.get("/v1/accounts")
    def accounts(db: Db, station: Station) -> Accounts:
        return Accounts(accounts=account_snapshot(db, station))

    @app.get("/v1/catalogue")
    def catalogue(
        db: Db, station: Station, since: Annotated[int, Query(ge=0)] = 0
    ) -> CatalogueAnswer:
        return catalogue_answer(db, station.centre_code, since)

    @app.get("/v1/calendar")
    def calendar_years(db: Db, station: Station) -> CalendarYears:
        return calendar_answer(db)

    return app
