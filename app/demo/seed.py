"""The demo centre with a history: users for every role, proxy authorizations, and a few hundred
cases in every state of DESIGN §3, over the past ~60 days.

Every case is made by the real use cases (``app.cases``) acting as the demo users, with the case
context's clock driven through the past: each case's actions, projection, outbox rows and audit
entries are exactly what the centre would have written that day. Nothing is inserted behind the
engine's back.

How it works: first every case gets a *plan* — a target state, an item that can reach it, and
the list of operations (收件, 受理, 审查意见, 上报, 办结, 出件 …) with gaps in working days
between them. Cases that should end in a running clock state are anchored on their acceptance
day so that some are overdue, some nearly due and some fresh; cases left at 已收件 are anchored
on their receipt so that some are past the 5-working-day watchdog. Then all operations of all
cases are put in time order and performed one by one, the clock set to each operation's moment
(office hours, China time, working days only, never later than the last working day before
today).

The whole seeding is one transaction (each use case runs in a savepoint inside it): a failure
leaves the data directory as it was, and seeding does not pay one disk sync per action.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor, Role
from app.cases import decisions as d
from app.cases import delivery, intake
from app.cases.context import CaseContext
from app.cases.engine import item_rules, load_item
from app.catalog.schema import FormTemplate
from app.demo import centre as demo
from app.demo.forms import id_number, mobile, person_name, sample_form_data
from app.demo.users import DEMO_PASSWORD, DEMO_USERS, seed_demo_users
from app.errors import AppError, ValidationError
from app.settings.calendar import work_calendar
from app.workcalendar import WorkCalendar, natural_deadline, working_deadline
from app.workflow.fold import CHINA_TZ, local_date
from app.workflow.rules import ItemRules
from app.workflow.states import CaseState
from db.base import utcnow
from db.models import Case, CaseAction, Item, ProxyAuthorization, User
from db.store import Store

__all__ = [
    "DEFAULT_CASES",
    "DEFAULT_SEED",
    "MIN_CASES",
    "DemoAlreadySeeded",
    "SeedReport",
    "seed_demo_centre",
]

DEFAULT_CASES = 300
DEFAULT_SEED = 20260301
HISTORY_DAYS = 60  # calendar days of history before today
MIN_CASES = len(CaseState)  # one case per state at least

S = CaseState

# How a real centre's cases are spread after two months: most are finished; every state appears.
STATE_MIX: Mapping[CaseState, int] = {
    S.ARCHIVED: 20,
    S.DELIVERED: 9,
    S.AWAITING_DELIVERY: 6,
    S.DECIDED: 4,
    S.WITH_COUNTY: 9,
    S.IN_REVIEW: 13,
    S.ACCEPTED: 8,
    S.RECEIVED: 6,
    S.AWAITING_SUPPLEMENT: 4,
    S.SUBMITTED: 3,
    S.DRAFT: 3,
    S.REFUSED: 4,
    S.SUSPENDED: 4,
    S.WITHDRAWN: 3,
    S.TERMINATED: 4,
}
CLOCK_TARGETS = (S.ACCEPTED, S.IN_REVIEW, S.WITH_COUNTY)
# How often residents ask for each bundled item (anything not listed: 1).
POPULARITY: Mapping[str, int] = {
    "DEMO-MZ-004": 5,  # 高龄津贴
    "DEMO-MZ-006": 5,  # 老年人优待证
    "DEMO-WJ-001": 4,  # 生育登记
    "DEMO-RS-001": 4,  # 城乡居民养老保险参保登记
    "DEMO-RS-002": 3,  # 就业创业证
    "DEMO-MZ-001": 3,  # 最低生活保障
    "DEMO-MZ-002": 3,  # 临时救助
    "DEMO-CL-001": 2,
    "DEMO-CL-002": 2,
    "DEMO-MZ-005": 2,
    "DEMO-SJ-002": 2,
    "DEMO-NY-001": 2,
}
# Back-office categories of the second approver (see app.demo_users: 农业农村与建设类).
SECOND_APPROVER_CATEGORIES = frozenset({"农业农村", "规划建设", "林业", "市场监管"})
RESIDENTS_PER_PROXY = 6

OPINIONS = (
    "经审查，申请材料齐全，情况属实，同意。",
    "已入户核查，家庭情况与申报一致，同意。",
    "经村（社区）评议无异议，公示期满无异议，同意。",
    "经现场查看，符合条件，同意报批。",
)
SUPERVISOR_OPINIONS = ("同意。", "同意，按程序报县级审批。", "经中心审核，同意。")
REFUSALS = (
    ("申请人户籍不在本镇，不属于本中心受理范围。", "户籍所在地乡镇人民政府（街道办事处）"),
    ("申请事项不属于本中心受理的赋权事项。", "县级相关主管部门"),
    ("申请人不符合申请条件（年龄未达到规定标准）。", ""),
)
SUPPLEMENT_HOW = "请携带原件及复印件一份到综合受理窗口补正"
SUSPENSIONS = (
    ("需组织现场踏勘与四邻听证", 5),
    ("需委托第三方开展检验鉴定", 8),
    ("申请人申请延期提交补充说明", 5),
)
EXTENSIONS = ("需补充征求相关部门意见", "案情复杂，需集体研究决定")
RETURNS = ("缺少相关证明材料复印件，请补充后重新上报", "村级评议记录不完整，请补充后重新上报")
DENIALS = ("经核查，家庭人均收入高于当地标准。", "经审查，申请人不符合规定条件。")
WITHDRAWALS = ("申请人主动申请撤回", "申请人已通过其他渠道办理，申请撤回")
TERMINATIONS = ("申请人户籍已迁出本镇，不再符合申请条件", "申请人死亡，终止办理")
TERMINATE_LATE = "容缺材料逾期未补交，按承诺终止办理"


class DemoAlreadySeeded(AppError):
    """The data directory already has cases (or real accounts): the demo is not seeded into it."""

    code = "E310"


@dataclass(frozen=True)
class SeedReport:
    cases: int
    actions: int
    authorizations: int
    users_created: tuple[str, ...]
    by_state: Mapping[str, int]
    first_day: dt.date
    last_day: dt.date

    def summary(self) -> str:
        states = "，".join(
            f"{state.label} {self.by_state.get(state.value, 0)}" for state in CaseState
        )
        users = "、".join(u.username for u in DEMO_USERS)
        return (
            f"已生成演示中心“{demo.DEMO_CENTRE_NAME}”：{self.cases} 件办件、"
            f"{self.actions} 条办件操作"
            f"（{self.first_day.isoformat()} 至 {self.last_day.isoformat()}），"
            f"{self.authorizations} 份代办委托书。\n各状态：{states}。\n"
            f"演示账号：{users}，密码均为 {DEMO_PASSWORD}（仅限演示，切勿用于真实业务）。"
        )


# --- what the seeding needs to know about items and people ----------------------------------------


@dataclass(frozen=True)
class _Item:
    id: int
    code: str
    name: str
    category: str
    rules: ItemRules
    template: FormTemplate
    required: tuple[str, ...]
    deficient: tuple[str, ...]  # required materials that may be 容缺
    optional: tuple[str, ...]
    material_names: Mapping[str, str]
    copies: Mapping[str, int]
    legal_only: bool

    @property
    def review(self) -> tuple[int, ...]:
        return self.rules.review_steps

    @property
    def county(self) -> tuple[int, ...]:
        return self.rules.county_steps

    @property
    def days(self) -> int:
        return self.rules.promised_days

    @property
    def instant(self) -> bool:
        """即办: decided at the window right after acceptance."""
        return not self.review and not self.county


@dataclass
class _Authorization:
    proxy: Actor
    resident: dict[str, str]
    matters: list[str]
    id: int | None = None
    number: str | None = None


@dataclass(frozen=True)
class _Op:
    kind: str
    gap: int = 0  # working days after the previous operation of the same case
    step: int | None = None  # review step an opinion is for


@dataclass
class _Plan:
    index: int
    target: CaseState
    item: _Item
    form: dict[str, Any]
    clerk: Actor
    approver: Actor
    proxy: _Authorization | None = None
    omitted: tuple[str, ...] = ()  # required materials missing at 收件 (一次性告知 or 容缺)
    deficiency: bool = False
    delivery: str = "window"
    approved: bool = True
    ops: list[_Op] = field(default_factory=list)
    anchor: int = 0  # index of the operation whose day is chosen first
    anchor_back: int | None = None  # anchor day = this many working days before today
    days: list[dt.date] = field(default_factory=list)
    case_id: int | None = None


@dataclass
class _People:
    clerks: list[Actor]
    approvers: list[Actor]
    supervisors: list[Actor]
    proxies: list[Actor]


# --- the calendar of the past ---------------------------------------------------------------------


def _back(cal: WorkCalendar, day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day before ``day`` (``day`` itself for n=0)."""
    for _ in range(n):
        day -= dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


