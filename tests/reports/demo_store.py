"""A seeded demo centre (cases in every state over ~60 days, ratings and 差评) for the dashboard's
tests: the figures, the cases behind them and the desk's screenshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.accounts import passwords
from app.actor import Actor, Role
from app.demo import centre as demo
from app.demo.seed import seed_demo_centre
from app.settings.calendar import work_calendar
from app.workcalendar import WorkCalendar
from app.workflow.fold import local_date
from db.models import User, UserRole
from db.store import Store, open_store

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # Mon 23 Nov 2026, 10:00 China time
TODAY = local_date(NOW)


def seeded_demo(data_dir: Path, cases: int, seed: int = 12) -> Store:
    with pytest.MonkeyPatch.context() as patch:  # demo users are Argon2 accounts: hash quickly
        patch.setattr(
            passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        store = open_store(data_dir, demo.demo_key_file(data_dir))
        seed_demo_centre(store, cases=cases, seed=seed, now=NOW)
    return store


def demo_store(factory: pytest.TempPathFactory, cases: int = 120) -> Iterator[Store]:
    store = seeded_demo(factory.mktemp("demo"), cases)
    yield store
    store.close()


def actor_of(store: Store, username: str) -> Actor:
    with store.reader() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        roles = frozenset(
            Role(r)
            for r in session.scalars(select(UserRole.role_code).where(UserRole.user_id == user.id))
        )
        return Actor(user.id, user.username, user.display_name, roles, "W01")


def calendar_of(store: Store) -> WorkCalendar:
    with store.reader() as session:
        return work_calendar(session)
