"""One way to open a unit of work: each use case declares read or write, and the runner opens
exactly that — reads are read-only and never wait for the write lock; a refused guarded read is
recorded through a write unit of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.actor import Actor
from app.audit import AuditEvent, authorize, read_entries
from app.cases import queries
from app.cases.decisions import accept
from app.errors import PermissionDenied, StoreBusy, StoreReadOnly
from app.printing.kinds import DocKind
from app.printing.service import build_document
from app.units.declare import reads
from app.units.runner import Units
from db import engine as engine_module
from db.models import AuditEntry, Setting
from db.store import Store, open_store
from tests.centre import Centre
from tests.store_lock import write_lock_held


@pytest.fixture
def impatient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writers wait 0.2 s for the write lock (15 s in the app)."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_S", 0.2)


def test_a_read_unit_cannot_write_and_the_next_write_unit_can(store: Store) -> None:
    with pytest.raises(StoreReadOnly), store.reader() as session:
        session.add(Setting(key="centre_name", value="改名"))
        session.flush()
    with store.session() as session, session.begin():  # the same pooled connection, writing
        session.add(Setting(key="centre_name", value="改名"))
    with store.reader() as session:
        assert session.get(Setting, "centre_name") is not None


def test_a_use_case_that_declares_no_unit_is_refused(centre: Centre) -> None:
    def undeclared(session: Session, actor: Actor) -> int:
        return 1

    units = Units(centre.store.session, centre.store.reader, authorize)
    with pytest.raises(TypeError, match="does not declare its unit of work"):
        units.run(centre.actor("clerk"), undeclared)
    assert units.run(centre.actor("clerk"), reads(undeclared)) == 1


def test_reads_and_a_preview_never_wait_for_the_write_lock(impatient: None, centre: Centre) -> None:
    c = centre
    received = c.walk_in("最低生活保障")
    accept(c.ctx, c.actor("clerk"), received.case_id)
    units = Units(c.store.session, c.store.reader, authorize)
    with write_lock_held(c.store):  # another program is writing
        queue = units.run(c.actor("approver"), queries.my_queue)
        doc = build_document(c.ctx, c.actor("clerk"), received.case_id, DocKind.ACCEPTANCE_NOTICE)
        with pytest.raises(StoreBusy):  # while a write unit would wait, then give up
            accept(c.ctx, c.actor("clerk"), received.case_id)
    assert queue.total == 1 and doc.pdf.startswith(b"%PDF")


def test_a_refused_guarded_read_is_recorded_in_its_own_write_unit(centre: Centre) -> None:
    c = centre
    units = Units(c.store.session, c.store.reader, authorize)
    with pytest.raises(PermissionDenied):
        units.run(c.actor("clerk"), read_entries, limit=10)
    with c.store.reader() as session:
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.PERMISSION_DENIED)
        )
    assert (entry.actor, entry.detail["permission"]) == ("clerk", "audit_read")
    assert units.run(c.actor("auditor"), read_entries, limit=10)[0].id == entry.id


def test_open_store_readers_are_query_only(tmp_path: Path) -> None:
    store = open_store(tmp_path / "d")
    try:
        with store.reader() as session:
            assert session.execute(text("PRAGMA query_only")).scalar() == 1
        with store.session() as session:
            assert session.execute(text("PRAGMA query_only")).scalar() == 0
    finally:
        store.close()
