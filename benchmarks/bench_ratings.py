"""Ratings (好差评) for the benchmark store, so the figures' rating queries meet a realistic table.

``benchmarks/build_store.py`` builds cases, their actions, outbox and audit rows but no
evaluations. This adds one window rating (现场评价) to about 70 % of the store's 收件 and 办结
actions, in one ``INSERT … SELECT`` in SQL: levels drawn as a centre's are (about 70 % 非常满意,
25 % 满意, 3 % 基本满意, 2 % 差评), given when the action was taken, at its window, to the person
who took it. Every 差评 gets a rectification task due 5 days later, closed for all but the last
two months' (``to_verify``). Run once after the build (it does nothing if ratings exist):

    .venv/bin/python -m benchmarks.bench_ratings --out benchmarks/out
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select, text

from app.evaluations.levels import Channel, Level, Service
from app.evaluations.rectification import TaskState
from app.workflow.states import Action
from benchmarks.build_store import DEFAULT_OUT, open_bench_store
from db.models import Evaluation
from db.store import Store

SHARE_PERCENT = 70  # of the 收件 and 办结 actions, the share rated

# ``r`` is a random integer 0..99 per action; the level follows it.
_LEVEL = f"""CASE WHEN r < 70 THEN {Level.VERY_SATISFIED.value}
    WHEN r < 95 THEN {Level.SATISFIED.value}
    WHEN r < 98 THEN {Level.BASICALLY_SATISFIED.value}
    WHEN r < 99 THEN {Level.DISSATISFIED.value}
    ELSE {Level.VERY_DISSATISFIED.value} END"""

INSERT = f"""
INSERT INTO evaluations (uid, case_uid, case_id, service, service_op_id, channel, level, reasons,
    text, anonymous, staff, window, assessed_at, assess_number, task_state, task_due, created_at)
SELECT lower(hex(randomblob(16))), c.uid, a.case_id,
    CASE a.action WHEN :receive THEN :intake ELSE :delivery END,
    a.op_id, :channel, {_LEVEL}, '[]', '', 0, a.actor, a.workstation, a.occurred_at, NULL,
    CASE WHEN r < 98 THEN NULL
         WHEN a.occurred_at < datetime(:recent) THEN :closed ELSE :open END,
    CASE WHEN r < 98 THEN NULL ELSE date(a.occurred_at, '+8 hours', '+5 days') END,
    a.occurred_at
FROM (SELECT id, case_id, action, op_id, actor, workstation, occurred_at,
             abs(random()) % 100 AS r, abs(random()) % 100 AS pick
      FROM case_actions WHERE action IN (:receive, :decide)) AS a
JOIN cases AS c ON c.id = a.case_id
WHERE a.pick < :share
"""


def add_ratings(store: Store) -> int:
    """Rate the store's 收件 and 办结 actions (once); the number of evaluations it then holds."""
    with store.session() as session, session.begin():
        if session.scalar(select(func.count()).select_from(Evaluation)):
            return session.scalar(select(func.count()).select_from(Evaluation)) or 0
        last = session.scalar(text("SELECT max(occurred_at) FROM case_actions"))
        recent = session.scalar(text("SELECT datetime(:last, '-60 days')"), {"last": last})
        session.execute(
            text(INSERT),
            {
                "receive": Action.RECEIVE.value,
                "decide": Action.DECIDE.value,
                "intake": Service.INTAKE.value,
                "delivery": Service.DELIVERY.value,
                "channel": Channel.WINDOW.value,
                "closed": TaskState.CLOSED.value,
                "open": TaskState.TO_VERIFY.value,
                "recent": recent,
                "share": SHARE_PERCENT,
            },
        )
        session.execute(text("ANALYZE evaluations"))
        return session.scalar(select(func.count()).select_from(Evaluation)) or 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the built store's folder")
    args = parser.parse_args(argv)
    store = open_bench_store(args.out)
    try:
        started = time.perf_counter()
        n = add_ratings(store)
        print(f"{n:,} evaluations in the store ({time.perf_counter() - started:.1f} s)")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
