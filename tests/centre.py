"""A centre with the bundled catalogue, one user per role, and a clock the test moves.

Shared by the use-case tests and the desk tests (their conftests import the fixture)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app import settings
from app.actor import Actor, Role
from app.cases import intake
from app.cases.changes import CaseChange
from app.cases.context import CaseContext
from app.catalog.loader import bundled_catalog
from app.catalog.schema import FormTemplate
from app.catalog.service import install_catalog
from app.demo.forms import sample_form_data
from app.workcalendar import default_calendar
from db.models import Item, User, UserRole
from db.store import Store

TOWN = "511899101000"


class Clock:
    """Local (China) office hours on a chosen day; ``advance`` moves it on."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, days: int = 0, hours: int = 0) -> None:
        self.now += dt.timedelta(days=days, hours=hours)

    def set_local(self, day: dt.date, hour: int = 10) -> None:
        cst = dt.timezone(dt.timedelta(hours=8))
        self.now = dt.datetime.combine(day, dt.time(hour), cst).astimezone(dt.UTC)


@dataclass
class Centre:
    store: Store
    ctx: CaseContext
    clock: Clock
    actors: dict[str, Actor]
    rng: random.Random

    def actor(self, name: str) -> Actor:
        return self.actors[name]

    def item_id(self, name: str) -> int:
        with self.store.session() as session:
            return session.scalars(select(Item.id).where(Item.name == name, Item.active)).one()

    def template(self, item_name: str) -> FormTemplate:
        catalog = bundled_catalog()
        item = next(i for i in catalog.items if i.name == item_name)
        return catalog.template_for(item)

    def required_materials(self, item_name: str) -> list[str]:
        item = next(i for i in bundled_catalog().items if i.name == item_name)
        return [m.id for m in item.materials if m.required]

    def walk_in(
        self, item_name: str, *, materials: list[str] | None = None, clerk: str = "clerk"
    ) -> CaseChange:
        keys = self.required_materials(item_name) if materials is None else materials
        return intake.receive_walk_in(
            self.ctx,
            self.actor(clerk),
            self.item_id(item_name),
            sample_form_data(self.template(item_name), self.rng),
            [intake.MaterialIn(k) for k in keys],
        )


USERS = {
    "clerk": (Role.CLERK,),
    "clerk2": (Role.CLERK,),
    "approver": (Role.APPROVER,),
    "approver2": (Role.APPROVER,),
    "supervisor": (Role.SUPERVISOR,),
    "proxy": (Role.PROXY,),
    "proxy2": (Role.PROXY,),
    "admin": (Role.ADMIN,),
    "auditor": (Role.AUDITOR,),
}


def make_centre(store: Store, workstation: str = "W01") -> Centre:
    """A workstation store of the test centre: the bundled catalogue, one user per role, the
    clock on Mon 2 March 2026, 10:00."""
    actors: dict[str, Actor] = {}
    with store.session() as session, session.begin():
        install_catalog(session, bundled_catalog(), loaded_by="test")
        settings.TOWN_CODE.set(session, TOWN)
        settings.WORKSTATION_CODE.set(session, workstation)
        for name, roles in USERS.items():
            user = User(username=name, display_name=name, password_hash="x")
            session.add(user)
            session.flush()
            for role in roles:
                session.add(UserRole(user_id=user.id, role_code=role.value))
            actors[name] = Actor(user.id, name, name, frozenset(roles), workstation)
    clock = Clock(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))  # Mon 2026-03-02 10:00 CST
    calendar = default_calendar()
    ctx = CaseContext(store.session, store.reader, calendar, clock)
    return Centre(store, ctx, clock, actors, random.Random(7))


@pytest.fixture
def centre(store: Store) -> Iterator[Centre]:
    yield make_centre(store)
