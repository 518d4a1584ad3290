"""The real county service on loopback for the tests: uvicorn in a thread, on a free port, over a
SQLite county store seeded with the test centre (its accounts, the bundled catalogue's item
versions, workstations W01, W02 and the proxy's laptop V01 (it pulls its own filings only) with
one-time activation codes)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from app.catalog.loader import bundled_catalog
from app.sync.transport import HttpTransport
from county.api import create_app
from county.catalogue import publish_items
from county.credentials import code_digest
from county.progress.limits import ProgressLimits
from county.store.engine import CountyStore, open_county
from county.store.models import CENTRE_SCOPE, PROXY_SCOPE, Account, Meta, Workstation
from county.store.models import Centre as CountyCentre
from db.store import open_store
from tests.centre import TOWN, USERS, Centre, make_centre

ACTIVATION_CODES = {"W01": "ACT-W01-0001", "W02": "ACT-W02-0002", "V01": "ACT-V01-0003"}


@dataclass
class County:
    store: CountyStore
    url: str

    def client(self, secret: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def activate(self, workstation: str) -> str:
        """The workstation's secret, from its one-time code."""
        with self.client() as client:
            answer = client.post(
                "/v1/activate",
                json={
                    "centre": TOWN,
                    "workstation": workstation,
                    "code": ACTIVATION_CODES[workstation],
                },
            )
        answer.raise_for_status()
        secret = answer.json()["secret"]
        assert isinstance(secret, str)
        return secret


def seed_county(store: CountyStore) -> None:
    with store.sessions() as session, session.begin():
        session.add(Meta(id=1, epoch=str(uuid.uuid4()), county_name="示例县（测试）"))
        session.add(CountyCentre(code=TOWN, name="清河镇便民服务中心"))
        session.flush()
        for name, roles in USERS.items():
            session.add(
                Account(
                    username=name,
                    centre_code=TOWN,
                    display_name=name,
                    roles=[r.value for r in roles],
                    password_hash="x",
                )
            )
        publish_items(session, bundled_catalog())
        for code, activation in ACTIVATION_CODES.items():
            session.add(
                Workstation(
                    centre_code=TOWN,
                    code=code,
                    activation_hash=code_digest(activation),
                    scope=PROXY_SCOPE if code.startswith("V") else CENTRE_SCOPE,
                )
            )


@contextmanager
def running_county(
    data_dir: Path,
    url: str | None = None,
    tls: tuple[str, str] | None = None,
    progress_limits: ProgressLimits | None = None,
) -> Iterator[County]:
    """The service over the store at ``url`` (an empty database of either backend), by default
    a SQLite file in ``data_dir``; over HTTPS with ``tls`` (certificate and key files, PEM), as
    ``onewindow-county serve --certfile --keyfile`` runs it; the progress page under
    ``progress_limits`` (else its defaults)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = open_county(url or f"sqlite:///{data_dir / 'county.db'}")
    seed_county(store)
    config = uvicorn.Config(
        create_app(store, progress_limits=progress_limits),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        ssl_certfile=tls[0] if tls else None,
        ssl_keyfile=tls[1] if tls else None,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the county service did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield County(store, f"{'https' if tls else 'http'}://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


@contextmanager
def connected(
    county: County, workstation: str, *, centre: Centre | None = None, data_dir: Path | None = None
) -> Iterator[tuple[Centre, HttpTransport]]:
    """A workstation activated with ``county``: ``centre`` (W01's, the ``centre`` fixture), or
    a new store of the test centre in ``data_dir`` under the workstation's code; and its
    transport. Both closed afterwards (the store only if made here)."""
    store = None
    if centre is None:
        assert data_dir is not None
        store = open_store(data_dir / workstation.lower())
        centre = make_centre(store, workstation)
    transport = HttpTransport(county.url, county.activate(workstation))
    try:
        yield centre, transport
    finally:
        transport.close()
        if store is not None:
            store.close()
