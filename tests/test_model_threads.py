"""The e5 engine and faiss each bring an OpenMP runtime. Left to their defaults they start teams of threads that
spin against each other, and one embedding cost 1.3 s of CPU instead of 19 ms on a busy two-core machine (measured
with bench/webhook.py). The bot keeps every runtime on one thread: no thread beyond the caller's may appear."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import os, threading, time
import bot.understanding.nearest  # faiss and its OpenMP runtime, loaded first as in a running bot
from bot.understanding.embedding import load

model = load("e5")
model.encode(["When was GASME founded?"], query=True)
worker = threading.Thread(target=lambda: model.encode(["报名截止日期是什么时候？", "and where?"], query=True))
worker.start()
worker.join()
for _ in range(100):  # a finished thread leaves the process's task list a moment after join(); pool threads never
    if len(os.listdir(f"/proc/{os.getpid()}/task")) == 1:
        break
    time.sleep(0.05)
print(len(os.listdir(f"/proc/{os.getpid()}/task")), os.environ["OMP_NUM_THREADS"])
"""


def test_the_model_runs_on_the_callers_thread_alone() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env["OMP_NUM_THREADS"] = "4"  # set from outside: overridden
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=True).stdout.split()
    assert out == ["1", "1"], out  # the main thread alone once the worker has finished