def _promised_due(cal: WorkCalendar, item: _Item, accepted_on: dt.date) -> dt.date:
    compute = natural_deadline if item.rules.promised_unit == "natural" else working_deadline
    return compute(cal, accepted_on, item.days).due


# --- planning -------------------------------------------------------------------------------------


class _Planner:
    def __init__(
        self,
        rng: random.Random,
        cal: WorkCalendar,
        today: dt.date,
        yellow: int,
        items: list[_Item],
        people: _People,
    ) -> None:
        self.rng = rng
        self.cal = cal
        self.today = today
        self.horizon = cal.add_working_days(today, yellow) if yellow > 0 else today
        self.window = cal.working_days_between(today - dt.timedelta(days=HISTORY_DAYS), today)
        self.items = items
        self.people = people
        self.unused = {i.code for i in items}
        self.authorizations: list[_Authorization] = []
        self.clock_count = 0
        self.received_count = 0
        self.delivery_count = 0
        self.proxy_turn = 0

    # targets and items

    def targets(self, n: int) -> list[CaseState]:
        counts = dict.fromkeys(CaseState, 1)
        extra = n - len(counts)
        total = sum(STATE_MIX.values())
        shares = {s: extra * STATE_MIX[s] / total for s in CaseState}
        for s in CaseState:
            counts[s] += int(shares[s])
        rest = n - sum(counts.values())
        for s in sorted(CaseState, key=lambda s: shares[s] - int(shares[s]), reverse=True)[:rest]:
            counts[s] += 1
        order = [s for s in CaseState for _ in range(counts[s])]
        self.rng.shuffle(order)
        return order

    def pick_item(self, fits: Callable[[_Item], bool]) -> _Item:
        candidates = [i for i in self.items if fits(i)]
        assert candidates, "the catalogue has no item for this demo case"
        fresh = [i for i in candidates if i.code in self.unused]
        if fresh:  # every item of the catalogue gets cases
            choice = self.rng.choice(fresh)
        else:
            weights = [POPULARITY.get(i.code, 1) for i in candidates]
            choice = self.rng.choices(candidates, weights)[0]
        self.unused.discard(choice.code)
        return choice

    def authorization_for(self, item: _Item) -> _Authorization:
        proxy = self.people.proxies[self.proxy_turn % len(self.people.proxies)]
        self.proxy_turn += 1
        own = [a for a in self.authorizations if a.proxy is proxy]
        if len(own) < RESIDENTS_PER_PROXY:
            auth = _Authorization(
                proxy,
                {
                    "name": person_name(self.rng),
                    "id_number": id_number(self.rng),
                    "phone": mobile(self.rng),
                },
                [],
            )
            self.authorizations.append(auth)
        else:
            auth = self.rng.choice(own)
        if item.code not in auth.matters:
            auth.matters.append(item.code)  # registered after planning, with all its matters
        return auth

    # one case

    def plan(self, index: int, target: CaseState) -> _Plan:
        rng = self.rng
        via_proxy = target in (S.DRAFT, S.SUBMITTED) or rng.random() < 0.08
        delivery = "window"
        if target in (S.DELIVERED, S.ARCHIVED):
            delivery = self._delivery()
            via_proxy = via_proxy or delivery == "proxy"
        deficiency = False
        urgency = "normal"
        if target in CLOCK_TARGETS:
            urgency = self._urgency()
            deficiency = rng.random() < (0.35 if target is S.ACCEPTED else 0.15)
        elif target is S.TERMINATED:
            deficiency = rng.random() < 0.6
        elif target in (S.DECIDED, S.AWAITING_DELIVERY, S.DELIVERED, S.ARCHIVED):
            deficiency = rng.random() < 0.1
        elif target is S.SUSPENDED:
            deficiency = rng.random() < 0.15

        def fits(item: _Item) -> bool:
            if via_proxy and item.legal_only:
                return False
            if deficiency and (not item.deficient or item.days == 0):
                return False
            if target in (*CLOCK_TARGETS, S.SUSPENDED) and item.days == 0:
                return False
            if target is S.IN_REVIEW and not item.review:
                return False
            if target is S.WITH_COUNTY and not item.county:
                return False
            return not (urgency == "nearly" and item.days < 2)

        item = self.pick_item(fits)
        form = sample_form_data(item.template, rng)
        clerk = rng.choice(self.people.clerks)
        second = item.category in SECOND_APPROVER_CATEGORIES
        approver = self.people.approvers[-1 if second else 0]
        plan = _Plan(index, target, item, form, clerk, approver, delivery=delivery)
        plan.deficiency = deficiency
        if via_proxy:
            plan.proxy = self.authorization_for(item)
            applicant = item.template.applicant_field()
            assert applicant is not None
            block = dict(form[applicant.key])
            block.update(plan.proxy.resident)
            form[applicant.key] = block
        plan.approved = rng.random() < 0.9
        self._script(plan, urgency)
        return plan

    def _delivery(self) -> str:
        n = self.delivery_count
        self.delivery_count += 1
        if n < 3:
            return ("window", "proxy", "mail")[n]
        return self.rng.choices(("window", "mail", "proxy"), (7, 2, 1))[0]

    def _urgency(self) -> str:
        n = self.clock_count
        self.clock_count += 1
        if n < 3:
            return ("overdue", "nearly", "fresh")[n]
        return self.rng.choices(("overdue", "nearly", "normal"), (15, 15, 70))[0]

    # the operations of one case

    def _script(self, plan: _Plan, urgency: str) -> None:
        rng, item, target = self.rng, plan.item, plan.target
        ops = plan.ops
        supplement = False
        if plan.deficiency:
            plan.omitted = tuple(
                rng.sample(item.deficient, rng.randint(1, min(2, len(item.deficient))))
            )
        elif target is S.AWAITING_SUPPLEMENT or (
            target not in (S.DRAFT, S.SUBMITTED) and rng.random() < 0.12
        ):
            supplement = True
            plan.omitted = tuple(rng.sample(item.required, min(len(item.required), 2)))
            if len(plan.omitted) > 1 and rng.random() < 0.5:
                plan.omitted = plan.omitted[:1]

        # 收件
        if plan.proxy is not None:
            ops.append(_Op("draft"))
            if target is S.DRAFT:
                return self._anchor_start(plan)
            if target is S.WITHDRAWN and rng.random() < 0.3:
                ops.append(_Op("withdraw", rng.randint(1, 4)))
                return self._anchor_start(plan)
            ops.append(_Op("submit", rng.randint(0, 2)))
            if target is S.SUBMITTED:
                return self._anchor_start(plan)
            ops.append(_Op("receive_submitted", rng.randint(0, 3)))
        else:
            ops.append(_Op("receive"))
        if supplement:
            ops.append(_Op("request_supplement"))
            if target is S.AWAITING_SUPPLEMENT:
                return self._anchor_start(plan)
            ops.append(_Op("supplement", rng.randint(1, 5)))
        if target is S.RECEIVED:
            self.received_count += 1
            late = self.received_count == 1 or rng.random() < 0.5
            back = rng.randint(6, 20) if late else rng.randint(1, 3)
            return self._anchor(plan, len(ops) - 1, back)
        if target is S.REFUSED:
            ops.append(_Op("refuse", rng.randint(0, 1)))
            return self._anchor_start(plan)
        if target is S.WITHDRAWN and rng.random() < 0.4:
            ops.append(_Op("withdraw", rng.randint(0, 3)))
            return self._anchor_start(plan)

        # 受理
        ops.append(_Op("accept_deficiency" if plan.deficiency else "accept", rng.randint(0, 1)))
        accept_at = len(ops) - 1
        if target is S.TERMINATED and plan.deficiency:
            # The promised materials never came: terminated after their due date.
            ops.append(_Op("terminate", min(item.days, 5) + rng.randint(1, 3)))
            return self._anchor_start(plan)
        if target is S.ACCEPTED:
            self._extras(plan, review=False, urgency=urgency)
            return self._anchor_clock(plan, accept_at, urgency)
        if target is S.SUSPENDED and (not item.review or rng.random() < 0.4):
            ops.append(_Op("suspend", rng.randint(1, 3)))
            return self._anchor_start(plan)
        needs_decision = target in (S.DECIDED, S.AWAITING_DELIVERY, S.DELIVERED, S.ARCHIVED)
        if plan.deficiency and needs_decision:
            ops.append(_Op("supply_deficient", rng.randint(1, min(item.days, 5))))

        # 即办 at the window
        if item.instant:
            if target is S.WITHDRAWN or target is S.TERMINATED:
                kind = "withdraw" if target is S.WITHDRAWN else "terminate"
                ops.append(_Op(kind, 0))
                return self._anchor_start(plan)
            ops.append(_Op("decide_clerk"))
            return self._delivery_ops(plan)

        # 乡镇审查
        if item.review:
            ops.append(_Op("start_review", rng.randint(0, 2)))
            review_ops: list[_Op] = []
            for n, step in enumerate(item.review):
                if n:
                    review_ops.append(_Op("next_step", rng.randint(0, 1)))
                review_ops.append(_Op("opinion", rng.randint(1, 3), step))
            if target is S.IN_REVIEW and not (item.county and rng.random() < 0.25):
                ops.extend(review_ops[: rng.randint(0, len(review_ops))])
                self._extras(plan, review=True, urgency=urgency)
                return self._anchor_clock(plan, accept_at, urgency)
            if target in (S.SUSPENDED, S.WITHDRAWN, S.TERMINATED):
                ops.extend(review_ops[: rng.randint(0, len(review_ops))])
                kind = {S.SUSPENDED: "suspend", S.WITHDRAWN: "withdraw"}.get(target, "terminate")
                ops.append(_Op(kind, rng.randint(1, 4)))
                return self._anchor_start(plan)
            ops.extend(review_ops)
            if needs_decision and rng.random() < 0.15:
                ops.insert(accept_at + 2, _Op("reassign", rng.randint(0, 1)))
            if needs_decision and rng.random() < 0.12:
                ops.extend((_Op("suspend", 1), _Op("resume", rng.randint(2, 6))))
        elif target in (S.SUSPENDED, S.WITHDRAWN, S.TERMINATED):
            kind = {S.SUSPENDED: "suspend", S.WITHDRAWN: "withdraw"}.get(target, "terminate")
            ops.append(_Op(kind, rng.randint(1, 4)))
            return self._anchor_start(plan)

        if not item.county:  # decided in the town by the last step's role
            ops.append(_Op("decide_town", rng.randint(0, 1)))
            return self._delivery_ops(plan)

        # 上报县级
        ops.append(_Op("report", rng.randint(0, 2)))
        if item.review and (target is S.IN_REVIEW or rng.random() < 0.1):
            ops.append(_Op("county_returned", rng.randint(3, 6)))
            if target is S.IN_REVIEW:
                return self._anchor_clock(plan, accept_at, urgency)
            ops.append(_Op("opinion", rng.randint(1, 2), item.review[-1]))
            ops.append(_Op("report", rng.randint(0, 1)))
        if target is S.WITH_COUNTY:
            return self._anchor_clock(plan, accept_at, urgency)
        ops.append(_Op("county_result", rng.randint(2, 8)))
        self._delivery_ops(plan)

    def _extras(self, plan: _Plan, *, review: bool, urgency: str) -> None:
        """Reassignment and extension on some cases still in the back office."""
        rng = self.rng
        if review and rng.random() < 0.15:
            plan.ops.append(_Op("reassign", rng.randint(0, 2)))
        if urgency == "normal" and rng.random() < 0.2:
            plan.ops.append(_Op("extend", rng.randint(1, 3)))
        if urgency == "normal" and plan.deficiency and rng.random() < 0.3:
            plan.ops.append(_Op("supply_deficient", 1))

    def _delivery_ops(self, plan: _Plan) -> None:
        rng, target, ops = self.rng, plan.target, plan.ops
        if target is not S.DECIDED:
            ops.append(_Op("ready", rng.randint(0, 2)))
            if target is not S.AWAITING_DELIVERY:
                ops.append(_Op("deliver", rng.randint(1, 5)))
                if target is S.ARCHIVED:
                    ops.append(_Op("archive", rng.randint(0, 3)))
        self._anchor_start(plan)

    # when

    def _anchor(self, plan: _Plan, index: int, back: int) -> None:
        plan.anchor, plan.anchor_back = index, back

    def _anchor_start(self, plan: _Plan) -> None:
        span = sum(op.gap for op in plan.ops[1:])
        slack = max(0, self.window - span - 1)
        self._anchor(plan, 0, 1 + span + self.rng.randint(0, slack))

    def _anchor_clock(self, plan: _Plan, accept_at: int, urgency: str) -> None:
        days, rng = plan.item.days, self.rng
        if urgency == "overdue":
            back = days + 1 + rng.randint(1, 8)
        elif urgency == "nearly":
            choices = [
                j
                for j in range(1, days + 3)
                if self.today
                <= _promised_due(self.cal, plan.item, _back(self.cal, self.today, j))
                <= self.horizon
            ]
            back = rng.choice(choices) if choices else 1
        elif urgency == "fresh":
            back = rng.randint(1, 2)
        else:
            back = rng.randint(1, min(self.window, days + 3))
        self._anchor(plan, accept_at, back)

    def schedule(self, plan: _Plan) -> None:
        cal, ops = self.cal, plan.ops
        assert plan.anchor_back is not None
        last_day = _back(cal, self.today, 1)
        days: list[dt.date] = [self.today] * len(ops)
        days[plan.anchor] = _back(cal, self.today, plan.anchor_back)
        for i in range(plan.anchor - 1, -1, -1):
            days[i] = _back(cal, days[i + 1], ops[i + 1].gap)
        for i in range(plan.anchor + 1, len(ops)):
            days[i] = min(cal.add_working_days(days[i - 1], ops[i].gap), last_day)
        plan.days = days


