"""Build a store of N cases (default 1,000,000) with their actions, outbox and audit rows, then time
the real queries of ``app/cases/queries.py`` on it.

    .venv/bin/python -m benchmarks.build_store                  # build 1,000,000 cases, then query
    .venv/bin/python -m benchmarks.build_store --cases 20000    # a smaller store
    .venv/bin/python -m benchmarks.build_store --reuse          # query the store already built

Building a million cases through the use cases one by one would take hours, so the rows are
generated in bulk and written with SQLAlchemy Core ``insert()`` executemany, in big batches, into
the same encrypted store (``open_store``: SQLCipher, the migrated schema, the append-only triggers).
What keeps the rows honest — every case's path is checked and projected by the workflow's own
code: for each generated action, ``transitions.find`` (role and state) and ``guards.check``
(payload and item rules) must pass, and the ``cases`` row is the fold (``workflow.fold.apply``) of
its actions, exactly the columns ``engine.perform`` writes. The outbox rows and the hash-chained
audit entries are built the way the engine builds them (``audit.entry_hash``). README.md lists
what is simplified.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import hashlib
import heapq
import json
import multiprocessing
import multiprocessing.pool
import os
import random
import resource
import subprocess
import sys
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from app import audit, settings
from app.accounts.identity import masked
from app.actor import Actor, Role
from app.cases.engine import item_rules, load_item
from app.cases.intake import template_of
from app.catalog.schema import FormTemplate
from app.demo import centre as demo
from app.demo.forms import (
    GIVEN,
    SURNAMES,
    address,
    id_number,
    mobile,
    person_name,
    sample_form_data,
    uscc,
)
from app.demo.planning import POPULARITY, STATE_MIX
from app.demo.users import seed_demo_users
from app.outbox.envelope import ENVELOPE_VERSION
from app.settings.calendar import work_calendar
from app.workcalendar import WorkCalendar
from app.workflow import guards, transitions
from app.workflow.fold import CHINA_TZ, ActionRecord, Projection, apply, local_date
from app.workflow.rules import ItemRules
from app.workflow.states import Action, CaseState
from db.models import (
    Applicant,
    AuditEntry,
    Case,
    CaseAction,
    Item,
    MaterialReceived,
    OutboxEntry,
    ProxyAuthorization,
    User,
    UserRole,
)
from db.store import Store, open_store

DEFAULT_CASES = 1_000_000
DEFAULT_OUT = Path(__file__).resolve().parent / "out"
KEY_FILE_NAME = "BENCH-KEY-NOT-SECRET.key"
STORE_DIR_NAME = "store"
CHUNK_CASES = 2_000  # cases per worker job (whole days)
REPORT_EVERY = 100_000
COUNTY = "511899"
WINDOWS = 8  # front windows W01..W08, one clerk each
EXTRA_APPROVERS = 2
PROXIES = 20
PROXY_SHARE = 0.08
RECENT_DAYS = 60  # cases received in the last 60 days follow the demo centre's state mix

S = CaseState
A = Action
# Cases received long ago: nearly all finished; a few never collected, a few stuck.
OLD_MIX: Mapping[CaseState, float] = {
    S.ARCHIVED: 95.0,
    S.REFUSED: 1.5,
    S.WITHDRAWN: 1.0,
    S.TERMINATED: 0.7,
    S.DELIVERED: 0.8,
    S.AWAITING_DELIVERY: 0.5,
    S.AWAITING_SUPPLEMENT: 0.4,
    S.IN_REVIEW: 0.04,
    S.WITH_COUNTY: 0.04,
    S.SUSPENDED: 0.02,
}
CLOCK_TARGETS = frozenset({S.ACCEPTED, S.IN_REVIEW, S.WITH_COUNTY, S.SUSPENDED})
DECIDED_TARGETS = frozenset({S.DECIDED, S.AWAITING_DELIVERY, S.DELIVERED, S.ARCHIVED})


def log(message: str) -> None:
    print(message, flush=True)


# demo_forms knows 240 full names; a town has far more. The name search's speed depends on how
# many cases share a name, so residents here get given names from a wider pool (1 or 2 of these
# characters, or one of demo_forms' given names): about 50,000 distinct full names.
GIVEN_CHARS = (
    "秀英桂兰建国志强海燕明丽军红梅华玉德胜伟芳娜敏静磊洋艳勇杰娟涛超霞平刚文辉鹏飞玲宇浩凯"
    "轩涵欣怡远博晨阳鑫珍凤春"
)


def resident_name(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_CHARS)
    return rng.choice(SURNAMES) + given


# --- the catalogue, the people, the calendar ------------------------------------------------------


@dataclass(frozen=True)
class ItemInfo:
    id: int
    code: str
    content_hash: str
    template_key: str
    template_version: int
    name: str
    category: str
    template_id: int
    applicant_key: str
    rules: ItemRules
    required: tuple[str, ...]
    deficient: tuple[str, ...]
    optional: tuple[str, ...]
    materials: Mapping[str, tuple[str, str, int]]  # key -> (name, form, copies)
    legal_only: bool
    forms: tuple[dict[str, Any], ...]  # sample form data to vary (applicant block replaced)

    @property
    def days(self) -> int:
        return self.rules.promised_days

    @property
    def review(self) -> tuple[int, ...]:
        return self.rules.review_steps

    @property
    def county(self) -> tuple[int, ...]:
        return self.rules.county_steps

    def fits(self, target: CaseState, *, proxy: bool = False, deficiency: bool = False) -> bool:
        if proxy and self.legal_only:
            return False
        if deficiency and (not self.deficient or self.days == 0):
            return False
        if target in CLOCK_TARGETS and self.days == 0:
            return False
        if target is S.IN_REVIEW and not self.review:
            return False
        return not (target is S.WITH_COUNTY and not self.county)


@dataclass
class People:
    clerks: list[Actor]
    approvers: list[Actor]
    supervisor: Actor
    proxies: list[Actor]

    def approver_for(self, category: str) -> Actor:
        return self.approvers[zlib.crc32(category.encode()) % len(self.approvers)]

    def user_id(self, username: str | None) -> int | None:
        """This store's id of a user the action log names by username."""
        if username is None:
            return None
        everyone = [*self.clerks, *self.approvers, self.supervisor, *self.proxies]
        return next(a.user_id for a in everyone if a.username == username)


