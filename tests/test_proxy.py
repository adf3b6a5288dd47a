"""`gasme-bot serve` behind a proxy, as a real process: X-Forwarded-For and -Proto count only from the proxies in
FORWARDED_ALLOW_IPS. From a trusted proxy the forwarded address is the one the rate limits count (each visitor
their own limit); from anyone else the header changes nothing, so a client cannot rotate it to escape a limit."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.app.settings import Settings, SettingsError
from tests.test_serve import serve

RATE = "3 per minute"  # new web chat sessions per client address


def _new_session(base: str, **headers: str) -> int:
    """GET / without a cookie: a new web chat session, counted against the client address."""
    return httpx.get(base + "/", headers=headers, timeout=10).status_code


def test_a_trusted_proxy_sets_the_client_address(tmp_path: Path, db_url: str) -> None:
    with serve(tmp_path, DATABASE_URL=db_url, GASME_RATE_ADDRESS=RATE, FORWARDED_ALLOW_IPS="127.0.0.1") as served:
        base = served.base
        assert [_new_session(base, **{"X-Forwarded-For": "203.0.113.1"}) for _ in range(4)] == [200, 200, 200, 429]
        # Another visitor behind the same proxy has a limit of their own.
        assert _new_session(base, **{"X-Forwarded-For": "203.0.113.2"}) == 200
        # What the client wrote itself comes first; the proxy appends the address it saw, and that one counts.
        assert _new_session(base, **{"X-Forwarded-For": "198.51.100.77, 203.0.113.1"}) == 429
        https = httpx.get(base + "/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.3"})
        assert "secure" in https.headers["set-cookie"].lower()
        assert https.headers["strict-transport-security"] == "max-age=31536000"
    assert "trusted from: 127.0.0.1" in served.output


def test_an_untrusted_client_cannot_rotate_its_address(tmp_path: Path, db_url: str) -> None:
    with serve(tmp_path, DATABASE_URL=db_url, GASME_RATE_ADDRESS=RATE, FORWARDED_ALLOW_IPS="10.9.9.9") as served:
        codes = [_new_session(served.base, **{"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(1, 6)]
        assert codes == [200, 200, 200, 429, 429]
        plain = httpx.get(served.base + "/", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in plain.headers


def test_forwarded_allow_ips_is_checked() -> None:
    assert Settings.from_env({}).forwarded_allow_ips == "127.0.0.1"
    assert Settings.from_env({"FORWARDED_ALLOW_IPS": " 10.0.0.0/8, 192.168.1.7 "}).forwarded_allow_ips == \
        "10.0.0.0/8,192.168.1.7"
    assert Settings.from_env({"FORWARDED_ALLOW_IPS": "*"}).forwarded_allow_ips == "*"
    with pytest.raises(SettingsError, match="FORWARDED_ALLOW_IPS"):
        Settings.from_env({"FORWARDED_ALLOW_IPS": "router.internal"})
