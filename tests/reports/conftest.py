"""The report tests run against a centre (tests/centre.py)."""

from tests.centre import centre

__all__ = ["centre"]
