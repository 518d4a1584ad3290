"""The county tests use the same centre as the use-case tests (tests/centre.py)."""

from tests.centre import centre

__all__ = ["centre"]
