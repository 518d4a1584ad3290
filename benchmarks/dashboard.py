"""Timing the 统计看板's reads on a big store: p50 / p95.

One dashboard read (``app.reports.dashboard.dashboard``: the supervisor's figures per window,
per person and per item and the trend; an approver's own person row and trend) for a month and
for a year, and the first page of the cases behind each figure of the centre (a click on a tile).
Each probe is one unit of work as the desk does it: a new reader Session. The store is the one
``benchmarks/build_store.py`` builds (``--out``).

    .venv/bin/python -m benchmarks.dashboard --out /work/bench1m --probes 10
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.reports.behind import BEHIND_FIGURES, cases_behind
from app.reports.dashboard import dashboard
from app.reports.figures import Grouping
from app.reports.period import Period
from app.settings.calendar import work_calendar
from app.workflow.fold import local_date
from benchmarks.build_store import DEFAULT_OUT, open_bench_store
from benchmarks.figures import periods
from benchmarks.queries import Probe, measure
from db.base import utcnow
from db.models import User, UserRole
from db.store import Store


def someone(store: Store, role: Role) -> Actor:
    """The first active user holding ``role`` (an approver: one who is not also supervisor)."""
    with store.reader() as session:
        rows = session.execute(
            select(User.id, User.username, User.display_name)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role_code == role.value)
            .order_by(User.id)
        ).all()
        for user_id, username, name in rows:
            roles = frozenset(
                Role(r)
                for r in session.scalars(
                    select(UserRole.role_code).where(UserRole.user_id == user_id)
                )
            )
            if role is Role.SUPERVISOR or Role.SUPERVISOR not in roles:
                return Actor(user_id, username, name, roles, "W01")
    raise SystemExit(f"no {role.value} in the store")


def run(store: Store, *, probes: int, seed: int, out: Callable[[str], None]) -> None:
    rng = random.Random(seed)
    with store.reader() as session:
        calendar = work_calendar(session)
    today = local_date(utcnow())
    spans = periods(store, rng, probes)
    out(f"{'read':<52} {'span':<6} {'probes':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")

    def line(name: str, span: str, probe_list: Sequence[Probe]) -> None:
        t = measure(store, name, probe_list)
        out(
            f"{name:<52} {span:<6} {t.probes:>6} {t.p50_ms:>9.1f} {t.p95_ms:>9.1f} {t.max_ms:>9.1f}"
        )

    for role in (Role.SUPERVISOR, Role.APPROVER):
        actor = someone(store, role)

        def read(actor: Actor, period: Period) -> Probe:
            def probe(session: Session) -> int:
                shown = dashboard(session, actor, period, today=today, calendar=calendar)
                return len(shown.trend.points)

            return probe

        for span, chosen in spans.items():
            line(
                f"dashboard, {role.value} ({actor.username})",
                span,
                [read(actor, p) for p in chosen],
            )

    supervisor = someone(store, Role.SUPERVISOR)
    for name in BEHIND_FIGURES:

        def page(period: Period, name: str = name) -> Probe:
            def probe(session: Session) -> int:
                found = cases_behind(
                    session,
                    supervisor,
                    name,
                    period,
                    Grouping.CENTRE,
                    "",
                    today=today,
                    calendar=calendar,
                )
                return len(found.listing.rows)

            return probe

        line(f"cases behind {name}, first page", "month", [page(p) for p in spans["month"]])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the built store's folder")
    parser.add_argument("--probes", type=int, default=10, help="periods per read and span")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    store = open_bench_store(args.out)
    try:
        run(store, probes=args.probes, seed=args.seed, out=lambda s: print(s, flush=True))
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
