"""County-level work over HTTP, for the county's staff: sign in, the queue of reported cases, the
county's decision or return (``county.decisions.county_decision``, as the staff member), issuing a
centre's account. Every write is audited at the county (``county.audit``).

Only a staff token opens these endpoints; a workstation's secret is refused here (403), as a
staff token is at the workstations' endpoints. Included by ``county.api.create_app``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.accounts.passwords import check_policy, hash_password
from app.accounts.service import check_role_combination
from app.actor import TOWN_ROLES, Role
from app.errors import ValidationError
from app.workcalendar import WorkCalendar
from app.workflow.states import CaseState
from county.api_publish import publish_router
from county.audit import record
from county.decisions import UnknownCase, county_decision
from county.staff import clean_username, sign_in
from county.staff import sign_out as end_sign_in
from county.staff_auth import (
    REFUSALS,
    StaffMember,
    bearer,
    bearer_token,
    county_store,
    refuse,
    refuse_staff_token,
)
from county.store.models import Account, CaseActionRow, Centre, CountyCase, ItemVersion, Staff
from county.work_protocol import (
    AccountIssued,
    CaseActionDone,
    CaseQueue,
    CaseSummary,
    DecisionRequest,
    IssueAccountRequest,
    ReturnRequest,
    SignInAnswer,
    SignInRequest,
)
from db.base import utcnow

__all__ = ["county_work_router", "refuse_staff_token"]  # the latter for county.api
MAX_QUEUE = 500
_TOWN = {r.value for r in TOWN_ROLES}


def county_work_router(calendar: Callable[[Session], WorkCalendar]) -> APIRouter:
    """The endpoints, judging the county's own actions with ``calendar(session)``."""
    router = APIRouter(prefix="/v1/county", tags=["county staff"], responses=REFUSALS)

    @router.post("/signin")
    def signin(body: SignInRequest, request: Request) -> SignInAnswer:
        """A staff member's sign-in: a bearer token for county-level work, with its expiry."""
        with county_store(request).sessions() as db, db.begin():
            signed = sign_in(db, body.username, body.password, utcnow())
        if signed is None:
            refuse(401, "E401-SIGNIN", "用户名或密码错误，或账号已停用。")
        return SignInAnswer(
            token=signed.token,
            expires_at=signed.expires_at,
            username=signed.username,
            display_name=signed.display_name,
        )

    @router.post("/signout", status_code=204)
    def signout(
        request: Request,
        staff: StaffMember,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        """The token stops working at once."""
        with county_store(request).sessions() as db, db.begin():
            end_sign_in(db, bearer_token(credentials))
            record(db, staff.username, "signout", staff.username, {}, utcnow())

    @router.get("/cases")
    def cases(
        request: Request,
        staff: StaffMember,
        state: CaseState = CaseState.WITH_COUNTY,
        centre: Annotated[str | None, Query(max_length=12)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_QUEUE)] = MAX_QUEUE,
    ) -> CaseQueue:
        """The county's queue: cases in ``state`` (by default those the towns reported), the
        longest waiting first."""
        last = (
            select(CaseActionRow.case_id, func.max(CaseActionRow.applied_at).label("at"))
            .group_by(CaseActionRow.case_id)
            .subquery()
        )
        query = (
            select(CountyCase, ItemVersion.code, ItemVersion.detail, last.c.at)
            .join(ItemVersion, ItemVersion.id == CountyCase.item_version_id)
            .outerjoin(last, last.c.case_id == CountyCase.id)
            .where(CountyCase.state == state.value)
            .order_by(last.c.at, CountyCase.id)
            .limit(limit)
        )
        if centre:
            query = query.where(CountyCase.centre_code == centre.strip())
        with county_store(request).sessions() as db:
            rows = db.execute(query).all()
        return CaseQueue(
            cases=[
                CaseSummary(
                    uid=case.uid,
                    centre=case.centre_code,
                    receipt_no=case.receipt_no,
                    official_no=case.official_no,
                    item_code=code,
                    item_name=str(detail.get("name", code)),
                    state=case.state,
                    seq=case.seq,
                    last_action_at=at,
                )
                for case, code, detail, at in rows
            ]
        )

    def act(
        request: Request, staff: Staff, number: str, approve: bool | None, opinion: str, **more: str
    ) -> CaseActionDone:
        now = utcnow()
        with county_store(request).sessions() as db, db.begin():
            try:
                answer = county_decision(
                    db,
                    number.strip(),
                    approve=approve,
                    opinion=opinion.strip(),
                    by=staff.username,
                    calendar=calendar(db),
                    now=now,
                    **more,
                )
            except UnknownCase as unknown:
                refuse(404, "E404-CASE", str(unknown))
            if answer.outcome != "applied" or answer.county_seq is None:
                refuse(422, answer.code or "E422", f"县级操作未执行：{answer.message}")
            case = db.scalar(
                select(CountyCase).where(
                    or_(
                        CountyCase.official_no == number.strip(),
                        CountyCase.receipt_no == number.strip(),
                    )
                )
            )
            assert case is not None  # county_decision found it
            action = "case.return" if approve is None else "case.decide"
            detail: dict[str, Any] = {"opinion": opinion.strip(), "county_seq": answer.county_seq}
            if approve is not None:
                detail |= {"result": "approved" if approve else "denied", **more}
            record(db, staff.username, action, case.official_no or case.receipt_no, detail, now)
            return CaseActionDone(
                receipt_no=case.receipt_no,
                official_no=case.official_no,
                state=case.state,
                county_seq=answer.county_seq,
            )

    @router.post("/cases/{number}/decision")
    def decide(
        number: str, body: DecisionRequest, request: Request, staff: StaffMember
    ) -> CaseActionDone:
        """The county's decision on a case the town reported (准予 / 不予), by its 办件编号 or
        收件号; every workstation of the centre pulls it like any other action."""
        return act(
            request,
            staff,
            number,
            body.result == "approved",
            body.opinion,
            result_no=body.result_no.strip(),
        )

    @router.post("/cases/{number}/return")
    def send_back(
        number: str, body: ReturnRequest, request: Request, staff: StaffMember
    ) -> CaseActionDone:
        """The case goes back to the town's review, with the reason."""
        if not body.reason.strip():
            refuse(422, "E422-FIELD", "请填写退回原因。", "reason")
        return act(request, staff, number, None, body.reason)

    @router.post("/accounts", status_code=201)
    def issue_account(
        body: IssueAccountRequest, request: Request, staff: StaffMember
    ) -> AccountIssued:
        """A centre's account (town roles only); it comes down to every workstation of the
        centre at its next sync (``GET /v1/accounts``), to change the password at first
        sign-in."""
        try:
            username = clean_username(body.username)
            display_name = body.display_name.strip()
            if not display_name:
                raise ValidationError("姓名", "请填写姓名")
            if not set(body.roles) <= _TOWN:
                refuse(
                    422,
                    "E422-ROLE",
                    "乡镇账号只能有乡镇角色（县级审批人员的账号不发给乡镇）。",
                    "roles",
                )
            roles = check_role_combination(Role(code) for code in body.roles)
            check_policy(body.password, label="初始密码", username=username)
        except ValidationError as bad:
            refuse(422, "E422-FIELD", bad.message, bad.field)
        codes = [r.value for r in Role if r in roles]
        now = utcnow()
        with county_store(request).sessions() as db, db.begin():
            centre = db.get(Centre, body.centre.strip())
            if centre is None:
                refuse(
                    404,
                    "E404-CENTRE",
                    f"县级库中没有区划代码为 {body.centre.strip()} 的便民服务中心。",
                    "centre",
                )
            if db.get(Account, username) is not None:
                refuse(409, "E409-ACCOUNT", f"账号 {username} 已存在，请换一个用户名。", "username")
            db.add(
                Account(
                    username=username,
                    centre_code=centre.code,
                    display_name=display_name,
                    roles=codes,
                    password_hash=hash_password(body.password),
                    active=True,
                    must_change_password=True,
                )
            )
            record(
                db,
                staff.username,
                "account.issue",
                username,
                {"centre": centre.code, "roles": codes, "display_name": display_name},
                now,
            )
        return AccountIssued(
            centre=centre.code,
            username=username,
            display_name=display_name,
            roles=codes,
            must_change_password=True,
        )

    router.include_router(publish_router())
    return router
