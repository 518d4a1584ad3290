"""Snapshotting again after the county was restored from a backup (a new epoch: 410).

The restored county may lack any action it confirmed after the backup was taken: ours, and other
workstations'. So this workstation

1. learns the new epoch and begins a new row of ``county_epochs``: the confirmations of the old
   epoch stop counting (they stay, as history), and the cursor goes back to 0;
2. puts every own operation the old county acknowledged — case actions, the admin's account
   operations, proxy authorizations — back in the queue (in the same transaction, so a crash
   cannot lose the step), with its original op_id and envelope; the county answers ``replayed``
   to what it still has (it remembers every op_id), applies what it lost. The authorizations and
   the catalogue are taken down again from the start as well;
3. pulls the centre's whole feed again: what the restored county has comes back confirmed in the
   new epoch (our own actions among it are acknowledged again and leave the queue), what this
   workstation has not seen is added.

The caller then pushes as usual: what remains queued is exactly what the county lacks, in the
order it was first queued (FIFO per case), so each lost action goes up again on the base it had;
an action the restored county still has answers ``replayed`` if it is sent again.

Until the owning workstation re-sends it, another workstation's action the county lost is kept
here unconfirmed and not folded (``app/cases/log.py``): its owner's re-send may be refused; when
it comes back through the feed it is confirmed again under the same op_id. The county's own
actions are given back from here (kept in the outbox as ``county.refeed``: ``pull.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import settings
from app.sync.pull import Pulled, pull_changes
from app.sync.push import ACKED, PENDING, SENT_KINDS
from app.sync.transport import Transport
from app.workcalendar import WorkCalendar
from db.models import CountyEpoch, OutboxEntry
from db.store import Store


@dataclass(frozen=True)
class Resnapshot:
    epoch: str
    requeued: int  # own operations the old county had acknowledged, queued again
    pulled: Pulled


def resnapshot(store: Store, transport: Transport, calendar: WorkCalendar) -> Resnapshot:
    """Begin the county's new epoch here and take its feed again from the start."""
    epoch = transport.changes(0, None, 1).epoch  # no epoch sent: the county says its own
    with store.session() as session, session.begin():
        session.add(CountyEpoch(epoch=epoch))
        settings.COUNTY_EPOCH.set(session, epoch)
        settings.SYNC_CURSOR.set(session, 0)
        settings.AUTHORIZATION_CURSOR.set(session, 0)  # the restored county's are taken again
        settings.EVALUATION_CURSOR.set(session, 0)  # … and its evaluations
        settings.CATALOGUE_RELEASE.set(session, 0)  # (installing one already here changes nothing)
        acked = session.scalars(
            select(OutboxEntry).where(OutboxEntry.status == ACKED, OutboxEntry.kind.in_(SENT_KINDS))
        ).all()
        for row in acked:
            row.status = PENDING
    return Resnapshot(epoch, len(acked), pull_changes(store, transport, calendar))
