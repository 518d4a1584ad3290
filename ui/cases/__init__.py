"""Showing cases: the lazy case list, its table, a case's detail with its timeline."""
