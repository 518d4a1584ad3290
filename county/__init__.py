"""Reference county-side sync service (built in the sync issue). Never imports Qt."""
