"""The county tests use the same centre as the use-case tests (tests/centre.py), and run their
store on both backends: SQLite and a throwaway PostgreSQL server (tests/county/postgres.py)."""

from tests.centre import centre
from tests.county.postgres import county_url, postgres, postgres_url

__all__ = ["centre", "county_url", "postgres", "postgres_url"]
