"""Benchmarks: scripts that build big stores and print figures (DESIGN §9: not timed tests)."""