class FastCalendar(WorkCalendar):
    """The store's calendar with ``next_working_day`` memoised (same answers, fewer loops)."""

    def __init__(self, base: WorkCalendar) -> None:
        self.__dict__.update(base.__dict__)
        self._next: dict[dt.date, dt.date] = {}
        self._missing: dict[tuple[int, int], tuple[int, ...]] = {}

    def next_working_day(self, d: dt.date) -> dt.date:
        found = self._next.get(d)
        if found is None:
            found = self._next[d] = super().next_working_day(d)
        return found

    def missing_years(self, first: dt.date, last: dt.date) -> tuple[int, ...]:
        key = (first.year, last.year)
        found = self._missing.get(key)
        if found is None:
            found = self._missing[key] = super().missing_years(first, last)
        return found


def load_items(store: Store, rng: random.Random) -> list[ItemInfo]:
    items: list[ItemInfo] = []
    with store.session() as session:
        for item_id in session.scalars(select(Item.id).where(Item.active).order_by(Item.code)):
            item = load_item(session, item_id)
            row, template = template_of(session, item)
            spec = template.applicant_field()
            if spec is None:
                continue
            kinds = {k.value for k in (spec.applicant_kinds or [])}
            items.append(
                ItemInfo(
                    id=item.id,
                    code=item.code,
                    content_hash=item.content_hash,
                    template_key=row.template_key,
                    template_version=row.version,
                    name=item.name,
                    category=item.category,
                    template_id=row.id,
                    applicant_key=spec.key,
                    rules=item_rules(item),
                    required=tuple(m.material_key for m in item.materials if m.required),
                    deficient=tuple(
                        m.material_key
                        for m in item.materials
                        if m.required and m.deficiency_allowed
                    ),
                    optional=tuple(m.material_key for m in item.materials if not m.required),
                    materials={m.material_key: (m.name, m.form, m.copies) for m in item.materials},
                    legal_only=kinds == {"legal_person"},
                    forms=_form_pool(template, rng),
                )
            )
    return items


def _form_pool(template: FormTemplate, rng: random.Random, size: int = 64) -> tuple[Any, ...]:
    return tuple(sample_form_data(template, rng) for _ in range(size))


def make_people(store: Store) -> People:
    """The demo users plus the other windows, approvers and village proxies of a big centre."""
    with store.session() as session, session.begin():
        seed_demo_users(session)
        template = session.scalars(select(User).where(User.username == "clerk1")).one()
        existing = set(session.scalars(select(User.username)))
        wanted = [(f"clerk{n}", f"窗口{n}号", Role.CLERK) for n in range(3, WINDOWS + 1)]
        wanted += [
            (f"approver{n}", f"审批员{n}", Role.APPROVER) for n in range(3, 3 + EXTRA_APPROVERS)
        ]
        wanted += [(f"proxy{n}", f"代办员{n}", Role.PROXY) for n in range(3, PROXIES + 1)]
        workstation = settings.WORKSTATION_CODE.get(session)
        for username, name, role in wanted:
            if username in existing:
                continue
            user = User(
                username=username,
                display_name=name,
                password_hash=template.password_hash,
                roles=[UserRole(role_code=role.value)],
            )
            session.add(user)
            session.flush()
            audit.record(
                session,
                actor="benchmark",
                workstation=workstation,
                event=audit.AuditEvent.USER_CREATED,
                subject=username,
                detail={"user_id": user.id, "roles": [role.value], "benchmark": True},
            )
        users = session.scalars(select(User).order_by(User.id)).all()
        people = People([], [], None, [])  # type: ignore[arg-type]
        for user in users:
            roles = frozenset(Role(r.role_code) for r in user.roles)
            if Role.CLERK in roles:
                ws = f"W{len(people.clerks) + 1:02d}"
                people.clerks.append(Actor(user.id, user.username, user.display_name, roles, ws))
            elif Role.APPROVER in roles:
                people.approvers.append(
                    Actor(user.id, user.username, user.display_name, roles, "W09")
                )
            elif Role.SUPERVISOR in roles:
                people.supervisor = Actor(user.id, user.username, user.display_name, roles, "W10")
            elif Role.PROXY in roles:
                ws = f"P{len(people.proxies) + 1:02d}"
                people.proxies.append(Actor(user.id, user.username, user.display_name, roles, ws))
    return people


# --- one case's history ---------------------------------------------------------------------------


@dataclass
class Step:
    action: Action
    actor: Actor
    payload: dict[str, Any]
    gap: int = 0  # working days after the previous step


@dataclass(frozen=True)
class Done:
    """One checked action of a case, as the engine would record it."""

    record: ActionRecord
    step: Step
    role: str  # the actor's roles allowed by the transition row (``case_actions.actor_role``)
    seq: int
    from_state: str | None
    to_state: str


OPINION = "经审查，申请材料齐全，情况属实，同意。"
REASONS = {
    A.REFUSE: "申请人户籍不在本镇，不属于本中心受理范围。",
    A.WITHDRAW: "申请人主动申请撤回",
    A.TERMINATE: "申请人户籍已迁出本镇，不再符合申请条件",
}


