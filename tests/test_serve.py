"""`gasme-bot serve` as a real process: starts with no configuration at all, answers /healthz, stops cleanly."""

from __future__ import annotations

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
