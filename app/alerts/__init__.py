"""Alerts that reach people: what a desk flags and counts for its user (``desk_alerts``), and
which newly overdue cases a person has already been told about (``announced``)."""