class CaseFactory:
    """Makes one case: its applicant, rows, and its actions (checked and folded by the workflow)."""

    def __init__(
        self,
        rng: random.Random,
        cal: FastCalendar,
        items: list[ItemInfo],
        people: People,
        today: dt.date,
        pending_from: dt.datetime,
    ) -> None:
        self.rng = rng
        self.cal = cal
        self.items = items
        self.weights = [POPULARITY.get(i.code, 1) for i in items]
        self.people = people
        self.today = today
        self.pending_from = pending_from
        self.last_day = previous_working_day(cal, today)
        self.receipts: dict[tuple[str, dt.date], int] = {}
        self.recent_from = today - dt.timedelta(days=RECENT_DAYS)
        self.recent_states = list(STATE_MIX)
        self.recent_weights = [STATE_MIX[s] for s in self.recent_states]
        self.old_states = list(OLD_MIX)
        self.old_weights = [OLD_MIX[s] for s in self.old_states]

    # what and for whom

    def target(self, received: dt.date) -> CaseState:
        rng = self.rng
        if received < self.recent_from:
            return rng.choices(self.old_states, self.old_weights)[0]
        target = rng.choices(self.recent_states, self.recent_weights)[0]
        age = self.cal.working_days_between(received, self.today)
        # A real centre finishes most cases in time: old open ones are the exception.
        if target in CLOCK_TARGETS and age > 25 and rng.random() < 0.8:
            return S.ARCHIVED
        if target in (S.RECEIVED, S.DRAFT, S.SUBMITTED) and age > 8 and rng.random() < 0.8:
            return S.ARCHIVED
        return target

    def pick_item(self, target: CaseState, *, proxy: bool, deficiency: bool) -> ItemInfo:
        while True:
            item = self.rng.choices(self.items, self.weights)[0]
            if item.fits(target, proxy=proxy, deficiency=deficiency):
                return item

    def applicant_block(self, item: ItemInfo, form: Mapping[str, Any]) -> dict[str, Any]:
        rng = self.rng
        old = form[item.applicant_key]
        if old.get("kind") == "legal_person":
            return {**old, "uscc": uscc(rng), "legal_representative": person_name(rng)}
        return {
            **old,
            "name": resident_name(rng),
            "id_number": id_number(rng),
            "phone": mobile(rng),
            "address": address(rng),
        }

    # the path

    def steps(
        self,
        case_id: int,
        item: ItemInfo,
        target: CaseState,
        *,
        clerk: Actor,
        proxy: Actor | None,
        auth: tuple[int, str] | None,
        form: dict[str, Any],
        deficiency: bool,
        supplement: bool,
        omitted: tuple[str, ...],
        received_keys: list[str],
    ) -> list[Step]:
        rng, people = self.rng, self.people
        approver = people.approver_for(item.category)
        sup = people.supervisor
        steps: list[Step] = []

        def add(action: Action, actor: Actor, payload: dict[str, Any], gap: int = 0) -> None:
            steps.append(Step(action, actor, payload, gap))

        def handed_over(keys: Sequence[str]) -> dict[str, Any]:
            """What ``intake`` records of the materials handed over: keys and copies."""
            return {"materials": list(keys), "copies": {k: item.materials[k][2] for k in keys}}

        if proxy is not None:
            assert auth is not None
            add(
                A.CREATE_DRAFT,
                proxy,
                {"proxy": proxy.username, "authorization_no": auth[1], "form_data": form},
            )
            if target is S.DRAFT:
                return steps
            add(A.SUBMIT, proxy, {}, rng.randint(0, 2))
            if target is S.SUBMITTED:
                return steps
            add(A.RECEIVE, clerk, handed_over(received_keys), rng.randint(0, 3))
        else:
            add(A.RECEIVE, clerk, {**handed_over(received_keys), "form_data": form})
        if supplement:
            missing = [
                {"name": item.materials[k][0], "how": "请携带原件到窗口补正"} for k in omitted
            ]
            add(A.REQUEST_SUPPLEMENT, clerk, {"missing": missing})
            if target is S.AWAITING_SUPPLEMENT:
                return steps
            add(A.SUPPLEMENT, clerk, handed_over(omitted), rng.randint(1, 5))
        if target is S.RECEIVED:
            return steps
        if target in (S.REFUSED, S.WITHDRAWN) and (target is S.REFUSED or rng.random() < 0.5):
            key = "reasons" if target is S.REFUSED else "reason"
            action = A.REFUSE if target is S.REFUSED else A.WITHDRAW
            text: Any = [REASONS[action]] if target is S.REFUSED else REASONS[action]
            payload = {key: text}
            if target is S.REFUSED:
                payload["competent_organ"] = "户籍所在地乡镇人民政府"
            actor = proxy if proxy is not None and action is A.WITHDRAW else clerk
            add(action, actor, payload, 1)
            return steps

        if deficiency:
            add(A.ACCEPT_WITH_DEFICIENCY, clerk, {"pending_materials": list(omitted)})
        else:
            add(A.ACCEPT, clerk, {}, rng.randint(0, 1))
        if target is S.TERMINATED and deficiency:
            add(A.TERMINATE, approver, {"reason": "容缺材料逾期未补交"}, min(item.days, 5) + 1)
            return steps
        if target is S.ACCEPTED:
            return steps
        if deficiency:
            add(A.SUPPLY_DEFICIENT, clerk, {"materials": list(omitted)}, 1)
        if target is S.SUSPENDED and not item.review:
            add(A.SUSPEND, approver, _suspension(), rng.randint(1, 3))
            return steps
        if not item.review and not item.county:  # 即办 at the window
            if target in (S.WITHDRAWN, S.TERMINATED):
                actor = clerk if target is S.WITHDRAWN else approver
                action = A.WITHDRAW if target is S.WITHDRAWN else A.TERMINATE
                add(action, actor, {"reason": REASONS[action]})
                return steps
            add(A.DECIDE, clerk, self._decision("town", case_id))
            return self._delivery(steps, item, target, clerk, proxy, auth, form)
        if item.review:
            add(A.START_REVIEW, approver, {}, rng.randint(0, 2))
            review: list[Step] = []
            for n, step in enumerate(item.review):
                if n:
                    review.append(Step(A.NEXT_STEP, approver, {}, rng.randint(0, 1)))
                role = item.rules.step_role(step)
                actor = sup if role is Role.SUPERVISOR else approver
                review.append(Step(A.RECORD_OPINION, actor, {"opinion": OPINION, "agree": True}, 1))
            if target in (S.IN_REVIEW, S.SUSPENDED, S.WITHDRAWN, S.TERMINATED):
                steps.extend(review[: rng.randint(0, len(review))])
                if target is S.IN_REVIEW:
                    return steps
                action = {S.SUSPENDED: A.SUSPEND, S.WITHDRAWN: A.WITHDRAW}.get(target, A.TERMINATE)
                payload = _suspension() if action is A.SUSPEND else {"reason": REASONS[action]}
                if action is A.WITHDRAW:
                    actor = proxy if proxy is not None else clerk
                else:
                    actor = approver
                add(action, actor, payload, 2)
                return steps
            steps.extend(review)
            if rng.random() < 0.05:
                add(A.SUSPEND, approver, _suspension(), 1)
                add(A.RESUME, approver, {}, rng.randint(2, 6))
            if rng.random() < 0.03:
                add(A.EXTEND, sup, {"days": 10, "reason": "需补充征求相关部门意见"}, 1)
        elif target in (S.WITHDRAWN, S.TERMINATED):
            action = A.WITHDRAW if target is S.WITHDRAWN else A.TERMINATE
            add(action, clerk if action is A.WITHDRAW else approver, {"reason": REASONS[action]})
            return steps
        if not item.county:  # decided in the town by the last step's role
            role = item.rules.step_role(item.review[-1])
            add(
                A.DECIDE,
                sup if role is Role.SUPERVISOR else approver,
                self._decision("town", case_id),
            )
            return self._delivery(steps, item, target, clerk, proxy, auth, form)
        add(A.REPORT_TO_COUNTY, approver, {"note": "乡镇审查完毕，报县级审批"}, rng.randint(0, 2))
        if item.review and rng.random() < 0.04:
            add(A.COUNTY_RETURNED, approver, {"reason": "缺少证明材料复印件"}, rng.randint(3, 6))
            role = item.rules.step_role(item.review[-1])
            actor = sup if role is Role.SUPERVISOR else approver
            add(A.RECORD_OPINION, actor, {"opinion": OPINION, "agree": True}, 1)
            add(A.REPORT_TO_COUNTY, approver, {"note": "已补充，重新上报"}, 0)
        if target is S.WITH_COUNTY:
            return steps
        add(A.DECIDE, approver, self._decision("county", case_id), rng.randint(2, 8))
        return self._delivery(steps, item, target, clerk, proxy, auth, form)

    def _decision(self, by: str, case_id: int) -> dict[str, Any]:
        if self.rng.random() < 0.06:
            return {
                "result": "denied",
                "result_no": None,
                "reasons": ["经审查，申请人不符合规定条件。"],
                "decided_by": by,
            }
        return {
            "result": "approved",
            "result_no": f"JG-{case_id:08d}",
            "reasons": [],
            "decided_by": by,
        }

    def _delivery(
        self,
        steps: list[Step],
        item: ItemInfo,
        target: CaseState,
        clerk: Actor,
        proxy: Actor | None,
        auth: tuple[int, str] | None,
        form: dict[str, Any],
    ) -> list[Step]:
        rng = self.rng
        if target is S.DECIDED:
            return steps
        window = self.people.clerks[-1]
        steps.append(Step(A.MARK_READY, clerk, {}, rng.randint(0, 2)))
        if target is S.AWAITING_DELIVERY:
            return steps
        block = form[item.applicant_key]
        if proxy is not None and auth is not None and rng.random() < 0.6:
            payload = {
                "method": "proxy",
                "collector_name": proxy.display_name,
                "authorization_no": auth[1],
            }
        elif rng.random() < 0.2:
            payload = {
                "method": "mail",
                "tracking_no": f"EMS{rng.randrange(10**9, 10**10)}CN",
                "address": (block.get("address") or {}).get("detail") or "清河镇人民路1号",
            }
        else:
            collector = block.get("legal_representative") or block["name"]
            shown = masked(block.get("id_number") or id_number(rng))
            payload = {"method": "window", "collector_name": collector, "collector_id": shown}
        steps.append(Step(A.DELIVER, window, payload, rng.randint(1, 5)))
        if target is S.ARCHIVED:
            steps.append(Step(A.ARCHIVE, window, {}, rng.randint(0, 3)))
        return steps

    # times, checks and the fold

    def moments(self, received: dt.datetime, steps: Sequence[Step]) -> list[dt.datetime]:
        rng = self.rng
        moments = [received]
        for step in steps[1:]:
            previous = moments[-1]
            day = local_date(previous)
            if step.gap:
                next_day = min(self.cal.add_working_days(day, step.gap), self.last_day)
                if next_day > day:
                    start = dt.datetime.combine(next_day, dt.time(8, 30), CHINA_TZ)
                    moments.append(start + dt.timedelta(minutes=rng.randint(0, 480)))
                    continue
            moments.append(previous + dt.timedelta(minutes=rng.randint(2, 20)))
        return [m.astimezone(dt.UTC) for m in moments]

    def fold(
        self, item: ItemInfo, steps: Sequence[Step], moments: Sequence[dt.datetime]
    ) -> tuple[Projection, list[Done]]:
        """Check every step as the engine would (role, state, guards) and fold the projection."""
        proj = Projection()
        done: list[Done] = []
        for step, at in zip(steps, moments, strict=True):
            payload = step.payload
            if step.action is A.ACCEPT_WITH_DEFICIENCY:  # the due date depends on the day
                today = local_date(at)
                limit = guards.GuardContext(proj, item.rules, {}, step.actor, self.cal, today)
                due = self.cal.add_working_days(today, min(item.days, 5))
                due = min(due, limit.promised_due(today))
                payload = {**payload, "deficiency_due": due.isoformat(), "commitment": True}
                step.payload = payload
            row = transitions.find(step.action, proj.state, step.actor)
            guards.check(
                guards.GuardContext(
                    proj, item.rules, payload, step.actor, self.cal, local_date(at)
                ),
                step.action,
            )
            record = ActionRecord(step.action, at, step.actor.username, payload)
            before = proj.state
            proj = apply(proj, record, item.rules, self.cal)
            assert proj.state is not None
            role = ",".join(sorted(r.value for r in step.actor.roles & row.roles))
            done.append(
                Done(
                    record,
                    step,
                    role,
                    len(done) + 1,
                    before.value if before else None,
                    proj.state.value,
                )
            )
        return proj, done

    # the rows

    def make(self, case_id: int, received: dt.datetime, out: Chunk) -> None:
        """One case: its rows (encoded for the driver) and its actions into ``out``."""
        rng = self.rng
        received_day = local_date(received)
        target = self.target(received_day)
        proxy_filed = target in (S.DRAFT, S.SUBMITTED) or rng.random() < PROXY_SHARE
        deficiency = target in CLOCK_TARGETS | DECIDED_TARGETS | {S.TERMINATED} and (
            rng.random() < (0.5 if target is S.TERMINATED else 0.08)
        )
        item = self.pick_item(target, proxy=proxy_filed, deficiency=deficiency)
        supplement = not deficiency and (
            target is S.AWAITING_SUPPLEMENT
            or (target not in (S.DRAFT, S.SUBMITTED) and rng.random() < 0.06)
        )
        omitted: tuple[str, ...] = ()
        if deficiency:
            omitted = (rng.choice(item.deficient),)
        elif supplement:
            omitted = (rng.choice(item.required),)
        received_keys = [k for k in item.required if k not in omitted]
        received_keys += [k for k in item.optional if rng.random() < 0.2]

        form = dict(rng.choice(item.forms))
        block = self.applicant_block(item, form)
        form[item.applicant_key] = block
        clerk = self.people.clerks[rng.randrange(len(self.people.clerks))]
        # Every case brings one new applicant row (the intake use case does not look residents
        # up); a proxy filing's applicant is the resident of its new 代办委托书. Both get the
        # case's id as theirs, so parallel workers never need to agree on a counter.
        applicant_id = case_id
        out.applicants.append(_applicant_row(applicant_id, block, received))
        proxy = None
        auth: tuple[int, str] | None = None
        if proxy_filed:
            proxy = self.people.proxies[
                min(int(rng.expovariate(0.2)), len(self.people.proxies) - 1)
            ]
            number = f"WT-{proxy.workstation}-{received_day:%Y%m%d}-{case_id:05d}"
            auth = (case_id, number)
            out.authorizations.append(
                (
                    case_id,
                    number,
                    proxy.user_id,
                    applicant_id,
                    json.dumps([item.code]),
                    1,
                    received_day.isoformat(),
                    (received_day + dt.timedelta(days=365)).isoformat(),
                    received_day.isoformat(),
                    _ts(received),
                )
            )

        steps = self.steps(
            case_id,
            item,
            target,
            clerk=clerk,
            proxy=proxy,
            auth=auth,
            form=form,
            deficiency=deficiency,
            supplement=supplement,
            omitted=omitted,
            received_keys=received_keys,
        )
        moments = self.moments(received, steps)
        proj, done = self.fold(item, steps, moments)
        assert proj.state is target, (proj.state, target)

        creator = steps[0].actor
        key = (creator.workstation, received_day)
        serial = self.receipts[key] = self.receipts.get(key, 0) + 1
        receipt_no = (
            f"{demo.DEMO_TOWN_CODE}-{creator.workstation}-{received_day:%Y%m%d}-{serial:04d}"
        )
        official_no = None
        if proj.received_at is not None:  # the county numbered it when the receipt synced
            official_no = f"{COUNTY}-{received_day.year}-{case_id:07d}"
        p = projected_columns(proj, self.people)
        form_json = json.dumps(form)
        uid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        out.cases.append(
            (
                case_id,
                uid,
                receipt_no,
                official_no,
                item.id,
                item.category,
                item.template_id,
                applicant_id,
                p["proxy_user_id"],
                auth[0] if auth else None,
                p["assignee_id"],
                creator.workstation,
                p["state"],
                p["state_before_suspension"],
                p["current_step"],
                int(p["deficiency"]),
                _d(p["deficiency_due"]),
                p["result"],
                p["result_no"],
                form_json,
                _ts(p["received_at"]),
                _d(p["accepted_on"]),
                _d(p["due_date"]),
                int(p["due_provisional"]),
                p["extension_days"],
                _d(p["watchdog_due"]),
                _ts(moments[0]),
                _ts(moments[-1]),
                p["last_action_seq"],
            )
        )
        self._materials(out, case_id, item, done)
        case_ref = json.dumps(
            {
                "uid": uid,
                "receipt_no": receipt_no,
                "item_code": item.code,
                "item_version": item.content_hash,
                "template_key": item.template_key,
                "template_version": item.template_version,
            },
            ensure_ascii=False,
        )
        for entry in done:
            out.actions.append(
                self.action_rows(case_id, (uid, receipt_no, case_ref), entry, form_json)
            )

    def action_rows(
        self, case_id: int, case: tuple[str, str, str], entry: Done, form_json: str
    ) -> ActionRows:
        """The ``case_actions``, ``outbox`` and ``audit_log`` rows of one action, as the engine
        writes them, less what only the writer knows (ids, the audit chain's previous hash)."""
        record, actor = entry.record, entry.step.actor
        action = record.action.value
        at = record.occurred_at
        stamp = _ts(at)
        payload_json = payload_to_json(record.payload, form_json)
        acked = at < self.pending_from
        op_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        event = audit.case_event(action)
        before = "null" if entry.from_state is None else f'"{entry.from_state}"'
        detail_json = f'{{"from": {before}, "seq": {entry.seq}, "to": "{entry.to_state}"}}'
        uid, receipt_no, case_ref = case
        prefix, suffix = chain_text(
            at, actor.username, actor.workstation, event, receipt_no, detail_json
        )
        envelope = envelope_json(op_id, case_ref, entry, payload_json)
        return (
            at,
            case_id,
            entry.seq,
            (op_id, case_id, entry.seq, action, entry.from_state, entry.to_state, actor.username,
             entry.role, actor.workstation, stamp, stamp, payload_json),
            (op_id, uid, case_id, "case.action", envelope,
             "acked" if acked else "pending", 1 if acked else 0, stamp),
            (stamp, actor.username, actor.workstation, event, receipt_no, detail_json),
            prefix,
            suffix,
        )  # fmt: skip

    def _materials(self, out: Chunk, case_id: int, item: ItemInfo, done: Sequence[Done]) -> None:
        """The materials_received rows as the use cases leave them after the whole path."""
        rows: dict[str, tuple[Any, ...]] = {}
        for entry in done:
            record = entry.record
            action, payload = record.action, record.payload
            if action in (A.RECEIVE, A.SUPPLEMENT, A.SUPPLY_DEFICIENT):
                for key in payload["materials"]:
                    name, form, copies = item.materials[key]
                    due_on = rows[key][7] if key in rows else None
                    rows[key] = (
                        case_id,
                        key,
                        name,
                        form,
                        copies,
                        _ts(record.occurred_at),
                        0,
                        due_on,
                    )
            elif action is A.ACCEPT_WITH_DEFICIENCY:
                for key in payload["pending_materials"]:
                    name, form, copies = item.materials[key]
                    rows[key] = (
                        case_id,
                        key,
                        name,
                        form,
                        copies,
                        None,
                        1,
                        payload["deficiency_due"],
                    )
        out.materials.extend(rows.values())


