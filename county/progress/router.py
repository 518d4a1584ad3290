"""The routes under ``/progress``: the form (GET), the answer (POST), the phone rating
(POST ``/rate``), the page's style sheet and its one small script.

Every query and every rating is first counted against the client's address (429 when its bucket
is empty), then against the number typed (429 while wrong passwords lock it, known number or
not); only a right number and password read anything of the case. Every answer carries
``Cache-Control: no-store``, forbids framing and sends no referrer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Final
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.evaluations.levels import Channel, Level
from county.calendar_years import CountyCalendar
from county.evaluations import EvaluationRefused, add_evaluation
from county.lock import one_at_a_time
from county.progress.facts import facts_of, find_case, normalized
from county.progress.limits import AddressBuckets, NumberLocks, ProgressLimits
from county.progress.pages import (
    FILL_JS,
    RATED_ENOUGH,
    STYLE,
    TOO_OFTEN,
    TRY_LATER,
    WRONG,
    limited_page,
    progress_page,
    query_page,
    thanks_page,
)
from county.progress.rating import RatingInvalid, rating_input, terms_of
from county.store.engine import CountyStore
from county.store.models import CountyCase, CountyEvaluation
from db.base import utcnow

PREFIX: Final = "/progress"
MAX_FIELDS: Final = 40  # form fields read from one request (the rating form has about 15)
HEADERS: Final = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}

Form = dict[str, list[str]]


def _session(request: Request) -> Iterator[Session]:
    store = request.app.state.store
    assert isinstance(store, CountyStore)
    with store.sessions() as opened:
        yield opened


async def _form(request: Request) -> Form:
    """The urlencoded form (``python-multipart`` is not needed for it); empty when unreadable."""
    body = await request.body()
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return {}


Db = Annotated[Session, Depends(_session)]
Fields = Annotated[Form, Depends(_form)]


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def _one(form: Form, key: str) -> str:
    values = form.get(key) or [""]
    return values[0]


def progress_router(days: CountyCalendar, limits: ProgressLimits | None = None) -> APIRouter:
    rules = limits or ProgressLimits()
    addresses = AddressBuckets(rules.queries_per_minute)
    locks = NumberLocks(rules.failures_per_number, rules.failure_window, rules.lockout)
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    def base(request: Request) -> str:
        return f"{request.scope.get('root_path', '')}{PREFIX}"

    def checked(
        request: Request, db: Session, form: Form
    ) -> tuple[CountyCase, str, str] | HTMLResponse:
        """The case the form's number and password open, or the answer refusing them."""
        typed = _one(form, "n").strip()[:64]
        number, password = normalized(typed), _one(form, "p").strip()[:12]
        address = request.client.host if request.client is not None else "-"
        if not addresses.take(address):
            return _html(limited_page(base(request), TOO_OFTEN), 429)
        if locks.locked(number):
            return _html(limited_page(base(request), WRONG, TRY_LATER), 429)
        case = find_case(db, number, password)
        if case is None:
            hint = TRY_LATER if locks.failed(number) else ""
            return _html(query_page(base(request), number=typed, message=WRONG, hint=hint), 403)
        return case, number, password

    @router.get("")
    def form(request: Request, n: str = "") -> HTMLResponse:
        return _html(query_page(base(request), number=n[:64]))

    @router.post("")
    def query(request: Request, db: Db, fields: Fields) -> HTMLResponse:
        found = checked(request, db, fields)
        if isinstance(found, HTMLResponse):
            return found
        case, number, password = found
        facts = facts_of(db, case, days(db))
        return _html(progress_page(base(request), facts, number, password))

    @router.post("/rate")
    def rate(request: Request, db: Db, fields: Fields) -> HTMLResponse:
        found = checked(request, db, fields)
        if isinstance(found, HTMLResponse):
            return found
        case, number, password = found
        rating = rating_input(fields)
        calendar = days(db)

        def again(message: str, status: int) -> HTMLResponse:
            facts = facts_of(db, case, calendar)
            page = progress_page(
                base(request), facts, number, password, rating=rating, message=message
            )
            return _html(page, status)

        now = utcnow()
        try:
            terms = terms_of(rating, case.uid, now)
        except RatingInvalid as invalid:
            return again(str(invalid), 422)
        db.rollback()  # the reads' transaction ends: the rating is written in one of its own
        try:
            with db.begin():
                one_at_a_time(db)  # counted and added under the lock: none slips past the limit
                if _rated_since(db, case.id, now - dt.timedelta(days=1)) >= rules.ratings_per_day:
                    raise _Refused(RATED_ENOUGH, 429)
                try:
                    add_evaluation(db, case, terms)
                except EvaluationRefused as error:
                    raise _Refused(error.message, 422) from error
        except _Refused as refused:
            return again(refused.message, refused.status)
        return _html(thanks_page(base(request), Level(terms.level), terms.anonymous))

    @router.get("/style.css")
    def style() -> Response:
        return Response(STYLE, media_type="text/css; charset=utf-8", headers=HEADERS)

    @router.get("/fill.js")
    def fill() -> Response:
        return Response(FILL_JS, media_type="text/javascript; charset=utf-8", headers=HEADERS)

    return router


def _rated_since(db: Session, case_id: int, since: dt.datetime) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(CountyEvaluation)
            .where(
                CountyEvaluation.case_id == case_id,
                CountyEvaluation.channel == Channel.PHONE.value,
                CountyEvaluation.recorded_at >= since,
            )
        )
        or 0
    )


class _Refused(Exception):
    """A rating not written (the transaction rolled back): the message and the status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status
