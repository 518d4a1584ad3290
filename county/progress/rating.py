"""The phone rating the progress page takes: the form read into :class:`EvaluationTerms` (扫码评价,
of the case as a whole), or a Chinese message naming the field — nothing written then."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.evaluations.levels import MAX_TEXT, Channel, Level, Reason, Service
from app.evaluations.wire import EvaluationTerms
from app.outbox.ids import new_uid
from county.progress.facts import scrub


@dataclass(frozen=True)
class RatingInput:
    """What the resident chose, as typed (kept to show the form again after an error)."""

    level: str
    reasons: tuple[str, ...]
    text: str
    anonymous: bool


class RatingInvalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}：{message}")
        self.field, self.message = field, message


def rating_input(form: Mapping[str, Sequence[str]]) -> RatingInput:
    def one(key: str) -> str:
        values = form.get(key, ())
        return values[0] if values else ""

    return RatingInput(
        level=one("level").strip(),
        reasons=tuple(form.get("reasons", ())),
        text=one("text").strip(),
        anonymous=one("anonymous") == "1",
    )


def terms_of(rating: RatingInput, case_uid: str, now: dt.datetime) -> EvaluationTerms:
    """The evaluation ``rating`` makes of the case; :class:`RatingInvalid` naming the field."""
    try:
        level = Level(int(rating.level))
    except ValueError:
        raise RatingInvalid("评价等级", "请选择一项评价（非常满意至非常不满意）。") from None
    try:
        reasons = tuple(dict.fromkeys(Reason(r) for r in rating.reasons))
    except ValueError:
        raise RatingInvalid("不满意的原因", "所选原因不在清单中，请重新选择。") from None
    if level.is_bad and not reasons:
        raise RatingInvalid("不满意的原因", "选择“不满意”或“非常不满意”时，请至少选择一项原因。")
    if not level.is_bad and reasons:
        raise RatingInvalid("不满意的原因", "只有选择“不满意”或“非常不满意”时才选择原因。")
    if len(rating.text) > MAX_TEXT:
        raise RatingInvalid("文字评价", f"不能超过{MAX_TEXT}个字（现有{len(rating.text)}个字）。")
    return EvaluationTerms(
        uid=new_uid(),
        case_uid=case_uid,
        service=Service.CASE,
        service_op_id=None,
        channel=Channel.PHONE,
        level=level,
        reasons=reasons,
        text=scrub(rating.text),
        anonymous=rating.anonymous,
        assessed_at=now,
    )