def payload_to_json(payload: Mapping[str, Any], form_json: str) -> str:
    """``json.dumps(payload)``, reusing the form's JSON when the payload carries the form data
    (always as its last key, as the intake use cases build it)."""
    if "form_data" not in payload:
        return json.dumps(payload)
    rest = json.dumps({k: v for k, v in payload.items() if k != "form_data"})
    return (
        f'{rest[:-1]}, "form_data": {form_json}}}'
        if rest != "{}"
        else f'{{"form_data": {form_json}}}'
    )


def envelope_json(op_id: str, case_ref: str, entry: Done, payload_json: str) -> str:
    """``json.dumps`` of the envelope ``engine.perform`` puts in the outbox (``CaseActionEnvelope``
    dumped as JSON), reusing the action's JSON; the smoke test parses every one with the model."""
    actor = entry.step.actor
    before = "null" if entry.from_state is None else f'"{entry.from_state}"'
    occurred = entry.record.occurred_at.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
    return (
        f'{{"envelope_version": {ENVELOPE_VERSION}, "op_id": "{op_id}", "kind": "case.action", '
        f'"key": {json.dumps(json.loads(case_ref)["uid"])}, "occurred_at": "{occurred}Z", '
        f'"actor": {{"username": "{actor.username}", "role": "{entry.role}"}}, '
        f'"workstation": "{actor.workstation}", "centre": "{demo.DEMO_TOWN_CODE}", '
        f'"payload": {payload_json}, "case": {case_ref}, "base_seq": {entry.seq - 1}, '
        f'"seq": {entry.seq}, "action": "{entry.record.action.value}", '
        f'"from_state": {before}, "to_state": "{entry.to_state}"}}'
    )


