"""`/metrics` scraped from a running `gasme-bot serve` over real HTTP: the turn histogram by outcome, the gauges
read from the database, the bearer token and the loopback rule."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from bot.app import metrics
from tests.fakes import visitor
from tests.test_serve import serve


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in the Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_scrape_finds_turns_by_outcome_and_the_databases_state(tmp_path: Path, db_url: str) -> None:
    with serve(tmp_path, DATABASE_URL=db_url, GASME_EMBEDDER="none") as served:
        with visitor(served.base) as client:
            for i, text in enumerate(["When was GASME founded?", "What is the airspeed of a swallow?",
                                      "I want to talk to a human"]):
                assert client.post("/api/chat", json={"text": text, "id": f"m{i}"}).status_code == 200
        r = httpx.get(f"{served.base}/metrics", timeout=10)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        body = r.text
        assert "# TYPE gasme_turn_seconds histogram" in body
        assert _sample(body, "gasme_turn_seconds_count", outcome="answered") == 1
        assert _sample(body, "gasme_turn_seconds_bucket", outcome="answered", le="+Inf") == 1
        assert _sample(body, "gasme_turn_seconds_count", outcome="unknown") == 1
        assert _sample(body, "gasme_turn_seconds_count", outcome="handoff") == 1
        assert "gasme_outbox_backlog" in body and "gasme_outbox_oldest_age_seconds" in body
        assert "gasme_tickets_open" in body


def test_a_token_is_asked_for_when_one_is_set(tmp_path: Path, db_url: str) -> None:
    with serve(tmp_path, DATABASE_URL=db_url, GASME_EMBEDDER="none", GASME_METRICS_TOKEN="s3cret-token") as served:
        url = f"{served.base}/metrics"
        assert httpx.get(url, timeout=10).status_code == 401
        assert httpx.get(url, headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
        assert httpx.get(url, headers={"Authorization": "Basic s3cret-token"}, timeout=10).status_code == 401
        ok = httpx.get(url, headers={"Authorization": "Bearer s3cret-token"}, timeout=10)
        assert ok.status_code == 200 and "gasme_turn_seconds" in ok.text


def test_without_a_token_only_loopback_may_scrape(tmp_path: Path, db_url: str) -> None:
    with serve(tmp_path, DATABASE_URL=db_url, GASME_EMBEDDER="none") as served:
        url = f"{served.base}/metrics"
        assert httpx.get(url, timeout=10).status_code == 200
        # Through a proxy on this machine, the client is the one the proxy names: not loopback.
        forwarded = httpx.get(url, headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10)
        assert forwarded.status_code == 403


def test_the_access_rule() -> None:
    assert metrics.allowed(None, None, "127.0.0.1") and metrics.allowed(None, None, "::1")
    assert not metrics.allowed(None, None, "10.0.0.5") and not metrics.allowed(None, None, None)
    assert metrics.allowed("t", "Bearer t", "10.0.0.5") and not metrics.allowed("t", None, "127.0.0.1")


def test_several_web_processes_add_up_their_counts(tmp_path: Path, db_url: str) -> None:
    shared = tmp_path / "prom"
    with serve(tmp_path, DATABASE_URL=db_url, GASME_EMBEDDER="none", WEB_CONCURRENCY="2",
               PROMETHEUS_MULTIPROC_DIR=str(shared)) as served:
        sent = 0
        for n in range(6):  # new connections: uvicorn's workers take them in turn, as they come
            with visitor(served.base) as client:
                assert client.post("/api/chat", json={"text": "When was GASME founded?", "id": f"x{n}"}
                                   ).status_code == 200
                sent += 1
        body = httpx.get(f"{served.base}/metrics", timeout=10).text
        assert _sample(body, "gasme_turn_seconds_count", outcome="answered") == sent
    assert list(shared.glob("histogram_*.db"))  # the processes' files, in the directory asked for
