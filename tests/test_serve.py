"""`gasme-bot serve` as a real process: starts with no configuration at all, answers /healthz, stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fakes import free_port

BIN = Path(sys.executable).parent / "gasme-bot"


def test_serve_starts_with_no_configuration(tmp_path: Path, db_url: str) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "WECHAT_"))}
    env.update({"PORT": str(port), "HOST": "127.0.0.1", "DATABASE_URL": db_url})
    proc = subprocess.Popen([str(BIN), "serve"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("serve did not start") from None
                time.sleep(0.2)
        assert r.status_code == 200 and r.json() == {"ok": True}
        assert httpx.post(f"http://127.0.0.1:{port}/slack/events", content=b"{}").status_code == 404  # Slack off
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    assert "channels on" in out and "slack: off" in out


def test_serve_end_to_end_over_http(tmp_path: Path, db_url: str) -> None:
    """A real `gasme-bot serve` process on the test database (PostgreSQL in CI): a member's conversation over
    HTTP through the web chat API, a registration included, and a staff reply arriving as an update."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "WECHAT_"))}
    env.update({"PORT": str(port), "HOST": "127.0.0.1", "DATABASE_URL": db_url})
    proc = subprocess.Popen([str(BIN), "serve", "--now", "2026-11-26T10:00:00"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.2)

        def say(text: str) -> str:
            r = httpx.post(f"{base}/api/chat", json={"user": "e2e-member-1", "text": text}, timeout=30)
            assert r.status_code == 200
            return "\n".join(x["text"] for x in r.json()["replies"])

        assert "2009" in say("When was GASME founded?")
        assert "法兰克福" in say("德国有什么活动？")
        assert "full name" in say("register for the Global SME Expo")
        say("Ada Lovelace")
        say("Analytical Engines Ltd")
        say("ada@example.com")
        assert "You're registered" in say("yes")
        assert "passed this to our staff" in say("I want to talk to a human about a booth")
        tickets = subprocess.run([str(BIN), "tickets", "--json", "--db", db_url], capture_output=True, text=True,
                                 check=True, cwd=tmp_path).stdout
        ticket_id = json.loads(tickets)[0]["id"]
        subprocess.run([str(BIN), "tickets", "reply", str(ticket_id), "Booths are available.", "--db", db_url,
                        "--now", "2026-11-26T10:00:00"], check=True, cwd=tmp_path, capture_output=True)
        updates = httpx.get(f"{base}/api/updates", params={"user": "e2e-member-1"}).json()["messages"]
        assert updates == [{"text": "Staff: Booths are available.", "kind": "staff_reply"}]
        regs = subprocess.run([str(BIN), "registrations", "--json", "--db", db_url], capture_output=True, text=True,
                              check=True, cwd=tmp_path).stdout
        assert '"name": "Ada Lovelace"' in regs
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)


def test_worker_process_delivers_the_outbox(tmp_path: Path, db_url: str) -> None:
    """The Procfile's `worker` line as a real process: a ticket opened by a member reaches the (fake) Slack."""
    from tests.fakes import FakeSlack, ServerThread

    subprocess.run([str(BIN), "db", "upgrade", "--db", db_url], check=True, capture_output=True, cwd=tmp_path)
    chat = subprocess.run(
        [str(BIN), "chat", "--jsonl", "--db", db_url],
        input=json.dumps({"user": "w1", "text": "I want to talk to a human about exhibiting at the expo"}) + "\n",
        capture_output=True, text=True, check=True, cwd=tmp_path)
    assert json.loads(chat.stdout)["handoff"] is True
    fake = FakeSlack()
    with ServerThread(fake.app()) as server:
        env = {**os.environ, "DATABASE_URL": db_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s",
               "SLACK_STAFF_CHANNEL": "CSTAFF", "SLACK_API_URL": f"http://127.0.0.1:{server.port}/api/"}
        proc = subprocess.Popen([str(BIN), "worker"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not fake.called("chat.postMessage"):
                assert time.monotonic() < deadline and proc.poll() is None, "the worker delivered nothing"
                time.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
    [post] = fake.called("chat.postMessage")
    assert post["channel"] == "CSTAFF" and "exhibiting at the expo" in json.dumps(post["blocks"])


def test_serve_with_several_worker_processes(tmp_path: Path, db_url: str) -> None:
    """WEB_CONCURRENCY=2, as a Heroku-style platform sets it: two processes answer on one port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "WECHAT_"))}
    env.update({"PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "2"})
    proc = subprocess.Popen([str(BIN), "serve", "--db", db_url, "--now", "2026-11-26T10:00:00"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.2)
        for i in range(6):
            r = httpx.post(f"{base}/api/chat", json={"user": "multiworker1", "text": "When was GASME founded?",
                                                     "id": f"m{i}"}, timeout=30)
            assert r.status_code == 200 and "2009" in r.json()["replies"][0]["text"]
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert out.count("Started server process") == 2