def _suspension() -> dict[str, Any]:
    return {"reason": "需组织现场踏勘与四邻听证", "expected_days": 5, "kind": "special_procedure"}


def _ts(moment: dt.datetime | None) -> str | None:
    """A UTC moment as ``UTCDateTime`` stores it in SQLite (naive UTC, microseconds)."""
    if moment is None:
        return None
    u = moment.astimezone(dt.UTC)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d} "
        f"{u.hour:02d}:{u.minute:02d}:{u.second:02d}.{u.microsecond:06d}"
    )


def _d(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _applicant_row(applicant_id: int, block: Mapping[str, Any], at: dt.datetime) -> tuple[Any, ...]:
    """The ``applicants`` row the intake use case makes from the form's applicant block."""
    addr = block.get("address") or {}
    return (
        applicant_id,
        "legal" if block["kind"] == "legal_person" else "natural",
        block["name"],
        block.get("id_number"),
        block.get("uscc"),
        block.get("legal_representative"),
        block.get("phone"),
        addr.get("detail"),
        addr.get("division_code"),
        _ts(at),
    )


def projected_columns(p: Projection, people: People) -> dict[str, Any]:
    """The ``cases`` columns ``engine.perform`` writes from a projection (``write_projection``)."""
    assert p.state is not None
    return {
        "state": p.state.value,
        "state_before_suspension": (
            p.state_before_suspension.value if p.state_before_suspension else None
        ),
        "current_step": p.current_step,
        "deficiency": p.deficiency,
        "deficiency_due": p.deficiency_due,
        "received_at": p.received_at,
        "watchdog_due": p.watchdog_due,
        "accepted_on": p.accepted_on,
        "due_date": p.due_date,
        "due_provisional": p.due_provisional,
        "extension_days": p.extension_days,
        "result": p.result,
        "result_no": p.result_no,
        "assignee_id": people.user_id(p.assignee),
        "last_action_seq": p.last_seq,
        "proxy_user_id": people.user_id(p.proxy),
    }


# --- generating in parallel -----------------------------------------------------------------------


# (moment, case id, seq, case_actions row less id, outbox row less id and action id, audit row
# less id and hashes, canonical text of the audit entry before and after its previous hash)
ActionRows = tuple[
    dt.datetime,
    int,
    int,
    tuple[Any, ...],
    tuple[Any, ...],
    tuple[Any, ...],
    str,
    str,
]


def chain_text(
    at: dt.datetime, actor: str, workstation: str, event: str, subject: str, detail_json: str
) -> tuple[str, str]:
    """The canonical JSON ``audit.entry_hash`` hashes (sorted keys, no spaces), split where the
    previous hash goes, so the writer only joins and hashes. The values here are plain ASCII
    codes and numbers; the writer checks its first entries against ``audit.entry_hash`` itself,
    and ``audit.verify`` re-checks every entry with the real code (the smoke test does)."""
    detail = detail_json.replace(": ", ":").replace(", ", ",")
    occurred = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return (
        f'{{"actor":"{actor}","detail":{detail},"event":"{event}",'
        f'"occurred_at":"{occurred}","prev_hash":"',
        f'","subject":"{subject}","workstation":"{workstation}"}}',
    )


@dataclass
class Chunk:
    """Encoded rows of a run of whole days of cases (so receipt serials need no coordination)."""

    applicants: list[tuple[Any, ...]] = field(default_factory=list)
    authorizations: list[tuple[Any, ...]] = field(default_factory=list)
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    materials: list[tuple[Any, ...]] = field(default_factory=list)
    actions: list[ActionRows] = field(default_factory=list)
    last_receipt: dt.datetime | None = None


@dataclass(frozen=True)
class World:
    """What every worker needs: the catalogue, the people, the calendar, today, the seed."""

    items: list[ItemInfo]
    people: People
    calendar: FastCalendar
    today: dt.date
    pending_from: dt.datetime  # actions from then on are not yet acknowledged by the county
    seed: int


_world: World | None = None


def _init_worker(world: World) -> None:
    global _world
    _world = world


def generate(job: tuple[int, list[tuple[int, dt.datetime]]]) -> Chunk:
    """Make the cases of one chunk (runs in a worker process, or inline)."""
    index, receipts = job
    assert _world is not None
    rng = random.Random(f"{_world.seed}/{index}")
    factory = CaseFactory(
        rng, _world.calendar, _world.items, _world.people, _world.today, _world.pending_from
    )
    chunk = Chunk()
    for case_id, received in receipts:
        factory.make(case_id, received, chunk)
    chunk.last_receipt = receipts[-1][1] if receipts else None
    return chunk


# --- writing --------------------------------------------------------------------------------------


def insert_sql(table: Table, columns: Sequence[str], dialect: Any) -> str:
    """``INSERT INTO table (…) VALUES (?, …)``, compiled by SQLAlchemy Core for the dialect."""
    return str(insert(table).compile(dialect=dialect, column_keys=list(columns)))


COLUMNS: dict[str, tuple[str, ...]] = {
    "applicants": (
        "id", "kind", "name", "id_number", "uscc", "legal_representative", "phone", "address",
        "division_code", "created_at",
    ),
    "proxy_authorizations": (
        "id", "authorization_no", "proxy_user_id", "applicant_id", "matters", "may_collect",
        "valid_from", "valid_until", "signed_on", "created_at",
    ),
    "cases": (
        "id", "uid", "receipt_no", "official_no", "item_id", "category", "template_id",
        "applicant_id", "proxy_user_id", "authorization_id", "assignee_id", "workstation", "state",
        "state_before_suspension", "current_step", "deficiency", "deficiency_due", "result",
        "result_no", "form_data", "received_at", "accepted_on", "due_date", "due_provisional",
        "extension_days", "watchdog_due", "created_at", "updated_at", "last_action_seq",
    ),
    "materials_received": (
        "case_id", "material_key", "name", "form", "copies", "received_at", "pending", "due_on",
    ),
    "case_actions": (
        "id", "op_id", "case_id", "seq", "action", "from_state", "to_state", "actor", "actor_role",
        "workstation", "occurred_at", "recorded_at", "payload",
    ),
    "outbox": (
        "id", "op_id", "key", "case_id", "action_id", "kind", "payload", "status", "attempts",
        "created_at",
    ),
    "audit_log": (
        "id", "occurred_at", "actor", "workstation", "event", "subject", "detail", "prev_hash",
        "entry_hash",
    ),
}  # fmt: skip
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Applicant.__table__,
        ProxyAuthorization.__table__,
        Case.__table__,
        MaterialReceived.__table__,
        CaseAction.__table__,
        OutboxEntry.__table__,
        AuditEntry.__table__,
    )
    if isinstance(t, Table)
}


