"""Sync with the county: the wire protocol both ends share, the transport, pushing the outbox
and pulling the county's changes."""
