"""How a workstation talks to the county: a small protocol, and its HTTP implementation (httpx).

The engine (``app/sync/push.py``, ``pull.py``) knows only :class:`Transport`, so the tests can run
it against the real county service on loopback through the very same code the desktop uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import httpx

from app.errors import AppError
from app.evaluations.wire import Evaluations
from app.sync.protocol import (
    EPOCH_HEADER,
    Accounts,
    Authorizations,
    CalendarYears,
    CatalogueAnswer,
    ChangesPage,
    NumbersAnswer,
    NumbersGiven,
    PushAnswer,
)
from app.sync.tls import refuse_untrusted, tls_context


class CountyUnreachable(AppError):
    """The county did not answer (network down, timeout, 5xx, 429): try again later."""

    code = "E610"


class NotActivated(AppError):
    """The county does not know this workstation's credential (401): sync pauses."""

    code = "E611"


class EpochChanged(AppError):
    """The county was restored from a backup (410): the workstation must snapshot again."""

    code = "E612"


class CountyRefused(AppError):
    """The county refused a whole request (413 too large, 422 malformed, …): a bug or a
    mismatch of versions, reported like an unreachable county rather than raised past the sync
    round, so the desktop's sync goes on and the status bar says what the county said."""

    code = "E617"


class Transport(Protocol):
    def push(self, ops: Sequence[dict[str, Any]], epoch: str | None = None) -> PushAnswer: ...

    def push_json(self, ops: Sequence[str], epoch: str | None = None) -> PushAnswer:
        """``push``, the operations given as the JSON the outbox holds (sent as they are)."""
        ...

    def changes(self, cursor: int, epoch: str | None, limit: int) -> ChangesPage: ...

    def catalogue(self, since: int) -> CatalogueAnswer: ...

    def calendar(self) -> CalendarYears: ...

    def accounts(self) -> Accounts: ...

    def authorizations(self, after: int, limit: int) -> Authorizations: ...

    def evaluations(self, after: int, limit: int) -> Evaluations: ...

    def numbers(self, given: NumbersGiven, epoch: str) -> NumbersAnswer: ...


class HttpTransport:
    def __init__(
        self, base_url: str, secret: str, *, timeout: float = 15.0, ca_pem: str = ""
    ) -> None:
        """``ca_pem``: the CA certificate(s) an https county is verified against ("": the
        system's store)."""
        self._url = base_url
        self._client = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {secret}"},
            timeout=timeout,
            verify=tls_context(ca_pem),
        )

    def close(self) -> None:
        self._client.close()

    def push(self, ops: Sequence[dict[str, Any]], epoch: str | None = None) -> PushAnswer:
        headers = {EPOCH_HEADER: epoch} if epoch else {}
        answer = self._send("POST", "/v1/ops", json={"ops": list(ops)}, headers=headers)
        return PushAnswer.model_validate(answer.json())

    def push_json(self, ops: Sequence[str], epoch: str | None = None) -> PushAnswer:
        headers = {"Content-Type": "application/json", **({EPOCH_HEADER: epoch} if epoch else {})}
        body = '{"ops":[' + ",".join(ops) + "]}"
        answer = self._send("POST", "/v1/ops", content=body.encode("utf-8"), headers=headers)
        return PushAnswer.model_validate_json(answer.content)

    def changes(self, cursor: int, epoch: str | None, limit: int) -> ChangesPage:
        headers = {EPOCH_HEADER: epoch} if epoch else {}
        answer = self._send(
            "GET", "/v1/changes", params={"cursor": cursor, "limit": limit}, headers=headers
        )
        return ChangesPage.model_validate_json(answer.content)

    def catalogue(self, since: int) -> CatalogueAnswer:
        answer = self._send("GET", "/v1/catalogue", params={"since": since})
        return CatalogueAnswer.model_validate(answer.json())

    def calendar(self) -> CalendarYears:
        return CalendarYears.model_validate(self._send("GET", "/v1/calendar").json())

    def accounts(self) -> Accounts:
        return Accounts.model_validate(self._send("GET", "/v1/accounts").json())

    def authorizations(self, after: int, limit: int) -> Authorizations:
        answer = self._send("GET", "/v1/authorizations", params={"after": after, "limit": limit})
        return Authorizations.model_validate(answer.json())

    def evaluations(self, after: int, limit: int) -> Evaluations:
        answer = self._send("GET", "/v1/evaluations", params={"after": after, "limit": limit})
        return Evaluations.model_validate_json(answer.content)

    def numbers(self, given: NumbersGiven, epoch: str) -> NumbersAnswer:
        answer = self._send(
            "POST", "/v1/numbers", json=given.model_dump(), headers={EPOCH_HEADER: epoch}
        )
        return NumbersAnswer.model_validate(answer.json())

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            answer = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            refuse_untrusted(error, self._url)
            raise CountyUnreachable(f"无法连接县级系统：{type(error).__name__}") from error
        if answer.status_code == 401:
            raise NotActivated("县级系统不认可本工作站的凭证，请重新激活本工作站。")
        if answer.status_code == 410:
            raise EpochChanged("县级系统已从备份恢复，需要重新同步。")
        if answer.status_code in (408, 429) or answer.status_code >= 500:
            raise CountyUnreachable(
                f"县级系统暂时无法处理（HTTP {answer.status_code}），稍后重试。"
            )
        if answer.status_code >= 400:
            raise CountyRefused(
                f"县级系统拒绝了请求（HTTP {answer.status_code}）：{_detail(answer)}"
            )
        return answer


def _detail(answer: httpx.Response) -> str:
    """The county's own words for a refusal (``detail``: text, or ``{code, message}``)."""
    try:
        detail = answer.json().get("detail", "")
    except ValueError:
        return answer.text[:200]
    if isinstance(detail, dict):
        return f"[{detail.get('code', '')}] {detail.get('message', '')}"
    return str(detail)[:200]
