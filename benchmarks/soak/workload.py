"""Random legal work at the centre's workstations, through the real use cases: walk-ins at the
window, and on any case a workstation holds, a move its state allows by one of the people who
work there (with a well-formed payload). A move the guards refuse is simply not made (nothing is
written); the county's own decisions on cases reported to it come from ``county_decides``."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import select

from app.actor import Role
from app.cases import decisions, intake
from app.catalog.loader import bundled_catalog
from app.demo.forms import sample_form_data
from app.errors import AppError
from app.validators import id_check_digit
from app.workflow.states import TERMINAL_STATES, Action, CaseState
from app.workflow.transitions import TRANSITIONS
from benchmarks.soak.world import Workstation, World
from county.decisions import county_decision
from county.store.models import CountyCase
from db.models import Case, Item

CATALOG = bundled_catalog()
BY_USE_CASE = frozenset({Action.CREATE_DRAFT, Action.SUBMIT, Action.RECEIVE})  # not by ``act``
RARE = frozenset(
    {Action.REFUSE, Action.WITHDRAW, Action.TERMINATE, Action.REASSIGN, Action.REQUEST_SUPPLEMENT}
)
ITEMS = sorted(i.name for i in CATALOG.items)


def walk_in(station: Workstation, rng: random.Random) -> str | None:
    """A resident at the window with everything the item needs; the receipt number."""
    clerks = [p for p in station.people if Role.CLERK in station.centre.actor(p).roles]
    if not clerks:
        return None
    name = rng.choice(ITEMS)
    item = next(i for i in CATALOG.items if i.name == name)
    change = intake.receive_walk_in(
        station.centre.ctx,
        station.centre.actor(rng.choice(clerks)),
        station.centre.item_id(name),
        sample_form_data(CATALOG.template_for(item), station.centre.rng),
        [intake.MaterialIn(m.id) for m in item.materials if m.required],
    )
    return f"{station.code} walk-in {name} (case {change.case_id})"


def proxy_files(station: Workstation, rng: random.Random) -> str | None:
    """At a proxy's laptop: a resident's 代办委托书 registered, and a filing under it submitted."""
    if Role.PROXY not in station.centre.actor(station.people[0]).roles:
        return None
    proxy = station.centre.actor(station.people[0])
    name = rng.choice(ITEMS)
    item = next(i for i in CATALOG.items if i.name == name)
    first17 = f"511899{rng.randint(1940, 1990)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 += f"{rng.randint(0, 999):03d}"
    resident = {"name": "赵桂兰", "id_number": first17 + id_check_digit(first17)}
    resident["phone"] = f"138{rng.randint(0, 99_999_999):08d}"
    ctx = station.centre.ctx
    registered = intake.register_authorization(
        ctx, proxy, resident, [item.code], dt.date(2026, 12, 31)
    )
    form = sample_form_data(CATALOG.template_for(item), station.centre.rng)
    try:
        filed = intake.create_proxy_draft(
            ctx, proxy, station.centre.item_id(name), form, registered.authorization_id, submit=True
        )
    except AppError:  # (an item for organisations, say): the authorization alone goes up
        return f"{station.code} proxy registers an authorization for {name}"
    return f"{station.code} proxy files {name} (case {filed.case_id})"


def pick_up(station: Workstation, rng: random.Random) -> str | None:
    """At the window: a proxy's submitted filing received with its paper materials (收件)."""
    clerks = [p for p in station.people if Role.CLERK in station.centre.actor(p).roles]
    with station.store.reader() as session:
        submitted = session.execute(
            select(Case.id, Item.code)
            .join(Item, Item.id == Case.item_id)
            .where(Case.state == CaseState.SUBMITTED.value)
        ).all()
    if not clerks or not submitted:
        return None
    case_id, code = rng.choice(submitted)
    item = next(i for i in CATALOG.items if i.code == code)
    try:
        intake.receive_submitted(
            station.centre.ctx,
            station.centre.actor(rng.choice(clerks)),
            case_id,
            [intake.MaterialIn(m.id) for m in item.materials if m.required],
        )
    except AppError:
        return None
    return f"{station.code} receives the proxy's filing (case {case_id})"


