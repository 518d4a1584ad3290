"""Bad input at the county: a request too big to read, and the log of every refusal.

A workstation's request whose body is over :data:`MAX_BODY` bytes is refused whole, 413
``E413-BODY``, before any of it is parsed (:class:`BodyLimit`): at once when its declared length
is over the limit, else as soon as the bytes counted as they arrive pass it. A full batch of real
operations (500, ``protocol.MAX_BATCH``) is well under 1 MB: the window's case actions are 0.6 to
1.9 KB each (0.44 MB for the largest 500 in a row of a generated 3,000-case store, 0.82 MB for its
500 largest). The county staff's endpoints (``/v1/county/…``) are left alone: a catalogue they
publish may be larger.

Every refusal of a workstation's push, whole (413, 422) or one operation's (``rejected``), is
logged at WARNING on this module's logger: the workstation (the one the bearer secret belongs
to), the op_id when there is one, the code and the message.
"""

from __future__ import annotations

import logging

from fastapi.responses import JSONResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from county.credentials import digest
from county.store.engine import CountyStore
from county.store.models import Workstation

log = logging.getLogger(__name__)
MAX_BODY = 4 * 1024 * 1024  # bytes: over four times a full batch of the largest real operations
TOO_LARGE = "E413-BODY"
COUNTY_WORK = "/v1/county/"  # the county staff's endpoints: no limit here


def station_name(centre_code: str, code: str) -> str:
    return f"workstation {centre_code}/{code}"


def caller(store: CountyStore, authorization: str | None) -> str:
    """Who sent a request, for the log: the workstation its bearer secret belongs to."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return "a request without a credential"
    with store.sessions() as db:
        found = db.execute(
            select(Workstation.centre_code, Workstation.code).where(
                Workstation.secret_hash == digest(token)
            )
        ).first()
    return station_name(*found) if found is not None else "an unknown credential"


def logged(who: str, code: str, message: str, op_id: str | None = None) -> None:
    """A refusal, at WARNING (what the sender wrote is quoted, and cut short)."""
    if op_id is None:
        log.warning("refused a request of %s: %s %.300r", who, code, message)
    else:
        log.warning("refused op %.60r of %s: %s %.300r", op_id, who, code, message)


def refusal(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    """A whole request refused, in the shape of the county's other refusals."""
    detail = {"code": code, "message": message, "field": field}
    return JSONResponse(status_code=status, content={"detail": detail})


class BodyLimit:
    """Reads a workstation's request body, up to ``limit`` bytes, before the app sees it; a body
    over it is refused, 413 ``E413-BODY``, and never parsed."""

    def __init__(self, app: ASGIApp, store: CountyStore, limit: int = MAX_BODY) -> None:
        self.app, self.store, self.limit = app, store, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope["path"]).startswith(COUNTY_WORK):
            await self.app(scope, receive, send)
            return
        messages = await self._read(scope, receive)
        if messages is None:
            headers = Headers(scope=scope)
            who = await run_in_threadpool(caller, self.store, headers.get("authorization"))
            message = f"请求内容超过 {self.limit // (1024 * 1024)} MiB 的上限，县级系统拒收。"
            logged(who, TOO_LARGE, message)
            await refusal(413, TOO_LARGE, message)(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> list[Message] | None:
        """The request's messages up to the body's end (or the client's going away); None: the
        body is over the limit."""
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            return None
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages  # the client went away: the app learns it as usual
            size += len(message.get("body", b""))
            if size > self.limit:
                return None
            if not message.get("more_body", False):
                return messages
