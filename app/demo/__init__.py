"""The embedded demo centre: its settings, users, sample forms and the seeded cases."""
