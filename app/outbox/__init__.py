"""What a workstation queues for the county, in the transaction that made it: self-contained,
versioned envelopes with global identities. The sync engine (``app/sync/``) sends them."""