# --- performing -----------------------------------------------------------------------------------


class _Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _moments(plan: _Plan, rng: random.Random) -> list[dt.datetime]:
    """Office-hours moments (China time, as UTC) for the plan's operations, strictly increasing."""
    moments: list[dt.datetime] = []
    previous: dt.datetime | None = None
    for day in plan.days:
        if previous is not None and local_date(previous) == day:
            moment = previous + dt.timedelta(minutes=rng.randint(3, 12))
        else:
            start = dt.datetime.combine(day, dt.time(8, 30), CHINA_TZ)
            moment = start + dt.timedelta(minutes=rng.randint(0, 360))
        moments.append(moment.astimezone(dt.UTC))
        previous = moment
    return moments


class _Performer:
    def __init__(
        self, ctx: CaseContext, clock: _Clock, people: _People, rng: random.Random
    ) -> None:
        self.ctx = ctx
        self.clock = clock
        self.people = people
        self.rng = rng
        self.result_serial = 0

    def materials(self, plan: _Plan, keys: Sequence[str]) -> list[intake.MaterialIn]:
        return [intake.MaterialIn(k, plan.item.copies.get(k, 1)) for k in keys]

    def at_receipt(self, plan: _Plan) -> list[intake.MaterialIn]:
        item = plan.item
        keys = [k for k in item.required if k not in plan.omitted]
        keys += [k for k in item.optional if self.rng.random() < 0.3]
        return self.materials(plan, keys)

    def step_actor(self, plan: _Plan, step: int | None) -> Actor:
        role = plan.item.rules.step_role(step) if step is not None else None
        return self.people.supervisors[0] if role is Role.SUPERVISOR else plan.approver

    def result_no(self, plan: _Plan) -> str:
        self.result_serial += 1
        return f"{plan.item.code}-{local_date(self.clock.now).year}-{self.result_serial:04d}"

    def perform(self, plan: _Plan, op: _Op) -> None:
        ctx, rng, item = self.ctx, self.rng, plan.item
        clerk, approver = plan.clerk, plan.approver
        supervisor = self.people.supervisors[0]
        kind = op.kind
        if kind == "receive":
            change = intake.receive_walk_in(ctx, clerk, item.id, plan.form, self.at_receipt(plan))
            plan.case_id = change.case_id
            return
        if kind == "draft":
            assert plan.proxy is not None and plan.proxy.id is not None
            change = intake.create_proxy_draft(
                ctx, plan.proxy.proxy, item.id, plan.form, plan.proxy.id
            )
            plan.case_id = change.case_id
            return
        case_id = plan.case_id
        assert case_id is not None
        if kind == "submit":
            assert plan.proxy is not None
            intake.submit(ctx, plan.proxy.proxy, case_id)
        elif kind == "receive_submitted":
            intake.receive_submitted(ctx, clerk, case_id, self.at_receipt(plan))
        elif kind == "request_supplement":
            missing = [
                {"name": item.material_names[k], "how": SUPPLEMENT_HOW} for k in plan.omitted
            ]
            d.request_supplement(ctx, clerk, case_id, missing)
        elif kind == "supplement":
            intake.supplement(ctx, clerk, case_id, self.materials(plan, plan.omitted))
        elif kind == "accept":
            d.accept(ctx, clerk, case_id)
        elif kind == "accept_deficiency":
            today = local_date(self.clock.now)
            promised = _promised_due(ctx.calendar, item, today)
            due = min(ctx.calendar.add_working_days(today, min(item.days, 5)), promised)
            d.accept_with_deficiency(
                ctx, clerk, case_id, list(plan.omitted), due, commitment_signed=True
            )
        elif kind == "supply_deficient":
            d.supply_deficient(ctx, clerk, case_id, list(plan.omitted))
        elif kind == "refuse":
            reason, organ = rng.choice(REFUSALS)
            d.refuse(ctx, clerk, case_id, [reason], organ)
        elif kind == "start_review":
            d.start_review(ctx, approver, case_id)
        elif kind == "opinion":
            actor = self.step_actor(plan, op.step)
            texts = SUPERVISOR_OPINIONS if actor is supervisor else OPINIONS
            d.record_opinion(ctx, actor, case_id, rng.choice(texts))
        elif kind == "next_step":
            d.next_step(ctx, approver, case_id)
        elif kind == "report":
            d.report_to_county(ctx, approver, case_id, "乡镇审查完毕，报县级审批")
        elif kind == "county_returned":
            d.county_returned(ctx, approver, case_id, rng.choice(RETURNS))
        elif kind in ("county_result", "decide_town", "decide_clerk"):
            if kind == "decide_clerk":
                actor = clerk
            elif kind == "decide_town":
                actor = self.step_actor(plan, item.review[-1] if item.review else None)
            else:
                actor = approver
            outcome = d.record_county_result if kind == "county_result" else d.decide
            if plan.approved:
                outcome(ctx, actor, case_id, approved=True, result_no=self.result_no(plan))
            else:
                outcome(ctx, actor, case_id, approved=False, reasons=[rng.choice(DENIALS)])
        elif kind == "ready":
            d.mark_ready(ctx, clerk, case_id)
        elif kind == "deliver":
            self.deliver(plan, case_id)
        elif kind == "archive":
            d.archive(ctx, self.people.clerks[-1], case_id)
        elif kind == "suspend":
            reason, days = rng.choice(SUSPENSIONS)
            d.suspend(ctx, approver, case_id, reason, days)
        elif kind == "resume":
            d.resume(ctx, approver, case_id)
        elif kind == "extend":
            d.extend(ctx, supervisor, case_id, rng.choice((5, 10)), rng.choice(EXTENSIONS))
        elif kind == "reassign":
            others = [a for a in self.people.approvers if a is not approver]
            if others:
                plan.approver = rng.choice(others)
                d.reassign(ctx, supervisor, case_id, plan.approver.user_id)
        elif kind == "withdraw":
            actor = plan.proxy.proxy if plan.proxy is not None else clerk
            d.withdraw(ctx, actor, case_id, rng.choice(WITHDRAWALS))
        elif kind == "terminate":
            reason = TERMINATE_LATE if plan.deficiency else rng.choice(TERMINATIONS)
            d.terminate(ctx, approver, case_id, reason)
        else:
            raise AssertionError(f"unknown demo operation {kind!r}")

    def deliver(self, plan: _Plan, case_id: int) -> None:
        ctx, rng = self.ctx, self.rng
        window = self.people.clerks[-1]
        applicant = plan.item.template.applicant_field()
        assert applicant is not None
        block = plan.form[applicant.key]
        if plan.delivery == "proxy" and plan.proxy is not None:
            assert plan.proxy.number is not None
            delivery.deliver_to_proxy(
                ctx, window, case_id, plan.proxy.proxy.display_name, plan.proxy.number
            )
        elif plan.delivery == "mail":
            address = (block.get("address") or {}).get("detail") or "清河镇人民路1号"
            tracking = f"EMS{rng.randrange(10**9, 10**10)}CN"
            d.deliver_by_mail(ctx, window, case_id, tracking, address)
        else:
            # The collector's card is checked against the applicant, as at the real window.
            name = block.get("legal_representative") or block["name"]
            card = block.get("id_number") or id_number(rng)
            delivery.deliver_to_applicant(ctx, window, case_id, name, card)