def move(station: Workstation, rng: random.Random) -> str | None:
    """One legal move on a case ``station`` holds, if the guards allow it; what was done."""
    with station.store.reader() as session:
        final = [s.value for s in TERMINAL_STATES]
        cases = session.execute(
            select(Case.id, Case.state, Item.code)
            .join(Item, Item.id == Case.item_id)
            .where(Case.state.not_in(final))
        ).all()
    if not cases:
        return None
    case_id, state_value, item_code = rng.choice(cases)
    state = CaseState(state_value)
    roles = {p: station.centre.actor(p).roles for p in station.people}
    moves = [
        (t.action, person)
        for t in TRANSITIONS
        if state in t.sources and t.action not in BY_USE_CASE
        for person, theirs in roles.items()
        if t.roles & theirs
    ]
    if not moves:
        return None
    common = [m for m in moves if m[0] not in RARE]
    action, person = rng.choice(common if common and rng.random() < 0.9 else moves)
    payload = _payload(action, item_code, rng)
    try:
        decisions.act(station.centre.ctx, station.centre.actor(person), case_id, action, payload)
    except AppError:
        return None  # refused before anything was written
    return f"{station.code} {person} {action.value} case {case_id}"


def county_decides(world: World, rng: random.Random) -> tuple[str, str, int] | None:
    """The county decides (or returns) a case reported to it: (op_id, case uid, county seq)."""
    store = world.county_store()
    try:
        with store.sessions() as session, session.begin():
            reported = session.scalars(
                select(CountyCase).where(CountyCase.state == CaseState.WITH_COUNTY.value)
            ).all()
            if not reported:
                return None
            case = rng.choice(reported)
            uid = case.uid
            how = rng.choice((True, True, False, None))
            answer = county_decision(
                session,
                case.official_no or case.receipt_no,
                approve=how,
                opinion="经审查，符合规定" if how is not False else "材料不符合规定",
                result_no="示县〔2026〕1号" if how else "",
                by="county-staff",
                calendar=world.stations["W01"].centre.ctx.calendar,
                now=world.stations["W01"].centre.clock(),
            )
    finally:
        store.close()
    if answer.outcome != "applied" or answer.county_seq is None:
        return None
    return answer.op_id, uid, answer.county_seq


def _payload(action: Action, item_code: str, rng: random.Random) -> dict[str, Any]:
    item = next(i for i in CATALOG.items if i.code == item_code)
    allowed = [m.id for m in item.materials if m.deficiency_allowed]
    reason = "按规定办理"
    if action is Action.ACCEPT_WITH_DEFICIENCY:
        return {
            "pending_materials": [rng.choice(allowed or ["application"])],
            "deficiency_due": (
                dt.date(2026, 3, 10) + dt.timedelta(days=rng.randint(0, 20))
            ).isoformat(),
            "commitment": True,
        }
    if action is Action.SUPPLEMENT:
        return {"materials": [m.id for m in item.materials if m.required]}
    if action is Action.SUPPLY_DEFICIENT:
        return {"materials": [rng.choice(allowed or ["photo"])]}
    if action is Action.REQUEST_SUPPLEMENT:
        return {"missing": [{"name": "户口簿复印件"}]}
    if action is Action.REFUSE:
        return {"reasons": [reason]}
    if action is Action.RECORD_OPINION:
        return {"opinion": reason}
    if action is Action.DECIDE:
        return {"result": rng.choice(["approved", "denied"]), "reasons": [reason],
                "result_no": "R-1"}  # fmt: skip
    if action is Action.DELIVER:
        return {"method": "window", "collector_name": "本人", "tracking_no": "",
                "address": "", "authorization_no": ""}  # fmt: skip
    if action is Action.SUSPEND:
        return {"reason": reason, "expected_days": rng.choice([3, 10])}
    if action is Action.EXTEND:
        return {"days": rng.choice([5, 10]), "reason": reason}
    if action is Action.REASSIGN:
        return {"assignee": "approver2"}
    return {"reason": reason, "note": reason}
