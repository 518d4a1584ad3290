"""Alerts that reach people: what a desk flags and counts for its user (``desk_alerts``), and
the notices of cases turning overdue or 环节超时, told to each person once (``notices``)."""
