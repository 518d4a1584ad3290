"""Case use cases (办件): intake, decisions, delivery, queries. Each is one unit of work."""