class Writer:
    """Inserts chunks; actions go out in time order, each with its outbox row and audit entry."""

    CHECK_FIRST = 1000  # audit entries whose hash is also computed by audit.entry_hash itself

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sql = {
            name: insert_sql(TABLES[name], columns, conn.dialect)
            for name, columns in COLUMNS.items()
        }
        self.heap: list[ActionRows] = []
        last = conn.execute(
            select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        self.audit_id, self.prev_hash = (last[0], last[1]) if last else (0, audit.GENESIS_HASH)
        self.action_id = conn.scalar(select(func.max(CaseAction.id))) or 0
        self.actions_written = 0

    def write_chunk(self, chunk: Chunk) -> None:
        self._insert("applicants", chunk.applicants)
        self._insert("proxy_authorizations", chunk.authorizations)
        self._insert("cases", chunk.cases)
        self._insert("materials_received", chunk.materials)
        for action in chunk.actions:
            heapq.heappush(self.heap, action)
        if chunk.last_receipt is not None:
            # Later chunks' actions all happen after their receipts, i.e. after this moment.
            self.flush_actions(chunk.last_receipt)

    def flush_actions(self, before: dt.datetime | None) -> None:
        """Write the actions that happened before ``before`` (all of them when None)."""
        actions: list[tuple[Any, ...]] = []
        outbox: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        heap, sha256 = self.heap, hashlib.sha256
        while heap and (before is None or heap[0][0] < before):
            at, _, _, action_row, outbox_row, audit_row, prefix, suffix = heapq.heappop(heap)
            self.action_id += 1
            self.audit_id += 1
            action_id, prev = self.action_id, self.prev_hash
            entry_hash = sha256(f"{prefix}{prev}{suffix}".encode()).hexdigest()
            if self.audit_id <= self.CHECK_FIRST:
                self._check(at, audit_row, prev, entry_hash)
            actions.append((action_id, *action_row))
            outbox.append((action_id, *outbox_row[:3], action_id, *outbox_row[3:]))
            entries.append((self.audit_id, *audit_row, prev, entry_hash))
            self.prev_hash = entry_hash
        self._insert("case_actions", actions)
        self._insert("outbox", outbox)
        self._insert("audit_log", entries)
        self.actions_written += len(actions)

    @staticmethod
    def _check(at: dt.datetime, row: tuple[Any, ...], prev: str, entry_hash: str) -> None:
        _, actor, workstation, event, subject, detail_json = row
        expected = audit.entry_hash(
            occurred_at=at,
            actor=actor,
            workstation=workstation,
            event=event,
            subject=subject,
            detail=json.loads(detail_json),
            prev_hash=prev,
        )
        assert entry_hash == expected, "the audit chain text differs from audit.entry_hash's"

    def _insert(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.exec_driver_sql(self.sql[name], rows)


# --- building -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    cases: int
    actions: int
    seconds: float
    file_bytes: int


def store_paths(out: Path) -> tuple[Path, Path]:
    return out / STORE_DIR_NAME, out / KEY_FILE_NAME


def open_bench_store(out: Path) -> Store:
    data_dir, key_file = store_paths(out)
    return open_store(data_dir, key_file)


def jobs(
    n: int,
    first_id: int,
    cal: WorkCalendar,
    first: dt.date,
    last: dt.date,
    rng: random.Random,
) -> Iterator[tuple[int, list[tuple[int, dt.datetime]]]]:
    """``n`` receipt moments spread evenly over the working days from ``first`` to ``last``, in
    chunks of whole days of about ``CHUNK_CASES`` cases."""
    days: list[dt.date] = []
    day = cal.working_day_on_or_after(first)
    while day <= last:
        days.append(day)
        day = cal.next_working_day(day)
    per_day = n / len(days)
    made = 0
    chunk: list[tuple[int, dt.datetime]] = []
    index = 0
    for number, day in enumerate(days):
        until = round((number + 1) * per_day)
        start = dt.datetime.combine(day, dt.time(8, 30), CHINA_TZ)
        for offset in sorted(rng.randrange(480 * 60) for _ in range(until - made)):
            chunk.append(
                (
                    first_id + len(chunk) + index,
                    (start + dt.timedelta(seconds=offset)).astimezone(dt.UTC),
                )
            )
        made = until
        if len(chunk) >= CHUNK_CASES:
            yield index, chunk
            index += len(chunk)
            chunk = []
    if chunk:
        yield index, chunk


def build(
    out: Path,
    cases: int,
    *,
    seed: int = 1,
    workers: int = 2,
    cache_mib: int = 2048,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = log,
    people_of: Callable[[Store], People] | None = None,
    all_pending: bool = False,
) -> BuildResult:
    """``people_of``: who works at the centre (default: ``make_people``, a big centre's staff);
    ``all_pending``: every outbox row still waiting for the county (default: acknowledged but
    the last working day's)."""
    data_dir, _ = store_paths(out)
    if data_dir.exists():
        raise SystemExit(f"{data_dir} exists: delete it to rebuild, or use --reuse to query it")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = random.Random(seed)
    store = open_bench_store(out)
    try:
        demo.prepare_demo(store)
        people = (people_of or make_people)(store)
        items = load_items(store, rng)
        with store.session() as session:
            cal = FastCalendar(work_calendar(session))
            first_id = (session.scalar(select(func.max(Case.id))) or 0) + 1
            if session.scalar(select(func.max(Applicant.id))):
                raise SystemExit("the benchmark builds into a store without applicants")
        today = local_date(now or dt.datetime.now(dt.UTC))
        last_day = previous_working_day(cal, today)
        years = min(10.0, max(1.0, cases / 100_000))
        first = today - dt.timedelta(days=round(365 * years))
        pending_from = dt.datetime.combine(last_day, dt.time(0), CHINA_TZ)
        if all_pending:
            pending_from = dt.datetime.combine(first, dt.time(0), CHINA_TZ)
        world = World(items, people, cal, today, pending_from, seed)
        work = jobs(cases, first_id, cal, first, last_day, rng)
        with contextlib.ExitStack() as stack:
            if workers > 0:
                pool = stack.enter_context(
                    multiprocessing.get_context().Pool(workers, _init_worker, (world,))
                )
                chunks: Iterator[Chunk] = bounded_map(pool, work, ahead=2 * workers)
            else:
                _init_worker(world)
                chunks = map(generate, work)
            conn = stack.enter_context(store.engine.connect())
            raw = conn.connection.dbapi_connection  # before SQLAlchemy begins a transaction
            assert raw is not None
            raw.execute(f"PRAGMA cache_size = -{cache_mib * 1024}")
            # A bulk build that can simply be run again: no fsync per commit, no journal, and
            # the secondary indexes made once at the end (sorted) instead of row by row.
            raw.execute("PRAGMA synchronous = OFF")
            dropped = drop_secondary_indexes(raw) if FAST_LOAD else []
            if FAST_LOAD:
                raw.execute("PRAGMA journal_mode = OFF").fetchall()
            writer = Writer(conn)
            made = 0
            next_report = REPORT_EVERY
            for chunk in chunks:  # each execute() autobegins; one commit per chunk
                writer.write_chunk(chunk)
                conn.commit()
                made += len(chunk.cases)
                if made >= next_report:
                    next_report += REPORT_EVERY
                    elapsed = time.perf_counter() - started
                    progress(
                        f"  {made:>9,} cases  {writer.actions_written:>10,} actions  "
                        f"{elapsed:7.1f} s"
                    )
            writer.flush_actions(None)
            conn.commit()
            # Outside any transaction (the engine wraps every SQLAlchemy one in BEGIN).
            if dropped:
                progress(f"  recreating {len(dropped)} indexes …")
                for ddl in dropped:
                    raw.execute(ddl)
            if FAST_LOAD:  # written straight into the file: nothing to checkpoint
                raw.execute("PRAGMA journal_mode = WAL").fetchall()
            else:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        seconds = time.perf_counter() - started
    finally:
        store.close()
    size = sum(p.stat().st_size for p in data_dir.iterdir() if p.is_file())
    return BuildResult(made, writer.actions_written, seconds, size)


FAST_LOAD = True  # False: load with every index live and the WAL journal (slower; same result)
BULK_TABLES = tuple(COLUMNS)


def bounded_map(
    pool: multiprocessing.pool.Pool,
    jobs: Iterator[tuple[int, list[tuple[int, dt.datetime]]]],
    *,
    ahead: int,
) -> Iterator[Chunk]:
    """``pool.imap(generate, jobs)`` with at most ``ahead`` chunks waiting: the writer is the
    slower side, and unbounded results would pile up in memory."""
    waiting: collections.deque[multiprocessing.pool.AsyncResult[Chunk]] = collections.deque()
    for job in jobs:
        waiting.append(pool.apply_async(generate, (job,)))
        if len(waiting) >= ahead:
            yield waiting.popleft().get()
    while waiting:
        yield waiting.popleft().get()


def drop_secondary_indexes(raw: Any) -> list[str]:
    """Drop the named (``CREATE INDEX``) indexes of the bulk tables; returns their DDL, to run
    again after the load. UNIQUE constraints stay: SQLite cannot drop them, and they check."""
    marks = ",".join("?" for _ in BULK_TABLES)
    rows = raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        BULK_TABLES,
    ).fetchall()
    for name, _ in rows:
        raw.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def previous_working_day(cal: WorkCalendar, day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


# --- command line ---------------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """Peak resident set size of this process, in MiB.

    Linux: ``VmHWM`` (reset by exec, unlike ``ru_maxrss``, which a child inherits from the
    process that started it); elsewhere ``ru_maxrss``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def children_peak_rss_mib() -> float:
    """The largest peak RSS of the finished worker processes, in MiB (Linux: KiB units)."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.build_store",
        description="Build a store of N cases and time the real case queries on it.",
    )
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="default 1,000,000")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default benchmarks/out/")
    parser.add_argument("--reuse", action="store_true", help="query the store already in --out")
    parser.add_argument("--probes", type=int, default=200, help="probes per query (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes generating cases (0: none, generate inline)",
    )
    parser.add_argument(
        "--try-index",
        action="append",
        default=[],
        metavar="DDL",
        help="after measuring, create this index ad hoc ('CREATE INDEX ix_bench_… ON …'), "
        "measure again, drop it (repeatable)",
    )
    parser.add_argument(
        "--build-cache-mib",
        type=int,
        default=2048,
        help="SQLite page cache while building (default 2048; the audit chain's and the outbox's "
        "random unique keys make a small cache slow)",
    )
    parser.add_argument("--build-only", action="store_true", help="build, do not query")
    parser.add_argument("--only", help="query only the probes whose name contains this text")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    figures: dict[str, Any] = {}
    if not args.reuse:
        log(f"building {args.cases:,} cases in {store_paths(args.out)[0]} ({args.workers} workers)")
        result = build(
            args.out,
            args.cases,
            seed=args.seed,
            workers=args.workers,
            cache_mib=args.build_cache_mib,
        )
        figures["build"] = {
            "cases": result.cases,
            "actions": result.actions,
            "seconds": round(result.seconds, 1),
            "file_mib": round(result.file_bytes / 2**20, 1),
            "peak_rss_mib": round(peak_rss_mib(), 1),
            "worker_peak_rss_mib": round(children_peak_rss_mib(), 1),
        }
        log(
            f"build: {result.cases:,} cases, {result.actions:,} actions in {result.seconds:.1f} s; "
            f"store {result.file_bytes / 2**20:,.1f} MiB on disk; peak RSS {peak_rss_mib():.0f} "
            f"MiB (largest worker {children_peak_rss_mib():.0f} MiB)"
        )
        _write_json(args.json, figures)
        if args.build_only:
            return 0
        # The queries run in a fresh process, so its peak memory is the querying app's alone.
        command = [
            sys.executable,
            "-m",
            "benchmarks.build_store",
            "--reuse",
            "--out",
            str(args.out),
        ]
        command += ["--probes", str(args.probes), "--seed", str(args.seed)]
        for ddl in args.try_index:
            command += ["--try-index", ddl]
        if args.json:
            command += ["--json", str(args.json.with_suffix(".queries.json"))]
        root = Path(__file__).resolve().parent.parent
        return subprocess.call(command, cwd=root)

    from benchmarks import queries

    store = open_bench_store(args.out)
    try:
        with store.session() as session:
            figures["store"] = queries.store_figures(session, store)
        log(queries.describe_store(figures["store"]))
        figures["queries"] = queries.run_all(
            store, probes=args.probes, seed=args.seed, out=log, only=args.only
        )
        figures["peak_rss_mib"] = round(peak_rss_mib(), 1)
        log(f"query process peak RSS: {figures['peak_rss_mib']:.0f} MiB")
        if args.try_index:
            figures["with_indexes"] = queries.try_indexes(
                store, args.try_index, probes=args.probes, seed=args.seed, out=log, only=args.only
            )
    finally:
        store.close()
    return _write_json(args.json, figures)


def _write_json(path: Path | None, figures: Mapping[str, Any]) -> int:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