# --- the use cases --------------------------------------------------------------------------------


def _refusal(session: Session) -> str | None:
    """Why this store must not get demo data, or None."""
    cases = session.scalar(select(func.count()).select_from(Case)) or 0
    if cases:
        return (
            f"该数据目录中已有 {cases} 件办件，演示数据只生成在空的数据目录中；未做任何改动。"
            "如需重新生成，请换一个新的数据目录。"
        )
    demo_names = {u.username for u in DEMO_USERS}
    others = sorted(set(session.scalars(select(User.username))) - demo_names)
    if others:
        return (
            f"该数据目录中已有非演示账号（{'、'.join(others[:3])}），不像演示数据目录；"
            "演示账号使用公开的密码，为安全起见不生成演示数据。"
        )
    return None


@contextmanager
def _one_transaction(store: Store) -> Iterator[Callable[[], Session]]:
    """Sessions that each run in a savepoint of one outer transaction, committed at the end."""
    with store.engine.connect() as connection:
        outer = connection.begin()

        def sessions() -> Session:
            return Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )

        try:
            yield sessions
        except BaseException:
            outer.rollback()
            raise
        outer.commit()


def _load_items(session: Session) -> list[_Item]:
    items: list[_Item] = []
    for item_id in session.scalars(select(Item.id).where(Item.active).order_by(Item.code)):
        item = load_item(session, item_id)
        _, template = intake.template_of(session, item)
        applicant = template.applicant_field()
        kinds = {k.value for k in (applicant.applicant_kinds or [])} if applicant else set()
        items.append(
            _Item(
                id=item.id,
                code=item.code,
                name=item.name,
                category=item.category,
                rules=item_rules(item),
                template=template,
                required=tuple(m.material_key for m in item.materials if m.required),
                deficient=tuple(
                    m.material_key for m in item.materials if m.required and m.deficiency_allowed
                ),
                optional=tuple(m.material_key for m in item.materials if not m.required),
                material_names={m.material_key: m.name for m in item.materials},
                copies={m.material_key: m.copies for m in item.materials},
                legal_only=kinds == {"legal_person"},
            )
        )
    return [i for i in items if i.template.applicant_field() is not None]


