"""What a workstation may pull: a window or back-office PC its whole centre; a proxy agent's
laptop at a village 代办点 only the filings made on it (a resident's data stays where the proxy
works, and the centre's other cases never leave the centre's PCs)."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from county.store.models import CENTRE_SCOPE, CountyCase, Workstation


def in_scope(station: Workstation) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``CountyCase`` (joined) that keep ``station``'s cases; none for a centre PC."""
    if station.scope == CENTRE_SCOPE:
        return ()
    return (CountyCase.opened_at == station.code,)
