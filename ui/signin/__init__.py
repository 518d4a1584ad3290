"""Signing in, the lock screen and changing one's password."""
