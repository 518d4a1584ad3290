"""A malformed request to county-level work (``/v1/county/…``): 422 ``E422-FORMAT`` in the same
shape as every other refusal there, with a Chinese message naming the field — not FastAPI's
English list. The workstations' endpoints keep FastAPI's own answer."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

PREFIX = "/v1/county/"
_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段",
    "string_type": "应为字符串",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "list_type": "应为数组",
    "too_short": "至少需要一项",
    "too_long": "项数过多",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "literal_error": "取值不在允许的范围内",
    "enum": "取值不在允许的范围内",
    "json_invalid": "不是有效的 JSON",
    "greater_than_equal": "过小",
    "less_than_equal": "过大",
}


def install_malformed_refusals(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _malformed)


async def _malformed(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    if not request.url.path.startswith(PREFIX):
        return await request_validation_exception_handler(request, error)
    first = error.errors()[0]
    loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    field = ".".join(loc) or None
    what = _MESSAGES.get(str(first.get("type")), str(first.get("msg", "")))
    message = f"请求格式不正确：{field} {what}" if field else f"请求格式不正确：{what}"
    detail = {"code": "E422-FORMAT", "message": message, "field": field}
    return JSONResponse(status_code=422, content={"detail": detail})
