"""The county tests use the same centre as the use-case tests (tests/centre.py), and run their
store on both backends: SQLite and a throwaway PostgreSQL server (tests/county/postgres.py).
``county`` is the service running over it on loopback (a module may override it); ``w01`` and
``w02`` are workstations connected to it (``stations.py``; a module may have its own)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.centre import centre
from tests.county.postgres import county_url, postgres, postgres_url
from tests.county.server import County, running_county
from tests.county.stations import w01, w02

__all__ = ["centre", "county", "county_url", "postgres", "postgres_url", "w01", "w02"]


@pytest.fixture
def county(tmp_path: Path, county_url: str) -> Iterator[County]:
    """The service on each backend in turn (``county_url``: SQLite, then PostgreSQL)."""
    with running_county(tmp_path / "county", county_url) as running:
        yield running