def _load_people(session: Session, workstation: str) -> _People:
    people = _People([], [], [], [])
    by_role = {
        Role.CLERK: people.clerks,
        Role.APPROVER: people.approvers,
        Role.SUPERVISOR: people.supervisors,
        Role.PROXY: people.proxies,
    }
    names = [u.username for u in DEMO_USERS]
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    for name in names:  # DEMO_USERS order: clerk1 before clerk2, …
        user = users.get(name)
        if user is None or not user.active:
            continue
        roles = frozenset(Role(r.role_code) for r in user.roles)
        actor = Actor(user.id, user.username, user.display_name, roles, workstation)
        for role, bucket in by_role.items():
            if role in roles:
                bucket.append(actor)
    missing = [role.label for role, bucket in by_role.items() if not bucket]
    if missing:
        raise ValidationError("演示账号", f"演示账号中缺少{'、'.join(missing)}，无法生成演示办件。")
    return people


def seed_demo_centre(
    store: Store,
    *,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport:
    """Make ``store`` the demo centre: catalogue, settings, demo users, proxy authorizations, and
    ``cases`` cases in every state over the past ~60 days, all through the real use cases.

    Refuses (``DemoAlreadySeeded``, nothing changed) when the store already has cases or
    non-demo accounts. ``progress(done, total)`` is called now and then (for a progress bar).
    """
    if cases < MIN_CASES:
        raise ValidationError("办件数", f"演示办件数至少为 {MIN_CASES}（每种状态至少一件）。")
    with store.reader() as session:
        refusal = _refusal(session)
    if refusal:
        raise DemoAlreadySeeded(refusal)
    demo.prepare_demo(store)
    now = now or utcnow()
    today = local_date(now)
    rng = random.Random(seed)
    with _one_transaction(store) as sessions:
        with sessions() as session, session.begin():
            refusal = _refusal(session)  # checked again inside the transaction that writes
            if refusal:
                raise DemoAlreadySeeded(refusal)
            created = seed_demo_users(session)
            workstation = settings.WORKSTATION_CODE.get(session)
            yellow = settings.YELLOW_AT_WORKING_DAYS.get(session)
            calendar = work_calendar(session)
            items = _load_items(session)
            people = _load_people(session, workstation)
        planner = _Planner(rng, calendar, today, yellow, items, people)
        plans = [planner.plan(n, target) for n, target in enumerate(planner.targets(cases))]
        for plan in plans:
            planner.schedule(plan)
        first_day = min(plan.days[0] for plan in plans)
        clock = _Clock(now)
        ctx = CaseContext(sessions, sessions, calendar, clock)
        _register_authorizations(ctx, clock, planner, _back(calendar, first_day, 1))
        events = sorted(
            (moment, plan.index, n)
            for plan in plans
            for n, moment in enumerate(_moments(plan, rng))
        )
        performer = _Performer(ctx, clock, people, rng)
        for done, (moment, index, n) in enumerate(events, 1):
            clock.now = moment
            performer.perform(plans[index], plans[index].ops[n])
            if progress is not None and (done % 100 == 0 or done == len(events)):
                progress(done, len(events))
        with sessions() as session:
            by_state = {
                state: count
                for state, count in session.execute(
                    select(Case.state, func.count()).group_by(Case.state)
                )
            }
            actions = session.scalar(select(func.count()).select_from(CaseAction)) or 0
    return SeedReport(
        cases=sum(by_state.values()),
        actions=actions,
        authorizations=len(planner.authorizations),
        users_created=tuple(created),
        by_state=by_state,
        first_day=first_day,
        last_day=max(plan.days[-1] for plan in plans),
    )


def _register_authorizations(
    ctx: CaseContext, clock: _Clock, planner: _Planner, day: dt.date
) -> None:
    """The residents sign their 代办委托书 before the history starts (valid for a year)."""
    start = dt.datetime.combine(day, dt.time(8, 10), CHINA_TZ).astimezone(dt.UTC)
    for n, auth in enumerate(planner.authorizations):
        clock.now = start + dt.timedelta(minutes=3 * n)
        auth.id = intake.register_authorization(
            ctx, auth.proxy, auth.resident, auth.matters, day + dt.timedelta(days=365)
        )
    with ctx.sessions() as session:
        numbers = {
            auth_id: number
            for auth_id, number in session.execute(
                select(ProxyAuthorization.id, ProxyAuthorization.authorization_no)
            )
        }
    for auth in planner.authorizations:
        assert auth.id is not None
        auth.number = numbers[auth.id]
