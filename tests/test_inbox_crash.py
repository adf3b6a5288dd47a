"""kill -9 of one of two `gasme-bot serve` processes during a Telegram burst (issue 17, item 3): every update the
webhook acknowledged with 200 is answered, by the surviving process, since it was stored before the 200. Real
processes, real HTTP, a fake Bot API; on the test database (PostgreSQL in CI)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.fakes import FakeTelegram, ServerThread
from tests.test_serve import serve

TOKEN, SECRET = "123456:CRASH-token", "crash-Secret_1"
UPDATES = 80


def update(n: int) -> dict[str, object]:
    chat = 7100000 + n
    return {"update_id": 555000000 + n, "message": {
        "message_id": n + 1, "date": int(time.time()), "text": "When was GASME founded?",
        "from": {"id": chat, "is_bot": False, "first_name": f"M{n}", "language_code": "en"},
        "chat": {"id": chat, "type": "private", "first_name": f"M{n}"}}}


def test_kill_9_of_a_serve_process_during_a_telegram_burst_loses_no_acknowledged_update(tmp_path: Path,
                                                                                     db_url: str) -> None:
    """Two `serve` processes behind one webhook (as a platform's router spreads calls), one killed mid-burst."""
    fake = FakeTelegram()
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET, "GASME_INBOX_LEASE_SECONDS": "2",
           "GASME_EMBEDDER": "none", "GASME_WORKER_IN_PROCESS": "0"}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    with ServerThread(fake.app()) as api, \
            serve(tmp_path, "--db", db_url, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{api.port}", **env) as one, \
            serve(tmp_path, "--db", db_url, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{api.port}", **env) as two:
        hooks = [f"{one.base}/telegram/webhook", f"{two.base}/telegram/webhook"]
        deadline = time.monotonic() + 60
        while any(httpx.post(hook, content=b"{}", headers=headers).status_code == 503 for hook in hooks):
            assert time.monotonic() < deadline, "the Telegram channel did not start"
            time.sleep(0.2)
        acked: set[int] = set()
        lock = threading.Lock()

        def post(n: int) -> None:
            try:
                r = httpx.post(hooks[n % 2], content=json.dumps(update(n)), headers=headers, timeout=30)
            except httpx.TransportError:
                return  # the process died holding this call: not acknowledged, so Telegram would send it again
            if r.status_code == 200:
                with lock:
                    acked.add(7100000 + n)
                    if len(acked) == UPDATES // 4:
                        os.kill(one.pid, signal.SIGKILL)  # in the thick of the burst

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(post, range(UPDATES)))
        assert len(acked) > UPDATES // 2
        deadline = time.monotonic() + 120
        while not acked <= {int(c["chat_id"]) for c in fake.called("sendMessage")}:
            missing = acked - {int(c["chat_id"]) for c in fake.called("sendMessage")}
            assert time.monotonic() < deadline, f"{len(missing)} acknowledged updates never answered"
            time.sleep(0.25)
    answers = [c for c in fake.called("sendMessage") if int(c["chat_id"]) in acked]
    assert all("2009" in c["text"] for c in answers)
    # Sent twice at most: an update whose reply went out just before the kill, before the process could record it.
    assert len(answers) <= len(acked) + 8
