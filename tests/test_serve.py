"""`gasme-bot serve` as a real process: starts with no configuration at all, answers /healthz, stops cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.fakes import free_port, visitor

BIN = Path(sys.executable).parent / "gasme-bot"


@dataclass
class Served:
    base: str
    pid: int = 0
    output: str = ""  # what the process printed, filled in when it has stopped


@contextlib.contextmanager
def serve(cwd: Path, *args: str, **env_vars: str) -> Iterator[Served]:
    """`gasme-bot serve ARGS` as a real process on a free port, without platform credentials, until /healthz
    answers; stopped with Ctrl-C afterwards."""
    port = int(env_vars.get("PORT") or free_port())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "WECHAT_"))}
    env.update({"PORT": str(port), "HOST": "127.0.0.1", **env_vars})
    proc = subprocess.Popen([str(BIN), "serve", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    served = Served(f"http://127.0.0.1:{port}", proc.pid)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{served.base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, "serve did not start"
                time.sleep(0.2)
        yield served
    finally:
        proc.send_signal(signal.SIGINT)
        served.output, _ = proc.communicate(timeout=30)


def test_serve_starts_with_no_configuration(tmp_path: Path, db_url: str) -> None:
    with serve(tmp_path, DATABASE_URL=db_url) as served:
        r = httpx.get(f"{served.base}/healthz", timeout=5)
        assert r.status_code == 200 and r.json() == {"ok": True}
        assert httpx.post(f"{served.base}/slack/events", content=b"{}").status_code == 404  # Slack off
    assert "channels on" in served.output and "slack: off" in served.output


def test_serve_end_to_end_over_http(tmp_path: Path, db_url: str) -> None:
    """A real `gasme-bot serve` process on the test database (PostgreSQL in CI): a member's conversation over
    HTTP through the web chat API, a registration included, and a staff reply arriving as an update."""
    with contextlib.ExitStack() as stack, serve(tmp_path, "--now", "2026-11-26T10:00:00",
                                                DATABASE_URL=db_url) as served:
        base = served.base
        member = stack.enter_context(visitor(base))  # the page issues the session cookie

        def say(text: str) -> str:
            r = member.post("/api/chat", json={"text": text})
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
        updates = member.get("/api/updates").json()["messages"]
        assert updates == [{"text": "Staff: Booths are available.", "kind": "staff_reply"}]
        regs = subprocess.run([str(BIN), "registrations", "--json", "--db", db_url], capture_output=True, text=True,
                              check=True, cwd=tmp_path).stdout
        assert '"name": "Ada Lovelace"' in regs


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
    # A session issued by one process is valid in the other (one key, kept in the database).
    with serve(tmp_path, "--db", db_url, "--now", "2026-11-26T10:00:00", WEB_CONCURRENCY="2") as served, \
            visitor(served.base) as member:
        for i in range(6):
            r = member.post("/api/chat", json={"text": "When was GASME founded?", "id": f"m{i}"})
            assert r.status_code == 200 and "2009" in r.json()["replies"][0]["text"]
    assert served.output.count("Started server process") == 2
