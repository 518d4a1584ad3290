"""What travels between a workstation and the county: envelopes and the outbox that holds them."""
