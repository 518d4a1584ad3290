"""The county's store: centres, workstations, accounts, item versions, and every case's confirmed
action log. PostgreSQL in production, SQLite embedded (the demo, the tests, a small county)."""
