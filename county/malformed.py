"""A malformed request to county-level work (``/v1/county/…``) or a workstation's push
(``/v1/ops``): a refusal with a code, in the same shape as every other refusal there, with a
Chinese message naming the field — not FastAPI's English list. A push is refused 422
``E422-FORMAT`` (not JSON, not an object, ``ops`` not a list of objects…), or 413 ``E413-BATCH``
for more operations than a batch may hold, and logged (``county.refusals``). The workstations'
other endpoints keep FastAPI's own answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.sync.protocol import MAX_BATCH
from county.refusals import caller, logged, refusal
from county.store.engine import CountyStore
from county.wording import what, where

PREFIX = "/v1/county/"
PUSH = "/v1/ops"
TOO_MANY = "E413-BATCH"
_WRAPPING = ("body", "query", "path")  # FastAPI's own parts of a field's path


def install_malformed_refusals(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _malformed)


async def _malformed(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    path = request.url.path
    if path == PUSH:
        return await _malformed_push(request, error)
    if not path.startswith(PREFIX):
        return await request_validation_exception_handler(request, error)
    return refusal(422, "E422-FORMAT", *_format(error.errors()[0]))


async def _malformed_push(request: Request, error: RequestValidationError) -> Response:
    errors = error.errors()
    too_many = [e for e in errors if e["type"] == "too_long" and e["loc"] == ("body", "ops")]
    field: str | None
    if too_many:
        sent = too_many[0].get("ctx", {}).get("actual_length", "")
        status, code, field = 413, TOO_MANY, "ops"
        message = f"一次推送的操作过多：最多 {MAX_BATCH} 项，本次 {sent} 项。"
    else:
        status, code = 422, "E422-FORMAT"
        message, field = _format(errors[0])
    store = request.app.state.store
    assert isinstance(store, CountyStore)
    who = await run_in_threadpool(caller, store, request.headers.get("authorization"))
    logged(who, code, message)
    return refusal(status, code, message, field)


def _format(first: Mapping[str, Any]) -> tuple[str, str | None]:
    """The message and the field of a malformed request's first error."""
    field = None if first["type"] == "json_invalid" else where(first, _WRAPPING)  # not: an offset
    wrong = f"{field} {what(first)}" if field else what(first)
    return f"请求格式不正确：{wrong}", field
