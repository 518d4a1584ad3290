"""Serving the demo county: ``onewindow-county serve --demo-clerk SECONDS``.

The ordinary service, plus three things only the demo has: the demo county clerk
(``county.demo_clerk``); ``GET /demo``, which tells a demo workstation that this is the demo
county and where its store is (so it can take its activation code from it, as the demo does);
and, with ``--until-stdin-closes``, stopping when the demo window that started it has exited
(its end of the pipe closes, whether it quit or crashed). Refused on any store but the demo
county's.
"""

from __future__ import annotations

import sys
import threading

import uvicorn
from sqlalchemy import select

from app.demo.county import DEMO_ENDPOINT, DemoCountyInfo
from county.api import create_app
from county.demo_clerk import DemoClerk
from county.store.engine import CountyStore
from county.store.models import Meta


def is_demo_county(store: CountyStore, demo_name: str) -> bool:
    with store.sessions() as session:
        meta = session.scalars(select(Meta)).first()
    return meta is not None and meta.county_name == demo_name


def serve_demo(
    store: CountyStore,
    database: str,
    *,
    host: str,
    port: int,
    clerk_delay: float,
    until_stdin_closes: bool,
) -> None:
    app = create_app(store)
    with store.sessions() as session:
        county_name = session.scalars(select(Meta.county_name)).one()
    info = DemoCountyInfo(county_name=county_name, database=database, clerk_delay=clerk_delay)

    @app.get(DEMO_ENDPOINT)
    def demo() -> DemoCountyInfo:
        return info

    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    )
    if until_stdin_closes:
        threading.Thread(target=_stop_at_eof, args=(server,), daemon=True).start()
    clerk = DemoClerk(store, clerk_delay)
    clerk.start()
    try:
        server.run()
    finally:
        clerk.stop()


def _stop_at_eof(server: uvicorn.Server) -> None:
    while sys.stdin.buffer.read(1024):
        pass
    server.should_exit = True
