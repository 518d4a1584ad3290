"""Who may do county-level work: the staff member a bearer token belongs to (``Depends``), and the
refusals — each with a code and a Chinese message — for a missing, unknown or expired sign-in,
a workstation's secret sent to the county's work, and a staff token sent to a workstation's sync.
"""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from county.staff import is_staff_token, is_workstation_secret, staff_of_token
from county.store.engine import CountyStore
from county.store.models import Staff
from county.work_protocol import Refused
from db.base import utcnow

bearer = HTTPBearer(auto_error=False, scheme_name="CountyStaff")
#: What a refusal looks like, for the OpenAPI document.
REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Refused} for status in (401, 403, 404, 409, 422)
}


def refuse(status: int, code: str, message: str, field: str | None = None) -> NoReturn:
    detail: dict[str, str] = {"code": code, "message": message}
    if field is not None:
        detail["field"] = field
    raise HTTPException(status, detail)


def county_store(request: Request) -> CountyStore:
    store = request.app.state.store
    assert isinstance(store, CountyStore)
    return store


def bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    return credentials.credentials if credentials is not None else ""


def _staff(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Staff:
    """The signed-in staff member, or a refusal saying which credential was wrong."""
    token = bearer_token(credentials)
    with county_store(request).sessions() as db:
        staff = staff_of_token(db, token, utcnow()) if token else None
        if staff is not None:
            return staff
        if token and is_workstation_secret(db, token):
            refuse(
                403,
                "E403-WORKSTATION",
                "工作站凭证不能用于县级业务：请以县级工作人员账号登录后再操作。",
            )
        if token and is_staff_token(db, token):
            refuse(401, "E401-EXPIRED", "登录已过期或账号已停用，请重新登录。")
    refuse(401, "E401-STAFF", "请先以县级工作人员账号登录（缺少或无效的登录凭证）。")


StaffMember = Annotated[Staff, Depends(_staff)]


def refuse_staff_token(request: Request, token: str) -> None:
    """At a workstation's endpoint, a credential it does not know: if it is a staff member's
    sign-in, say so (403); otherwise the caller refuses it as unknown."""
    if not token:
        return
    with county_store(request).sessions() as db:
        staff = is_staff_token(db, token)
    if staff:
        refuse(
            403,
            "E403-STAFF",
            "县级工作人员的登录凭证不能用于工作站同步：工作站须用激活时取得的凭证。",
        )
