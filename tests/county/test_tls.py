"""The county over HTTPS on loopback, with a certificate from a throwaway CA (trustme): a
workstation activated with ``--ca-file`` syncs over https; one that does not trust the
certificate is refused in Chinese, sends nothing, and its one-time code stays good."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from sqlalchemy import select

from app import settings
from app.cases import decisions as d
from app.cli import main
from app.sync.session import sync_round
from app.sync.tls import CountyUntrusted
from county.cli import main as county_main
from county.store.models import Workstation
from db.store import Store, open_store
from tests.centre import Centre, make_centre
from tests.county.server import ACTIVATION_CODES, County, running_county


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def county(tmp_path: Path, ca: trustme.CA) -> Iterator[County]:
    cert = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = tmp_path / "county.pem", tmp_path / "county.key"
    cert.private_key_and_cert_chain_pem.write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    with running_county(tmp_path / "county", tls=(str(certfile), str(keyfile))) as running:
        yield running


def run(store: Store, *args: str) -> int:
    return main(["--data-dir", str(store.data_dir), *args])


def activated(county: County, station: str) -> bool:
    with county.store.sessions() as session:
        found = session.scalar(select(Workstation).where(Workstation.code == station))
        return found is not None and found.secret_hash is not None


def test_a_workstation_activates_and_syncs_over_https_with_the_county_ca(
    centre: Centre,
    county: County,
    ca: trustme.CA,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert county.url.startswith("https://127.0.0.1:")
    store, code = centre.store, ACTIVATION_CODES["W01"]
    ca_file = tmp_path / "county-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    # The system's store does not know this CA: refused, in Chinese, before anything is sent.
    assert run(store, "activate", "--county", county.url, "--code", code) == 1
    refused = capsys.readouterr().err
    assert "[E616]" in refused and "证书不受本工作站信任" in refused and "--ca-file" in refused
    assert not activated(county, "W01")  # the one-time code was not spent
    with store.reader() as session:
        assert settings.COUNTY_URL.get(session) == ""

    not_pem = tmp_path / "not-a-certificate.txt"
    not_pem.write_text("hello", encoding="utf-8")
    assert (
        run(store, "activate", "--county", county.url, "--code", code, "--ca-file", str(not_pem))
        == 1
    )
    assert "不是 PEM 格式的CA证书" in capsys.readouterr().err
    assert not activated(county, "W01")

    assert (
        run(store, "activate", "--county", county.url, "--code", code, "--ca-file", str(ca_file))
        == 0
    )
    assert "已激活" in capsys.readouterr().out
    ca_file.unlink()  # kept in the settings: the file is not needed any more
    received = centre.walk_in("最低生活保障")
    d.accept(centre.ctx, centre.actor("clerk"), received.case_id)
    assert run(store, "sync", "now") == 0
    assert capsys.readouterr().out.startswith("已上传 2，")

    # A certificate this workstation does not trust (another CA's): the round says so.
    with store.session() as session, session.begin():
        settings.COUNTY_CA_PEM.set(session, trustme.CA().cert_pem.bytes().decode("ascii"))
    d.start_review(centre.ctx, centre.actor("approver"), received.case_id)
    outcome = sync_round(store, centre.ctx.calendar)
    assert isinstance(outcome.error, CountyUntrusted)
    assert "证书不受本工作站信任" in outcome.error.message
    assert outcome.status.queued == 1  # kept for the next round


def test_a_second_workstation_with_the_ca_file_syncs_what_the_first_sent(
    centre: Centre, county: County, ca: trustme.CA, tmp_path: Path
) -> None:
    ca_file = tmp_path / "county-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    w02 = make_centre(open_store(tmp_path / "w02"), "W02")
    try:
        for station, code in ((centre, "W01"), (w02, "W02")):
            args = ["--county", county.url, "--code", ACTIVATION_CODES[code], "--ca-file"]
            assert run(station.store, "activate", *args, str(ca_file)) == 0
        received = centre.walk_in("最低生活保障")
        d.accept(centre.ctx, centre.actor("clerk"), received.case_id)
        first = sync_round(centre.store, centre.ctx.calendar)
        second = sync_round(w02.store, w02.ctx.calendar)
        assert first.error is None and second.error is None
        assert second.summary is not None and second.summary.pulled == 2
    finally:
        w02.store.close()


def test_serve_checks_the_certificate_and_key_before_it_starts(
    tmp_path: Path, ca: trustme.CA, capsys: pytest.CaptureFixture[str]
) -> None:
    cert, other = ca.issue_cert("127.0.0.1"), ca.issue_cert("localhost")
    certfile, keyfile = tmp_path / "c.pem", tmp_path / "other.key"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    other.private_key_pem.write_to_path(str(keyfile))
    serve = ["serve", "--database", f"sqlite:///{tmp_path / 'county.db'}"]
    assert county_main([*serve, "--certfile", str(certfile)]) == 1
    assert "须同时指定 --certfile（证书）和 --keyfile（私钥）" in capsys.readouterr().err
    assert (
        county_main([*serve, "--certfile", str(certfile), "--keyfile", str(tmp_path / "no")]) == 1
    )
    assert "--keyfile 指定的文件不存在" in capsys.readouterr().err
    assert county_main([*serve, "--certfile", str(certfile), "--keyfile", str(keyfile)]) == 1
    assert "相互匹配" in capsys.readouterr().err
