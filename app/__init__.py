"""OneWindow domain, use cases, sync and printing. Never imports Qt (a test enforces it)."""
